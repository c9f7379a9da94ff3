//! Format sniffing from the bytes alone.

use crate::asn1::{tag, Tlv};
use crate::model::Format;

use super::keys::KeyForm;

/// What the bytes look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Empty,
    Zip,
    /// A Java keystore (JKS or JCEKS magic).
    Jks,
    Pem,
    Der(DerKind),
    /// ASN.1 whose outer length runs past the end of the input.
    Truncated {
        declared: usize,
        present: usize,
    },
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
    if bytes.starts_with(&super::jks::JKS_MAGIC) || bytes.starts_with(&super::jks::JCEKS_MAGIC) {
        return Sniffed::Jks;
    }
    if let Some(kind) = der_kind(bytes) {
        return Sniffed::Der(kind);
    }
    if contains(bytes, b"-----BEGIN ") {
        return Sniffed::Pem;
    }
    if let Some((declared, present, body)) = truncated_sequence(bytes) {
        // A cut PFX still starts `INTEGER 3`: its decoder names what is missing.
        let version = Tlv::read(body).map(|(t, _)| t);
        if version.is_some_and(|t| t.as_u64() == Some(3)) {
            return Sniffed::Der(DerKind::Pfx);
        }
        return Sniffed::Truncated { declared, present };
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

/// A DER SEQUENCE header whose declared length exceeds what follows it:
/// (declared, present, the contents that are there).
fn truncated_sequence(bytes: &[u8]) -> Option<(usize, usize, &[u8])> {
    let (&first, rest) = bytes.split_first()?;
    let (&len_byte, rest) = rest.split_first()?;
    if first != tag::SEQUENCE || len_byte <= 0x80 || len_byte > 0x84 {
        return None;
    }
    let (len_bytes, body) = rest.split_at_checked(usize::from(len_byte & 0x7f))?;
    let declared = len_bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    (declared > body.len()).then_some((declared, body.len(), body))
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
    fn keystore_magics_are_jks() {
        assert_eq!(sniff(b"\xfe\xed\xfe\xed\0\0\0\x02"), Sniffed::Jks);
        assert_eq!(sniff(b"\xce\xce\xce\xce"), Sniffed::Jks);
        assert_ne!(sniff(b"\xfe\xed\xfe"), Sniffed::Jks);
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
    fn short_asn1_is_described_with_its_first_bytes() {
        match sniff(&[0x30, 0x00, 0x01]) {
            Sniffed::Unknown(d) => {
                assert_eq!(
                    d,
                    "3 bytes of ASN.1 that is not one of those structures (starts 30 00 01)"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn der_whose_length_runs_past_the_end_is_truncated() {
        assert_eq!(
            sniff(&[0x30, 0x82, 0x04, 0x00, 0x02, 0x01, 0x00]),
            Sniffed::Truncated {
                declared: 1024,
                present: 3
            }
        );
    }
}
