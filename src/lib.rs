//! certbundle: decode every form a mutual-TLS client certificate arrives in,
//! build its chain, and say whether it will work, and if not, why and how to
//! fix it.
#![forbid(unsafe_code)]

mod asn1;
mod chain;
mod checks;
mod decode;
mod error;
pub mod export;
mod input;
mod model;
mod report;
mod timestamp;
#[cfg(feature = "rustls")]
mod tls;
mod validate;
mod verify;

pub use chain::{InputOrder, LeafReason};
pub use checks::{CheckId, Finding, Profile, Severity, Status};
pub use decode::decode;
pub use error::{Error, ErrorKind};
pub use input::{Input, Limits, Password};
pub use model::{
    BasicConstraints, Certificate, CertificateRequest, Curve, EntrySummary, ExtendedKeyUsage, ExtraCaChain,
    Format, HashAlgorithm, InputSummary, KeyAlgorithm, KeyEncoding, KeyUsage, Name, Pool, PrivateKey,
    PublicKey, SignatureAlgorithm, Source,
};
pub use report::{CertSummary, ChainEntry, Report, ReportError, Role, Verdict};
pub use timestamp::parse_rfc3339;
#[cfg(feature = "rustls")]
pub use tls::TlsError;
pub use validate::{load, load_paths, validate, validate_each, validate_paths, Options, Validation};

/// SHA-256 of `bytes`.
pub(crate) fn fingerprint(bytes: &[u8]) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
