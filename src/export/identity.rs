//! The client's side: the chain, the key, the identity (key + chain) and the
//! keystore (identity + the server side as trusted entries).

use std::collections::HashSet;
use std::path::Path;

use super::encode::{self, StoreContent};
use super::written::{Encryption, StoreFormat, Written, WrittenKind};
use super::{
    check_valid, new_file, required_password, valid_target, write_file, ExportError, ExportOptions,
    Pkcs12Encryption, StoreType,
};
use crate::model::Certificate;
use crate::validate::Validation;

/// Writes the chain as PEM, leaf first, root last.
///
/// # Errors
/// [`ExportError::Invalid`], [`ExportError::NoCertificate`] (an empty chain
/// writes nothing and leaves an existing target as it was),
/// [`ExportError::Exists`], [`ExportError::Io`].
pub fn write_chain(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let file = valid_target(validation, &file)?;
    let chain = validation.chain().certificates();
    if chain.is_empty() {
        return Err(ExportError::NoCertificate { file: file.into() });
    }
    let pem = encode::certificates_pem(chain.iter().copied());
    write_file(file, pem.as_bytes(), false, new_file(options))?;
    Ok(pem_written(
        file,
        WrittenKind::Chain,
        chain.len(),
        false,
        Encryption::None,
    ))
}

/// Writes the identity: leaf + chain (root included, leaf first) + the
/// leaf's key, as one key entry under [`ExportOptions::alias`] (default: the
/// leaf's CN, lowercased, or `client`). PKCS#12 or JKS by
/// [`ExportOptions::store_type`] or the file name; a PEM target gets the
/// chain followed by the key (encrypted under the password, or unencrypted
/// when [`ExportOptions::unencrypted_key`] asks).
///
/// # Errors
/// [`ExportError::Invalid`], [`ExportError::NoCertificate`],
/// [`ExportError::NoKey`], [`ExportError::PasswordRequired`],
/// [`ExportError::Encode`], [`ExportError::Exists`], [`ExportError::Io`].
pub fn write_pkcs12(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    write_identity(validation, file.as_ref(), options, false)
}

/// Writes one keystore holding the identity (as [`write_pkcs12`]) **and**
/// the server side ([`Validation::server_side`]) as trusted entries, for
/// code that builds its KeyManager and TrustManager from one store. PKCS#12
/// or JKS; a PEM target is refused.
///
/// # Errors
/// As [`write_pkcs12`], plus [`ExportError::NoServerSide`] and
/// [`ExportError::Unsupported`] (PEM).
pub fn write_keystore(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    write_identity(validation, file.as_ref(), options, true)
}

fn write_identity(
    validation: &Validation<'_>,
    file: &Path,
    options: &ExportOptions,
    with_trusted: bool,
) -> Result<Written, ExportError> {
    check_valid(validation, file)?;
    let store_type = options.store_type_for(file);
    if with_trusted && store_type == StoreType::Pem {
        return Err(ExportError::Unsupported {
            file: file.into(),
            reason: "a keystore (identity and trusted certificates) cannot be PEM: name a .p12 or .jks file",
        });
    }
    let chain = validation.chain().certificates().to_vec();
    let leaf = *chain
        .first()
        .ok_or_else(|| ExportError::NoCertificate { file: file.into() })?;
    let key = validation
        .key()
        .ok_or_else(|| ExportError::NoKey { file: file.into() })?;
    let server_side = if with_trusted {
        let side = validation.server_side();
        if side.is_empty() {
            return Err(ExportError::NoServerSide { file: file.into() });
        }
        side
    } else {
        Vec::new()
    };
    if store_type == StoreType::Pem {
        return pem_identity(file, key.pkcs8_der(), &chain, options);
    }
    let key_alias = options
        .alias
        .clone()
        .unwrap_or_else(|| super::alias(leaf, "client"));
    let mut taken = HashSet::from([key_alias.to_lowercase()]);
    let trusted = encode::trusted_aliases(server_side.iter().copied(), &mut taken);
    let certificates = chain.len() + trusted.len();
    let trusted_count = trusted.len();
    let content = StoreContent {
        identity: Some((key_alias, key.pkcs8_der(), chain)),
        trusted,
    };
    let password = required_password(options, file, "a PKCS#12 or JKS store")?;
    let (bytes, format, encryption) = store_bytes(&content, store_type, password, options, file)?;
    write_file(file, &bytes, true, new_file(options))?;
    Ok(Written {
        path: file.into(),
        kind: if with_trusted {
            WrittenKind::Keystore
        } else {
            WrittenKind::Identity
        },
        format,
        certificates,
        trusted: trusted_count,
        key: true,
        encryption,
    })
}

