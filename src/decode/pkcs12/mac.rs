//! The PFX MAC (RFC 7292 section 4 and appendix B): HMAC over the authSafe
//! content, keyed by the PKCS#12 KDF.
//!
//! ```text
//! MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
//! ```

use aws_lc_rs::{digest, hmac};

use super::{Failure, EXPECTED};
use crate::asn1::{oid_to_string, tag, Tlv};
use crate::decode::kdf_cost::{iteration_count, KdfMeter};
use crate::decode::pbe::{pkcs12_kdf, pkcs12_kdf_blocks, Purpose};
use crate::error::ErrorKind;

/// A MacData, read and checked before any password is used.
pub(super) struct Mac<'a> {
    digest: &'static digest::Algorithm,
    hmac: hmac::Algorithm,
    salt: &'a [u8],
    iterations: u64,
    expected: &'a [u8],
}

impl<'a> Mac<'a> {
    /// Reads the MacData: digest algorithm, salt, iteration count.
    pub(super) fn read(mac: &Tlv<'a>) -> Result<Self, Failure> {
        let malformed = |detail: &str| Failure::Other(ErrorKind::malformed(EXPECTED, detail));
        let mut fields = mac.children();
        let digest_info = fields
            .next()
            .filter(|t| t.tag == tag::SEQUENCE)
            .ok_or_else(|| malformed("MacData without a DigestInfo"))?;
        let salt = fields
            .next()
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| malformed("MacData without a salt"))?;
        let iterations = match fields.next() {
            None => 1,
            Some(count) => iteration_count(&count).map_err(Failure::Other)?,
        };
        let mut info = digest_info.children();
        let oid = info
            .next()
            .filter(|t| t.tag == tag::SEQUENCE)
            .and_then(|alg| alg.children().next())
            .filter(|t| t.tag == tag::OID)
            .map(|t| oid_to_string(t.value))
            .ok_or_else(|| malformed("MacData digest algorithm missing"))?;
        let expected = info
            .next()
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| malformed("MacData digest missing"))?;
        let (digest, hmac) = match oid.as_str() {
            "1.3.14.3.2.26" => (
                &digest::SHA1_FOR_LEGACY_USE_ONLY,
                hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            ),
            "2.16.840.1.101.3.4.2.4" => (&digest::SHA224, hmac::HMAC_SHA224),
            "2.16.840.1.101.3.4.2.1" => (&digest::SHA256, hmac::HMAC_SHA256),
            "2.16.840.1.101.3.4.2.2" => (&digest::SHA384, hmac::HMAC_SHA384),
            "2.16.840.1.101.3.4.2.3" => (&digest::SHA512, hmac::HMAC_SHA512),
            _ => {
                return Err(Failure::Other(ErrorKind::Unsupported {
                    what: "PKCS#12 MAC digest",
                    found: oid,
                }))
            }
        };
        Ok(Mac {
            digest,
            hmac,
            salt: salt.value,
            iterations,
            expected: expected.value,
        })
    }

    /// Whether the MAC over `content` verifies with the formatted password
    /// octets `password`; the KDF cost is checked and charged first.
    pub(super) fn verifies(
        &self,
        content: &[u8],
        password: &[u8],
        meter: &KdfMeter<'_>,
    ) -> Result<bool, Failure> {
        let out_len = self.digest.output_len();
        meter
            .pkcs12(self.iterations, pkcs12_kdf_blocks(self.digest, out_len))
            .map_err(Failure::Other)?;
        let key = pkcs12_kdf(
            self.digest,
            password,
            self.salt,
            Purpose::Mac,
            self.iterations,
            out_len,
        );
        let key = hmac::Key::new(self.hmac, &key);
        Ok(hmac::verify(&key, content, self.expected).is_ok())
    }
}
