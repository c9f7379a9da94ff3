//! Private keys: PKCS#8 (plain and encrypted), PKCS#1, SEC1, and OpenSSL's
//! traditional encrypted PEM.
//!
//! Every form is normalised to PKCS#8 DER held in a [`Zeroizing`] buffer.
//! aws-lc-rs parses the PKCS#8 and derives the public key, which also proves
//! the private and public halves belong together. No error message carries
//! key bytes or the password.

mod openssl_encrypted;

pub(crate) use openssl_encrypted::cbc_decrypt;

use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use zeroize::Zeroizing;

use crate::asn1::{oid_to_string, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::input::{Limits, Password};
use crate::model::{rsa_modulus_bits, Curve, KeyAlgorithm, KeyEncoding, PrivateKey, PublicKey, Source};

/// The DER private key structures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyForm {
    /// PKCS#8 PrivateKeyInfo / OneAsymmetricKey.
    Pkcs8,
    /// PKCS#8 EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// PKCS#1 RSAPrivateKey.
    Pkcs1,
    /// SEC1 ECPrivateKey.
    Sec1,
}

/// What a password-protected key is called in errors.
const ENCRYPTED_KEY: &str = "encrypted private key";
/// `expected` of every malformed-key error.
const PRIVATE_KEY: &str = "private key";

/// DER of `AlgorithmIdentifier { rsaEncryption, NULL }`.
const RSA_ENCRYPTION_ALG_ID: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
/// DER contents of the id-ecPublicKey OBJECT IDENTIFIER (1.2.840.10045.2.1).
const EC_PUBLIC_KEY_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// Decodes a DER private key of the given form.
///
/// # Errors
/// `PasswordRequired` / `WrongPassword` for encrypted keys, `Unsupported` for
/// unknown algorithms and encryption schemes, `LimitExceeded` for hostile KDF
/// parameters, `Malformed` for anything that does not parse or is
/// inconsistent.
pub(crate) fn decode(
    der: &[u8],
    form: KeyForm,
    source: &Source,
    password: Option<&Password>,
    limits: &Limits,
) -> Result<PrivateKey, Error> {
    match form {
        KeyForm::Pkcs8 => private_key_from_pkcs8(Zeroizing::new(der.to_vec()), KeyEncoding::Pkcs8, source),
        KeyForm::EncryptedPkcs8 => {
            super::kdf::check(der, limits, source)?;
            let pkcs8 = decrypt_pkcs8(der, password).map_err(|kind| Error::new(source, kind))?;
            private_key_from_pkcs8(pkcs8, KeyEncoding::EncryptedPkcs8, source)
        }
        KeyForm::Pkcs1 => {
            let pkcs8 = wrap_pkcs1(der).map_err(|kind| Error::new(source, kind))?;
            private_key_from_pkcs8(pkcs8, KeyEncoding::Pkcs1, source)
        }
        KeyForm::Sec1 => {
            let pkcs8 = wrap_sec1(der).map_err(|kind| Error::new(source, kind))?;
            private_key_from_pkcs8(pkcs8, KeyEncoding::Sec1, source)
        }
    }
}

