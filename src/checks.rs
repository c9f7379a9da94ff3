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

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::chain::Chain;
use crate::model::{Certificate, Pool};

/// The stable id of a check (the keys of the report's `checks` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum CheckId {
    /// `chain.links`: each certificate is issued by the next; signatures verify.
    #[serde(rename = "chain.links")]
    ChainLinks,
    /// `chain.order`: the input listed the chain leaf first.
    #[serde(rename = "chain.order")]
    ChainOrder,
    /// `chain.complete`: the chain ends in a present, self-signed root.
    #[serde(rename = "chain.complete")]
    ChainComplete,
    /// `key.match`: the private key belongs to the leaf.
    #[serde(rename = "key.match")]
    KeyMatch,
    /// `csr.match`: the CSR is the leaf's, and its signature verifies.
    #[serde(rename = "csr.match")]
    CsrMatch,
    /// `validity`: every certificate is inside its validity window.
    #[serde(rename = "validity")]
    Validity,
    /// `ca.constraints`: issuers are CAs that may sign certificates; path lengths hold.
    #[serde(rename = "ca.constraints")]
    CaConstraints,
    /// `leaf.usage`: the leaf can authenticate a TLS client.
    #[serde(rename = "leaf.usage")]
    LeafUsage,
    /// `crypto.strength`: RSA >= 2048 bits, no MD5/SHA-1 signatures below the root.
    #[serde(rename = "crypto.strength")]
    CryptoStrength,
    /// `bundle.extra`: no duplicate or unrelated certificates.
    #[serde(rename = "bundle.extra")]
    BundleExtra,
    /// `dn.profile`: the profile's subject rules hold.
    #[serde(rename = "dn.profile")]
    DnProfile,
}

impl CheckId {
    /// Every check, in the order they run and are reported.
    pub const ALL: [CheckId; 11] = [
        CheckId::ChainLinks,
        CheckId::ChainOrder,
        CheckId::ChainComplete,
        CheckId::KeyMatch,
        CheckId::CsrMatch,
        CheckId::Validity,
        CheckId::CaConstraints,
        CheckId::LeafUsage,
        CheckId::CryptoStrength,
        CheckId::BundleExtra,
        CheckId::DnProfile,
    ];

    /// The id as the contract spells it (`chain.links`).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::ChainLinks => "chain.links",
            CheckId::ChainOrder => "chain.order",
            CheckId::ChainComplete => "chain.complete",
            CheckId::KeyMatch => "key.match",
            CheckId::CsrMatch => "csr.match",
            CheckId::Validity => "validity",
            CheckId::CaConstraints => "ca.constraints",
            CheckId::LeafUsage => "leaf.usage",
            CheckId::CryptoStrength => "crypto.strength",
            CheckId::BundleExtra => "bundle.extra",
            CheckId::DnProfile => "dn.profile",
        }
    }

    /// What passing means, in one line.
    pub fn description(self) -> &'static str {
        match self {
            CheckId::ChainLinks => {
                "each certificate is issued by the next: names, key ids and signatures link"
            }
            CheckId::ChainOrder => "the input lists the chain leaf first",
            CheckId::ChainComplete => "the chain ends in a self-signed root that is present",
            CheckId::KeyMatch => "the private key belongs to the leaf certificate",
            CheckId::CsrMatch => "the certificate request is the leaf's and its signature verifies",
            CheckId::Validity => "every certificate is inside its validity window",
            CheckId::CaConstraints => "every issuer is a CA allowed to sign certificates; path lengths hold",
            CheckId::LeafUsage => "the leaf may authenticate a TLS client",
            CheckId::CryptoStrength => {
                "RSA keys of 2048 bits or more; no MD5 or SHA-1 signatures below the root"
            }
            CheckId::BundleExtra => "no duplicate certificates and none unrelated to the chain",
            CheckId::DnProfile => "the subject follows the profile's rules",
        }
    }

    /// The check with this id.
    pub fn from_id(id: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// Holds.
    Pass,
    /// Holds with a warning.
    Warn,
    /// Does not hold.
    Fail,
    /// Does not apply (no key given, generic profile, ...).
    Skip,
}

impl Status {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The bundle will not work (exit code 1).
    Error,
    /// It works, but something should be fixed.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which rules the portal adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Profile {
    /// Only the generic checks.
    #[default]
    Generic,
    /// The key-management portal's test environment: CN `MTF XBS`, RSA >= 2048.
    KmpMtf,
    /// The key-management portal's production: CN `PROD XBS`, RSA >= 2048.
    KmpProd,
}

