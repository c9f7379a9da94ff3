//! `validity`: every certificate of the chain is inside its validity window
//! at the validation time; a warning when the leaf expires within the
//! warning window (`Options::warn_days`, 30 days by default).

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::timestamp::{days_between, rfc3339};

const ID: CheckId = CheckId::Validity;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.is_empty() {
        return None;
    }
    let mut findings = Vec::new();
    for placed in ctx.chain.iter() {
        let (pos, cert, role) = (placed.position, placed.cert, placed.role.as_str());
        let renew = if pos == 0 {
            Fix::RenewCertificate
        } else {
            Fix::UpdateCaChain
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
                Some(Fix::CheckClock),
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
        } else if pos == 0 && days_between(ctx.at, cert.not_after()) < ctx.warn_days {
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
