//! Turning one joined logical line into a [`Node`]: BuildKit's `splitCommand`,
//! `extractBuilderFlags`, the per-instruction argument parsers (`parseMaybeJSON`,
//! `parseNameVal`, `parseWords`, `parseHealthConfig`, …) and ONBUILD recursion.
//!
//! Permissive like BuildKit's parser: unknown keywords and unknown flags are kept; the
//! instruction layer judges them. It does not read lines or heredoc bodies.

use super::gotext::{
    decode_rune, is_space, is_space_byte_rune, quote, split_ws, to_lower, trim_space,
};
use super::json_array::{parse_json_array, JsonArray};
use super::node::{Node, Span};

/// Error text of a JSON array with a non-string element.
pub const ERR_NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Maximum ONBUILD nesting followed (BuildKit recurses without limit; deeper nesting is
/// rejected here so that no input can exhaust the stack).
const MAX_ONBUILD_DEPTH: usize = 64;

/// Arguments as parsed for one instruction.
struct Parsed {
    args: Vec<Vec<u8>>,
    json: bool,
    sub: Option<Box<Node>>,
}

impl Parsed {
    fn list(args: Vec<Vec<u8>>) -> Self {
        Parsed {
            args,
            json: false,
            sub: None,
        }
    }
}

/// BuildKit's `newNodeFromLine`.
pub fn node_from_line(line: &[u8], escape: u8, comments: Vec<Vec<u8>>) -> Result<Node, String> {
    node_from_line_depth(line, escape, comments, 0)
}

fn node_from_line_depth(
    line: &[u8],
    escape: u8,
    comments: Vec<Vec<u8>>,
    depth: usize,
) -> Result<Node, String> {
    let (cmd, flags, args) = split_command(line, escape);
    let parsed = match to_lower(cmd).as_str() {
        "add" | "copy" | "volume" => parse_maybe_json_to_list(args)?,
        "arg" => Parsed::list(parse_words(args, escape)),
        "cmd" | "entrypoint" | "run" | "shell" => parse_maybe_json(args)?,
        "env" => parse_name_val(args, "ENV", escape)?,
        "label" => parse_name_val(args, "LABEL", escape)?,
        "expose" | "from" => Parsed::list(whitespace_delimited(args)),
        "healthcheck" => parse_health_config(args)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => Parsed::list(if args.is_empty() {
            vec![]
        } else {
            vec![args.to_vec()]
        }),
        "onbuild" => {
            if args.is_empty() {
                Parsed::list(vec![])
            } else {
                if depth >= MAX_ONBUILD_DEPTH {
                    return Err("ONBUILD nested too deeply".into());
                }
                let child = node_from_line_depth(args, escape, Vec::new(), depth + 1)?;
                Parsed {
                    args: vec![],
                    json: false,
                    sub: Some(Box::new(child)),
                }
            }
        }
        _ => Parsed::list(vec![Vec::new()]),
    };
    Ok(Node {
        keyword: cmd.to_vec(),
        flags,
        args: parsed.args,
        json: parsed.json,
        sub: parsed.sub,
        heredocs: Vec::new(),
        original: line.to_vec(),
        prev_comment: comments,
        span: Span::default(),
    })
}

/// `splitCommand`: keyword, flags, trimmed rest.
pub fn split_command(line: &[u8], escape: u8) -> (&[u8], Vec<Vec<u8>>, &[u8]) {
    let parts = split_ws(trim_space(line), 2);
    let cmd = parts[0];
    if parts.len() < 2 {
        return (cmd, Vec::new(), b"");
    }
    let (rest, flags) = extract_builder_flags(parts[1], escape);
    (cmd, flags, trim_space(rest))
}

fn push_latin1(word: &mut Vec<u8>, b: u8) {
    if b < 0x80 {
        word.push(b);
    } else {
        word.push(0xC0 | (b >> 6));
        word.push(0x80 | (b & 0x3F));
    }
}

/// `extractBuilderFlags`: leading `--words`, scanned byte by byte (each byte taken as a
/// Latin-1 rune, as BuildKit does).
pub fn extract_builder_flags(line: &[u8], escape: u8) -> (&[u8], Vec<Vec<u8>>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word: Vec<u8> = Vec::new();
    let mut quote_ch = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    let n = line.len();
    while pos <= n {
        let ch = if pos < n { line[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if is_space_byte_rune(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == n || line[pos + 1] != b'-' {
                return (&line[pos..], words);
            }
            phase = Phase::Word;
        }
        if pos == n {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte_rune(ch) {
                phase = Phase::Spaces;
                if word == b"--" {
                    return (&line[pos..], words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote_ch = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == escape {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = line[pos];
            }
            push_latin1(&mut word, c);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote_ch {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if ch == escape {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = line[pos];
        }
        push_latin1(&mut word, c);
        pos += 1;
    }
    (b"", words)
}

/// `parseStringsWhitespaceDelimited`.
fn whitespace_delimited(rest: &[u8]) -> Vec<Vec<u8>> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_ws(rest, -1).into_iter().map(<[u8]>::to_vec).collect()
}

/// `parseMaybeJSON`: exec form, or the whole rest as one string.
fn parse_maybe_json(rest: &[u8]) -> Result<Parsed, String> {
    if rest.is_empty() {
        return Ok(Parsed::list(vec![]));
    }
    match parse_json_array(rest) {
        JsonArray::Strings(v) => Ok(Parsed {
            args: v,
            json: true,
            sub: None,
        }),
        JsonArray::NotStrings => Err(ERR_NOT_STRING_ARRAY.into()),
        JsonArray::NotJson => Ok(Parsed::list(vec![rest.to_vec()])),
    }
}

/// `parseMaybeJSONToList`: exec form, or whitespace-split words.
fn parse_maybe_json_to_list(rest: &[u8]) -> Result<Parsed, String> {
    match parse_json_array(rest) {
        JsonArray::Strings(v) => Ok(Parsed {
            args: v,
            json: true,
            sub: None,
        }),
        JsonArray::NotStrings => Err(ERR_NOT_STRING_ARRAY.into()),
        JsonArray::NotJson => Ok(Parsed::list(whitespace_delimited(rest))),
    }
}

/// `parseHealthConfig`: type word, then the rest as for CMD.
fn parse_health_config(rest: &[u8]) -> Result<Parsed, String> {
    let sep = rest
        .iter()
        .position(|&b| is_space_byte_rune(b))
        .unwrap_or(rest.len());
    let mut next = sep;
    while next < rest.len() && is_space_byte_rune(rest[next]) {
        next += 1;
    }
    if sep == 0 {
        return Ok(Parsed::list(vec![]));
    }
    let mut cmd = parse_maybe_json(&rest[next..])?;
    cmd.args.insert(0, rest[..sep].to_vec());
    Ok(cmd)
}

/// `parseWords`: the quote-aware splitter of ENV, LABEL and ARG (quotes and escapes kept,
/// invalid UTF-8 bytes become U+FFFD).
pub fn parse_words(rest: &[u8], escape: u8) -> Vec<Vec<u8>> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let esc = escape as char;
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote_ch = '\0';
    let mut blank_ok = false;
    let mut ch = '\0';
    let mut width = 0;
    let mut pos = 0;
    let n = rest.len();
    let decode = |p: usize| -> (char, usize) {
        let (c, w) = decode_rune(&rest[p..]);
        (c.unwrap_or('\u{FFFD}'), w)
    };
    while pos <= n {
        if pos != n {
            (ch, width) = decode(pos);
        }
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if is_space(ch) {
                pos += width;
                continue;
            }
            phase = Phase::Word;
        }
        if pos == n {
            if blank_ok || !word.is_empty() {
                words.push(std::mem::take(&mut word).into_bytes());
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word).into_bytes());
                }
                blank_ok = false;
                pos += width;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote_ch = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == esc {
                if pos + width == n {
                    pos += width;
                    continue;
                }
                word.push(ch);
                pos += width;
                (ch, width) = decode(pos);
            }
            word.push(ch);
            pos += width;
            continue;
        }
        // Phase::Quote
        if ch == quote_ch {
            phase = Phase::Word;
        }
        if ch == esc && quote_ch != '\'' {
            if pos + width == n {
                phase = Phase::Word;
                pos += width;
                continue;
            }
            pos += width;
            word.push(ch);
            (ch, width) = decode(pos);
        }
        word.push(ch);
        pos += width;
    }
    words
}

/// `parseNameVal` for ENV and LABEL: `key value sep` triples.
fn parse_name_val(rest: &[u8], key: &str, escape: u8) -> Result<Parsed, String> {
    let words = parse_words(rest, escape);
    if words.is_empty() {
        return Ok(Parsed::list(vec![]));
    }
    if !words[0].contains(&b'=') {
        let parts = split_ws(rest, 2);
        if parts.len() < 2 {
            return Err(format!("{key} must have two arguments"));
        }
        return Ok(Parsed::list(vec![
            parts[0].to_vec(),
            parts[1].to_vec(),
            Vec::new(),
        ]));
    }
    let mut args = Vec::with_capacity(words.len() * 3);
    for w in words {
        let Some(eq) = w.iter().position(|&b| b == b'=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                quote(&w)
            ));
        };
        args.push(w[..eq].to_vec());
        args.push(w[eq + 1..].to_vec());
        args.push(b"=".to_vec());
    }
    Ok(Parsed::list(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let (rest, f) = extract_builder_flags(b"--a=\"x y\" --b -- c d", b'\\');
        assert_eq!(f, vec![b"--a=x y".to_vec(), b"--b".to_vec()]);
        assert_eq!(trim_space(rest), b"c d");
        let (_, f) = extract_builder_flags("--c=é x".as_bytes(), b'\\');
        assert_eq!(f, vec!["--c=Ã©".as_bytes().to_vec()]);
    }

    #[test]
    fn words() {
        let w = parse_words(b"a\\ b \"c d\" 'e\\' f", b'\\');
        assert_eq!(
            w,
            vec![
                b"a\\ b".to_vec(),
                b"\"c d\"".to_vec(),
                b"'e\\'".to_vec(),
                b"f".to_vec()
            ]
        );
    }
}
