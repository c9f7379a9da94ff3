//! Signature verification with aws-lc-rs, for every algorithm a client
//! chain uses: RSA PKCS#1 v1.5 (SHA-1/256/384/512), RSA-PSS, ECDSA P-256 /
//! P-384 / P-521, Ed25519.

use aws_lc_rs::signature::{self as sig, UnparsedPublicKey, VerificationAlgorithm};

use crate::model::{Curve, HashAlgorithm, KeyAlgorithm, PublicKey, SignatureAlgorithm};

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature is wrong for this key (or the key is the wrong type).
    Invalid,
    /// certbundle cannot check this algorithm (named in the string).
    Unsupported(String),
    /// The issuer's RSA key is larger than the crypto library verifies
    /// with (8,192 bits): the signature may well be good.
    UnsupportedKeySize {
        /// The issuer key's modulus size.
        bits: u32,
    },
}

/// Largest RSA modulus aws-lc-rs verifies with.
const MAX_VERIFY_RSA_BITS: u32 = 8192;

/// Verifies `signature` over `message` with `key`.
pub(crate) fn verify(
    message: &[u8],
    algorithm: &SignatureAlgorithm,
    signature: &[u8],
    key: &PublicKey,
) -> Result<(), VerifyError> {
    if let KeyAlgorithm::Rsa { bits } = key.algorithm() {
        if *bits > MAX_VERIFY_RSA_BITS {
            return Err(VerifyError::UnsupportedKeySize { bits: *bits });
        }
    }
    let verifier = verifier(algorithm, key.algorithm())?;
    UnparsedPublicKey::new(verifier, key.key_bits())
        .verify(message, signature)
        .map_err(|_| VerifyError::Invalid)
}

fn verifier(
    algorithm: &SignatureAlgorithm,
    key: &KeyAlgorithm,
) -> Result<&'static dyn VerificationAlgorithm, VerifyError> {
    use HashAlgorithm::*;
    let unsupported = || VerifyError::Unsupported(format!("{algorithm} (issuer key {key})"));
    Ok(match (algorithm, key) {
        (SignatureAlgorithm::RsaPkcs1(hash), KeyAlgorithm::Rsa { bits }) => match (hash, *bits >= 2048) {
            // The 1024-bit variants let a weak key be verified and then
            // reported by crypto.strength, instead of failing as "invalid".
            (Sha1, _) => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            (Sha256, true) => &sig::RSA_PKCS1_2048_8192_SHA256,
            (Sha256, false) => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            (Sha384, _) => &sig::RSA_PKCS1_2048_8192_SHA384,
            (Sha512, true) => &sig::RSA_PKCS1_2048_8192_SHA512,
            (Sha512, false) => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            _ => return Err(unsupported()),
        },
        (
            SignatureAlgorithm::RsaPss {
                hash,
                salt_len,
                mgf_mismatch: false,
            },
            KeyAlgorithm::Rsa { .. },
        ) if *salt_len == hash.output_len() => match hash {
            Sha256 => &sig::RSA_PSS_2048_8192_SHA256,
            Sha384 => &sig::RSA_PSS_2048_8192_SHA384,
            Sha512 => &sig::RSA_PSS_2048_8192_SHA512,
            _ => return Err(unsupported()),
        },
        // Other salt lengths or MGF1 hashes: aws-lc-rs fixes salt = hash length.
        (SignatureAlgorithm::RsaPss { .. }, KeyAlgorithm::Rsa { .. }) => return Err(unsupported()),
        (SignatureAlgorithm::Ecdsa(hash), KeyAlgorithm::Ec { curve }) => match (curve, hash) {
            (Curve::P256, Sha1) => &sig::ECDSA_P256_SHA1_ASN1,
            (Curve::P256, Sha256) => &sig::ECDSA_P256_SHA256_ASN1,
            (Curve::P256, Sha384) => &sig::ECDSA_P256_SHA384_ASN1,
            (Curve::P256, Sha512) => &sig::ECDSA_P256_SHA512_ASN1,
            (Curve::P384, Sha256) => &sig::ECDSA_P384_SHA256_ASN1,
            (Curve::P384, Sha384) => &sig::ECDSA_P384_SHA384_ASN1,
            (Curve::P384, Sha512) => &sig::ECDSA_P384_SHA512_ASN1,
            (Curve::P521, Sha512) => &sig::ECDSA_P521_SHA512_ASN1,
            _ => return Err(unsupported()),
        },
        (SignatureAlgorithm::Ed25519, KeyAlgorithm::Ed25519) => &sig::ED25519,
        // A known algorithm with the wrong key type cannot be valid.
        (
            SignatureAlgorithm::RsaPkcs1(_)
            | SignatureAlgorithm::RsaPss { .. }
            | SignatureAlgorithm::Ecdsa(_)
            | SignatureAlgorithm::Ed25519,
            KeyAlgorithm::Rsa { .. } | KeyAlgorithm::Ec { .. } | KeyAlgorithm::Ed25519,
        ) => return Err(VerifyError::Invalid),
        _ => return Err(unsupported()),
    })
}
