//! The subject of a request, from text: `C=US, O=Example Corp, CN=MTF XBS`
//! (certbundle's own way of printing a name, most general attribute first)
//! or OpenSSL's `-subj` form `/C=US/O=Example Corp/CN=MTF XBS`.
//!
//! A backslash escapes the punctuation character after it (`\,` in the
//! comma form, `\/` in the slash form, `\\`); blanks around names and values
//! are dropped. One attribute per RDN (multi-valued RDNs are not made).

use std::fmt;
use std::str::FromStr;

/// Longest subject text accepted, in characters.
const MAX_SUBJECT_CHARS: usize = 4096;
/// Most attributes in one subject.
const MAX_ATTRIBUTES: usize = 32;

/// The attribute types a request's subject may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeType {
    /// `C`, countryName (PrintableString, two letters).
    Country,
    /// `ST`, stateOrProvinceName.
    State,
    /// `L`, localityName.
    Locality,
    /// `O`, organizationName.
    Organization,
    /// `OU`, organizationalUnitName.
    OrganizationalUnit,
    /// `CN`, commonName.
    CommonName,
    /// `emailAddress` (PKCS#9, IA5String).
    EmailAddress,
}

impl AttributeType {
    const ALL: [AttributeType; 7] = [
        AttributeType::Country,
        AttributeType::State,
        AttributeType::Locality,
        AttributeType::Organization,
        AttributeType::OrganizationalUnit,
        AttributeType::CommonName,
        AttributeType::EmailAddress,
    ];

    /// The short name, as OpenSSL and certbundle print it.
    pub fn short_name(self) -> &'static str {
        match self {
            AttributeType::Country => "C",
            AttributeType::State => "ST",
            AttributeType::Locality => "L",
            AttributeType::Organization => "O",
            AttributeType::OrganizationalUnit => "OU",
            AttributeType::CommonName => "CN",
            AttributeType::EmailAddress => "emailAddress",
        }
    }

    /// The dotted OID.
    pub(crate) fn oid(self) -> &'static str {
        match self {
            AttributeType::Country => "2.5.4.6",
            AttributeType::State => "2.5.4.8",
            AttributeType::Locality => "2.5.4.7",
            AttributeType::Organization => "2.5.4.10",
            AttributeType::OrganizationalUnit => "2.5.4.11",
            AttributeType::CommonName => "2.5.4.3",
            AttributeType::EmailAddress => "1.2.840.113549.1.9.1",
        }
    }

    /// The upper bound on the value's length (RFC 5280 Appendix A, `ub-*`);
    /// the country's two letters are a profile rule instead.
    fn max_chars(self) -> Option<usize> {
        match self {
            AttributeType::Country => None,
            AttributeType::State | AttributeType::Locality => Some(128),
            AttributeType::Organization | AttributeType::OrganizationalUnit | AttributeType::CommonName => {
                Some(64)
            }
            AttributeType::EmailAddress => Some(255),
        }
    }

    /// The type named `name` (case-insensitive).
    fn from_name(name: &str) -> Option<AttributeType> {
        AttributeType::ALL
            .into_iter()
            .find(|t| t.short_name().eq_ignore_ascii_case(name))
    }
}

/// A parsed subject: its attributes in order, most general first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    attributes: Vec<(AttributeType, String)>,
}

impl Subject {
    /// Parses subject text (see the module documentation).
    ///
    /// # Errors
    /// A [`SubjectError`] naming the character where the text goes wrong.
    pub fn parse(text: &str) -> Result<Subject, SubjectError> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_SUBJECT_CHARS {
            return Err(SubjectError::at(MAX_SUBJECT_CHARS + 1, SubjectErrorKind::TooLong));
        }
        let start = chars.iter().take_while(|c| c.is_whitespace()).count();
        if start == chars.len() {
            return Err(SubjectError::at(1, SubjectErrorKind::Empty));
        }
        let slash = chars.get(start) == Some(&'/');
        let separator = if slash { '/' } else { ',' };
        let mut attributes = Vec::new();
        let mut from = if slash { start + 1 } else { start };
        loop {
            let (end, component) = component(&chars, from, separator)?;
            if attributes.len() == MAX_ATTRIBUTES {
                return Err(SubjectError::at(from + 1, SubjectErrorKind::TooManyAttributes));
            }
            attributes.push(attribute(&component, from)?);
            if end >= chars.len() {
                break;
            }
            from = end + 1;
        }
        Ok(Subject { attributes })
    }

    /// The attributes in order, with their values.
    pub fn attributes(&self) -> impl Iterator<Item = (AttributeType, &str)> + '_ {
        self.attributes.iter().map(|(t, v)| (*t, v.as_str()))
    }
}

impl FromStr for Subject {
    type Err = SubjectError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Subject::parse(text)
    }
}

