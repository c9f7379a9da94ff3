//! `csr.match`: the CSR's public key is the leaf's, and the CSR's own
//! signature verifies (proof that whoever made it held the key).

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::CertificateRequest;
use crate::verify::verify;

const ID: CheckId = CheckId::CsrMatch;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let requests = ctx.pool.requests();
    if requests.is_empty() {
        return None;
    }
    let leaf = ctx.chain.first();
    let mut findings = Vec::new();
    for request in requests {
        findings.extend(signature_finding(request));
        if let Some(leaf) = leaf {
            if !request.public_key().same_key(leaf.public_key()) {
                findings.push(Finding::new(
                    ID,
                    Severity::Error,
                    Some(0),
                    format!(
                        "the CSR {} (subject `{}`) is for another key than the leaf {}",
                        request.source(),
                        request.subject(),
                        named(leaf)
                    ),
                    Some(Fix::FindRequestOfCertificate),
                ));
            }
        }
    }
    Some(findings)
}

/// A finding when `request`'s own signature does not verify.
fn signature_finding(request: &CertificateRequest) -> Option<Finding> {
    let signed = request.signed();
    let der = request.der();
    let verified = match (signed.tbs.of(der), signed.signature.of(der)) {
        (Some(info), Some(signature)) => {
            verify(info, &signed.algorithm, signature, request.public_key()).is_ok()
        }
        _ => false,
    };
    (!verified).then(|| {
        Finding::new(
            ID,
            Severity::Error,
            None,
            format!(
                "the signature of the CSR {} does not verify: the request is corrupt",
                request.source()
            ),
            Some(Fix::RemakeRequest),
        )
    })
}

/// The request alone: its signature verifies, and every key given is the
/// request's (the key and CSR `openssl req` wrote belong together).
pub(super) fn run_request(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let requests = ctx.pool.requests();
    let mut findings: Vec<Finding> = requests.iter().filter_map(signature_finding).collect();
    for key in ctx.pool.keys() {
        if !requests.iter().any(|r| r.public_key().same_key(key.public_key())) {
            findings.push(Finding::new(
                ID,
                Severity::Error,
                None,
                format!(
                    "the private key from {} ({}) is not the key of the CSR {}",
                    key.source(),
                    key.algorithm(),
                    requests
                        .first()
                        .map_or_else(String::new, |r| r.source().to_string())
                ),
                Some(Fix::MatchKeyAndRequest),
            ));
        }
    }
    Some(findings)
}
