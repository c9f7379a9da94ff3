//! The checks, one module per check id of the CLI contract. Each reads the
//! pool and the built chain and returns its findings, or `None` when it does
//! not apply (status `skip`). Checks never read the clock: the validation
//! time comes in [`Context::at`].

mod bundle_extra;
mod ca_constraints;
mod chain_complete;
mod chain_links;
mod chain_order;
mod crypto_strength;
mod csr_match;
mod dn_profile;
mod key_match;
mod leaf_usage;
mod validity;

use crate::chain::Chain;
use crate::finding::{CheckId, CheckStatuses, Finding, Status};
use crate::model::{Certificate, Pool};
use crate::profile::Profile;

/// What every check reads.
pub(crate) struct Context<'a> {
    pub(crate) pool: &'a Pool,
    pub(crate) chain: &'a Chain<'a>,
    /// Validation time, seconds since the Unix epoch.
    pub(crate) at: i64,
    pub(crate) profile: Profile,
    /// The roots the peer trusts; empty when none were given.
    pub(crate) anchors: &'a [Certificate],
    /// The server's CA certificates given apart from the pool.
    pub(crate) server_cas: &'a [Certificate],
    /// The leaf's expiry warning window, in days.
    pub(crate) warn_days: i64,
}

/// A certificate as messages name it: its subject in backquotes.
pub(crate) fn named(cert: &Certificate) -> String {
    format!("`{}`", cert.subject())
}

/// A check: its findings, or `None` when it does not apply.
type CheckFn = fn(&Context<'_>) -> Option<Vec<Finding>>;

/// Which function runs which check, in [`CheckId::ALL`] order.
const RUNS: [(CheckId, CheckFn); 11] = [
    (CheckId::ChainLinks, chain_links::run),
    (CheckId::ChainOrder, chain_order::run),
    (CheckId::ChainComplete, chain_complete::run),
    (CheckId::KeyMatch, key_match::run),
    (CheckId::CsrMatch, csr_match::run),
    (CheckId::Validity, validity::run),
    (CheckId::CaConstraints, ca_constraints::run),
    (CheckId::LeafUsage, leaf_usage::run),
    (CheckId::CryptoStrength, crypto_strength::run),
    (CheckId::BundleExtra, bundle_extra::run),
    (CheckId::DnProfile, dn_profile::run),
];

/// Runs every check; returns the statuses and the findings in check order.
pub(crate) fn run_all(ctx: &Context<'_>) -> (CheckStatuses, Vec<Finding>) {
    let mut statuses = CheckStatuses::all(Status::Skip);
    let mut findings = Vec::new();
    for (id, run) in RUNS {
        if let Some(found) = run(ctx) {
            statuses.set(id, Status::of(&found));
            findings.extend(found);
        }
    }
    (statuses, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every check id has its function, in the contract's order.
    #[test]
    fn every_check_runs_once_in_order() {
        let ids: Vec<CheckId> = RUNS.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, CheckId::ALL);
    }
}
