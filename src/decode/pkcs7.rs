//! PKCS#7 / CMS SignedData (RFC 5652 section 5.1) as a certificate bag: the
//! `.p7b` download, DER or BER, certificates in no defined order.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
//!     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] ..., signerInfos }
//! ```
//!
//! DER, and BER with indefinite lengths (`openssl cms -stream`), are
//! walked in place and each certificate handed on as the bytes it already
//! is, decoded strictly one at a time: decoding the whole SignedData with
//! `cms` held a full `x509-cert` tree for every certificate at once and
//! peaked at 9.3 times the input (measured on 10,000 certificates; 2.55
//! times now, the pool reserved at once). Only BER certificates inside,
//! and defects, still go through `cms`.

mod ber;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};

use crate::asn1::{oid_to_string, shape, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::model::Source;

use super::{oid, Decoder};
use ber::Element;

const EXPECTED: &str = "PKCS#7 SignedData";

/// Context-specific constructed [0]: the ContentInfo content and the
/// SignedData certificates.
const CONTEXT_0: u8 = 0xa0;
/// Context-specific constructed [1]: the SignedData CRLs.
const CONTEXT_1: u8 = 0xa1;
/// SET OF (digestAlgorithms, signerInfos).
const SET: u8 = 0x31;

pub(super) fn decode(dec: &mut Decoder<'_>, bytes: &[u8], source: &Source) -> Result<(), Error> {
    // A definite outer length is DER's path, its defects named by field.
    match Tlv::read_all(bytes).and_then(|_| Element::read_all(bytes)) {
        Some(info) => decode_der(dec, bytes, &info, source),
        None => decode_ber(dec, bytes, source),
    }
}

/// Why a ContentInfo's certificates were not found in place.
enum Defect {
    /// Another content type (dotted OID).
    NotSignedData(String),
    /// The structure is not the one RFC 5652 5.1 gives, in words.
    Shape(&'static str),
}

/// A DER ContentInfo, read in place.
fn decode_der(dec: &mut Decoder<'_>, der: &[u8], info: &Element<'_>, source: &Source) -> Result<(), Error> {
    // Where the bytes depart from the structure, by field and offset, when
    // the schema walk can say; the summary of what was expected otherwise.
    let malformed = |detail: &str| {
        let words = shape::defect(der, &shape::SIGNED_DATA).unwrap_or_else(|| detail.to_owned());
        Error::new(source, ErrorKind::malformed(EXPECTED, words))
    };
    let certificates = match certificate_set(info) {
        Ok(Some(certificates)) => certificates,
        Ok(None) => return Ok(()),
        Err(Defect::NotSignedData(found)) => return Err(not_signed_data(source, &found)),
        Err(Defect::Shape(detail)) => return Err(malformed(detail)),
    };
    let mut found = Vec::new();
    for choice in certificates.children() {
        let choice = choice.ok_or_else(|| malformed("truncated certificate in the CertificateSet"))?;
        if let Some(certificate) = certificate(&choice) {
            found.push(
                certificate.map_err(|e| malformed(&format!("a certificate of the set: {}", e.kind())))?,
            );
        }
    }
    add(dec, &found, source)
}

/// Adds certificates that passed the strict decoding to the pool, its room
/// reserved first: growing it by doubling held both buffers at the last
/// growth (3.24x the input at 8,200 certificates, 2.84x at 10,000).
fn add(dec: &mut Decoder<'_>, certificates: &[&[u8]], source: &Source) -> Result<(), Error> {
    dec.pool.reserve_certificates(certificates.len());
    for der in certificates {
        dec.certificate(der.to_vec(), source)?;
    }
    Ok(())
}

/// A certificate of the CertificateSet, after the strict X.509 decoding
/// `cms` applied (string contents included), one at a time so only one
/// tree is live; `None` for the other CertificateChoices ([1] extended,
/// [2]/[3] attribute, [3] other), which carry nothing a chain uses.
fn certificate<'a>(choice: &Element<'a>) -> Option<Result<&'a [u8], der::Error>> {
    (choice.tag == tag::SEQUENCE)
        .then(|| x509_cert::Certificate::from_der(choice.whole).map(|_| choice.whole))
}

fn not_signed_data(source: &Source, found: &str) -> Error {
    Error::new(
        source,
        ErrorKind::Unsupported {
            what: "PKCS#7 content type",
            found: format!("{found} (expected signedData {})", oid::SIGNED_DATA),
        },
    )
}