/// Decodes an OpenSSL traditional encrypted PEM key (`Proc-Type:
/// 4,ENCRYPTED`); `label` is `RSA PRIVATE KEY` or `EC PRIVATE KEY`, `der` the
/// encrypted body.
///
/// # Errors
/// `PasswordRequired`, `WrongPassword` (bad padding or a plaintext that is
/// not a key), `Unsupported` / `Malformed` naming an unusable `DEK-Info`.
pub(crate) fn decode_openssl_encrypted(
    label: &str,
    dek_info: &str,
    der: &[u8],
    source: &Source,
    password: Option<&Password>,
) -> Result<PrivateKey, Error> {
    let fail = |kind| Error::new(source, kind);
    let wrong_password = || fail(ErrorKind::WrongPassword { what: ENCRYPTED_KEY });
    let sec1 = match label {
        "RSA PRIVATE KEY" => false,
        "EC PRIVATE KEY" => true,
        other => {
            return Err(fail(ErrorKind::Unsupported {
                what: "encrypted PEM block",
                found: other.to_owned(),
            }))
        }
    };
    if dek_info.is_empty() {
        return Err(fail(ErrorKind::malformed(
            "encrypted PEM block",
            "`Proc-Type: 4,ENCRYPTED` without a `DEK-Info` header",
        )));
    }
    let password = password.ok_or_else(|| fail(ErrorKind::PasswordRequired { what: ENCRYPTED_KEY }))?;
    let plain =
        openssl_encrypted::decrypt(dek_info, der, password.as_str().as_bytes()).map_err(|f| match f {
            openssl_encrypted::Failure::Header(kind) => fail(kind),
            openssl_encrypted::Failure::Padding => wrong_password(),
        })?;
    // Padding passes by chance about 1 time in 256: a plaintext that is not
    // the expected structure means the password was wrong.
    let pkcs8 = if sec1 {
        wrap_sec1(&plain)
    } else {
        wrap_pkcs1(&plain)
    }
    .map_err(|_| wrong_password())?;
    private_key_from_pkcs8(pkcs8, KeyEncoding::OpenSslEncrypted, source)
}

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
) -> Result<PrivateKey, Error> {
    let public_key = public_key_of(&pkcs8).map_err(|kind| Error::new(source, kind))?;
    Ok(PrivateKey::new(pkcs8, public_key, encoding, source.clone()))
}

/// The fields of a PrivateKeyInfo that matter here.
struct Pkcs8Parts<'a> {
    /// The AlgorithmIdentifier contents (OID and parameters).
    algorithm: &'a [u8],
    /// The algorithm OID, dotted.
    oid: String,
    /// The parameters element, if any.
    parameters: Option<Tlv<'a>>,
    /// The privateKey OCTET STRING contents.
    private_key: &'a [u8],
}

fn pkcs8_parts(pkcs8: &[u8]) -> Option<Pkcs8Parts<'_>> {
    let seq = Tlv::read_all(pkcs8).filter(|t| t.tag == tag::SEQUENCE)?;
    let mut fields = seq.children();
    let version = fields.next().filter(|t| t.tag == tag::INTEGER)?.as_u64()?;
    if version > 1 {
        return None;
    }
    let algorithm = fields.next().filter(|t| t.tag == tag::SEQUENCE)?;
    let private_key = fields.next().filter(|t| t.tag == tag::OCTET_STRING)?;
    let mut alg = algorithm.children();
    let oid = alg.next().filter(|t| t.tag == tag::OID)?;
    Some(Pkcs8Parts {
        algorithm: algorithm.value,
        oid: oid_to_string(oid.value),
        parameters: alg.next(),
        private_key: private_key.value,
    })
}

/// Derives the public key of unencrypted PKCS#8 DER.
fn public_key_of(pkcs8: &[u8]) -> Result<PublicKey, ErrorKind> {
    let parts = pkcs8_parts(pkcs8).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a PKCS#8 PrivateKeyInfo (expected SEQUENCE { version, algorithm, privateKey })",
        )
    })?;
    let alg_id = der_tlv(tag::SEQUENCE, &[parts.algorithm]);
    match parts.oid.as_str() {
        // rsaEncryption and id-RSASSA-PSS carry the same RSAPrivateKey.
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => rsa_public_key(parts.private_key, alg_id),
        "1.2.840.10045.2.1" => {
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
                        found: curve_name(&oid),
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
        "1.3.101.112" => {
            let pair =
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|e| rejected("Ed25519", &e))?;
            let key = pair.public_key().as_ref().to_vec();
            Ok(PublicKey::from_parts(KeyAlgorithm::Ed25519, spki(&alg_id, &key)))
        }
        other => Err(ErrorKind::Unsupported {
            what: "private key algorithm",
            found: algorithm_name(other),
        }),
    }
}

/// Names the private key algorithms certbundle recognises but cannot use.
fn algorithm_name(oid: &str) -> String {
    let name = match oid {
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.10046.2.1" => "Diffie-Hellman",
        "1.2.643.2.2.19" | "1.2.643.7.1.1.1.1" | "1.2.643.7.1.1.1.2" => "GOST",
        "1.2.156.10197.1.301" => "SM2",
        _ => return oid.to_owned(),
    };
    format!("{name} ({oid})")
}

