//! Byte-string helpers that behave exactly like the Go standard-library functions BuildKit
//! calls: UTF-8 decoding that turns each invalid byte into U+FFFD (`utf8.DecodeRune`),
//! `unicode.IsSpace`, `strings.TrimSpace`, `strings.ToLower` and `strconv.Quote`.
//!
//! It does no parsing of its own; the parser and the dump use these so that invalid UTF-8,
//! non-ASCII whitespace and non-printable characters come out as they do in Go.

/// Decode one rune at the start of `b` like Go's `utf8.DecodeRune`: `(Some(c), len)` for a
/// valid sequence, `(None, 1)` for an invalid byte (Go's `RuneError` of width 1).
/// `b` must not be empty.
pub fn decode_rune(b: &[u8]) -> (Option<char>, usize) {
    let lead = b[0];
    if lead < 0x80 {
        return (Some(lead as char), 1);
    }
    let n = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (None, 1),
    };
    if b.len() < n {
        return (None, 1);
    }
    match std::str::from_utf8(&b[..n]) {
        Ok(s) => (s.chars().next(), n),
        Err(_) => (None, 1),
    }
}

/// Iterate over `(char, byte_len)` pairs, invalid bytes yielding U+FFFD with length 1.
pub fn runes(b: &[u8]) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= b.len() {
            return None;
        }
        let (c, n) = decode_rune(&b[pos..]);
        pos += n;
        Some((c.unwrap_or('\u{FFFD}'), n))
    })
}

/// Go's `string(bytes)` followed by ranging over runes and re-encoding: every invalid byte
/// becomes U+FFFD. Valid input is returned unchanged.
pub fn lossy(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => runes(b).map(|(c, _)| c).collect(),
    }
}

/// Go's `unicode.IsSpace`.
pub fn is_space(c: char) -> bool {
    // Go's list equals the Unicode White_Space property, which is what Rust implements.
    c.is_whitespace()
}

/// Go's `unicode.IsSpace(rune(b))` for a single byte taken as a Latin-1 rune (BuildKit's
/// flag scanner and HEALTHCHECK splitter do this).
pub fn is_space_byte_rune(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// Width of a Unicode-space rune that starts `b`, if any.
fn leading_space_width(b: &[u8]) -> Option<usize> {
    if b.is_empty() {
        return None;
    }
    match decode_rune(b) {
        (Some(c), n) if is_space(c) => Some(n),
        _ => None,
    }
}

/// Width of a Unicode-space rune that ends `b` (as Go's `utf8.DecodeLastRune` sees it).
fn trailing_space_width(b: &[u8]) -> Option<usize> {
    let last = *b.last()?;
    if last < 0x80 {
        return is_space(last as char).then_some(1);
    }
    // Go steps back over at most three continuation bytes to a rune start, then decodes.
    let end = b.len();
    let lim = end.saturating_sub(4);
    let mut start = end - 1;
    while start > lim && (b[start] & 0xC0) == 0x80 {
        start -= 1;
    }
    match decode_rune(&b[start..end]) {
        (Some(c), n) if start + n == end && is_space(c) => Some(n),
        _ => None,
    }
}

/// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`.
pub fn trim_left_space(mut b: &[u8]) -> &[u8] {
    while let Some(n) = leading_space_width(b) {
        b = &b[n..];
    }
    b
}

/// Go's `strings.TrimRightFunc(s, unicode.IsSpace)`.
pub fn trim_right_space(mut b: &[u8]) -> &[u8] {
    while let Some(n) = trailing_space_width(b) {
        b = &b[..b.len() - n];
    }
    b
}

/// Go's `strings.TrimSpace`.
pub fn trim_space(b: &[u8]) -> &[u8] {
    trim_right_space(trim_left_space(b))
}

/// Go's `strings.ToLower` (per-rune `unicode.ToLower`, invalid bytes become U+FFFD).
pub fn to_lower(b: &[u8]) -> String {
    if b.is_ascii() {
        return String::from_utf8_lossy(b).to_ascii_lowercase();
    }
    let mut out = String::with_capacity(b.len());
    for (c, _) in runes(b) {
        out.push(lower_rune(c));
    }
    out
}

/// Go's `unicode.ToLower` for one rune (always exactly one rune out).
pub fn lower_rune(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Go's `unicode.IsPrint`: categories L, M, N, P, S and the ASCII space. Rust's
/// `escape_debug` leaves exactly those unescaped (for a non-leading character, so that
/// combining marks are not escaped), which is used here.
pub fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let mut buf = [0u8; 8];
    buf[0] = b'a';
    let s = c.encode_utf8(&mut buf[1..]).len() + 1;
    let text = std::str::from_utf8(&buf[..s]).unwrap_or("");
    let mut esc = text.escape_debug();
    esc.next() == Some('a') && esc.next() == Some(c) && esc.next().is_none()
}

/// Go's `strconv.Quote` over a byte string (invalid bytes print as `\xNN`).
pub fn quote(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    quote_into(&mut out, b);
    out
}

/// Append Go's `strconv.Quote(b)` to `out`.
pub fn quote_into(out: &mut String, b: &[u8]) {
    use std::fmt::Write;
    out.push('"');
    let mut pos = 0;
    while pos < b.len() {
        let (c, n) = decode_rune(&b[pos..]);
        match c {
            None => {
                let _ = write!(out, "\\x{:02x}", b[pos]);
            }
            Some(c) => match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if is_print(c) => out.push(c),
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{b}' => out.push_str("\\v"),
                c if (c as u32) < 0x20 || c as u32 == 0x7F => {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                }
                c if (c as u32) < 0x10000 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            },
        }
        pos += n;
    }
    out.push('"');
}

