//! Writing a validated bundle back out: PKCS#12 of leaf + chain + key, the key
//! as PKCS#8 PEM, and a trust store.
//!
//! Each function writes one file and names it in every error. Every file is
//! written atomically (a temporary file beside it, then a rename): a failure
//! leaves no partial file. An existing file is refused unless
//! [`ExportOptions::replace_existing`] is set. Files that hold a key are
//! created with mode `0600` on Unix. Plaintext key bytes and PEM text live
//! only in zeroizing buffers.

mod jks;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use p12_keystore::{EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKeyChain};
use pkcs8::der::pem::LineEnding;
use pkcs8::pkcs5::pbes2;
use pkcs8::{PrivateKeyInfoRef, SecretDocument};
use zeroize::Zeroizing;

use crate::atomic_write::{self, Existing, WriteError, WriteOptions};
use crate::input::Password;
use crate::model::Certificate;
use crate::validate::Validation;

/// PBKDF2-HMAC-SHA256 iterations for an encrypted PKCS#8 key: OWASP's current
/// recommendation for PBKDF2-HMAC-SHA256 (and the pkcs5 crate's default).
/// The key is exported once and read rarely, so the 0.1 to 0.3 s it costs a
/// reader is well spent against offline guessing; it stays under certbundle's
/// own default ceiling (`Limits::max_kdf_iterations`, 1,000,000), so the
/// library re-reads what it writes.
pub const KEY_PBKDF2_ITERATIONS: u32 = 600_000;

/// PKCS#12 KDF and MAC iterations: what Java's keytool writes (and the
/// p12-keystore default); every PKCS#12 reader accepts it.
const PKCS12_ITERATIONS: u32 = 10_000;

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

/// What to export with.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Password for the exported PKCS#12 files and key. PKCS#12 files need
    /// one; the key is written unencrypted without one.
    pub password: Option<Password>,
    /// PKCS#12 encryption.
    pub encryption: Pkcs12Encryption,
    /// Replace a file that exists at the target (default: refuse it with
    /// [`ExportError::Exists`] and leave it unchanged).
    pub replace_existing: bool,
}

