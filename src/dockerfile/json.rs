//! The corpus oracle JSON (`buildkit/FORMAT.md` §3): one object per file with `ok`, `dump`,
//! `escape_token`, `warnings`, `directives` and per-instruction `cmd`, `flags`, `args`,
//! `json`, `sub`, `heredocs`, lines, `original` and `prev_comment`; or the error object.
//! Strings that are not valid UTF-8 become `{"base64": "…"}`. Keys come out in the
//! oracle's order. It only formats; parsing is done by `parse`.

use super::directives::detect_all;
use super::dump::dump;
use super::node::{Directive, Directives, Node, ParseError, ParseResult};
use serde::Serialize;

/// A string as the oracle writes it.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum JStr {
    Text(String),
    Bytes { base64: String },
}

impl JStr {
    pub fn from_bytes(b: &[u8]) -> Self {
        match std::str::from_utf8(b) {
            Ok(s) => JStr::Text(s.to_owned()),
            Err(_) => JStr::Bytes { base64: base64(b) },
        }
    }
}

/// Standard base64 with padding.
pub fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                out.push(T[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JWarning {
    short: JStr,
    line: usize,
}

#[derive(Serialize)]
struct JHeredoc {
    name: JStr,
    fd: u64,
    expand: bool,
    chomp: bool,
    content: JStr,
}

#[derive(Serialize)]
struct JInstruction {
    cmd: JStr,
    flags: Vec<JStr>,
    args: Vec<JStr>,
    json: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<Box<JInstruction>>,
    heredocs: Vec<JHeredoc>,
    start_line: usize,
    end_line: usize,
    original: JStr,
    prev_comment: Vec<JStr>,
}

#[derive(Serialize)]
struct JDirective {
    found: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cmdline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Serialize)]
struct JDirectives {
    check: JDirective,
    escape: JDirective,
    syntax: JDirective,
}

#[derive(Serialize)]
struct JOk {
    file: String,
    ok: bool,
    dump: String,
    escape_token: String,
    warnings: Vec<JWarning>,
    instructions: Vec<JInstruction>,
    directives: JDirectives,
}

#[derive(Serialize)]
struct JErr {
    file: String,
    ok: bool,
    error: String,
    error_lines: Vec<[usize; 2]>,
    warnings: Vec<JWarning>,
    instructions: Vec<JInstruction>,
    directives: JDirectives,
}

fn instruction(n: &Node) -> JInstruction {
    JInstruction {
        cmd: JStr::from_bytes(&n.keyword),
        flags: n.flags.iter().map(|f| JStr::from_bytes(f)).collect(),
        args: n.args.iter().map(|f| JStr::from_bytes(f)).collect(),
        json: n.json,
        sub: n.sub.as_ref().map(|s| Box::new(instruction(s))),
        heredocs: n
            .heredocs
            .iter()
            .map(|h| JHeredoc {
                name: JStr::Text(h.name.clone()),
                fd: h.fd,
                expand: h.expand,
                chomp: h.chomp,
                content: JStr::from_bytes(&h.content),
            })
            .collect(),
        start_line: n.span.start_line,
        end_line: n.span.end_line,
        original: JStr::from_bytes(&n.original),
        prev_comment: n.prev_comment.iter().map(|c| JStr::from_bytes(c)).collect(),
    }
}

fn directive(d: &Option<Directive>) -> JDirective {
    match d {
        Some(d) => JDirective {
            found: true,
            value: Some(d.value.clone()),
            cmdline: Some(d.cmdline.clone()),
            line: d.line,
        },
        None => JDirective {
            found: false,
            value: None,
            cmdline: None,
            line: None,
        },
    }
}

fn directives(d: &Directives) -> JDirectives {
    JDirectives {
        check: directive(&d.check),
        escape: directive(&d.escape),
        syntax: directive(&d.syntax),
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Out {
    Ok(JOk),
    Err(JErr),
}

fn build(file: &str, input: &[u8], outcome: &Result<ParseResult, ParseError>) -> Out {
    match outcome {
        Ok(r) => Out::Ok(JOk {
            file: file.to_string(),
            ok: true,
            dump: dump(r),
            escape_token: (r.escape_token as char).to_string(),
            warnings: r
                .warnings
                .iter()
                .map(|w| JWarning {
                    short: JStr::from_bytes(&w.short),
                    line: w.line,
                })
                .collect(),
            instructions: r.nodes.iter().map(instruction).collect(),
            directives: directives(&r.directives),
        }),
        Err(e) => Out::Err(JErr {
            file: file.to_string(),
            ok: false,
            error: e.message.clone(),
            error_lines: e.line_ranges(),
            warnings: vec![],
            instructions: vec![],
            directives: directives(&detect_all(input)),
        }),
    }
}

/// The oracle object for a parse outcome (`input` is needed for the directives of a failure).
pub fn oracle_value(
    file: &str,
    input: &[u8],
    outcome: &Result<ParseResult, ParseError>,
) -> serde_json::Value {
    serde_json::to_value(build(file, input, outcome)).unwrap_or(serde_json::Value::Null)
}

/// The oracle object serialised on one line, keys in the oracle's order.
pub fn oracle_json(file: &str, input: &[u8], outcome: &Result<ParseResult, ParseError>) -> String {
    serde_json::to_string(&build(file, input, outcome)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn b64() {
        assert_eq!(super::base64(b"\xff\x00a"), "/wBh");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"a"), "YQ==");
    }
}
