//! PKCS#8 EncryptedPrivateKeyInfo, opened through the shared
//! [`pbe`](crate::decode::pbe) module once its KDF parameters pass.

use zeroize::Zeroizing;

use super::pkcs8_key::pkcs8_parts;
use super::ENCRYPTED_KEY;
use crate::asn1::{oid_to_string, tag, Tlv};
use crate::decode::kdf_cost::KdfMeter;
use crate::decode::oid;
use crate::decode::pbe::{self, PasswordForms, PbeFailure};
use crate::error::ErrorKind;
use crate::input::Password;

/// How to re-encrypt a key in a scheme certbundle reads.
const CONVERT: &str = "convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key`";

/// Decrypts an EncryptedPrivateKeyInfo to PKCS#8 DER.
pub(super) fn decrypt_pkcs8(
    der: &[u8],
    password: Option<&Password>,
    meter: &KdfMeter<'_>,
) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    let not_encrypted_key = || ErrorKind::malformed(ENCRYPTED_KEY, "not a PKCS#8 EncryptedPrivateKeyInfo");
    let info = Tlv::read_all_of(der, tag::SEQUENCE).ok_or_else(not_encrypted_key)?;
    let mut fields = info.children();
    let (Some(algorithm), Some(data)) = (fields.next(), fields.next_of(tag::OCTET_STRING)) else {
        return Err(not_encrypted_key());
    };
    let scheme = algorithm
        .children()
        .next_of(tag::OID)
        .map(|oid| oid_to_string(oid.value))
        .ok_or_else(not_encrypted_key)?;
    unsupported_scheme(&scheme)?;
    let forms = password.map(|p| PasswordForms::new(p.as_str()));
    let plain =
        pbe::decrypt(&algorithm, data.value, forms.as_ref(), meter, ENCRYPTED_KEY).map_err(|e| match e {
            PbeFailure::Padding => ErrorKind::WrongPassword { what: ENCRYPTED_KEY },
            PbeFailure::NoPassword => ErrorKind::PasswordRequired { what: ENCRYPTED_KEY },
            PbeFailure::Refused(kind) => kind,
        })?;
    checked_plaintext(plain)
}

/// Refuses, with a conversion hint, the schemes keys are not read in: RC4
/// and RC2 PKCS#12 PBE (old Java and Windows exports) and PBES1.
fn unsupported_scheme(scheme: &str) -> Result<(), ErrorKind> {
    if pbe::is_supported(scheme) && !matches!(scheme, oid::PBE_SHA1_RC2_128 | oid::PBE_SHA1_RC2_40) {
        return Ok(());
    }
    let found = match scheme.strip_prefix(oid::PKCS12_PBE_ARC) {
        Some(n) => {
            let name = match n {
                "1" => "pbeWithSHAAnd128BitRC4",
                "2" => "pbeWithSHAAnd40BitRC4",
                "5" => "pbeWithSHAAnd128BitRC2-CBC",
                "6" => "pbeWithSHAAnd40BitRC2-CBC",
                _ => "PKCS#12 PBE",
            };
            format!("{name} ({scheme}, PKCS#12 PBE, old Java/Windows style); {CONVERT}")
        }
        None if scheme.starts_with(oid::PKCS5_ARC) => format!("PBES1 ({scheme}); {CONVERT}"),
        None => format!("{scheme}; {CONVERT}"),
    };
    Err(ErrorKind::Unsupported {
        what: "private key encryption",
        found,
    })
}

/// A decrypted plaintext that is not a PrivateKeyInfo means the padding
/// check passed by chance (about 1 time in 256) with a wrong password.
pub(super) fn checked_plaintext(pkcs8: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    if pkcs8_parts(&pkcs8).is_none() || pkcs8::PrivateKeyInfoRef::try_from(pkcs8.as_slice()).is_err() {
        return Err(ErrorKind::WrongPassword { what: ENCRYPTED_KEY });
    }
    Ok(pkcs8)
}
