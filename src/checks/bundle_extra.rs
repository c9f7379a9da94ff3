//! `bundle.extra`: no duplicate certificates and none unrelated to the chain.
//! The extra CA chains of a zip download are kept apart and never count;
//! the server side (those chains and the server CAs) is checked apart: each
//! must be a CA certificate valid at the validation time.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::BundleExtra;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.pool.certificates().is_empty() {
        return None;
    }
    let mut findings = server_side(ctx);
    for duplicate in ctx.chain.duplicates() {
        let copy = duplicate.copy;
        findings.push(Finding::new(
            ID,
            Severity::Warning,
            ctx.chain.position_of(duplicate.first),
            format!(
                "{} appears more than once (again at {})",
                named(copy),
                copy.source()
            ),
            Some(Fix::RemoveDuplicate),
        ));
    }
    for &cert in ctx.chain.unrelated() {
        // A cross-certificate outside its validity window is why the chain
        // took another path (the search prefers valid certificates).
        let (kind, window) = match (ctx.at > cert.not_after(), ctx.at < cert.not_before()) {
            (true, _) => ("an expired", format!(" (expired on {})", cert.not_after())),
            (_, true) => ("a not yet valid", format!(" (valid from {})", cert.not_before())),
            _ => ("a", String::new()),
        };
        let twin = ctx
            .chain
            .certificates()
            .iter()
            .find(|c| c.subject().matches(cert.subject()));
        let problem = match twin {
            _ if !cert.is_ca() => format!(
                "another end-entity certificate {} ({}) is not part of the chain of the leaf",
                named(cert),
                cert.source()
            ),
            Some(twin) if twin.public_key().same_key(cert.public_key()) => format!(
                "{} issued by `{}` ({}) is {} cross-signed alternative{} that the chain does not use",
                named(cert),
                cert.issuer(),
                cert.source(),
                kind,
                window
            ),
            Some(_) => format!(
                "{} ({}) has the name of a CA of the chain but another key: a look-alike or re-keyed CA that the \
                 chain does not use",
                named(cert),
                cert.source()
            ),
            None => format!("the CA certificate {} ({}) is unrelated to the chain", named(cert), cert.source()),
        };
        findings.push(Finding::new(
            ID,
            Severity::Warning,
            None,
            problem,
            Some(Fix::RemoveUnrelated),
        ));
    }
    Some(findings)
}

/// A server-side certificate (extra CA chain, server CA) that cannot serve
/// as a trust anchor for the server: not a CA, or not valid at the
/// validation time.
fn server_side(ctx: &Context<'_>) -> Vec<Finding> {
    let extra = ctx.pool.extra_ca().iter().flat_map(|chain| chain.certificates());
    extra
        .chain(ctx.server_cas)
        .filter_map(|cert| {
            let problem = if !cert.is_ca() {
                "is not a CA certificate"
            } else if ctx.at < cert.not_before() {
                "is not valid yet"
            } else if ctx.at > cert.not_after() {
                "has expired"
            } else {
                return None;
            };
            Some(Finding::new(
                ID,
                Severity::Warning,
                None,
                format!(
                    "the server-side certificate {} ({}) {problem}: the client cannot trust the server with it",
                    named(cert),
                    cert.source()
                ),
                Some(Fix::RenewServerCa),
            ))
        })
        .collect()
}
