//! The findings vocabulary, below both the checks that produce findings and
//! the report that shows them: check ids, statuses, severities, findings and
//! their typed fixes.

mod fix;

use std::fmt;
use std::ops::Index;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

pub use fix::Fix;

/// Declares [`CheckId`] from one table: variant, contract id, what passing means.
macro_rules! check_ids {
    ($($variant:ident = $id:literal, $description:literal;)*) => {
        /// The stable id of a check (the keys of the report's `checks` object).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CheckId {
            $(#[doc = concat!("`", $id, "`: ", $description, ".")] $variant,)*
        }

        impl CheckId {
            /// Every check, in the order they run and are reported.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant,)*];

            /// The id as the contract spells it (`chain.links`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(CheckId::$variant => $id,)*
                }
            }

            /// What passing means, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(CheckId::$variant => $description,)*
                }
            }
        }
    };
}

check_ids! {
    ChainLinks = "chain.links", "each certificate is issued by the next: names, key ids and signatures link";
    ChainOrder = "chain.order", "the input lists the chain leaf first";
    ChainComplete = "chain.complete", "the chain ends in a self-signed root that is present";
    KeyMatch = "key.match", "the private key belongs to the leaf certificate";
    CsrMatch = "csr.match", "the certificate request is the leaf's and its signature verifies";
    Validity = "validity", "every certificate is inside its validity window";
    CaConstraints = "ca.constraints", "every issuer is a CA allowed to sign certificates; path lengths hold";
    LeafUsage = "leaf.usage", "the leaf may authenticate a TLS client";
    CryptoStrength = "crypto.strength", "RSA keys of 2048 bits or more; no MD5 or SHA-1 signatures below the root";
    BundleExtra = "bundle.extra", "no duplicate certificates and none unrelated to the chain";
    DnProfile = "dn.profile", "the subject follows the profile's rules";
    TlsHandshake = "tls.handshake", "the handshake completed and the server accepted what was presented";
    TlsServerTrust = "tls.server-trust", "the server's chain ends at a trusted server CA and names the server";
    TlsClientCa = "tls.client-ca", "the server accepts client certificates under the chain sent";
}

impl CheckId {
    /// The check with this id.
    pub fn from_id(id: &str) -> Option<CheckId> {
        CheckId::ALL.iter().copied().find(|c| c.as_str() == id)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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

    /// The status of a check that produced `findings`: fail with an error,
    /// warn with a warning, pass otherwise.
    pub(crate) fn of(findings: &[Finding]) -> Status {
        if findings.iter().any(|f| f.severity == Severity::Error) {
            Status::Fail
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            Status::Warn
        } else {
            Status::Pass
        }
    }
}

/// The status of every check, keyed by [`CheckId`]; in JSON an object
/// keyed by the ids, in alphabetical order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckStatuses(Vec<(CheckId, Status)>);

impl CheckStatuses {
    /// Every check at `status`.
    pub(crate) fn all(status: Status) -> Self {
        CheckStatuses(CheckId::ALL.iter().map(|&id| (id, status)).collect())
    }

    /// Sets the status of `id`.
    pub(crate) fn set(&mut self, id: CheckId, status: Status) {
        match self.0.iter_mut().find(|(i, _)| *i == id) {
            Some(entry) => entry.1 = status,
            None => self.0.push((id, status)),
        }
    }

    /// The status of `id` (`Skip` for a check that did not run).
    pub fn get(&self, id: CheckId) -> Status {
        self.0
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(Status::Skip, |(_, s)| *s)
    }

    /// Every check with its status, in run order.
    pub fn iter(&self) -> impl Iterator<Item = (CheckId, Status)> + '_ {
        self.into_iter()
    }

    /// Whether any check failed.
    pub fn any_failed(&self) -> bool {
        self.0.iter().any(|(_, s)| *s == Status::Fail)
    }
}

impl Index<CheckId> for CheckStatuses {
    type Output = Status;

    fn index(&self, id: CheckId) -> &Status {
        self.0
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(&Status::Skip, |(_, s)| s)
    }
}

/// By id as the contract spells it: `report.checks["key.match"]`.
///
/// # Panics
/// For a string that is no check id (a caller's mistake, as with a map's
/// `Index`).
impl Index<&str> for CheckStatuses {
    type Output = Status;

    #[allow(clippy::panic)]
    fn index(&self, id: &str) -> &Status {
        match CheckId::from_id(id) {
            Some(id) => &self[id],
            None => panic!("no check has the id {id:?}"),
        }
    }
}

