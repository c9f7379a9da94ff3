//! `ca.constraints` (RFC 5280 section 6.1.4): every issuer in the chain is a
//! CA (basicConstraints cA), may sign certificates (keyCertSign where
//! keyUsage is present), and no pathLenConstraint is exceeded; self-issued
//! intermediates do not count towards path lengths. The root the chain ends
//! at (present, or the trust anchor that issued the top) is held to what
//! servers check of an anchor; a root whose basicConstraints is not critical
//! warns. A CA of the chain with a critical extension certbundle does not
//! process fails (RFC 5280 4.2, 6.1.4 (o)).

use super::{named, unprocessed_critical, Context};
use crate::chain::Role;
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::Certificate;

const ID: CheckId = CheckId::CaConstraints;

/// Why a chain will be refused when its root is not a well-formed CA.
const ANCHOR_REFUSED: &str =
    "OpenSSL-based servers (nginx, Apache, HAProxy) refuse such a trust anchor as an \
                              invalid CA certificate, so the chain will be refused";

/// One issuer of the chain: where it is and what it issues.
struct Issuer<'a> {
    cert: &'a Certificate,
    /// Its chain position; `None` for a trust anchor outside the chain.
    position: Option<usize>,
    /// How messages call it (`intermediate`, `root`, `trusted root`).
    role: &'static str,
    is_root: bool,
    child: &'a Certificate,
    /// Non-self-issued intermediates between it and the leaf.
    below: usize,
}

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let anchor = ctx.absent_anchor();
    if ctx.chain.is_empty() || (ctx.chain.len() < 2 && anchor.is_none() && ctx.chain.leaf().is_some()) {
        return None;
    }
    let certs = ctx.chain.certificates();
    let below = |pos: usize| {
        certs
            .get(1..pos)
            .unwrap_or_default()
            .iter()
            .filter(|c| !c.is_self_issued())
            .count()
    };
    let mut findings = Vec::new();
    for placed in ctx.chain.iter() {
        if placed.role != Role::Leaf {
            if let Some(problem) = unprocessed_critical(placed.cert) {
                findings.push(Finding::new(
                    ID,
                    Severity::Error,
                    Some(placed.position),
                    format!("the {} {}: {problem}", placed.role.as_str(), named(placed.cert)),
                    Some(Fix::ReissueWithoutCriticalExtension),
                ));
            }
        }
        let Some(child) = placed.position.checked_sub(1).and_then(|p| ctx.chain.get(p)) else {
            continue;
        };
        check_issuer(
            &Issuer {
                cert: placed.cert,
                position: Some(placed.position),
                role: placed.role.as_str(),
                is_root: placed.role == Role::Root,
                child,
                below: below(placed.position),
            },
            &mut findings,
        );
    }
    if let (Some(anchor), Some(top)) = (anchor, ctx.chain.top()) {
        if let Some(problem) = unprocessed_critical(anchor) {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                None,
                format!("the trusted root {}: {problem}", named(anchor)),
                Some(Fix::ReissueWithoutCriticalExtension),
            ));
        }
        let issuer = Issuer {
            cert: anchor,
            position: None,
            role: "trusted root",
            is_root: true,
            child: top,
            below: below(ctx.chain.len()),
        };
        check_issuer(&issuer, &mut findings);
    }
    Some(findings)
}

fn check_issuer(issuer: &Issuer<'_>, findings: &mut Vec<Finding>) {
    let Issuer {
        cert,
        position,
        role,
        child,
        ..
    } = *issuer;
    let error = |problem: String, fix: Option<Fix>| Finding::new(ID, Severity::Error, position, problem, fix);
    // A version 1 certificate can only be a trust anchor (RFC 5280 6.1);
    // OpenSSL takes a self-signed v1 root as a CA.
    let v1_root = issuer.is_root && cert.version() == 1;
    let cert_sign = cert.key_usage().map(|ku| ku.key_cert_sign());
    if !cert.is_ca() && !v1_root {
        let why = match (cert.basic_constraints(), cert_sign) {
            (Some(_), Some(true)) => {
                "its basicConstraints says cA=FALSE, yet its keyUsage asserts keyCertSign (RFC 5280 4.2.1.3 \
                 requires cA with keyCertSign)"
            }
            (Some(_), _) => "its basicConstraints says cA=FALSE",
            (None, _) => "it has no basicConstraints extension",
        };
        let consequence = if issuer.is_root {
            format!("; {ANCHOR_REFUSED}")
        } else {
            String::new()
        };
        findings.push(error(
            format!(
                "the {role} {} issues {} but is not a CA: {why}{consequence}",
                named(cert),
                named(child)
            ),
            Some(Fix::UseCaIssuer),
        ));
    }
    if cert_sign == Some(false) {
        let usage = cert
            .key_usage()
            .map(|ku| ku.names().join(", "))
            .unwrap_or_default();
        findings.push(error(
            format!(
                "the {role} {} issues {} but its keyUsage does not allow keyCertSign (it has: {usage})",
                named(cert),
                named(child)
            ),
            None,
        ));
    }
    if let Some(bc) = cert.basic_constraints() {
        if issuer.is_root && bc.ca && !bc.critical {
            findings.push(Finding::new(
                ID,
                Severity::Warning,
                position,
                format!(
                    "the {role} {} has basicConstraints cA=TRUE not marked critical (RFC 5280 4.2.1.9 requires it \
                     critical in a CA certificate): most servers accept it, OpenSSL in strict mode (-x509_strict) \
                     and pyca refuse it",
                    named(cert)
                ),
                Some(Fix::UpdateCaChain),
            ));
        }
        if let Some(limit) = bc.path_len {
            let below = issuer.below;
            if u32::try_from(below).unwrap_or(u32::MAX) > limit {
                findings.push(error(
                    format!(
                        "the {role} {} allows {limit} intermediate CA(s) below it (pathLenConstraint {limit}) \
                         but the chain has {below}",
                        named(cert)
                    ),
                    Some(Fix::UsePortalChain),
                ));
            }
        }
    }
}
