//! Java keystores: JKS (magic `FE ED FE ED`) and JCEKS (`CE CE CE CE`), the
//! default `keytool` formats up to Java 8.
//!
//! Written here rather than on the `jks` crate (0.3.3): measured on a
//! 35-byte input declaring a 4 GiB key, it asks the allocator for
//! 4,294,967,280 bytes before reading (12 GiB for a declared chain length),
//! its KeyProtector panics on a 5-byte protected key (index out of bounds),
//! key bytes and passwords live in plain `Vec`s (no zeroize), it has no
//! JCEKS, and with default features it does not build against p12-keystore
//! 0.3.2.
//!
//! ```text
//! store   ::= magic u32, version u32 (1 or 2), count u32, entry*count, SHA-1 digest (20)
//! entry   ::= tag u32, alias UTF, timestamp u64, body
//!   tag 1 (private key):  len u32, EncryptedPrivateKeyInfo, chain u32, cert*chain
//!   tag 2 (trusted cert): cert
//!   tag 3 (JCEKS secret key): a Java-serialized SealedObject (skipped, never decrypted)
//! cert    ::= type UTF ("X.509"; absent in version 1), len u32, DER
//! UTF     ::= len u16, modified UTF-8
//! ```
//!
//! Integers are big-endian. The digest is SHA-1 over UTF-16BE(password) ||
//! "Mighty Aphrodite" || every preceding byte; it is checked with each
//! candidate password before any entry is read. Like Java, a store opened
//! without any password skips that check (truststores are often read so),
//! but its private keys then cannot be opened. Each key entry tries every
//! candidate password: the key password may differ from the store's.
//! Certificates and keys get the alias as their entry (`store.jks!alias`);
//! secret-key entries are listed in the input summary as ignored.

mod java_serial;
pub(crate) mod protect;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind};
use crate::input::{Limits, Password};
use crate::model::{EntrySummary, Format, KeyEncoding, Source};

use super::kdf_cost::KdfMeter;
use super::Decoder;
use protect::{Protection, Unreadable, SHA1_LEN};

/// JKS and JCEKS magic numbers.
pub(crate) const JKS_MAGIC: [u8; 4] = [0xfe, 0xed, 0xfe, 0xed];
pub(crate) const JCEKS_MAGIC: [u8; 4] = [0xce, 0xce, 0xce, 0xce];

/// Which of the two stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jks,
    Jceks,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Jks => "JKS keystore",
            Kind::Jceks => "JCEKS keystore",
        }
    }

    fn integrity(self) -> &'static str {
        match self {
            Kind::Jks => "JKS keystore (or the keystore is corrupted: its integrity digest does not match)",
            Kind::Jceks => {
                "JCEKS keystore (or the keystore is corrupted: its integrity digest does not match)"
            }
        }
    }
}

/// The fewest bytes an entry takes: tag, alias length, timestamp.
const MIN_ENTRY_BYTES: usize = 14;

/// What a key entry's password opens, in errors.
const KEY_ENTRY: &str = "keystore private key entry";

/// One entry, its bytes still in the input.
struct Entry<'a> {
    alias: String,
    body: Body<'a>,
}

impl Entry<'_> {
    /// How many certificates the entry holds.
    fn certificates(&self) -> usize {
        match &self.body {
            Body::Key { chain, .. } => chain.len(),
            Body::Trusted(_) => 1,
            Body::Secret => 0,
        }
    }
}

enum Body<'a> {
    Key {
        protected: &'a [u8],
        chain: Vec<&'a [u8]>,
    },
    Trusted(&'a [u8]),
    Secret,
}

