//! Zip archives: the mutual-TLS download (the certificate with its chain in
//! one entry, the server's CA chain in another), or any zip of the formats
//! above, in folders, nested up to [`Limits::max_zip_depth`].
//!
//! Entry names are labels only: nothing is ever written to the file system,
//! and names that would escape an extraction directory are refused anyway,
//! since no honest download carries them.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use ::zip::ZipArchive;

use crate::error::{Error, ErrorKind};
use crate::input::Limits;
use crate::model::{EntrySummary, ExtraCaChain, Format, Pool, Source};

use super::Decoder;

pub(super) fn decode(dec: &mut Decoder<'_>, bytes: &[u8], source: &Source, depth: u32) -> Result<(), Error> {
    let limits = dec.limits;
    let fail = |kind| Error::new(source, kind);
    if depth >= limits.max_zip_depth {
        return Err(fail(ErrorKind::limit(
            "zip nesting depth",
            u64::from(limits.max_zip_depth),
            u64::from(depth) + 1,
        )));
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| fail(ErrorKind::malformed("zip archive", words(&e))))?;
    if archive.len() > limits.max_zip_entries {
        return Err(fail(ErrorKind::limit(
            "number of zip entries",
            to_u64(limits.max_zip_entries),
            to_u64(archive.len()),
        )));
    }
    let mut entries: Vec<(Source, Pool)> = Vec::new();
    for index in 0..archive.len() {
        let Some((name, data)) = read_entry(&mut archive, index, source, limits, &mut dec.zip_bytes)? else {
            continue;
        };
        let entry_source = source.in_entry(&name);
        let (decoded, entry_pool) = dec.bytes_apart(&data, &entry_source, depth + 1);
        let format = match decoded {
            Ok(format) => format,
            // A README or an empty file next to the certificates is not an error.
            Err(e) if matches!(e.kind(), ErrorKind::UnrecognisedFormat { .. } | ErrorKind::Empty) => {
                Format::Ignored
            }
            Err(e) => return Err(e),
        };
        dec.entries.push(EntrySummary {
            name: entry_source.entry().unwrap_or(&name).to_owned(),
            format,
        });
        entries.push((entry_source, entry_pool));
    }
    split_extra_ca(&mut dec.pool, entries);
    Ok(())
}

/// What the zip reader refused, in words (never its own text).
fn words(error: &::zip::result::ZipError) -> String {
    use ::zip::result::ZipError as Z;
    match error {
        Z::Io(io) => io_words(io),
        Z::InvalidArchive(_) => {
            "its central directory or a local header does not read: the archive is damaged or cut short"
                .to_owned()
        }
        Z::CompressionMethodNotSupported(method) => {
            format!("compression method {method} is not supported (stored and deflate are)")
        }
        Z::UnsupportedArchive(_) => {
            "it uses a zip feature that is not supported (e.g. a multi-disk archive)".to_owned()
        }
        Z::FileNotFound => "an entry its central directory lists is not in the archive".to_owned(),
        _ => "it does not read as a zip archive".to_owned(),
    }
}

/// An I/O error met inflating an entry, in words.
fn io_words(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "its data ends before its declared size: the archive is cut short"
        }
        std::io::ErrorKind::InvalidData => {
            "its data does not inflate, or does not match its CRC-32: the archive is damaged"
        }
        _ => "its data cannot be read",
    }
    .to_owned()
}

