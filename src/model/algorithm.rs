//! Public keys and signature algorithms, reduced to what the checks need.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use super::span::Span;
use crate::asn1::{tag, Tlv};

/// The kind and size of a public (or private) key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA (rsaEncryption or id-RSASSA-PSS), with its modulus size.
    Rsa {
        /// Modulus length in bits.
        bits: u32,
    },
    /// Elliptic curve (id-ecPublicKey) on a named curve.
    Ec {
        /// The curve.
        curve: Curve,
    },
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// Anything else, by OID.
    Other {
        /// Dotted OID.
        oid: String,
    },
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyAlgorithm::Ec { curve } => write!(f, "EC {curve}"),
            KeyAlgorithm::Ed25519 => f.write_str("Ed25519"),
            KeyAlgorithm::Ed448 => f.write_str("Ed448"),
            KeyAlgorithm::Other { oid } => write!(f, "key algorithm {oid}"),
        }
    }
}

/// A named elliptic curve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-256 (prime256v1, secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// Another curve, by OID (or `implicit` / `explicit` parameters).
    Other(String),
}

impl Curve {
    pub(crate) fn from_oid(oid: &str) -> Curve {
        match oid {
            "1.2.840.10045.3.1.7" => Curve::P256,
            "1.3.132.0.34" => Curve::P384,
            "1.3.132.0.35" => Curve::P521,
            other => Curve::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Curve::P256 => f.write_str("P-256"),
            Curve::P384 => f.write_str("P-384"),
            Curve::P521 => f.write_str("P-521"),
            Curve::Other(oid) => write!(f, "curve {oid}"),
        }
    }
}

/// A subject public key: its algorithm, the full SubjectPublicKeyInfo DER and
/// within it the key bits (RSAPublicKey for RSA, the point for EC, the raw
/// key for EdDSA).
///
/// The bytes are those of the certificate or request it came from, shared.
/// Two keys are equal when their algorithms and SubjectPublicKeyInfo are.
#[derive(Clone)]
pub struct PublicKey {
    algorithm: KeyAlgorithm,
    der: Arc<[u8]>,
    spki: Span,
    key: Span,
}

impl PublicKey {
    /// The key of `spki`, parsed from `der`.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfo<'_>, der: &Arc<[u8]>) -> Self {
        let key = &spki.subject_public_key.data;
        let algorithm = match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyAlgorithm::Rsa {
                bits: rsa_modulus_bits(key).unwrap_or(0),
            },
            "1.2.840.10045.2.1" => KeyAlgorithm::Ec {
                curve: match spki.algorithm.parameters.as_ref().map(|p| p.as_oid()) {
                    Some(Ok(oid)) => Curve::from_oid(&oid.to_id_string()),
                    _ => Curve::Other("explicit".to_owned()),
                },
            },
            "1.3.101.112" => KeyAlgorithm::Ed25519,
            "1.3.101.113" => KeyAlgorithm::Ed448,
            other => KeyAlgorithm::Other {
                oid: other.to_owned(),
            },
        };
        let key = Span::within(der, key)
            .or_else(|| spki_key_bits(spki.raw).and_then(|bits| Span::within(der, bits)));
        match (Span::within(der, spki.raw), key) {
            (Some(spki), Some(key)) => PublicKey {
                algorithm,
                der: Arc::clone(der),
                spki,
                key,
            },
            // Not a view of `der` (x509-parser copied it): keep a copy.
            _ => PublicKey::from_parts(algorithm, spki.raw.to_vec()),
        }
    }

    /// A public key from the SubjectPublicKeyInfo DER built for a private key.
    pub(crate) fn from_parts(algorithm: KeyAlgorithm, spki: Vec<u8>) -> Self {
        let key = spki_key_bits(&spki)
            .and_then(|bits| Span::within(&spki, bits))
            .unwrap_or(Span::EMPTY);
        PublicKey {
            algorithm,
            spki: Span::within(&spki, &spki).unwrap_or(Span::EMPTY),
            der: spki.into(),
            key,
        }
    }

    /// The algorithm and size.
    pub fn algorithm(&self) -> &KeyAlgorithm {
        &self.algorithm
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        self.spki.of(&self.der).unwrap_or_default()
    }

    /// The key bits inside the SubjectPublicKeyInfo BIT STRING.
    pub(crate) fn key_bits(&self) -> &[u8] {
        self.key.of(&self.der).unwrap_or_default()
    }

    /// What makes this key unusable (a point off its curve, an even RSA
    /// exponent, ...), if anything: checked on each call, since only the
    /// keys of a chain are asked.
    pub fn defect(&self) -> Option<super::KeyDefect> {
        super::key_defect::defect(self)
    }

    /// Whether both are the same key. Compares the key family and key bits,
    /// not the SPKI bytes: an RSA key under the id-RSASSA-PSS OID is the same
    /// key as under rsaEncryption.
    pub fn same_key(&self, other: &PublicKey) -> bool {
        std::mem::discriminant(&self.algorithm) == std::mem::discriminant(&other.algorithm)
            && !self.key_bits().is_empty()
            && self.key_bits() == other.key_bits()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.algorithm == other.algorithm && self.spki_der() == other.spki_der()
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("algorithm", &self.algorithm)
            .field("spki", &crate::digest::hex(self.spki_der()))
            .finish()
    }
}

