//! `chain.order`: the input listed the chain leaf first, as TLS sends it.
//!
//! A PEM file (or a zip's PEM entry) that holds the leaf but does not list it
//! first fails: curl, OpenSSL, Go, Python and nginx take the first
//! certificate of a PEM file as the client certificate and then refuse the
//! key. Any other disorder, and any order inside PKCS#7 or a keystore (whose
//! readers sort the chain themselves), is only a warning.

use super::{named, Context};
use crate::chain::InputOrder;
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::model::Certificate;

const ID: CheckId = CheckId::ChainOrder;

/// What the readers that take a PEM file's first certificate say then.
const REFUSALS: &str = "curl (\"unable to set private key file\"), `openssl s_client -cert` (\"key values \
                        mismatch\"), Go's tls.LoadX509KeyPair (\"private key does not match public key\") and \
                        Python's ssl load_cert_chain (\"key values mismatch\") take a PEM file's first \
                        certificate as the client certificate and refuse the key";

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.is_empty() {
        return None;
    }
    if let Some(finding) = leaf_not_first_in_pem(ctx) {
        return Some(vec![finding]);
    }
    let found = match ctx.chain.input_order() {
        InputOrder::LeafFirst | InputOrder::Single => return Some(Vec::new()),
        InputOrder::RootFirst => "root first",
        InputOrder::Unordered => "in no defined order",
    };
    Some(vec![Finding::new(
        ID,
        Severity::Warning,
        None,
        format!(
            "the input lists the chain of {} {found}; TLS sends the leaf first, then each issuer",
            named(ctx.chain.first()?)
        ),
        Some(Fix::WriteChainLeafFirst),
    )])
}

/// The failure for the first PEM file (or zip entry) holding the leaf
/// whose first certificate is another; `None` when every PEM file holding
/// the leaf starts with it (later copies of the leaf do not matter: readers
/// take the first certificate).
fn leaf_not_first_in_pem(ctx: &Context<'_>) -> Option<Finding> {
    let leaf = ctx.chain.leaf()?;
    let certs = ctx.pool.certificates();
    let same_file = |a: &Certificate, b: &Certificate| {
        a.source().path() == b.source().path() && a.source().entry() == b.source().entry()
    };
    certs
        .iter()
        .filter(|copy| copy.sha256() == leaf.sha256() && copy.source().block().is_some())
        .find_map(|copy| {
            let block = copy.source().block()?;
            let before: Vec<&Certificate> = certs
                .iter()
                .filter(|c| same_file(c, copy) && c.source().block().is_some_and(|b| b < block))
                .collect();
            // A later copy of a leaf the file already starts with is no failure.
            if before.iter().any(|c| c.sha256() == leaf.sha256()) {
                return None;
            }
            let first = before.first()?;
            Some(Finding::new(
                ID,
                Severity::Error,
                Some(0),
                format!(
                    "the PEM file {} lists the leaf {} as certificate {} (PEM block {block}), after {}: {REFUSALS}",
                    copy.source().file_and_entry(),
                    named(leaf),
                    before.len() + 1,
                    named(first),
                ),
                Some(Fix::WriteChainLeafFirst),
            ))
        })
}
