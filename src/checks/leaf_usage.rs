//! `leaf.usage`: the leaf can authenticate a TLS client: extendedKeyUsage
//! holds clientAuth (or anyExtendedKeyUsage, or is absent), and keyUsage, when
//! present, holds digitalSignature (the client signs the handshake).

use super::{named, Context};
use crate::chain::LeafReason;
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::LeafUsage;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let leaf = ctx.chain.first()?;
    if ctx.chain.leaf_reason() == LeafReason::NoEndEntity {
        return Some(vec![Finding::new(
            ID,
            Severity::Error,
            Some(0),
            format!(
                "the input holds no client certificate, only CA certificates; the lowest is {}",
                named(leaf)
            ),
            Some(Fix::GiveClientCertificate),
        )]);
    }
    let mut findings = Vec::new();
    if let Some(eku) = leaf.extended_key_usage() {
        if !eku.client_auth() && !eku.any() {
            let purposes = eku.purposes();
            // RFC 5280 4.2.1.12: at least one purpose; an empty list allows none.
            let found = match purposes.is_empty() {
                true => "it has an empty extendedKeyUsage, which allows no purpose".to_owned(),
                false => format!(
                    "its extendedKeyUsage is {} without clientAuth",
                    purposes.join(", ")
                ),
            };
            findings.push(Finding::new(
                ID,
                Severity::Error,
                Some(0),
                format!(
                    "the leaf {} is not for TLS client authentication: {found}",
                    named(leaf)
                ),
                Some(Fix::RequestClientCertificate),
            ));
        }
    }
    if let Some(usage) = leaf.key_usage() {
        if !usage.digital_signature() {
            findings.push(Finding::new(
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
            ));
        }
    }
    Some(findings)
}
