//! The primitives of layerscope's compact binary messages (between the archive workers, and
//! from a worker to the page): LEB128 integers (zigzag for signed ones), length-prefixed bytes
//! and UTF-8 strings, flags, little-endian f64, and a string table for repeated strings. The
//! [`Reader`] checks every length against the bytes left, so bad or truncated input is a
//! [`WireError`] naming the byte offset, never a panic or a huge allocation. It defines no
//! message: `viewmodel::explore::wire` and `archive::scan_wire` do.

use std::collections::HashMap;

/// Why bytes could not be decoded: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub offset: usize,
    pub expected: &'static str,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the worker's message is malformed at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

pub struct Writer {
    pub out: Vec<u8>,
    /// String table: each distinct string gets the next number when first written.
    table: HashMap<String, u64>,
}

impl Writer {
    pub fn uint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.out.push(b);
                return;
            }
            self.out.push(b | 0x80);
        }
    }
    pub fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.out.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub fn opt_uint(&mut self, v: Option<u64>) {
        match v {
            None => self.out.push(0),
            Some(n) => {
                self.out.push(1);
                self.uint(n);
            }
        }
    }
    pub fn f64(&mut self, v: f64) {
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    pub fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.out.push(0),
            Some(x) => {
                self.out.push(1);
                self.f64(x);
            }
        }
    }
    /// A table string: its number, then (the first time only) its text. Number 0 is "none".
    pub fn interned(&mut self, s: Option<&str>) {
        let Some(s) = s else {
            self.uint(0);
            return;
        };
        match self.table.get(s) {
            Some(&n) => self.uint(n),
            None => {
                let n = self.table.len() as u64 + 1;
                self.table.insert(s.to_string(), n);
                self.uint(n);
                self.str(s);
            }
        }
    }
    pub fn strings(&mut self, v: &[String]) {
        self.uint(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }
}

pub struct Reader<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    table: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn fail<T>(&self, expected: &'static str) -> Result<T, WireError> {
        Err(WireError {
            offset: self.pos,
            expected,
        })
    }
    pub fn uint(&mut self) -> Result<u64, WireError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.data.get(self.pos) else {
                return self.fail("an integer");
            };
            self.pos += 1;
            let part = (b & 0x7f) as u64;
            if shift == 63 && part > 1 {
                return self.fail("an integer of at most 64 bits");
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.fail("an integer of at most 10 bytes")
    }
    pub fn u32(&mut self) -> Result<u32, WireError> {
        let v = self.uint()?;
        u32::try_from(v).or_else(|_| self.fail("an integer of at most 32 bits"))
    }
    pub fn usize(&mut self) -> Result<usize, WireError> {
        let v = self.uint()?;
        usize::try_from(v).or_else(|_| self.fail("a count that fits in memory"))
    }
    pub fn int(&mut self) -> Result<i64, WireError> {
        let v = self.uint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
    /// An unsigned integer that must fit in `T`; else an error at its first byte saying
    /// `expected`.
    pub fn uint_as<T: TryFrom<u64>>(&mut self, expected: &'static str) -> Result<T, WireError> {
        let at = self.pos;
        T::try_from(self.uint()?).map_err(|_| WireError {
            offset: at,
            expected,
        })
    }
    /// A signed integer that must fit in `T`; else an error at its first byte saying `expected`.
    pub fn int_as<T: TryFrom<i64>>(&mut self, expected: &'static str) -> Result<T, WireError> {
        let at = self.pos;
        T::try_from(self.int()?).map_err(|_| WireError {
            offset: at,
            expected,
        })
    }
    /// A count of items each taking at least one byte: never more than the bytes left.
    pub fn count(&mut self) -> Result<usize, WireError> {
        let n = self.usize()?;
        if n > self.data.len() - self.pos {
            return self.fail("a count no larger than the bytes left");
        }
        Ok(n)
    }
    pub fn raw(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.data.len() - self.pos {
            return self.fail("as many bytes as the length says");
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn str(&mut self) -> Result<String, WireError> {
        let n = self.usize()?;
        let at = self.pos;
        let b = self.raw(n)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(WireError {
                offset: at,
                expected: "UTF-8 text",
            }),
        }
    }
    pub fn strings(&mut self) -> Result<Vec<String>, WireError> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }
    pub fn opt_uint(&mut self) -> Result<Option<usize>, WireError> {
        if self.flag()? {
            Ok(Some(self.usize()?))
        } else {
            Ok(None)
        }
    }
    pub fn flag(&mut self) -> Result<bool, WireError> {
        match self.raw(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => {
                self.pos -= 1;
                self.fail("0 or 1")
            }
        }
    }
    pub fn f64(&mut self) -> Result<f64, WireError> {
        let b = self.raw(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_bits(u64::from_le_bytes(a)))
    }
    pub fn opt_f64(&mut self) -> Result<Option<f64>, WireError> {
        if self.flag()? {
            Ok(Some(self.f64()?))
        } else {
            Ok(None)
        }
    }
    pub fn interned(&mut self) -> Result<Option<String>, WireError> {
        let n = self.usize()?;
        if n == 0 {
            return Ok(None);
        }
        if n <= self.table.len() {
            return Ok(Some(self.table[n - 1].clone()));
        }
        if n != self.table.len() + 1 {
            return self.fail("a string number already defined, or the next one");
        }
        let s = self.str()?;
        self.table.push(s.clone());
        Ok(Some(s))
    }
}