/// Why an export failed; every message names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The chain is empty: there is no certificate to export.
    #[error("{}: nothing to export: the inputs hold no certificate", file.display())]
    NoCertificate {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// No private key in the inputs belongs to the leaf.
    #[error(
        "{}: no private key matches the leaf certificate: pass the key file (--key), \
         or a PKCS#12 file that holds it",
        file.display()
    )]
    NoKey {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// Neither an extra CA chain nor a root to put in a trust store.
    #[error(
        "{}: no trust anchor to export: the inputs have no extra CA chain and the chain \
         does not end in a root",
        file.display()
    )]
    NoTrustAnchor {
        /// The file that was to be written.
        file: PathBuf,
    },
    /// A PKCS#12 file needs a password and none was given.
    #[error(
        "{}: a PKCS#12 file needs a password: pass --export-password (or \
         --export-password-env / --export-password-file, or an input --password)",
        file.display()
    )]
    PasswordRequired {
        /// The file that was to be written.
        file: PathBuf,
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
    /// A file exists at the target and replacing it was not asked for.
    #[error("{}: the file exists and was left unchanged", file.display())]
    Exists {
        /// The file that was to be written.
        file: PathBuf,
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

/// Writes leaf + chain (root included, leaf first) + the leaf's key as a
/// PKCS#12 file, one private-key entry whose alias is the leaf's common name
/// (or `client`).
///
/// # Errors
/// [`ExportError::NoCertificate`], [`ExportError::NoKey`],
/// [`ExportError::PasswordRequired`], [`ExportError::Encode`],
/// [`ExportError::Exists`], [`ExportError::Io`].
pub fn write_pkcs12(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<(), ExportError> {
    let file = file.as_ref();
    let chain = validation.chain().certificates();
    let leaf = chain
        .first()
        .ok_or_else(|| ExportError::NoCertificate { file: file.into() })?;
    let key = validation
        .key()
        .ok_or_else(|| ExportError::NoKey { file: file.into() })?;
    let password = required_password(options, file)?;
    let encode = p12_error(file, "PKCS#12");
    let certs = chain
        .iter()
        .map(|c| p12_keystore::Certificate::from_der(c.der()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(encode)?;
    // p12-keystore keeps its own copy of the key, outside our zeroizing
    // buffers, until the store is dropped at the end of this function.
    let p12_key = p12_keystore::PrivateKey::from_der(key.pkcs8_der()).map_err(encode)?;
    let mut store = KeyStore::new();
    let local_key_id = leaf.sha256().get(..20).unwrap_or_default().to_vec();
    store.add_entry(
        &alias(leaf, "client"),
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_key_id, p12_key, certs)),
    );
    let bytes = write_store(&store, password, options.encryption).map_err(encode)?;
    write_file(file, &bytes, true, options)
}

/// Writes the leaf's key as PKCS#8 PEM: `ENCRYPTED PRIVATE KEY` (PBES2:
/// PBKDF2-HMAC-SHA256 with [`KEY_PBKDF2_ITERATIONS`] iterations and a
/// random 16-byte salt, AES-256-CBC) when `options.password` is set,
/// otherwise an unencrypted `PRIVATE KEY`.
///
/// # Errors
/// [`ExportError::NoKey`], [`ExportError::Encode`], [`ExportError::Exists`],
/// [`ExportError::Io`].
pub fn write_key(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<(), ExportError> {
    let file = file.as_ref();
    let key = validation
        .key()
        .ok_or_else(|| ExportError::NoKey { file: file.into() })?;
    let pem = key_pem(key.pkcs8_der(), options.password.as_ref()).map_err(|detail| ExportError::Encode {
        file: file.into(),
        what: "PKCS#8 private key",
        detail,
    })?;
    write_file(file, pem.as_bytes(), true, options)
}

/// A PKCS#8 private key as PEM: `ENCRYPTED PRIVATE KEY` under `password`
/// (PBES2: PBKDF2-HMAC-SHA256 with [`KEY_PBKDF2_ITERATIONS`] iterations and
/// a random 16-byte salt, AES-256-CBC with a random IV), or `PRIVATE KEY`
/// without one. The error is the encoder's message, never key material.
pub(crate) fn key_pem(pkcs8: &[u8], password: Option<&Password>) -> Result<Zeroizing<String>, String> {
    let Some(password) = password else {
        return SecretDocument::try_from(pkcs8)
            .and_then(|doc| doc.to_pem("PRIVATE KEY", LineEnding::LF))
            .map_err(|e| e.to_string());
    };
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    aws_lc_rs::rand::fill(&mut salt).map_err(|_| "no random bytes for the salt".to_owned())?;
    aws_lc_rs::rand::fill(&mut iv).map_err(|_| "no random bytes for the IV".to_owned())?;
    let params = pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(KEY_PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|e| e.to_string())?;
    let info = PrivateKeyInfoRef::try_from(pkcs8).map_err(|e| e.to_string())?;
    let encrypted = info
        .encrypt_with_params(params, password.as_str().as_bytes())
        .map_err(|e| e.to_string())?;
    encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map_err(|e| e.to_string())
}

/// The certificates a trust store gets: every certificate of the extra CA
/// chains (a zip download's server CA chain), or else the chain's root.
pub fn trust_anchors<'p>(validation: &Validation<'p>) -> Vec<&'p Certificate> {
    let mut seen = HashSet::new();
    let extra: Vec<&'p Certificate> = validation
        .pool()
        .extra_ca()
        .iter()
        .flat_map(|chain| chain.certificates())
        .filter(|c| seen.insert(*c.sha256()))
        .collect();
    if !extra.is_empty() {
        return extra;
    }
    let chain = validation.chain();
    match chain.end().is_root() {
        true => chain.top().into_iter().collect(),
        false => Vec::new(),
    }
}

/// Writes [`trust_anchors`] as a trust store: PEM when the file name ends in
/// `.pem`, otherwise a PKCS#12 truststore whose certificates carry Java's
/// trust attribute, so `keytool -list` shows them as `trustedCertEntry`
/// (aliases: the certificates' common names).
///
/// # Errors
/// [`ExportError::NoTrustAnchor`], [`ExportError::PasswordRequired`] (PKCS#12
/// only), [`ExportError::Encode`], [`ExportError::Exists`], [`ExportError::Io`].
pub fn write_truststore(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<(), ExportError> {
    let file = file.as_ref();
    let anchors = trust_anchors(validation);
    if anchors.is_empty() {
        return Err(ExportError::NoTrustAnchor { file: file.into() });
    }
    let is_pem = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pem"));
    if is_pem {
        let pem: String = anchors
            .iter()
            .map(|c| ::pem::encode(&::pem::Pem::new("CERTIFICATE", c.der().to_vec())))
            .collect();
        return write_file(file, pem.as_bytes(), false, options);
    }
    let password = required_password(options, file)?;
    let encode = p12_error(file, "PKCS#12 truststore");
    let mut store = KeyStore::new();
    let mut aliases = HashSet::new();
    for cert in anchors {
        let base = alias(cert, "ca");
        let mut name = base.clone();
        let mut n = 2;
        while !aliases.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let entry = p12_keystore::Certificate::from_der(cert.der()).map_err(encode)?;
        store.add_entry(&name, KeyStoreEntry::Certificate(entry));
    }
    let bytes = write_store(&store, password, options.encryption).map_err(encode)?;
    write_file(file, &bytes, false, options)
}

fn write_store(
    store: &KeyStore,
    password: &Password,
    encryption: Pkcs12Encryption,
) -> Result<Vec<u8>, p12_keystore::error::Error> {
    let writer = store
        .writer(password.as_str())
        .encryption_iterations(PKCS12_ITERATIONS)
        .mac_iterations(PKCS12_ITERATIONS);
    match encryption {
        Pkcs12Encryption::Modern => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
            .mac_algorithm(MacAlgorithm::HmacSha256),
        Pkcs12Encryption::Legacy => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
            .mac_algorithm(MacAlgorithm::HmacSha1),
    }
    .write()
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
fn write_file(file: &Path, bytes: &[u8], secret: bool, options: &ExportOptions) -> Result<(), ExportError> {
    let how = WriteOptions {
        secret,
        existing: if options.replace_existing {
            Existing::Replace
        } else {
            Existing::Refuse
        },
    };
    atomic_write::write_file(file, bytes, &how).map_err(|e| match e {
        WriteError::Exists(file) => ExportError::Exists { file },
        WriteError::Io { file, source } => ExportError::Io { file, source },
    })
}

/// The export password: a PKCS#12 file is never written unprotected.
fn required_password<'o>(options: &'o ExportOptions, file: &Path) -> Result<&'o Password, ExportError> {
    options
        .password
        .as_ref()
        .ok_or_else(|| ExportError::PasswordRequired { file: file.into() })
}

/// Maps a p12-keystore error met while encoding `what` into `file`.
fn p12_error<'f>(
    file: &'f Path,
    what: &'static str,
) -> impl Fn(p12_keystore::error::Error) -> ExportError + Copy + 'f {
    move |detail| ExportError::Encode {
        file: file.into(),
        what,
        detail: detail.to_string(),
    }
}
