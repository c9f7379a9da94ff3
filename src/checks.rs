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
use crate::model::{Certificate, Format, Pool};
use crate::profile::Profile;
use crate::timestamp::Time;

/// What every check reads.
pub(crate) struct Context<'a> {
    pub(crate) pool: &'a Pool,
    pub(crate) chain: &'a Chain<'a>,
    /// Validation time.
    pub(crate) at: Time,
    pub(crate) profile: Profile,
    /// The roots the peer trusts; empty when none were given.
    pub(crate) anchors: &'a [Certificate],
    /// The limits the chain was searched under (named in findings).
    pub(crate) limits: &'a crate::input::Limits,
    /// The server's CA certificates given apart from the pool.
    pub(crate) server_cas: &'a [Certificate],
    /// The leaf's expiry warning window, in days.
    pub(crate) warn_days: i64,
}

/// Whether the pool is a request to validate alone: a CSR and no certificate.
pub(crate) fn is_request_alone(pool: &Pool) -> bool {
    pool.certificates().is_empty() && !pool.requests().is_empty()
}

/// A certificate as messages name it: its subject in backquotes.
pub(crate) fn named(cert: &Certificate) -> String {
    format!("`{}`", cert.subject())
}

/// The format of the file, or zip entry, that `cert` was read from (as the
/// report's `inputs` list it), e.g. to tell the DER download from a PKCS#12
/// file in a fix.
pub(crate) fn input_format(pool: &Pool, cert: &Certificate) -> Option<Format> {
    let source = cert.source();
    let input = pool.inputs().iter().find(|i| i.path() == source.path())?;
    match source.entry() {
        None => Some(input.format()),
        Some(entry) => input
            .entries()
            .iter()
            .find(|e| e.name() == entry)
            .map(|e| e.format()),
    }
}

impl Context<'_> {
    /// The trust anchor the chain ends at when it is not itself in the
    /// chain (it issued the top): servers judge it as the chain's root.
    pub(crate) fn absent_anchor(&self) -> Option<&Certificate> {
        let anchor = self.anchors.get(self.chain.anchor()?)?;
        let top = self.chain.top()?;
        let is_top =
            anchor.subject().matches(top.subject()) && anchor.public_key().same_key(top.public_key());
        (!is_top).then_some(anchor)
    }
}

/// The critical extensions of `cert` certbundle does not process, for a
/// message (`nameConstraints (2.5.29.30), 1.2.3.4`), and what follows from
/// them; `None` when there are none.
pub(crate) fn unprocessed_critical(cert: &Certificate) -> Option<String> {
    let oids = cert.unprocessed_critical_extensions();
    if oids.is_empty() {
        return None;
    }
    let listed: Vec<String> = oids
        .iter()
        .map(|oid| match crate::model::extension_name(oid) {
            Some(name) => format!("{name} ({oid})"),
            None => oid.clone(),
        })
        .collect();
    // Servers that process a standard extension may accept it; one nobody
    // knows, they refuse (OpenSSL: "unhandled critical extension").
    let consequence = if oids.iter().all(|oid| crate::model::extension_name(oid).is_some()) {
        "without processing it the path cannot be confirmed (RFC 5280 4.2: a validator MUST reject a certificate \
         with a critical extension it cannot process)"
    } else {
        "RFC 5280 4.2: a validator MUST reject a certificate with a critical extension it does not recognise, and \
         TLS servers (OpenSSL, rustls) refuse it"
    };
    let count = match oids.len() {
        1 => "a critical extension".to_owned(),
        n => format!("{n} critical extensions"),
    };
    Some(format!(
        "it has {count} that certbundle does not process: {}; {consequence}",
        listed.join(", ")
    ))
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

/// The checks of a request validated alone (a CSR and no certificate,
/// before it is uploaded); every other check is skipped then.
const REQUEST_RUNS: [(CheckId, CheckFn); 3] = [
    (CheckId::CsrMatch, csr_match::run_request),
    (CheckId::CryptoStrength, crypto_strength::run_request),
    (CheckId::DnProfile, dn_profile::run_request),
];

/// Runs every check; returns the statuses and the findings in check order.
pub(crate) fn run_all(ctx: &Context<'_>) -> (CheckStatuses, Vec<Finding>) {
    let mut statuses = CheckStatuses::all(Status::Skip);
    let mut findings = Vec::new();
    let runs: &[(CheckId, CheckFn)] = if is_request_alone(ctx.pool) {
        &REQUEST_RUNS
    } else {
        &RUNS
    };
    for &(id, run) in runs {
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

    /// Every offline check id has its function, in the contract's order;
    /// the `tls.*` checks come from a connection attempt instead.
    #[test]
    fn every_check_runs_once_in_order() {
        let ids: Vec<CheckId> = RUNS.iter().map(|(id, _)| *id).collect();
        let offline: Vec<CheckId> = CheckId::ALL
            .iter()
            .copied()
            .filter(|id| !id.as_str().starts_with("tls."))
            .collect();
        assert_eq!(ids, offline);
    }
}
