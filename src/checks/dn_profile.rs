//! `dn.profile`: the portal's subject rules: the leaf's CN is `MTF XBS` for
//! the test environment (`kmp-mtf`) and `PROD XBS` for production
//! (`kmp-prod`). Skipped under the generic profile.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::profile::Profile;

const ID: CheckId = CheckId::DnProfile;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    let (expected, environment, other) = match ctx.profile {
        Profile::Generic => return None,
        Profile::KmpMtf => ("MTF XBS", "test (MTF)", ("PROD XBS", Profile::KmpProd)),
        Profile::KmpProd => ("PROD XBS", "production", ("MTF XBS", Profile::KmpMtf)),
    };
    let leaf = ctx.chain.first()?;
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
            Fix::UseOtherEnvironment { profile: other.1 },
        ),
        Some(cn) => (
            format!("the leaf {} has CN `{cn}`; the {environment} environment needs CN `{expected}`", named(leaf)),
            Fix::RequestWithCommonName { cn: expected },
        ),
        None => (
            format!("the leaf {} has no CN; the {environment} environment needs CN `{expected}`", named(leaf)),
            Fix::RequestWithCommonName { cn: expected },
        ),
    };
    Some(vec![Finding::new(
        ID,
        Severity::Error,
        Some(0),
        problem,
        Some(fix),
    )])
}
