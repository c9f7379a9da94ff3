//! The one chain built from a pool, leaf first, with a face: each
//! certificate with its role, the leaf, the top, how the chain ends, and the
//! key that matched the leaf. Checks, report, TLS and export all read this;
//! none of them goes back to pool indices or matches keys again.

mod build;
mod cache;
mod leaf;

use serde::Serialize;

use crate::input::Limits;
use crate::model::{Certificate, Pool, PrivateKey};
use crate::timestamp::Time;
pub use crate::verify::VerifyError;

pub(crate) use cache::SignatureCache;

/// What the search needs besides the pool.
pub(crate) struct BuildOptions<'a> {
    /// The chain length limit and the search budgets.
    pub(crate) limits: &'a Limits,
    /// Validation time: a path through an expired certificate loses to a
    /// valid one.
    pub(crate) at: Time,
    /// The roots the peer trusts: the search stops at the first it reaches.
    pub(crate) anchors: &'a [Certificate],
    /// Verifications shared with the other bundles of a batch.
    pub(crate) cache: Option<&'a SignatureCache>,
}

/// A limit of [`Limits`] on the issuer search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SearchLimit {
    /// [`Limits::max_chain_length`].
    Length,
    /// [`Limits::max_chain_verifications`].
    Verifications,
    /// [`Limits::max_chain_steps`].
    Steps,
}

impl SearchLimit {
    /// The name of the [`Limits`] field.
    pub fn field(self) -> &'static str {
        match self {
            SearchLimit::Length => "max_chain_length",
            SearchLimit::Verifications => "max_chain_verifications",
            SearchLimit::Steps => "max_chain_steps",
        }
    }

    /// Its value in `limits`.
    pub fn value(self, limits: &Limits) -> usize {
        match self {
            SearchLimit::Length => limits.max_chain_length,
            SearchLimit::Verifications => limits.max_chain_verifications,
            SearchLimit::Steps => limits.max_chain_steps,
        }
    }

    /// What it counts, in words.
    pub fn counts(self) -> &'static str {
        match self {
            SearchLimit::Length => "certificates in the chain",
            SearchLimit::Verifications => "signature verifications",
            SearchLimit::Steps => "certificates stepped through",
        }
    }
}

/// A certificate's place in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Role {
    /// The client (end-entity) certificate.
    Leaf,
    /// A CA between the leaf and the root; also the first certificate of a
    /// chain of CA certificates only.
    Intermediate,
    /// The self-issued certificate at the top.
    Root,
}

impl Role {
    /// The lowercase name used in reports and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leaf => "leaf",
            Role::Intermediate => "intermediate",
            Role::Root => "root",
        }
    }
}

/// How the chain ends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainEnd {
    /// At a self-issued certificate; `self_signature` says whether its own
    /// key verifies it.
    Root {
        /// The self-signature's verification.
        self_signature: Result<(), VerifyError>,
    },
    /// The top certificate's issuer is not in the pool.
    MissingIssuer,
    /// The issuers lead back into the chain (cross-certified CAs without a root).
    Loop,
    /// The chain reached the length limit ([`Limits::max_chain_length`]) before its end.
    TooLong,
    /// The top certificate is a trust anchor, or one of them issued it
    /// ([`Chain::anchor`] says which).
    Trusted,
    /// The verification budget ran out before the top's issuer could be tried.
    Stopped,
    /// The pool holds no certificate.
    Empty,
}

impl ChainEnd {
    /// Whether the chain ends at a self-issued certificate (verified or not).
    pub fn is_root(&self) -> bool {
        matches!(self, ChainEnd::Root { .. })
    }
}

/// How one certificate is issued by the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Whether the issuer's key verifies the certificate's signature.
    pub signature: Result<(), VerifyError>,
    /// Whether the certificate's AKI names the issuer's SKI (`None`: one is absent).
    pub key_id_matches: Option<bool>,
}

/// Why the first certificate is where the chain starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LeafReason {
    /// Its public key is that of the given private key.
    MatchesKey,
    /// Its public key is that of the given certificate request.
    MatchesRequest,
    /// The first end-entity (non-CA) certificate in input order.
    FirstEndEntity,
    /// There is no end-entity certificate: the lowest CA of the first file
    /// given (the first of its certificates that issues none of the others).
    NoEndEntity,
}

/// The order the input listed the chain's certificates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputOrder {
    /// Leaf first, each certificate followed by its issuer.
    LeafFirst,
    /// Root first.
    RootFirst,
    /// Any other order.
    Unordered,
    /// The chain is one certificate.
    Single,
}

impl InputOrder {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            InputOrder::LeafFirst => "leaf-first",
            InputOrder::RootFirst => "root-first",
            InputOrder::Unordered => "unordered",
            InputOrder::Single => "single",
        }
    }
}

/// One certificate of the chain, with its place.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Placed<'p> {
    /// Position in the chain, 0 = the first (the leaf, when there is one).
    pub position: usize,
    /// Leaf, intermediate or root.
    pub role: Role,
    /// The certificate.
    pub cert: &'p Certificate,
}

/// A later copy of a certificate already in the pool.
#[derive(Debug, Clone, Copy)]
pub struct Duplicate<'p> {
    /// The copy.
    pub copy: &'p Certificate,
    /// The first copy, the one the chain may use.
    pub first: &'p Certificate,
}

