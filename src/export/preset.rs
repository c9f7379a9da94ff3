//! The files one consumer needs, with the names and encryption it reads,
//! checked by reading them back under that consumer's rules.

use std::path::{Path, PathBuf};

use super::identity::{write_chain, write_key, write_keystore, write_pkcs12};
use super::reread;
use super::truststore::write_truststore;
use super::written::Written;
use super::{check_valid, ExportError, ExportOptions, Pkcs12Encryption, StoreType};
use crate::validate::Validation;

/// A consumer of the exported files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Consumer {
    /// Java 8: legacy PKCS#12 (3DES/SHA-1), which every Java 8 update reads.
    Java8,
    /// Java 17: modern PKCS#12 (AES-256/SHA-256).
    Java17,
    /// .NET (Windows before Server 2019 reads legacy PKCS#12 only).
    Dotnet,
    /// Node's `tls.createSecureContext({ pfx, passphrase, ca })`.
    Node,
    /// Python's `ssl.SSLContext.load_cert_chain` / `load_verify_locations`.
    Python,
    /// curl's `--cert`, `--key`, `--cacert`.
    Curl,
    /// Go's `tls.LoadX509KeyPair` and `x509.CertPool.AppendCertsFromPEM`.
    Go,
}

/// The PKCS#12 file of the Java, .NET and Node presets.
const CLIENT_P12: &str = "client.p12";
/// The client chain PEM (leaf first) of the PEM presets.
const CLIENT_CHAIN: &str = "client-chain.pem";
/// The unencrypted key of the PEM presets.
const CLIENT_KEY: &str = "client-key.pem";
/// The server's CA certificates as PEM.
const SERVER_CA: &str = "server-ca.pem";

impl Consumer {
    /// The name as the presets spell it (`java8`, `node`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Consumer::Java8 => "java8",
            Consumer::Java17 => "java17",
            Consumer::Dotnet => "dotnet",
            Consumer::Node => "node",
            Consumer::Python => "python",
            Consumer::Curl => "curl",
            Consumer::Go => "go",
        }
    }

    /// The file names it gets, in the order they are written.
    pub fn file_names(self) -> &'static [&'static str] {
        match self {
            Consumer::Java8 | Consumer::Java17 | Consumer::Dotnet => &[CLIENT_P12],
            Consumer::Node => &[CLIENT_P12, SERVER_CA],
            Consumer::Python | Consumer::Curl | Consumer::Go => &[CLIENT_CHAIN, CLIENT_KEY, SERVER_CA],
        }
    }

    /// Whether it needs the server side (a `server-ca.pem`).
    fn needs_server_side(self) -> bool {
        self.file_names().contains(&SERVER_CA)
    }

    fn encryption(self) -> Pkcs12Encryption {
        match self {
            Consumer::Java8 | Consumer::Dotnet => Pkcs12Encryption::Legacy,
            _ => Pkcs12Encryption::Modern,
        }
    }
}

/// Writes into `dir` the files `consumer` needs ([`Consumer::file_names`]):
/// Java 8 and .NET a legacy `client.p12`, Java 17 a modern one (each with
/// the server side as trusted entries when there is one); Node a modern
/// `client.p12` and `server-ca.pem`; Python, curl and Go `client-chain.pem`
/// (leaf first), `client-key.pem` (unencrypted, `0600`) and `server-ca.pem`.
/// Every refusal is checked before the first file is written (an existing
/// target without [`ExportOptions::replace_existing`], no server side where
/// one is needed); the folder is made when it is not there yet (one level); each
/// file is then read back under the consumer's rules.
///
/// # Errors
/// Any error of the single exports, and [`ExportError::Reread`] when a file
/// does not read back as the consumer would read it.
pub fn write_for(
    validation: &Validation<'_>,
    consumer: Consumer,
    dir: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Vec<Written>, ExportError> {
    let dir = dir.as_ref();
    let paths: Vec<PathBuf> = consumer.file_names().iter().map(|n| dir.join(n)).collect();
    let first = paths.first().map_or_else(|| dir.to_path_buf(), Clone::clone);
    check_valid(validation, &first)?;
    if validation.key().is_none() {
        return Err(ExportError::NoKey { file: first });
    }
    if consumer.needs_server_side() && validation.server_side().is_empty() {
        let file = dir.join(SERVER_CA);
        return Err(ExportError::NoServerSide { file });
    }
    if !options.replace_existing {
        if let Some(taken) = paths.iter().find(|p| std::fs::symlink_metadata(p).is_ok()) {
            return Err(ExportError::Exists { file: taken.clone() });
        }
    }
    make_folder(dir)?;
    let options = ExportOptions {
        encryption: consumer.encryption(),
        ..options.clone()
    };
    let mut written = Vec::new();
    for path in &paths {
        let one = match path.file_name().and_then(|n| n.to_str()) {
            // Node takes `ca` apart (server-ca.pem): its pfx is the identity alone.
            Some(CLIENT_P12) if consumer == Consumer::Node => write_pkcs12(
                validation,
                path,
                &options.clone().with_store_type(StoreType::Pkcs12),
            )?,
            Some(CLIENT_P12) => write_p12(validation, path, &options)?,
            Some(CLIENT_CHAIN) => write_chain(validation, path, &options)?,
            Some(CLIENT_KEY) => write_key(validation, path, &options.clone().with_unencrypted_key())?,
            _ => write_truststore(validation, path, &options.clone().with_store_type(StoreType::Pem))?,
        };
        reread::check(
            validation,
            consumer.as_str(),
            &one,
            options.password.as_ref(),
            options.encryption,
        )?;
        written.push(one);
    }
    Ok(written)
}

/// Makes the folder the files go into when it is not there yet: one level,
/// as `mkdir` does, so that a mistyped parent is an error rather than a new
/// tree. Something there that is not a folder (a file, a dangling link) is
/// refused.
fn make_folder(dir: &Path) -> Result<(), ExportError> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => {
            let source = if e.kind() == std::io::ErrorKind::AlreadyExists {
                std::io::Error::new(std::io::ErrorKind::NotADirectory, "it exists and is not a folder")
            } else {
                e
            };
            Err(ExportError::Folder {
                file: dir.to_path_buf(),
                source,
            })
        }
    }
}

/// The PKCS#12 of a preset: a keystore when there is a server side, else
/// the identity alone.
fn write_p12(
    validation: &Validation<'_>,
    path: &Path,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let options = options.clone().with_store_type(StoreType::Pkcs12);
    if validation.server_side().is_empty() {
        write_pkcs12(validation, path, &options)
    } else {
        write_keystore(validation, path, &options)
    }
}
