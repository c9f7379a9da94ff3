//! `chain.complete`: the chain ends in a self-signed root that is present;
//! with trust anchors given, it ends at one of them. A chain ending at a
//! present CA whose issuer (the root) is absent only warns: TLS clients need
//! not send the root. The leaf's own issuer missing, a certificate missing
//! between present ones, or a search limit that stopped it, fail.

use super::{named, Context};
use crate::chain::{ChainEnd, SearchLimit};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::Certificate;

const ID: CheckId = CheckId::ChainComplete;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let last = ctx.chain.top_position();
    let top = ctx.chain.top();
    let error = |cert: Option<usize>, problem: String, fix: Option<Fix>| {
        Some(vec![Finding::new(ID, Severity::Error, cert, problem, fix)])
    };
    if let (Some(limit), Some(top)) = (ctx.chain.search_stopped_by(), top) {
        return error(Some(last), stopped(ctx, limit, top), Some(raise(ctx, limit)));
    }
    if let (false, Some(top)) = (ctx.anchors.is_empty(), top) {
        return Some(against_anchors(ctx, last, top));
    }
    match (ctx.chain.end(), top) {
        (ChainEnd::Root { self_signature: Ok(()) } | ChainEnd::Trusted, _) => Some(Vec::new()),
        (ChainEnd::Empty, _) | (_, None) => error(
            None,
            "no certificate was found in the input".to_owned(),
            Some(Fix::GiveCertificate),
        ),
        (ChainEnd::Root { .. }, Some(top)) => error(
            Some(last),
            format!("the chain ends at {}, which names itself as issuer but is not self-signed", named(top)),
            Some(Fix::AddRoot),
        ),
        (ChainEnd::MissingIssuer, Some(top)) => Some(vec![missing_issuer(ctx, last, top)]),
        (ChainEnd::Loop, Some(top)) => error(
            Some(last),
            format!(
                "the issuers loop back from {} into the chain without reaching a self-signed root: the root is missing",
                named(top)
            ),
            Some(Fix::AddRoot),
        ),
        (ChainEnd::TooLong, Some(top)) => error(
            Some(last),
            format!(
                "the chain is longer than {} certificates (the limit `Limits::{}`) at {}; it was not followed further",
                ctx.limits.max_chain_length,
                SearchLimit::Length.field(),
                named(top)
            ),
            Some(raise(ctx, SearchLimit::Length)),
        ),
        (ChainEnd::Stopped, Some(top)) => error(
            Some(last),
            stopped(ctx, SearchLimit::Verifications, top),
            Some(raise(ctx, SearchLimit::Verifications)),
        ),
    }
}

/// The top's issuer is not in the pool: a gap between present certificates
/// (a root is present that issues nothing here) or the leaf's own issuer
/// fail; a chain that ends at a present CA (the download without its root)
/// only warns, since the peer holds the root.
fn missing_issuer(ctx: &Context<'_>, last: usize, top: &Certificate) -> Finding {
    let issuer = format!("`{}`", top.issuer());
    let unused_root = ctx
        .chain
        .unrelated()
        .iter()
        .find(|c| c.is_ca() && c.is_self_issued());
    let error = |cert: usize, problem: String, fix: Fix| {
        Finding::new(ID, Severity::Error, Some(cert), problem, Some(fix))
    };
    if let Some(root) = unused_root {
        error(
            last,
            format!(
                "an intermediate CA is missing: no certificate for {issuer}, the issuer of {}; the root {} is present \
                 but does not issue it",
                named(top),
                named(root)
            ),
            Fix::AddIntermediate,
        )
    } else if last == 0 && ctx.chain.leaf().is_some() {
        error(
            0,
            format!(
                "the CA chain of the leaf {} is missing: no certificate for its issuer {issuer}",
                named(top)
            ),
            Fix::AddCaChain {
                leaf_from: super::input_format(ctx.pool, top),
            },
        )
    } else if top.is_ca() {
        Finding::new(
            ID,
            Severity::Warning,
            Some(last),
            format!(
                "the chain ends at the CA {}, issued by {issuer}, which is not in the bundle: a TLS client need not \
                 send the root (RFC 8446 4.4.2), so the chain works where the server trusts {issuer}",
                named(top)
            ),
            Some(Fix::ConfirmTrustAnchor),
        )
    } else {
        error(
            last,
            format!(
                "the root is missing: the chain ends at {}, issued by {issuer}, which is not in the bundle",
                named(top)
            ),
            Fix::AddRoot,
        )
    }
}

/// A search budget stopped the search before a good chain was found.
fn stopped(ctx: &Context<'_>, limit: SearchLimit, top: &Certificate) -> String {
    format!(
        "the issuer search stopped at {} after {} {} (the limit `Limits::{}`) before it found a chain whose \
         signatures verify up to a root: the bundle holds many certificates named as the same issuer",
        named(top),
        limit.value(ctx.limits),
        limit.counts(),
        limit.field()
    )
}

fn raise(ctx: &Context<'_>, limit: SearchLimit) -> Fix {
    Fix::RaiseSearchLimit {
        field: limit.field(),
        value: limit.value(ctx.limits),
    }
}

/// With trust anchors given, the chain must end at one of them: its top is
/// an anchor (same name and key), or an anchor's key verifies its signature
/// (the search stops there). The root need not be in the bundle then: the
/// peer holds it.
fn against_anchors(ctx: &Context<'_>, last: usize, top: &Certificate) -> Vec<Finding> {
    if ctx.chain.anchor().is_some() {
        return Vec::new();
    }
    let trusted: Vec<String> = ctx.anchors.iter().map(named).collect();
    let issuer = if top.is_self_issued() {
        String::new()
    } else {
        format!(" (issued by `{}`)", top.issuer())
    };
    vec![Finding::new(
        ID,
        Severity::Error,
        Some(last),
        format!(
            "the chain ends at {}{issuer}, which is none of the trusted roots ({}): the peer will refuse it as \
             issued by an unknown CA",
            named(top),
            trusted.join(", ")
        ),
        Some(Fix::UseTrustedIssuer),
    )]
}
