//! `chain.complete`: the chain ends in a self-signed root that is present;
//! with trust anchors given, it ends at one of them.

use super::{named, CheckId, Context, Finding, Severity};
use crate::chain::{verify_issued_by, End};
use crate::model::Certificate;

const ID: CheckId = CheckId::ChainComplete;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let last = ctx.chain.path.len().saturating_sub(1);
    let top = ctx.at_position(last);
    let error = |cert: Option<usize>, problem: String, fix: Option<&'static str>| {
        Some(vec![Finding::new(ID, Severity::Error, cert, problem, fix)])
    };
    if let (false, Some(top)) = (ctx.anchors.is_empty(), top) {
        return Some(against_anchors(ctx, last, top));
    }
    match (&ctx.chain.end, top) {
        (End::Root { self_signature: Ok(()) }, _) => Some(Vec::new()),
        (End::Empty, _) | (_, None) => error(
            None,
            "no certificate was found in the input".to_owned(),
            Some("give the certificate download (.pem, .p7b, .cer, .p12 or .zip)"),
        ),
        (End::Root { .. }, Some(top)) => error(
            Some(last),
            format!("the chain ends at {}, which names itself as issuer but is not self-signed", named(top)),
            Some("add the root CA certificate; the PEM and PKCS#7 downloads include it"),
        ),
        (End::MissingIssuer, Some(top)) => {
            let issuer = format!("`{}`", top.issuer());
            let unused_root = ctx
                .chain
                .unrelated
                .iter()
                .filter_map(|&i| ctx.pool.certificates().get(i))
                .find(|c| c.is_ca() && c.is_self_issued());
            // A root that is present but issues nothing here: an intermediate is missing.
            if let Some(root) = unused_root {
                error(
                    Some(last),
                    format!(
                        "an intermediate CA is missing: no certificate for {issuer}, the issuer of {}; the root {} \
                         is present but does not issue it",
                        named(top),
                        named(root)
                    ),
                    Some("add the intermediate CA certificate; the PEM and PKCS#7 downloads include it"),
                )
            } else if last == 0 && !top.is_ca() {
                error(
                    Some(0),
                    format!(
                        "the CA chain of the leaf {} is missing: no certificate for its issuer {issuer}",
                        named(top)
                    ),
                    Some(
                        "the DER download carries only the end-entity certificate: add the CA chain file, \
                         or download the PEM or PKCS#7 format, which include it",
                    ),
                )
            } else {
                error(
                    Some(last),
                    format!(
                        "the root is missing: the chain ends at {}, issued by {issuer}, which is not in the bundle",
                        named(top)
                    ),
                    Some("add the root CA certificate; the PEM and PKCS#7 downloads include the whole root chain"),
                )
            }
        }
        (End::Loop, Some(top)) => error(
            Some(last),
            format!(
                "the issuers loop back from {} into the chain without reaching a self-signed root: the root is missing",
                named(top)
            ),
            Some("add the root CA certificate"),
        ),
        (End::TooLong, Some(top)) => error(
            Some(last),
            format!("the chain is longer than 16 certificates at {}; it was not followed further", named(top)),
            None,
        ),
    }
}

/// With trust anchors given, the chain must end at one of them: its top is
/// an anchor (same name and key), or an anchor's key verifies its signature.
/// The root need not be in the bundle then: the peer holds it.
fn against_anchors(ctx: &Context<'_>, last: usize, top: &Certificate) -> Vec<Finding> {
    let is_anchor =
        |a: &Certificate| a.subject().matches(top.subject()) && a.public_key().same_key(top.public_key());
    let issued_by = |a: &Certificate| a.subject().matches(top.issuer()) && verify_issued_by(top, a).is_ok();
    if ctx.anchors.iter().any(|a| is_anchor(a) || issued_by(a)) {
        return Vec::new();
    }
    let trusted: Vec<String> = ctx.anchors.iter().map(named).collect();
    let issuer = if top.is_self_issued() {
        String::new()
    } else {
        format!(" (issued by `{}`)", top.issuer())
    };
    vec![Finding::new(
        ID,
        Severity::Error,
        Some(last),
        format!(
            "the chain ends at {}{issuer}, which is none of the trusted roots ({}): the peer will refuse it as \
             issued by an unknown CA",
            named(top),
            trusted.join(", ")
        ),
        Some("use the certificate issued under the trusted root, or check that the trusted CA file is the right one"),
    )]
}
