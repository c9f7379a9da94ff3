//! Where a field lies inside a certificate's DER: the parsed model keeps
//! offsets instead of copies, which halves a large pool's memory.

use std::ops::Range;

/// A byte range inside one DER buffer (certificates are far below 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Covers nothing.
    pub(crate) const EMPTY: Span = Span { start: 0, end: 0 };

    /// Where `inner`, a sub-slice of `outer`, lies within it.
    pub(crate) fn within(outer: &[u8], inner: &[u8]) -> Option<Span> {
        let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
        let end = start.checked_add(inner.len())?;
        if end > outer.len() {
            return None;
        }
        Some(Span {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
        })
    }

    /// The bytes of `der` it covers; `None` when `der` is too short to be
    /// the buffer it was taken from.
    pub(crate) fn of(self, der: &[u8]) -> Option<&[u8]> {
        der.get(self.range())
    }

    fn range(self) -> Range<usize> {
        // u32 -> usize is lossless on every target certbundle builds for.
        self.start as usize..self.end as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_taken_only_from_inside_its_buffer() {
        let der = [1u8, 2, 3, 4, 5];
        let span = Span::within(&der, &der[1..3]).unwrap();
        assert_eq!(span.of(&der), Some(&[2u8, 3][..]));
        assert_eq!(span.of(&der[..2]), None);
        let other = [2u8, 3];
        assert_eq!(Span::within(&der, &other), None);
    }
}
