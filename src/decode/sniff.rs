//! Format sniffing from the bytes alone.

use crate::asn1::{tag, Tlv};
use crate::model::{Format, KeyEncoding};

use super::oid;

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
    Key(KeyEncoding),
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
    // PEM, also with armour lines of the wrong dash count (named later by line).
    if contains(bytes, b"-----BEGIN ") || (contains(bytes, b"-BEGIN ") && super::pem::has_armour(bytes)) {
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
            tag::OID if first.value.starts_with(oid::PKCS7_ARC_DER) => Some(DerKind::ContentInfo),
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
        [tag::OID, 0xa0, ..] if kids.first()?.value.starts_with(oid::PKCS7_ARC_DER) => {
            Some(DerKind::ContentInfo)
        }
        [tag::INTEGER, tag::SEQUENCE, ..] if int(0) == Some(3) => Some(DerKind::Pfx),
        [tag::INTEGER, tag::SEQUENCE, tag::OCTET_STRING, ..] if int(0).is_some_and(|v| v <= 1) => {
            Some(DerKind::Key(KeyEncoding::Pkcs8))
        }
        [tag::SEQUENCE, tag::OCTET_STRING] => Some(DerKind::Key(KeyEncoding::EncryptedPkcs8)),
        [tag::INTEGER, tag::INTEGER, tag::INTEGER, ..] if int(0) == Some(0) && kids.len() >= 9 => {
            Some(DerKind::Key(KeyEncoding::Pkcs1))
        }
        [tag::INTEGER, tag::OCTET_STRING, ..] if int(0) == Some(1) => Some(DerKind::Key(KeyEncoding::Sec1)),
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
/// The shape of unrecognised bytes, never their content: an unrecognised
/// input may be a password file or a JWK holding a private key.
fn describe(bytes: &[u8]) -> String {
    let len = bytes.len();
    let printable = bytes
        .iter()
        .take(256)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    if printable {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_end();
        let lines = text.lines().count();
        let chars = text.chars().count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "text without a PEM block, {}, {}",
            plural(lines, "line"),
            plural(chars, "character")
        )
    } else if bytes.first() == Some(&0x30) {
        format!("{len} bytes of ASN.1 that is not one of those structures")
    } else {
        let first = bytes.first().copied().unwrap_or(0);
        format!("{len} bytes of binary data, starting with byte {first:#04x}")
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
            Sniffed::Unknown(d) => assert_eq!(d, "text without a PEM block, 2 lines, 18 characters"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn short_asn1_is_described_by_its_size_only() {
        match sniff(&[0x30, 0x00, 0x01]) {
            Sniffed::Unknown(d) => assert_eq!(d, "3 bytes of ASN.1 that is not one of those structures"),
            other => panic!("{other:?}"),
        }
    }

    /// Issue 15.7: a password file or a JWK's private `d` is never quoted.
    #[test]
    fn unrecognised_inputs_are_described_by_shape_never_by_content() {
        let secrets: [&[u8]; 3] = [
            b"hunter2-Sekrit-pass\n",
            br#"{"kty":"EC","crv":"P-256","d":"SECRETSCALAR","x":"a","y":"b"}"#,
            b"\x04SECRETBYTES\x00\x01",
        ];
        let want = [
            "text without a PEM block, 1 line, 19 characters",
            "text without a PEM block, 1 line, 61 characters",
            "14 bytes of binary data, starting with byte 0x04",
        ];
        for (bytes, want) in secrets.iter().zip(want) {
            match sniff(bytes) {
                Sniffed::Unknown(d) => {
                    assert_eq!(d, want);
                    assert!(!d.contains("ekrit") && !d.contains("SECRET"), "{d}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn binary_data_is_described_by_size_never_by_its_bytes() {
        match sniff(&[0x89, b'P', b'N', b'G', 0, 1]) {
            Sniffed::Unknown(d) => assert_eq!(d, "6 bytes of binary data, starting with byte 0x89"),
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
