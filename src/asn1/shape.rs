//! Where DER departs from the shape it should have, in words: which
//! structure, what was expected, what was found, at which byte offset.
//! Parsers report such defects as their own Debug text; messages use this
//! instead. Bounded: nesting deeper than [`MAX_DEPTH`] is not examined.

/// How deep the walk goes into elements the schema does not describe.
const MAX_DEPTH: usize = 24;

/// One expected element: its name, the tags it may have, whether it may be
/// absent, and (for a described SEQUENCE) its fields in order.
pub(crate) struct Field {
    name: &'static str,
    tags: &'static [u8],
    optional: bool,
    fields: &'static [Field],
}

impl Field {
    const fn new(name: &'static str, tags: &'static [u8], fields: &'static [Field]) -> Self {
        Field {
            name,
            tags,
            optional: false,
            fields,
        }
    }

    const fn optional(name: &'static str, tag: &'static [u8]) -> Self {
        Field {
            name,
            tags: tag,
            optional: true,
            fields: &[],
        }
    }
}

const SEQ: &[u8] = &[0x30];
const INT: &[u8] = &[0x02];
const BITS: &[u8] = &[0x03];
const TIME: &[u8] = &[0x17, 0x18];

/// RFC 5280 4.1, to the depth messages name.
pub(crate) const CERTIFICATE: Field = Field::new(
    "certificate",
    SEQ,
    &[
        Field::new(
            "tbsCertificate",
            SEQ,
            &[
                Field::optional("version", &[0xa0]),
                Field::new("serialNumber", INT, &[]),
                Field::new("signature algorithm", SEQ, &[]),
                Field::new("issuer name", SEQ, &[]),
                Field::new(
                    "validity",
                    SEQ,
                    &[
                        Field::new("notBefore", TIME, &[]),
                        Field::new("notAfter", TIME, &[]),
                    ],
                ),
                Field::new("subject name", SEQ, &[]),
                Field::new("subjectPublicKeyInfo", SEQ, &[]),
                Field::optional("issuerUniqueID", &[0x81]),
                Field::optional("subjectUniqueID", &[0x82]),
                Field::optional("extensions", &[0xa3]),
            ],
        ),
        Field::new("signatureAlgorithm", SEQ, &[]),
        Field::new("signatureValue", BITS, &[]),
    ],
);

/// RFC 2986 4.
pub(crate) const CERTIFICATE_REQUEST: Field = Field::new(
    "certificate request",
    SEQ,
    &[
        Field::new(
            "certificationRequestInfo",
            SEQ,
            &[
                Field::new("version", INT, &[]),
                Field::new("subject name", SEQ, &[]),
                Field::new("subjectPKInfo", SEQ, &[]),
                Field::optional("attributes", &[0xa0]),
            ],
        ),
        Field::new("signatureAlgorithm", SEQ, &[]),
        Field::new("signature", BITS, &[]),
    ],
);

/// RFC 5652 3 and 5.1: a ContentInfo carrying SignedData.
pub(crate) const SIGNED_DATA: Field = Field::new(
    "PKCS#7 ContentInfo",
    SEQ,
    &[
        Field::new("contentType", &[0x06], &[]),
        Field::new(
            "content",
            &[0xa0],
            &[Field::new(
                "SignedData",
                SEQ,
                &[
                    Field::new("version", INT, &[]),
                    Field::new("digestAlgorithms", &[0x31], &[]),
                    Field::new("encapContentInfo", SEQ, &[]),
                    Field::optional("certificates", &[0xa0]),
                    Field::optional("crls", &[0xa1]),
                    Field::new("signerInfos", &[0x31], &[]),
                ],
            )],
        ),
    ],
);

/// The first place `der` departs from `schema`, in words; `None` when its
/// shape is as expected (the defect, if any, is in a value).
pub(crate) fn defect(der: &[u8], schema: &Field) -> Option<String> {
    let (element, rest) = match read(der, 0) {
        Ok(read) => read,
        Err(why) => return Some(format!("the {} {why}", schema.name)),
    };
    if let Some(found) = wrong_tag(&element, schema) {
        return Some(found);
    }
    if let Some(found) = inside(&element, schema, 1) {
        return Some(found);
    }
    (!rest.is_empty()).then(|| {
        format!(
            "{} bytes follow the {} at byte {}",
            rest.len(),
            schema.name,
            der.len() - rest.len()
        )
    })
}

/// One element read from the front of its enclosing bytes.
struct Element<'a> {
    tag: u8,
    /// Offset of the element in the whole input.
    at: usize,
    /// Offset of its contents in the whole input.
    contents_at: usize,
    contents: &'a [u8],
}

