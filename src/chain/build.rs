//! The search that builds the chain from the pool.
//!
//! Issuers are found through an index from subject name (RFC 5280 7.1 key)
//! to certificates, never by pairwise scans. Where several certificates share
//! a subject (cross-signed, re-keyed, look-alike), the search verifies each
//! candidate's signature first and tries those whose key verifies before the
//! others (roots, trust anchors and matching key identifiers first among
//! them), and keeps the best path: verified links, then every certificate
//! valid at the validation time and allowed to issue (RFC 5280 6.1.3-6.1.4),
//! then ending at a trust anchor or a self-signed root. It stops at the first
//! trust anchor or self-signed root it reaches. Signatures are verified only
//! along the paths tried, each pair at most once, within the budgets of
//! [`crate::Limits`]; when a budget stops it before a perfect path is found,
//! the chain says so ([`super::Chain::search_stopped_by`]).

use std::collections::HashMap;

use super::{BuildOptions, ChainEnd as End, InputOrder, LeafReason, Link, SearchLimit};
use crate::model::{Certificate, Pool};
use crate::verify::{verify, VerifyError};

/// The chain as pool indices, before [`super::Chain::of`] resolves them.
#[derive(Debug, Clone)]
pub(super) struct Built {
    /// Indices into the pool's certificates, leaf first.
    pub(super) path: Vec<usize>,
    /// `links[i]`: how `path[i]` is issued by `path[i + 1]`.
    pub(super) links: Vec<Link>,
    pub(super) end: End,
    /// Index into the trust anchors of the anchor the top is, or that issued it.
    pub(super) anchor: Option<usize>,
    /// The budget that cut the search short, when the chain found is not perfect.
    pub(super) stopped: Option<SearchLimit>,
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
pub(super) fn build(pool: &Pool, options: &BuildOptions<'_>) -> Built {
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
    let Some((leaf, leaf_reason)) = super::leaf::choose(pool, &unique) else {
        return Built {
            path: Vec::new(),
            links: Vec::new(),
            end: End::Empty,
            anchor: None,
            stopped: None,
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
        options,
        signatures: HashMap::new(),
        verifications: 0,
        steps: 0,
        cut: None,
    };
    let tail = search.extend(&mut vec![leaf]);
    let stopped = search.cut.filter(|_| !tail.perfect(options));
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
        anchor: tail.anchor,
        stopped,
        leaf_reason,
        key,
        duplicates,
        unrelated,
    }
}

/// The part of a chain above a certificate.
struct Tail {
    path: Vec<usize>,
    links: Vec<Link>,
    end: End,
    anchor: Option<usize>,
    /// Every certificate of the tail is valid at the validation time and
    /// allowed to issue the one below it.
    valid: bool,
}

impl Tail {
    fn ending(end: End) -> Self {
        Tail {
            path: Vec::new(),
            links: Vec::new(),
            end,
            anchor: None,
            valid: true,
        }
    }

    fn anchored(end: End, anchor: usize) -> Self {
        Tail {
            anchor: Some(anchor),
            ..Tail::ending(end)
        }
    }

    /// `candidate`, issuing the certificate below through `link`, under `above`.
    fn through(candidate: usize, link: Link, allowed: bool, above: Tail) -> Self {
        let mut path = Vec::with_capacity(above.path.len() + 1);
        path.push(candidate);
        path.extend(above.path);
        let mut links = Vec::with_capacity(above.links.len() + 1);
        links.push(link);
        links.extend(above.links);
        Tail {
            path,
            links,
            end: above.end,
            anchor: above.anchor,
            valid: allowed && above.valid,
        }
    }

    /// 2: ends at a trust anchor; 1: at a verified self-signed root; 0: neither.
    fn terminal(&self) -> u8 {
        match (&self.anchor, &self.end) {
            (Some(_), _) => 2,
            (
                None,
                End::Root {
                    self_signature: Ok(()),
                },
            ) => 1,
            _ => 0,
        }
    }

