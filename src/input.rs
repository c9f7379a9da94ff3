//! What goes into decoding: the bytes and their name, the limits, the password.

use std::fmt;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind};
use crate::model::Source;

/// One input: its bytes and the name used for it in every message and report.
#[derive(Clone)]
pub struct Input {
    name: String,
    bytes: Vec<u8>,
}

impl Input {
    /// An input from bytes already in memory; `name` is how reports refer to it.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// Reads a file, refusing it unread when it is larger than
    /// [`Limits::max_input_bytes`].
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read,
    /// [`ErrorKind::LimitExceeded`] when it is too large.
    pub fn from_path(path: impl AsRef<Path>, limits: &Limits) -> Result<Self, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let source = Source::file(&name);
        let io = |e| Error::new(&source, ErrorKind::Io(e));
        let file = std::fs::File::open(path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        if metadata.is_dir() {
            return Err(io(std::io::Error::other(
                "is a directory: give the files in it, or validate each file below it as its own bundle",
            )));
        }
        let declared = metadata.len();
        if declared > limits.max_input_bytes {
            return Err(Error::new(
                &source,
                ErrorKind::limit("file size", limits.max_input_bytes, declared),
            ));
        }
        // Read at most one byte past the limit: a file that grew after the
        // metadata call is still refused, and never read whole.
        let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        file.take(limits.max_input_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if read > limits.max_input_bytes {
            return Err(Error::new(
                &source,
                ErrorKind::limit("file size", limits.max_input_bytes, read),
            ));
        }
        Ok(Input { name, bytes })
    }

    /// The name reports use for this input (usually its path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes may be an unencrypted key: show only their length.
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Ceilings on everything an input controls. The defaults are generous for
/// real bundles and refuse hostile ones at once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input file, in bytes (default 64 MiB).
    pub max_input_bytes: u64,
    /// Most PEM blocks in one file or entry (default 10,000).
    pub max_pem_blocks: usize,
    /// Most certificates in the whole pool (default 100,000).
    pub max_certificates: usize,
    /// Most entries in one zip archive (default 1,000).
    pub max_zip_entries: usize,
    /// Largest uncompressed zip entry, in bytes (default 16 MiB).
    pub max_zip_entry_bytes: u64,
    /// Largest sum of uncompressed zip entries over one input, in bytes (default 64 MiB).
    pub max_zip_total_bytes: u64,
    /// Deepest nesting of zip archives inside zip archives (default 2: a zip
    /// inside the download is read, a zip inside that is refused).
    pub max_zip_depth: u32,
    /// Most PBKDF2 / PKCS#12-KDF iterations accepted (default 1,000,000;
    /// OpenSSL writes 2,048, Java 10,000 to 100,000).
    pub max_kdf_iterations: u64,
    /// Most memory an scrypt KDF may ask for, in bytes (default 256 MiB;
    /// OpenSSL's default scrypt asks for 16 MiB).
    pub max_scrypt_memory: u64,
    /// Most KDF work one input may ask for, in hash compressions summed
    /// over its MAC, every bag and every key (default 10,000,000: about two
    /// seconds of one core of the development machine, measured at ~190 ns
    /// per compression; an OpenSSL file asks for about 10,000, a Java one
    /// with 100,000 iterations per bag about 500,000). scrypt counts
    /// 2 x N x r x p.
    pub max_kdf_work_per_input: u64,
    /// Most KDF work one run may ask for: every input of one `load` (one
    /// bundle), or every bundle of one batch validation, in hash
    /// compressions (default 25,000,000: about five seconds).
    pub max_kdf_work_per_run: u64,
    /// Largest RSA key read, in modulus bits (default 16,384): refused
    /// before any arithmetic on it.
    pub max_rsa_bits: u64,
    /// Longest password, in bytes (default 1,024): a PKCS#12 KDF hashes the
    /// whole password once per iteration.
    pub max_password_bytes: usize,
    /// Longest chain the issuer search follows, leaf and root included
    /// (default 16; real PKIs use 2 to 5). A longer chain is a
    /// `chain.complete` failure naming this limit, not an input error.
    pub max_chain_length: usize,
    /// Most signature verifications one chain search may spend (default
    /// 256): bounds the cost of a pool of look-alike issuers (same name and
    /// key identifier, another key). When it stops the search before a valid
    /// path is found, `chain.complete` fails naming this limit.
    pub max_chain_verifications: usize,
    /// Most certificates one chain search may step through (default 4,096).
    /// Verifications are cached, so without this a pool of same-named
    /// certificates could let the search walk every ordering of them.
    pub max_chain_steps: usize,
    /// Most entries in one JKS / JCEKS keystore (default 10,000; a JDK's
    /// `cacerts` has about 150).
    pub max_keystore_entries: usize,
    /// Longest keystore alias, in bytes (default 1,024).
    pub max_alias_bytes: usize,
    /// Most certificates in one keystore key entry's chain (default 100).
    pub max_chain_certificates: usize,
    /// Largest single certificate in a keystore, in bytes (default 1 MiB;
    /// real ones are a few KiB).
    pub max_certificate_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_pem_blocks: 10_000,
            max_certificates: 100_000,
            max_zip_entries: 1_000,
            max_zip_entry_bytes: 16 << 20,
            max_zip_total_bytes: 64 << 20,
            max_zip_depth: 2,
            max_kdf_iterations: 1_000_000,
            max_scrypt_memory: 256 << 20,
            max_kdf_work_per_input: 10_000_000,
            max_kdf_work_per_run: 25_000_000,
            max_rsa_bits: 16_384,
            max_password_bytes: 1024,
            max_chain_length: 16,
            max_chain_verifications: 256,
            max_chain_steps: 4096,
            max_keystore_entries: 10_000,
            max_alias_bytes: 1024,
            max_chain_certificates: 100,
            max_certificate_bytes: 1 << 20,
        }
    }
}

