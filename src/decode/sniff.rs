//! Format sniffing from the bytes alone.

use crate::asn1::{tag, Tlv};
use crate::model::Format;

use super::keys::KeyForm;

/// What the bytes look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Empty,
    Zip,
    Pem,
    Der(DerKind),
    Unknown(String),
}

/// The top-level ASN.1 structures certbundle reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerKind {
    Certificate,
    /// PKCS#7 / CMS ContentInfo.
    ContentInfo,
    /// PKCS#12 PFX.
    Pfx,
    CertificationRequest,
    Key(KeyForm),
}

impl DerKind {
    pub(crate) fn format(self) -> Format {
        match self {
            DerKind::Certificate => Format::Der,
            DerKind::ContentInfo => Format::Pkcs7,
            DerKind::Pfx => Format::Pkcs12,
            DerKind::CertificationRequest => Format::Pkcs10,
            DerKind::Key(_) => Format::Key,
        }
    }
}

/// DER of the OID arc 1.2.840.113549.1.7 (PKCS#7 content types).
const PKCS7_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Sniffed::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if let Some(kind) = der_kind(bytes) {
        return Sniffed::Der(kind);
    }
    if contains(bytes, b"-----BEGIN ") {
        return Sniffed::Pem;
    }
    Sniffed::Unknown(describe(bytes))
}

/// Recognises the DER (or, for PKCS#7 and PKCS#12, indefinite-length BER)
/// shape of each top-level structure.
fn der_kind(bytes: &[u8]) -> Option<DerKind> {
    if let [0x30, 0x80, rest @ ..] = bytes {
        // BER with an indefinite outer length: only CMS and PFX writers do this.
        let (first, _) = Tlv::read(rest)?;
        return match first.tag {
            tag::OID if first.value.starts_with(PKCS7_ARC) => Some(DerKind::ContentInfo),
            tag::INTEGER if first.as_u64() == Some(3) => Some(DerKind::Pfx),
            _ => None,
        };
    }
    let (outer, _) = Tlv::read(bytes).filter(|(t, _)| t.tag == tag::SEQUENCE)?;
    let kids: Vec<Tlv<'_>> = outer.children().take(10).collect();
    let tags: Vec<u8> = kids.iter().map(|t| t.tag).collect();
    let int = |i: usize| kids.get(i).and_then(Tlv::as_u64);
    match tags.as_slice() {
        [tag::SEQUENCE, tag::SEQUENCE, tag::BIT_STRING] => {
            let body_len = kids.first().map_or(0, |t| t.children().take(7).count());
            Some(if body_len >= 6 {
                DerKind::Certificate
            } else {
                DerKind::CertificationRequest
            })
        }
        [tag::OID, 0xa0, ..] if kids.first()?.value.starts_with(PKCS7_ARC) => Some(DerKind::ContentInfo),
        [tag::INTEGER, tag::SEQUENCE, ..] if int(0) == Some(3) => Some(DerKind::Pfx),
        [tag::INTEGER, tag::SEQUENCE, tag::OCTET_STRING, ..] if int(0).is_some_and(|v| v <= 1) => {
            Some(DerKind::Key(KeyForm::Pkcs8))
        }
        [tag::SEQUENCE, tag::OCTET_STRING] => Some(DerKind::Key(KeyForm::EncryptedPkcs8)),
        [tag::INTEGER, tag::INTEGER, tag::INTEGER, ..] if int(0) == Some(0) && kids.len() >= 9 => {
            Some(DerKind::Key(KeyForm::Pkcs1))
        }
        [tag::INTEGER, tag::OCTET_STRING, ..] if int(0) == Some(1) => Some(DerKind::Key(KeyForm::Sec1)),
        _ => None,
    }
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// A short description of unrecognised bytes, for the error message.
fn describe(bytes: &[u8]) -> String {
    let head: String = bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    let printable = bytes
        .iter()
        .take(256)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    if printable {
        let line = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or(bytes));
        let line: String = line.trim().chars().take(60).collect();
        format!("text without a PEM block, starting `{line}`")
    } else if bytes.first() == Some(&0x30) {
        format!(
            "{} bytes of ASN.1 that is not one of those structures (starts {head})",
            bytes.len()
        )
    } else {
        format!("{} bytes of binary data (starts {head})", bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b" \r\n"), Sniffed::Empty);
    }

    #[test]
    fn zip_magic_wins() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
    }

    #[test]
    fn text_without_blocks_is_described() {
        match sniff(b"hello world\nsecond") {
            Sniffed::Unknown(d) => assert_eq!(d, "text without a PEM block, starting `hello world`"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_byte_is_unknown_binary() {
        match sniff(&[0x30]) {
            Sniffed::Unknown(d) => assert_eq!(
                d,
                "1 bytes of ASN.1 that is not one of those structures (starts 30)"
            ),
            other => panic!("{other:?}"),
        }
    }
}
