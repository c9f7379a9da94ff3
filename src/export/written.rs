//! What an export wrote, as the report lists it (`"written"`).

use std::path::PathBuf;

use serde::{Serialize, Serializer};

/// What a written file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum WrittenKind {
    /// Certificates of the client's chain, leaf first.
    Chain,
    /// The key and its chain.
    Identity,
    /// The key alone.
    Key,
    /// Trusted certificates (the server side).
    Truststore,
    /// The identity and trusted certificates in one store.
    Keystore,
}

impl WrittenKind {
    /// The name the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            WrittenKind::Chain => "chain",
            WrittenKind::Identity => "identity",
            WrittenKind::Key => "key",
            WrittenKind::Truststore => "truststore",
            WrittenKind::Keystore => "keystore",
        }
    }
}

/// A written file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum StoreFormat {
    /// PEM text.
    Pem,
    /// PKCS#12.
    Pkcs12,
    /// Java's JKS.
    Jks,
}

/// How the key (or the store) in a written file is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encryption {
    /// Not at all (certificates only, or a key written unencrypted).
    None,
    /// AES-256-CBC under PBKDF2-HMAC-SHA256 (PBES2).
    Aes256Cbc,
    /// PKCS#12's PBE-SHA1-3DES (legacy readers).
    TripleDes,
    /// Sun's JKS KeyProtector (SHA-1 keystream), the only one JKS has.
    JksKeyProtector,
}

impl Encryption {
    /// The name the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Encryption::None => "none",
            Encryption::Aes256Cbc => "aes-256-cbc",
            Encryption::TripleDes => "3des",
            Encryption::JksKeyProtector => "jks-keyprotector",
        }
    }
}

impl Serialize for Encryption {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Written {
    /// Where.
    #[serde(serialize_with = "path_text")]
    pub path: PathBuf,
    /// What it holds.
    pub kind: WrittenKind,
    /// Its format.
    pub format: StoreFormat,
    /// How many certificates it holds in all (chain and trusted).
    pub certificates: usize,
    /// How many of them are trusted entries (the server side).
    pub trusted: usize,
    /// Whether it holds the private key.
    pub key: bool,
    /// How its key (or store) is protected.
    pub encryption: Encryption,
}

impl Written {
    /// The line a front end prints for it, e.g. `wrote client.p12: identity,
    /// PKCS#12, 3 certificates, key (aes-256-cbc)`.
    pub fn describe(&self) -> String {
        let format = match self.format {
            StoreFormat::Pem => "PEM",
            StoreFormat::Pkcs12 => "PKCS#12",
            StoreFormat::Jks => "JKS",
        };
        let kind = self.kind.as_str();
        let mut text = format!(
            "wrote {}: {kind}, {format}, {} certificate{}",
            self.path.display(),
            self.certificates,
            if self.certificates == 1 { "" } else { "s" }
        );
        if self.trusted > 0 {
            text.push_str(&format!(" ({} trusted)", self.trusted));
        }
        if self.key {
            text.push_str(&format!(", key ({})", self.encryption.as_str()));
        }
        text
    }
}

fn path_text<S: Serializer>(path: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}
