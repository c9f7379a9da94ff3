//! `key.match`: the private key's public key is the leaf's. It passes only
//! when a key was compared with a certificate: a key given alone (or with
//! only a request) is `skip`, not a pass nobody earned.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::KeyMatch;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let keys = ctx.pool.keys();
    if keys.is_empty() {
        return None;
    }
    let leaf = ctx.chain.first()?;
    if keys.iter().any(|k| k.public_key().same_key(leaf.public_key())) {
        return Some(Vec::new());
    }
    let findings = keys
        .iter()
        .map(|key| {
            let owner = ctx
                .pool
                .certificates()
                .iter()
                .find(|c| c.public_key().same_key(key.public_key()))
                .map(|c| format!(" (it belongs to {})", named(c)))
                .unwrap_or_default();
            Finding::new(
                ID,
                Severity::Error,
                Some(0),
                format!(
                    "the private key from {} ({}) does not belong to the leaf {}{owner}",
                    key.source(),
                    key.algorithm(),
                    named(leaf)
                ),
                Some(Fix::UseKeyOfRequest),
            )
        })
        .collect();
    Some(findings)
}
