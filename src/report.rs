//! The one result of a validation, for programs (serde JSON) and people
//! ([`Report::to_text`]). Nothing secret ever enters it.
//!
//! Its parts: each check's [`Status`] by [`CheckId`], the [`Finding`]s
//! (with their [`Severity`] and [`Fix`]), and summaries of what was
//! validated ([`CertSummary`], [`ChainEntry`], [`KeySummary`],
//! [`RequestSummary`]).

mod text;

use std::borrow::Cow;
use std::io;

use serde::{Serialize, Serializer};

use crate::chain::{Chain, InputOrder, LeafReason, Role};
use crate::connection::Connection;
use crate::error::Error;
use crate::model::{
    Certificate, InputSummary, KeyAlgorithm, Name, Pool, PrivateKey, SignatureAlgorithm, Source,
};
use crate::profile::Profile;
use crate::timestamp::Time;

pub use crate::finding::{CheckId, CheckStatuses, Finding, Fix, Severity, Status};

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Verdict {
    /// No finding of severity error (exit code 0).
    Valid,
    /// At least one check failed (exit code 1).
    Invalid,
    /// The input could not be read (exit code 2).
    Error,
}

impl Verdict {
    /// The process exit code the contract gives this verdict.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::Error => 2,
        }
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Error => "error",
        }
    }
}

/// A certificate as the report shows it.
///
/// Fields keep their model types (a report of a large pool holds one per
/// certificate); the JSON shows them as text: hex, RFC 3339, `path!entry`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CertSummary {
    /// Subject, most general attribute first.
    pub subject: Name,
    /// Issuer.
    pub issuer: Name,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// SHA-256 of the DER (lowercase hex in JSON).
    #[serde(serialize_with = "hex")]
    pub sha256: [u8; 32],
    /// notBefore (RFC 3339 in JSON).
    pub not_before: Time,
    /// notAfter (RFC 3339 in JSON).
    pub not_after: Time,
    /// Where it was found (`path` or `path!entry` in JSON).
    #[serde(serialize_with = "file_and_entry")]
    pub source: Source,
    /// The PEM block it came from (1-based), when it came from PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<usize>,
    /// Public key, e.g. `RSA-2048`, `EC P-256`.
    #[serde(serialize_with = "display")]
    pub key: KeyAlgorithm,
    /// Signature algorithm, e.g. `RSA PKCS#1 v1.5 with SHA-256`.
    #[serde(serialize_with = "display")]
    pub signature: SignatureAlgorithm,
}

impl CertSummary {
    pub(crate) fn of(cert: &Certificate) -> Self {
        CertSummary {
            subject: cert.subject().clone(),
            issuer: cert.issuer().clone(),
            serial: cert.serial_hex(),
            sha256: *cert.sha256(),
            not_before: cert.not_before(),
            not_after: cert.not_after(),
            source: cert.source().clone(),
            block: cert.source().block(),
            key: cert.public_key().algorithm().clone(),
            signature: cert.signature_algorithm().clone(),
        }
    }

    /// The SHA-256 fingerprint as lowercase hex.
    pub fn sha256_hex(&self) -> String {
        crate::digest::hex(&self.sha256)
    }
}

fn shown_as_usual(kind: &Option<ChainKind>) -> bool {
    *kind != Some(ChainKind::CaChain)
}

fn hex<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::digest::hex(bytes))
}

fn file_and_entry<S: Serializer>(source: &Source, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&source.file_and_entry())
}

fn display<T: std::fmt::Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// What the chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ChainKind {
    /// A client certificate (role `leaf`) and its CAs.
    Client,
    /// CA certificates only (the portal's "CA chain" download): no `leaf`
    /// role; the chain starts at the lowest CA of the first file given.
    CaChain,
}

/// A request validated alone (`"request"` in JSON): what it asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequestSummary {
    /// The subject it asks for.
    pub subject: Name,
    /// Its public key, e.g. `RSA-2048`.
    #[serde(serialize_with = "display")]
    pub key: KeyAlgorithm,
    /// Its signature algorithm, e.g. `RSA PKCS#1 v1.5 with SHA-256`.
    #[serde(serialize_with = "display")]
    pub signature: SignatureAlgorithm,
    /// Where it was read (`path` or `path!entry`).
    #[serde(serialize_with = "file_and_entry")]
    pub source: Source,
    /// SHA-256 of its SubjectPublicKeyInfo (lowercase hex in JSON): the key
    /// the certificate issued for it will carry.
    #[serde(serialize_with = "hex")]
    pub spki_sha256: [u8; 32],
}

