//! The subject rules of a profile, in one place: what a subject must hold
//! before a request is made for it (`request`), and what the `dn.profile`
//! check holds a certificate's or request's subject to.
//!
//! Two rules are RFC 5280's own and hold under every profile: a country is
//! two letters (Appendix A, `X520countryName ::= PrintableString (SIZE (2))`,
//! the ISO 3166 alpha-2 code), and no value is empty (Appendix A,
//! `DirectoryString ... SIZE (1..MAX)`). The portal's profiles add the CN
//! of their environment, exactly.

use std::fmt;

use crate::model::KeyAlgorithm;
use crate::profile::Profile;

/// Smallest RSA key the portal's profiles accept, in bits.
pub(crate) const PORTAL_MIN_RSA_BITS: u32 = 2048;

/// One way a subject (or key) breaks its profile's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileProblem {
    /// Under a portal profile, the CN is not exactly the environment's.
    CommonName {
        /// The profile whose rule it is.
        profile: Profile,
        /// The CN the profile needs.
        expected: &'static str,
        /// The subject's CNs, in order (none, one, or more than one).
        found: Vec<String>,
    },
    /// The country is not two letters.
    Country {
        /// The value given.
        found: String,
    },
    /// An attribute has an empty value.
    EmptyValue {
        /// The attribute's short name (`O`).
        attribute: String,
    },
    /// Under a portal profile, an RSA key below 2048 bits.
    KeyTooSmall {
        /// The profile whose rule it is.
        profile: Profile,
        /// The key's modulus size.
        bits: u32,
    },
}

impl ProfileProblem {
    /// The rule broken, in a few words.
    pub fn rule(&self) -> &'static str {
        match self {
            ProfileProblem::CommonName { .. } => "the CN of the environment",
            ProfileProblem::Country { .. } => "a country is two letters",
            ProfileProblem::EmptyValue { .. } => "no empty attribute values",
            ProfileProblem::KeyTooSmall { .. } => "RSA keys of 2048 bits or more",
        }
    }

    /// The subject attribute the rule is about (`CN`, `C`, ...); `None`
    /// for the key rule.
    pub fn attribute(&self) -> Option<&str> {
        match self {
            ProfileProblem::CommonName { .. } => Some("CN"),
            ProfileProblem::Country { .. } => Some("C"),
            ProfileProblem::EmptyValue { attribute } => Some(attribute),
            ProfileProblem::KeyTooSmall { .. } => None,
        }
    }
}

impl fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileProblem::CommonName {
                profile,
                expected,
                found,
            } => {
                let needs = format!(
                    "the {} profile ({}) needs CN `{expected}` exactly",
                    profile.as_str(),
                    environment(*profile)
                );
                match found.as_slice() {
                    [] => write!(f, "the subject has no CN; {needs}"),
                    [cn] => match other_environment(*profile) {
                        Some((other, name)) if cn == other => {
                            write!(f, "CN `{cn}` is the {name} environment's; {needs}")
                        }
                        _ => write!(f, "the subject has CN `{cn}`; {needs}"),
                    },
                    more => write!(f, "the subject has {} CNs; {needs}, once", more.len()),
                }
            }
            ProfileProblem::Country { found } => write!(
                f,
                "C is {} characters long (`{found}`); a country is its two-letter ISO 3166 code, like C=US",
                found.chars().count()
            ),
            ProfileProblem::EmptyValue { attribute } => {
                write!(f, "{attribute} is empty; give it a value or leave it out")
            }
            ProfileProblem::KeyTooSmall { profile, bits } => write!(
                f,
                "the key is RSA-{bits}; the {} profile needs RSA of {PORTAL_MIN_RSA_BITS} bits or more",
                profile.as_str()
            ),
        }
    }
}

/// The CN a portal profile needs; `None` under the generic profile.
pub(crate) fn expected_common_name(profile: Profile) -> Option<&'static str> {
    match profile {
        Profile::Generic => None,
        Profile::KmpMtf => Some("MTF XBS"),
        Profile::KmpProd => Some("PROD XBS"),
    }
}

fn environment(profile: Profile) -> &'static str {
    match profile {
        Profile::Generic => "generic",
        Profile::KmpMtf => "the portal's test environment",
        Profile::KmpProd => "the portal's production",
    }
}

/// The other portal environment's CN and name.
fn other_environment(profile: Profile) -> Option<(&'static str, &'static str)> {
    match profile {
        Profile::Generic => None,
        Profile::KmpMtf => Some(("PROD XBS", "production")),
        Profile::KmpProd => Some(("MTF XBS", "test (MTF)")),
    }
}

