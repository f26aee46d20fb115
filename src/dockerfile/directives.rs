//! Parser directives (`# syntax=`, `# escape=`, `# check=`): BuildKit's line-by-line
//! `DirectiveParser` used inside `parse`, and the stand-alone scanners `DetectSyntax` /
//! `ParseDirective` (shebang skip, `//syntax=`, whole-file JSON) whose answers go into
//! [`Directives`]. It does not act on `syntax` or `check`; only `escape` changes parsing.

use super::gotext::lossy;
use super::node::{Directive, Directives};

/// A directive found on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDirective {
    /// Lower-cased key: `syntax`, `escape` or `check`.
    pub name: String,
    /// Value as written (trimmed).
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// BuildKit's `DirectiveParser`: only the unbroken leading block of directive lines counts.
#[derive(Clone, Debug, Default)]
pub struct DirectiveParser {
    line: usize,
    done: bool,
    seen: Vec<String>,
    prefix_slashes: bool,
}

fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// Match `^<prefix>\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go RE2, `\s` = `[\t\n\f\r ]`).
fn match_directive<'a>(line: &'a [u8], prefix: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let mut p = line.strip_prefix(prefix)?;
    while p.first().is_some_and(|&b| is_re_space(b)) {
        p = &p[1..];
    }
    if !p.first()?.is_ascii_alphabetic() {
        return None;
    }
    let klen = p.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let key = &p[..klen];
    let mut r = &p[klen..];
    while r.first().is_some_and(|&b| is_re_space(b)) {
        r = &r[1..];
    }
    r = r.strip_prefix(b"=")?;
    if r.is_empty() {
        return None;
    }
    let lead = r.iter().take_while(|&&b| is_re_space(b)).count();
    if lead == r.len() {
        // `\s*` gives back one blank so that `(.+?)` can match it.
        return Some((key, &r[r.len() - 1..]));
    }
    r = &r[lead..];
    let mut end = r.len();
    while end > 0 && is_re_space(r[end - 1]) {
        end -= 1;
    }
    let val = &r[..end];
    Some((key, val))
}

impl DirectiveParser {
    /// A parser for `#` comments.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_slashes() -> Self {
        DirectiveParser {
            prefix_slashes: true,
            ..Self::default()
        }
    }

    /// Feed one line (without its newline). `Ok(Some)` for a directive, `Err` for a repeated one.
    pub fn parse_line(&mut self, line: &[u8]) -> Result<Option<FoundDirective>, String> {
        self.line += 1;
        if self.done {
            return Ok(None);
        }
        let prefix: &[u8] = if self.prefix_slashes { b"//" } else { b"#" };
        let Some((key, value)) = match_directive(line, prefix) else {
            self.done = true;
            return Ok(None);
        };
        let k = String::from_utf8_lossy(key).to_ascii_lowercase();
        if !matches!(k.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&k) {
            return Err(format!("only one {k} parser directive can be used"));
        }
        self.seen.push(k.clone());
        Ok(Some(FoundDirective {
            name: k,
            value: lossy(value),
            line: self.line,
        }))
    }

    /// Whether the leading block has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

fn lines(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    // bufio.ScanLines: split at '\n', drop one trailing '\r'.
    let mut rest = Some(b);
    std::iter::from_fn(move || {
        let r = rest?;
        if r.is_empty() {
            rest = None;
            return None;
        }
        let (line, next) = match r.iter().position(|&c| c == b'\n') {
            Some(i) => (&r[..i], Some(&r[i + 1..])),
            None => (r, None),
        };
        rest = next;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

fn scan_all(
    data: &[u8],
    mut parser: DirectiveParser,
    key: &str,
    offset: usize,
) -> Option<Directive> {
    for line in lines(data) {
        if parser.is_done() {
            break;
        }
        match parser.parse_line(line) {
            Ok(Some(d)) if d.name == key => {
                let value = d.value.split(' ').next().unwrap_or("").to_string();
                return Some(Directive {
                    value,
                    cmdline: d.value,
                    line: Some(d.line + offset),
                });
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    None
}

/// BuildKit's `ParseDirective(key, data)` (and `DetectSyntax` for `syntax`).
pub fn detect(key: &str, data: &[u8]) -> Option<Directive> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let (body, offset) = if data.starts_with(b"#!") {
        match data.iter().position(|&c| c == b'\n') {
            Some(i) => (&data[i + 1..], 1),
            None => (&data[data.len()..], 1),
        }
    } else {
        (data, 0)
    };
    if let Some(d) = scan_all(body, DirectiveParser::new(), key, offset) {
        return Some(d);
    }
    if key != "syntax" {
        return None;
    }
    if let Some(d) = scan_all(body, DirectiveParser::with_slashes(), key, offset) {
        return Some(d);
    }
    // Whole-file JSON object: {"syntax": "…"}.
    let v: serde_json::Value = serde_json::from_slice(data).ok()?;
    let s = v.as_object()?.get(key)?.as_str()?.to_string();
    Some(Directive {
        value: s.split(' ').next().unwrap_or("").to_string(),
        cmdline: s,
        line: None,
    })
}

/// All three directives, as the oracle reports them.
pub fn detect_all(data: &[u8]) -> Directives {
    Directives {
        syntax: detect("syntax", data),
        escape: detect("escape", data),
        check: detect("check", data),
    }
}