/// A password for PKCS#12 files and encrypted private keys.
///
/// Zeroized on drop (every copy: a clone is a zeroizing buffer of its own);
/// `Debug` never shows it.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a password. An empty string is a valid PKCS#12 password.
    pub fn new(password: impl Into<String>) -> Self {
        Password(Zeroizing::new(password.into()))
    }

    /// Reads a password file: the first line, without its line ending
    /// (what `openssl -passin file:` does).
    ///
    /// At most [`Limits::max_password_bytes`] (default limits) plus a line
    /// ending is read, so a device such as `/dev/zero` cannot fill memory.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read or its first line is
    /// not UTF-8, [`ErrorKind::LimitExceeded`] when the first line is longer
    /// than the limit.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let source = Source::file(path.display().to_string());
        let io = |e| Error::new(&source, ErrorKind::Io(e));
        let limit = Limits::default().max_password_bytes;
        // The limit, a CR LF, and one byte to tell "longer" from "exactly".
        let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(3);
        let mut bytes = Zeroizing::new(Vec::with_capacity(limit.saturating_add(3)));
        std::fs::File::open(path)
            .and_then(|file| file.take(cap).read_to_end(&mut bytes))
            .map_err(io)?;
        let line_end = bytes.iter().position(|&b| b == b'\n');
        let line = bytes.get(..line_end.unwrap_or(bytes.len())).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > limit {
            return Err(Error::new(
                &source,
                ErrorKind::limit(
                    "password length in bytes",
                    u64::try_from(limit).unwrap_or(u64::MAX),
                    u64::try_from(line.len()).unwrap_or(u64::MAX),
                ),
            ));
        }
        let text = std::str::from_utf8(line).map_err(|_| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "password is not UTF-8",
            ))
        })?;
        Ok(Password::new(text))
    }

    /// Whether the password is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The password text, for the decoders.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Refuses a password longer than the limit before any KDF sees it.
    pub(crate) fn check(&self, limits: &Limits, source: &Source) -> Result<(), Error> {
        let len = self.0.len();
        if len > limits.max_password_bytes {
            return Err(Error::new(
                source,
                ErrorKind::limit(
                    "password length in bytes",
                    u64::try_from(limits.max_password_bytes).unwrap_or(u64::MAX),
                    u64::try_from(len).unwrap_or(u64::MAX),
                ),
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}