impl Profile {
    /// The profile's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::KmpMtf => "kmp-mtf",
            Profile::KmpProd => "kmp-prod",
        }
    }

    /// The profile named `name`.
    pub fn from_name(name: &str) -> Option<Profile> {
        [Profile::Generic, Profile::KmpMtf, Profile::KmpProd]
            .into_iter()
            .find(|p| p.as_str() == name)
    }

    /// Whether the portal's rules apply.
    pub fn is_portal(self) -> bool {
        !matches!(self, Profile::Generic)
    }
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The check that found it.
    pub check: CheckId,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, naming the certificate, and the fix where one exists.
    pub message: String,
    /// The fix alone, when one exists (also part of `message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Cow<'static, str>>,
    /// Index into the report's chain of the certificate concerned.
    pub cert: Option<usize>,
}

impl Finding {
    fn new(
        check: CheckId,
        severity: Severity,
        cert: Option<usize>,
        problem: String,
        fix: Option<&'static str>,
    ) -> Self {
        Self::with_fix(check, severity, cert, problem, fix.map(Cow::Borrowed))
    }

    /// A finding whose fix is made for the case (most are fixed texts, kept
    /// unallocated: a large pool has a finding per stray certificate).
    fn with_fix(
        check: CheckId,
        severity: Severity,
        cert: Option<usize>,
        problem: String,
        fix: Option<Cow<'static, str>>,
    ) -> Self {
        let message = match &fix {
            Some(fix) => format!("{problem}: {fix}"),
            None => problem,
        };
        Finding {
            check,
            severity,
            message,
            fix,
            cert,
        }
    }
}

/// What every check reads.
pub(crate) struct Context<'a> {
    pub(crate) pool: &'a Pool,
    pub(crate) chain: &'a Chain,
    /// Validation time, seconds since the Unix epoch.
    pub(crate) at: i64,
    pub(crate) profile: Profile,
    /// The roots the peer trusts; empty when none were given.
    pub(crate) anchors: &'a [Certificate],
}

impl<'a> Context<'a> {
    /// The certificate at chain position `pos` (0 = leaf).
    pub(crate) fn at_position(&self, pos: usize) -> Option<&'a Certificate> {
        self.chain
            .path
            .get(pos)
            .and_then(|&i| self.pool.certificates().get(i))
    }

    /// The chain's certificates with their positions, leaf first.
    pub(crate) fn chain_certs(&self) -> impl Iterator<Item = (usize, &'a Certificate)> + '_ {
        (0..self.chain.path.len()).filter_map(|pos| self.at_position(pos).map(|c| (pos, c)))
    }

    pub(crate) fn leaf(&self) -> Option<&'a Certificate> {
        self.at_position(0)
    }

    /// "the leaf", "intermediate", "the root": how messages name a position.
    pub(crate) fn role(&self, pos: usize) -> &'static str {
        let last = self.chain.path.len().saturating_sub(1);
        let rooted = matches!(self.chain.end, crate::chain::End::Root { .. });
        match pos {
            0 => "leaf",
            p if p == last && rooted => "root",
            _ => "intermediate",
        }
    }
}

/// A certificate as messages name it: its subject in backquotes.
pub(crate) fn named(cert: &Certificate) -> String {
    format!("`{}`", cert.subject())
}

/// A check: its findings, or `None` when it does not apply.
type CheckFn = fn(&Context<'_>) -> Option<Vec<Finding>>;

/// Runs every check; returns the statuses in [`CheckId::ALL`] order and the findings.
pub(crate) fn run_all(ctx: &Context<'_>) -> (Vec<(CheckId, Status)>, Vec<Finding>) {
    let runs: [(CheckId, CheckFn); 11] = [
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
    let mut statuses = Vec::with_capacity(runs.len());
    let mut findings = Vec::new();
    for (id, run) in runs {
        let status = match run(ctx) {
            None => Status::Skip,
            Some(found) => {
                let status = if found.iter().any(|f| f.severity == Severity::Error) {
                    Status::Fail
                } else if found.iter().any(|f| f.severity == Severity::Warning) {
                    Status::Warn
                } else {
                    Status::Pass
                };
                findings.extend(found);
                status
            }
        };
        statuses.push((id, status));
    }
    (statuses, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids are exactly those of `cli-contract.md`, unique, and round-trip.
    #[test]
    fn check_ids_match_the_contract() {
        let ids: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            ids,
            [
                "chain.links",
                "chain.order",
                "chain.complete",
                "key.match",
                "csr.match",
                "validity",
                "ca.constraints",
                "leaf.usage",
                "crypto.strength",
                "bundle.extra",
                "dn.profile"
            ]
        );
        for id in CheckId::ALL {
            assert_eq!(CheckId::from_id(id.as_str()), Some(id));
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
    }
}
