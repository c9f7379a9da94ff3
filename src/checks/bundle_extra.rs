//! `bundle.extra`: no duplicate certificates and none unrelated to the chain.
//! The extra CA chains of a zip download are kept apart and never count.

use super::{named, CheckId, Context, Finding, Severity};

const ID: CheckId = CheckId::BundleExtra;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let certs = ctx.pool.certificates();
    if certs.is_empty() {
        return None;
    }
    let in_chain = |i: usize| ctx.chain.path.iter().position(|&p| p == i);
    let chain_certs: Vec<_> = ctx.chain_certs().map(|(_, c)| c).collect();
    let mut findings = Vec::new();
    for &(i, first) in &ctx.chain.duplicates {
        let Some(copy) = certs.get(i) else { continue };
        findings.push(Finding::new(
            ID,
            Severity::Warning,
            in_chain(first),
            format!(
                "{} appears more than once (again at {})",
                named(copy),
                copy.source()
            ),
            Some("remove the duplicate, or write a clean chain with --write-chain FILE"),
        ));
    }
    for &i in &ctx.chain.unrelated {
        let Some(cert) = certs.get(i) else { continue };
        let twin = chain_certs.iter().find(|c| c.subject().matches(cert.subject()));
        let problem = match twin {
            _ if !cert.is_ca() => format!(
                "another end-entity certificate {} ({}) is not part of the chain of the leaf",
                named(cert),
                cert.source()
            ),
            Some(twin) if twin.public_key().same_key(cert.public_key()) => format!(
                "{} issued by `{}` ({}) is a cross-signed alternative that the chain does not use",
                named(cert),
                cert.issuer(),
                cert.source()
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
            Some("remove it from the bundle, or write a clean chain with --write-chain FILE"),
        ));
    }
    Some(findings)
}
