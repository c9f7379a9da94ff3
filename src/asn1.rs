//! A minimal, bounded DER reader for the few places that only need to look
//! at the shape of a structure (format sniffing, algorithm parameters, KDF
//! parameters). Definite lengths only; never recurses; never panics.

pub(crate) mod shape;

/// Universal tags used by the sniffers.
pub(crate) mod tag {
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const SEQUENCE: u8 = 0x30;
}

/// One tag-length-value element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and low tag number).
    pub(crate) tag: u8,
    /// The contents octets.
    pub(crate) value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Reads one element from the front of `input`, returning it and the rest.
    /// `None` for high tag numbers, indefinite or overlong lengths, truncation.
    pub(crate) fn read(input: &'a [u8]) -> Option<(Tlv<'a>, &'a [u8])> {
        let (&tag, rest) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let (bytes, after) = rest.split_at_checked(n)?;
            rest = after;
            bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        let (value, rest) = rest.split_at_checked(len)?;
        Some((Tlv { tag, value }, rest))
    }

    /// Reads exactly one element that spans all of `input`.
    pub(crate) fn read_all(input: &'a [u8]) -> Option<Tlv<'a>> {
        match Tlv::read(input)? {
            (tlv, []) => Some(tlv),
            _ => None,
        }
    }

    /// Reads exactly one element tagged `tag` that spans all of `input`.
    pub(crate) fn read_all_of(input: &'a [u8], tag: u8) -> Option<Tlv<'a>> {
        Tlv::read_all(input).filter(|t| t.tag == tag)
    }

    /// The children of a constructed element, in order.
    pub(crate) fn children(&self) -> Children<'a> {
        Children(self.value)
    }

    /// The value as a small non-negative integer (INTEGER contents).
    pub(crate) fn as_u64(&self) -> Option<u64> {
        if self.tag != tag::INTEGER || self.value.first().is_some_and(|b| b & 0x80 != 0) {
            return None;
        }
        let digits = match self.value {
            [0, rest @ ..] => rest,
            v => v,
        };
        if digits.len() > 8 {
            return None;
        }
        Some(digits.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }
}

/// Iterator over the elements of a constructed value; stops at the first
/// element that does not parse.
pub(crate) struct Children<'a>(&'a [u8]);

impl<'a> Children<'a> {
    /// The next child when it is tagged `tag`; `None` when there is none
    /// or it is another (the child is consumed either way).
    pub(crate) fn next_of(&mut self, tag: u8) -> Option<Tlv<'a>> {
        self.next().filter(|t| t.tag == tag)
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Tlv<'a>;

    fn next(&mut self) -> Option<Tlv<'a>> {
        let (tlv, rest) = Tlv::read(self.0)?;
        self.0 = rest;
        Some(tlv)
    }
}

/// The next of `fields` when it is an OBJECT IDENTIFIER, in dotted form
/// (the contentType that opens a ContentInfo).
pub(crate) fn next_oid(fields: &mut Children<'_>) -> Option<String> {
    fields.next_of(tag::OID).map(|t| oid_to_string(t.value))
}

/// Renders the contents of an OBJECT IDENTIFIER in dotted form.
pub(crate) fn oid_to_string(value: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for &b in value {
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - first * 40);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// The one DER writer: definite-length elements from parts.
pub(crate) mod write {
    /// A DER element whose contents are `parts` concatenated (public data only).
    pub(crate) fn element(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let len = parts.iter().map(|p| p.len()).sum();
        let mut out = header(tag, len);
        out.reserve(len);
        for part in parts {
            out.extend_from_slice(part);
        }
        out
    }

    /// A DER tag and definite length.
    pub(crate) fn header(tag: u8, len: usize) -> Vec<u8> {
        let mut out = vec![tag];
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            let significant = bytes.get(skip..).unwrap_or_default();
            out.push(0x80 | significant.len() as u8);
            out.extend_from_slice(significant);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths_and_refuses_truncation() {
        let (t, rest) = Tlv::read(&[0x30, 0x02, 0x05, 0x00, 0xff]).unwrap();
        assert_eq!((t.tag, t.value, rest), (0x30, &[0x05, 0x00][..], &[0xff][..]));
        let long = [&[0x04, 0x81, 0x03][..], &[1, 2, 3]].concat();
        assert_eq!(Tlv::read_all(&long).unwrap().value, &[1, 2, 3]);
        assert!(Tlv::read(&[0x04, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert!(Tlv::read(&[0x04, 0x80]).is_none(), "indefinite length");
        assert!(Tlv::read(&[0x04, 0x05, 1]).is_none(), "length lies");
    }

    #[test]
    fn der_lengths_encode_short_and_long_forms() {
        assert_eq!(write::header(0x04, 5), vec![0x04, 5]);
        assert_eq!(write::header(0x04, 0x80), vec![0x04, 0x81, 0x80]);
        assert_eq!(write::header(0x30, 0x4a1), vec![0x30, 0x82, 0x04, 0xa1]);
        assert_eq!(write::element(0x04, &[&[1], &[2, 3]]), vec![0x04, 3, 1, 2, 3]);
    }

    #[test]
    fn oid_renders_dotted() {
        // 1.2.840.113549.1.1.11 sha256WithRSAEncryption
        let der = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
        assert_eq!(oid_to_string(&der), "1.2.840.113549.1.1.11");
    }

    #[test]
    fn integers_decode_and_refuse_negative_or_huge() {
        let int = |v: &[u8]| {
            Tlv {
                tag: tag::INTEGER,
                value: v,
            }
            .as_u64()
        };
        assert_eq!(int(&[0x08, 0x00]), Some(2048));
        assert_eq!(int(&[0x00, 0x80]), Some(128));
        assert_eq!(int(&[0x80]), None);
        assert_eq!(int(&[1; 9]), None);
    }
}
