//! Just enough BER (X.690 section 8.1) to walk a streamed SignedData in
//! place: definite and indefinite lengths, low tag numbers. An indefinite
//! element's end is found by counting the indefinite elements it opens and
//! jumping over definite ones, so nesting costs no recursion.

/// End-of-contents octets closing an indefinite length.
const END_OF_CONTENTS: [u8; 2] = [0, 0];
/// The constructed bit of an identifier octet.
const CONSTRUCTED: u8 = 0x20;

/// One element, its contents still in the input.
#[derive(Debug, Clone, Copy)]
pub(super) struct Element<'a> {
    /// The identifier octet.
    pub(super) tag: u8,
    /// The contents octets (without an indefinite length's end-of-contents).
    pub(super) value: &'a [u8],
    /// The whole encoding: identifier, length, contents.
    pub(super) whole: &'a [u8],
}

impl<'a> Element<'a> {
    /// Reads one element from the front of `input`: it and the rest.
    /// `None` for high tag numbers, a primitive indefinite element, lengths
    /// beyond the input and truncation.
    pub(super) fn read(input: &'a [u8]) -> Option<(Element<'a>, &'a [u8])> {
        let (tag, length, header) = header(input)?;
        let (len, end) = match length {
            Some(len) => (len, header.checked_add(len)?),
            None => {
                let len = indefinite_len(input.get(header..)?)?;
                (len, header.checked_add(len)?.checked_add(END_OF_CONTENTS.len())?)
            }
        };
        let element = Element {
            tag,
            value: input.get(header..header.checked_add(len)?)?,
            whole: input.get(..end)?,
        };
        Some((element, input.get(end..)?))
    }

    /// Reads exactly one element that spans all of `input`.
    pub(super) fn read_all(input: &'a [u8]) -> Option<Element<'a>> {
        match Element::read(input)? {
            (element, []) => Some(element),
            _ => None,
        }
    }

    /// The children of a constructed element, in order; each item is
    /// `None` where a child does not read (and the iteration ends there).
    pub(super) fn children(&self) -> Children<'a> {
        Children(Some(self.value))
    }
}

/// Iterator over the children of an [`Element`].
pub(super) struct Children<'a>(Option<&'a [u8]>);

impl<'a> Iterator for Children<'a> {
    type Item = Option<Element<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.0.filter(|rest| !rest.is_empty())?;
        match Element::read(rest) {
            Some((element, after)) => {
                self.0 = Some(after);
                Some(Some(element))
            }
            None => {
                self.0 = None;
                Some(None)
            }
        }
    }
}

/// (identifier, definite length or `None` for indefinite, header length).
fn header(input: &[u8]) -> Option<(u8, Option<usize>, usize)> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let &first = rest.first()?;
    match first {
        0x80 if tag & CONSTRUCTED != 0 => Some((tag, None, 2)),
        0x80 => None,
        0..0x80 => Some((tag, Some(usize::from(first)), 2)),
        _ => {
            let n = usize::from(first & 0x7f);
            if n > 4 {
                return None;
            }
            let bytes = rest.get(1..1 + n)?;
            let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            Some((tag, Some(len), 2 + n))
        }
    }
}

/// The length of indefinite contents `body` up to (without) the
/// end-of-contents that closes them.
fn indefinite_len(body: &[u8]) -> Option<usize> {
    let mut open = 1usize;
    let mut at = 0usize;
    loop {
        let rest = body.get(at..)?;
        if rest.starts_with(&END_OF_CONTENTS) {
            open -= 1;
            if open == 0 {
                return Some(at);
            }
            at = at.checked_add(END_OF_CONTENTS.len())?;
            continue;
        }
        let (_, length, header) = header(rest)?;
        at = at.checked_add(header)?;
        match length {
            Some(len) => at = at.checked_add(len)?,
            None => open = open.checked_add(1)?,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// SEQUENCE (indefinite) { INTEGER 1, [0] (indefinite) { OCTET STRING "ab" } }.
    const NESTED: &[u8] = &[
        0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x04, 0x02, b'a', b'b', 0, 0, 0, 0,
    ];

    #[test]
    fn indefinite_lengths_nest_and_end_at_their_own_end_of_contents() {
        let input = [NESTED, &[0x05, 0x00]].concat();
        let (outer, rest) = Element::read(&input).unwrap();
        assert_eq!(rest, [0x05, 0x00]);
        assert_eq!((outer.value, outer.whole), (&NESTED[2..NESTED.len() - 2], NESTED));
        let kids: Vec<Element<'_>> = outer.children().map(Option::unwrap).collect();
        assert_eq!(kids.len(), 2);
        assert_eq!((kids[0].tag, kids[0].value), (0x02, &[1u8][..]));
        assert_eq!((kids[1].tag, kids[1].whole), (0xa0, &NESTED[5..13]));
        let inner = Element::read_all(kids[1].value).unwrap();
        assert_eq!((inner.tag, inner.value), (0x04, &b"ab"[..]));
    }

    #[test]
    fn every_truncation_and_a_primitive_indefinite_length_do_not_read() {
        for len in 0..NESTED.len() {
            assert!(Element::read_all(&NESTED[..len]).is_none(), "cut at {len}");
        }
        assert!(Element::read(&[0x04, 0x80, 0, 0]).is_none());
        assert!(Element::read(&[0x1f, 0x01, 0x00]).is_none(), "high tag number");
    }

    #[test]
    fn a_child_that_does_not_read_ends_the_children_with_none() {
        let outer = Element::read_all(&[0x30, 0x04, 0x02, 0x01, 0x01, 0x02]).unwrap();
        let kids: Vec<Option<Element<'_>>> = outer.children().collect();
        assert_eq!(kids.len(), 2);
        assert!(kids[0].is_some() && kids[1].is_none());
    }
}