/// The comma form, with `,` and `\` in values escaped.
impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (kind, value)) in self.attributes.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}=", kind.short_name())?;
            for c in value.chars() {
                if matches!(c, ',' | '\\') {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// One character of a component, and whether it was escaped.
type Char = (char, bool);

/// The component starting at `from`: its characters with escapes resolved,
/// and the index of the separator (or the end) after it.
fn component(
    chars: &[char],
    from: usize,
    separator: char,
) -> Result<(usize, Vec<(usize, Char)>), SubjectError> {
    let mut out = Vec::new();
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        if c == separator {
            break;
        }
        if c == '\\' {
            match chars.get(i + 1) {
                None => return Err(SubjectError::at(i + 1, SubjectErrorKind::DanglingEscape)),
                Some(&next) if next.is_ascii_punctuation() => {
                    out.push((i, (next, true)));
                    i += 2;
                    continue;
                }
                Some(_) => return Err(SubjectError::at(i + 1, SubjectErrorKind::BadEscape)),
            }
        }
        if c.is_control() {
            return Err(SubjectError::at(i + 1, SubjectErrorKind::ControlCharacter));
        }
        out.push((i, (c, false)));
        i += 1;
    }
    if out.iter().all(|(_, (c, escaped))| !escaped && c.is_whitespace()) {
        return Err(SubjectError::at(
            from + 1,
            SubjectErrorKind::EmptyComponent { separator },
        ));
    }
    Ok((i, out))
}

/// `NAME=value` from one component that starts at index `from`.
fn attribute(component: &[(usize, Char)], from: usize) -> Result<(AttributeType, String), SubjectError> {
    let Some(eq) = component
        .iter()
        .position(|(_, (c, escaped))| *c == '=' && !escaped)
    else {
        let at = trim(component).first().map_or(from, |(i, _)| *i);
        return Err(SubjectError::at(at + 1, SubjectErrorKind::MissingEquals));
    };
    let (name, value) = component.split_at(eq);
    let name = trim(name);
    let name_at = name.first().map_or(from, |(i, _)| *i) + 1;
    let name_text: String = name.iter().map(|(_, (c, _))| *c).collect();
    let kind = AttributeType::from_name(&name_text)
        .filter(|_| name.iter().all(|(_, (_, escaped))| !escaped))
        .ok_or(SubjectError::at(name_at, SubjectErrorKind::UnknownAttribute))?;
    let value = trim(value.get(1..).unwrap_or_default());
    let value_at = value.first().map_or(name_at, |(i, _)| *i + 1);
    let text: String = value.iter().map(|(_, (c, _))| *c).collect();
    let length = text.chars().count();
    if let Some(max) = kind.max_chars().filter(|max| length > *max) {
        return Err(SubjectError::at(
            value_at,
            SubjectErrorKind::ValueTooLong {
                attribute: kind,
                length,
                max,
            },
        ));
    }
    if kind == AttributeType::EmailAddress {
        if let Some((i, _)) = value.iter().find(|(_, (c, _))| !c.is_ascii()) {
            return Err(SubjectError::at(i + 1, SubjectErrorKind::EmailNotAscii));
        }
    }
    Ok((kind, text))
}

/// Drops unescaped blanks at both ends.
fn trim(chars: &[(usize, Char)]) -> &[(usize, Char)] {
    let blank = |(_, (c, escaped)): &(usize, Char)| !escaped && c.is_whitespace();
    let start = chars.iter().take_while(|c| blank(c)).count();
    let end = chars.len() - chars.iter().rev().take_while(|c| blank(c)).count();
    chars.get(start..end.max(start)).unwrap_or_default()
}

/// Why subject text does not parse, and at which character (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the subject, at character {position}: {kind}")]
pub struct SubjectError {
    position: usize,
    kind: SubjectErrorKind,
}

impl SubjectError {
    fn at(position: usize, kind: SubjectErrorKind) -> Self {
        SubjectError { position, kind }
    }

    /// The character (1-based) where the defect is.
    pub fn position(&self) -> usize {
        self.position
    }

    /// What is wrong there.
    pub fn kind(&self) -> &SubjectErrorKind {
        &self.kind
    }
}

/// What is wrong with subject text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SubjectErrorKind {
    /// No attributes at all.
    #[error("the subject is empty; expected attributes like `C=US, O=Example Corp, CN=MTF XBS`")]
    Empty,
    /// Longer than certbundle accepts.
    #[error("the subject is longer than {MAX_SUBJECT_CHARS} characters")]
    TooLong,
    /// More attributes than certbundle accepts.
    #[error("more than {MAX_ATTRIBUTES} attributes")]
    TooManyAttributes,
    /// Nothing between two separators (or after the last one).
    #[error("expected an attribute like `CN=...`, found nothing before the next `{separator}` or the end")]
    EmptyComponent {
        /// `,` or `/`.
        separator: char,
    },
    /// An attribute without `=`.
    #[error("expected `NAME=value`, found no `=` (escape a separator inside a value with `\\`)")]
    MissingEquals,
    /// A name certbundle does not make requests with.
    #[error("unknown attribute name; expected one of C, ST, L, O, OU, CN, emailAddress")]
    UnknownAttribute,
    /// A value longer than RFC 5280 allows.
    #[error(
        "the {} value is {length} characters; RFC 5280 (Appendix A) allows at most {max}",
        attribute.short_name()
    )]
    ValueTooLong {
        /// The attribute.
        attribute: AttributeType,
        /// The value's length in characters.
        length: usize,
        /// The bound.
        max: usize,
    },
    /// `\` at the very end.
    #[error("`\\` at the end escapes nothing")]
    DanglingEscape,
    /// `\` before something that is not punctuation.
    #[error("`\\` escapes only punctuation (`\\,`, `\\/`, `\\\\`, `\\=`, `\\+`)")]
    BadEscape,
    /// A control character (a tab, a newline).
    #[error("a control character (tab, newline...) is not allowed")]
    ControlCharacter,
    /// A non-ASCII character in an email address (IA5String).
    #[error("emailAddress is ASCII only (IA5String)")]
    EmailNotAscii,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(&'static str, String)> {
        Subject::parse(text)
            .unwrap()
            .attributes()
            .map(|(t, v)| (t.short_name(), v.to_owned()))
            .collect()
    }

    fn error(text: &str) -> String {
        Subject::parse(text).unwrap_err().to_string()
    }

    fn guide() -> Vec<(&'static str, String)> {
        vec![
            ("C", "US".to_owned()),
            ("O", "Example Corp".to_owned()),
            ("CN", "MTF XBS".to_owned()),
        ]
    }

    #[test]
    fn the_comma_and_the_openssl_slash_forms_give_the_same_subject() {
        assert_eq!(pairs("C=US, O=Example Corp, CN=MTF XBS"), guide());
        assert_eq!(pairs("/C=US/O=Example Corp/CN=MTF XBS"), guide());
        assert_eq!(pairs("  c = US ,o=Example Corp,  cn=MTF XBS  "), guide());
    }

    #[test]
    fn escapes_keep_separators_inside_values() {
        assert_eq!(
            pairs(r"O=Example\, Inc., CN=MTF XBS"),
            [("O", "Example, Inc.".to_owned()), ("CN", "MTF XBS".to_owned())]
        );
        assert_eq!(
            pairs(r"/O=A\/B, C/CN=x\\y"),
            [("O", "A/B, C".to_owned()), ("CN", r"x\y".to_owned())]
        );
        let subject = Subject::parse(r"O=Example\, Inc., CN=a\\b").unwrap();
        assert_eq!(subject.to_string(), r"O=Example\, Inc., CN=a\\b");
        assert_eq!(Subject::parse(&subject.to_string()).unwrap(), subject);
    }

    #[test]
    fn an_empty_value_parses_for_the_profile_rules_to_refuse() {
        assert_eq!(pairs("O=, CN=x"), [("O", String::new()), ("CN", "x".to_owned())]);
    }

    #[test]
    fn errors_name_the_character_and_the_defect() {
        assert_eq!(
            error("C=US, Org=X"),
            "the subject, at character 7: unknown attribute name; expected one of C, ST, L, O, OU, CN, emailAddress"
        );
        assert_eq!(
            error("C=US, CN MTF"),
            "the subject, at character 7: expected `NAME=value`, found no `=` (escape a separator inside a value with `\\`)"
        );
        assert_eq!(
            error("C=US,,CN=x"),
            "the subject, at character 6: expected an attribute like `CN=...`, found nothing before the next `,` or the end"
        );
        assert_eq!(
            error("/C=US/"),
            "the subject, at character 7: expected an attribute like `CN=...`, found nothing before the next `/` or the end"
        );
        assert_eq!(
            error(r"CN=x\"),
            "the subject, at character 5: `\\` at the end escapes nothing"
        );
        assert_eq!(
            error(r"CN=x\n"),
            "the subject, at character 5: `\\` escapes only punctuation (`\\,`, `\\/`, `\\\\`, `\\=`, `\\+`)"
        );
        assert_eq!(
            error("CN=a\tb"),
            "the subject, at character 5: a control character (tab, newline...) is not allowed"
        );
        assert_eq!(
            error("   "),
            "the subject, at character 1: the subject is empty; expected attributes like `C=US, O=Example Corp, CN=MTF XBS`"
        );
        assert_eq!(
            error("emailAddress=é@x"),
            "the subject, at character 14: emailAddress is ASCII only (IA5String)"
        );
    }

    #[test]
    fn rfc5280_appendix_a_upper_bounds_are_enforced() {
        let long = format!("CN={}", "x".repeat(65));
        assert_eq!(
            error(&long),
            "the subject, at character 4: the CN value is 65 characters; RFC 5280 (Appendix A) allows at most 64"
        );
        assert!(Subject::parse(&format!("CN={}", "x".repeat(64))).is_ok());
        let error = Subject::parse(&"C=US,".repeat(1000)).unwrap_err();
        assert_eq!(error.kind(), &SubjectErrorKind::TooLong);
        assert_eq!(error.position(), 4097);
        let error = Subject::parse(&"O=x,".repeat(40)).unwrap_err();
        assert_eq!(
            (error.kind(), error.position()),
            (&SubjectErrorKind::TooManyAttributes, 129)
        );
    }
}