/// Names the curves certbundle recognises but cannot use.
fn curve_name(oid: &str) -> String {
    let name = match oid {
        "1.3.132.0.10" => "secp256k1",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        "1.2.156.10197.1.301" => "SM2",
        _ => return oid.to_owned(),
    };
    format!("{name} ({oid})")
}

/// The public key of an RSA PKCS#8: its `n` and `e`, once `p * q = n` has
/// shown they belong to the private primes. That is the whole consistency
/// check: aws-lc's full key validation costs ~170 us per RSA-2048 key (a
/// third of validating a portal bundle) and refuses keys under 2048 bits,
/// which are still read here so that `crypto.strength` can report them.
/// rustls validates the key in full when a TLS configuration loads it.
fn rsa_public_key(rsa_private_key: &[u8], alg_id: Vec<u8>) -> Result<PublicKey, ErrorKind> {
    let fields = Rsa::parse(rsa_private_key)
        .ok_or_else(|| ErrorKind::malformed(PRIVATE_KEY, "RSA key: not a PKCS#1 RSAPrivateKey"))?;
    let key = der_tlv(tag::SEQUENCE, &[fields.n, fields.e]);
    let bits = rsa_modulus_bits(&key).unwrap_or(0);
    if !fields.factors_match() {
        return Err(ErrorKind::malformed(
            PRIVATE_KEY,
            format!("RSA-{bits} key is inconsistent: its primes do not multiply to its modulus"),
        ));
    }
    Ok(PublicKey::from_parts(
        KeyAlgorithm::Rsa { bits },
        spki(&alg_id, &key),
    ))
}

/// The DER-encoded INTEGER elements of an RSAPrivateKey (tag and length included).
struct Rsa<'a> {
    n: &'a [u8],
    e: &'a [u8],
    p: &'a [u8],
    q: &'a [u8],
}

impl<'a> Rsa<'a> {
    fn parse(der: &'a [u8]) -> Option<Self> {
        let seq = Tlv::read_all(der).filter(|t| t.tag == tag::SEQUENCE)?;
        let mut rest = seq.value;
        let mut next = || -> Option<&'a [u8]> {
            let (tlv, after) = Tlv::read(rest)?;
            let whole = rest.get(..rest.len() - after.len())?;
            rest = after;
            (tlv.tag == tag::INTEGER).then_some(whole)
        };
        let version = next()?;
        if version != [0x02, 0x01, 0x00] {
            return None;
        }
        let (n, e, _d, p, q) = (next()?, next()?, next()?, next()?, next()?);
        Some(Rsa { n, e, p, q })
    }

    /// Whether p * q = n (schoolbook multiplication on 32-bit limbs).
    fn factors_match(&self) -> bool {
        let limbs = |tlv: &[u8]| -> Zeroizing<Vec<u64>> {
            let value = Tlv::read_all(tlv).map_or(&[][..], |t| t.value);
            let mut out = Zeroizing::new(Vec::with_capacity(value.len() / 4 + 1));
            for chunk in value.rchunks(4) {
                out.push(chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)));
            }
            while out.last() == Some(&0) {
                out.pop();
            }
            out
        };
        let (n, p, q) = (limbs(self.n), limbs(self.p), limbs(self.q));
        if p.is_empty() || q.is_empty() {
            return false;
        }
        let mut product = Zeroizing::new(vec![0u64; p.len() + q.len()]);
        for (i, &a) in p.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in q.iter().enumerate() {
                let Some(slot) = product.get_mut(i + j) else {
                    return false;
                };
                let t = a * b + *slot + carry;
                *slot = t & 0xffff_ffff;
                carry = t >> 32;
            }
            if let Some(slot) = product.get_mut(i + q.len()) {
                *slot = carry;
            }
        }
        while product.last() == Some(&0) {
            product.pop();
        }
        *product == *n
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

/// How to re-encrypt a key in a scheme certbundle reads.
const CONVERT: &str = "convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key`";