/// The store's bytes in its format (PKCS#12 or JKS), its format and how it
/// protects what it holds.
pub(super) fn store_bytes(
    content: &StoreContent<'_>,
    store_type: StoreType,
    password: &crate::input::Password,
    options: &ExportOptions,
    file: &Path,
) -> Result<(zeroize::Zeroizing<Vec<u8>>, StoreFormat, Encryption), ExportError> {
    let encode_error = |what| {
        move |detail| ExportError::Encode {
            file: file.into(),
            what,
            detail,
        }
    };
    if store_type == StoreType::Jks {
        let bytes = encode::jks(content, password).map_err(encode_error("JKS keystore"))?;
        let encryption = match content.identity {
            Some(_) => Encryption::JksKeyProtector,
            None => Encryption::None,
        };
        return Ok((bytes, StoreFormat::Jks, encryption));
    }
    let bytes = encode::pkcs12(content, password, options.encryption).map_err(encode_error("PKCS#12"))?;
    let encryption = match options.encryption {
        Pkcs12Encryption::Modern => Encryption::Aes256Cbc,
        Pkcs12Encryption::Legacy => Encryption::TripleDes,
    };
    Ok((zeroize::Zeroizing::new(bytes), StoreFormat::Pkcs12, encryption))
}

/// The identity as PEM: the chain, leaf first, then the key.
fn pem_identity(
    file: &Path,
    pkcs8: &[u8],
    chain: &[&Certificate],
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let (key, encryption) = key_text(file, pkcs8, options)?;
    let mut text = zeroize::Zeroizing::new(encode::certificates_pem(chain.iter().copied()));
    text.push_str(&key);
    write_file(file, text.as_bytes(), true, new_file(options))?;
    Ok(pem_written(
        file,
        WrittenKind::Identity,
        chain.len(),
        true,
        encryption,
    ))
}

/// The key's PEM under the options: encrypted with the password, or
/// unencrypted when asked; neither is refused.
fn key_text(
    file: &Path,
    pkcs8: &[u8],
    options: &ExportOptions,
) -> Result<(zeroize::Zeroizing<String>, Encryption), ExportError> {
    let password = match options.unencrypted_key {
        true => None,
        false => Some(required_password(options, file, "an encrypted key")?),
    };
    let pem = encode::key_pem(pkcs8, password).map_err(|detail| ExportError::Encode {
        file: file.into(),
        what: "PKCS#8 private key",
        detail,
    })?;
    let encryption = match password {
        Some(_) => Encryption::Aes256Cbc,
        None => Encryption::None,
    };
    Ok((pem, encryption))
}

/// Writes the leaf's key as PKCS#8 PEM: `ENCRYPTED PRIVATE KEY` (PBES2:
/// PBKDF2-HMAC-SHA256 with [`super::KEY_PBKDF2_ITERATIONS`] iterations and
/// a random 16-byte salt, AES-256-CBC) under the password, or an
/// unencrypted `PRIVATE KEY` when [`ExportOptions::unencrypted_key`] asks.
/// Mode `0600`.
///
/// # Errors
/// [`ExportError::Invalid`], [`ExportError::NoKey`],
/// [`ExportError::PasswordRequired`] (no password and no unencrypted key
/// asked), [`ExportError::Encode`], [`ExportError::Exists`],
/// [`ExportError::Io`].
pub fn write_key(
    validation: &Validation<'_>,
    file: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<Written, ExportError> {
    let file = valid_target(validation, &file)?;
    let key = validation
        .key()
        .ok_or_else(|| ExportError::NoKey { file: file.into() })?;
    let (pem, encryption) = key_text(file, key.pkcs8_der(), options)?;
    write_file(file, pem.as_bytes(), true, new_file(options))?;
    Ok(pem_written(file, WrittenKind::Key, 0, true, encryption))
}

/// A PEM file of the client's side: it holds no trusted entries.
fn pem_written(
    file: &Path,
    kind: WrittenKind,
    certificates: usize,
    key: bool,
    encryption: Encryption,
) -> Written {
    Written {
        path: file.into(),
        kind,
        format: StoreFormat::Pem,
        certificates,
        trusted: 0,
        key,
        encryption,
    }
}
