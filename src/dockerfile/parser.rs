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
                let body_start = (current_line + 1, end_byte);
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
                    span: Span {
                        start_line: body_start.0,
                        end_line: current_line,
                        start_byte: body_start.1,
                        end_byte,
                    },
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

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::dockerfile::dump::dump;

    fn d(src: &[u8]) -> String {
        match parse(src) {
            Ok(r) => dump(&r),
            Err(e) => format!("ERR {}-{}: {}", e.start_line, e.end_line, e.message),
        }
    }

    // Each expectation follows a rule of buildkit/RULES.md (section in the comment).
    #[test]
    fn lines_and_continuations() {
        // §1: "\r\r\n" ends a line; a bare "\r" is argument whitespace; BOM only on line 1.
        assert_eq!(
            d(b"FROM a\r\r\nRUN x\ry\n"),
            "(from \"a\")\n(run \"x\\ry\")\n"
        );
        assert_eq!(d(b"\xEF\xBB\xBFFROM a\n"), "(from \"a\")\n");
        // §3: continuation keeps the next line's indentation and inserts nothing.
        assert_eq!(
            d(b"FROM a\nRUN echo hello\\\n  world\n"),
            "(from \"a\")\n(run \"echo hello  world\")\n"
        );
        // §3: `\\` at end of line is not a continuation, `Dog\ ` is.
        assert_eq!(
            d(b"RUN a\\\\\nRUN b\n"),
            "(run \"a\\\\\\\\\")\n(run \"b\")\n"
        );
        assert_eq!(d(b"RUN Dog\\ \nx\n"), "(run \"Dogx\")\n");
        // §3: a line holding only the escape continues; continuation at EOF ends it.
        assert_eq!(d(b"RUN a\n\\\nb\n"), "(run \"a\")\n(b \"\")\n");
        assert_eq!(d(b"RUN a \\"), "(run \"a\")\n");
        // §3: comment lines inside a continuation are dropped.
        assert_eq!(d(b"RUN a \\\n  # c\n  b\n"), "(run \"a   b\")\n");
    }

    #[test]
    fn warnings_comments_directives() {
        let r = parse(b"# escape=`\n# one\n\n#\n# two\nRUN a `\n\n b\n").unwrap();
        assert_eq!(r.escape_token, b'`');
        assert_eq!(r.nodes[0].prev_comment, vec![b"two".to_vec()]);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            r.warnings[0].short,
            b"Empty continuation line found in: RUN a  b".to_vec()
        );
        assert_eq!(r.warnings[0].line, 8);
        // §2: a directive after a comment is a comment; a repeated one is an error.
        assert_eq!(
            parse(b"# x\n# escape=`\nRUN a `\n").unwrap().escape_token,
            b'\\'
        );
        assert_eq!(
            d(b"# escape=`\n# escape=`\nFROM a\n"),
            "ERR 1-1: only one escape parser directive can be used"
        );
        assert_eq!(
            d(b"# escape=x\nFROM a\n"),
            "ERR 0-0: invalid escape token 'x' does not match ` or \\"
        );
        // §2: an indented directive counts in Parse().
        assert_eq!(parse(b"  # escape=`\nFROM a\n").unwrap().escape_token, b'`');
    }

    #[test]
    fn heredocs() {
        // §6: terminator must match exactly; `<<-` strips tabs only for the comparison.
        let r = parse(b"RUN <<-EOF cat\n\tx\n\tEOF\nRUN <<E\nE \nE\n").unwrap();
        assert_eq!(r.nodes[0].heredocs[0].content, b"\tx\n".to_vec());
        assert!(r.nodes[0].heredocs[0].chomp);
        assert_eq!(r.nodes[1].heredocs[0].content, b"E \n".to_vec());
        assert_eq!(
            (r.nodes[1].span.start_line, r.nodes[1].span.end_line),
            (4, 6)
        );
        let h = &r.nodes[1].heredocs[0].span;
        assert_eq!(
            (h.start_line, h.end_line, h.start_byte, h.end_byte),
            (5, 6, 31, 36)
        );
        // §6: quoted delimiter → no expansion; CRLF bodies keep their "\r\n".
        let r = parse(b"COPY <<'A' <<B /d\r\n$x\r\nA\r\ny\r\nB\r\n").unwrap();
        assert!(!r.nodes[0].heredocs[0].expand && r.nodes[0].heredocs[1].expand);
        assert_eq!(r.nodes[0].heredocs[0].content, b"$x\r\n".to_vec());
        // §6: not a heredoc: CMD, exec form, `cat<<EOF`, `<<- EOF`.
        assert_eq!(d(b"CMD <<EOF\nEOF\n"), "(cmd \"<<EOF\")\n(eof \"\")\n");
        assert_eq!(
            d(b"RUN cat<<EOF\nEOF\n"),
            "(run \"cat<<EOF\")\n(eof \"\")\n"
        );
        assert_eq!(d(b"RUN <<- EOF\nEOF\n"), "(run \"<<- EOF\")\n(eof \"\")\n");
        assert_eq!(d(b"RUN <<EOF\nx\n"), "ERR 1-2: unterminated heredoc");
    }

    #[test]
    fn arguments_and_flags() {
        // §4/§5 examples of buildkit/FORMAT.md §1.3.
        assert_eq!(
            d(b"COPY --doit=true -- foo /tmp/\n"),
            "(copy [\"--doit=true\"] \"foo\" \"/tmp/\")\n"
        );
        assert_eq!(d(b"CMD --doit -- [ ]\n"), "(cmd [\"--doit\"])\n");
        assert_eq!(d(b"COPY \"a b\" c\n"), "(copy \"\\\"a\" \"b\\\"\" \"c\")\n");
        assert_eq!(
            d(b"ENV name=value\\ value2\n"),
            "(env \"name\" \"value\\\\ value2\" \"=\")\n"
        );
        assert_eq!(d(b"FROBNICATE a b\n"), "(frobnicate \"\")\n");
        assert_eq!(
            d(b"ONBUILD ONBUILD RUN x\n"),
            "(onbuild (onbuild (run \"x\")))\n"
        );
        assert_eq!(
            d(b"RUN --mount=\"type=secret,id=my secret\" x\n"),
            "(run [\"--mount=type=secret,id=my secret\"] \"x\")\n"
        );
        assert_eq!(
            d("COPY --chown=é a b\n".as_bytes()),
            "(copy [\"--chown=Ã©\"] \"a\" \"b\")\n"
        );
        assert_eq!(
            d(b"CMD [\"a\", 1]\n"),
            "ERR 1-1: when using JSON array syntax, arrays must be comprised of strings only"
        );
        assert_eq!(d(b"CMD ['a']\n"), "(cmd \"['a']\")\n");
        assert_eq!(
            d(b"ENV a=b c\n"),
            "ERR 1-1: Syntax error - can't find = in \"c\". Must be of the form: name=value"
        );
        assert_eq!(d("FROM\u{a0}a\n".as_bytes()), "(from\u{a0}a \"\")\n");
    }
}
