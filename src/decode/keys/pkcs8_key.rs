//! PKCS#8 PrivateKeyInfo to the model key: the algorithm named, the public
//! key derived (which proves the halves belong together).

use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use zeroize::Zeroizing;

use super::rsa::rsa_public_key;
use super::wrap::spki;
use super::PRIVATE_KEY;
use crate::asn1::{oid_to_string, tag, write, Tlv};
use crate::decode::oid;
use crate::error::{Error, ErrorKind};
use crate::input::Limits;
use crate::model::{Curve, KeyAlgorithm, KeyEncoding, PrivateKey, PublicKey, Source};

/// Builds the model key from unencrypted PKCS#8 DER: checks the algorithm,
/// derives the public key (which proves the halves are consistent).
///
/// # Errors
/// `Unsupported` for algorithms other than RSA, EC P-256/384/521 and
/// Ed25519; `Malformed` when the key does not parse or is inconsistent.
pub(crate) fn private_key_from_pkcs8(
    pkcs8: Zeroizing<Vec<u8>>,
    encoding: KeyEncoding,
    source: &Source,
    limits: &Limits,
) -> Result<PrivateKey, Error> {
    let public_key = public_key_of(&pkcs8, limits).map_err(|kind| Error::new(source, kind))?;
    Ok(PrivateKey::new(pkcs8, public_key, encoding, source.clone()))
}

/// The fields of a PrivateKeyInfo that matter here.
pub(super) struct Pkcs8Parts<'a> {
    /// The AlgorithmIdentifier contents (OID and parameters).
    algorithm: &'a [u8],
    /// The algorithm OID, dotted.
    oid: String,
    /// The parameters element, if any.
    parameters: Option<Tlv<'a>>,
    /// The privateKey OCTET STRING contents.
    private_key: &'a [u8],
}

pub(super) fn pkcs8_parts(pkcs8: &[u8]) -> Option<Pkcs8Parts<'_>> {
    let seq = Tlv::read_all_of(pkcs8, tag::SEQUENCE)?;
    let mut fields = seq.children();
    let version = fields.next_of(tag::INTEGER)?.as_u64()?;
    if version > 1 {
        return None;
    }
    let algorithm = fields.next_of(tag::SEQUENCE)?;
    let private_key = fields.next_of(tag::OCTET_STRING)?;
    let mut alg = algorithm.children();
    let oid = alg.next_of(tag::OID)?;
    Some(Pkcs8Parts {
        algorithm: algorithm.value,
        oid: oid_to_string(oid.value),
        parameters: alg.next(),
        private_key: private_key.value,
    })
}

/// Derives the public key of unencrypted PKCS#8 DER.
fn public_key_of(pkcs8: &[u8], limits: &Limits) -> Result<PublicKey, ErrorKind> {
    let parts = pkcs8_parts(pkcs8).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a PKCS#8 PrivateKeyInfo (expected SEQUENCE { version, algorithm, privateKey })",
        )
    })?;
    let alg_id = write::element(tag::SEQUENCE, &[parts.algorithm]);
    match parts.oid.as_str() {
        // rsaEncryption and id-RSASSA-PSS carry the same RSAPrivateKey.
        oid::RSA_ENCRYPTION | oid::RSASSA_PSS => rsa_public_key(parts.private_key, alg_id, limits),
        oid::EC_PUBLIC_KEY => {
            let curve_oid = parts
                .parameters
                .filter(|t| t.tag == tag::OID)
                .map(|t| oid_to_string(t.value))
                .ok_or_else(|| {
                    ErrorKind::malformed(
                        PRIVATE_KEY,
                        "EC key without a named curve (explicit or missing curve parameters)",
                    )
                })?;
            let curve = Curve::from_oid(&curve_oid);
            let (alg, name): (&'static signature::EcdsaSigningAlgorithm, _) = match curve {
                Curve::P256 => (&signature::ECDSA_P256_SHA256_ASN1_SIGNING, "P-256"),
                Curve::P384 => (&signature::ECDSA_P384_SHA384_ASN1_SIGNING, "P-384"),
                Curve::P521 => (&signature::ECDSA_P521_SHA512_ASN1_SIGNING, "P-521"),
                Curve::Other(oid) => {
                    return Err(ErrorKind::Unsupported {
                        what: "EC curve",
                        found: named(&oid, UNUSABLE_CURVES),
                    })
                }
            };
            let pair = EcdsaKeyPair::from_pkcs8(alg, pkcs8).map_err(|e| rejected(name, &e))?;
            let point = pair.public_key().as_ref().to_vec();
            Ok(PublicKey::from_parts(
                KeyAlgorithm::Ec { curve },
                spki(&alg_id, &point),
            ))
        }
        oid::ED25519 => {
            let pair =
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|e| rejected("Ed25519", &e))?;
            let key = pair.public_key().as_ref().to_vec();
            Ok(PublicKey::from_parts(KeyAlgorithm::Ed25519, spki(&alg_id, &key)))
        }
        other => Err(ErrorKind::Unsupported {
            what: "private key algorithm",
            found: named(other, UNUSABLE_ALGORITHMS),
        }),
    }
}

