//! `validity`: every certificate of the chain, and the trust anchor it ends
//! at, is inside its validity window at the validation time (servers check
//! the root's window too); a warning when the leaf expires within the
//! warning window (`Options::warn_days`, 30 days by default).

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::Validity;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.is_empty() {
        return None;
    }
    let mut findings = Vec::new();
    let placed = ctx
        .chain
        .iter()
        .map(|p| (Some(p.position), p.cert, p.role.as_str()));
    let anchor = ctx.absent_anchor().map(|a| (None, a, "trusted root"));
    for (pos, cert, role) in placed.chain(anchor) {
        let renew = if pos == Some(0) {
            Fix::RenewCertificate
        } else {
            Fix::UpdateCaChain
        };
        // Servers refuse a chain whose root is outside its window as well.
        let root = if matches!(role, "root" | "trusted root") {
            ": servers (OpenSSL, rustls) refuse a chain whose root is outside its validity window"
        } else {
            ""
        };
        if ctx.at < cert.not_before() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                pos,
                format!(
                    "the {role} {} is not valid yet: valid from {} (validation time {}){root}",
                    named(cert),
                    cert.not_before(),
                    ctx.at
                ),
                Some(Fix::CheckClock),
            ));
        } else if ctx.at > cert.not_after() {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                pos,
                format!(
                    "the {role} {} expired on {} (validation time {}){root}",
                    named(cert),
                    cert.not_after(),
                    ctx.at
                ),
                Some(renew),
            ));
        } else if pos == Some(0) && ctx.at.days_until(cert.not_after()) < ctx.warn_days {
            findings.push(Finding::new(
                ID,
                Severity::Warning,
                pos,
                format!(
                    "the leaf {} expires on {}, in {} days",
                    named(cert),
                    cert.not_after(),
                    ctx.at.days_until(cert.not_after())
                ),
                Some(renew),
            ));
        }
    }
    Some(findings)
}
