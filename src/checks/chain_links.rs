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
        match &link.signature {
            Ok(()) => {}
            Err(VerifyError::Invalid) => findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "the signature of {child_name} does not verify with the key of {issuer_name}: \
                     that certificate has the issuer's name but another key (a re-keyed or look-alike CA)"
                ),
                Some(Fix::UseSigningIssuer),
            )),
            Err(VerifyError::Unsupported(what)) => findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "cannot verify the signature of {child_name} by {issuer_name}: {what} is not supported"
                ),
                None,
            )),
            Err(VerifyError::UnsupportedKeySize { bits }) => findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(pos),
                format!(
                    "cannot verify the signature of {child_name} by {issuer_name}: its RSA-{bits} key is \
                     larger than the 8192 bits certbundle verifies with"
                ),
                None,
            )),
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
    if let ChainEnd::Root {
        self_signature: Err(error),
    } = ctx.chain.end()
    {
        let last = ctx.chain.len().saturating_sub(1);
        if let Some(root) = ctx.chain.get(last) {
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
            findings.push(Finding::new(ID, Severity::Error, Some(last), problem, None));
        }
    }
    Some(findings)
}
