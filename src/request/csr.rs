//! A PKCS#10 request (RFC 2986) for an RSA key, signed with
//! sha256WithRSAEncryption, built from x509-cert's types and signed by
//! aws-lc-rs.
//!
//! The string types are OpenSSL's (`string_mask = utf8only`): the country
//! a PrintableString (RFC 5280 Appendix A), emailAddress an IA5String
//! (PKCS#9), every other value a UTF8String (RFC 5280 section 4.1.2.4).
//!
//! Why x509-cert and not rcgen's `serialize_request`: x509-cert is already
//! in the tree (rcgen is not) and its DER encoder writes what we hand it,
//! so each string type above is chosen here, and the SubjectPublicKeyInfo is
//! aws-lc-rs's own (rsaEncryption with NULL parameters). The test below
//! pins the result against a request `openssl req` made: same subject
//! bytes, attributes, algorithm identifiers and length.

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use der::asn1::{
    Any, BitString, Ia5StringRef, ObjectIdentifier, PrintableStringRef, SetOfVec, Utf8StringRef,
};
use der::{Decode, Encode};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, CertReqInfo, Version};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::subject::{AttributeType, Subject};

/// sha256WithRSAEncryption (RFC 4055 section 5; its parameters are NULL).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// The DER of a request for `key` with `subject`, no attributes.
pub(super) fn build(subject: &Subject, key: &KeyPair) -> Result<Vec<u8>, String> {
    let text = |e: der::Error| e.to_string();
    let spki: PublicKeyX509Der<'static> = key
        .public_key()
        .as_der()
        .map_err(|_| "cannot encode the public key".to_owned())?;
    let info = CertReqInfo {
        version: Version::V1,
        subject: name(subject)?,
        public_key: SubjectPublicKeyInfoOwned::from_der(spki.as_ref()).map_err(text)?,
        attributes: SetOfVec::new(),
    };
    let tbs = info.to_der().map_err(text)?;
    let mut signature = vec![0u8; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        &tbs,
        &mut signature,
    )
    .map_err(|_| "the RSA signature failed".to_owned())?;
    CertReq {
        info,
        algorithm: AlgorithmIdentifierOwned {
            oid: SHA256_WITH_RSA,
            parameters: Some(Any::null()),
        },
        signature: BitString::new(0, signature).map_err(text)?,
    }
    .to_der()
    .map_err(text)
}

/// The subject as a Name: one attribute per RDN, in the given order.
fn name(subject: &Subject) -> Result<Name, String> {
    let text = |e: der::Error| e.to_string();
    let mut rdns = RdnSequence::default();
    for (kind, value) in subject.attributes() {
        let value = match kind {
            AttributeType::Country => Any::encode_from(&PrintableStringRef::new(value).map_err(text)?),
            AttributeType::EmailAddress => Any::encode_from(&Ia5StringRef::new(value).map_err(text)?),
            _ => Any::encode_from(&Utf8StringRef::new(value).map_err(text)?),
        }
        .map_err(text)?;
        let mut rdn = RelativeDistinguishedName::default();
        rdn.insert(AttributeTypeAndValue {
            oid: ObjectIdentifier::new(kind.oid()).map_err(|e| e.to_string())?,
            value,
        })
        .map_err(text)?;
        rdns.push(rdn);
    }
    // x509-cert builds a Name only from its own parser: go through DER.
    Name::from_der(&rdns.to_der().map_err(text)?).map_err(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The guide's CSR, made by `openssl req -newkey rsa:2048` (testdata/gen.sh).
    fn openssl_csr() -> CertReq {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/MYCSR.csr");
        let pem = ::pem::parse(std::fs::read(path).unwrap()).unwrap();
        CertReq::from_der(pem.contents()).unwrap()
    }

    #[test]
    fn the_request_is_encoded_like_openssl_req_writes_it() {
        let key = KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let subject = Subject::parse("C=US, O=Example Corp, CN=MTF XBS").unwrap();
        let der = build(&subject, &key).unwrap();
        let ours = CertReq::from_der(&der).unwrap();
        let theirs = openssl_csr();
        // Same subject bytes (string types included), version, empty
        // attributes, rsaEncryption with NULL parameters, and
        // sha256WithRSAEncryption with NULL parameters (RFC 4055 section 5).
        assert_eq!(
            ours.info.subject.to_der().unwrap(),
            theirs.info.subject.to_der().unwrap()
        );
        assert_eq!(ours.info.version, theirs.info.version);
        assert_eq!(ours.info.attributes, theirs.info.attributes);
        assert_eq!(ours.info.public_key.algorithm, theirs.info.public_key.algorithm);
        assert_eq!(ours.algorithm, theirs.algorithm);
        assert_eq!(der.len(), theirs.to_der().unwrap().len());
    }
}