impl RequestSummary {
    fn of(request: &crate::model::CertificateRequest) -> Self {
        RequestSummary {
            subject: request.subject().clone(),
            key: request.public_key().algorithm().clone(),
            signature: request.signed().algorithm.clone(),
            source: request.source().clone(),
            spki_sha256: crate::digest::fingerprint(request.public_key().spki_der()),
        }
    }
}

/// One certificate of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChainEntry {
    /// Leaf, intermediate or root.
    pub role: Role,
    /// The certificate.
    #[serde(flatten)]
    pub cert: CertSummary,
}

/// The private key matched to the leaf, as the report names it (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KeySummary {
    /// Where it was found (`path` or `path!entry` in JSON).
    #[serde(serialize_with = "file_and_entry")]
    pub source: Source,
    /// The PEM block it came from (1-based); `null` when it was not PEM.
    pub block: Option<usize>,
    /// Its type and size, e.g. `RSA-2048`.
    #[serde(serialize_with = "display")]
    pub algorithm: KeyAlgorithm,
}

impl KeySummary {
    fn of(key: &PrivateKey) -> Self {
        KeySummary {
            source: key.source().clone(),
            block: key.source().block(),
            algorithm: key.algorithm().clone(),
        }
    }
}

/// Why the input could not be read (verdict `error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReportError {
    /// Machine-readable kind ([`crate::ErrorKind::as_str`]).
    pub kind: String,
    /// The full message, naming the file.
    pub message: String,
}

/// The result of validating one bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// valid, invalid or error.
    pub verdict: Verdict,
    /// The validation time (RFC 3339 in JSON).
    pub validated_at: Time,
    /// The profile applied.
    pub profile: Profile,
    /// Every input with its format and (for zips) entries.
    pub inputs: Vec<InputSummary>,
    /// The chain, leaf first.
    pub chain: Vec<ChainEntry>,
    /// How the leaf was chosen (absent when there is no chain).
    pub leaf_selected_by: Option<LeafReason>,
    /// What the chain is: a client certificate's chain, or a CA chain alone
    /// (CA certificates only, no client certificate); `None` when there is
    /// no chain. In JSON only a CA chain shows it (`"chain_kind": "ca-chain"`):
    /// a client chain is what every other report is.
    #[serde(skip_serializing_if = "shown_as_usual")]
    pub chain_kind: Option<ChainKind>,
    /// How the input ordered the chain (absent when there is no chain).
    pub input_order: Option<InputOrder>,
    /// The private key matched to the leaf (`null` when none matched).
    pub key: Option<KeySummary>,
    /// The extra CA chains of zip downloads.
    pub extra_ca: Vec<Vec<CertSummary>>,
    /// The server CAs given apart from the bundle (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_ca: Vec<CertSummary>,
    /// Certificates that belong to no chain.
    pub unrelated: Vec<CertSummary>,
    /// Status per check id.
    pub checks: CheckStatuses,
    /// Every finding, in check order.
    pub findings: Vec<Finding>,
    /// The request, when a request was validated alone (no certificate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestSummary>,
    /// The encrypted inputs opened, and with which of the given passwords
    /// (by position, never the value).
    pub opened: Vec<crate::model::Opened>,
    /// The connection attempt, when one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
    /// Why the input could not be read (verdict `error`), or why an export
    /// failed (kind `export`; the verdict stays what validation said).
    pub error: Option<ReportError>,
    /// The files exports wrote (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<crate::export::Written>,
    /// The exports refused because the bundle is invalid (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Refused>,
}

/// An export refused because the validation failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Refused {
    /// The target that was not written.
    pub path: String,
    /// Why, in words.
    pub reason: String,
}