/// Reads one entry's bytes, enforcing the size limits against both the
/// declared and the actual size. `None` for directories.
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    source: &Source,
    limits: &Limits,
    total: &mut u64,
) -> Result<Option<(String, Vec<u8>)>, Error> {
    let archive_error =
        |e: ::zip::result::ZipError| Error::new(source, ErrorKind::malformed("zip archive", words(&e)));
    let (name, declared) = {
        let raw = archive.by_index_raw(index).map_err(archive_error)?;
        let name = String::from_utf8_lossy(raw.name_raw()).into_owned();
        let entry_source = source.in_entry(&name);
        if raw.is_dir() {
            return Ok(None);
        }
        if !is_safe_name(&name) {
            return Err(Error::new(&entry_source, ErrorKind::UnsafeZipEntryName { name }));
        }
        if raw.encrypted() {
            return Err(Error::new(&entry_source, ErrorKind::EncryptedZipEntry));
        }
        (name, raw.size())
    };
    let entry_source = source.in_entry(&name);
    let too_big = |found: u64| {
        Error::new(
            &entry_source,
            ErrorKind::limit("uncompressed zip entry size", limits.max_zip_entry_bytes, found),
        )
    };
    if declared > limits.max_zip_entry_bytes {
        return Err(too_big(declared));
    }
    let check_total = |total: u64| {
        if total > limits.max_zip_total_bytes {
            Err(Error::new(
                &entry_source,
                ErrorKind::limit(
                    "total uncompressed size of zip entries",
                    limits.max_zip_total_bytes,
                    total,
                ),
            ))
        } else {
            Ok(())
        }
    };
    check_total(total.saturating_add(declared))?;
    let entry = archive
        .by_index(index)
        .map_err(|e| Error::new(&entry_source, ErrorKind::malformed("zip entry", words(&e))))?;
    // The declared size may lie: read one byte past the limit, never more.
    let mut data = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    entry
        .take(limits.max_zip_entry_bytes.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| Error::new(&entry_source, ErrorKind::malformed("zip entry", io_words(&e))))?;
    let actual = to_u64(data.len());
    if actual > limits.max_zip_entry_bytes {
        return Err(too_big(actual));
    }
    *total = total.saturating_add(actual);
    check_total(*total)?;
    Ok(Some((name, data)))
}

/// Refuses absolute paths, drive letters and `..` components (either slash).
fn is_safe_name(name: &str) -> bool {
    let absolute = name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":");
    !absolute && !name.split(['/', '\\']).any(|part| part == "..")
}

/// Merges the entries' material into `pool`. The entries holding an
/// end-entity certificate, plus the CA entries that supply an issuer their
/// certificates lack (a `leaf.cer` + `chain.p7b` zip), make up the client's
/// chain; every other entry holding only CA certificates is an extra CA chain
/// (the server's chain of a mutual-TLS download) and is kept apart from the
/// pool the client chain is built from.
fn split_extra_ca(pool: &mut Pool, entries: Vec<(Source, Pool)>) {
    let has_end_entity = |p: &Pool| p.certificates.iter().any(|c| !c.is_ca());
    let mut in_chain: Vec<bool> = entries.iter().map(|(_, p)| has_end_entity(p)).collect();
    let any_end_entity = in_chain.contains(&true);
    if any_end_entity {
        // Add CA entries that supply a missing issuer, until none does.
        loop {
            let chained = || {
                entries
                    .iter()
                    .zip(&in_chain)
                    .filter(|(_, c)| **c)
                    .flat_map(|((_, p), _)| &p.certificates)
            };
            let subjects: HashSet<&[u8]> = chained().map(|c| c.subject().key()).collect();
            let missing: HashSet<&[u8]> = chained()
                .filter(|c| !c.is_self_issued())
                .map(|c| c.issuer().key())
                .filter(|issuer| !subjects.contains(issuer))
                .collect();
            let supplier = entries.iter().zip(&in_chain).position(|((_, p), chained)| {
                !chained && p.certificates.iter().any(|c| missing.contains(c.subject().key()))
            });
            match supplier.and_then(|i| in_chain.get_mut(i)) {
                Some(flag) => *flag = true,
                None => break,
            }
        }
    }
    for ((source, mut entry_pool), chained) in entries.into_iter().zip(in_chain) {
        let only_ca = !entry_pool.certificates.is_empty() && !has_end_entity(&entry_pool);
        if any_end_entity && !chained && only_ca {
            pool.extra_ca.push(ExtraCaChain {
                source,
                certificates: std::mem::take(&mut entry_pool.certificates),
            });
        }
        pool.merge(entry_pool);
    }
}

fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::is_safe_name;

    #[test]
    fn traversal_and_absolute_names_are_unsafe() {
        for bad in [
            "../../x.pem",
            "a/../../x",
            "/etc/x.pem",
            "\\x.pem",
            "C:\\x.pem",
            "a\\..\\b",
        ] {
            assert!(!is_safe_name(bad), "{bad}");
        }
        for good in ["MTF_XBS/certificate.pem", "x..pem", "a/b/c.p7b"] {
            assert!(is_safe_name(good), "{good}");
        }
    }
}