/// The key bits of a SubjectPublicKeyInfo: its BIT STRING without the
/// unused-bits octet.
fn spki_key_bits(spki: &[u8]) -> Option<&[u8]> {
    let bit_string = Tlv::read_all(spki)?
        .children()
        .nth(1)
        .filter(|t| t.tag == tag::BIT_STRING)?;
    bit_string.value.get(1..)
}

/// Modulus size of a DER RSAPublicKey.
pub(crate) fn rsa_modulus_bits(rsa_public_key: &[u8]) -> Option<u32> {
    let seq = Tlv::read_all(rsa_public_key)?;
    let modulus = seq.children().next_of(tag::INTEGER)?;
    let digits: &[u8] = match modulus.value {
        [0, rest @ ..] => rest,
        v => v,
    };
    let first = *digits.first()?;
    let len = u32::try_from(digits.len()).ok()?;
    Some(len * 8 - first.leading_zeros())
}

/// A hash function as used in a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// MD2 (broken).
    Md2,
    /// MD5 (broken).
    Md5,
    /// SHA-1 (collisions are practical).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    fn from_oid(oid: &str) -> Option<Self> {
        Some(match oid {
            "1.3.14.3.2.26" => HashAlgorithm::Sha1,
            "2.16.840.1.101.3.4.2.1" => HashAlgorithm::Sha256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithm::Sha384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithm::Sha512,
            "2.16.840.1.101.3.4.2.4" => HashAlgorithm::Sha224,
            _ => return None,
        })
    }

    /// Whether collisions are practical (MD2, MD5, SHA-1).
    pub fn is_weak(self) -> bool {
        matches!(
            self,
            HashAlgorithm::Md2 | HashAlgorithm::Md5 | HashAlgorithm::Sha1
        )
    }

    /// The digest length in bytes.
    pub(crate) fn output_len(self) -> u32 {
        match self {
            HashAlgorithm::Md2 | HashAlgorithm::Md5 => 16,
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HashAlgorithm::Md2 => "MD2",
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha224 => "SHA-224",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        })
    }
}

/// How a certificate or request is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with a hash.
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1 of the same hash.
    RsaPss {
        /// Message and MGF1 hash.
        hash: HashAlgorithm,
        /// Salt length in bytes.
        salt_len: u32,
        /// Whether MGF1 uses a different hash than the message (unsupported).
        mgf_mismatch: bool,
    },
    /// ECDSA with a hash.
    Ecdsa(HashAlgorithm),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// Anything else, by OID.
    Other(String),
}

