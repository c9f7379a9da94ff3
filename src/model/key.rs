//! Private keys, normalised to PKCS#8 and zeroized on drop.

use std::fmt;

use zeroize::Zeroizing;

use super::algorithm::{KeyAlgorithm, PublicKey};
use super::source::Source;

/// A private key, whatever it was stored as, held as PKCS#8 DER.
///
/// Zeroized on drop; not `Clone`; `Debug` shows the algorithm and where the
/// key came from, never the key.
pub struct PrivateKey {
    pkcs8: Zeroizing<Vec<u8>>,
    public_key: PublicKey,
    encoding: KeyEncoding,
    source: Source,
}

/// How a private key was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KeyEncoding {
    /// PKCS#8 PrivateKeyInfo (`PRIVATE KEY`).
    Pkcs8,
    /// PKCS#8 EncryptedPrivateKeyInfo (`ENCRYPTED PRIVATE KEY`).
    EncryptedPkcs8,
    /// PKCS#1 RSAPrivateKey (`RSA PRIVATE KEY`).
    Pkcs1,
    /// SEC1 ECPrivateKey (`EC PRIVATE KEY`).
    Sec1,
    /// OpenSSL's traditional encrypted PEM (`Proc-Type: 4,ENCRYPTED`).
    OpenSslEncrypted,
    /// A key bag of a PKCS#12 file.
    Pkcs12,
    /// A private-key entry of a JKS or JCEKS keystore.
    Jks,
}

impl PrivateKey {
    /// A key from its PKCS#8 DER and the public key derived from it.
    pub(crate) fn new(
        pkcs8: Zeroizing<Vec<u8>>,
        public_key: PublicKey,
        encoding: KeyEncoding,
        source: Source,
    ) -> Self {
        PrivateKey {
            pkcs8,
            public_key,
            encoding,
            source,
        }
    }

    /// The key type and size.
    pub fn algorithm(&self) -> &KeyAlgorithm {
        self.public_key.algorithm()
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// How the key was stored.
    pub fn encoding(&self) -> KeyEncoding {
        self.encoding
    }

    /// Where the key came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The unencrypted PKCS#8 DER, for export and TLS; never for display.
    pub(crate) fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", self.algorithm())
            .field("encoding", &self.encoding)
            .field("source", &self.source.to_string())
            .field("key", &"[secret key elided]")
            .finish()
    }
}
