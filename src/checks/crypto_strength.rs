//! `crypto.strength`: RSA keys of at least 2048 bits, and no MD5 or SHA-1
//! signature below the root (a root's self-signature protects nothing).
//! Warnings under the generic profile; errors under the portal's, which
//! also requires the leaf key to be RSA.

use super::{named, CheckId, Context, Finding, Severity};
use crate::chain::End;
use crate::model::KeyAlgorithm;

const ID: CheckId = CheckId::CryptoStrength;
const MIN_RSA_BITS: u32 = 2048;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.path.is_empty() {
        return None;
    }
    let severity = if ctx.profile.is_portal() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let last = ctx.chain.path.len() - 1;
    let rooted = matches!(ctx.chain.end, End::Root { .. });
    let mut findings = Vec::new();
    for (pos, cert) in ctx.chain_certs() {
        let role = ctx.role(pos);
        // A key no peer will load is an error under every profile.
        if let Some(defect) = cert.public_key().defect() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!("the {role} {} has an invalid public key: {defect}", named(cert)),
                Some("the certificate must be reissued for a valid key"),
            ));
        }
        if let KeyAlgorithm::Rsa { bits } = cert.public_key().algorithm() {
            if *bits < MIN_RSA_BITS {
                findings.push(Finding::new(
                    ID,
                    severity,
                    Some(pos),
                    format!("the {role} {} has a weak RSA-{bits} key (at least {MIN_RSA_BITS} bits needed)", named(cert)),
                    Some(if pos == 0 {
                        "make a new RSA-2048 key and CSR (`openssl req -newkey rsa:2048`) and request a new certificate"
                    } else {
                        "the CA must be replaced; download the portal's current chain"
                    }),
                ));
            }
        }
        let self_signed_root = pos == last && rooted;
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
                    Some("request a certificate signed with SHA-256"),
                ));
            }
        }
    }
    if ctx.profile.is_portal() {
        let leaf = ctx.leaf()?;
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
                Some("make the key with `openssl req -newkey rsa:2048` and request a new certificate"),
            ));
        }
    }
    Some(findings)
}