    /// Higher is better: verified links first, then validity and CA
    /// constraints (an expired cross-certificate loses to a valid path),
    /// then the end (anchor, root), then fewer bad links, then shorter.
    fn rank(&self) -> (bool, bool, u8, usize, usize) {
        let bad_links = self.links.iter().filter(|l| l.signature.is_err()).count();
        (
            bad_links == 0,
            self.valid,
            self.terminal(),
            usize::MAX - bad_links,
            usize::MAX - self.path.len(),
        )
    }

    /// Nothing better can be found: verified, valid, at the best end there is.
    fn perfect(&self, options: &BuildOptions<'_>) -> bool {
        let best_end = if options.anchors.is_empty() { 1 } else { 2 };
        let (links, valid, terminal, _, _) = self.rank();
        links && valid && terminal == best_end
    }
}

/// Who signs a certificate: a certificate of the pool, or a trust anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Signer {
    Pool(usize),
    Anchor(usize),
}

struct Search<'p> {
    certs: &'p [Certificate],
    by_subject: &'p HashMap<&'p [u8], Vec<usize>>,
    options: &'p BuildOptions<'p>,
    signatures: HashMap<(usize, Signer), Result<(), VerifyError>>,
    verifications: usize,
    steps: usize,
    /// The first budget that stopped part of the search.
    cut: Option<SearchLimit>,
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
            match self.signature(current, Signer::Pool(current)) {
                Some(Ok(())) => {
                    let end = End::Root {
                        self_signature: Ok(()),
                    };
                    return match self.anchor_of(cert) {
                        Some(anchor) => Tail::anchored(end, anchor),
                        None => Tail::ending(end),
                    };
                }
                // Self-issued but not self-signed: a CA key rollover certificate,
                // or a broken root. Look for its issuer like any other.
                Some(result) => self_signature = Some(result),
                None => return Tail::ending(End::Stopped),
            }
        }
        if let Some(anchor) = self.anchor_of(cert) {
            return Tail::anchored(End::Trusted, anchor);
        }
        if path.len() >= self.options.limits.max_chain_length {
            return Tail::ending(End::TooLong);
        }
        let all = self
            .by_subject
            .get(cert.issuer().key())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let candidates: Vec<usize> = all.iter().copied().filter(|c| !path.contains(c)).collect();
        // An anchor that issued this certificate ends the chain here, unless
        // the pool holds that anchor itself (then the chain ends at it).
        let anchor_in_pool = candidates
            .iter()
            .any(|&c| self.certs.get(c).is_some_and(|c| self.anchor_of(c).is_some()));
        if !anchor_in_pool {
            if let Some(anchor) = self.anchor_issuing(current) {
                return Tail::anchored(End::Trusted, anchor);
            }
        }
        if candidates.is_empty() {
            return Tail::ending(match self_signature {
                Some(result) => End::Root {
                    self_signature: result,
                },
                None if all.is_empty() => End::MissingIssuer,
                None => End::Loop,
            });
        }
        let links = self.links(current, candidates);
        if links.is_empty() {
            return Tail::ending(End::Stopped);
        }
        self.best_of(path, links)
    }

    /// The best tail through one of `links` (candidates in the order to try).
    fn best_of(&mut self, path: &mut Vec<usize>, links: Vec<(usize, Link)>) -> Tail {
        let mut best: Option<Tail> = None;
        for (candidate, link) in links {
            if self.steps >= self.options.limits.max_chain_steps {
                self.cut.get_or_insert(SearchLimit::Steps);
                if best.is_some() {
                    break;
                }
            }
            let allowed = self.may_issue(path, candidate);
            path.push(candidate);
            let above = self.extend(path);
            path.pop();
            let tail = Tail::through(candidate, link, allowed, above);
            let perfect = tail.perfect(self.options);
            if best.as_ref().is_none_or(|b| tail.rank() > b.rank()) {
                best = Some(tail);
            }
            if perfect {
                break;
            }
        }
        best.unwrap_or_else(|| Tail::ending(End::MissingIssuer))
    }

    /// The links from `current` to each candidate issuer, in the order to
    /// try them: those whose key verifies the signature first (so a
    /// look-alike listed first costs one verification, not a search), and
    /// within each group roots and anchors, then matching key identifiers,
    /// then pool order. Candidates the verification budget leaves unchecked
    /// are left out.
    fn links(&mut self, current: usize, mut candidates: Vec<usize>) -> Vec<(usize, Link)> {
        let cert = self.certs.get(current);
        candidates.sort_by_key(|&c| {
            let issuer = self.certs.get(c);
            let terminal = issuer.is_some_and(|i| i.is_self_issued() || self.anchor_of(i).is_some());
            (
                !terminal,
                cert.and_then(|cert| key_id_matches(cert, issuer)) == Some(false),
            )
        });
        let mut links = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let Some(signature) = self.signature(current, Signer::Pool(candidate)) else {
                break;
            };
            let key_id_matches = cert.and_then(|cert| key_id_matches(cert, self.certs.get(candidate)));
            links.push((
                candidate,
                Link {
                    signature,
                    key_id_matches,
                },
            ));
        }
        links.sort_by_key(|(_, link)| link.signature.is_err());
        links
    }

    /// Whether `candidate` may issue the last certificate of `path`: it is
    /// valid at the validation time, is a CA (or a v1 self-signed root),
    /// may sign certificates, and its pathLenConstraint allows the
    /// non-self-issued intermediates already below it.
    fn may_issue(&self, path: &[usize], candidate: usize) -> bool {
        let Some(issuer) = self.certs.get(candidate) else {
            return false;
        };
        let at = self.options.at;
        let in_time = issuer.not_before() <= at && at <= issuer.not_after();
        let ca = issuer.is_ca() || (issuer.version() == 1 && issuer.is_self_issued());
        let signs = issuer.key_usage().is_none_or(|ku| ku.key_cert_sign());
        let below = path
            .get(1..)
            .unwrap_or_default()
            .iter()
            .filter(|&&i| self.certs.get(i).is_some_and(|c| !c.is_self_issued()))
            .count();
        let path_len = issuer
            .basic_constraints()
            .and_then(|bc| bc.path_len)
            .is_none_or(|limit| u32::try_from(below).unwrap_or(u32::MAX) <= limit);
        in_time && ca && signs && path_len
    }

    /// The trust anchor `cert` is (same name and key), if any.
    fn anchor_of(&self, cert: &Certificate) -> Option<usize> {
        self.options
            .anchors
            .iter()
            .position(|a| a.subject().matches(cert.subject()) && a.public_key().same_key(cert.public_key()))
    }

    /// The trust anchor named as `child`'s issuer whose key verifies it.
    fn anchor_issuing(&mut self, child: usize) -> Option<usize> {
        let issuer = self.certs.get(child)?.issuer();
        let named: Vec<usize> = (0..self.options.anchors.len())
            .filter(|&a| {
                self.options
                    .anchors
                    .get(a)
                    .is_some_and(|a| a.subject().matches(issuer))
            })
            .collect();
        named
            .into_iter()
            .find(|&a| self.signature(child, Signer::Anchor(a)) == Some(Ok(())))
    }

    /// Whether `signer`'s key verifies `child`'s signature; `None` when the
    /// verification budget is spent. Each pair is verified once per search;
    /// the batch cache, when there is one, answers pairs other bundles
    /// verified (they still count against the budget, so a bundle's result
    /// never depends on what else ran).
    fn signature(&mut self, child: usize, signer: Signer) -> Option<Result<(), VerifyError>> {
        if let Some(result) = self.signatures.get(&(child, signer)) {
            return Some(result.clone());
        }
        if self.verifications >= self.options.limits.max_chain_verifications {
            self.cut.get_or_insert(SearchLimit::Verifications);
            return None;
        }
        let c = self.certs.get(child)?;
        let issuer = match signer {
            Signer::Pool(i) => self.certs.get(i),
            Signer::Anchor(a) => self.options.anchors.get(a),
        }?;
        self.verifications += 1;
        let result = match self.options.cache {
            Some(cache) => cache.verify(c, issuer, verify_issued_by),
            None => verify_issued_by(c, issuer),
        };
        self.signatures.insert((child, signer), result.clone());
        Some(result)
    }
}

/// Whether `issuer`'s public key verifies `child`'s signature.
pub(super) fn verify_issued_by(child: &Certificate, issuer: &Certificate) -> Result<(), VerifyError> {
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
