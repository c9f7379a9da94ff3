//! Password-based decryption: the one place a password becomes a key.
//!
//! PBES2 (PBKDF2 or scrypt, then AES/3DES-CBC) goes through the `pkcs5`
//! crate once its parsed parameters, the very values it will use, have
//! passed [`KdfMeter`]; PKCS#12 PBE (RFC 7292 appendix C: 3DES and RC2 with
//! the PKCS#12 KDF) is done here, because no maintained crate decrypts it
//! under a zero-length password.

mod pkcs12_kdf;

pub(crate) use pkcs12_kdf::{blocks as pkcs12_kdf_blocks, derive as pkcs12_kdf, Purpose};

use aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, InnerIvInit, KeyInit};
use der::Decode;
use pkcs8::pkcs5::{self, pbes2};
use zeroize::Zeroizing;

use super::kdf_cost::{iteration_count, key_length_sane, KdfMeter};
use super::oid;
use crate::asn1::{oid_to_string, tag, Tlv};
use crate::error::ErrorKind;

/// A password in the two forms the schemes derive from.
pub(crate) struct PasswordForms {
    /// UTF-8 octets (PBES2, as OpenSSL and Java write it).
    pub(crate) utf8: Zeroizing<Vec<u8>>,
    /// PKCS#12 form: BMPString with a two-byte terminator, or zero-length
    /// (the "NULL password" of OpenSSL's API).
    pub(crate) bmp: Zeroizing<Vec<u8>>,
}

impl PasswordForms {
    /// `password` as UTF-8 and as a terminated BMPString.
    pub(crate) fn new(password: &str) -> Self {
        PasswordForms {
            utf8: Zeroizing::new(password.as_bytes().to_vec()),
            bmp: Zeroizing::new(
                password
                    .encode_utf16()
                    .chain([0])
                    .flat_map(u16::to_be_bytes)
                    .collect(),
            ),
        }
    }

    /// The two encodings of an empty password: the empty BMPString `00 00`
    /// first (what OpenSSL's `-passout pass:` writes), then zero-length.
    pub(crate) fn empty() -> [Self; 2] {
        [
            PasswordForms::new(""),
            PasswordForms {
                utf8: Zeroizing::new(Vec::new()),
                bmp: Zeroizing::new(Vec::new()),
            },
        ]
    }
}

/// Why a decryption failed.
#[derive(Debug)]
pub(crate) enum PbeFailure {
    /// The padding did not check out: almost always a wrong password.
    Padding,
    /// No password was given for a scheme that needs one.
    NoPassword,
    /// Unsupported scheme, malformed parameters, a limit: already mapped.
    Refused(ErrorKind),
}

impl From<ErrorKind> for PbeFailure {
    fn from(kind: ErrorKind) -> Self {
        PbeFailure::Refused(kind)
    }
}

/// The PKCS#12 PBE ciphers (RFC 7292 appendix C).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pkcs12Cipher {
    TripleDes3Key,
    TripleDes2Key,
    Rc2_128,
    Rc2_40,
}