/// The chain built from a pool, leaf first.
#[derive(Debug, Clone)]
pub struct Chain<'p> {
    certs: Vec<&'p Certificate>,
    links: Vec<Link>,
    end: ChainEnd,
    anchor: Option<usize>,
    stopped: Option<SearchLimit>,
    leaf_reason: LeafReason,
    input_order: InputOrder,
    key: Option<&'p PrivateKey>,
    duplicates: Vec<Duplicate<'p>>,
    unrelated: Vec<&'p Certificate>,
}

impl<'p> Chain<'p> {
    /// Builds the chain of `pool` (see the `build` module for the search).
    pub(crate) fn of(pool: &'p Pool, options: &BuildOptions<'_>) -> Self {
        let built = build::build(pool, options);
        let certs = pool.certificates();
        let resolve = |indices: &[usize]| -> Vec<&'p Certificate> {
            indices.iter().filter_map(|&i| certs.get(i)).collect()
        };
        Chain {
            certs: resolve(&built.path),
            links: built.links,
            end: built.end,
            anchor: built.anchor,
            stopped: built.stopped,
            leaf_reason: built.leaf_reason,
            input_order: built.input_order,
            key: built.key.and_then(|i| pool.keys().get(i)),
            duplicates: built
                .duplicates
                .iter()
                .filter_map(|&(copy, first)| {
                    Some(Duplicate {
                        copy: certs.get(copy)?,
                        first: certs.get(first)?,
                    })
                })
                .collect(),
            unrelated: resolve(&built.unrelated),
        }
    }

    /// The chain's certificates, leaf first.
    pub fn certificates(&self) -> &[&'p Certificate] {
        &self.certs
    }

    /// Each certificate with its position and role, leaf first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Placed<'p>> + '_ {
        self.certs.iter().enumerate().map(|(position, &cert)| Placed {
            position,
            role: self.role(position),
            cert,
        })
    }

    /// The number of certificates.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether the pool held no certificate to start a chain from.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The certificate at `position` (0 = the first).
    pub fn get(&self, position: usize) -> Option<&'p Certificate> {
        self.certs.get(position).copied()
    }

    /// The first certificate: the leaf, or the lowest CA of a chain of CA
    /// certificates only.
    pub fn first(&self) -> Option<&'p Certificate> {
        self.get(0)
    }

    /// The client certificate, when the chain has one (a chain of CA
    /// certificates only has none).
    pub fn leaf(&self) -> Option<&'p Certificate> {
        self.first().filter(|_| self.has_leaf())
    }

    /// The last certificate: the root, when the chain ends at one.
    pub fn top(&self) -> Option<&'p Certificate> {
        self.certs.last().copied()
    }

    /// The position of the last certificate (0 for an empty chain).
    pub fn top_position(&self) -> usize {
        self.certs.len().saturating_sub(1)
    }

    /// The role of the certificate at `position`.
    pub fn role(&self, position: usize) -> Role {
        match position {
            0 if self.has_leaf() => Role::Leaf,
            p if p == self.top_position() && self.end.is_root() && self.certs.len() > 1 => Role::Root,
            0 if self.end.is_root() && self.certs.len() == 1 => Role::Root,
            _ => Role::Intermediate,
        }
    }

    /// The position of `cert` in the chain, if it is part of it.
    pub fn position_of(&self, cert: &Certificate) -> Option<usize> {
        self.certs.iter().position(|c| c.sha256() == cert.sha256())
    }

    /// `links()[i]`: how the certificate at `i` is issued by the one at `i + 1`.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// How the chain ends.
    pub fn end(&self) -> &ChainEnd {
        &self.end
    }

    /// The trust anchor (index into the anchors given) that the top
    /// certificate is, or that issued it.
    pub fn anchor(&self) -> Option<usize> {
        self.anchor
    }

    /// The search budget that stopped the search before a chain with
    /// verified links, valid certificates and a root (or anchor) was found;
    /// `None` when no budget mattered.
    pub fn search_stopped_by(&self) -> Option<SearchLimit> {
        self.stopped
    }

    /// Why the chain starts where it does.
    pub fn leaf_reason(&self) -> LeafReason {
        self.leaf_reason
    }

    /// The order the input listed the chain in.
    pub fn input_order(&self) -> InputOrder {
        self.input_order
    }

    /// The private key whose public key is the leaf's, when one was given.
    pub fn key(&self) -> Option<&'p PrivateKey> {
        self.key
    }

    /// The certificates a TLS client sends: leaf first, without the root
    /// (the server holds its trust anchor). A chain that does not end in a
    /// root is sent whole; so is a lone self-signed leaf.
    pub fn presented(&self) -> &[&'p Certificate] {
        match self.certs.split_last() {
            Some((_, below)) if self.end.is_root() && !below.is_empty() => below,
            _ => &self.certs,
        }
    }

    /// Later copies of certificates already in the pool.
    pub fn duplicates(&self) -> &[Duplicate<'p>] {
        &self.duplicates
    }

    /// Certificates of the pool that are not in the chain (first copies only).
    pub fn unrelated(&self) -> &[&'p Certificate] {
        &self.unrelated
    }

    /// Whether the first certificate is a client certificate (rather than
    /// the lowest CA of a chain of CA certificates only).
    fn has_leaf(&self) -> bool {
        !self.certs.is_empty() && self.leaf_reason != LeafReason::NoEndEntity
    }
}