/// Decrypts an EncryptedPrivateKeyInfo to PKCS#8 DER.
fn decrypt_pkcs8(der: &[u8], password: Option<&Password>) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    use pkcs8::pkcs5;

    let scheme = Tlv::read_all(der)
        .and_then(|seq| seq.children().next())
        .and_then(|alg| alg.children().next())
        .filter(|oid| oid.tag == tag::OID)
        .map(|oid| oid_to_string(oid.value))
        .ok_or_else(|| ErrorKind::malformed(ENCRYPTED_KEY, "not a PKCS#8 EncryptedPrivateKeyInfo"))?;
    if let Some(n) = scheme.strip_prefix("1.2.840.113549.1.12.1.") {
        let name = match n {
            "1" => "pbeWithSHAAnd128BitRC4",
            "2" => "pbeWithSHAAnd40BitRC4",
            "3" | "4" => return pkcs12_pbe::decrypt(der, n == "3", password),
            "5" => "pbeWithSHAAnd128BitRC2-CBC",
            "6" => "pbeWithSHAAnd40BitRC2-CBC",
            _ => "PKCS#12 PBE",
        };
        return Err(ErrorKind::Unsupported {
            what: "private key encryption",
            found: format!("{name} ({scheme}, PKCS#12 PBE, old Java/Windows style); {CONVERT}"),
        });
    }
    let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der)
        .map_err(|e| ErrorKind::malformed(ENCRYPTED_KEY, e))?;
    let password = password.ok_or(ErrorKind::PasswordRequired { what: ENCRYPTED_KEY })?;
    let document = info.decrypt(password.as_str()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::UnsupportedAlgorithm { oid }) => {
            ErrorKind::Unsupported {
                what: "private key encryption",
                found: format!("{oid}; {CONVERT}"),
            }
        }
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::NoPbes1CryptSupport) => ErrorKind::Unsupported {
            what: "private key encryption",
            found: format!("PBES1 ({scheme}); {CONVERT}"),
        },
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::AlgorithmParametersInvalid { oid }) => {
            ErrorKind::malformed(ENCRYPTED_KEY, format!("invalid parameters for {oid}"))
        }
        _ => ErrorKind::WrongPassword { what: ENCRYPTED_KEY },
    })?;
    checked_plaintext(Zeroizing::new(document.as_bytes().to_vec()))
}

/// A decrypted plaintext that is not a PrivateKeyInfo means the padding
/// check passed by chance (about 1 time in 256) with a wrong password.
fn checked_plaintext(pkcs8: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    if pkcs8_parts(&pkcs8).is_none() || pkcs8::PrivateKeyInfoRef::try_from(pkcs8.as_slice()).is_err() {
        return Err(ErrorKind::WrongPassword { what: ENCRYPTED_KEY });
    }
    Ok(pkcs8)
}

/// PKCS#8 encrypted with PKCS#12 PBE and 3DES (`openssl pkcs8 -v1
/// PBE-SHA1-3DES`, old Java and Windows exports), which the `pkcs8` crate
/// does not read. The iteration count was checked by `kdf::check`.
mod pkcs12_pbe {
    use aws_lc_rs::digest::{Context, SHA1_FOR_LEGACY_USE_ONLY};
    use zeroize::Zeroizing;

    use super::{checked_plaintext, openssl_encrypted::cbc_decrypt, ENCRYPTED_KEY};
    use crate::asn1::{tag, Tlv};
    use crate::error::ErrorKind;
    use crate::input::Password;