impl Pkcs12Cipher {
    fn from_oid(oid: &str) -> Option<Self> {
        Some(match oid {
            oid::PBE_SHA1_3DES => Pkcs12Cipher::TripleDes3Key,
            oid::PBE_SHA1_2DES => Pkcs12Cipher::TripleDes2Key,
            oid::PBE_SHA1_RC2_128 => Pkcs12Cipher::Rc2_128,
            oid::PBE_SHA1_RC2_40 => Pkcs12Cipher::Rc2_40,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Pkcs12Cipher::TripleDes3Key => 24,
            Pkcs12Cipher::TripleDes2Key | Pkcs12Cipher::Rc2_128 => 16,
            Pkcs12Cipher::Rc2_40 => 5,
        }
    }
}

/// Whether `oid` names a scheme [`decrypt`] handles.
pub(crate) fn is_supported(oid: &str) -> bool {
    oid == oid::PBES2 || Pkcs12Cipher::from_oid(oid).is_some()
}

/// Decrypts `ciphertext` under the AlgorithmIdentifier `algorithm` (the
/// whole SEQUENCE). The KDF parameters are read and checked before the
/// password is even looked at, so a hostile parameter set is refused the
/// same with or without one.
pub(crate) fn decrypt(
    algorithm: &Tlv<'_>,
    ciphertext: &[u8],
    password: Option<&PasswordForms>,
    meter: &KdfMeter<'_>,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, PbeFailure> {
    let malformed = |detail: &str| PbeFailure::Refused(ErrorKind::malformed(what, detail));
    if algorithm.tag != tag::SEQUENCE {
        return Err(malformed(
            "encryption algorithm is not an AlgorithmIdentifier SEQUENCE",
        ));
    }
    let (oid, params) = Tlv::read(algorithm.value)
        .filter(|(oid, _)| oid.tag == tag::OID)
        .ok_or_else(|| malformed("encryption algorithm without an OID"))?;
    let oid = oid_to_string(oid.value);
    let sealed = Sealed {
        ciphertext,
        password,
        meter,
        what,
    };
    if oid == oid::PBES2 {
        return pbes2(params, sealed);
    }
    let Some(cipher) = Pkcs12Cipher::from_oid(&oid) else {
        return Err(PbeFailure::Refused(ErrorKind::Unsupported {
            what: "password-based encryption scheme",
            found: format!("{oid} (expected PBES2 with PBKDF2 or scrypt, or PKCS#12 PBE with 3DES or RC2)"),
        }));
    };
    pkcs12_pbe(cipher, params, sealed)
}

/// What both schemes decrypt with, besides their parameters.
#[derive(Clone, Copy)]
struct Sealed<'a, 'm> {
    ciphertext: &'a [u8],
    password: Option<&'a PasswordForms>,
    meter: &'a KdfMeter<'m>,
    /// What is encrypted, named in errors.
    what: &'static str,
}

/// PBES2: parse with `pkcs5`, check exactly what it parsed, then decrypt.
fn pbes2(params: &[u8], sealed: Sealed<'_, '_>) -> Result<Zeroizing<Vec<u8>>, PbeFailure> {
    let params = pbes2::Parameters::from_der(params).map_err(|e| {
        PbeFailure::Refused(ErrorKind::malformed(
            sealed.what,
            format!("PBES2 parameters: {e}"),
        ))
    })?;
    let key_size = params.encryption.key_size();
    match &params.kdf {
        pbes2::Kdf::Pbkdf2(kdf) => {
            key_length_sane(kdf.key_length.map(u64::from))?;
            let hash_len = match kdf.prf {
                pbes2::Pbkdf2Prf::HmacWithSha1 => 20,
                pbes2::Pbkdf2Prf::HmacWithSha224 => 28,
                pbes2::Pbkdf2Prf::HmacWithSha256 => 32,
                pbes2::Pbkdf2Prf::HmacWithSha384 => 48,
                pbes2::Pbkdf2Prf::HmacWithSha512 => 64,
                // A PRF added to pkcs5 later: counted as the shortest hash.
                _ => 20,
            };
            let blocks = u64::try_from(key_size.div_ceil(hash_len)).unwrap_or(u64::MAX);
            sealed.meter.pbkdf2(u64::from(kdf.iteration_count), blocks)?;
        }
        pbes2::Kdf::Scrypt(kdf) => sealed.meter.scrypt(
            kdf.cost_parameter,
            u64::from(kdf.block_size),
            u64::from(kdf.parallelization),
            kdf.key_length.map(u64::from),
        )?,
        other => {
            return Err(PbeFailure::Refused(ErrorKind::Unsupported {
                what: "PBES2 key derivation function",
                found: other.oid().to_string(),
            }))
        }
    }
    let password = sealed.password.ok_or(PbeFailure::NoPassword)?;
    let mut buffer = Zeroizing::new(sealed.ciphertext.to_vec());
    let len = params
        .decrypt_in_place(password.utf8.as_slice(), &mut buffer)
        .map_err(|e| match e {
            pkcs5::Error::UnsupportedAlgorithm { oid } => PbeFailure::Refused(ErrorKind::Unsupported {
                what: "PBES2 cipher",
                found: oid.to_string(),
            }),
            pkcs5::Error::AlgorithmParametersInvalid { oid } => PbeFailure::Refused(ErrorKind::malformed(
                sealed.what,
                format!("invalid parameters for {oid}"),
            )),
            _ => PbeFailure::Padding,
        })?
        .len();
    buffer.truncate(len);
    Ok(buffer)
}

/// PKCS#12 PBE: `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
fn pkcs12_pbe(
    cipher: Pkcs12Cipher,
    params: &[u8],
    sealed: Sealed<'_, '_>,
) -> Result<Zeroizing<Vec<u8>>, PbeFailure> {
    let malformed = || {
        PbeFailure::Refused(ErrorKind::malformed(
            sealed.what,
            "PKCS#12 PBE parameters are not SEQUENCE { salt OCTET STRING, iterations INTEGER }",
        ))
    };
    let params = Tlv::read_all_of(params, tag::SEQUENCE).ok_or_else(malformed)?;
    let mut fields = params.children();
    let salt = fields.next_of(tag::OCTET_STRING).ok_or_else(malformed)?;
    let iterations = iteration_count(&fields.next().ok_or_else(malformed)?)?;
    if fields.next().is_some() {
        return Err(malformed());
    }
    let alg = &SHA1_FOR_LEGACY_USE_ONLY;
    let blocks = pkcs12_kdf_blocks(alg, cipher.key_len()).saturating_add(pkcs12_kdf_blocks(alg, 8));
    sealed.meter.pkcs12(iterations, blocks)?;
    let password = sealed.password.ok_or(PbeFailure::NoPassword)?;
    let derive = |purpose, len| pkcs12_kdf(alg, &password.bmp, salt.value, purpose, iterations, len);
    let key = derive(Purpose::Key, cipher.key_len());
    let iv = derive(Purpose::Iv, 8);
    let plain = match cipher {
        Pkcs12Cipher::TripleDes3Key => {
            cbc_decrypt(des::TdesEde3::new_from_slice(&key).ok(), &iv, sealed.ciphertext)
        }
        Pkcs12Cipher::TripleDes2Key => {
            cbc_decrypt(des::TdesEde2::new_from_slice(&key).ok(), &iv, sealed.ciphertext)
        }
        Pkcs12Cipher::Rc2_128 => cbc_decrypt(
            Some(rc2::Rc2::new_with_eff_key_len(&key, 128)),
            &iv,
            sealed.ciphertext,
        ),
        Pkcs12Cipher::Rc2_40 => cbc_decrypt(
            Some(rc2::Rc2::new_with_eff_key_len(&key, 40)),
            &iv,
            sealed.ciphertext,
        ),
    };
    plain.ok_or(PbeFailure::Padding)
}

/// CBC with PKCS#7 padding under an initialised block cipher.
fn cbc_decrypt<C>(cipher: Option<C>, iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: BlockCipherDecrypt,
    cbc::Decryptor<C>: InnerIvInit<Inner = C> + BlockModeDecrypt,
{
    cbc::Decryptor::<C>::inner_iv_slice_init(cipher?, iv)
        .ok()?
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
        .map(Zeroizing::new)
}
