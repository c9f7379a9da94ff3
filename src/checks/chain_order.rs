//! `chain.order`: the input listed the chain leaf first, as TLS sends it.

use super::Context;
use crate::chain::InputOrder;
use crate::finding::{CheckId, Finding, Fix, Severity};

const ID: CheckId = CheckId::ChainOrder;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if ctx.chain.is_empty() {
        return None;
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
            super::named(ctx.chain.first()?)
        ),
        Some(Fix::WriteChainLeafFirst),
    )])
}