/// Reads the element at the front of `input` (which starts at offset `at`),
/// or says why its header does not read.
fn read(input: &[u8], at: usize) -> Result<(Element<'_>, &[u8]), String> {
    let Some((&tag, rest)) = input.split_first() else {
        return Err(format!("is missing: the input ends at byte {at}"));
    };
    if tag & 0x1f == 0x1f {
        return Err(format!(
            "at byte {at} has a multi-byte tag, which none of its fields use"
        ));
    }
    let Some((&first, mut rest)) = rest.split_first() else {
        return Err(format!(
            "at byte {at} has a tag but no length: the input ends there"
        ));
    };
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 {
            return Err(format!(
                "at byte {at} has an indefinite length, which DER does not allow"
            ));
        }
        let bytes = rest
            .get(..n)
            .filter(|_| n <= 4)
            .ok_or_else(|| format!("at byte {at} has a {n}-byte length field, longer than any input"))?;
        rest = rest.get(n..).unwrap_or_default();
        bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    let contents_at = at + (input.len() - rest.len());
    let Some(contents) = rest.get(..len) else {
        return Err(format!(
            "at byte {at} declares {len} bytes of contents, but only {} remain",
            rest.len()
        ));
    };
    let after = rest.get(len..).unwrap_or_default();
    Ok((
        Element {
            tag,
            at,
            contents_at,
            contents,
        },
        after,
    ))
}

fn wrong_tag(element: &Element<'_>, field: &Field) -> Option<String> {
    (!field.tags.contains(&element.tag)).then(|| {
        format!(
            "the {} at byte {} should be {}, but is {}",
            field.name,
            element.at,
            field
                .tags
                .iter()
                .map(|&t| tag_name(t))
                .collect::<Vec<_>>()
                .join(" or "),
            tag_name(element.tag)
        )
    })
}

/// The first defect inside `element` (already known to have `field`'s tag).
fn inside(element: &Element<'_>, field: &Field, depth: usize) -> Option<String> {
    if field.fields.is_empty() {
        return nested(element, field.name, depth);
    }
    let mut rest = element.contents;
    let mut at = element.contents_at;
    for child in field.fields {
        if rest.is_empty() {
            if child.optional {
                continue;
            }
            return Some(format!(
                "the {} ends at byte {at} without its {}",
                field.name, child.name
            ));
        }
        let (next, after) = match read(rest, at) {
            Ok(read) => read,
            Err(why) => return Some(format!("the {} of the {} {why}", child.name, field.name)),
        };
        if !child.tags.contains(&next.tag) {
            if child.optional {
                continue;
            }
            return wrong_tag(&next, child).map(|w| format!("{w} (in the {})", field.name));
        }
        if let Some(found) = inside(&next, child, depth + 1) {
            return Some(found);
        }
        at += rest.len() - after.len();
        rest = after;
    }
    (!rest.is_empty()).then(|| {
        format!(
            "the {} holds {} unexpected bytes at byte {at}, after its last field",
            field.name,
            rest.len()
        )
    })
}

/// The first element inside a constructed `element` whose header does not
/// read, for the parts the schema does not describe.
fn nested(element: &Element<'_>, name: &str, depth: usize) -> Option<String> {
    if element.tag & 0x20 == 0 || depth > MAX_DEPTH {
        return None;
    }
    let mut rest = element.contents;
    let mut at = element.contents_at;
    while !rest.is_empty() {
        let (child, after) = match read(rest, at) {
            Ok(read) => read,
            Err(why) => return Some(format!("an element inside the {name} {why}")),
        };
        if let Some(found) = nested(&child, name, depth + 1) {
            return Some(found);
        }
        at += rest.len() - after.len();
        rest = after;
    }
    None
}

/// Parses `der` as exactly one `T` (an x509-parser structure laid out as
/// `schema`); else why not, in words: where the shape departs from `schema`,
/// else the value x509-parser refused, else the bytes after the `what`.
pub(crate) fn parse_whole<'a, T>(der: &'a [u8], schema: &Field, what: &str) -> Result<T, String>
where
    T: x509_parser::prelude::FromDer<'a, x509_parser::error::X509Error>,
{
    let (rest, parsed) =
        T::from_der(der).map_err(|e| defect(der, schema).unwrap_or_else(|| x509_value_defect(&e)))?;
    if !rest.is_empty() {
        return Err(format!("{} trailing bytes after the {what}", rest.len()));
    }
    Ok(parsed)
}

/// What x509-parser refused, in words, for DER whose shape is as expected
/// (so the defect is in a value): never the parser's Debug text.
pub(crate) fn x509_value_defect(error: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    use x509_parser::error::X509Error as E;
    let inner = match error {
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e,
        x509_parser::nom::Err::Incomplete(_) => return "the input ends inside the structure".to_owned(),
    };
    let what = match inner {
        E::InvalidVersion => "the version is not one RFC 5280 defines",
        E::InvalidSerial => "the serial number is not a valid INTEGER",
        E::InvalidAlgorithmIdentifier => "an algorithm identifier does not decode",
        E::InvalidX509Name => "a name (issuer or subject) does not decode",
        E::InvalidDate => "a validity date does not decode as UTCTime or GeneralizedTime",
        E::InvalidSPKI => "the subjectPublicKeyInfo does not decode",
        E::InvalidSubjectUID | E::InvalidIssuerUID => "a unique identifier does not decode",
        E::InvalidExtensions => "the extensions do not decode",
        E::InvalidAttributes => "the request attributes do not decode",
        E::DuplicateExtensions => "an extension appears twice (RFC 5280 4.2)",
        E::DuplicateAttributes => "a request attribute appears twice",
        E::InvalidSignatureValue => "the signature value does not decode",
        E::InvalidNumber => "a number does not decode",
        _ => "a value does not decode as the DER its field requires",
    };
    what.to_owned()
}

