//! PEM text: any mix of certificate, PKCS#7, request and key blocks, with
//! whatever text OpenSSL puts between them.
//!
//! Blocks are cut out here and each handed to the `pem` crate alone, so a
//! truncated or corrupt block is reported by its index instead of failing
//! (or silently vanishing from) the whole file.

mod lint;

use crate::asn1::Tlv;
use crate::error::{Error, ErrorKind};
use crate::model::{Certificate, CertificateRequest, KeyEncoding, Source};

pub(super) use lint::has_armour;

use super::keys;
use super::sniff::{find, DerKind};
use super::Decoder;

const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";
const END: &[u8] = b"-----END ";

pub(super) fn decode(dec: &mut Decoder<'_>, text: &[u8], source: &Source) -> Result<(), Error> {
    let blocks = count(text, BEGIN);
    if blocks > dec.limits.max_pem_blocks {
        return Err(Error::new(
            source,
            ErrorKind::limit(
                "number of PEM blocks",
                u64::try_from(dec.limits.max_pem_blocks).unwrap_or(u64::MAX),
                u64::try_from(blocks).unwrap_or(u64::MAX),
            ),
        ));
    }
    // Armour lines with the wrong number of dashes escape the scan below:
    // when the counts disagree, name those lines before reading anything.
    if count(text, b"BEGIN ") != blocks || count(text, b"END ") != count(text, END) {
        if let Some((index, kind)) = armour_error(text) {
            return Err(Error::new(&source.with_block(index), kind));
        }
    }
    // Most blocks are certificates; one allocation for all of them.
    dec.pool.reserve_certificates(blocks);
    let mut rest = text;
    let mut index = 0;
    while let Some(start) = find(rest, BEGIN) {
        index += 1;
        let block_source = source.with_block(index);
        let explained = |kind: ErrorKind| Error::new(&block_source, explain(text, index, kind));
        let (block, after) = cut_block(rest.get(start..).unwrap_or_default()).map_err(explained)?;
        rest = after;
        let parsed = match plain_block(block) {
            Some(parsed) => parsed,
            None => ::pem::parse(block).map_err(|_| {
                explained(ErrorKind::malformed(
                    "PEM block",
                    "its headers or base64 do not decode (RFC 7468)",
                ))
            })?,
        };
        handle(dec, &parsed, &block_source).map_err(|e| match e.kind() {
            ErrorKind::Malformed { .. } => explained(e.into_kind()),
            _ => e,
        })?;
    }
    Ok(())
}

/// The error of the first block whose armour is defective: every armour
/// defect of the text, the block's body defects, and whether its decoded
/// bytes are what its label says; `None` when the armour is sound.
fn armour_error(text: &[u8]) -> Option<(usize, ErrorKind)> {
    let (blocks, defects) = lint::blocks(text);
    if defects.is_empty() {
        return None;
    }
    let defective = blocks.iter().position(lint::Block::armour_defective).unwrap_or(0);
    let mut words = defects;
    if let Some(block) = blocks.get(defective) {
        words.extend(lint::body_defects(&block.body));
        words.extend(decoded_contents(block));
    }
    Some((defective + 1, ErrorKind::malformed("PEM block", words.join("; "))))
}

/// Whether the base64 of a block with broken armour decodes to what its
/// label names (a certificate or request); the defect in words.
fn decoded_contents(block: &lint::Block<'_>) -> Option<String> {
    let data: Vec<u8> = block
        .body
        .iter()
        .flat_map(|(_, line)| line.iter().copied())
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let Ok(der) = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &data) else {
        return Some(format!(
            "the body ({} base64 characters) does not decode as base64",
            data.len()
        ));
    };
    let source = Source::file("");
    let error = match block.begin.label {
        b"CERTIFICATE REQUEST" | b"NEW CERTIFICATE REQUEST" => {
            CertificateRequest::from_der(der.clone(), source).err()
        }
        b"CERTIFICATE" => Certificate::from_der(der.clone(), source).err(),
        _ => None,
    }?;
    match error.into_kind() {
        ErrorKind::Malformed { expected, detail } => Some(format!(
            "the decoded {} bytes are not a {expected}: {detail}",
            der.len()
        )),
        _ => None,
    }
}