    /// `three_key`: pbeWithSHAAnd3-KeyTripleDES-CBC, else the 2-key variant.
    pub(super) fn decrypt(
        der: &[u8],
        three_key: bool,
        password: Option<&Password>,
    ) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
        let malformed = || ErrorKind::malformed(ENCRYPTED_KEY, "bad PKCS#12 PBE parameters");
        let mut fields = Tlv::read_all(der).ok_or_else(malformed)?.children();
        let algorithm = fields.next().ok_or_else(malformed)?;
        let data = fields
            .next()
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(malformed)?;
        let mut params = algorithm.children().nth(1).ok_or_else(malformed)?.children();
        let salt = params
            .next()
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(malformed)?;
        let iterations = params.next().and_then(|t| t.as_u64()).ok_or_else(malformed)?;
        let password = password.ok_or(ErrorKind::PasswordRequired { what: ENCRYPTED_KEY })?;
        let key_len = if three_key { 24 } else { 16 };
        let key = kdf(password.as_str(), salt.value, iterations, 1, key_len);
        let iv = kdf(password.as_str(), salt.value, iterations, 2, 8);
        let plain = if three_key {
            cbc_decrypt::<des::TdesEde3>(&key, &iv, data.value)
        } else {
            cbc_decrypt::<des::TdesEde2>(&key, &iv, data.value)
        };
        checked_plaintext(plain.ok_or(ErrorKind::WrongPassword { what: ENCRYPTED_KEY })?)
    }

    /// The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-1.
    fn kdf(password: &str, salt: &[u8], iterations: u64, id: u8, len: usize) -> Zeroizing<Vec<u8>> {
        const V: usize = 64;
        // BMPString with a terminating NUL.
        let bmp: Zeroizing<Vec<u8>> = Zeroizing::new(
            password
                .encode_utf16()
                .flat_map(u16::to_be_bytes)
                .chain([0, 0])
                .collect(),
        );
        let mut i = Zeroizing::new(Vec::with_capacity(V * (salt.len() + bmp.len()).div_ceil(V) + V));
        for src in [salt, bmp.as_slice()] {
            i.extend(src.iter().copied().cycle().take(V * src.len().div_ceil(V)));
        }
        let mut out = Zeroizing::new(Vec::with_capacity(len + 20));
        loop {
            let mut ctx = Context::new(&SHA1_FOR_LEGACY_USE_ONLY);
            ctx.update(&[id; V]);
            ctx.update(&i);
            let mut a = Zeroizing::new(ctx.finish().as_ref().to_vec());
            for _ in 1..iterations {
                a = Zeroizing::new(
                    aws_lc_rs::digest::digest(&SHA1_FOR_LEGACY_USE_ONLY, &a)
                        .as_ref()
                        .to_vec(),
                );
            }
            out.extend_from_slice(&a);
            if out.len() >= len {
                out.truncate(len);
                return out;
            }
            // I_j = (I_j + B + 1) mod 2^512, B = A repeated to 64 bytes.
            let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.iter().copied().cycle().take(V).collect());
            for block in i.chunks_mut(V) {
                let mut carry = 1u16;
                for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                    let sum = u16::from(*x) + u16::from(*y) + carry;
                    *x = sum.to_le_bytes()[0];
                    carry = sum >> 8;
                }
            }
        }
    }
}

/// PKCS#1 RSAPrivateKey → PKCS#8 with rsaEncryption.
fn wrap_pkcs1(der: &[u8]) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    Rsa::parse(der).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a PKCS#1 RSAPrivateKey (expected SEQUENCE { 0, n, e, d, p, q, ... })",
        )
    })?;
    Ok(wrap(RSA_ENCRYPTION_ALG_ID, der))
}

/// SEC1 ECPrivateKey → PKCS#8 with id-ecPublicKey and the named curve.
fn wrap_sec1(der: &[u8]) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    let not_sec1 = || {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a SEC1 ECPrivateKey (expected SEQUENCE { 1, privateKey, [0] curve, [1] publicKey })",
        )
    };
    let seq = Tlv::read_all(der)
        .filter(|t| t.tag == tag::SEQUENCE)
        .ok_or_else(not_sec1)?;
    let mut fields = seq.children();
    let version = fields
        .next()
        .filter(|t| t.tag == tag::INTEGER)
        .and_then(|t| t.as_u64());
    let key = fields.next().filter(|t| t.tag == tag::OCTET_STRING);
    if version != Some(1) || key.is_none() {
        return Err(not_sec1());
    }
    let parameters = fields.find(|t| t.tag == 0xa0).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "SEC1 EC PRIVATE KEY has no curve parameters, so its curve is unknown; \
             re-export it with `openssl ec -param_enc named_curve` or as PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)",
        )
    })?;
    let curve = Tlv::read_all(parameters.value).ok_or_else(not_sec1)?;
    if curve.tag != tag::OID {
        return Err(ErrorKind::Unsupported {
            what: "EC curve",
            found: "explicit curve parameters; re-export with `openssl ec -param_enc named_curve`".to_owned(),
        });
    }
    let alg_id = der_tlv(
        tag::SEQUENCE,
        &[&der_tlv(tag::OID, &[EC_PUBLIC_KEY_OID]), parameters.value],
    );
    Ok(wrap(&alg_id, der))
}

