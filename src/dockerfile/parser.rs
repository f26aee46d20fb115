//! BuildKit's `parser.Parse` loop: bytes → physical lines (64 KiB limit, BOM, `\r\n`),
//! directives, comments (`prev_comment`), line continuation with the escape character,
//! empty-continuation warnings, heredoc bodies, and the node spans.
//!
//! It does not interpret instructions (see `line_parsers` for arguments and `instructions`
//! for typed commands).

use super::directives::{detect_all, DirectiveParser};
use super::gotext::{trim_left_space, trim_space};
use super::heredoc::heredocs_from_line;
use super::line_parsers::node_from_line;
use super::node::{Heredoc, Node, ParseError, ParseResult, Span, Warning};

/// Go's `bufio.MaxScanTokenSize`.
const MAX_TOKEN: usize = 64 * 1024;

/// Physical lines with their trailing newline, like BuildKit's `bufio.Scanner` + `scanLines`.
struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
    too_long: bool,
}

impl<'a> Lines<'a> {
    /// Next line `(offset, bytes incl. '\n')`; `None` at end of input or on a too-long line.
    fn next_line(&mut self) -> Option<(usize, &'a [u8])> {
        if self.too_long || self.pos >= self.data.len() {
            return None;
        }
        let rest = &self.data[self.pos..];
        let len = match rest.iter().position(|&b| b == b'\n') {
            Some(i) if i < MAX_TOKEN => i + 1,
            None if rest.len() < MAX_TOKEN => rest.len(),
            _ => {
                self.too_long = true;
                return None;
            }
        };
        let start = self.pos;
        self.pos += len;
        Some((start, &rest[..len]))
    }
}

struct Escape {
    token: u8,
}

impl Escape {
    /// `trimContinuationCharacter`: `([^E])E[ \t]*$|^E[ \t]*$`.
    fn trim_continuation<'b>(&self, line: &'b [u8]) -> (&'b [u8], bool) {
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        if end == 0 || line[end - 1] != self.token {
            return (line, true);
        }
        let e = end - 1;
        if e == 0 || line[e - 1] != self.token {
            (&line[..e], false)
        } else {
            (line, true)
        }
    }
}

fn trim_newline(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    &b[..end]
}

fn is_comment(line: &[u8]) -> bool {
    trim_left_space(trim_newline(line)).first() == Some(&b'#')
}

fn trim_leading_tabs(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b'\t').count();
    &b[n..]
}

/// State shared by the lines of one parse.
struct State {
    directives: DirectiveParser,
    escape: Escape,
}

impl State {
    /// `processLine`: trim newline (and leading whitespace), feed the directive parser,
    /// drop comment lines. Returns the line and whether it was a directive.
    fn process_line<'b>(
        &mut self,
        token: &'b [u8],
        strip_left: bool,
    ) -> Result<(&'b [u8], bool), String> {
        let mut t = trim_newline(token);
        if strip_left {
            t = trim_left_space(t);
        }
        let found = self.directives.parse_line(t)?;
        let is_directive = found.is_some();
        if let Some(d) = found {
            if d.name == "escape" {
                match d.value.as_str() {
                    "`" => self.escape.token = b'`',
                    "\\" => self.escape.token = b'\\',
                    v => return Err(format!("invalid escape token '{v}' does not match ` or \\")),
                }
            }
        }
        let out = if t.first() == Some(&b'#') { &t[..0] } else { t };
        Ok((out, is_directive))
    }
}

