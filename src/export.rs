//! Writing a validated bundle back out, for the software that will use it:
//! the chain (PEM, leaf first), the identity (key + chain) as PKCS#12, JKS
//! or PEM, the key as PKCS#8 PEM, a trust store of the server side, one
//! keystore holding both, an update of an existing trust store, and the
//! files a given consumer (Java 8, Java 17, .NET, Node, Python, curl, Go)
//! needs ([`write_for`]).
//!
//! Every export returns a [`Written`] that says what it wrote, and names its
//! file in every error. Every file is written atomically (a temporary file
//! beside it, created `O_CREAT|O_EXCL|O_NOFOLLOW`, then a link or rename): a
//! failure leaves no partial file and a symlink at the target is never
//! followed. An existing file is refused unless
//! [`ExportOptions::replace_existing`] is set; [`add_to_truststore`] updates
//! its store in place. Files that hold a key are `0600` from creation on
//! Unix. Plaintext key bytes and PEM text live only in zeroizing buffers.
//!
//! The trust store holds the **server side** only
//! ([`Validation::server_side`]): the client's own root is never put there in
//! silence. An invalid validation (a failing `chain.order` aside, which every
//! export repairs by writing leaf first) is refused unless the caller
//! accepted it explicitly ([`Validation::accept_invalid`]).

mod encode;
mod identity;
mod jks;
mod preset;
mod reread;
mod truststore;
mod written;

use std::path::{Path, PathBuf};

use crate::atomic_write::{self, Existing, WriteError, WriteOptions};
use crate::finding::CheckId;
use crate::input::Password;
use crate::model::Certificate;
use crate::validate::Validation;

pub(crate) use encode::key_pem;
pub use identity::{write_chain, write_key, write_keystore, write_pkcs12};
pub use preset::{write_for, Consumer};
pub use truststore::{add_to_truststore, write_truststore};
pub use written::{Encryption, StoreFormat, Written, WrittenKind};

/// PBKDF2-HMAC-SHA256 iterations for an encrypted PKCS#8 key: OWASP's current
/// recommendation for PBKDF2-HMAC-SHA256 (and the pkcs5 crate's default).
/// The key is exported once and read rarely, so the 0.1 to 0.3 s it costs a
/// reader is well spent against offline guessing; it stays under certbundle's
/// own default ceiling (`Limits::max_kdf_iterations`, 1,000,000), so the
/// library re-reads what it writes.
pub const KEY_PBKDF2_ITERATIONS: u32 = 600_000;

/// How a PKCS#12 file is encrypted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pkcs12Encryption {
    /// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) with an HMAC-SHA256 MAC: what
    /// OpenSSL 3 and Java 17+ write and read.
    #[default]
    Modern,
    /// PBE-SHA1-3DES with an HMAC-SHA1 MAC, for old readers (Java 8 before
    /// 8u301, OpenSSL 1.0, Windows before Server 2019). Read back with
    /// `openssl pkcs12 -legacy` on OpenSSL 3.
    Legacy,
}

/// The format of a store file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreType {
    /// PKCS#12 / PFX.
    Pkcs12,
    /// Java's JKS (what Java 8's `KeyStore.getInstance("JKS")` reads).
    Jks,
    /// PEM text.
    Pem,
}

impl StoreType {
    /// The type a file name says: `.pem` and `.crt` PEM, `.jks` JKS,
    /// anything else PKCS#12 (case is ignored).
    pub fn from_path(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pem" | "crt") => StoreType::Pem,
            Some("jks") => StoreType::Jks,
            _ => StoreType::Pkcs12,
        }
    }
}

/// What to export with: a value with builder-style setters.
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Password for the exported stores and the exported key (and the one
    /// that opens a store [`add_to_truststore`] updates).
    pub password: Option<Password>,
    /// PKCS#12 encryption.
    pub encryption: Pkcs12Encryption,
    /// Replace a file that exists at the target (default: refuse it with
    /// [`ExportError::Exists`] and leave it unchanged).
    pub replace_existing: bool,
    /// The alias (friendlyName) of the key entry; default: the leaf's common
    /// name, lowercased (or `client`).
    pub alias: Option<String>,
    /// The store format; default from the file name ([`StoreType::from_path`]).
    pub store_type: Option<StoreType>,
    /// Write the key unencrypted (for readers that take no passphrase).
    /// Without it, a key export with no password is refused.
    pub unencrypted_key: bool,
}

impl ExportOptions {
    /// With this password.
    #[must_use]
    pub fn with_password(mut self, password: Password) -> Self {
        self.password = Some(password);
        self
    }

