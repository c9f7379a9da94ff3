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
use crate::decode::oid;
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
            .next_of(tag::SEQUENCE)
            .ok_or_else(|| malformed("MacData without a DigestInfo"))?;
        let salt = fields
            .next_of(tag::OCTET_STRING)
            .ok_or_else(|| malformed("MacData without a salt"))?;
        let iterations = match fields.next() {
            None => 1,
            Some(count) => iteration_count(&count).map_err(Failure::Other)?,
        };
        let mut info = digest_info.children();
        let oid = info
            .next_of(tag::SEQUENCE)
            .and_then(|alg| alg.children().next())
            .filter(|t| t.tag == tag::OID)
            .map(|t| oid_to_string(t.value))
            .ok_or_else(|| malformed("MacData digest algorithm missing"))?;
        let expected = info
            .next_of(tag::OCTET_STRING)
            .ok_or_else(|| malformed("MacData digest missing"))?;
        let (digest, hmac) = match oid.as_str() {
            oid::SHA1 => (
                &digest::SHA1_FOR_LEGACY_USE_ONLY,
                hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            ),
            oid::SHA224 => (&digest::SHA224, hmac::HMAC_SHA224),
            oid::SHA256 => (&digest::SHA256, hmac::HMAC_SHA256),
            oid::SHA384 => (&digest::SHA384, hmac::HMAC_SHA384),
            oid::SHA512 => (&digest::SHA512, hmac::HMAC_SHA512),
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
