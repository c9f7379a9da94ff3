//! `key.match`: the private key's public key is the leaf's.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::KeyMatch;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let keys = ctx.pool.keys();
    if keys.is_empty() {
        return None;
    }
    let Some(leaf) = ctx.chain.first() else {
        return Some(Vec::new());
    };
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
