//! `chain.links`: each non-root certificate is issued by the next: the names
//! link (RFC 5280 7.1), the key identifiers link where both are present, and
//! the issuer's key verifies the signature. The root's self-signature too.

use super::{named, Context};
use crate::chain::ChainEnd;
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::verify::VerifyError;

const ID: CheckId = CheckId::ChainLinks;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let rooted = matches!(ctx.chain.end(), ChainEnd::Root { .. });
    if ctx.chain.links().is_empty() && !rooted {
        return None;
    }
    let mut findings = Vec::new();
    for (pos, link) in ctx.chain.links().iter().enumerate() {
        let (Some(child), Some(issuer)) = (ctx.chain.get(pos), ctx.chain.get(pos + 1)) else {
            continue;
        };
        let (child_name, issuer_name) = (named(child), named(issuer));
        if let Err(error) = &link.signature {
            findings.push(bad_signature(pos, error, &child_name, &issuer_name));
        }
        if link.key_id_matches == Some(false) {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "the authority key identifier of {child_name} does not match the subject key \
                     identifier of {issuer_name}"
                ),
                Some(Fix::UseMatchingKeyId),
            ));
        }
    }
    findings.extend(bad_self_signature(ctx));
    Some(findings)
}

/// The signature of the certificate at `pos` does not verify with its
/// issuer's key, or cannot be verified.
fn bad_signature(pos: usize, error: &VerifyError, child_name: &str, issuer_name: &str) -> Finding {
    let (problem, fix) = match error {
        VerifyError::Invalid => (
            format!(
                "the signature of {child_name} does not verify with the key of {issuer_name}: \
                 that certificate has the issuer's name but another key (a re-keyed or look-alike CA)"
            ),
            Some(Fix::UseSigningIssuer),
        ),
        VerifyError::Unsupported(what) => (
            format!("cannot verify the signature of {child_name} by {issuer_name}: {what} is not supported"),
            None,
        ),
        VerifyError::UnsupportedKeySize { bits } => (
            format!(
                "cannot verify the signature of {child_name} by {issuer_name}: its RSA-{bits} key is \
                 larger than the 8192 bits certbundle verifies with"
            ),
            None,
        ),
    };
    Finding::new(ID, Severity::Error, Some(pos), problem, fix)
}

/// The root's self-signature, when it does not verify.
fn bad_self_signature(ctx: &Context<'_>) -> Option<Finding> {
    let ChainEnd::Root {
        self_signature: Err(error),
    } = ctx.chain.end()
    else {
        return None;
    };
    let last = ctx.chain.len().saturating_sub(1);
    let root = ctx.chain.get(last)?;
    let problem = match error {
        VerifyError::Invalid => format!(
            "the self-signature of the root {} does not verify: the root certificate is corrupt \
             or not self-signed",
            named(root)
        ),
        VerifyError::Unsupported(what) => {
            format!(
                "cannot verify the self-signature of the root {}: {what} is not supported",
                named(root)
            )
        }
        VerifyError::UnsupportedKeySize { bits } => format!(
            "cannot verify the self-signature of the root {}: its RSA-{bits} key is larger than \
             the 8192 bits certbundle verifies with",
            named(root)
        ),
    };
    Some(Finding::new(ID, Severity::Error, Some(last), problem, None))
}