impl Report {
    pub(crate) fn new(
        pool: &Pool,
        chain: &Chain<'_>,
        checks: CheckStatuses,
        findings: Vec<Finding>,
        at: Time,
        profile: Profile,
    ) -> Self {
        let started = !chain.is_empty();
        Report {
            verdict: if checks.any_failed() {
                Verdict::Invalid
            } else {
                Verdict::Valid
            },
            validated_at: at,
            profile,
            inputs: pool.inputs().to_vec(),
            chain: chain
                .iter()
                .map(|placed| ChainEntry {
                    role: placed.role,
                    cert: CertSummary::of(placed.cert),
                })
                .collect(),
            leaf_selected_by: started.then_some(chain.leaf_reason()),
            chain_kind: started.then_some(match chain.leaf() {
                Some(_) => ChainKind::Client,
                None => ChainKind::CaChain,
            }),
            input_order: started.then_some(chain.input_order()),
            key: chain.key().map(KeySummary::of),
            extra_ca: pool
                .extra_ca()
                .iter()
                .map(|extra| extra.certificates().iter().map(CertSummary::of).collect())
                .collect(),
            server_ca: Vec::new(),
            unrelated: chain.unrelated().iter().map(|c| CertSummary::of(c)).collect(),
            checks,
            findings,
            request: crate::checks::is_request_alone(pool)
                .then(|| pool.requests().first().map(RequestSummary::of))
                .flatten(),
            opened: pool.opened().to_vec(),
            connection: None,
            error: None,
            written: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Adds a connection attempt: the `connection` object, the `tls.*`
    /// checks and their findings; a failed one makes the verdict invalid.
    pub fn add_connection(&mut self, connection: Connection) {
        for (id, status, finding) in connection.checks() {
            self.checks.set(id, status);
            self.findings.extend(finding);
        }
        self.connection = Some(connection);
        if self.verdict == Verdict::Valid && self.checks.any_failed() {
            self.verdict = Verdict::Invalid;
        }
    }

    /// Words every finding's fix as `wording` says, where it says anything
    /// (`None` keeps the library's words): a front end names its own options
    /// this way, e.g. "write it leaf first with `--write-chain FILE`".
    pub fn reword_fixes(&mut self, wording: impl Fn(&Fix) -> Option<Cow<'static, str>>) {
        for finding in &mut self.findings {
            if let Some(words) = finding.fix.as_ref().and_then(&wording) {
                finding.set_fix_words(&words);
            }
        }
    }

    /// The report of an input that could not be read: verdict `error`, every
    /// check skipped.
    pub fn from_error(error: &Error, at: Time, profile: Profile) -> Self {
        Report::refused(error.kind().as_str(), error.to_string(), at, profile)
    }

    /// A report of verdict `error` for a refusal of `kind` that is no input
    /// error (a front end's usage error, say): every check skipped.
    pub fn refused(kind: &str, message: String, at: Time, profile: Profile) -> Self {
        Report {
            verdict: Verdict::Error,
            validated_at: at,
            profile,
            inputs: Vec::new(),
            chain: Vec::new(),
            leaf_selected_by: None,
            chain_kind: None,
            input_order: None,
            key: None,
            extra_ca: Vec::new(),
            server_ca: Vec::new(),
            unrelated: Vec::new(),
            checks: CheckStatuses::all(Status::Skip),
            findings: Vec::new(),
            request: None,
            opened: Vec::new(),
            connection: None,
            error: Some(ReportError {
                kind: kind.to_owned(),
                message,
            }),
            written: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Records what an export wrote.
    pub fn add_written(&mut self, written: crate::export::Written) {
        self.written.push(written);
    }

    /// Records an export refused because the bundle is invalid.
    pub fn add_refused(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.refused.push(Refused {
            path: path.into(),
            reason: reason.into(),
        });
    }

    /// Records an export that failed for a reason of its own: `error` of
    /// kind `export`; the verdict stays what validation said. The first
    /// failure is kept.
    pub fn set_export_error(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(ReportError {
                kind: "export".to_owned(),
                message: message.into(),
            });
        }
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        // Serialising these plain types cannot fail; should it ever, the
        // output is still the contract's shape.
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::json!({
                "verdict": "error",
                "error": { "kind": "internal", "message": e.to_string() },
            })
            .to_string()
        })
    }

    /// The report as JSON, indented.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| self.to_json())
    }

    /// Writes the report as one line of JSON and a newline, without holding
    /// the whole text in memory (a large pool's report is as big as its input).
    ///
    /// # Errors
    /// When `out` fails.
    pub fn write_json(&self, mut out: impl io::Write) -> io::Result<()> {
        serde_json::to_writer(&mut out, self).map_err(io::Error::from)?;
        out.write_all(b"\n")
    }

    /// The report for a person: verdict, chain, findings with fixes.
    /// `color` adds ANSI colours (for a terminal).
    pub fn to_text(&self, color: bool) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = text::render(self, color, &mut out);
        out
    }

    /// Writes [`Report::to_text`] to `out` as it is rendered.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn write_text(&self, out: impl io::Write, color: bool) -> io::Result<()> {
        let mut adapter = text::IoWriter { out, result: Ok(()) };
        match text::render(self, color, &mut adapter) {
            Ok(()) => Ok(()),
            // fmt::Error carries nothing: the io error was kept aside.
            Err(_) => adapter
                .result
                .and(Err(io::Error::other("formatting the report failed"))),
        }
    }
}