/// The certificates of the SignedData in the ContentInfo `info`
/// (`Ok(None)` when it has none), after its shape has been checked field by
/// field; the defect names the field that is not what RFC 5652 5.1 says.
/// Like [`Tlv::children`], the fields end at the first that does not read.
fn certificate_set<'a>(info: &Element<'a>) -> Result<Option<Element<'a>>, Defect> {
    let mut fields = info.children().map_while(|field| field);
    let content_type = fields
        .next()
        .filter(|t| t.tag == tag::OID)
        .ok_or(Defect::Shape("ContentInfo without a content type"))?;
    let content_type = oid_to_string(content_type.value);
    if content_type != oid::SIGNED_DATA {
        return Err(Defect::NotSignedData(content_type));
    }
    let signed = fields
        .next()
        .filter(|t| t.tag == CONTEXT_0)
        .and_then(|t| Element::read_all(t.value))
        .filter(|t| t.tag == tag::SEQUENCE)
        .ok_or(Defect::Shape("content is not [0] { SignedData }"))?;
    if fields.next().is_some() {
        return Err(Defect::Shape("trailing data after the SignedData"));
    }
    let shape = Defect::Shape;
    let mut fields = signed.children().map_while(|field| field).peekable();
    fields
        .next()
        .filter(|t| t.tag == tag::INTEGER)
        .ok_or(shape("the SignedData's version is not an INTEGER"))?;
    fields
        .next()
        .filter(|t| t.tag == SET)
        .ok_or(shape("the SignedData's digestAlgorithms is not a SET"))?;
    // encapContentInfo: { eContentType OID, [0] eContent OPTIONAL }.
    fields
        .next()
        .filter(|t| {
            t.tag == tag::SEQUENCE && t.children().next().flatten().is_some_and(|c| c.tag == tag::OID)
        })
        .ok_or(shape(
            "the SignedData's encapContentInfo is not a SEQUENCE starting with its content type (an OID)",
        ))?;
    let certificates = fields.next_if(|t| t.tag == CONTEXT_0);
    fields.next_if(|t| t.tag == CONTEXT_1);
    fields
        .next()
        .filter(|t| t.tag == SET)
        .ok_or(shape("the SignedData's signerInfos is not a SET"))?;
    match fields.next() {
        None => Ok(certificates),
        Some(_) => Err(shape("the SignedData has fields after its signerInfos")),
    }
}

/// BER (indefinite lengths, `openssl cms -stream`), or bytes that are not
/// DER. Read in place like DER when the certificates themselves are DER
/// (every writer seen); otherwise, and for every defect, through `cms`,
/// which decodes the whole SignedData into one tree (9.3 times the input,
/// measured on 10,000 certificates) but names what it refused.
fn decode_ber(dec: &mut Decoder<'_>, ber: &[u8], source: &Source) -> Result<(), Error> {
    match in_place(ber) {
        Some(certificates) => add(dec, &certificates, source),
        None => decode_with_cms(dec, ber, source),
    }
}

/// The certificates of a BER SignedData whose certificates are all DER,
/// still in the input; `None` when anything does not read so.
fn in_place(ber: &[u8]) -> Option<Vec<&[u8]>> {
    let info = Element::read_all(ber).filter(|info| info.tag == tag::SEQUENCE)?;
    let Some(certificates) = certificate_set(&info).ok()? else {
        return Some(Vec::new());
    };
    let mut found = Vec::new();
    for choice in certificates.children() {
        if let Some(certificate) = certificate(&choice?) {
            found.push(certificate.ok()?);
        }
    }
    Some(found)
}

/// BER through `cms`.
fn decode_with_cms(dec: &mut Decoder<'_>, ber: &[u8], source: &Source) -> Result<(), Error> {
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
        return Err(not_signed_data(source, &info.content_type.to_string()));
    }
    let content = info.content.to_der().map_err(|e| malformed(at_byte(&e, 0)))?;
    let signed = SignedData::from_ber(&content)
        .map_err(|e| malformed(at_byte(&e, content_offset(ber).unwrap_or(0))))?;
    let Some(certificates) = signed.certificates else {
        return Ok(());
    };
    dec.pool.reserve_certificates(certificates.0.len());
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
