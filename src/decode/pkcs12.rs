//! PKCS#12 / PFX (RFC 7292): the `.p12` / `.pfx` a client certificate is
//! most often delivered in, from OpenSSL, Java keytool or Windows.
//!
//! ```text
//! PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData MacData OPTIONAL }
//! ```
//!
//! Read here, not by a PKCS#12 crate, so that every KDF runs only after its
//! own parameters passed [`KdfMeter`](super::kdf_cost::KdfMeter): the MAC's
//! before the MAC, each bag's right before that bag is opened, including
//! bags inside an encryptedData. Every certificate bag and every key bag
//! goes into the pool in bag order; linking keys to certificates is the
//! chain builder's job.
//!
//! Passwords: an empty password has two encodings in the wild, the empty
//! BMPString with its two-byte terminator (OpenSSL's `-passout pass:`) and
//! a zero-length octet string (a NULL password in OpenSSL's API, and older
//! tools' "no password" files). Both are tried when no password (or `""`)
//! is given, for the MAC and for PKCS#12-PBE bags (RC2, 3DES) alike.

mod bags;
mod mac;

use crate::asn1::{oid_to_string, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::model::{KeyEncoding, Source};

use super::kdf_cost::KdfMeter;
use super::pbe::PasswordForms;
use super::{oid, Decoder};
use bags::{Contents, Walk};
use mac::Mac;

/// What a password opens, in error messages.
const WHAT: &str = "PKCS#12 file";
/// The structure being read, in `Malformed` errors.
const EXPECTED: &str = "PKCS#12 PFX";

/// Decodes a PFX: every certificate bag, then every key bag, into the pool.
///
/// # Errors
/// `LimitExceeded` for KDF parameters above [`Limits`](crate::Limits)
/// (checked before that KDF runs); `PasswordRequired` / `WrongPassword`;
/// `Malformed` for broken or truncated structure or invalid KDF
/// parameters; `Unsupported` for schemes certbundle does not read.
pub(super) fn decode(dec: &mut Decoder<'_>, der: &[u8], source: &Source) -> Result<(), Error> {
    let layout = Layout::read(der).map_err(|kind| Error::new(source, kind))?;
    let given = dec.password.map(|p| p.as_str());
    let candidates: Vec<PasswordForms> = match given {
        Some(password) if !password.is_empty() => vec![PasswordForms::new(password)],
        _ => PasswordForms::empty().into(),
    };
    let contents = open(&layout, &candidates, &dec.kdf).map_err(|failure| match failure {
        Failure::Password if given.is_none() => {
            Error::new(source, ErrorKind::PasswordRequired { what: WHAT })
        }
        Failure::Password => Error::new(source, ErrorKind::WrongPassword { what: WHAT }),
        Failure::Other(kind) => Error::new(source, kind),
    })?;
    let Contents { certificates, keys } = contents;
    // Room reserved once (doubling held both buffers at the last growth),
    // for no more than the pool may hold: the bags are not certificates yet.
    dec.pool
        .reserve_certificates(certificates.len().min(dec.limits.max_certificates));
    for der in certificates {
        dec.certificate(der.into_owned(), source)?;
    }
    for pkcs8 in keys {
        let key = super::keys::private_key_from_pkcs8(pkcs8, KeyEncoding::Pkcs12, source, dec.limits)?;
        dec.key(key);
    }
    Ok(())
}

/// Why an attempt to open the file failed.
enum Failure {
    /// The password does not open it (MAC mismatch or decryption failure).
    Password,
    /// Anything else, already mapped.
    Other(ErrorKind),
}

/// With a MAC, the password form that verifies it opens the bags; without
/// one, each form is tried on the bags in turn.
fn open<'a>(
    layout: &Layout<'a>,
    candidates: &[PasswordForms],
    meter: &KdfMeter<'_>,
) -> Result<Contents<'a>, Failure> {
    if let Some(mac) = &layout.mac {
        let mac = Mac::read(mac)?;
        for forms in candidates {
            if mac.verifies(layout.auth_safe_content, &forms.bmp, meter)? {
                return Walk::run(layout.auth_safe_content, forms, meter, true);
            }
        }
        return Err(Failure::Password);
    }
    for forms in candidates {
        match Walk::run(layout.auth_safe_content, forms, meter, false) {
            Err(Failure::Password) => continue,
            done => return done,
        }
    }
    Err(Failure::Password)
}

