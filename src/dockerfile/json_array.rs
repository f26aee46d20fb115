//! Exec-form detection: BuildKit's `parseJSON`, which runs Go's `encoding/json` on the
//! argument text. Reproduces Go's validity rules (nesting limit 10000, control characters,
//! escapes), its string decoding (invalid UTF-8 bytes and lone surrogates become U+FFFD) and
//! its outcome: exec form, the hard "strings only" error, or a silent fall-back to shell form.
//!
//! Iterative, so deep nesting cannot overflow the stack. It does not build a JSON tree.

use super::gotext::{decode_rune, trim_left_space};

/// What BuildKit makes of an argument text that might be a JSON array.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonArray {
    /// A valid array of strings (exec form), decoded.
    Strings(Vec<Vec<u8>>),
    /// A valid array with a non-string element: a hard parse error.
    NotStrings,
    /// Anything else: use shell form.
    NotJson,
}

const MAX_DEPTH: usize = 10000;

/// Classify `rest` as BuildKit's `parseJSON` does.
pub fn parse_json_array(rest: &[u8]) -> JsonArray {
    let b = trim_left_space(rest);
    if b.first() != Some(&b'[') {
        return JsonArray::NotJson;
    }
    match scan(b) {
        Some(Scan {
            elems,
            non_string,
            overflow,
        }) => {
            if overflow {
                JsonArray::NotJson
            } else if non_string {
                JsonArray::NotStrings
            } else {
                JsonArray::Strings(elems)
            }
        }
        None => JsonArray::NotJson,
    }
}

struct Scan {
    elems: Vec<Vec<u8>>,
    non_string: bool,
    overflow: bool,
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && matches!(b[pos], b' ' | b'\t' | b'\r' | b'\n') {
        pos += 1;
    }
    pos
}

