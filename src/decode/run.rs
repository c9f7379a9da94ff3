//! What the inputs of one run share. A run is one `load` (one bundle) or one
//! batch (every bundle of it): its inputs charge one KDF budget, and a
//! batch's bundles also share the CA certificates already parsed, since
//! they usually carry the same few.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::Error;
use crate::model::{Certificate, Source};

use super::kdf_cost::RunMeter;

/// Most certificates a batch keeps parsed. Only CA certificates are kept
/// (a leaf belongs to one bundle): a batch under a few CAs needs a handful,
/// and a hostile batch cannot grow it beyond this.
const MAX_CERTIFICATES: usize = 1024;

/// The state one run's inputs share, across threads in a batch.
#[derive(Debug, Default)]
pub(crate) struct Run {
    pub(super) kdf: RunMeter,
    pub(super) certificates: Option<CertificateCache>,
}

impl Run {
    /// The run of one bundle: its own KDF budget, nothing else shared.
    pub(crate) fn bundle() -> Self {
        Run::default()
    }

    /// The run of a batch: one KDF budget for every bundle, and the CA
    /// certificates parsed once for all of them.
    pub(crate) fn batch() -> Self {
        Run {
            kdf: RunMeter::batch(),
            certificates: Some(CertificateCache::default()),
        }
    }
}

/// CA certificates parsed for one bundle of a batch, by DER SHA-256, for the
/// next bundles: a copy differs from a fresh parse only in its source.
#[derive(Debug, Default)]
pub(crate) struct CertificateCache {
    parsed: Mutex<HashMap<[u8; 32], Certificate>>,
}

impl CertificateCache {
    /// The certificate `der` encodes, read from `source`.
    pub(super) fn certificate(&self, der: Vec<u8>, source: &Source) -> Result<Certificate, Error> {
        self.certificate_with(der, source, Certificate::from_der_hashed)
    }

    /// [`certificate`](Self::certificate) with the parser given (tests count its calls).
    fn certificate_with(
        &self,
        der: Vec<u8>,
        source: &Source,
        parse: impl FnOnce(Vec<u8>, [u8; 32], Source) -> Result<Certificate, Error>,
    ) -> Result<Certificate, Error> {
        let key = crate::digest::fingerprint(&der);
        // The DER is compared too: the answer never rests on SHA-256 alone.
        if let Some(known) = self
            .lock()
            .get(&key)
            .filter(|known| known.der() == der.as_slice())
        {
            return Ok(known.clone().with_source(source.clone()));
        }
        // Parsed outside the lock: other threads go on meanwhile (two may
        // parse the same certificate once each; both get the same answer).
        let certificate = parse(der, key, source.clone())?;
        if certificate.is_ca() {
            let mut parsed = self.lock();
            if parsed.len() < MAX_CERTIFICATES {
                parsed.insert(key, certificate.clone());
            }
        }
        Ok(certificate)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Certificate>> {
        // A thread that panicked while holding the lock left a complete map
        // (inserts are single calls): keep using it.
        self.parsed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn der(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/certs/{name}.crt", env!("CARGO_MANIFEST_DIR"));
        ::pem::parse(std::fs::read(path).unwrap())
            .unwrap()
            .into_contents()
    }

    /// A CA certificate is parsed for the first bundle only; the next ones
    /// get a copy naming their own file. A leaf is parsed every time.
    #[test]
    fn a_ca_certificate_is_parsed_once_and_a_leaf_every_time() {
        let cache = CertificateCache::default();
        let parses = Cell::new(0);
        let counted = |der: Vec<u8>, sha256: [u8; 32], source: Source| {
            parses.set(parses.get() + 1);
            Certificate::from_der_hashed(der, sha256, source)
        };
        for bundle in ["a.pem", "b.pem", "c.pem"] {
            let source = Source::file(bundle).with_block(2);
            let sub = cache.certificate_with(der("rsa-sub"), &source, counted).unwrap();
            let fresh = Certificate::from_der(der("rsa-sub"), source.clone()).unwrap();
            assert_eq!(sub.source(), &source);
            assert_eq!(format!("{sub:?}"), format!("{fresh:?}"));
        }
        assert_eq!(parses.get(), 1);
        for bundle in ["a.pem", "b.pem", "c.pem"] {
            let leaf = cache
                .certificate_with(der("rsa-leaf"), &Source::file(bundle), counted)
                .unwrap();
            assert_eq!(leaf.source(), &Source::file(bundle));
        }
        assert_eq!(parses.get(), 4);
        assert_eq!(cache.lock().len(), 1);
    }

    /// A certificate that does not parse is not kept: each bundle gets its
    /// own error, naming its own file.
    #[test]
    fn a_certificate_that_does_not_parse_is_an_error_for_each_bundle() {
        let cache = CertificateCache::default();
        let mut broken = der("rsa-sub");
        broken.truncate(100);
        for bundle in ["a.pem", "b.pem"] {
            let err = cache
                .certificate(broken.clone(), &Source::file(bundle))
                .unwrap_err();
            assert!(err.to_string().starts_with(&format!("{bundle}: ")), "{err}");
        }
        assert_eq!(cache.lock().len(), 0);
    }

    /// The cache stops growing at its bound; answers stay right beyond it.
    #[test]
    fn the_certificate_cache_is_bounded() {
        let cache = CertificateCache::default();
        let root = Certificate::from_der(der("rsa-root"), Source::file("root.pem")).unwrap();
        {
            let mut parsed = cache.lock();
            for i in 0..MAX_CERTIFICATES {
                let mut key = [0u8; 32];
                key[..8].copy_from_slice(&(i as u64).to_le_bytes());
                parsed.insert(key, root.clone());
            }
        }
        let sub = cache.certificate(der("rsa-sub"), &Source::file("b.pem")).unwrap();
        assert_eq!(sub.der(), der("rsa-sub").as_slice());
        assert_eq!(cache.lock().len(), MAX_CERTIFICATES);
    }
}