/// Decodes a keystore: integrity first, then every entry's certificates
/// into the pool, then every private key, tried with each of `passwords`.
///
/// # Errors
/// `WrongPassword` when no candidate matches the integrity digest (or opens
/// a key entry), `PasswordRequired` for a key entry with no password given,
/// `Malformed` naming the entry for truncated or inconsistent structure,
/// `LimitExceeded` for counts, sizes and KDF cost above [`Limits`].
pub(super) fn decode(
    dec: &mut Decoder<'_>,
    bytes: &[u8],
    source: &Source,
    passwords: &[&Password],
) -> Result<Option<usize>, Error> {
    let kind = if bytes.starts_with(&JCEKS_MAGIC) {
        Kind::Jceks
    } else {
        Kind::Jks
    };
    let fail = |kind| Error::new(source, kind);
    let Some(body_len) = bytes.len().checked_sub(SHA1_LEN).filter(|&n| n >= 12) else {
        return Err(fail(ErrorKind::malformed(
            kind.name(),
            format!(
                "truncated: expected at least 32 bytes (magic, version, entry count, 20-byte digest), found {}",
                bytes.len()
            ),
        )));
    };
    let (body, digest) = bytes.split_at(body_len);
    let mut store_password = None;
    if !passwords.is_empty() {
        let opens = |p: &&Password| protect::integrity_digest(p.as_str(), body).as_ref() == digest;
        store_password = passwords.iter().position(opens);
        if store_password.is_none() {
            return Err(fail(ErrorKind::WrongPassword {
                what: kind.integrity(),
            }));
        }
    }
    let entries = read_entries(body, kind, dec.limits).map_err(fail)?;
    // Room reserved once (doubling held both buffers at the last growth),
    // for no more than the pool may hold: the blobs are not certificates yet.
    let certificates: usize = entries.iter().map(Entry::certificates).sum();
    dec.pool
        .reserve_certificates(certificates.min(dec.limits.max_certificates));
    for entry in &entries {
        let at = source.in_entry(&entry.alias);
        match &entry.body {
            Body::Key { chain, .. } => {
                for der in chain {
                    dec.certificate(der.to_vec(), &at)?;
                }
            }
            Body::Trusted(der) => dec.certificate(der.to_vec(), &at)?,
            Body::Secret => dec.entries.push(EntrySummary {
                name: entry.alias.clone(),
                format: Format::Ignored,
            }),
        }
    }
    for entry in &entries {
        if let Body::Key { protected, .. } = &entry.body {
            let at = source.in_entry(&entry.alias);
            let pkcs8 = open_key(protected, passwords, &dec.kdf).map_err(|kind| Error::new(&at, kind))?;
            let key = super::keys::private_key_from_pkcs8(pkcs8, KeyEncoding::Jks, &at, dec.limits)?;
            dec.key(key);
        }
    }
    Ok(store_password)
}

/// Decrypts one protected key with the first candidate that opens it.
fn open_key(
    protected: &[u8],
    passwords: &[&Password],
    kdf: &KdfMeter<'_>,
) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    let protection = protect::protection(protected).map_err(|e| match e {
        Unreadable::Malformed(detail) => ErrorKind::malformed("keystore private key entry", detail),
        Unreadable::Algorithm(oid) => ErrorKind::Unsupported {
            what: "keystore key protection",
            found: format!("{oid} (expected Sun's KeyProtector or PBEWithMD5AndTripleDES)"),
        },
    })?;
    if passwords.is_empty() {
        return Err(ErrorKind::PasswordRequired { what: KEY_ENTRY });
    }
    let plain = match protection {
        Protection::Jks(data) => passwords
            .iter()
            .find_map(|p| protect::jks_recover(data, p.as_str())),
        Protection::JcePbe {
            salt,
            iterations,
            ciphertext,
        } => {
            let mut opened = None;
            for password in passwords {
                // Sun's PBE iterates MD5 over each half of the salt: two
                // digest chains, checked and charged before each attempt.
                kdf.pkcs12(iterations, 2)?;
                // The padding passes by chance about 1 time in 256: a plaintext
                // that is not a PrivateKeyInfo means the password was wrong.
                opened = protect::jce_recover(salt, iterations, ciphertext, password.as_str())
                    .filter(|plain| pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).is_ok());
                if opened.is_some() {
                    break;
                }
            }
            opened
        }
    };
    plain.ok_or(ErrorKind::WrongPassword { what: KEY_ENTRY })
}

/// Reads the header and every entry of `body` (the store without its digest).
fn read_entries<'a>(body: &'a [u8], kind: Kind, limits: &Limits) -> Result<Vec<Entry<'a>>, ErrorKind> {
    let mut r = Reader {
        rest: body.get(4..).unwrap_or_default(),
        kind,
        at: "header".to_owned(),
    };
    let version = r.u32("the version")?;
    if version != 1 && version != 2 {
        return Err(r.malformed(format!("unsupported version {version} (expected 1 or 2)")));
    }
    let count = r.count(
        "the entry count",
        "number of keystore entries",
        limits.max_keystore_entries,
    )?;
    // Sized once: growing by doubling held both buffers at the last
    // growth (0.2 times a 10,000-entry truststore). A lying count gets no
    // more room than its bytes could hold.
    let mut entries = Vec::with_capacity(count.min(r.rest.len() / MIN_ENTRY_BYTES));
    for index in 1..=count {
        r.at = format!("entry {index} of {count}");
        entries.push(r.entry(version, limits)?);
    }
    if !r.rest.is_empty() {
        return Err(ErrorKind::malformed(
            kind.name(),
            format!("{} bytes after the last of {count} entries", r.rest.len()),
        ));
    }
    Ok(entries)
}

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A cursor over the body; `at` names where it is for errors.
struct Reader<'a> {
    rest: &'a [u8],
    kind: Kind,
    at: String,
}

