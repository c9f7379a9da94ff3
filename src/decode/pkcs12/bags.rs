//! The PFX contents (RFC 7292 sections 4.1 and 4.2): the AuthenticatedSafe
//! and its SafeBags, each ciphertext opened by [`pbe`](crate::decode::pbe)
//! once its own parameters have been checked.
//!
//! ```text
//! AuthenticatedSafe ::= SEQUENCE OF ContentInfo   -- data or encryptedData
//! SafeContents ::= SEQUENCE OF SafeBag
//! SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OPTIONAL }
//! ```

use std::borrow::Cow;

use zeroize::Zeroizing;

use super::{Failure, EXPECTED};
use crate::asn1::{next_oid, oid_to_string, tag, Tlv};
use crate::decode::kdf_cost::KdfMeter;
use crate::decode::oid;
use crate::decode::pbe::{self, PasswordForms, PbeFailure};
use crate::error::ErrorKind;

/// Deepest nesting of safeContentsBags followed (real files use none).
const MAX_SAFE_DEPTH: u32 = 4;

/// Context-specific constructed [0] (EXPLICIT content and bagValue).
const EXPLICIT_0: u8 = 0xa0;
/// Context-specific primitive [0] (IMPLICIT encryptedContent).
const IMPLICIT_0: u8 = 0x80;

/// What the bags hold, in bag order.
#[derive(Default)]
pub(super) struct Contents<'a> {
    /// DER certificates: in the input where it holds them in plaintext
    /// (copying them kept every certificate twice until it reached the
    /// pool), copied out of a decrypted safe, whose plaintext is dropped.
    pub(super) certificates: Vec<Cow<'a, [u8]>>,
    /// Unencrypted PKCS#8 keys.
    pub(super) keys: Vec<Zeroizing<Vec<u8>>>,
}

