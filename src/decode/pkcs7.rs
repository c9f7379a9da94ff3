//! PKCS#7 / CMS SignedData (RFC 5652 section 5.1) as a certificate bag: the
//! `.p7b` download, DER or BER, certificates in no defined order.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
//!     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] ..., signerInfos }
//! ```

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};

use crate::asn1::{shape, Tlv};
use crate::error::{Error, ErrorKind};
use crate::model::Source;

use super::Decoder;

const EXPECTED: &str = "PKCS#7 SignedData";
/// id-signedData; evaluated at compile time.
const SIGNED_DATA: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

pub(super) fn decode(dec: &mut Decoder<'_>, ber: &[u8], source: &Source) -> Result<(), Error> {
    // Where the bytes depart from the structure, by field and offset; the
    // decoder's own words only when the shape holds (or the lengths are BER's).
    let malformed = |detail: String| {
        let words = match ber.get(1) {
            Some(0x80) => None,
            _ => shape::defect(ber, &shape::SIGNED_DATA),
        };
        Error::new(source, ErrorKind::malformed(EXPECTED, words.unwrap_or(detail)))
    };
    // BER at both levels: indefinite lengths occur (`openssl cms -stream`),
    // and DER decoding would re-sort the SET OF certificates.
    let info = ContentInfo::from_ber(ber).map_err(|e| malformed(at_byte(&e, 0)))?;
    if info.content_type != SIGNED_DATA {
        return Err(Error::new(
            source,
            ErrorKind::Unsupported {
                what: "PKCS#7 content type",
                found: format!("{} (expected signedData 1.2.840.113549.1.7.2)", info.content_type),
            },
        ));
    }
    let content = info.content.to_der().map_err(|e| malformed(e.to_string()))?;
    let signed = SignedData::from_ber(&content)
        .map_err(|e| malformed(at_byte(&e, content_offset(ber).unwrap_or(0))))?;
    let Some(certificates) = signed.certificates else {
        return Ok(());
    };
    for choice in certificates.0.iter() {
        if let CertificateChoices::Certificate(cert) = choice {
            let der = cert.to_der().map_err(|e| malformed(e.to_string()))?;
            dec.certificate(der, source)?;
        }
    }
    Ok(())
}

/// The decoder's error in its words, near its byte offset in the input
/// (`base`: where the bytes it read start in the input). "Near": the
/// decoder counts some defects from after the element's tag.
fn at_byte(error: &der::Error, base: usize) -> String {
    match error.position().and_then(|p| usize::try_from(u32::from(p)).ok()) {
        Some(position) => format!("{} near byte {}", error.kind(), base + position),
        None => error.kind().to_string(),
    }
}

/// Where the SignedData (the `[0]` content) starts in a definite-length
/// ContentInfo.
fn content_offset(ber: &[u8]) -> Option<usize> {
    let (outer, rest) = Tlv::read(ber)?;
    let outer_header = ber.len() - rest.len() - outer.value.len();
    let (_, after_type) = Tlv::read(outer.value)?;
    let (content, after_content) = Tlv::read(after_type)?;
    let content_header = after_type.len() - after_content.len() - content.value.len();
    Some(outer_header + (outer.value.len() - after_type.len()) + content_header)
}