/// Validate the whole input as one JSON value; `None` when Go would report a syntax error.
fn scan(b: &[u8]) -> Option<Scan> {
    let mut stack: Vec<u8> = Vec::new();
    let mut out = Scan {
        elems: Vec::new(),
        non_string: false,
        overflow: false,
    };
    let mut pos = 0;
    let mut want_value = true;
    loop {
        pos = skip_ws(b, pos);
        if want_value {
            let top_elem = stack.len() == 1 && stack[0] == b'[';
            let c = *b.get(pos)?;
            if top_elem && c != b'"' {
                out.non_string = true;
            }
            match c {
                b'[' | b'{' => {
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    stack.push(c);
                    pos = skip_ws(b, pos + 1);
                    let close = if c == b'[' { b']' } else { b'}' };
                    if b.get(pos) == Some(&close) {
                        stack.pop();
                        pos += 1;
                        want_value = false;
                    } else if c == b'{' {
                        pos = object_key(b, pos)?;
                    }
                }
                b'"' => {
                    let (s, np) = string(b, pos, top_elem)?;
                    if let Some(s) = s {
                        out.elems.push(s);
                    }
                    pos = np;
                    want_value = false;
                }
                b't' => pos = literal(b, pos, b"true")?,
                b'f' => pos = literal(b, pos, b"false")?,
                b'n' => pos = literal(b, pos, b"null")?,
                b'-' | b'0'..=b'9' => {
                    let np = number(b, pos)?;
                    let text = std::str::from_utf8(&b[pos..np]).ok()?;
                    if text.parse::<f64>().map(|f| f.is_infinite()).unwrap_or(true) {
                        out.overflow = true;
                    }
                    pos = np;
                }
                _ => return None,
            }
            if matches!(c, b't' | b'f' | b'n' | b'-' | b'0'..=b'9') {
                want_value = false;
            }
        } else {
            let Some(&top) = stack.last() else {
                return (pos == b.len()).then_some(out);
            };
            match (top, *b.get(pos)?) {
                (_, b',') => {
                    pos += 1;
                    if top == b'{' {
                        pos = object_key(b, skip_ws(b, pos))?;
                    }
                    want_value = true;
                }
                (b'[', b']') | (b'{', b'}') => {
                    stack.pop();
                    pos += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Parse `"key"` then `:`; returns the position after the colon.
fn object_key(b: &[u8], pos: usize) -> Option<usize> {
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let (_, np) = string(b, pos, false)?;
    let np = skip_ws(b, np);
    if b.get(np) != Some(&b':') {
        return None;
    }
    Some(np + 1)
}

fn literal(b: &[u8], pos: usize, word: &[u8]) -> Option<usize> {
    (b.get(pos..pos + word.len())? == word).then_some(pos + word.len())
}

fn digits(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    pos
}

fn number(b: &[u8], mut pos: usize) -> Option<usize> {
    if b.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match b.get(pos)? {
        b'0' => pos += 1,
        b'1'..=b'9' => pos = digits(b, pos),
        _ => return None,
    }
    if b.get(pos) == Some(&b'.') {
        let np = digits(b, pos + 1);
        if np == pos + 1 {
            return None;
        }
        pos = np;
    }
    if matches!(b.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(b.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let np = digits(b, pos);
        if np == pos {
            return None;
        }
        pos = np;
    }
    Some(pos)
}

fn hex4(b: &[u8], pos: usize) -> Option<u32> {
    let h = b.get(pos..pos + 4)?;
    let s = std::str::from_utf8(h).ok()?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Scan a JSON string starting at the opening quote; decode it when `decode` is set.
fn string(b: &[u8], start: usize, decode: bool) -> Option<(Option<Vec<u8>>, usize)> {
    let mut pos = start + 1;
    let mut out = Vec::new();
    loop {
        let c = *b.get(pos)?;
        match c {
            b'"' => return Some((decode.then_some(out), pos + 1)),
            0..=0x1F => return None,
            b'\\' => {
                let e = *b.get(pos + 1)?;
                let simple = match e {
                    b'"' => Some(b'"'),
                    b'\\' => Some(b'\\'),
                    b'/' => Some(b'/'),
                    b'b' => Some(8),
                    b'f' => Some(12),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'u' => None,
                    _ => return None,
                };
                if let Some(s) = simple {
                    out.push(s);
                    pos += 2;
                    continue;
                }
                let r = hex4(b, pos + 2)?;
                pos += 6;
                let ch = if (0xD800..0xE000).contains(&r) {
                    let pair = if b.get(pos) == Some(&b'\\') && b.get(pos + 1) == Some(&b'u') {
                        hex4(b, pos + 2)
                    } else {
                        None
                    };
                    match pair {
                        Some(r2)
                            if (0xD800..0xDC00).contains(&r) && (0xDC00..0xE000).contains(&r2) =>
                        {
                            pos += 6;
                            char::from_u32(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00))
                                .unwrap_or('\u{FFFD}')
                        }
                        _ => '\u{FFFD}',
                    }
                } else {
                    char::from_u32(r).unwrap_or('\u{FFFD}')
                };
                push_char(&mut out, ch);
            }
            0x20..=0x7F => {
                out.push(c);
                pos += 1;
            }
            _ => {
                let (ch, n) = decode_rune(&b[pos..]);
                match ch {
                    Some(_) => out.extend_from_slice(&b[pos..pos + n]),
                    None => push_char(&mut out, '\u{FFFD}'),
                }
                pos += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes() {
        assert_eq!(
            parse_json_array(b" [\"a\", \"b\"] "),
            JsonArray::Strings(vec![b"a".to_vec(), b"b".to_vec()])
        );
        assert_eq!(parse_json_array(b"[\"a\", [\"b\"]]"), JsonArray::NotStrings);
        assert_eq!(parse_json_array(b"[\"a\", 1e999]"), JsonArray::NotJson);
        assert_eq!(parse_json_array(b"['a']"), JsonArray::NotJson);
        assert_eq!(parse_json_array(b"[\"a\",]"), JsonArray::NotJson);
        assert_eq!(
            parse_json_array(b"[\"\\ud800x\xff\"]"),
            JsonArray::Strings(vec!["\u{FFFD}x\u{FFFD}".as_bytes().to_vec()])
        );
        let deep = "[".repeat(20000);
        assert_eq!(parse_json_array(deep.as_bytes()), JsonArray::NotJson);
    }
}