/// A tag in words: the universal type's name, or its class and number.
pub(crate) fn tag_name(tag: u8) -> String {
    let name = match tag {
        0x01 => "a BOOLEAN",
        0x02 => "an INTEGER",
        0x03 => "a BIT STRING",
        0x04 => "an OCTET STRING",
        0x05 => "a NULL",
        0x06 => "an OBJECT IDENTIFIER",
        0x0c => "a UTF8String",
        0x13 => "a PrintableString",
        0x16 => "an IA5String",
        0x17 => "a UTCTime",
        0x18 => "a GeneralizedTime",
        0x30 => "a SEQUENCE",
        0x31 => "a SET",
        t if t & 0xc0 == 0x80 => return format!("context tag [{}] (0x{t:02X})", t & 0x1f),
        t if t & 0xc0 == 0x00 => return format!("universal tag {} (0x{t:02X})", t & 0x1f),
        t => return format!("tag 0x{t:02X}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert_like(tbs: &[u8]) -> Vec<u8> {
        let mut body = vec![0x30, u8::try_from(tbs.len()).unwrap()];
        body.extend_from_slice(tbs);
        body.extend_from_slice(&[0x30, 0x00, 0x03, 0x01, 0x00]);
        let mut der = vec![0x30, u8::try_from(body.len()).unwrap()];
        der.extend_from_slice(&body);
        der
    }

    #[test]
    fn wrong_tag_is_named_with_field_offset_and_both_tags() {
        // serialNumber is a BOOLEAN.
        let der = cert_like(&[0x01, 0x01, 0xff]);
        assert_eq!(
            defect(&der, &CERTIFICATE).unwrap(),
            "the serialNumber at byte 4 should be an INTEGER, but is a BOOLEAN (in the tbsCertificate)"
        );
    }

    #[test]
    fn length_past_the_end_is_named_with_the_field() {
        let der = cert_like(&[0x02, 0x01, 0x01, 0x30, 0x05, 0x06]);
        assert_eq!(
            defect(&der, &CERTIFICATE).unwrap(),
            "the signature algorithm of the tbsCertificate at byte 7 declares 5 bytes of contents, but only 1 remain"
        );
    }

    #[test]
    fn missing_field_and_trailing_bytes_are_named() {
        let der = cert_like(&[0x02, 0x01, 0x01]);
        assert_eq!(
            defect(&der, &CERTIFICATE).unwrap(),
            "the tbsCertificate ends at byte 7 without its signature algorithm"
        );
        assert_eq!(
            defect(&[0x30, 0x00, 0x00], &CERTIFICATE).unwrap(),
            "the certificate ends at byte 2 without its tbsCertificate"
        );
        let mut trailing = cert_like(&[]);
        trailing.push(0);
        assert!(defect(&trailing, &CERTIFICATE)
            .unwrap()
            .starts_with("the tbsCertificate ends"));
    }

    #[test]
    fn parse_whole_takes_one_structure_and_names_the_bytes_after_it() {
        use x509_parser::certificate::X509Certificate;
        use x509_parser::certification_request::X509CertificationRequest;
        let mut cert = include_bytes!("../../testdata/rsa/leaf.cer").to_vec();
        assert!(parse_whole::<X509Certificate<'_>>(&cert, &CERTIFICATE, "certificate").is_ok());
        cert.extend_from_slice(&[0, 0]);
        assert_eq!(
            parse_whole::<X509Certificate<'_>>(&cert, &CERTIFICATE, "certificate").unwrap_err(),
            "2 trailing bytes after the certificate"
        );
        let mut csr = include_bytes!("../../testdata/rsa/MYCSR.der").to_vec();
        assert!(parse_whole::<X509CertificationRequest<'_>>(&csr, &CERTIFICATE_REQUEST, "request").is_ok());
        csr.push(0);
        assert_eq!(
            parse_whole::<X509CertificationRequest<'_>>(&csr, &CERTIFICATE_REQUEST, "request").unwrap_err(),
            "1 trailing bytes after the request"
        );
    }

    #[test]
    fn tags_outside_the_table_are_named_by_class_and_number() {
        assert_eq!(tag_name(0x0e), "universal tag 14 (0x0E)");
        assert_eq!(tag_name(0xa3), "context tag [3] (0xA3)");
        assert_eq!(tag_name(0x41), "tag 0x41");
    }
}
