//! Trust stores: the server side written as a new store, or added to an
//! existing one (PEM, PKCS#12 or JKS) without losing an entry.

use std::collections::HashSet;
use std::path::Path;

use super::encode::{self, StoreContent};
use super::identity::store_bytes;
use super::written::{Encryption, StoreFormat, Written, WrittenKind};
use super::{new_file, required_password, valid_target, write_file, ExportError, ExportOptions, StoreType};
use crate::atomic_write::Existing;
use crate::error::ErrorKind;
use crate::input::{Input, Limits};
use crate::model::{Certificate, Format, Pool};
use crate::validate::Validation;

/// Writes the server side ([`Validation::server_side`]: the extra CA chains
/// of a zip download and the server CAs given) as a trust store: PEM, a
/// PKCS#12 truststore whose certificates carry Java's trust attribute (so
/// Java reads them as `trustedCertEntry`), or JKS, by
/// [`ExportOptions::store_type`] or the file name. Aliases: the
/// certificates' common names.
///
/// # Errors
/// [`ExportError::Invalid`], [`ExportError::NoServerSide`] (never the
/// client's own root instead), [`ExportError::PasswordRequired`] (PKCS#12
/// and JKS), [`ExportError::Encode`], [`ExportError::Exists`],
/// [`ExportError::Io`].
pub fn write_truststore(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let (file, server_side) = server_side(validation, &file)?;
    write_new(file, &server_side, &[], options, new_file(options))
}

/// Adds the server side to the trust store at `file`, keeping every entry it
/// had and adding no certificate it holds already (by SHA-256); a missing
/// store is created. The store is opened and rewritten with the export
/// password, in its own format (sniffed from its bytes; a new one's from
/// [`ExportOptions::store_type`] or its name), atomically in place: a
/// symlink named as `file` is followed once and its target keeps its mode.
/// A store that holds a private key is not a trust store and is refused.
///
/// # Errors
/// [`ExportError::Invalid`], [`ExportError::NoServerSide`],
/// [`ExportError::Store`] (wrong password, unreadable, holds a key: the
/// store is left unchanged), [`ExportError::PasswordRequired`],
/// [`ExportError::Encode`], [`ExportError::Io`].
pub fn add_to_truststore(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let (file, server_side) = server_side(validation, &file)?;
    let store_error = |detail: String| ExportError::Store {
        file: file.into(),
        detail,
    };
    let limits = Limits::default();
    let input = match Input::from_path(file, &limits) {
        Ok(input) => input,
        Err(e) if matches!(e.kind(), ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound) => {
            return write_new(file, &server_side, &[], options, Existing::UpdateInPlace);
        }
        Err(e) => return Err(store_error(e.kind().to_string())),
    };
    let existing = open_store(&input, &limits, options).map_err(store_error)?;
    if !existing.keys().is_empty() {
        return Err(store_error(
            "it holds a private key: only a trust store (certificates only) is updated".into(),
        ));
    }
    let held: HashSet<[u8; 32]> = existing.certificates().iter().map(|c| *c.sha256()).collect();
    let added: Vec<&Certificate> = server_side
        .into_iter()
        .filter(|c| !held.contains(c.sha256()))
        .collect();
    let format = existing.inputs().first().map(|i| i.format());
    if format == Some(Format::Pem) {
        return append_pem(file, input.bytes(), existing.certificates().len(), &added);
    }
    let store_type = match format {
        Some(Format::Jks) => StoreType::Jks,
        _ => StoreType::Pkcs12,
    };
    let names = friendly_names(input.bytes(), format, options).map_err(store_error)?;
    let kept: Vec<(String, &Certificate)> = existing
        .certificates()
        .iter()
        .map(|c| {
            let name = names
                .iter()
                .find(|(sha, _)| sha == c.sha256())
                .map(|(_, n)| n.as_str());
            (name.or(c.source().entry()).unwrap_or_default().to_owned(), c)
        })
        .collect();
    let options = ExportOptions {
        store_type: Some(store_type),
        ..options.clone()
    };
    write_new(file, &added, &kept, &options, Existing::UpdateInPlace)
}

