//! certbundle: decode every form a mutual-TLS client certificate arrives in,
//! build its chain, and say whether it will work, and if not, why and how to
//! fix it.
//!
//! # The portal flow
//!
//! A portal issues a client certificate and offers it as several downloads:
//! a PEM bundle (root first or root last), PKCS#7 (`.p7b`), the bare DER
//! certificate (`.cer`) plus a chain file, a zip with the server's CA chain
//! beside it, or PKCS#12 with the key. The private key may come on its own,
//! in any of its formats. certbundle reads them all into one [`model::Pool`] (the
//! format is sniffed from the bytes, never the file name), builds the chain
//! leaf first, runs the checks, and hands the chain and key to rustls.
//!
//! ## 1. Load each download format
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use certbundle::{Options, Verdict};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/");
//! let mut options = Options::default();
//! options.at = Some("2026-12-01T00:00:00Z".parse()?);
//!
//! for download in [
//!     &["bundle-root-last.pem"][..],
//!     &["bundle-root-first.pem"],
//!     &["bundle.p7b"],
//!     &["leaf.cer", "bundle.p7b"], // the DER download plus a chain file
//!     &["mtls.zip"],
//! ] {
//!     let paths: Vec<String> = download.iter().map(|f| format!("{dir}{f}")).collect();
//!     let pool = certbundle::load_paths(&paths, &options)?;
//!     let validation = certbundle::validate(&pool, &options);
//!     // A root-first PEM fails `chain.order` (curl and OpenSSL take a PEM's
//!     // first certificate as the client's); the chain is still built leaf
//!     // first, and writing it out repairs the file.
//!     let root_first = download == ["bundle-root-first.pem"];
//!     let expected = if root_first { Verdict::Invalid } else { Verdict::Valid };
//!     assert_eq!(validation.report().verdict, expected, "{download:?}");
//!     assert!(validation.usable().is_ok(), "{download:?}");
//!     assert_eq!(validation.chain().len(), 3); // leaf, issuing CA, root
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## 2. Add the key, or open the PKCS#12
//!
//! Keys and PKCS#12 files are just more inputs; one password opens both.
//! [`Validation::key`] is the key whose public key is the leaf's.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use certbundle::report::Status;
//! use certbundle::{Options, Password};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/");
//! let mut options = Options::default();
//! options.at = Some("2026-12-01T00:00:00Z".parse()?);
//!
//! // The PEM bundle and the encrypted key `openssl req` wrote.
//! options.passwords = vec![Password::new("test1234")];
//! let pool = certbundle::load_paths(
//!     &[format!("{dir}bundle-root-last.pem"), format!("{dir}PRIVATEKEY.key")],
//!     &options,
//! )?;
//! let validation = certbundle::validate(&pool, &options);
//! assert_eq!(validation.report().checks["key.match"], Status::Pass);
//! assert!(validation.key().is_some());
//!
//! // A PKCS#12 file carries chain and key together.
//! options.passwords = vec![Password::new("changeit")];
//! let pool = certbundle::load_paths(&[format!("{dir}p12/client-openssl3.p12")], &options)?;
//! let validation = certbundle::validate(&pool, &options);
//! assert_eq!(validation.report().checks["key.match"], Status::Pass);
//! # Ok(())
//! # }
//! ```
//!
//! ## 3. Read the findings
//!
//! Every failed or warning check is a [`report::Finding`] that names the certificate
//! and, where there is one, the fix. A problem *with* the material is a
//! finding; material that cannot be read is an [`Error`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use certbundle::report::{CheckId, Severity, Status};
//! use certbundle::{Options, Verdict};
//!
//! let mut options = Options::default();
//! options.at = Some("2026-12-01T00:00:00Z".parse()?);
//! // The DER download alone: the leaf without its CA chain.
//! let leaf = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/leaf.cer");
//! let pool = certbundle::load_paths(&[leaf], &options)?;
//! let report = certbundle::validate(&pool, &options).into_report();
//!
//! assert_eq!(report.verdict, Verdict::Invalid);
//! assert_eq!(report.checks["chain.complete"], Status::Fail);
//! let finding = report
//!     .findings
//!     .iter()
//!     .find(|f| f.check == CheckId::ChainComplete && f.severity == Severity::Error)
//!     .ok_or("no chain.complete finding")?;
//! println!("{}", finding.message); // what is missing, and which download has it
//! # Ok(())
//! # }
//! ```
//!
// Only with rustls are its types there to link to.
#![cfg_attr(
    feature = "rustls",
    doc = r#"
## 4. Build a rustls client (feature `rustls`, on by default)

