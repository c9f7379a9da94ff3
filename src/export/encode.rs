//! The bytes of each store format: PKCS#12 (p12-keystore), JKS (our
//! writer), PEM; and the PKCS#8 key PEM. One [`StoreContent`] describes what
//! goes in, whatever the format.

use std::collections::HashSet;

use p12_keystore::{EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKeyChain};
use pkcs8::der::pem::LineEnding;
use pkcs8::pkcs5::pbes2;
use pkcs8::{PrivateKeyInfoRef, SecretDocument};
use zeroize::Zeroizing;

use super::jks::{encode_jks, JksEntry};
use super::{Pkcs12Encryption, KEY_PBKDF2_ITERATIONS};
use crate::input::Password;
use crate::model::Certificate;

/// PKCS#12 KDF and MAC iterations: what Java's keytool writes (and the
/// p12-keystore default); every PKCS#12 reader accepts it.
const PKCS12_ITERATIONS: u32 = 10_000;

/// What a store holds: at most one key entry, then trusted certificates.
pub(super) struct StoreContent<'a> {
    /// The key entry: alias, PKCS#8 DER, chain leaf first.
    pub(super) identity: Option<(String, &'a [u8], Vec<&'a Certificate>)>,
    /// Trusted certificates with their aliases (unique up to case).
    pub(super) trusted: Vec<(String, &'a [u8])>,
}

/// Aliases for trusted certificates: each one's CN (or `ca`), made unique
/// (`name-2`, ...) against `taken` and each other; Java compares aliases
/// without case.
pub(super) fn trusted_aliases<'c>(
    certs: impl IntoIterator<Item = &'c Certificate>,
    taken: &mut HashSet<String>,
) -> Vec<(String, &'c [u8])> {
    certs
        .into_iter()
        .map(|cert| {
            let base = super::alias(cert, "ca");
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            (name, cert.der())
        })
        .collect()
}

/// The content as a PKCS#12 file (trusted certificates carry Java's trust
/// attribute, so Java reads them as `trustedCertEntry`). The error is the
/// encoder's message.
pub(super) fn pkcs12(
    content: &StoreContent<'_>,
    password: &Password,
    encryption: Pkcs12Encryption,
) -> Result<Vec<u8>, String> {
    let text = |e: p12_keystore::error::Error| e.to_string();
    let mut store = KeyStore::new();
    if let Some((alias, pkcs8, chain)) = &content.identity {
        let certs = chain
            .iter()
            .map(|c| p12_keystore::Certificate::from_der(c.der()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(text)?;
        // p12-keystore keeps its own copy of the key, outside our zeroizing
        // buffers, until the store is dropped at the end of this function.
        let key = p12_keystore::PrivateKey::from_der(pkcs8).map_err(text)?;
        let local_key_id = chain
            .first()
            .and_then(|leaf| leaf.sha256().get(..20))
            .unwrap_or_default()
            .to_vec();
        store.add_entry(
            alias,
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_key_id, key, certs)),
        );
    }
    for (alias, der) in &content.trusted {
        let cert = p12_keystore::Certificate::from_der(der).map_err(text)?;
        store.add_entry(alias, KeyStoreEntry::Certificate(cert));
    }
    let writer = store
        .writer(password.as_str())
        .encryption_iterations(PKCS12_ITERATIONS)
        .mac_iterations(PKCS12_ITERATIONS);
    match encryption {
        Pkcs12Encryption::Modern => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
            .mac_algorithm(MacAlgorithm::HmacSha256),
        Pkcs12Encryption::Legacy => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
            .mac_algorithm(MacAlgorithm::HmacSha1),
    }
    .write()
    .map_err(text)
}

/// The content as a JKS keystore, one password for store and key (as keytool
/// does by default).
pub(super) fn jks(content: &StoreContent<'_>, password: &Password) -> Result<Zeroizing<Vec<u8>>, String> {
    let chain: Vec<&[u8]> = content
        .identity
        .iter()
        .flat_map(|(_, _, chain)| chain.iter().map(|c| c.der()))
        .collect();
    let mut entries = Vec::new();
    if let Some((alias, pkcs8, _)) = &content.identity {
        entries.push(JksEntry::PrivateKey {
            alias,
            pkcs8,
            chain: &chain,
        });
    }
    entries.extend(
        content
            .trusted
            .iter()
            .map(|(alias, certificate)| JksEntry::Trusted { alias, certificate }),
    );
    encode_jks(&entries, password, password).map_err(|e| e.to_string())
}

/// Certificates as PEM, in order.
pub(super) fn certificates_pem<'c>(certs: impl IntoIterator<Item = &'c Certificate>) -> String {
    certs
        .into_iter()
        .map(|c| ::pem::encode(&::pem::Pem::new("CERTIFICATE", c.der().to_vec())))
        .collect()
}

/// A PKCS#8 private key as PEM: `ENCRYPTED PRIVATE KEY` under `password`
/// (PBES2: PBKDF2-HMAC-SHA256 with [`KEY_PBKDF2_ITERATIONS`] iterations and
/// a random 16-byte salt, AES-256-CBC with a random IV), or `PRIVATE KEY`
/// without one. The error is the encoder's message, never key material.
pub(crate) fn key_pem(pkcs8: &[u8], password: Option<&Password>) -> Result<Zeroizing<String>, String> {
    let Some(password) = password else {
        return SecretDocument::try_from(pkcs8)
            .and_then(|doc| doc.to_pem("PRIVATE KEY", LineEnding::LF))
            .map_err(|e| e.to_string());
    };
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    aws_lc_rs::rand::fill(&mut salt).map_err(|_| "no random bytes for the salt".to_owned())?;
    aws_lc_rs::rand::fill(&mut iv).map_err(|_| "no random bytes for the IV".to_owned())?;
    let params = pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(KEY_PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|e| e.to_string())?;
    let info = PrivateKeyInfoRef::try_from(pkcs8).map_err(|e| e.to_string())?;
    let encrypted = info
        .encrypt_with_params(params, password.as_str().as_bytes())
        .map_err(|e| e.to_string())?;
    encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map_err(|e| e.to_string())
}
