//! The pool: everything decoded from every input, merged.

use serde::Serialize;

use super::certificate::Certificate;
use super::csr::CertificateRequest;
use super::key::PrivateKey;
use super::source::{Format, Source};

/// All material from all inputs: certificates with provenance, keys, CSRs,
/// and the extra CA chains of zip downloads, kept apart.
#[derive(Debug, Default)]
pub struct Pool {
    pub(crate) certificates: Vec<Certificate>,
    pub(crate) keys: Vec<PrivateKey>,
    pub(crate) requests: Vec<CertificateRequest>,
    pub(crate) extra_ca: Vec<ExtraCaChain>,
    pub(crate) inputs: Vec<InputSummary>,
    pub(crate) opened: Vec<Opened>,
}

/// An encrypted input (or zip entry, or keystore) that was opened, and with
/// which of the given passwords: never the password itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opened {
    /// The input, `path` or `path!entry`.
    pub path: String,
    /// Which of the given passwords opened it, 1-based in the order given.
    pub password: usize,
}

/// An extra CA chain: the CA certificates of a zip entry other than the one
/// holding the end-entity certificate (the server's CA chain of a mutual-TLS
/// download, for the trust store).
#[derive(Debug, Clone)]
pub struct ExtraCaChain {
    pub(crate) source: Source,
    pub(crate) certificates: Vec<Certificate>,
}

impl ExtraCaChain {
    /// The zip entry it came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Its certificates, in file order.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }
}

/// One input as read: its path, its format, and for archives its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    pub(crate) path: String,
    pub(crate) format: Format,
    pub(crate) entries: Vec<EntrySummary>,
}

impl InputSummary {
    /// The input's path (or name).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The format sniffed from its bytes.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The entries of a zip archive (nested ones as `inner.zip!name`).
    pub fn entries(&self) -> &[EntrySummary] {
        &self.entries
    }
}

/// One zip entry and the format sniffed from its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntrySummary {
    pub(crate) name: String,
    pub(crate) format: Format,
}

impl EntrySummary {
    /// The entry's name inside the archive.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its format.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl Pool {
    /// An empty pool.
    pub fn new() -> Self {
        Pool::default()
    }

    /// Every certificate, in input order (extra CA chains excluded).
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// Every private key.
    pub fn keys(&self) -> &[PrivateKey] {
        &self.keys
    }

    /// Every certificate request.
    pub fn requests(&self) -> &[CertificateRequest] {
        &self.requests
    }

    /// The extra CA chains of zip downloads.
    pub fn extra_ca(&self) -> &[ExtraCaChain] {
        &self.extra_ca
    }

    /// The encrypted inputs opened, with which of the given passwords.
    pub fn opened(&self) -> &[Opened] {
        &self.opened
    }

    /// The inputs read into the pool, with formats and entries.
    pub fn inputs(&self) -> &[InputSummary] {
        &self.inputs
    }

    /// Moves everything of `other` into this pool, after what is already here.
    pub fn merge(&mut self, other: Pool) {
        append(&mut self.certificates, other.certificates);
        append(&mut self.keys, other.keys);
        append(&mut self.requests, other.requests);
        append(&mut self.extra_ca, other.extra_ca);
        append(&mut self.inputs, other.inputs);
        append(&mut self.opened, other.opened);
    }

    /// Reserves room for `additional` more certificates.
    pub(crate) fn reserve_certificates(&mut self, additional: usize) {
        self.certificates.reserve(additional);
    }

    /// Total number of certificates, extra CA chains included.
    pub(crate) fn certificate_count(&self) -> usize {
        self.certificates.len() + self.extra_ca.iter().map(|c| c.certificates.len()).sum::<usize>()
    }
}

/// `to.append(from)`, but an empty `to` takes `from`'s buffer: merging one
/// large input must not hold two copies of its certificates at once.
fn append<T>(to: &mut Vec<T>, mut from: Vec<T>) {
    if to.is_empty() {
        *to = from;
    } else {
        to.append(&mut from);
    }
}