/// How a certificate found in a SafeContents read from `'d` is kept for `'a`.
type Keep<'d, 'a> = fn(&'d [u8]) -> Cow<'a, [u8]>;

/// One pass over the AuthenticatedSafe under one password form.
pub(super) struct Walk<'a, 'w> {
    password: &'w PasswordForms,
    meter: &'w KdfMeter<'w>,
    /// With a verified MAC, a plaintext that does not parse is corrupt;
    /// without one, it is the usual sign of a wrong password.
    authenticated: bool,
    contents: Contents<'a>,
}

fn malformed(detail: &str) -> Failure {
    Failure::Other(ErrorKind::malformed(EXPECTED, detail))
}

impl<'a, 'w> Walk<'a, 'w> {
    /// Reads every bag of `auth_safe` (the AuthenticatedSafe DER).
    pub(super) fn run(
        auth_safe: &'a [u8],
        password: &'w PasswordForms,
        meter: &'w KdfMeter<'w>,
        authenticated: bool,
    ) -> Result<Contents<'a>, Failure> {
        let mut walk = Walk {
            password,
            meter,
            authenticated,
            contents: Contents::default(),
        };
        let safes = Tlv::read_all_of(auth_safe, tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated AuthenticatedSafe"))?;
        for info in safes.children() {
            walk.content_info(&info)?;
        }
        Ok(walk.contents)
    }

    /// A plaintext that does not have the expected shape.
    fn garbled(&self, detail: &str) -> Failure {
        if self.authenticated {
            malformed(detail)
        } else {
            Failure::Password
        }
    }

    fn content_info(&mut self, info: &Tlv<'a>) -> Result<(), Failure> {
        let mut fields = info.children();
        let content_type =
            next_oid(&mut fields).ok_or_else(|| malformed("ContentInfo without a content type"))?;
        let content = fields
            .next()
            .filter(|t| t.tag == EXPLICIT_0)
            .and_then(|t| Tlv::read_all(t.value))
            .ok_or_else(|| malformed("ContentInfo without [0] content"))?;
        match content_type.as_str() {
            oid::DATA => {
                let data = Some(content)
                    .filter(|t| t.tag == tag::OCTET_STRING)
                    .ok_or_else(|| malformed("data content is not a DER OCTET STRING"))?;
                self.safe_contents(data.value, 0, Cow::Borrowed)
            }
            oid::ENCRYPTED_DATA => {
                let plain = self.encrypted_data(&content)?;
                self.safe_contents(&plain, 0, |der| Cow::Owned(der.to_vec()))
            }
            other => Err(Failure::Other(ErrorKind::Unsupported {
                what: "PKCS#12 content type",
                found: format!(
                    "{other} (expected data or encryptedData; public-key-protected files are not supported)"
                ),
            })),
        }
    }

    /// EncryptedData ::= SEQUENCE { version, EncryptedContentInfo {
    /// contentType, contentEncryptionAlgorithm, [0] IMPLICIT OCTET STRING } }
    fn encrypted_data(&self, content: &Tlv<'_>) -> Result<Zeroizing<Vec<u8>>, Failure> {
        let shape = || malformed("encryptedData is not SEQUENCE { version, EncryptedContentInfo }");
        let mut fields = Some(content)
            .filter(|t| t.tag == tag::SEQUENCE)
            .ok_or_else(shape)?
            .children();
        fields.next_of(tag::INTEGER).ok_or_else(shape)?;
        let info = fields.next_of(tag::SEQUENCE).ok_or_else(shape)?;
        let mut info = info.children();
        info.next_of(tag::OID).ok_or_else(shape)?;
        let algorithm = info.next().ok_or_else(shape)?;
        let ciphertext = info
            .next()
            .filter(|t| t.tag == IMPLICIT_0)
            .ok_or_else(|| malformed("encryptedData content is absent or not a primitive [0] (BER)"))?;
        self.decrypt(&algorithm, ciphertext.value)
    }

    fn decrypt(&self, algorithm: &Tlv<'_>, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Failure> {
        pbe::decrypt(algorithm, ciphertext, Some(self.password), self.meter, EXPECTED).map_err(|e| match e {
            PbeFailure::Padding | PbeFailure::NoPassword => Failure::Password,
            PbeFailure::Refused(kind) => Failure::Other(kind),
        })
    }

    fn safe_contents<'d>(&mut self, der: &'d [u8], depth: u32, keep: Keep<'d, 'a>) -> Result<(), Failure> {
        let bags = Tlv::read_all_of(der, tag::SEQUENCE)
            .ok_or_else(|| self.garbled("SafeContents is not a DER SEQUENCE"))?;
        for bag in bags.children() {
            self.bag(&bag, depth, keep)?;
        }
        Ok(())
    }

    fn bag<'d>(&mut self, bag: &Tlv<'d>, depth: u32, keep: Keep<'d, 'a>) -> Result<(), Failure> {
        let mut fields = bag.children();
        let (Some(id), Some(value)) = (
            fields.next_of(tag::OID),
            fields.next().filter(|t| t.tag == EXPLICIT_0),
        ) else {
            return Err(self.garbled("SafeBag is not SEQUENCE { bagId, [0] bagValue, ... }"));
        };
        match oid_to_string(id.value).as_str() {
            // keyBag: a PrivateKeyInfo as it is.
            oid::KEY_BAG => {
                self.contents.keys.push(Zeroizing::new(value.value.to_vec()));
            }
            // pkcs8ShroudedKeyBag: EncryptedPrivateKeyInfo { algorithm, OCTET STRING }.
            oid::SHROUDED_KEY_BAG => {
                let shape = "pkcs8ShroudedKeyBag is not an EncryptedPrivateKeyInfo";
                let info = Tlv::read_all_of(value.value, tag::SEQUENCE).ok_or_else(|| malformed(shape))?;
                let mut parts = info.children();
                let (Some(algorithm), Some(data)) = (parts.next(), parts.next_of(tag::OCTET_STRING)) else {
                    return Err(malformed(shape));
                };
                let key = self.decrypt(&algorithm, data.value)?;
                if Tlv::read_all(&key).is_none_or(|t| t.tag != tag::SEQUENCE) {
                    return Err(self.garbled("decrypted key is not a PKCS#8 PrivateKeyInfo"));
                }
                self.contents.keys.push(key);
            }
            // certBag: SEQUENCE { certId, [0] EXPLICIT OCTET STRING }.
            oid::CERT_BAG => self.certificate_bag(&value, keep)?,
            // safeContentsBag: SafeContents nested in the bag.
            oid::SAFE_CONTENTS_BAG => {
                if depth >= MAX_SAFE_DEPTH {
                    return Err(malformed("safeContentsBag nested too deeply"));
                }
                self.safe_contents(value.value, depth + 1, keep)?;
            }
            // CRL, secret and unknown bags carry nothing a chain needs.
            _ => {}
        }
        Ok(())
    }

    fn certificate_bag<'d>(&mut self, value: &Tlv<'d>, keep: Keep<'d, 'a>) -> Result<(), Failure> {
        let bag = Tlv::read_all_of(value.value, tag::SEQUENCE)
            .ok_or_else(|| self.garbled("certBag is not a SEQUENCE"))?;
        let mut fields = bag.children();
        let kind = fields
            .next_of(tag::OID)
            .map(|t| oid_to_string(t.value))
            .ok_or_else(|| self.garbled("certBag without a certificate type"))?;
        if kind != oid::X509_CERTIFICATE {
            return Err(Failure::Other(ErrorKind::Unsupported {
                what: "PKCS#12 certificate bag type",
                found: format!("{kind} (expected an X.509 certificate)"),
            }));
        }
        let der = fields
            .next()
            .filter(|t| t.tag == EXPLICIT_0)
            .and_then(|t| Tlv::read_all(t.value))
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| self.garbled("certBag value is not [0] { OCTET STRING }"))?;
        self.contents.certificates.push(keep(der.value));
        Ok(())
    }
}
