//! PKCS#7 / CMS SignedData (RFC 5652 section 5.1) as a certificate bag: the
//! `.p7b` download, DER or BER, certificates in no defined order.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
//!     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] ..., signerInfos }
//! ```
//!
//! DER is walked in place and each certificate handed on as the bytes it
//! already is, decoded strictly one at a time: decoding the whole
//! SignedData with `cms` held a full `x509-cert` tree for every
//! certificate at once and peaked at 9.3 times the input (measured on
//! 10,000 certificates; 2.8 times now). BER (indefinite
//! lengths, `openssl cms -stream`) still goes through `cms`.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};

use crate::asn1::{next_oid, shape, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::model::Source;

use super::{oid, Decoder};

const EXPECTED: &str = "PKCS#7 SignedData";

/// Context-specific constructed [0]: the ContentInfo content and the
/// SignedData certificates.
const CONTEXT_0: u8 = 0xa0;
/// Context-specific constructed [1]: the SignedData CRLs.
const CONTEXT_1: u8 = 0xa1;
/// SET OF (digestAlgorithms, signerInfos).
const SET: u8 = 0x31;

pub(super) fn decode(dec: &mut Decoder<'_>, bytes: &[u8], source: &Source) -> Result<(), Error> {
    match Tlv::read_all(bytes) {
        Some(info) => decode_der(dec, bytes, &info, source),
        None => decode_ber(dec, bytes, source),
    }
}

/// A DER ContentInfo, read in place.
fn decode_der(dec: &mut Decoder<'_>, der: &[u8], info: &Tlv<'_>, source: &Source) -> Result<(), Error> {
    // Where the bytes depart from the structure, by field and offset, when
    // the schema walk can say; the summary of what was expected otherwise.
    let malformed = |detail: &str| {
        let words = shape::defect(der, &shape::SIGNED_DATA).unwrap_or_else(|| detail.to_owned());
        Error::new(source, ErrorKind::malformed(EXPECTED, words))
    };
    let mut fields = info.children();
    let content_type =
        next_oid(&mut fields).ok_or_else(|| malformed("ContentInfo without a content type"))?;
    if content_type != oid::SIGNED_DATA {
        return Err(Error::new(
            source,
            ErrorKind::Unsupported {
                what: "PKCS#7 content type",
                found: format!("{content_type} (expected signedData {})", oid::SIGNED_DATA),
            },
        ));
    }
    let signed = fields
        .next()
        .filter(|t| t.tag == CONTEXT_0)
        .and_then(|t| Tlv::read_all(t.value))
        .filter(|t| t.tag == tag::SEQUENCE)
        .ok_or_else(|| malformed("content is not [0] { SignedData }"))?;
    if fields.next().is_some() {
        return Err(malformed("trailing data after the SignedData"));
    }
    let certificates = certificate_set(&signed).map_err(malformed)?;
    let Some(certificates) = certificates else {
        return Ok(());
    };
    // Other CertificateChoices ([1] extended, [2]/[3] attribute, [3] other)
    // carry nothing a chain uses.
    let mut rest = certificates.value;
    while !rest.is_empty() {
        let (choice, after) =
            Tlv::read(rest).ok_or_else(|| malformed("truncated certificate in the CertificateSet"))?;
        if choice.tag == tag::SEQUENCE {
            let whole = rest.get(..rest.len() - after.len()).unwrap_or_default();
            // The strict X.509 decoding `cms` applied (string contents
            // included), one certificate at a time so only one tree is live.
            x509_cert::Certificate::from_der(whole)
                .map_err(|e| malformed(&format!("a certificate of the set: {}", e.kind())))?;
            dec.certificate(whole.to_vec(), source)?;
        }
        rest = after;
    }
    Ok(())
}

/// The certificates of a SignedData (`Ok(None)` when it has none), after
/// its shape has been checked field by field; the error names the field
/// that is not what RFC 5652 5.1 says.
fn certificate_set<'a>(signed: &Tlv<'a>) -> Result<Option<Tlv<'a>>, &'static str> {
    let mut fields = signed.children().peekable();
    fields
        .next()
        .filter(|t| t.tag == tag::INTEGER)
        .ok_or("the SignedData's version is not an INTEGER")?;
    fields
        .next()
        .filter(|t| t.tag == SET)
        .ok_or("the SignedData's digestAlgorithms is not a SET")?;
    // encapContentInfo: { eContentType OID, [0] eContent OPTIONAL }.
    fields
        .next()
        .filter(|t| t.tag == tag::SEQUENCE && t.children().next().is_some_and(|c| c.tag == tag::OID))
        .ok_or(
            "the SignedData's encapContentInfo is not a SEQUENCE starting with its content type (an OID)",
        )?;
    let certificates = fields.next_if(|t| t.tag == CONTEXT_0);
    fields.next_if(|t| t.tag == CONTEXT_1);
    fields
        .next()
        .filter(|t| t.tag == SET)
        .ok_or("the SignedData's signerInfos is not a SET")?;
    match fields.next() {
        None => Ok(certificates),
        Some(_) => Err("the SignedData has fields after its signerInfos"),
    }
}

/// BER with indefinite lengths (or bytes that are not DER), through `cms`.
fn decode_ber(dec: &mut Decoder<'_>, ber: &[u8], source: &Source) -> Result<(), Error> {
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
    if info.content_type.to_string() != oid::SIGNED_DATA {
        return Err(Error::new(
            source,
            ErrorKind::Unsupported {
                what: "PKCS#7 content type",
                found: format!("{} (expected signedData {})", info.content_type, oid::SIGNED_DATA),
            },
        ));
    }
    let content = info.content.to_der().map_err(|e| malformed(at_byte(&e, 0)))?;
    let signed = SignedData::from_ber(&content)
        .map_err(|e| malformed(at_byte(&e, content_offset(ber).unwrap_or(0))))?;
    let Some(certificates) = signed.certificates else {
        return Ok(());
    };
    for choice in certificates.0.iter() {
        if let CertificateChoices::Certificate(cert) = choice {
            let der = cert.to_der().map_err(|e| malformed(at_byte(&e, 0)))?;
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
