//! Private keys: PKCS#8 (plain and encrypted), PKCS#1, SEC1, and OpenSSL's
//! traditional encrypted PEM.
//!
//! Every form is normalised to PKCS#8 DER held in a [`Zeroizing`] buffer.
//! aws-lc-rs parses the PKCS#8 and derives the public key, which also proves
//! the private and public halves belong together. No error message carries
//! key bytes or the password.

mod encrypted;
mod openssl_encrypted;
mod pkcs8_key;
mod rsa;
mod wrap;

pub(crate) use openssl_encrypted::cbc_decrypt;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind};
use crate::input::{Limits, Password};
use crate::model::{KeyEncoding, PrivateKey, Source};

use super::kdf_cost::KdfMeter;
use encrypted::decrypt_pkcs8;
pub(crate) use pkcs8_key::private_key_from_pkcs8;
use wrap::{wrap_pkcs1, wrap_sec1};

/// What a password-protected key is called in errors.
const ENCRYPTED_KEY: &str = "encrypted private key";
/// `expected` of every malformed-key error.
const PRIVATE_KEY: &str = "private key";

/// Decodes a DER private key stored in `encoding`.
///
/// # Errors
/// `PasswordRequired` / `WrongPassword` for encrypted keys, `Unsupported` for
/// unknown algorithms and encryption schemes, `LimitExceeded` for hostile KDF
/// parameters, `Malformed` for anything that does not parse or is
/// inconsistent.
pub(crate) fn decode(
    der: &[u8],
    encoding: KeyEncoding,
    source: &Source,
    password: Option<&Password>,
    meter: &KdfMeter<'_>,
    limits: &Limits,
) -> Result<PrivateKey, Error> {
    let pkcs8 = match encoding {
        KeyEncoding::EncryptedPkcs8 => decrypt_pkcs8(der, password, meter),
        KeyEncoding::Pkcs1 => wrap_pkcs1(der),
        KeyEncoding::Sec1 => wrap_sec1(der),
        // PKCS#8 as it is; a PKCS#12 key bag and a decrypted traditional
        // PEM key are PKCS#8 by the time they get here.
        _ => Ok(Zeroizing::new(der.to_vec())),
    }
    .map_err(|kind| Error::new(source, kind))?;
    private_key_from_pkcs8(pkcs8, encoding, source, limits)
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
    limits: &Limits,
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
    private_key_from_pkcs8(pkcs8, KeyEncoding::OpenSslEncrypted, source, limits)
}
