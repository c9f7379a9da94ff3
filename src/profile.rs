//! Which rules apply: the generic checks, or the key-management portal's.

use std::fmt;

use serde::Serialize;

/// Which rules the portal adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Profile {
    /// Only the generic checks.
    #[default]
    Generic,
    /// The key-management portal's test environment: CN `MTF XBS`, RSA >= 2048.
    KmpMtf,
    /// The key-management portal's production: CN `PROD XBS`, RSA >= 2048.
    KmpProd,
}

impl Profile {
    /// The profile's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::KmpMtf => "kmp-mtf",
            Profile::KmpProd => "kmp-prod",
        }
    }

    /// The profile named `name`.
    pub fn from_name(name: &str) -> Option<Profile> {
        [Profile::Generic, Profile::KmpMtf, Profile::KmpProd]
            .into_iter()
            .find(|p| p.as_str() == name)
    }

    /// Whether the portal's rules apply.
    pub fn is_portal(self) -> bool {
        !matches!(self, Profile::Generic)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