    /// With this PKCS#12 encryption.
    #[must_use]
    pub fn with_encryption(mut self, encryption: Pkcs12Encryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Replacing existing files.
    #[must_use]
    pub fn replacing(mut self) -> Self {
        self.replace_existing = true;
        self
    }

    /// With this key entry alias.
    #[must_use]
    pub fn with_alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// With this store type, whatever the file name says.
    #[must_use]
    pub fn with_store_type(mut self, store_type: StoreType) -> Self {
        self.store_type = Some(store_type);
        self
    }

    /// Writing the key unencrypted.
    #[must_use]
    pub fn with_unencrypted_key(mut self) -> Self {
        self.unencrypted_key = true;
        self
    }

    /// The store type for `file`.
    fn store_type_for(&self, file: &Path) -> StoreType {
        self.store_type.unwrap_or_else(|| StoreType::from_path(file))
    }
}

/// Why an export failed; every message names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The validation failed: nothing is exported from an invalid bundle.
    #[error(
        "{}: not written: the bundle is invalid ({}); fix it first, or accept it explicitly \
         (Validation::accept_invalid) to export it anyway",
        file.display(),
        failing.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
    )]
    Invalid {
        /// The file that was to be written.
        file: PathBuf,
        /// The checks that failed.
        failing: Vec<CheckId>,
    },
    /// The chain is empty: there is no certificate to export.
    #[error("{}: nothing to export: the inputs hold no certificate", file.display())]
    NoCertificate {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// No private key in the inputs belongs to the leaf.
    #[error(
        "{}: no private key matches the leaf certificate: give the leaf's key file, \
         or a PKCS#12 file that holds it",
        file.display()
    )]
    NoKey {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// No server side to put in a trust store.
    #[error(
        "{}: no server CA to trust: give the server's CA certificate or the zip download that carries it \
         (the client's own root is not the server's)",
        file.display()
    )]
    NoServerSide {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// A store or an encrypted key needs a password and none was given.
    #[error(
        "{}: {what} needs a password: give an export password (or the input password){}",
        file.display(),
        if *what == "an encrypted key" { ", or ask for an unencrypted key" } else { "" }
    )]
    PasswordRequired {
        /// The file that was to be written.
        file: PathBuf,
        /// What needs it.
        what: &'static str,
    },
    /// The store type cannot hold what is asked.
    #[error("{}: {reason}", file.display())]
    Unsupported {
        /// The file that was to be written.
        file: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// The existing store could not be opened or read; it was left unchanged.
    #[error("{}: cannot update the trust store: {detail}; it was left unchanged", file.display())]
    Store {
        /// The store.
        file: PathBuf,
        /// What went wrong (never key material).
        detail: String,
    },
    /// Encoding or encryption failed.
    #[error("{}: cannot encode {what}: {detail}", file.display())]
    Encode {
        /// The file that was to be written.
        file: PathBuf,
        /// What was being encoded.
        what: &'static str,
        /// The encoder's message (never key material).
        detail: String,
    },
    /// What was written does not read back as its consumer would read it.
    #[error("{}: written, but it does not read back as {consumer} reads it: {detail}", file.display())]
    Reread {
        /// The file written.
        file: PathBuf,
        /// The consumer whose rules it failed.
        consumer: &'static str,
        /// What did not hold.
        detail: String,
    },
    /// A file exists at the target and replacing it was not asked for.
    #[error("{}: the file exists and was left unchanged", file.display())]
    Exists {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// The folder the files were to go into could not be made, or is not a
    /// folder; nothing was written.
    #[error("{}: cannot use it as the folder to write into: {source}", file.display())]
    Folder {
        /// The folder.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file could not be written; nothing was left at the target.
    #[error("{}: cannot write file: {source}", file.display())]
    Io {
        /// The file that was to be written.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ExportError {
    /// The file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            ExportError::Invalid { file, .. }
            | ExportError::NoCertificate { file }
            | ExportError::NoKey { file }
            | ExportError::NoServerSide { file }
            | ExportError::PasswordRequired { file, .. }
            | ExportError::Unsupported { file, .. }
            | ExportError::Store { file, .. }
            | ExportError::Encode { file, .. }
            | ExportError::Reread { file, .. }
            | ExportError::Exists { file }
            | ExportError::Folder { file, .. }
            | ExportError::Io { file, .. } => file,
        }
    }

    /// Whether the export was refused because the validation failed (as
    /// opposed to a reason of the export's own).
    pub fn is_invalid_bundle(&self) -> bool {
        matches!(self, ExportError::Invalid { .. })
    }
}

/// Refuses an invalid validation unless the caller accepted it explicitly
/// ([`Validation::accept_invalid`]); a failing `chain.order` alone never
/// refuses (every export writes the chain leaf first).
fn check_valid(validation: &Validation<'_>, file: &Path) -> Result<(), ExportError> {
    validation.usable().map_err(|invalid| ExportError::Invalid {
        file: file.into(),
        failing: invalid.failing().to_vec(),
    })
}

/// `file` as a path, once [`check_valid`] lets the validation be exported.
fn valid_target<'f>(
    validation: &Validation<'_>,
    file: &'f impl AsRef<Path>,
) -> Result<&'f Path, ExportError> {
    let file = file.as_ref();
    check_valid(validation, file)?;
    Ok(file)
}

/// The certificates a trust store gets: [`Validation::server_side`].
pub fn trust_anchors<'v>(validation: &'v Validation<'_>) -> Vec<&'v Certificate> {
    validation.server_side()
}

/// A keystore alias: the certificate's common name, lowercased (Java
/// lowercases aliases), or `fallback`.
fn alias(cert: &Certificate, fallback: &str) -> String {
    cert.subject()
        .common_name()
        .map(str::trim)
        .filter(|cn| !cn.is_empty())
        .unwrap_or(fallback)
        .to_lowercase()
}

/// Writes `bytes` to `file` atomically; `secret` files get mode `0600`.
fn write_file(file: &Path, bytes: &[u8], secret: bool, existing: Existing) -> Result<(), ExportError> {
    atomic_write::write_file(file, bytes, &WriteOptions { secret, existing }).map_err(|e| match e {
        WriteError::Exists(file) => ExportError::Exists { file },
        WriteError::Io { file, source } => ExportError::Io { file, source },
    })
}

/// How a new export treats an existing target.
fn new_file(options: &ExportOptions) -> Existing {
    if options.replace_existing {
        Existing::Replace
    } else {
        Existing::Refuse
    }
}

/// The export password: a store is never written unprotected.
fn required_password<'o>(
    options: &'o ExportOptions,
    file: &Path,
    what: &'static str,
) -> Result<&'o Password, ExportError> {
    options
        .password
        .as_ref()
        .ok_or_else(|| ExportError::PasswordRequired {
            file: file.into(),
            what,
        })
}
