//! The search that builds the chain from the pool.
//!
//! Issuers are found through an index from subject name (RFC 5280 7.1 key)
//! to certificates, never by pairwise scans. Where several certificates share
//! a subject (cross-signed, re-keyed, look-alike), the search tries those
//! whose key identifier matches first and keeps the path whose signatures
//! verify and that ends in a present root. Signatures are verified only along
//! the paths tried, each pair at most once, within a fixed budget.

use std::collections::{HashMap, HashSet};

use super::{ChainEnd as End, InputOrder, LeafReason, Link};
use crate::model::{Certificate, Pool};
use crate::verify::{verify, VerifyError};

/// Longest chain followed (leaf and root included).
pub(crate) const MAX_LENGTH: usize = 16;
/// Most signature verifications one build may spend.
const MAX_VERIFICATIONS: usize = 256;
/// Most certificates one build may step through. Verifications are cached,
/// so without this a pool of same-named certificates that are not validly
/// self-signed would let the search walk every ordering of them.
const MAX_STEPS: usize = 4096;

/// The chain as pool indices, before [`super::Chain::of`] resolves them.
#[derive(Debug, Clone)]
pub(super) struct Built {
    /// Indices into the pool's certificates, leaf first.
    pub(super) path: Vec<usize>,
    /// `links[i]`: how `path[i]` is issued by `path[i + 1]`.
    pub(super) links: Vec<Link>,
    pub(super) end: End,
    pub(super) leaf_reason: LeafReason,
    pub(super) input_order: InputOrder,
    /// Index into the pool's keys of the key that matched the leaf.
    pub(super) key: Option<usize>,
    /// Later copies of certificates already in the pool: (copy, first copy).
    pub(super) duplicates: Vec<(usize, usize)>,
    /// Certificates that are not in the chain (first copies only).
    pub(super) unrelated: Vec<usize>,
}

/// Builds the chain of `pool`.
pub(super) fn build(pool: &Pool) -> Built {
    let certs = pool.certificates();
    let mut first_copy: HashMap<&[u8; 32], usize> = HashMap::with_capacity(certs.len());
    let mut duplicates = Vec::new();
    let mut unique = Vec::with_capacity(certs.len());
    for (i, cert) in certs.iter().enumerate() {
        match first_copy.get(cert.sha256()) {
            Some(&first) => duplicates.push((i, first)),
            None => {
                first_copy.insert(cert.sha256(), i);
                unique.push(i);
            }
        }
    }
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::with_capacity(unique.len());
    for &i in &unique {
        if let Some(cert) = certs.get(i) {
            by_subject.entry(cert.subject().key()).or_default().push(i);
        }
    }
    let Some((leaf, leaf_reason)) = choose_leaf(pool, &unique) else {
        return Built {
            path: Vec::new(),
            links: Vec::new(),
            end: End::Empty,
            leaf_reason: LeafReason::NoEndEntity,
            input_order: InputOrder::Single,
            key: None,
            duplicates,
            unrelated: Vec::new(),
        };
    };
    let mut search = Search {
        certs,
        by_subject: &by_subject,
        signatures: HashMap::new(),
        verifications: 0,
        steps: 0,
    };
    let tail = search.extend(&mut vec![leaf]);
    let mut path = Vec::with_capacity(tail.path.len() + 1);
    path.push(leaf);
    path.extend(tail.path);
    let unrelated = unique.iter().copied().filter(|i| !path.contains(i)).collect();
    let key = match leaf_reason {
        LeafReason::MatchesKey => certs.get(leaf).and_then(|c| {
            pool.keys()
                .iter()
                .position(|k| k.public_key().same_key(c.public_key()))
        }),
        _ => None,
    };
    Built {
        input_order: input_order(&path),
        path,
        links: tail.links,
        end: tail.end,
        leaf_reason,
        key,
        duplicates,
        unrelated,
    }
}

/// The leaf: the certificate of the given key, else of the given request,
/// else the first end-entity certificate, else the CA certificate that
/// issues none of the others.
fn choose_leaf(pool: &Pool, unique: &[usize]) -> Option<(usize, LeafReason)> {
    let certs = pool.certificates();
    let cert = |i: usize| certs.get(i);
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
            .find(|&i| cert(i).is_some_and(|c| !c.is_ca()))
            .or(matching.first().copied())
    };
    let by_key = find(&|c| {
        pool.keys()
            .iter()
            .any(|k| k.public_key().same_key(c.public_key()))
    });
    if let Some(i) = by_key {
        return Some((i, LeafReason::MatchesKey));
    }
    let by_request = find(&|c| {
        pool.requests()
            .iter()
            .any(|r| r.public_key().same_key(c.public_key()))
    });
    if let Some(i) = by_request {
        return Some((i, LeafReason::MatchesRequest));
    }
    if let Some(i) = unique
        .iter()
        .copied()
        .find(|&i| cert(i).is_some_and(|c| !c.is_ca()))
    {
        return Some((i, LeafReason::FirstEndEntity));
    }
    // All CAs: the lowest one is the first that issues none of the others.
    let issuers: HashSet<&[u8]> = unique
        .iter()
        .filter_map(|&i| cert(i))
        .filter(|c| !c.is_self_issued())
        .map(|c| c.issuer().key())
        .collect();
    let lowest = unique
        .iter()
        .copied()
        .find(|&i| cert(i).is_some_and(|c| !issuers.contains(c.subject().key())));
    lowest
        .or(unique.first().copied())
        .map(|i| (i, LeafReason::NoEndEntity))
}

