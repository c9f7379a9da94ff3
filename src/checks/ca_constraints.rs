//! `ca.constraints` (RFC 5280 section 6.1.4): every issuer in the chain is a
//! CA (basicConstraints cA), may sign certificates (keyCertSign where
//! keyUsage is present), and no pathLenConstraint is exceeded; self-issued
//! intermediates do not count towards path lengths.

use super::{named, Context};
use crate::chain::Role;
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::CaConstraints;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.len() < 2 {
        return None;
    }
    let mut findings = Vec::new();
    let certs = ctx.chain.certificates();
    for placed in ctx.chain.iter().skip(1) {
        let (pos, issuer) = (placed.position, placed.cert);
        let Some(child) = ctx.chain.get(pos - 1) else {
            continue;
        };
        let role = placed.role.as_str();
        // A version 1 certificate can only be a trust anchor (RFC 5280 6.1).
        let v1_root = placed.role == Role::Root && issuer.version() == 1;
        if !issuer.is_ca() && !v1_root {
            let why = match issuer.basic_constraints() {
                Some(_) => "its basicConstraints says cA=FALSE",
                None => "it has no basicConstraints extension",
            };
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "the {role} {} issues {} but is not a CA: {why}",
                    named(issuer),
                    named(child)
                ),
                Some(Fix::UseCaIssuer),
            ));
        }
        if let Some(usage) = issuer.key_usage() {
            if !usage.key_cert_sign() {
                findings.push(Finding::new(
                    ID,
                    Severity::Error,
                    Some(pos),
                    format!(
                        "the {role} {} issues {} but its keyUsage does not allow keyCertSign (it has: {})",
                        named(issuer),
                        named(child),
                        usage.names().join(", ")
                    ),
                    None,
                ));
            }
        }
        if let Some(limit) = issuer.basic_constraints().and_then(|bc| bc.path_len) {
            // Non-self-issued intermediates between this CA and the leaf.
            let below = certs
                .get(1..pos)
                .unwrap_or_default()
                .iter()
                .filter(|c| !c.is_self_issued())
                .count();
            if u32::try_from(below).unwrap_or(u32::MAX) > limit {
                findings.push(Finding::new(
                    ID,
                    Severity::Error,
                    Some(pos),
                    format!(
                        "the {role} {} allows {limit} intermediate CA(s) below it (pathLenConstraint {limit}) \
                         but the chain has {below}",
                        named(issuer)
                    ),
                    Some(Fix::UsePortalChain),
                ));
            }
        }
    }
    Some(findings)
}
