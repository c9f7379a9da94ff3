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
