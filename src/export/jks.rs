//! Writing a JKS keystore (what Java 8's `KeyStore.getInstance("JKS")`
//! reads): version 2, each private key under Sun's KeyProtector with a fresh
//! random 20-byte salt, and the store's SHA-1 integrity digest. The format is
//! described in `decode/jks.rs`, which reads what this writes.

use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use crate::decode::jks::protect::{integrity_digest, jks_protect, SHA1_LEN};
use crate::decode::jks::JKS_MAGIC;
use crate::input::Password;

/// One entry of a keystore to write.
#[derive(Clone, Copy)]
pub(crate) enum JksEntry<'a> {
    /// A key and its certificate chain, leaf first (`PrivateKeyEntry`).
    PrivateKey {
        /// The entry's alias (written lowercased).
        alias: &'a str,
        /// The unencrypted PKCS#8 PrivateKeyInfo DER.
        pkcs8: &'a [u8],
        /// Certificate DERs, leaf first; at least one.
        chain: &'a [&'a [u8]],
    },
    /// A trusted certificate (`trustedCertEntry`).
    Trusted {
        /// The entry's alias.
        alias: &'a str,
        /// The certificate DER.
        certificate: &'a [u8],
    },
}

impl JksEntry<'_> {
    fn alias(&self) -> &str {
        match self {
            JksEntry::PrivateKey { alias, .. } | JksEntry::Trusted { alias, .. } => alias,
        }
    }
}

/// Why a keystore could not be encoded (never with key material).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum JksError {
    /// Two entries share an alias; Java compares aliases case-insensitively.
    #[error("two entries have the alias `{0}` (Java compares aliases without case)")]
    DuplicateAlias(String),
    /// A private key entry with no certificate.
    #[error("the private key entry `{0}` has no certificate chain")]
    EmptyChain(String),
    /// A field longer than the format can say.
    #[error("{0} is too long for the JKS format")]
    TooLong(&'static str),
    /// The system random generator failed.
    #[error("no random bytes for the key protector's salt")]
    Random,
}

/// Encodes `entries` as a JKS keystore: keys protected with `key_password`,
/// the integrity digest keyed with `store_password` (Java's keytool uses one
/// password for both unless told otherwise).
///
/// The bytes come back in a zeroizing buffer although keys are only
/// present encrypted. Aliases are written lowercased, as Java's JKS does:
/// it looks every alias up lowercased, so `keytool -list` fails on an entry
/// written as `MTF XBS`. Two aliases equal up to case are refused.
///
/// # Errors
/// [`JksError`]: duplicate alias, empty chain, a field over the format's
/// 16/32-bit lengths, or no randomness for a salt.
pub(crate) fn encode_jks(
    entries: &[JksEntry<'_>],
    store_password: &Password,
    key_password: &Password,
) -> Result<Zeroizing<Vec<u8>>, JksError> {
    let mut seen = std::collections::HashSet::new();
    for entry in entries {
        if !seen.insert(entry.alias().to_lowercase()) {
            return Err(JksError::DuplicateAlias(entry.alias().to_owned()));
        }
    }
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut out = Zeroizing::new(Vec::new());
    out.extend_from_slice(&JKS_MAGIC);
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(&len_u32(entries.len(), "the entry count")?.to_be_bytes());
    for entry in entries {
        match entry {
            JksEntry::PrivateKey { alias, pkcs8, chain } => {
                if chain.is_empty() {
                    return Err(JksError::EmptyChain((*alias).to_owned()));
                }
                let mut salt = [0u8; SHA1_LEN];
                aws_lc_rs::rand::fill(&mut salt).map_err(|_| JksError::Random)?;
                let protected = jks_protect(pkcs8, key_password.as_str(), &salt);
                out.extend_from_slice(&1u32.to_be_bytes());
                write_utf(&mut out, &alias.to_lowercase(), "an alias")?;
                out.extend_from_slice(&millis.to_be_bytes());
                write_blob(&mut out, &protected, "the protected key")?;
                out.extend_from_slice(&len_u32(chain.len(), "the chain")?.to_be_bytes());
                for der in *chain {
                    write_certificate(&mut out, der)?;
                }
            }
            JksEntry::Trusted { alias, certificate } => {
                out.extend_from_slice(&2u32.to_be_bytes());
                write_utf(&mut out, &alias.to_lowercase(), "an alias")?;
                out.extend_from_slice(&millis.to_be_bytes());
                write_certificate(&mut out, certificate)?;
            }
        }
    }
    let digest = integrity_digest(store_password.as_str(), &out);
    out.extend_from_slice(digest.as_ref());
    Ok(out)
}

fn len_u32(len: usize, what: &'static str) -> Result<u32, JksError> {
    u32::try_from(len).map_err(|_| JksError::TooLong(what))
}

fn write_blob(out: &mut Vec<u8>, bytes: &[u8], what: &'static str) -> Result<(), JksError> {
    out.extend_from_slice(&len_u32(bytes.len(), what)?.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

fn write_certificate(out: &mut Vec<u8>, der: &[u8]) -> Result<(), JksError> {
    write_utf(out, "X.509", "a certificate type")?;
    write_blob(out, der, "a certificate")
}

/// Java's `DataOutput.writeUTF`: a u16 length, then modified UTF-8 (U+0000
/// as two bytes, characters beyond the BMP as two 3-byte surrogates).
fn write_utf(out: &mut Vec<u8>, text: &str, what: &'static str) -> Result<(), JksError> {
    let mut bytes = Vec::with_capacity(text.len());
    for unit in text.encode_utf16() {
        // Each arm keeps the bits of its UTF-8 form; the casts cannot lose any.
        let [hi, lo] = unit.to_be_bytes();
        match unit {
            0x0001..=0x007f => bytes.push(lo),
            0x0000 | 0x0080..=0x07ff => {
                bytes.extend([0xc0 | (hi << 2) | (lo >> 6), 0x80 | (lo & 0x3f)]);
            }
            _ => bytes.extend([
                0xe0 | (hi >> 4),
                0x80 | ((hi & 0x0f) << 2) | (lo >> 6),
                0x80 | (lo & 0x3f),
            ]),
        }
    }
    let len = u16::try_from(bytes.len()).map_err(|_| JksError::TooLong(what))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&bytes);
    Ok(())
}

#[cfg(test)]
mod tests;