/// `kind` for block `index` of `text` (1-based): the armour's defects when
/// it has any, else `kind` with the block's body defects by line added: uneven lines explain DER that does
/// not parse, and a base64 decoder names no line.
fn explain(text: &[u8], index: usize, kind: ErrorKind) -> ErrorKind {
    // Broken armour (an END label that is not its BEGIN's) is the cause of
    // what the scan then meets, such as a block without its END line.
    if let Some((_, armour)) = armour_error(text) {
        return armour;
    }
    let (blocks, _) = lint::blocks(text);
    let defects = blocks
        .get(index.saturating_sub(1))
        .map(|b| lint::body_defects(&b.body))
        .unwrap_or_default();
    match kind {
        ErrorKind::Malformed { expected, detail } if !defects.is_empty() => ErrorKind::Malformed {
            expected,
            detail: format!("{detail}; the block's base64 is damaged: {}", defects.join("; ")),
        },
        other => other,
    }
}

/// Splits `-----BEGIN X-----...-----END X-----` off the front of `text`.
fn cut_block(text: &[u8]) -> Result<(&[u8], &[u8]), ErrorKind> {
    let after_begin = text.get(BEGIN.len()..).unwrap_or_default();
    let label_end = find(after_begin, DASHES)
        .filter(|&end| !after_begin.get(..end).unwrap_or_default().contains(&b'\n'))
        .ok_or_else(|| ErrorKind::malformed("PEM block", "BEGIN line does not end with `-----`"))?;
    let label = after_begin.get(..label_end).unwrap_or_default();
    let end_marker = [b"-----END ", label, DASHES].concat();
    let truncated = || ErrorKind::TruncatedPem {
        label: String::from_utf8_lossy(label).into_owned(),
    };
    let end = find(text, &end_marker).ok_or_else(truncated)?;
    // A second BEGIN before our END means this block lost its END line.
    if find(text.get(1..end).unwrap_or_default(), BEGIN).is_some() {
        return Err(truncated());
    }
    let split = end + end_marker.len();
    Ok((
        text.get(..split).unwrap_or(text),
        text.get(split..).unwrap_or_default(),
    ))
}

/// The common block, decoded without the `pem` crate's per-character copy:
/// no headers (no blank line before the data), ASCII only, matching END label,
/// valid base64. `None` for anything else, which then goes to `pem::parse`, so
/// results and error messages stay the crate's.
fn plain_block(block: &[u8]) -> Option<::pem::Pem> {
    let after_begin = block.get(BEGIN.len()..)?;
    let label_end = find(after_begin, DASHES)?;
    let label = std::str::from_utf8(after_begin.get(..label_end)?)
        .ok()
        .filter(|l| !l.is_empty())?;
    let payload_start = BEGIN.len() + label_end + DASHES.len();
    let after_label = block.get(payload_start..)?;
    let end = find(after_label, END)?;
    let payload = after_label.get(..end)?;
    let end_label = after_label.get(end + END.len()..)?;
    if end_label.get(..label.len())? != label.as_bytes()
        || !end_label.get(label.len()..)?.starts_with(DASHES)
        || !payload.is_ascii()
        || find(payload, b"\n\n").is_some()
        || find(payload, b"\r\n\r\n").is_some()
    {
        return None;
    }
    // `char::is_whitespace`, as the pem crate filters (it includes \x0b).
    // Copied a line at a time: a byte at a time took 7% of a batch's CPU.
    let mut data = Vec::with_capacity(payload.len());
    for run in payload.split(|&b| char::from(b).is_whitespace()) {
        data.extend_from_slice(run);
    }
    let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).ok()?;
    Some(::pem::Pem::new(label, der))
}