/// Every way the subject `attributes` (short name and value, in order:
/// `("C", "US")`, `("CN", "MTF XBS")`) break `profile`'s rules; empty when
/// they hold.
pub(crate) fn subject_problems<'a>(
    profile: Profile,
    attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<ProfileProblem> {
    let mut problems = Vec::new();
    let mut common_names = Vec::new();
    for (attribute, value) in attributes {
        if value.is_empty() {
            problems.push(ProfileProblem::EmptyValue {
                attribute: attribute.to_owned(),
            });
        } else if attribute == "C" && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic())) {
            problems.push(ProfileProblem::Country {
                found: value.to_owned(),
            });
        }
        if attribute == "CN" {
            common_names.push(value.to_owned());
        }
    }
    if let Some(expected) = expected_common_name(profile) {
        if common_names != [expected] {
            problems.push(ProfileProblem::CommonName {
                profile,
                expected,
                found: common_names,
            });
        }
    }
    problems
}

/// The key rule: RSA below [`PORTAL_MIN_RSA_BITS`] under a portal profile.
pub(crate) fn key_problem(profile: Profile, key: &KeyAlgorithm) -> Option<ProfileProblem> {
    match key {
        KeyAlgorithm::Rsa { bits } if profile.is_portal() && *bits < PORTAL_MIN_RSA_BITS => {
            Some(ProfileProblem::KeyTooSmall { profile, bits: *bits })
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn problems(profile: Profile, attributes: &[(&str, &str)]) -> Vec<ProfileProblem> {
        subject_problems(profile, attributes.iter().copied())
    }

    #[test]
    fn the_guide_subject_passes_under_kmp_mtf() {
        assert_eq!(
            problems(
                Profile::KmpMtf,
                &[("C", "US"), ("O", "Example Corp"), ("CN", "MTF XBS")]
            ),
            []
        );
    }

    #[test]
    fn a_wrong_cn_names_the_profile_and_the_cn_it_needs() {
        let found = problems(Profile::KmpMtf, &[("CN", "Foo")]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule(), "the CN of the environment");
        assert_eq!(found[0].attribute(), Some("CN"));
        assert_eq!(
            found[0].to_string(),
            "the subject has CN `Foo`; the kmp-mtf profile (the portal's test environment) needs CN `MTF XBS` exactly"
        );
    }

    #[test]
    fn the_other_environments_cn_is_named_as_such() {
        let found = problems(Profile::KmpProd, &[("CN", "MTF XBS")]);
        assert_eq!(
            found[0].to_string(),
            "CN `MTF XBS` is the test (MTF) environment's; the kmp-prod profile (the portal's production) \
             needs CN `PROD XBS` exactly"
        );
    }

    #[test]
    fn no_cn_or_two_cns_fail_and_case_or_spacing_is_not_forgiven() {
        assert!(matches!(
            &problems(Profile::KmpProd, &[("O", "X")])[..],
            [ProfileProblem::CommonName { found, .. }] if found.is_empty()
        ));
        assert_eq!(
            problems(Profile::KmpProd, &[("CN", "PROD XBS"), ("CN", "PROD XBS")])[0].to_string(),
            "the subject has 2 CNs; the kmp-prod profile (the portal's production) needs CN `PROD XBS` exactly, once"
        );
        assert_eq!(problems(Profile::KmpMtf, &[("CN", "mtf xbs")]).len(), 1);
    }

    #[test]
    fn rfc5280_appendix_a_country_is_two_letters_under_every_profile() {
        for profile in [Profile::Generic, Profile::KmpMtf] {
            let found = problems(profile, &[("C", "USA"), ("CN", "MTF XBS")]);
            assert_eq!(
                found,
                [ProfileProblem::Country {
                    found: "USA".to_owned()
                }]
            );
            assert_eq!(
                found[0].to_string(),
                "C is 3 characters long (`USA`); a country is its two-letter ISO 3166 code, like C=US"
            );
        }
        assert_eq!(problems(Profile::Generic, &[("C", "1A")]).len(), 1);
        assert_eq!(problems(Profile::Generic, &[("C", "de")]), []);
    }

    #[test]
    fn rfc5280_appendix_a_no_value_is_empty() {
        let found = problems(Profile::Generic, &[("O", ""), ("CN", "x")]);
        assert_eq!(
            found,
            [ProfileProblem::EmptyValue {
                attribute: "O".to_owned()
            }]
        );
        assert_eq!(
            found[0].to_string(),
            "O is empty; give it a value or leave it out"
        );
    }

    #[test]
    fn the_generic_profile_has_no_cn_rule() {
        assert_eq!(problems(Profile::Generic, &[("CN", "anything")]), []);
    }

    #[test]
    fn rsa_below_2048_is_too_weak_only_under_the_portal_profiles() {
        let weak = KeyAlgorithm::Rsa { bits: 1024 };
        let problem = key_problem(Profile::KmpMtf, &weak).unwrap();
        assert_eq!(
            problem.to_string(),
            "the key is RSA-1024; the kmp-mtf profile needs RSA of 2048 bits or more"
        );
        assert_eq!(problem.attribute(), None);
        assert_eq!(key_problem(Profile::Generic, &weak), None);
        assert_eq!(
            key_problem(Profile::KmpProd, &KeyAlgorithm::Rsa { bits: 2048 }),
            None
        );
    }
}