/// `PrivateKeyInfo { 0, alg_id, OCTET STRING private_key }`, built in one
/// allocation so no copy of the key is left behind by a reallocation.
fn wrap(alg_id: &[u8], private_key: &[u8]) -> Zeroizing<Vec<u8>> {
    const VERSION: &[u8] = &[0x02, 0x01, 0x00];
    let octet_header = header(tag::OCTET_STRING, private_key.len());
    let inner = VERSION.len() + alg_id.len() + octet_header.len() + private_key.len();
    let outer_header = header(tag::SEQUENCE, inner);
    let mut out = Zeroizing::new(Vec::with_capacity(outer_header.len() + inner));
    for part in [&outer_header[..], VERSION, alg_id, &octet_header, private_key] {
        out.extend_from_slice(part);
    }
    out
}

/// SubjectPublicKeyInfo `{ alg_id, BIT STRING key }`.
fn spki(alg_id: &[u8], key: &[u8]) -> Vec<u8> {
    der_tlv(tag::SEQUENCE, &[alg_id, &der_tlv(tag::BIT_STRING, &[&[0], key])])
}

/// A DER element whose contents are `parts` concatenated (public data only).
fn der_tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len = parts.iter().map(|p| p.len()).sum();
    let mut out = header(tag, len);
    out.reserve(len);
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// A DER tag and definite length.
fn header(tag: u8, len: usize) -> Vec<u8> {
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_encode_short_and_long_forms() {
        assert_eq!(header(0x04, 5), vec![0x04, 5]);
        assert_eq!(header(0x04, 0x80), vec![0x04, 0x81, 0x80]);
        assert_eq!(header(0x30, 0x4a1), vec![0x30, 0x82, 0x04, 0xa1]);
    }

    #[test]
    fn sec1_without_curve_parameters_is_a_clear_error() {
        // SEQUENCE { INTEGER 1, OCTET STRING (32 bytes) } with no [0] curve.
        let der = der_tlv(0x30, &[&[0x02, 0x01, 0x01], &der_tlv(0x04, &[&[7u8; 32]])]);
        let err = wrap_sec1(&der).unwrap_err().to_string();
        assert!(err.contains("no curve parameters"), "{err}");
    }

    #[test]
    fn unknown_pkcs8_algorithm_is_unsupported_and_named() {
        // PrivateKeyInfo with Ed448 (1.3.101.113).
        let alg = der_tlv(0x30, &[&[0x06, 0x03, 0x2b, 0x65, 0x71]]);
        let pkcs8 = wrap(&alg, &der_tlv(0x04, &[&[1u8; 57]]));
        match public_key_of(&pkcs8).unwrap_err() {
            ErrorKind::Unsupported { what, found } => {
                assert_eq!(what, "private key algorithm");
                assert_eq!(found, "Ed448 (1.3.101.113)");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn schoolbook_product_checks_rsa_factors() {
        let int = |v: &[u8]| der_tlv(0x02, &[v]);
        // 0xfffb * 0xfff1 = 0xffec_004b
        let (n, p, q) = (
            int(&[0x00, 0xff, 0xec, 0x00, 0x4b]),
            int(&[0x00, 0xff, 0xfb]),
            int(&[0x00, 0xff, 0xf1]),
        );
        let rsa = Rsa {
            n: &n,
            e: &int(&[3]),
            p: &p,
            q: &q,
        };
        assert!(rsa.factors_match());
        let wrong = int(&[0x00, 0xff, 0xec, 0x00, 0x4d]);
        assert!(!Rsa { n: &wrong, ..rsa }.factors_match());
    }
}