/// Parse a Dockerfile the way BuildKit's `parser.Parse` does.
pub fn parse(input: &[u8]) -> Result<ParseResult, ParseError> {
    let mut lines = Lines {
        data: input,
        pos: 0,
        too_long: false,
    };
    let mut st = State {
        directives: DirectiveParser::new(),
        escape: Escape { token: b'\\' },
    };
    let mut current_line = 0usize;
    let mut nodes: Vec<Node> = Vec::new();
    let mut warnings = Vec::new();
    let mut comments: Vec<Vec<u8>> = Vec::new();

    while let Some((offset, raw)) = lines.next_line() {
        let raw = if current_line == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let (first, is_directive) = st
            .process_line(raw, true)
            .map_err(|e| ParseError::new(e, current_line, 0))?;
        if is_comment(raw) && !is_directive {
            let text = trim_space(&raw[1..]).to_vec();
            if text.is_empty() {
                comments.clear();
            } else {
                comments.push(text);
            }
        }
        current_line += 1;
        let start_line = current_line;
        let (first, mut end_of_line) = st.escape.trim_continuation(first);
        if end_of_line && first.is_empty() {
            continue;
        }
        let mut line = first.to_vec();
        let mut end_byte = offset + raw.len();
        let mut empty_continuation = false;
        while !end_of_line {
            let Some((off, raw)) = lines.next_line() else {
                break;
            };
            let (cont, _) = st
                .process_line(raw, false)
                .map_err(|e| ParseError::new(e, current_line, 0))?;
            current_line += 1;
            end_byte = off + raw.len();
            if is_comment(raw) {
                continue;
            }
            if trim_left_space(cont).is_empty() {
                empty_continuation = true;
                continue;
            }
            let (cont, eol) = st.escape.trim_continuation(cont);
            end_of_line = eol;
            line.extend_from_slice(cont);
        }
        if empty_continuation {
            let mut short = b"Empty continuation line found in: ".to_vec();
            short.extend_from_slice(&line);
            warnings.push(Warning {
                short,
                line: current_line,
            });
        }
        let mut node = node_from_line(&line, st.escape.token, std::mem::take(&mut comments))
            .map_err(|e| ParseError::new(e, start_line, current_line))?;
        if super::gotext::contains(&line, b"<<") && can_contain_heredoc(&node) {
            let headers = heredocs_from_line(&line)
                .map_err(|e| ParseError::new(e, start_line, current_line))?;
            for h in headers {
                let mut content = Vec::new();
                let mut terminated = false;
                while let Some((off, raw)) = lines.next_line() {
                    current_line += 1;
                    end_byte = off + raw.len();
                    let mut possible = trim_newline(raw);
                    if h.chomp {
                        possible = trim_leading_tabs(possible);
                    }
                    if possible == h.name.as_bytes() {
                        terminated = true;
                        break;
                    }
                    content.extend_from_slice(raw);
                }
                if !terminated {
                    return Err(ParseError::new(
                        "unterminated heredoc",
                        start_line,
                        current_line,
                    ));
                }
                node.heredocs.push(Heredoc {
                    name: h.name,
                    fd: h.fd,
                    expand: h.expand,
                    chomp: h.chomp,
                    content,
                });
            }
        }
        node.span = Span {
            start_line,
            end_line: current_line,
            start_byte: offset,
            end_byte,
        };
        nodes.push(node);
        comments.clear();
    }

    if nodes.is_empty() {
        return Err(ParseError::new(
            "file with no instructions",
            current_line,
            0,
        ));
    }
    if lines.too_long {
        return Err(ParseError::new(
            format!(
                "dockerfile line greater than max allowed size of {}",
                MAX_TOKEN - 1
            ),
            current_line,
            0,
        ));
    }
    let start_line = nodes[0].span.start_line;
    let end_line = nodes.last().map(|n| n.span.end_line).unwrap_or(0);
    Ok(ParseResult {
        nodes,
        warnings,
        escape_token: st.escape.token,
        directives: detect_all(input),
        start_line,
        end_line,
    })
}

/// `canContainHeredoc`: RUN/COPY/ADD in shell form, also behind ONBUILD.
fn can_contain_heredoc(node: &Node) -> bool {
    let mut n = node;
    if n.command() == "onbuild" {
        if let Some(sub) = &n.sub {
            n = sub;
        }
    }
    matches!(n.command().as_str(), "run" | "copy" | "add") && !n.json
}
