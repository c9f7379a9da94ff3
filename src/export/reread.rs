//! Reading an export back as its consumer will: our own decoder, plus the
//! rules that consumer adds (a PEM chain's first certificate is the client
//! certificate; a key without a passphrase must be unencrypted PKCS#8; a
//! legacy reader knows only PKCS#12's own PBE and a SHA-1 MAC).

use super::written::{StoreFormat, Written, WrittenKind};
use super::{ExportError, Pkcs12Encryption};
use crate::input::{Input, Limits, Password};
use crate::validate::Validation;

/// DER of OID 1.2.840.113549.1.12.1 (pkcs-12PbeIds), the prefix of
/// PBE-SHA1-3DES and its siblings.
const PKCS12_PBE_PREFIX: &[u8] = &[0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
/// DER of OID 1.2.840.113549.1.12.1.3, pbeWithSHAAnd3-KeyTripleDES-CBC.
const PBE_SHA1_3DES: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03,
];
/// DER of OID 1.2.840.113549.1.5.13, PBES2.
const PBES2: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
/// DER of OID 2.16.840.1.101.3.4.1.42, AES-256-CBC.
const AES_256_CBC: &[u8] = &[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
/// DER of OID 1.3.14.3.2.26, SHA-1 (the MAC digest of a legacy file).
const SHA1: &[u8] = &[0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// DER of OID 2.16.840.1.101.3.4.2.1, SHA-256.
const SHA256: &[u8] = &[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

/// Reads `written` back; an error says which of `consumer`'s rules failed.
pub(super) fn check(
    validation: &Validation<'_>,
    consumer: &'static str,
    written: &Written,
    password: Option<&Password>,
    encryption: Pkcs12Encryption,
) -> Result<(), ExportError> {
    let fail = |detail: String| ExportError::Reread {
        file: written.path.clone(),
        consumer,
        detail,
    };
    let input = Input::from_path(&written.path, &Limits::default()).map_err(|e| fail(e.to_string()))?;
    let bytes = input.bytes();
    if written.format == StoreFormat::Pkcs12 {
        pkcs12_algorithms(bytes, encryption).map_err(|d| fail(d.to_owned()))?;
    }
    if written.kind == WrittenKind::Key && !bytes.starts_with(b"-----BEGIN PRIVATE KEY-----\n") {
        return Err(fail("the key is not an unencrypted PKCS#8 `PRIVATE KEY`".into()));
    }
    let pool = crate::decode(&input, &Limits::default(), password).map_err(|e| fail(e.to_string()))?;
    if pool.certificates().len() != written.certificates {
        return Err(fail(format!(
            "{} certificates read back, {} written",
            pool.certificates().len(),
            written.certificates
        )));
    }
    let leaf = validation.chain().first().map(|c| *c.sha256());
    if written.kind == WrittenKind::Chain && pool.certificates().first().map(|c| *c.sha256()) != leaf {
        return Err(fail("the first certificate is not the client certificate".into()));
    }
    if written.key {
        let matches = match (pool.keys(), validation.chain().first()) {
            ([key], Some(leaf)) => key.public_key().same_key(leaf.public_key()),
            _ => false,
        };
        if !matches {
            return Err(fail(
                "it does not read back with one key, the client certificate's".into(),
            ));
        }
    }
    if written.kind == WrittenKind::Truststore {
        let side: Vec<[u8; 32]> = validation.server_side().iter().map(|c| *c.sha256()).collect();
        if pool.certificates().iter().any(|c| !side.contains(c.sha256())) {
            return Err(fail("it holds a certificate that is not the server's".into()));
        }
    }
    Ok(())
}

/// The algorithms a PKCS#12 file names, as its reader needs them: a legacy
/// reader knows PBE-SHA1-3DES and a SHA-1 MAC only; a modern file uses PBES2
/// with AES-256-CBC and a SHA-256 MAC.
fn pkcs12_algorithms(der: &[u8], encryption: Pkcs12Encryption) -> Result<(), &'static str> {
    let has = |oid: &[u8]| der.windows(oid.len()).any(|w| w == oid);
    match encryption {
        Pkcs12Encryption::Legacy if has(PBES2) => {
            Err("a legacy reader cannot decrypt PBES2 (it needs PBE-SHA1-3DES)")
        }
        Pkcs12Encryption::Legacy if !has(PBE_SHA1_3DES) || !has(SHA1) => {
            Err("it is not encrypted with PBE-SHA1-3DES under a SHA-1 MAC")
        }
        Pkcs12Encryption::Modern if has(PKCS12_PBE_PREFIX) => Err("it uses a legacy PKCS#12 PBE algorithm"),
        Pkcs12Encryption::Modern if !has(PBES2) || !has(AES_256_CBC) || !has(SHA256) => {
            Err("it is not encrypted with PBES2 AES-256-CBC under a SHA-256 MAC")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::export::encode::{pkcs12, StoreContent};

    fn store(encryption: Pkcs12Encryption) -> Vec<u8> {
        let pool = crate::decode(
            &Input::from_bytes(
                "ca",
                include_bytes!("../../testdata/certs/server-root.crt").to_vec(),
            ),
            &Limits::default(),
            None,
        )
        .unwrap();
        let cert = pool.certificates().first().unwrap();
        let content = StoreContent {
            identity: None,
            trusted: vec![("ca".to_owned(), cert.der())],
        };
        pkcs12(&content, &Password::new("changeit"), encryption).unwrap()
    }

    #[test]
    fn each_pkcs12_reads_back_under_its_own_rules_and_fails_the_others() {
        let modern = store(Pkcs12Encryption::Modern);
        let legacy = store(Pkcs12Encryption::Legacy);
        assert_eq!(pkcs12_algorithms(&modern, Pkcs12Encryption::Modern), Ok(()));
        assert_eq!(pkcs12_algorithms(&legacy, Pkcs12Encryption::Legacy), Ok(()));
        assert_eq!(
            pkcs12_algorithms(&modern, Pkcs12Encryption::Legacy),
            Err("a legacy reader cannot decrypt PBES2 (it needs PBE-SHA1-3DES)")
        );
        assert_eq!(
            pkcs12_algorithms(&legacy, Pkcs12Encryption::Modern),
            Err("it uses a legacy PKCS#12 PBE algorithm")
        );
    }
}