/// The private key algorithms certbundle recognises but cannot use.
const UNUSABLE_ALGORITHMS: &[(&str, &str)] = &[
    ("1.3.101.113", "Ed448"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.2.840.10046.2.1", "Diffie-Hellman"),
    ("1.2.643.2.2.19", "GOST"),
    ("1.2.643.7.1.1.1.1", "GOST"),
    ("1.2.643.7.1.1.1.2", "GOST"),
    ("1.2.156.10197.1.301", "SM2"),
];

/// The curves certbundle recognises but cannot use.
const UNUSABLE_CURVES: &[(&str, &str)] = &[
    ("1.3.132.0.10", "secp256k1"),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"),
    ("1.2.156.10197.1.301", "SM2"),
];

/// `oid` with its name from `known` (`name (oid)`), or the bare OID.
fn named(oid: &str, known: &[(&str, &str)]) -> String {
    match known.iter().find(|(o, _)| *o == oid) {
        Some((_, name)) => format!("{name} ({oid})"),
        None => oid.to_owned(),
    }
}

/// A one-line reason for an aws-lc-rs rejection; never key material.
fn rejected(algorithm: &str, e: &aws_lc_rs::error::KeyRejected) -> ErrorKind {
    let why = match e.to_string().as_str() {
        "InconsistentComponents" => "its public and private parts do not match".to_owned(),
        "InvalidEncoding" => "its encoding is invalid".to_owned(),
        "WrongAlgorithm" => "the key does not match its algorithm identifier".to_owned(),
        "TooSmall" => "the key is too small".to_owned(),
        "TooLarge" => "the key is too large (RSA keys up to 8192 bits are read)".to_owned(),
        other => format!("rejected by the crypto library ({other})"),
    };
    ErrorKind::malformed(PRIVATE_KEY, format!("{algorithm} key: {why}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::super::wrap::wrap;
    use super::*;

    #[test]
    fn unknown_pkcs8_algorithm_is_unsupported_and_named() {
        // PrivateKeyInfo with Ed448 (1.3.101.113).
        let alg = write::element(0x30, &[&[0x06, 0x03, 0x2b, 0x65, 0x71]]);
        let pkcs8 = wrap(&alg, &write::element(0x04, &[&[1u8; 57]]));
        match public_key_of(&pkcs8, &Limits::default()).unwrap_err() {
            ErrorKind::Unsupported { what, found } => {
                assert_eq!(what, "private key algorithm");
                assert_eq!(found, "Ed448 (1.3.101.113)");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_oid_is_named_from_its_own_table_else_shown_bare() {
        assert_eq!(
            named("1.2.643.7.1.1.1.2", UNUSABLE_ALGORITHMS),
            "GOST (1.2.643.7.1.1.1.2)"
        );
        assert_eq!(
            named("1.3.36.3.3.2.8.1.1.13", UNUSABLE_CURVES),
            "brainpoolP512r1 (1.3.36.3.3.2.8.1.1.13)"
        );
        // A curve OID is not an algorithm's name, and an unknown one is bare.
        assert_eq!(named("1.3.132.0.10", UNUSABLE_ALGORITHMS), "1.3.132.0.10");
        assert_eq!(named("1.2.3.4", UNUSABLE_CURVES), "1.2.3.4");
    }
}
