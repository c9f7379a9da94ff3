//! Private keys: PKCS#8 (plain and encrypted), PKCS#1, SEC1, and OpenSSL's
//! traditional encrypted PEM. (Being written: placeholder signatures.)

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind};
use crate::input::{Limits, Password};
use crate::model::{KeyEncoding, PrivateKey, Source};

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

pub(crate) fn decode(
    _der: &[u8],
    form: KeyForm,
    source: &Source,
    _password: Option<&Password>,
    _limits: &Limits,
) -> Result<PrivateKey, Error> {
    Err(Error::new(
        source,
        ErrorKind::Unsupported {
            what: "private key",
            found: format!("{form:?}"),
        },
    ))
}

pub(crate) fn decode_openssl_encrypted(
    label: &str,
    _dek_info: &str,
    _der: &[u8],
    source: &Source,
    _password: Option<&Password>,
) -> Result<PrivateKey, Error> {
    Err(Error::new(
        source,
        ErrorKind::Unsupported {
            what: "private key",
            found: label.to_owned(),
        },
    ))
}

pub(crate) fn private_key_from_pkcs8(
    _pkcs8: Zeroizing<Vec<u8>>,
    _encoding: KeyEncoding,
    source: &Source,
) -> Result<PrivateKey, Error> {
    Err(Error::new(
        source,
        ErrorKind::Unsupported {
            what: "private key",
            found: "pkcs8".to_owned(),
        },
    ))
}
