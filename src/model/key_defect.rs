//! Public keys that no peer will accept: a point off its curve, a truncated
//! key, an RSA exponent or modulus that cannot be. OpenSSL refuses each of
//! them when it loads the certificate; certbundle records which it is, and
//! `crypto.strength` fails the chain naming it.

use std::fmt;

use aws_lc_rs::signature::{self as sig, ParsedPublicKey, VerificationAlgorithm};
use serde::Serialize;

use super::algorithm::{Curve, KeyAlgorithm, PublicKey};
use crate::asn1::{tag, Tlv};

/// What is wrong with a public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KeyDefect {
    /// The EC point is the point at infinity (a single `00` octet).
    EcPointAtInfinity,
    /// The EC point has the wrong length for its curve.
    EcPointTruncated {
        /// Octets found.
        len: usize,
    },
    /// The EC point does not satisfy its curve's equation.
    EcPointNotOnCurve,
    /// An Ed25519 key that is not 32 octets.
    Ed25519WrongLength {
        /// Octets found.
        len: usize,
    },
    /// The RSA key is not an RSAPublicKey { modulus, publicExponent }.
    RsaUnparsable,
    /// The RSA public exponent is 1 (the "encryption" is the identity).
    RsaExponentOne,
    /// The RSA public exponent is even (it has no inverse).
    RsaExponentEven,
    /// The RSA modulus is even (it is not a product of two odd primes).
    RsaModulusEven,
}

impl fmt::Display for KeyDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyDefect::EcPointAtInfinity => f.write_str("its EC point is the point at infinity"),
            KeyDefect::EcPointTruncated { len } => {
                write!(f, "its EC point has {len} octets, the wrong length for its curve")
            }
            KeyDefect::EcPointNotOnCurve => f.write_str("its EC point is not on its curve"),
            KeyDefect::Ed25519WrongLength { len } => {
                write!(f, "its Ed25519 key has {len} octets instead of 32")
            }
            KeyDefect::RsaUnparsable => f.write_str("its RSA key is not an RSAPublicKey"),
            KeyDefect::RsaExponentOne => f.write_str("its RSA public exponent is 1"),
            KeyDefect::RsaExponentEven => f.write_str("its RSA public exponent is even"),
            KeyDefect::RsaModulusEven => f.write_str("its RSA modulus is even"),
        }
    }
}

/// The defect of `key`, if it has one; keys of algorithms certbundle does
/// not check are taken as they are.
pub(crate) fn defect(key: &PublicKey) -> Option<KeyDefect> {
    let bits = key.key_bits();
    match key.algorithm() {
        KeyAlgorithm::Rsa { .. } => rsa_defect(bits),
        KeyAlgorithm::Ec { curve } => ec_defect(curve, bits),
        KeyAlgorithm::Ed25519 => {
            (bits.len() != 32).then_some(KeyDefect::Ed25519WrongLength { len: bits.len() })
        }
        _ => None,
    }
}

fn rsa_defect(bits: &[u8]) -> Option<KeyDefect> {
    let mut fields = match Tlv::read_all(bits) {
        Some(seq) if seq.tag == tag::SEQUENCE => seq.children(),
        _ => return Some(KeyDefect::RsaUnparsable),
    };
    let (Some(n), Some(e)) = (fields.next(), fields.next()) else {
        return Some(KeyDefect::RsaUnparsable);
    };
    if n.tag != tag::INTEGER || e.tag != tag::INTEGER {
        return Some(KeyDefect::RsaUnparsable);
    }
    let significant = |v: &[u8]| -> usize { v.iter().take_while(|&&b| b == 0).count() };
    let e_digits = e.value.get(significant(e.value)..).unwrap_or_default();
    if e_digits == [1] {
        return Some(KeyDefect::RsaExponentOne);
    }
    if e.value.last().is_none_or(|b| b & 1 == 0) {
        return Some(KeyDefect::RsaExponentEven);
    }
    if n.value.last().is_none_or(|b| b & 1 == 0) {
        return Some(KeyDefect::RsaModulusEven);
    }
    None
}

fn ec_defect(curve: &Curve, point: &[u8]) -> Option<KeyDefect> {
    let (alg, field): (&'static dyn VerificationAlgorithm, usize) = match curve {
        Curve::P256 => (&sig::ECDSA_P256_SHA256_ASN1, 32),
        Curve::P384 => (&sig::ECDSA_P384_SHA384_ASN1, 48),
        Curve::P521 => (&sig::ECDSA_P521_SHA512_ASN1, 66),
        Curve::Other(_) => return None,
    };
    match point {
        [0x00] => return Some(KeyDefect::EcPointAtInfinity),
        [0x04, ..] if point.len() == 1 + 2 * field => {}
        [0x02 | 0x03, ..] if point.len() == 1 + field => {}
        _ => return Some(KeyDefect::EcPointTruncated { len: point.len() }),
    }
    // aws-lc checks the point against the curve equation when it parses it.
    ParsedPublicKey::new(alg, point)
        .is_err()
        .then_some(KeyDefect::EcPointNotOnCurve)
}