/// Decodes an existing store with the export password. The error is in
/// words for the user (wrong password, not a store).
fn open_store(input: &Input, limits: &Limits, options: &ExportOptions) -> Result<Pool, String> {
    let pool = crate::decode(input, limits, options.password.as_ref()).map_err(|e| match e.kind() {
        ErrorKind::WrongPassword { .. } => "the password does not open it (wrong store password)".to_owned(),
        ErrorKind::PasswordRequired { .. } => "it is encrypted: give its password".to_owned(),
        kind => kind.to_string(),
    })?;
    match pool.inputs().first().map(|i| i.format()) {
        Some(Format::Pem | Format::Pkcs12 | Format::Jks) => Ok(pool),
        Some(other) => Err(format!(
            "it is {} data, not a PEM, PKCS#12 or JKS trust store",
            other.as_str()
        )),
        None => Err("it is not a trust store".to_owned()),
    }
}

/// The aliases (friendlyName) of a PKCS#12 store's certificates, by
/// SHA-256, so that a rewrite keeps them. Read only after our own decoder
/// opened the store (bounded, password checked); a store with secret-key
/// bags, which a rewrite would lose, is refused.
fn friendly_names(
    bytes: &[u8],
    format: Option<Format>,
    options: &ExportOptions,
) -> Result<Vec<([u8; 32], String)>, String> {
    if format != Some(Format::Pkcs12) {
        return Ok(Vec::new());
    }
    let password = options.password.as_ref().map_or("", |p| p.as_str());
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(bytes, password).map_err(|e| e.to_string())?;
    if !archive.secrets.is_empty() {
        return Err("it holds a secret key: only a trust store (certificates only) is updated".into());
    }
    Ok(archive
        .certs
        .iter()
        .filter_map(|bag| {
            let name = bag.friendly_name.clone()?;
            Some((crate::digest::fingerprint(bag.cert.as_der()), name))
        })
        .collect())
}

/// Appends the new certificates to a PEM store, keeping its text as it was.
fn append_pem(file: &Path, old: &[u8], held: usize, added: &[&Certificate]) -> Result<Written, ExportError> {
    let mut bytes = old.to_vec();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(encode::certificates_pem(added.iter().copied()).as_bytes());
    write_file(file, &bytes, false, Existing::UpdateInPlace)?;
    Ok(truststore_written(file, StoreFormat::Pem, held + added.len()))
}

/// Writes a trust store of `kept` (existing entries, with their aliases)
/// and `added` certificates, in the options' store type.
fn write_new(
    file: &Path,
    added: &[&Certificate],
    kept: &[(String, &Certificate)],
    options: &ExportOptions,
    existing: Existing,
) -> Result<Written, ExportError> {
    let store_type = options.store_type_for(file);
    let total = kept.len() + added.len();
    if store_type == StoreType::Pem {
        let pem = encode::certificates_pem(kept.iter().map(|(_, c)| *c).chain(added.iter().copied()));
        write_file(file, pem.as_bytes(), false, existing)?;
        return Ok(truststore_written(file, StoreFormat::Pem, total));
    }
    let mut taken = HashSet::new();
    let mut trusted: Vec<(String, &[u8])> = Vec::new();
    // Existing entries keep their alias; one without (or with one taken
    // already) gets a new one, like the added certificates.
    let mut unnamed = Vec::new();
    for (alias, cert) in kept {
        if !alias.is_empty() && taken.insert(alias.to_lowercase()) {
            trusted.push((alias.clone(), cert.der()));
        } else {
            unnamed.push(*cert);
        }
    }
    let rest = unnamed.into_iter().chain(added.iter().copied());
    trusted.extend(encode::trusted_aliases(rest, &mut taken));
    let content = StoreContent {
        identity: None,
        trusted,
    };
    let password = required_password(options, file, "a trust store")?;
    let (bytes, format, _) = store_bytes(&content, store_type, password, options, file)?;
    write_file(file, &bytes, false, existing)?;
    Ok(truststore_written(file, format, total))
}

fn truststore_written(file: &Path, format: StoreFormat, certificates: usize) -> Written {
    Written {
        path: file.into(),
        kind: WrittenKind::Truststore,
        format,
        certificates,
        trusted: certificates,
        key: false,
        encryption: Encryption::None,
    }
}

/// What a trust store holds: the server side, of a usable validation;
/// never the client's own root instead; with `file` as a path.
fn server_side<'v, 'f>(
    validation: &'v Validation<'_>,
    file: &'f impl AsRef<Path>,
) -> Result<(&'f Path, Vec<&'v Certificate>), ExportError> {
    let file = valid_target(validation, file)?;
    let server_side = validation.server_side();
    if server_side.is_empty() {
        return Err(ExportError::NoServerSide { file: file.into() });
    }
    Ok((file, server_side))
}