fn count(text: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = text;
    while let Some(at) = find(rest, needle) {
        n += 1;
        rest = rest.get(at + needle.len()..).unwrap_or_default();
    }
    n
}

fn handle(dec: &mut Decoder<'_>, block: &::pem::Pem, source: &Source) -> Result<(), Error> {
    let der = block.contents();
    let encrypted = block
        .headers()
        .get("Proc-Type")
        .is_some_and(|v| v.contains("ENCRYPTED"));
    let kind = match block.tag() {
        "CERTIFICATE" | "X509 CERTIFICATE" => DerKind::Certificate,
        "TRUSTED CERTIFICATE" => {
            // OpenSSL appends its trust settings after the certificate.
            let cert_len = der.len() - Tlv::read(der).map_or(0, |(_, rest)| rest.len());
            return dec.certificate(der.get(..cert_len).unwrap_or(der).to_vec(), source);
        }
        "PKCS7" | "CMS" => DerKind::ContentInfo,
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => DerKind::CertificationRequest,
        "PRIVATE KEY" => DerKind::Key(KeyEncoding::Pkcs8),
        "ENCRYPTED PRIVATE KEY" => DerKind::Key(KeyEncoding::EncryptedPkcs8),
        label @ ("RSA PRIVATE KEY" | "EC PRIVATE KEY") if encrypted => {
            let dek_info = block.headers().get("DEK-Info").unwrap_or("");
            let key = dec.with_passwords(source, |dec| {
                keys::decode_openssl_encrypted(label, dek_info, der, source, dec.password, dec.limits)
            })?;
            dec.key(key);
            return Ok(());
        }
        "RSA PRIVATE KEY" => DerKind::Key(KeyEncoding::Pkcs1),
        "EC PRIVATE KEY" => DerKind::Key(KeyEncoding::Sec1),
        // Carried along by OpenSSL tools; nothing in them matters here.
        "EC PARAMETERS" | "X509 CRL" => return Ok(()),
        "PKCS12" => DerKind::Pfx,
        other => {
            return Err(Error::new(
                source,
                ErrorKind::UnsupportedPemLabel {
                    label: other.to_owned(),
                },
            ))
        }
    };
    dec.der(kind, der, source)
}

#[cfg(test)]
mod fast_path_tests {
    use super::plain_block;

    /// Whatever `plain_block` accepts, `pem::parse` reads the same way.
    #[test]
    fn plain_block_agrees_with_the_pem_crate() {
        let blocks: [&[u8]; 9] = [
            b"-----BEGIN CERTIFICATE-----\nAAEC\nAwQF\n-----END CERTIFICATE-----",
            b"-----BEGIN CERTIFICATE-----\r\nAAEC\r\n AwQF\t\x0b\r\n-----END CERTIFICATE-----",
            b"-----BEGIN X-----AAECAwQF-----END X-----",
            b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----",
            b"-----BEGIN CERTIFICATE-----\nAAE\n-----END CERTIFICATE-----",
            b"-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATEX-----",
            b"-----BEGIN CERTIFICATE-----\nAA\xc3\xa9C\n-----END CERTIFICATE-----",
            b"-----BEGIN -----\nAAEC\n-----END -----",
            b"-----BEGIN A-----\nAAEC\n-----END B-----\n-----END A-----",
        ];
        for block in blocks {
            let slow = ::pem::parse(block);
            if let Some(fast) = plain_block(block) {
                assert!(
                    slow.is_ok(),
                    "the pem crate refuses what the fast path accepts: {block:?}"
                );
                if let Ok(slow) = slow {
                    assert_eq!(fast.tag(), slow.tag());
                    assert_eq!(fast.contents(), slow.contents());
                    assert_eq!(slow.headers().iter().count(), 0);
                }
            }
        }
        assert!(plain_block(blocks[0]).is_some() && plain_block(blocks[1]).is_some());
    }
}