[`Validation::tls_chain`] is the chain as TLS sends it (leaf first, no
root), [`Validation::tls_key`] the key as PKCS#8, and
[`Validation::client_config`] a ready [`rustls::ClientConfig`] that
presents them. The server's roots come from wherever you trust them;
here, the server CA chain that came in the zip. An invalid validation
gives no configuration ([`TlsError::Invalid`] names the failing checks)
unless it is accepted explicitly with [`Validation::accept_invalid`].

```
# fn main() -> Result<(), Box<dyn std::error::Error>> {
use certbundle::Options;
use rustls::pki_types::CertificateDer;

let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/");
let mut options = Options::default();
options.at = Some("2026-12-01T00:00:00Z".parse()?);
let pool = certbundle::load_paths(
    &[format!("{dir}mtls.zip"), format!("{dir}keys/key-pkcs8.pem")],
    &options,
)?;
let validation = certbundle::validate(&pool, &options);
assert_eq!(validation.tls_chain().len(), 2); // leaf + issuing CA

let mut server_roots = rustls::RootCertStore::empty();
for chain in pool.extra_ca() {
    for ca in chain.certificates().iter().filter(|c| c.is_self_issued()) {
        server_roots.add(CertificateDer::from(ca.der().to_vec()))?;
    }
}
let config = validation.client_config(server_roots)?;
assert!(config.client_auth_cert_resolver.has_certs());
# Ok(())
# }
```

"#
)]
//! ## 5. Export
//!
//! [`export`] writes the bundle back out for other software: the chain, the
//! identity as PKCS#12 (modern or legacy encryption), JKS or PEM, the key as
//! PKCS#8 PEM, a trust store of the server side ([`Validation::server_side`]:
//! the zip's extra CA chain and [`Options::server_cas`]), one keystore with
//! both, an update of an existing trust store, and the files a consumer
//! needs ([`export::write_for`]); each returns what it wrote.
//!
//! ## Before all this: the key and the request
//!
//! [`request`] makes what the portal asks for first: an RSA key (encrypted
//! PKCS#8) and a PKCS#10 request whose subject follows the profile.
//!
//! # The API
//!
//! The crate root holds the entry points and the types every caller meets:
//! - load: [`load`] (bytes, [`Input`]), [`load_paths`] (files),
//!   [`load_bundle`] (files that must hold something to validate), and
//!   [`decode`] (one input alone, as a fuzzer or a format test wants it);
//!   each gives a [`model::Pool`] or an [`Error`] ([`ErrorKind`]).
//! - validate: [`validate`] gives a [`Validation`], which borrows the pool
//!   for its chain and key; [`report_paths`] (one bundle) and
//!   [`report_each`] (every file its own bundle) load, validate and give the
//!   [`Report`] alone, since the pool they load is gone when they return.
//! - what they take: [`Options`] ([`Limits`], [`Password`], [`Profile`],
//!   [`Time`]), and what they give: [`Report`] with its [`Verdict`];
//!   [`InvalidBundle`] (and `TlsError`, feature `rustls`) when an invalid
//!   bundle was to be used.
//! - [`harden_process`], which a tool calls before it reads a secret.
//!
//! The rest is in modules, by what it describes: [`model`] the material (a
//! certificate, key, request, name, where each came from), [`chain`] the
//! chain built from it, [`report`] the report's parts (findings, check ids,
//! fixes, summaries), and the tools [`export`], [`request`], `connect`
//! (feature `rustls`) with its result [`connection`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Input must never reach a panic: no unwrap, expect, panic or indexing in the
// library (its unit tests may; see clippy.toml).
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod asn1;
mod atomic_write;
mod batch;
pub mod chain;
mod checks;
#[cfg(feature = "rustls")]
pub mod connect;
pub mod connection;
mod decode;
mod digest;
mod error;
pub mod export;
mod finding;
mod input;
pub mod model;
mod process;
mod profile;
mod profile_rules;
pub mod report;
pub mod request;
#[cfg(test)]
mod test_support;
mod timestamp;
#[cfg(feature = "rustls")]
mod tls;
mod validate;
mod verify;

pub use batch::{report_each, report_each_streaming};
pub use decode::decode;
pub use error::{Error, ErrorKind};
pub use input::{Input, Limits, Password};
pub use process::harden_process;
pub use profile::Profile;
pub use report::{Report, Verdict};
pub use timestamp::{ParseTimeError, Time};
#[cfg(feature = "rustls")]
pub use tls::TlsError;
pub use validate::{
    load, load_bundle, load_paths, report_paths, validate, InvalidBundle, Options, Validation,
};

/// README.md's Rust blocks, compiled (`no_run`) by `cargo test --doc` so the
/// README's library use cannot drift from the API; one needs rustls.
/// tests/readme.rs runs the README's commands.
#[cfg(all(doctest, feature = "rustls"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