impl Default for Writer {
    fn default() -> Self {
        Writer::with(Vec::new())
    }
}

impl Writer {
    /// A writer whose output starts with `mark`.
    pub fn with_mark(mark: &[u8]) -> Writer {
        Writer::with(mark.to_vec())
    }
    pub fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.out.push(0),
            Some(s) => {
                self.out.push(1);
                self.str(s);
            }
        }
    }
    /// A writer appending to `out`.
    pub fn with(out: Vec<u8>) -> Self {
        Writer {
            out,
            table: HashMap::new(),
        }
    }
}

impl<'a> Reader<'a> {
    /// A reader of `data`, which must start with `mark` (`expected` names it).
    pub fn after_mark(
        data: &'a [u8],
        mark: &[u8],
        expected: &'static str,
    ) -> Result<Reader<'a>, WireError> {
        let mut r = Reader::new(data);
        if r.raw(mark.len()).ok() != Some(mark) {
            return Err(WireError {
                offset: 0,
                expected,
            });
        }
        Ok(r)
    }
    /// Ok when every byte was read.
    pub fn end(&self) -> Result<(), WireError> {
        if self.pos != self.data.len() {
            return self.fail("the end of the message");
        }
        Ok(())
    }
    pub fn opt_str(&mut self) -> Result<Option<String>, WireError> {
        if self.flag()? {
            Ok(Some(self.str()?))
        } else {
            Ok(None)
        }
    }
    /// A reader at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            table: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowed_integers_fit_or_fail_at_their_first_byte() {
        let mut w = Writer::default();
        w.uint(7);
        w.uint(300);
        w.int(-5);
        w.int(i64::from(i32::MAX) + 1);
        let mut r = Reader::new(&w.out);
        assert_eq!(r.uint_as::<u8>("a byte"), Ok(7));
        // 300 takes two bytes from offset 1; the error names the first.
        assert_eq!(
            r.uint_as::<u8>("a byte"),
            Err(WireError {
                offset: 1,
                expected: "a byte"
            })
        );
        assert_eq!(r.int_as::<i32>("an i32"), Ok(-5));
        assert_eq!(
            r.int_as::<i32>("an i32"),
            Err(WireError {
                offset: 4,
                expected: "an i32"
            })
        );
        assert_eq!(r.end(), Ok(()));
    }
}
