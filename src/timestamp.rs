//! Validation times: seconds since the Unix epoch, shown as RFC 3339.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `2026-12-01T00:00:00Z`; out-of-range values (a hostile certificate can
/// carry year 9999 or negative times) are shown as the raw number.
pub(crate) fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{unix}"))
}

/// Parses an RFC 3339 time (`2026-12-01T00:00:00Z`, offsets allowed) into
/// seconds since the Unix epoch.
///
/// # Errors
/// A message saying what was expected, when `text` is not RFC 3339.
pub fn parse_rfc3339(text: &str) -> Result<i64, String> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|e| format!("invalid time `{text}`: expected RFC 3339 like 2026-12-01T00:00:00Z ({e})"))
}

/// Days from `from` to `to`, rounded down.
pub(crate) fn days_between(from: i64, to: i64) -> i64 {
    to.saturating_sub(from).div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let t = parse_rfc3339("2026-12-01T00:00:00Z").unwrap();
        assert_eq!(t, 1_796_083_200);
        assert_eq!(rfc3339(t), "2026-12-01T00:00:00Z");
        assert_eq!(parse_rfc3339("2026-12-01T01:00:00+01:00").unwrap(), t);
        assert!(parse_rfc3339("yesterday")
            .unwrap_err()
            .starts_with("invalid time `yesterday`"));
        assert_eq!(rfc3339(i64::MAX), format!("@{}", i64::MAX));
    }
}