/// The part of a chain above a certificate.
struct Tail {
    path: Vec<usize>,
    links: Vec<Link>,
    end: End,
}

impl Tail {
    fn ending(end: End) -> Self {
        Tail {
            path: Vec::new(),
            links: Vec::new(),
            end,
        }
    }

    /// Higher is better: a verified path to a self-signed root beats a
    /// verified but incomplete one, which beats any path with a bad link.
    fn rank(&self) -> (bool, bool, usize) {
        let bad_links = self.links.iter().filter(|l| l.signature.is_err()).count();
        let rooted = matches!(
            self.end,
            End::Root {
                self_signature: Ok(())
            }
        );
        (bad_links == 0, rooted, usize::MAX - bad_links)
    }
}

struct Search<'p> {
    certs: &'p [Certificate],
    by_subject: &'p HashMap<&'p [u8], Vec<usize>>,
    signatures: HashMap<(usize, usize), Result<(), VerifyError>>,
    verifications: usize,
    steps: usize,
}

impl Search<'_> {
    /// The best tail above the last certificate of `path`.
    fn extend(&mut self, path: &mut Vec<usize>) -> Tail {
        self.steps += 1;
        let Some(&current) = path.last() else {
            return Tail::ending(End::Empty);
        };
        let Some(cert) = self.certs.get(current) else {
            return Tail::ending(End::Empty);
        };
        let mut self_signature = None;
        if cert.is_self_issued() {
            let result = self.signature(current, current);
            if result.is_ok() {
                return Tail::ending(End::Root {
                    self_signature: result,
                });
            }
            // Self-issued but not self-signed: a CA key rollover certificate,
            // or a broken root. Look for its issuer like any other.
            self_signature = Some(result);
        }
        if path.len() >= MAX_LENGTH {
            return Tail::ending(End::TooLong);
        }
        let all = self
            .by_subject
            .get(cert.issuer().key())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut candidates: Vec<usize> = all.iter().copied().filter(|c| !path.contains(c)).collect();
        if candidates.is_empty() {
            return Tail::ending(match self_signature {
                Some(result) => End::Root {
                    self_signature: result,
                },
                None if all.is_empty() => End::MissingIssuer,
                None => End::Loop,
            });
        }
        // Key identifiers that match go first.
        candidates.sort_by_key(|&c| key_id_matches(cert, self.certs.get(c)) == Some(false));
        let mut best: Option<Tail> = None;
        for candidate in candidates {
            let exhausted = self.verifications >= MAX_VERIFICATIONS || self.steps >= MAX_STEPS;
            if exhausted && best.is_some() {
                break;
            }
            let link = Link {
                signature: self.signature(current, candidate),
                key_id_matches: key_id_matches(cert, self.certs.get(candidate)),
            };
            path.push(candidate);
            let above = self.extend(path);
            path.pop();
            let mut tail = Tail {
                path: Vec::with_capacity(above.path.len() + 1),
                links: Vec::with_capacity(above.links.len() + 1),
                end: above.end,
            };
            tail.path.push(candidate);
            tail.path.extend(above.path);
            tail.links.push(link);
            tail.links.extend(above.links);
            let perfect = tail.rank().0 && tail.rank().1;
            if best.as_ref().is_none_or(|b| tail.rank() > b.rank()) {
                best = Some(tail);
            }
            if perfect {
                break;
            }
        }
        best.unwrap_or_else(|| Tail::ending(End::MissingIssuer))
    }

    /// Whether `issuer`'s key verifies `child`'s signature (cached).
    fn signature(&mut self, child: usize, issuer: usize) -> Result<(), VerifyError> {
        if let Some(result) = self.signatures.get(&(child, issuer)) {
            return result.clone();
        }
        let (Some(c), Some(i)) = (self.certs.get(child), self.certs.get(issuer)) else {
            return Err(VerifyError::Invalid);
        };
        self.verifications += 1;
        let result = verify_issued_by(c, i);
        self.signatures.insert((child, issuer), result.clone());
        result
    }
}

/// Whether `issuer`'s public key verifies `child`'s signature.
pub(crate) fn verify_issued_by(child: &Certificate, issuer: &Certificate) -> Result<(), VerifyError> {
    let signed = child.signed();
    let der = child.der();
    match (signed.tbs.of(der), signed.signature.of(der)) {
        (Some(tbs), Some(signature)) => verify(tbs, &signed.algorithm, signature, issuer.public_key()),
        _ => Err(VerifyError::Invalid),
    }
}

fn key_id_matches(child: &Certificate, issuer: Option<&Certificate>) -> Option<bool> {
    let aki = child.authority_key_id()?;
    let ski = issuer?.subject_key_id()?;
    Some(aki == ski)
}

/// Leaf-first when each certificate came before its issuer in the input,
/// root-first when after.
fn input_order(path: &[usize]) -> InputOrder {
    match path {
        [] | [_] => InputOrder::Single,
        _ if path.windows(2).all(|w| w.first() < w.get(1)) => InputOrder::LeafFirst,
        _ if path.windows(2).all(|w| w.first() > w.get(1)) => InputOrder::RootFirst,
        _ => InputOrder::Unordered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_order_is_read_from_pool_positions() {
        assert_eq!(input_order(&[0]), InputOrder::Single);
        assert_eq!(input_order(&[0, 1, 2]), InputOrder::LeafFirst);
        assert_eq!(input_order(&[2, 1, 0]), InputOrder::RootFirst);
        assert_eq!(input_order(&[1, 0, 2]), InputOrder::Unordered);
    }
}
