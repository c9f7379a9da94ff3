//! Distinguished names and their comparison key (RFC 5280 section 7.1).

use std::collections::hash_map::{Entry, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use x509_parser::der_parser::asn1_rs::Tag;
use x509_parser::x509::X509Name;

/// A distinguished name: how it reads, and the key it compares by.
///
/// Two names are equal when their keys are equal. Following RFC 5280
/// section 7.1 (and the RFC 4518 string preparation it points to), the
/// attribute values that are DirectoryStrings compare case-insensitively with
/// leading, trailing and repeated inner white space ignored; the string type
/// (PrintableString or UTF8String) does not matter; the attributes of a
/// multi-valued RDN compare as a set. Other values compare byte for byte.
///
/// The comparison key is kept as the SHA-256 of that normalised form: 32
/// bytes instead of a copy of the name (a pool holds two names per
/// certificate), and, like certificate fingerprints, collision-free in
/// practice.
///
/// Cloning is cheap (the parts are shared): reports hold the names of the
/// certificates they show, and certificates issued by one CA can share one
/// issuer name (`NameTable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(Arc<Parts>);

#[derive(Debug, PartialEq, Eq)]
struct Parts {
    text: Box<str>,
    common_name: Option<Box<str>>,
    key: [u8; 32],
}

impl Name {
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Self {
        let mut key = Vec::with_capacity(name.as_raw().len());
        let mut text = String::with_capacity(name.as_raw().len());
        let mut common_name = None;
        for rdn in name.iter_rdn() {
            let mut atoms: Vec<Vec<u8>> = Vec::with_capacity(1);
            for (i, ava) in rdn.iter().enumerate() {
                let oid = ava.attr_type().as_bytes();
                let value = ava.attr_value();
                let string = directory_string(value.tag(), value.data);
                if common_name.is_none() && oid == CN {
                    common_name.clone_from(&string);
                }
                text.push_str(match (i, text.is_empty()) {
                    (0, true) => "",
                    (0, false) => ", ",
                    _ => " + ",
                });
                let shown = string
                    .as_deref()
                    .or_else(|| ascii_string(value.tag(), value.data));
                push_attribute(&mut text, oid, shown, value.data);
                let mut atom = Vec::with_capacity(oid.len() + value.data.len() + 12);
                push_field(&mut atom, oid);
                match string {
                    Some(string) => {
                        atom.push(0);
                        push_field(&mut atom, fold(&string).as_bytes());
                    }
                    None => {
                        atom.push(1);
                        atom.extend_from_slice(&value.tag().0.to_be_bytes());
                        push_field(&mut atom, value.data);
                    }
                }
                atoms.push(atom);
            }
            atoms.sort_unstable();
            key.push(b'/');
            for atom in atoms {
                push_field(&mut key, &atom);
            }
        }
        Name(Arc::new(Parts {
            text: text.into_boxed_str(),
            common_name: common_name.map(String::into_boxed_str),
            key: crate::digest::fingerprint(&key),
        }))
    }

    /// Decodes one DER `Name` (RFC 5280 A.1), as a TLS server lists the CAs
    /// it accepts client certificates under; `None` unless the bytes are
    /// exactly one well-formed name.
    #[cfg(feature = "rustls")]
    pub(crate) fn from_der(der: &[u8]) -> Option<Self> {
        use x509_parser::prelude::FromDer;
        match X509Name::from_der(der) {
            Ok(([], name)) => Some(Self::from_x509(&name)),
            _ => None,
        }
    }

    /// The name as text, most general attribute first: `C=US, O=Example Corp, CN=MTF XBS`.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The first common name (CN), if it is a string.
    pub fn common_name(&self) -> Option<&str> {
        self.0.common_name.as_deref()
    }

    /// The comparison key; equal keys mean equal names under RFC 5280 7.1.
    pub(crate) fn key(&self) -> &[u8] {
        &self.0.key
    }

    /// Whether the two names match under RFC 5280 section 7.1.
    pub fn matches(&self, other: &Name) -> bool {
        self.0.key == other.0.key
    }

    /// Whether the name has no attributes at all.
    pub fn is_empty(&self) -> bool {
        // Every attribute renders as at least `type=`.
        self.0.text.is_empty()
    }
}

/// Serialised as its text.
impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One copy of each distinct name: a pool of thousands of leaves from a few
/// CAs then holds a few issuer names instead of thousands.
#[derive(Default)]
pub(crate) struct NameTable(HashMap<[u8; 32], Name>);

impl NameTable {
    /// Replaces `name` with the table's copy when it has one that reads the
    /// same (equal keys alone may differ in case or spacing); else keeps it.
    pub(crate) fn share(&mut self, name: &mut Name) {
        match self.0.entry(name.0.key) {
            Entry::Occupied(known) if known.get().as_str() == name.as_str() => *name = known.get().clone(),
            Entry::Occupied(_) => {}
            Entry::Vacant(slot) => {
                slot.insert(name.clone());
            }
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Attribute types by the contents of their OID, with the short names
/// OpenSSL prints; others print as dotted OIDs (RFC 4514 section 2.3).
const ATTRIBUTE_NAMES: [(&[u8], &str); 22] = [
    (CN, "CN"),
    (&[0x55, 0x04, 0x04], "SN"),
    (&[0x55, 0x04, 0x05], "serialNumber"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (&[0x55, 0x04, 0x09], "street"),
    (&[0x55, 0x04, 0x0a], "O"),
    (&[0x55, 0x04, 0x0b], "OU"),
    (&[0x55, 0x04, 0x0c], "title"),
    (&[0x55, 0x04, 0x0d], "description"),
    (&[0x55, 0x04, 0x0f], "businessCategory"),
    (&[0x55, 0x04, 0x11], "postalCode"),
    (&[0x55, 0x04, 0x2a], "GN"),
    (&[0x55, 0x04, 0x2b], "initials"),
    (&[0x55, 0x04, 0x2c], "generationQualifier"),
    (&[0x55, 0x04, 0x2e], "dnQualifier"),
    (&[0x55, 0x04, 0x41], "pseudonym"),
    (&[0x55, 0x04, 0x61], "organizationIdentifier"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "DC",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
        "UID",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        "emailAddress",
    ),
];

/// id-at-commonName.
const CN: &[u8] = &[0x55, 0x04, 0x03];

/// Appends `type=value`: the type's short name (or dotted OID), the value as
/// text, or `#` and its bytes in hex when it is not a string.
/// The attributes of `name` in order, as (short name, value) pairs: what a
/// profile's subject rules read. Values that are no string read as their
/// `#hex` form; multi-valued RDNs give one pair per value.
pub(crate) fn attributes(name: &X509Name<'_>) -> Vec<(String, String)> {
    name.iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .map(|ava| {
            let oid = ava.attr_type().as_bytes();
            let value = ava.attr_value();
            let mut text = String::new();
            let shown = directory_string(value.tag(), value.data);
            let shown = shown.as_deref().or_else(|| ascii_string(value.tag(), value.data));
            push_attribute(&mut text, oid, shown, value.data);
            let (short, value) = text.split_once('=').unwrap_or((text.as_str(), ""));
            (short.to_owned(), value.to_owned())
        })
        .collect()
}

fn push_attribute(text: &mut String, oid: &[u8], value: Option<&str>, bytes: &[u8]) {
    match ATTRIBUTE_NAMES.iter().find(|(known, _)| *known == oid) {
        Some((_, short)) => text.push_str(short),
        None => text.push_str(&crate::asn1::oid_to_string(oid)),
    }
    text.push('=');
    match value {
        Some(value) => text.push_str(value),
        None => {
            text.push('#');
            text.push_str(&crate::digest::hex(bytes));
        }
    }
}

fn push_field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Decodes a DirectoryString (and the string types often used in its place);
/// `None` for other types or invalid encodings, which then compare as bytes.
fn directory_string(tag: Tag, data: &[u8]) -> Option<String> {
    match tag {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            std::str::from_utf8(data).ok().map(str::to_owned)
        }
        // T61 in practice carries Latin-1.
        Tag::TeletexString => Some(data.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Option<Vec<u16>> = data
                .chunks(2)
                .map(|c| match c {
                    [hi, lo] => Some(u16::from_be_bytes([*hi, *lo])),
                    _ => None,
                })
                .collect();
            String::from_utf16(&units?).ok()
        }
        Tag::UniversalString => data
            .chunks(4)
            .map(|c| match c {
                [a, b, c, d] => char::from_u32(u32::from_be_bytes([*a, *b, *c, *d])),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// NumericString and VisibleString values: text to show, though not
/// DirectoryStrings (so they compare as bytes).
fn ascii_string(tag: Tag, data: &[u8]) -> Option<&str> {
    match tag {
        Tag::NumericString | Tag::VisibleString => std::str::from_utf8(data).ok().filter(|s| s.is_ascii()),
        _ => None,
    }
}

/// RFC 4518 in short: case fold, and insignificant white space handling.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    /// One attribute: (OID contents, string tag, value).
    type Ava<'a> = (&'a [u8], u8, &'a [u8]);

    /// DER of a Name from its RDNs, each a list of attributes.
    fn name_der(rdns: &[&[Ava<'_>]]) -> Vec<u8> {
        fn tlv(tag: u8, v: &[u8]) -> Vec<u8> {
            assert!(v.len() < 128);
            [&[tag, v.len() as u8][..], v].concat()
        }
        let body: Vec<u8> = rdns
            .iter()
            .flat_map(|rdn| {
                let set: Vec<u8> = rdn
                    .iter()
                    .flat_map(|(oid, t, v)| tlv(0x30, &[tlv(0x06, oid), tlv(*t, v)].concat()))
                    .collect();
                tlv(0x31, &set)
            })
            .collect();
        tlv(0x30, &body)
    }

    const O: &[u8] = &[0x55, 0x04, 0x0a];

    fn parse(der: &[u8]) -> Name {
        Name::from_x509(&X509Name::from_der(der).unwrap().1)
    }

    #[test]
    fn case_and_whitespace_and_string_type_do_not_matter() {
        let a = parse(&name_der(&[
            &[(O, 0x13, b"Example Payments")],
            &[(CN, 0x0c, b"Test XBS CA")],
        ]));
        let b = parse(&name_der(&[
            &[(O, 0x0c, b"  example   PAYMENTS ")],
            &[(CN, 0x13, b"test xbs ca")],
        ]));
        assert!(a.matches(&b));
        assert_eq!(a.common_name(), Some("Test XBS CA"));
    }

    #[test]
    fn bmp_string_matches_utf8() {
        let bmp: Vec<u8> = "Test".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let a = parse(&name_der(&[&[(CN, 0x1e, &bmp)]]));
        let b = parse(&name_der(&[&[(CN, 0x0c, b"TEST")]]));
        assert!(a.matches(&b));
    }

    #[test]
    fn different_values_order_or_attributes_do_not_match() {
        let a = parse(&name_der(&[&[(O, 0x13, b"A")], &[(CN, 0x13, b"B")]]));
        let swapped = parse(&name_der(&[&[(CN, 0x13, b"B")], &[(O, 0x13, b"A")]]));
        let other = parse(&name_der(&[&[(O, 0x13, b"A")], &[(CN, 0x13, b"C")]]));
        let merged = parse(&name_der(&[&[(O, 0x13, b"A"), (CN, 0x13, b"B")]]));
        assert!(!a.matches(&swapped), "RDN order is significant");
        assert!(!a.matches(&other));
        assert!(!a.matches(&merged), "RDN boundaries are significant");
    }

    #[test]
    fn multi_valued_rdn_compares_as_a_set() {
        let a = parse(&name_der(&[&[(O, 0x13, b"A"), (CN, 0x13, b"B")]]));
        let b = parse(&name_der(&[&[(CN, 0x13, b"b"), (O, 0x13, b"a")]]));
        assert!(a.matches(&b));
    }

    #[test]
    fn the_table_shares_names_that_read_the_same_and_keeps_variants_apart() {
        let der = name_der(&[&[(CN, 0x13, b"Test XBS CA")]]);
        let mut table = NameTable::default();
        let first = parse(&der);
        let mut again = parse(&der);
        let mut lower = parse(&name_der(&[&[(CN, 0x13, b"test xbs ca")]]));
        let mut first_copy = first.clone();
        table.share(&mut first_copy);
        table.share(&mut again);
        table.share(&mut lower);
        assert!(Arc::ptr_eq(&again.0, &first.0));
        // Equal under RFC 5280 7.1, but it must still read as it was written.
        assert!(lower.matches(&first));
        assert!(!Arc::ptr_eq(&lower.0, &first.0));
        assert_eq!(lower.as_str(), "CN=test xbs ca");
    }

    #[test]
    fn names_read_like_openssl_prints_them() {
        let email = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01][..];
        let dc = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19][..];
        let unknown = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03][..];
        let name = parse(&name_der(&[
            &[(dc, 0x16, b"example")],
            &[(O, 0x14, b"Caf\xe9")],
            &[(CN, 0x0c, b"MTF XBS"), (email, 0x16, b"ops@example.com")],
            &[(unknown, 0x13, b"US")],
            &[(O, 0x04, b"\x01\xff")],
        ]));
        assert_eq!(
            name.as_str(),
            "DC=example, O=Caf\u{e9}, CN=MTF XBS + emailAddress=ops@example.com, 1.3.6.1.4.1.311.60.2.1.3=US, O=#01ff"
        );
        assert_eq!(name.common_name(), Some("MTF XBS"));
    }
}