impl<'a> IntoIterator for &'a CheckStatuses {
    type Item = (CheckId, Status);
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, (CheckId, Status)>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

impl Serialize for CheckStatuses {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<&(CheckId, Status)> = self.0.iter().collect();
        sorted.sort_by_key(|(id, _)| id.as_str());
        let mut map = s.serialize_map(Some(sorted.len()))?;
        for (id, status) in sorted {
            map.serialize_entry(id.as_str(), status)?;
        }
        map.end()
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

/// One thing a check found: what is wrong, naming the certificate, and the
/// fix where one exists.
///
/// The fix is typed ([`Fix`]); the message words it in the library's terms
/// ([`Fix::text`]) unless a front end rewords it for its own users
/// ([`crate::Report::reword_fixes`]), e.g. to name its command-line options.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The check that found it.
    pub check: CheckId,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, naming the certificate, then `: ` and the fix in words.
    pub message: String,
    /// What to do about it.
    pub fix: Option<Fix>,
    /// Index into the report's chain of the certificate concerned.
    pub cert: Option<usize>,
    /// Where the problem ends in `message` (the fix's words follow).
    problem_len: usize,
}

impl Finding {
    /// A finding of `check` about the chain certificate at `cert`.
    pub(crate) fn new(
        check: CheckId,
        severity: Severity,
        cert: Option<usize>,
        problem: String,
        fix: Option<Fix>,
    ) -> Self {
        let mut finding = Finding {
            check,
            severity,
            problem_len: problem.len(),
            message: problem,
            fix: None,
            cert,
        };
        if let Some(fix) = fix {
            let words = fix.text();
            finding.set_fix_words(&words);
            finding.fix = Some(fix);
        }
        finding
    }

    /// What is wrong, without the fix.
    pub fn problem(&self) -> &str {
        self.message.get(..self.problem_len).unwrap_or(&self.message)
    }

    /// The fix in words (the library's, or a front end's), when there is one.
    pub fn fix_text(&self) -> Option<&str> {
        self.fix.as_ref()?;
        self.message.get(self.problem_len..)?.strip_prefix(": ")
    }

    /// Words the fix as `words`.
    pub(crate) fn set_fix_words(&mut self, words: &str) {
        self.message.truncate(self.problem_len);
        self.message.push_str(": ");
        self.message.push_str(words);
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fix = self.fix_text();
        let mut out = s.serialize_struct("Finding", if fix.is_some() { 5 } else { 4 })?;
        out.serialize_field("check", &self.check)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("message", &self.message)?;
        if let Some(fix) = fix {
            out.serialize_field("fix", fix)?;
        }
        out.serialize_field("cert", &self.cert)?;
        out.end()
    }
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
                "dn.profile",
                "tls.handshake",
                "tls.server-trust",
                "tls.client-ca"
            ]
        );
        for &id in CheckId::ALL {
            assert_eq!(CheckId::from_id(id.as_str()), Some(id));
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
    }

    #[test]
    fn statuses_serialise_keyed_by_id_in_alphabetical_order() {
        let mut statuses = CheckStatuses::all(Status::Pass);
        statuses.set(CheckId::KeyMatch, Status::Skip);
        let json = serde_json::to_string(&statuses).unwrap();
        assert!(
            json.starts_with(r#"{"bundle.extra":"pass","ca.constraints":"pass","chain.complete""#),
            "{json}"
        );
        assert!(json.contains(r#""key.match":"skip""#), "{json}");
        assert_eq!(statuses[CheckId::KeyMatch], Status::Skip);
    }

    #[test]
    fn a_reworded_fix_replaces_the_library_words_in_message_and_fix() {
        let mut finding = Finding::new(
            CheckId::ChainOrder,
            Severity::Warning,
            None,
            "the input lists the chain root first".to_owned(),
            Some(Fix::WriteChainLeafFirst),
        );
        assert_eq!(
            finding.message,
            format!(
                "the input lists the chain root first: {}",
                Fix::WriteChainLeafFirst.text()
            )
        );
        finding.set_fix_words("write it with --write-chain FILE");
        assert_eq!(finding.problem(), "the input lists the chain root first");
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(
            json["message"],
            "the input lists the chain root first: write it with --write-chain FILE"
        );
        assert_eq!(json["fix"], "write it with --write-chain FILE");
    }
}
