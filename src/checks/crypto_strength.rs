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
    let severity = if ctx.profile.is_portal() {
        Severity::Error
    } else {
        Severity::Warning
    };
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