/// The plaintext outer layers of a PFX, checked before any password is used.
struct Layout<'a> {
    /// The octets the MAC covers: the authSafe Data content.
    auth_safe_content: &'a [u8],
    /// The MacData, when present.
    mac: Option<Tlv<'a>>,
}

impl<'a> Layout<'a> {
    /// Checks the shape: SEQUENCE { INTEGER, ContentInfo { data, [0] { OCTET
    /// STRING { SEQUENCE OF ContentInfo } } }, MacData? }, all complete.
    fn read(der: &'a [u8]) -> Result<Self, ErrorKind> {
        let malformed = |detail: &str| ErrorKind::malformed(EXPECTED, detail);
        if der.get(1) == Some(&0x80) {
            return Err(malformed(
                "indefinite lengths (BER) are not supported; re-encode it with \
                 `openssl pkcs12 -in in.p12 -export -out out.p12`",
            ));
        }
        let pfx = Tlv::read_all_of(der, tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated, or not a DER SEQUENCE"))?;
        let (version, rest) =
            Tlv::read(pfx.value).ok_or_else(|| malformed("truncated before the version"))?;
        if version.as_u64() != Some(3) {
            return Err(malformed("unsupported version (expected v3)"));
        }
        let (auth_safe, rest) = Tlv::read(rest)
            .filter(|(t, _)| t.tag == tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated or missing authSafe ContentInfo"))?;
        let mac = match rest {
            [] => None,
            _ => Some(
                Tlv::read_all_of(rest, tag::SEQUENCE)
                    .ok_or_else(|| malformed("truncated or trailing data after the MacData"))?,
            ),
        };
        let mut info = auth_safe.children();
        let content_type = info
            .next_of(tag::OID)
            .ok_or_else(|| malformed("authSafe has no content type"))?;
        let content_type = oid_to_string(content_type.value);
        if content_type != oid::DATA {
            return Err(ErrorKind::Unsupported {
                what: "PKCS#12 authSafe content type",
                found: format!("{content_type} (expected data 1.2.840.113549.1.7.1; public-key integrity mode is not supported)"),
            });
        }
        let auth_safe_content = info
            .next()
            .filter(|t| t.tag == 0xa0)
            .and_then(|explicit| Tlv::read_all(explicit.value))
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| malformed("authSafe content is not a DER OCTET STRING"))?
            .value;
        let safes = Tlv::read_all_of(auth_safe_content, tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated AuthenticatedSafe"))?;
        let mut rest = safes.value;
        while !rest.is_empty() {
            let (safe, after) = Tlv::read(rest)
                .filter(|(t, _)| t.tag == tag::SEQUENCE)
                .ok_or_else(|| malformed("truncated ContentInfo in the AuthenticatedSafe"))?;
            let mut kids = safe.children();
            if kids.next_of(tag::OID).is_none() {
                return Err(malformed("ContentInfo without a content type"));
            }
            rest = after;
        }
        Ok(Layout {
            auth_safe_content,
            mac,
        })
    }

    #[cfg(test)]
    fn has_mac(&self) -> bool {
        self.mac.is_some()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    use crate::digest::unhex as hex;

    /// SEQUENCE { INTEGER 3, ContentInfo { data, [0] { OCTET STRING { SEQUENCE {} } } } }
    fn minimal_pfx() -> Vec<u8> {
        hex("3016020103301106092a864886f70d010701a00404023000")
    }

    #[test]
    fn layout_accepts_a_complete_pfx_and_rejects_every_truncation() {
        let pfx = minimal_pfx();
        let layout = Layout::read(&pfx).unwrap();
        assert!(!layout.has_mac());
        for len in 0..pfx.len() {
            match Layout::read(&pfx[..len]) {
                Err(ErrorKind::Malformed {
                    expected: EXPECTED, ..
                }) => {}
                other => panic!("cut at {len}: {:?}", other.err()),
            }
        }
    }
}
