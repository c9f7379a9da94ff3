//! `dn.profile`: the profile's subject rules (one place:
//! `profile_rules`): under `kmp-mtf` the CN is exactly `MTF XBS`, under
//! `kmp-prod` exactly `PROD XBS`; a country is two letters and no value is
//! empty (RFC 5280 Appendix A). Applied to the leaf, or to the request when
//! a request is validated alone. Skipped under the generic profile.

use super::{named, Context};
use crate::finding::{CheckId, Finding, Fix, Severity};
use crate::profile::Profile;
use crate::profile_rules::{subject_problems, ProfileProblem};

const ID: CheckId = CheckId::DnProfile;

pub(super) fn run(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if !ctx.profile.is_portal() {
        return None;
    }
    let leaf = ctx.chain.first()?;
    Some(judge(
        ctx.profile,
        &format!("the leaf {}", named(leaf)),
        leaf.subject_attributes(),
        Some(0),
    ))
}

/// The request alone: its subject, before it is uploaded.
pub(super) fn run_request(ctx: &Context<'_>) -> Option<Vec<Finding>> {
    if !ctx.profile.is_portal() {
        return None;
    }
    let request = ctx.pool.requests().first()?;
    let who = format!("the CSR {} (subject `{}`)", request.source(), request.subject());
    Some(judge(ctx.profile, &who, request.subject_attributes(), None))
}

/// A finding per broken rule, naming `who` and the rule.
fn judge(
    profile: Profile,
    who: &str,
    attributes: Vec<(String, String)>,
    cert: Option<usize>,
) -> Vec<Finding> {
    let pairs = attributes.iter().map(|(a, v)| (a.as_str(), v.as_str()));
    subject_problems(profile, pairs)
        .into_iter()
        .map(|problem| {
            let fix = match &problem {
                ProfileProblem::CommonName { found, .. } => {
                    let cn = crate::profile_rules::expected_common_name(profile).unwrap_or_default();
                    match (other_profile(profile), found.as_slice()) {
                        // A certificate exists for the other environment; a request can still be remade.
                        (Some((other, theirs)), [found]) if found == theirs => match cert {
                            Some(_) => Fix::UseOtherEnvironment { profile: other },
                            None => Fix::RemakeRequestForEnvironment { cn, other },
                        },
                        _ => Fix::RequestWithCommonName { cn },
                    }
                }
                _ => Fix::CorrectSubject,
            };
            Finding::new(ID, Severity::Error, cert, format!("{who}: {problem}"), Some(fix))
        })
        .collect()
}

/// The other portal profile and its CN.
fn other_profile(profile: Profile) -> Option<(Profile, &'static str)> {
    match profile {
        Profile::KmpMtf => Some((Profile::KmpProd, "PROD XBS")),
        Profile::KmpProd => Some((Profile::KmpMtf, "MTF XBS")),
        Profile::Generic => None,
    }
}
