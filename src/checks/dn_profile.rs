//! `dn.profile`: the portal's subject rules: the leaf's CN is `MTF XBS` for
//! the test environment (`kmp-mtf`) and `PROD XBS` for production
//! (`kmp-prod`). Skipped under the generic profile.

use super::{named, CheckId, Context, Finding, Profile, Severity};

const ID: CheckId = CheckId::DnProfile;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let (expected, environment, other) = match ctx.profile {
        Profile::Generic => return None,
        Profile::KmpMtf => ("MTF XBS", "test (MTF)", ("PROD XBS", "kmp-prod")),
        Profile::KmpProd => ("PROD XBS", "production", ("MTF XBS", "kmp-mtf")),
    };
    let leaf = ctx.leaf()?;
    let cn = leaf.subject().common_name().map(str::trim);
    if cn == Some(expected) {
        return Some(Vec::new());
    }
    let (problem, fix) = match cn {
        Some(cn) if cn == other.0 => (
            format!(
                "the leaf {} is for the other environment: the {environment} environment needs CN `{expected}`",
                named(leaf)
            ),
            format!("use the certificate issued for this environment, or validate with --profile {}", other.1),
        ),
        Some(cn) => (
            format!("the leaf {} has CN `{cn}`; the {environment} environment needs CN `{expected}`", named(leaf)),
            format!("make the CSR with -subj \"/CN={expected}\" and request a new certificate"),
        ),
        None => (
            format!("the leaf {} has no CN; the {environment} environment needs CN `{expected}`", named(leaf)),
            format!("make the CSR with -subj \"/CN={expected}\" and request a new certificate"),
        ),
    };
    Some(vec![Finding::with_fix(
        ID,
        Severity::Error,
        Some(0),
        problem,
        Some(fix.into()),
    )])
}