/// Find `needle` in `hay` (byte substring search).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// Position of the first occurrence of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = match needle.split_first() {
        Some(x) => x,
        None => return Some(0),
    };
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start).find(|&i| hay[i] == first && &hay[i + 1..i + needle.len()] == rest)
}

/// Is `b` one of BuildKit's `[\t\v\f\r ]` argument separators?
pub fn is_arg_ws(b: u8) -> bool {
    matches!(b, b'\t' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Go's `regexp.MustCompile("[\t\v\f\r ]+").Split(s, n)` (n = -1 for all).
pub fn split_ws(s: &[u8], n: isize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    if s.is_empty() {
        out.push(s);
        return out;
    }
    let mut beg = 0;
    let mut end = 0;
    let mut i = 0;
    while i < s.len() {
        if is_arg_ws(s[i]) {
            let mstart = i;
            while i < s.len() && is_arg_ws(s[i]) {
                i += 1;
            }
            if n > 0 && out.len() as isize == n - 1 {
                break;
            }
            end = mstart;
            if i != 0 {
                out.push(&s[beg..end]);
            }
            beg = i;
        } else {
            i += 1;
        }
    }
    if end != s.len() {
        out.push(&s[beg..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(quote(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote(b"\x00\x07\x7f"), r#""\x00\a\x7f""#);
        assert_eq!(quote("♥ 한국어".as_bytes()), "\"♥ 한국어\"");
        assert_eq!(quote(b"\xff"), r#""\xff""#);
        assert_eq!(quote("\u{a0}\u{200b}".as_bytes()), r#""\u00a0\u200b""#);
        assert_eq!(quote("e\u{301}".as_bytes()), "\"e\u{301}\"");
    }

    #[test]
    fn trim_and_split() {
        assert_eq!(trim_space(" \u{a0}x\u{85} ".as_bytes()), b"x");
        assert_eq!(trim_space(b"\xe2 x \xe2"), b"\xe2 x \xe2");
        assert_eq!(split_ws(b"a  b\tc", -1), vec![&b"a"[..], b"b", b"c"]);
        assert_eq!(split_ws(b"a  b\tc", 2), vec![&b"a"[..], b"b\tc"]);
        assert_eq!(split_ws(b"a ", -1), vec![&b"a"[..], b""]);
        assert_eq!(to_lower("FROM\u{130}".as_bytes()), "fromi");
    }
}
