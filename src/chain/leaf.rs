//! Where the chain starts: the leaf.

use std::collections::HashSet;

use super::LeafReason;
use crate::model::{Certificate, Pool, PublicKey};

/// The leaf: the certificate of the given key, else of the given request,
/// else the first end-entity certificate, else the lowest CA of the first
/// file given.
pub(super) fn choose(pool: &Pool, unique: &[usize]) -> Option<(usize, LeafReason)> {
    let certs = pool.certificates();
    let cert = |i: usize| certs.get(i);
    let end_entity = |i: &usize| cert(*i).is_some_and(|c| !c.is_ca());
    let find = |wanted: &dyn Fn(&Certificate) -> bool| {
        // An end-entity match beats a CA with the same key (a re-issued CA).
        let matching: Vec<usize> = unique
            .iter()
            .copied()
            .filter(|&i| cert(i).is_some_and(wanted))
            .collect();
        matching
            .iter()
            .copied()
            .find(end_entity)
            .or(matching.first().copied())
    };
    let keys: Vec<&PublicKey> = pool.keys().iter().map(|k| k.public_key()).collect();
    let requested: Vec<&PublicKey> = pool.requests().iter().map(|r| r.public_key()).collect();
    for (wanted, reason) in [
        (keys, LeafReason::MatchesKey),
        (requested, LeafReason::MatchesRequest),
    ] {
        if let Some(i) = find(&|c| wanted.iter().any(|k| k.same_key(c.public_key()))) {
            return Some((i, reason));
        }
    }
    if let Some(i) = unique.iter().copied().find(end_entity) {
        return Some((i, LeafReason::FirstEndEntity));
    }
    // All CAs: the chain starts at the lowest CA of the first file given
    // (the CA chain the user means; other files may be a whole suite's CAs):
    // the first of that file's certificates that issues none of the others.
    let first_file = unique.first().and_then(|&i| cert(i))?.source().path();
    let in_file: Vec<usize> = unique
        .iter()
        .copied()
        .filter(|&i| cert(i).is_some_and(|c| c.source().path() == first_file))
        .collect();
    let issuers: HashSet<&[u8]> = in_file
        .iter()
        .filter_map(|&i| cert(i))
        .filter(|c| !c.is_self_issued())
        .map(|c| c.issuer().key())
        .collect();
    let lowest = in_file
        .iter()
        .copied()
        .find(|&i| cert(i).is_some_and(|c| !issuers.contains(c.subject().key())));
    lowest
        .or(in_file.first().copied())
        .map(|i| (i, LeafReason::NoEndEntity))
}
