//! `leaf.usage`: the leaf can authenticate a TLS client: extendedKeyUsage
//! holds clientAuth (or anyExtendedKeyUsage, or is absent), and keyUsage, when
//! present, holds digitalSignature (the client signs the handshake) and no
//! keyCertSign unless the leaf is a CA (RFC 5280 4.2.1.3); it is a version 3
//! certificate (rustls servers refuse v1 and v2), and carries no critical
//! extension certbundle does not process (RFC 5280 4.2, 6.1.5 (f)).

use super::{named, unprocessed_critical, Context};
use crate::chain::LeafReason;
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::Certificate;

const ID: CheckId = CheckId::LeafUsage;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let leaf = ctx.chain.first()?;
    if ctx.chain.leaf_reason() == LeafReason::NoEndEntity {
        return Some(vec![Finding::new(
            ID,
            Severity::Error,
            Some(0),
            format!(
                "the input holds no client certificate, only CA certificates: it is a CA chain, starting at the \
                 lowest CA of the first file given, {} ({})",
                named(leaf),
                leaf.source().path()
            ),
            Some(Fix::GiveClientCertificate),
        )]);
    }
    let mut findings = Vec::new();
    let error = |problem: String, fix: Fix| Finding::new(ID, Severity::Error, Some(0), problem, Some(fix));
    if leaf.version() < 3 {
        findings.push(error(
            format!(
                "the leaf {} is a version {} certificate: rustls servers (webpki) refuse any client certificate \
                 that is not version 3",
                named(leaf),
                leaf.version()
            ),
            Fix::RequestClientCertificate,
        ));
    }
    if let Some(problem) = unprocessed_critical(leaf) {
        findings.push(error(
            format!("the leaf {}: {problem}", named(leaf)),
            Fix::ReissueWithoutCriticalExtension,
        ));
    }
    if leaf.key_usage().is_some_and(|ku| ku.key_cert_sign()) && !leaf.is_ca() {
        findings.push(error(
            format!(
                "the leaf {} asserts keyCertSign in its keyUsage but is not a CA: RFC 5280 4.2.1.3 requires cA in \
                 basicConstraints with keyCertSign, and OpenSSL in strict mode (-x509_strict) and pyca refuse it",
                named(leaf)
            ),
            Fix::RequestClientCertificate,
        ));
    }
    findings.extend(not_for_client_auth(leaf));
    findings.extend(may_not_sign(leaf));
    Some(findings)
}

/// An extendedKeyUsage that does not allow TLS client authentication.
fn not_for_client_auth(leaf: &Certificate) -> Option<Finding> {
    let eku = leaf.extended_key_usage()?;
    if eku.client_auth() || eku.any() {
        return None;
    }
    let purposes = eku.purposes();
    // RFC 5280 4.2.1.12: at least one purpose; an empty list allows none.
    let found = match purposes.is_empty() {
        true => "it has an empty extendedKeyUsage, which allows no purpose".to_owned(),
        false => format!(
            "its extendedKeyUsage is {} without clientAuth",
            purposes.join(", ")
        ),
    };
    Some(Finding::new(
        ID,
        Severity::Error,
        Some(0),
        format!(
            "the leaf {} is not for TLS client authentication: {found}",
            named(leaf)
        ),
        Some(Fix::RequestClientCertificate),
    ))
}

/// A keyUsage without digitalSignature: the client cannot sign the handshake.
fn may_not_sign(leaf: &Certificate) -> Option<Finding> {
    let usage = leaf.key_usage()?;
    if usage.digital_signature() {
        return None;
    }
    Some(Finding::new(
        ID,
        Severity::Error,
        Some(0),
        format!(
            "the leaf {} may not sign: its keyUsage lacks digitalSignature (it has: {}), which a TLS client \
             needs to prove it holds the key",
            named(leaf),
            usage.names().join(", ")
        ),
        Some(Fix::RequestClientCertificate),
    ))
}