impl SignatureAlgorithm {
    pub(crate) fn from_x509(alg: &AlgorithmIdentifier<'_>) -> Self {
        use HashAlgorithm::*;
        use SignatureAlgorithm::*;
        let oid = alg.algorithm.to_id_string();
        match oid.as_str() {
            "1.2.840.113549.1.1.2" => RsaPkcs1(Md2),
            "1.2.840.113549.1.1.4" => RsaPkcs1(Md5),
            "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => RsaPkcs1(Sha1),
            "1.2.840.113549.1.1.14" => RsaPkcs1(Sha224),
            "1.2.840.113549.1.1.11" => RsaPkcs1(Sha256),
            "1.2.840.113549.1.1.12" => RsaPkcs1(Sha384),
            "1.2.840.113549.1.1.13" => RsaPkcs1(Sha512),
            "1.2.840.113549.1.1.10" => alg
                .parameters
                .as_ref()
                .and_then(|p| pss_params(p.data))
                .unwrap_or(Other(oid)),
            "1.2.840.10045.4.1" => Ecdsa(Sha1),
            "1.2.840.10045.4.3.1" => Ecdsa(Sha224),
            "1.2.840.10045.4.3.2" => Ecdsa(Sha256),
            "1.2.840.10045.4.3.3" => Ecdsa(Sha384),
            "1.2.840.10045.4.3.4" => Ecdsa(Sha512),
            "1.3.101.112" => Ed25519,
            "1.3.101.113" => Ed448,
            _ => Other(oid),
        }
    }

    /// The hash, for the algorithms that name one.
    pub fn hash(&self) -> Option<HashAlgorithm> {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) | SignatureAlgorithm::Ecdsa(h) => Some(*h),
            SignatureAlgorithm::RsaPss { hash, .. } => Some(*hash),
            _ => None,
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => write!(f, "RSA PKCS#1 v1.5 with {h}"),
            SignatureAlgorithm::RsaPss { hash, salt_len, .. } => {
                write!(f, "RSA-PSS with {hash} (salt {salt_len})")
            }
            SignatureAlgorithm::Ecdsa(h) => write!(f, "ECDSA with {h}"),
            SignatureAlgorithm::Ed25519 => f.write_str("Ed25519"),
            SignatureAlgorithm::Ed448 => f.write_str("Ed448"),
            SignatureAlgorithm::Other(oid) => write!(f, "signature algorithm {oid}"),
        }
    }
}

/// The OID and parameters of an explicitly tagged AlgorithmIdentifier.
fn tagged_algorithm(tagged: Tlv<'_>) -> Option<(String, Option<Tlv<'_>>)> {
    let mut parts = Tlv::read_all(tagged.value)?.children();
    let oid = parts.next_of(tag::OID)?;
    Some((crate::asn1::oid_to_string(oid.value), parts.next()))
}

/// RSASSA-PSS-params (RFC 4055 section 3.1); absent fields take the
/// defaults SHA-1, MGF1-SHA-1, salt 20.
fn pss_params(seq_contents: &[u8]) -> Option<SignatureAlgorithm> {
    let mut hash = HashAlgorithm::Sha1;
    let mut mgf_hash = HashAlgorithm::Sha1;
    let mut salt_len = 20;
    for field in (Tlv {
        tag: tag::SEQUENCE,
        value: seq_contents,
    })
    .children()
    {
        match field.tag {
            0xa0 => hash = HashAlgorithm::from_oid(&tagged_algorithm(field)?.0)?,
            0xa1 => {
                let (mgf, params) = tagged_algorithm(field)?;
                if mgf != "1.2.840.113549.1.1.8" {
                    return None;
                }
                let inner = params?.children().next_of(tag::OID)?;
                mgf_hash = HashAlgorithm::from_oid(&crate::asn1::oid_to_string(inner.value))?;
            }
            0xa2 => salt_len = u32::try_from(Tlv::read_all(field.value)?.as_u64()?).ok()?,
            _ => {}
        }
    }
    Some(SignatureAlgorithm::RsaPss {
        hash,
        salt_len,
        mgf_mismatch: mgf_hash != hash,
    })
}

/// The signed parts of a certificate or request, as spans of its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signed {
    pub(crate) tbs: Span,
    pub(crate) algorithm: SignatureAlgorithm,
    pub(crate) signature: Span,
}

impl Signed {
    pub(crate) fn new(
        der: &[u8],
        tbs: &[u8],
        algorithm: &AlgorithmIdentifier<'_>,
        signature: &[u8],
    ) -> Option<Self> {
        Some(Signed {
            tbs: Span::within(der, tbs)?,
            algorithm: SignatureAlgorithm::from_x509(algorithm),
            signature: Span::within(der, signature)?,
        })
    }
}
