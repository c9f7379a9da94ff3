//! Messages name the real cause (issue 10.6): which structure, what was
//! expected and found, and where (byte offset or line), never a parser's
//! Debug text and never the input's own bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use certbundle::{Input, Limits};
use common::{read, AT};

/// The error message of decoding `bytes` named `name`.
fn error_of(name: &str, bytes: Vec<u8>) -> (String, String) {
    let error = certbundle::decode(&Input::from_bytes(name, bytes), &Limits::default(), None)
        .expect_err("must not decode");
    (error.kind().as_str().to_owned(), error.to_string())
}

/// The bundle's PEM text with `from` replaced by `to` once, at its `nth` occurrence.
fn edited(rel: &str, from: &str, to: &str, nth: usize) -> Vec<u8> {
    let text = String::from_utf8(read(rel)).unwrap();
    let at = text.match_indices(from).nth(nth).unwrap().0;
    format!("{}{to}{}", &text[..at], &text[at + from.len()..]).into_bytes()
}

/// The portal guide's own sample CSR (byte-exact copy of
/// ../shared/data/guide-sample.csr): 4-dash armour lines, and letters
/// inserted into its base64, so lines of uneven length and DER that is not
/// a request. Both defects are named, by line and byte offset.
#[test]
fn guide_sample_csr_names_its_armour_and_its_body() {
    let bytes = read("rsa/guide-sample.csr");
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes);
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    assert!(hex.starts_with("45e373b0") && hex.ends_with("8221"), "{hex}");
    let (kind, message) = error_of("rsa/guide-sample.csr", bytes);
    assert_eq!(kind, "malformed");
    assert_eq!(
        message,
        "rsa/guide-sample.csr (PEM block 1): malformed PEM block: \
         line 1: the BEGIN line has 4 dashes before BEGIN, PEM armour has 5; \
         line 17: the END line has 4 dashes before END, PEM armour has 5; \
         line 2 is 69 characters where the block's lines are 64 (10 lines are not); \
         the decoded 753 bytes are not a certificate request (PKCS#10): an element inside the subject name at \
         byte 18 declares 11 bytes of contents, but only 7 remain"
    );
}

/// Each defect, its kind and its exact message.
#[test]
fn defects_are_named_by_position_and_kind() {
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "not-a-cert.pem",
            read("bad/not-a-cert.pem"),
            "malformed",
            "not-a-cert.pem (PEM block 1): malformed certificate: the certificate at byte 0 has a 40-byte length \
             field, longer than any input",
        ),
        (
            "four-dashes.pem",
            edited("rsa/bundle-root-last.pem", "-----BEGIN CERTIFICATE-----", "----BEGIN CERTIFICATE-----", 1),
            "malformed",
            "four-dashes.pem (PEM block 2): malformed PEM block: line 22: the BEGIN line has 4 dashes before \
             BEGIN, PEM armour has 5",
        ),
        (
            "label.pem",
            edited("rsa/bundle-root-last.pem", "-----END CERTIFICATE-----", "-----END CERTIFICATE REQUEST-----", 0),
            "malformed",
            "label.pem (PEM block 1): malformed PEM block: line 21: the END line's label is not the label of the \
             BEGIN line 1",
        ),
        (
            "star.pem",
            edited("rsa/bundle-root-last.pem", "A", "*", 3),
            "malformed",
            "star.pem (PEM block 1): malformed PEM block: its headers or base64 do not decode (RFC 7468); the block's base64 \
             is damaged: line 2, column 17: a character that is not base64",
        ),
        (
            "store.jks",
            vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1],
            "malformed",
            "store.jks: malformed JKS keystore: truncated: expected at least 32 bytes (magic, version, entry count, \
             20-byte digest), found 12",
        ),
    ];
    for (name, bytes, kind, message) in cases {
        let (found_kind, found) = error_of(name, bytes);
        assert_eq!((found_kind.as_str(), found.as_str()), (kind, message), "{name}");
    }
}

/// No message of any fixture (alone) carries a parser's Debug or internal
/// words, or quotes the input.
#[test]
fn no_fixture_message_carries_parser_internals() {
    let mut options = certbundle::Options::default();
    options.at = Some(certbundle::Time::parse(AT).unwrap());
    let mut seen = 0;
    for dir in ["bad", "rsa", "rsa/p12", "hostile", "cross"] {
        for entry in std::fs::read_dir(common::path(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let report = certbundle::report_paths(&[&path], &options);
            let messages = report
                .findings
                .iter()
                .map(|f| f.message.clone())
                .chain(report.error.iter().map(|e| e.message.clone()));
            for message in messages {
                seen += 1;
                for internal in [
                    "Parsing Error",
                    "Der(",
                    "Tag(",
                    "Invalid padding",
                    "nom error",
                    "BER error",
                    "{ ",
                ] {
                    assert!(!message.contains(internal), "{}: {message}", path.display());
                }
            }
        }
    }
    assert!(seen > 20, "{seen}");
}

/// PKCS#7 defects are named by field and byte offset of the input, the
/// SignedData inside its ContentInfo included.
#[test]
fn pkcs7_defects_name_the_field_and_offset() {
    let mut set_for_sequence = read("rsa/bundle.p7b");
    assert_eq!(
        set_for_sequence[19], 0x30,
        "the SignedData SEQUENCE starts at byte 19"
    );
    set_for_sequence[19] = 0x31;
    let mut unknown_tag = read("rsa/bundle.p7b");
    unknown_tag[30] = 0x0e;
    let cases = [
        (
            set_for_sequence,
            "x.p7b: malformed PKCS#7 SignedData: the SignedData at byte 19 should be a SEQUENCE, but is a SET (in the \
             content)",
        ),
        (
            unknown_tag,
            "x.p7b: malformed PKCS#7 SignedData: the SignedData's encapContentInfo is not a SEQUENCE starting with \
             its content type (an OID)",
        ),
        (
            read("bad/corrupt.p7b"),
            "x.p7b: malformed PKCS#7 SignedData: an element inside the certificates at byte 202 has a multi-byte \
             tag, which none of its fields use",
        ),
    ];
    for (bytes, message) in cases {
        assert_eq!(
            error_of("x.p7b", bytes),
            ("malformed".to_owned(), message.to_owned())
        );
    }
}

/// A damaged zip is named as such, by archive or entry, in words.
#[test]
fn zip_defects_are_named_in_words() {
    let whole = read("rsa/mtls.zip");
    let cut = whole[..whole.len() - 30].to_vec();
    let mut flipped = whole.clone();
    flipped[200] ^= 0xff;
    assert_eq!(
        error_of("dl.zip", cut),
        (
            "malformed".to_owned(),
            "dl.zip: malformed zip archive: its central directory or a local header does not read: the archive is \
             damaged or cut short"
                .to_owned()
        )
    );
    assert_eq!(
        error_of("dl.zip", flipped),
        (
            "malformed".to_owned(),
            "dl.zip!MTF_XBS/certificate.pem: malformed zip entry: its data does not inflate, or does not match its \
             CRC-32: the archive is damaged"
                .to_owned()
        )
    );
}
