//! The object identifiers the decoders act on, in one place and one form
//! (dotted text, as `asn1::oid_to_string` renders them), with the few DER
//! templates the key wrapper writes checked against them in a test.
//! Tables that only name OIDs for messages (curves and key algorithms
//! certbundle does not use) stay beside their messages.

/// PKCS#7 data (RFC 5652).
pub(crate) const DATA: &str = "1.2.840.113549.1.7.1";
/// PKCS#7 signedData.
pub(crate) const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// PKCS#7 encryptedData.
pub(crate) const ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";

/// PKCS#12 keyBag (RFC 7292 section 4.2.1).
pub(crate) const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
/// PKCS#12 pkcs8ShroudedKeyBag.
pub(crate) const SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
/// PKCS#12 certBag.
pub(crate) const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
/// PKCS#12 safeContentsBag.
pub(crate) const SAFE_CONTENTS_BAG: &str = "1.2.840.113549.1.12.10.1.6";
/// certBag type x509Certificate (PKCS#9).
pub(crate) const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";

/// PKCS#12 PBE arc (RFC 7292 appendix C), followed by the cipher number.
pub(crate) const PKCS12_PBE_ARC: &str = "1.2.840.113549.1.12.1.";
/// pbeWithSHAAnd3-KeyTripleDES-CBC.
pub(crate) const PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
/// pbeWithSHAAnd2-KeyTripleDES-CBC.
pub(crate) const PBE_SHA1_2DES: &str = "1.2.840.113549.1.12.1.4";
/// pbeWithSHAAnd128BitRC2-CBC.
pub(crate) const PBE_SHA1_RC2_128: &str = "1.2.840.113549.1.12.1.5";
/// pbeWithSHAAnd40BitRC2-CBC.
pub(crate) const PBE_SHA1_RC2_40: &str = "1.2.840.113549.1.12.1.6";
/// PKCS#5 arc (PBES1 schemes, PBKDF2, PBES2).
pub(crate) const PKCS5_ARC: &str = "1.2.840.113549.1.5.";
/// id-PBES2 (RFC 8018).
pub(crate) const PBES2: &str = "1.2.840.113549.1.5.13";

/// SHA-1 (MAC digest).
pub(crate) const SHA1: &str = "1.3.14.3.2.26";
/// SHA-224.
pub(crate) const SHA224: &str = "2.16.840.1.101.3.4.2.4";
/// SHA-256.
pub(crate) const SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// SHA-384.
pub(crate) const SHA384: &str = "2.16.840.1.101.3.4.2.2";
/// SHA-512.
pub(crate) const SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// rsaEncryption.
pub(crate) const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// id-RSASSA-PSS.
pub(crate) const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
/// id-ecPublicKey.
pub(crate) const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
/// id-Ed25519.
pub(crate) const ED25519: &str = "1.3.101.112";

/// DER contents of the id-ecPublicKey OBJECT IDENTIFIER ([`EC_PUBLIC_KEY`]).
pub(crate) const EC_PUBLIC_KEY_DER: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// DER of `AlgorithmIdentifier { rsaEncryption, NULL }` ([`RSA_ENCRYPTION`]).
pub(crate) const RSA_ENCRYPTION_ALG_ID: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
/// DER contents of the PKCS#7 content-type arc 1.2.840.113549.1.7 (sniffing).
pub(crate) const PKCS7_ARC_DER: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::asn1::{oid_to_string, Tlv};

    #[test]
    fn der_templates_are_the_dotted_oids() {
        assert_eq!(oid_to_string(EC_PUBLIC_KEY_DER), EC_PUBLIC_KEY);
        let alg = Tlv::read_all(RSA_ENCRYPTION_ALG_ID).unwrap();
        assert_eq!(
            oid_to_string(alg.children().next().unwrap().value),
            RSA_ENCRYPTION
        );
        assert_eq!(
            format!("{}.", oid_to_string(PKCS7_ARC_DER)),
            &DATA[..DATA.len() - 1]
        );
    }
}
