//! `validity`: every certificate of the chain is inside its validity window
//! at the validation time; a warning when the leaf expires within 30 days.

use super::{named, CheckId, Context, Finding, Severity};
use crate::timestamp::{days_between, rfc3339};

const ID: CheckId = CheckId::Validity;
/// How soon before the leaf's expiry to warn.
const EXPIRY_WARNING_DAYS: i64 = 30;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.path.is_empty() {
        return None;
    }
    let mut findings = Vec::new();
    for (pos, cert) in ctx.chain_certs() {
        let role = ctx.role(pos);
        let renew = if pos == 0 {
            "renew the certificate in the key-management portal"
        } else {
            "download the current CA chain from the portal"
        };
        if ctx.at < cert.not_before() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "the {role} {} is not valid yet: valid from {} (validation time {})",
                    named(cert),
                    rfc3339(cert.not_before()),
                    rfc3339(ctx.at)
                ),
                Some("check the system clock, or wait until it becomes valid"),
            ));
        } else if ctx.at > cert.not_after() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "the {role} {} expired on {} (validation time {})",
                    named(cert),
                    rfc3339(cert.not_after()),
                    rfc3339(ctx.at)
                ),
                Some(renew),
            ));
        } else if pos == 0 && days_between(ctx.at, cert.not_after()) < EXPIRY_WARNING_DAYS {
            findings.push(Finding::new(
                ID,
                Severity::Warning,
                Some(pos),
                format!(
                    "the leaf {} expires on {}, in {} days",
                    named(cert),
                    rfc3339(cert.not_after()),
                    days_between(ctx.at, cert.not_after())
                ),
                Some(renew),
            ));
        }
    }
    Some(findings)
}
