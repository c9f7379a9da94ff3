//! `crypto.strength`: RSA keys of at least 2048 bits, and no MD5 or SHA-1
//! signature below the root (a root's self-signature protects nothing).
//! Warnings under the generic profile; errors under the portal's, which
//! also requires the leaf key to be RSA.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::KeyAlgorithm;

const ID: CheckId = CheckId::CryptoStrength;
const MIN_RSA_BITS: u32 = 2048;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.is_empty() {
        return None;
    }
    let severity = weakness(ctx);
    let mut findings = Vec::new();
    for placed in ctx.chain.iter() {
        let (pos, cert, role) = (placed.position, placed.cert, placed.role.as_str());
        // A key no peer will load is an error under every profile.
        if let Some(defect) = cert.public_key().defect() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!("the {role} {} has an invalid public key: {defect}", named(cert)),
                Some(Fix::ReissueForValidKey),
            ));
        }
        if let KeyAlgorithm::Rsa { bits } = cert.public_key().algorithm() {
            if *bits < MIN_RSA_BITS {
                findings.push(Finding::new(
                    ID,
                    severity,
                    Some(pos),
                    format!(
                        "the {role} {} has a weak RSA-{bits} key (at least {MIN_RSA_BITS} bits needed)",
                        named(cert)
                    ),
                    Some(if pos == 0 {
                        Fix::ReplaceWeakKey
                    } else {
                        Fix::ReplaceCa
                    }),
                ));
            }
        }
        // The top of a chain that ends at a root, a lone self-signed leaf too.
        let self_signed_root = pos == ctx.chain.top_position() && ctx.chain.end().is_root();
        if let Some(hash) = cert.signature_algorithm().hash().filter(|h| h.is_weak()) {
            if !self_signed_root {
                findings.push(Finding::new(
                    ID,
                    severity,
                    Some(pos),
                    format!(
                        "the {role} {} is signed with {hash}, which is broken",
                        named(cert)
                    ),
                    Some(Fix::RequestSha256),
                ));
            }
        }
    }
    if ctx.profile.is_portal() {
        let leaf = ctx.chain.first()?;
        if !matches!(leaf.public_key().algorithm(), KeyAlgorithm::Rsa { .. }) {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(0),
                format!(
                    "the portal requires an RSA key of at least {MIN_RSA_BITS} bits; the leaf {} has an {} key",
                    named(leaf),
                    leaf.public_key().algorithm()
                ),
                Some(Fix::MakeRsa2048Key),
            ));
        }
    }
    Some(findings)
}

/// The request alone: its key (RSA of 2048 bits or more, RSA under the
/// portal's profiles, a valid key) and its signature hash (no MD5 or SHA-1).
pub(super) fn run_request(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let severity = weakness(ctx);
    let mut findings = Vec::new();
    for request in ctx.pool.requests() {
        let who = format!("the CSR {}", request.source());
        let key = request.public_key();
        let mut push = |severity, problem: String, fix| {
            findings.push(Finding::new(ID, severity, None, problem, Some(fix)))
        };
        if let Some(defect) = key.defect() {
            push(
                Severity::Error,
                format!("{who} has an invalid public key: {defect}"),
                Fix::MakeRsa2048Key,
            );
        }
        match key.algorithm() {
            KeyAlgorithm::Rsa { bits } if *bits < MIN_RSA_BITS => push(
                severity,
                format!("{who} is for a weak RSA-{bits} key (at least {MIN_RSA_BITS} bits needed)"),
                Fix::ReplaceWeakKey,
            ),
            KeyAlgorithm::Rsa { .. } => {}
            other if ctx.profile.is_portal() => push(
                Severity::Error,
                format!("the portal requires an RSA key of at least {MIN_RSA_BITS} bits; {who} is for an {other} key"),
                Fix::MakeRsa2048Key,
            ),
            _ => {}
        }
        if let Some(hash) = request.signed().algorithm.hash().filter(|h| h.is_weak()) {
            push(
                severity,
                format!("{who} is signed with {hash}, which is broken; the portal expects SHA-256"),
                Fix::RemakeRequest,
            );
        }
    }
    Some(findings)
}

/// How serious a weak key or hash is: an error under the portal's
/// profiles, which refuse them; a warning otherwise.
fn weakness(ctx: &Context<'_>) -> Severity {
    if ctx.profile.is_portal() {
        Severity::Error
    } else {
        Severity::Warning
    }
}
