//! Validation and certificate times: [`Time`], a point in UTC to the second.
//!
//! A thin newtype over seconds since the Unix epoch rather than
//! `time::OffsetDateTime`: it is `Copy` and ordered like the integer the
//! checks compare, it shows itself exactly as reports print times (RFC 3339,
//! `Z`), and the `time` crate stays an implementation detail of parsing and
//! formatting, out of the public API.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A point in time, UTC, to the second: a validation time, a certificate's
/// `notBefore` or `notAfter`.
///
/// Shown (and serialised) as RFC 3339, `2026-12-01T00:00:00Z`; a time
/// RFC 3339 cannot write (a hostile certificate can carry a negative year)
/// is shown as `@` and the seconds since the Unix epoch.
///
/// ```
/// use certbundle::Time;
/// let at: Time = "2026-12-01T01:00:00+01:00".parse()?;
/// assert_eq!(at.unix(), 1_796_083_200);
/// assert_eq!(at.to_string(), "2026-12-01T00:00:00Z");
/// # Ok::<(), certbundle::ParseTimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(i64);

impl Time {
    /// The time `seconds` after 1970-01-01T00:00:00Z (before it, when negative).
    pub const fn from_unix(seconds: i64) -> Self {
        Time(seconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// The clock's time now (the epoch, if the clock is set before it).
    pub fn now() -> Self {
        Time(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        )
    }

    /// Parses RFC 3339 (`2026-12-01T00:00:00Z`; offsets are allowed and
    /// converted to UTC, fractions of a second dropped).
    ///
    /// # Errors
    /// [`ParseTimeError`] when `text` is not RFC 3339.
    pub fn parse(text: &str) -> Result<Self, ParseTimeError> {
        OffsetDateTime::parse(text.trim(), &Rfc3339)
            .map(|t| Time(t.unix_timestamp()))
            .map_err(|e| ParseTimeError {
                text: text.to_owned(),
                reason: e.to_string(),
            })
    }

    /// Whole days from `self` to `later`, rounded down (negative when
    /// `later` is earlier).
    pub(crate) fn days_until(self, later: Time) -> i64 {
        later.0.saturating_sub(self.0).div_euclid(86_400)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
        {
            Some(text) => f.write_str(&text),
            None => write!(f, "@{}", self.0),
        }
    }
}

impl FromStr for Time {
    type Err = ParseTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Time::parse(text)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A text that is not an RFC 3339 time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time `{text}`: expected RFC 3339 like 2026-12-01T00:00:00Z ({reason})")]
pub struct ParseTimeError {
    text: String,
    reason: String,
}

impl ParseTimeError {
    /// The text that was given.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_offsets_to_utc() {
        let t = Time::parse("2026-12-01T00:00:00Z").unwrap();
        assert_eq!(t, Time::from_unix(1_796_083_200));
        assert_eq!(t.to_string(), "2026-12-01T00:00:00Z");
        assert_eq!("2026-12-01T01:00:00+01:00".parse::<Time>().unwrap(), t);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-12-01T00:00:00Z\"");
    }

    #[test]
    fn refuses_garbage_saying_what_was_expected() {
        let error = Time::parse("yesterday").unwrap_err();
        assert_eq!(error.text(), "yesterday");
        assert!(error
            .to_string()
            .starts_with("invalid time `yesterday`: expected RFC 3339 like 2026-12-01T00:00:00Z ("));
    }

    #[test]
    fn shows_what_rfc_3339_cannot_write_as_seconds() {
        assert_eq!(Time::from_unix(i64::MAX).to_string(), format!("@{}", i64::MAX));
    }

    #[test]
    fn counts_whole_days_rounding_down() {
        let t = Time::from_unix(0);
        assert_eq!(t.days_until(Time::from_unix(86_399)), 0);
        assert_eq!(t.days_until(Time::from_unix(86_400)), 1);
        assert_eq!(t.days_until(Time::from_unix(-1)), -1);
    }
}
