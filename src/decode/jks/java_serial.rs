//! Skips one Java object serialization stream (Java Object Serialization
//! Specification, chapter 6): JCEKS stores a secret-key entry as a
//! serialized `SealedObjectForKeyProtector` with no length in front, so the
//! only way to the next entry is to walk the stream's grammar.
//!
//! Nothing is decrypted or kept; the walk is bounded by the input (every
//! step consumes bytes), a nesting depth, a class hierarchy height and a
//! handle table size; class descriptors are shared, never copied.

use std::rc::Rc;

/// Deepest object nesting followed (a sealed key nests 3 deep).
const MAX_DEPTH: u32 = 32;
/// Most handles (class descriptors, strings, arrays, objects) in one stream.
const MAX_HANDLES: usize = 4_096;

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_ARRAY: u8 = 0x75;
const TC_CLASS: u8 = 0x76;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7a;
const TC_LONGSTRING: u8 = 0x7c;
const TC_PROXYCLASSDESC: u8 = 0x7d;
const TC_ENUM: u8 = 0x7e;

const SC_WRITE_METHOD: u8 = 0x01;
const SC_SERIALIZABLE: u8 = 0x02;
const SC_EXTERNALIZABLE: u8 = 0x04;
const SC_BLOCK_DATA: u8 = 0x08;

/// What a handle names: only class descriptors matter for what follows.
enum Handle {
    Class(Rc<ClassDesc>),
    Other,
}

struct ClassDesc {
    flags: u8,
    /// Field type codes in stream order (`B`, `I`, `L`, `[`, ...).
    fields: Vec<u8>,
    /// For array classes (`[B`, `[Ljava...`): the element type code.
    element: Option<u8>,
    /// The superclass descriptor, when there is one.
    parent: Option<Rc<ClassDesc>>,
    /// How many classes the hierarchy has, this one included (at most [`MAX_DEPTH`]).
    height: u32,
}

/// Walks one stream from the front of `bytes`; returns how many bytes it
/// spans, or what went wrong (for the caller's error message).
pub(super) fn stream_len(bytes: &[u8]) -> Result<usize, &'static str> {
    let mut walk = Walk {
        rest: bytes,
        handles: Vec::new(),
    };
    if walk.take(4)? != [0xac, 0xed, 0x00, 0x05] {
        return Err("the secret key is not a Java serialization stream (magic AC ED 00 05)");
    }
    walk.content(0)?;
    Ok(bytes.len() - walk.rest.len())
}

struct Walk<'a> {
    rest: &'a [u8],
    handles: Vec<Handle>,
}

const TRUNCATED: &str = "the serialized secret key is truncated";

