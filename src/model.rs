//! The normalised material: every certificate, key and CSR from every input,
//! whatever format it came in, with where it came from.

mod algorithm;
mod certificate;
mod critical;
mod csr;
mod key;
mod key_defect;
mod name;
mod pool;
mod source;
mod span;

pub(crate) use algorithm::rsa_modulus_bits;
pub use algorithm::{Curve, HashAlgorithm, KeyAlgorithm, PublicKey, SignatureAlgorithm};
pub use certificate::{BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage};
pub(crate) use critical::extension_name;
pub use csr::CertificateRequest;
pub use key::{KeyEncoding, PrivateKey};
pub use key_defect::KeyDefect;
pub use name::Name;
pub(crate) use name::NameTable;
pub use pool::{EntrySummary, ExtraCaChain, InputSummary, Opened, Pool};
pub use source::{Format, Source};
