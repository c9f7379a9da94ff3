//! Signature verifications shared by the bundles of one batch: a link
//! (issuer certificate, subject certificate) verified for one bundle is not
//! verified again for the next. 1,000 portal bundles under the same CAs then
//! verify each CA link once instead of 1,000 times.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::model::Certificate;
use crate::verify::VerifyError;

/// Most links kept. Only links whose subject is a CA certificate are kept
/// (a leaf's link belongs to one bundle): a batch under a few CAs needs a
/// handful, and a hostile batch cannot grow it beyond this.
const MAX_ENTRIES: usize = 4096;

/// (subject SHA-256, issuer SHA-256) to the verification's result.
type Results = HashMap<([u8; 32], [u8; 32]), Result<(), VerifyError>>;

/// Verification results keyed by (subject SHA-256, issuer SHA-256),
/// shared across threads.
#[derive(Debug, Default)]
pub(crate) struct SignatureCache {
    results: Mutex<Results>,
}

impl SignatureCache {
    pub(crate) fn new() -> Self {
        SignatureCache::default()
    }

    /// `verify(child, issuer)`, answered from the cache when this pair was
    /// verified before.
    pub(crate) fn verify(
        &self,
        child: &Certificate,
        issuer: &Certificate,
        verify: impl FnOnce(&Certificate, &Certificate) -> Result<(), VerifyError>,
    ) -> Result<(), VerifyError> {
        if !child.is_ca() {
            return verify(child, issuer);
        }
        let key = (*child.sha256(), *issuer.sha256());
        if let Some(result) = self.lock().get(&key) {
            return result.clone();
        }
        // Verified outside the lock: other threads go on meanwhile (two
        // may verify the same pair once each; both get the same answer).
        let result = verify(child, issuer);
        let mut results = self.lock();
        if results.len() < MAX_ENTRIES {
            results.insert(key, result.clone());
        }
        result
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Results> {
        // A thread that panicked while holding the lock left a complete map
        // (inserts are single calls): keep using it.
        self.results
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use std::cell::Cell;

    fn cert(name: &str) -> Certificate {
        let path = format!("{}/testdata/certs/{name}.crt", env!("CARGO_MANIFEST_DIR"));
        let pem = ::pem::parse(std::fs::read(&path).unwrap()).unwrap();
        Certificate::from_der(pem.into_contents(), Source::file(path)).unwrap()
    }

    /// A CA link is verified once for every bundle that has it; a leaf's
    /// link is its bundle's own and is not kept.
    #[test]
    fn a_ca_link_is_verified_once_and_a_leaf_link_every_time() {
        let (root, sub, leaf) = (cert("rsa-root"), cert("rsa-sub"), cert("rsa-leaf"));
        let cache = SignatureCache::new();
        let calls = Cell::new(0);
        let counted = |c: &Certificate, i: &Certificate| {
            calls.set(calls.get() + 1);
            super::super::build::verify_issued_by(c, i)
        };
        for _ in 0..3 {
            assert_eq!(cache.verify(&sub, &root, counted), Ok(()));
            assert_eq!(cache.verify(&sub, &leaf, counted), Err(VerifyError::Invalid));
        }
        assert_eq!(calls.get(), 2);
        for _ in 0..3 {
            assert_eq!(cache.verify(&leaf, &sub, counted), Ok(()));
        }
        assert_eq!(calls.get(), 5);
    }

    /// The cache stops growing at its bound; answers stay right beyond it.
    #[test]
    fn the_cache_is_bounded() {
        let (root, sub) = (cert("rsa-root"), cert("rsa-sub"));
        let cache = SignatureCache::new();
        {
            let mut results = cache.lock();
            for i in 0..MAX_ENTRIES {
                let mut key = [0u8; 32];
                key[..8].copy_from_slice(&(i as u64).to_le_bytes());
                results.insert((key, key), Ok(()));
            }
        }
        assert_eq!(
            cache.verify(&sub, &root, super::super::build::verify_issued_by),
            Ok(())
        );
        assert_eq!(cache.lock().len(), MAX_ENTRIES);
    }
}