impl<'a> Reader<'a> {
    fn malformed(&self, detail: impl std::fmt::Display) -> ErrorKind {
        ErrorKind::malformed(self.kind.name(), format!("{}: {detail}", self.at))
    }

    /// `n` bytes holding `what`, or a truncation error saying so.
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ErrorKind> {
        match self.rest.split_at_checked(n) {
            Some((head, rest)) => {
                self.rest = rest;
                Ok(head)
            }
            None => Err(self.malformed(format!(
                "truncated: expected {what} ({n} bytes), found {} bytes",
                self.rest.len()
            ))),
        }
    }

    fn u32(&mut self, what: &str) -> Result<u32, ErrorKind> {
        let b = self.take(4, what)?;
        Ok(b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x)))
    }

    /// A u32 count of `what`, at most `limit` (`counted` says what it counts
    /// in the limit error).
    fn count(&mut self, what: &str, counted: &'static str, limit: usize) -> Result<usize, ErrorKind> {
        let count = usize::try_from(self.u32(what)?).unwrap_or(usize::MAX);
        ErrorKind::at_most(counted, as_u64(limit), as_u64(count), "")?;
        Ok(count)
    }

    /// A length-prefixed (u16) modified UTF-8 string of at most `limit` bytes.
    fn utf(&mut self, what: &str, limit: Option<usize>) -> Result<&'a [u8], ErrorKind> {
        let b = self.take(2, what)?;
        let len = b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
        if let Some(limit) = limit {
            ErrorKind::at_most("keystore alias length in bytes", as_u64(limit), as_u64(len), "")?;
        }
        self.take(len, what)
    }

    /// A u32 length and that many bytes, at most `limit` (a certificate's).
    fn blob(&mut self, what: &str, limit: Option<usize>) -> Result<&'a [u8], ErrorKind> {
        let len = usize::try_from(self.u32(what)?).unwrap_or(usize::MAX);
        if let Some(limit) = limit {
            ErrorKind::at_most(
                "keystore certificate size in bytes",
                as_u64(limit),
                as_u64(len),
                "",
            )?;
        }
        self.take(len, what)
    }

    fn entry(&mut self, version: u32, limits: &Limits) -> Result<Entry<'a>, ErrorKind> {
        let tag = self.u32("the entry tag")?;
        let alias = printable(self.utf("the alias", Some(limits.max_alias_bytes))?);
        self.at = format!("{} (alias `{alias}`)", self.at);
        self.take(8, "the timestamp")?;
        let body = match tag {
            1 => {
                let protected = self.blob("the protected key", None)?;
                let count = self.count(
                    "the certificate chain length",
                    "certificates in a keystore key entry",
                    limits.max_chain_certificates,
                )?;
                let mut chain = Vec::new();
                for n in 1..=count {
                    chain.push(self.certificate(version, &format!("certificate {n} of {count}"), limits)?);
                }
                Body::Key { protected, chain }
            }
            2 => Body::Trusted(self.certificate(version, "the certificate", limits)?),
            3 if self.kind == Kind::Jceks => {
                let len = java_serial::stream_len(self.rest).map_err(|detail| self.malformed(detail))?;
                self.take(len, "the secret key")?;
                Body::Secret
            }
            other => {
                return Err(self.malformed(format!(
                    "unknown entry tag {other} (expected 1 private key, 2 trusted certificate{})",
                    if self.kind == Kind::Jceks {
                        " or 3 secret key"
                    } else {
                        ""
                    }
                )))
            }
        };
        Ok(Entry { alias, body })
    }

    /// One certificate: its type (version 2) and DER.
    fn certificate(&mut self, version: u32, what: &str, limits: &Limits) -> Result<&'a [u8], ErrorKind> {
        if version == 2 {
            let cert_type = self.utf(&format!("the type of {what}"), None)?;
            if cert_type != b"X.509" {
                return Err(self.malformed(format!(
                    "{what} has a {}-byte type name that is not X.509 (the only type Java writes)",
                    cert_type.len()
                )));
            }
        }
        self.blob(what, Some(limits.max_certificate_bytes))
    }
}

/// An alias for sources and messages: lossy UTF-8, control characters replaced.
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests;