impl<'a> Walk<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        let (head, rest) = self.rest.split_at_checked(n).ok_or(TRUNCATED)?;
        self.rest = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, &'static str> {
        Ok(self.take(1)?.first().copied().unwrap_or(0))
    }

    fn u16(&mut self) -> Result<usize, &'static str> {
        let b = self.take(2)?;
        Ok(b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x)))
    }

    fn u32(&mut self) -> Result<u64, &'static str> {
        let b = self.take(4)?;
        Ok(b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    fn utf(&mut self) -> Result<&'a [u8], &'static str> {
        let len = self.u16()?;
        self.take(len)
    }

    fn new_handle(&mut self, handle: Handle) -> Result<(), &'static str> {
        if self.handles.len() >= MAX_HANDLES {
            return Err("the serialized secret key has too many objects");
        }
        self.handles.push(handle);
        Ok(())
    }

    /// One `content` item: an object or block data.
    fn content(&mut self, depth: u32) -> Result<Option<Rc<ClassDesc>>, &'static str> {
        if depth > MAX_DEPTH {
            return Err("the serialized secret key nests too deeply");
        }
        let tc = self.u8()?;
        match tc {
            TC_NULL => Ok(None),
            TC_REFERENCE => {
                let index = self.u32()?.checked_sub(0x7e_0000).ok_or("bad object reference")?;
                match self.handles.get(usize::try_from(index).unwrap_or(usize::MAX)) {
                    Some(Handle::Class(desc)) => Ok(Some(Rc::clone(desc))),
                    Some(Handle::Other) => Ok(None),
                    None => Err("the serialized secret key refers to an object it does not define"),
                }
            }
            TC_CLASSDESC => {
                let name = self.utf()?;
                let element = match name {
                    [b'[', code, ..] => Some(*code),
                    _ => None,
                };
                self.take(8)?; // serialVersionUID
                let slot = self.handles.len();
                self.new_handle(Handle::Other)?;
                let flags = self.u8()?;
                let count = self.u16()?;
                let mut fields = Vec::new();
                for _ in 0..count {
                    let code = self.u8()?;
                    self.utf()?;
                    if matches!(code, b'L' | b'[') {
                        self.content(depth + 1)?; // the field's class name, a string
                    }
                    fields.push(code);
                }
                self.annotation(depth)?;
                let parent = self.content(depth + 1)?;
                let height = parent.as_ref().map_or(0, |p| p.height) + 1;
                if height > MAX_DEPTH {
                    return Err("the serialized secret key's class hierarchy is too deep");
                }
                let desc = Rc::new(ClassDesc {
                    flags,
                    fields,
                    element,
                    parent,
                    height,
                });
                if let Some(h) = self.handles.get_mut(slot) {
                    *h = Handle::Class(Rc::clone(&desc));
                }
                Ok(Some(desc))
            }
            TC_PROXYCLASSDESC => {
                let count = self.u32()?;
                for _ in 0..count {
                    self.utf()?;
                }
                self.new_handle(Handle::Other)?;
                self.annotation(depth)?;
                self.content(depth + 1)?;
                Ok(None)
            }
            TC_OBJECT => {
                let desc = self.content(depth + 1)?.ok_or("an object without a class")?;
                self.new_handle(Handle::Other)?;
                self.class_data(&desc, depth)?;
                Ok(None)
            }
            TC_STRING => {
                self.utf()?;
                self.new_handle(Handle::Other).map(|()| None)
            }
            TC_LONGSTRING => {
                let len = self.u32()?.saturating_mul(1 << 32) | self.u32()?;
                self.take(usize::try_from(len).map_err(|_| TRUNCATED)?)?;
                self.new_handle(Handle::Other).map(|()| None)
            }
            TC_ARRAY => {
                let desc = self.content(depth + 1)?.ok_or("an array without a class")?;
                self.new_handle(Handle::Other)?;
                let count = self.u32()?;
                let element = desc.element.ok_or("an array whose class is not an array")?;
                match primitive_size(element) {
                    Some(size) => {
                        let len = count.checked_mul(size).ok_or(TRUNCATED)?;
                        self.take(usize::try_from(len).map_err(|_| TRUNCATED)?)?;
                    }
                    None => {
                        for _ in 0..count {
                            self.content(depth + 1)?;
                        }
                    }
                }
                Ok(None)
            }
            TC_CLASS => {
                self.content(depth + 1)?;
                self.new_handle(Handle::Other).map(|()| None)
            }
            TC_ENUM => {
                self.content(depth + 1)?;
                self.new_handle(Handle::Other)?;
                self.content(depth + 1)?;
                Ok(None)
            }
            TC_BLOCKDATA => {
                let len = usize::from(self.u8()?);
                self.take(len).map(|_| None)
            }
            TC_BLOCKDATALONG => {
                let len = self.u32()?;
                self.take(usize::try_from(len).map_err(|_| TRUNCATED)?)
                    .map(|_| None)
            }
            _ => Err("the serialized secret key holds an unexpected item"),
        }
    }

    /// Contents up to `TC_ENDBLOCKDATA` (class and object annotations).
    fn annotation(&mut self, depth: u32) -> Result<(), &'static str> {
        while self.rest.first() != Some(&TC_ENDBLOCKDATA) {
            self.content(depth + 1)?;
        }
        self.take(1).map(|_| ())
    }

    /// The field values of every class in the hierarchy, topmost first.
    /// Recursion follows `parent`, at most [`MAX_DEPTH`] classes.
    fn class_data(&mut self, desc: &ClassDesc, depth: u32) -> Result<(), &'static str> {
        if let Some(parent) = &desc.parent {
            self.class_data(parent, depth)?;
        }
        if desc.flags & SC_EXTERNALIZABLE != 0 {
            if desc.flags & SC_BLOCK_DATA == 0 {
                return Err("an externalizable object in the old protocol");
            }
            return self.annotation(depth);
        }
        if desc.flags & SC_SERIALIZABLE != 0 {
            for &code in &desc.fields {
                match primitive_size(code) {
                    Some(size) => {
                        self.take(usize::try_from(size).unwrap_or(8))?;
                    }
                    None => {
                        self.content(depth + 1)?;
                    }
                }
            }
            if desc.flags & SC_WRITE_METHOD != 0 {
                self.annotation(depth)?;
            }
        }
        Ok(())
    }
}

/// Bytes of a primitive field or array element; `None` for objects.
fn primitive_size(code: u8) -> Option<u64> {
    match code {
        b'B' | b'Z' => Some(1),
        b'C' | b'S' => Some(2),
        b'I' | b'F' => Some(4),
        b'J' | b'D' => Some(8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_of_one_string_spans_its_bytes() {
        let stream = [0xac, 0xed, 0x00, 0x05, TC_STRING, 0x00, 0x02, b'h', b'i', 0xff];
        assert_eq!(stream_len(&stream), Ok(9));
    }

    #[test]
    fn a_reference_to_an_undefined_handle_is_refused() {
        let stream = [0xac, 0xed, 0x00, 0x05, TC_REFERENCE, 0x00, 0x7e, 0x00, 0x09];
        assert!(stream_len(&stream).is_err());
    }

    #[test]
    fn nesting_beyond_the_depth_limit_is_refused() {
        // Arrays of arrays: TC_ARRAY, TC_CLASSDESC "[L" ..., count 1, then again.
        let mut stream = vec![0xac, 0xed, 0x00, 0x05];
        let desc = [
            TC_CLASSDESC,
            0,
            2,
            b'[',
            b'L',
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            SC_SERIALIZABLE,
            0,
            0,
            TC_ENDBLOCKDATA,
            TC_NULL,
        ];
        for _ in 0..40 {
            stream.push(TC_ARRAY);
            stream.extend_from_slice(&desc);
            stream.extend_from_slice(&[0, 0, 0, 1]);
        }
        stream.push(TC_NULL);
        assert_eq!(
            stream_len(&stream),
            Err("the serialized secret key nests too deeply")
        );
    }
}
