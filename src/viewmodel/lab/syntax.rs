//! The Dockerfile editor's colouring and diagnostics: each line split into coloured spans
//! (instruction keyword, `--flags`, strings, `$variables`, comments), and the parser's errors,
//! the instruction layer's errors and lint warnings, and the build's error, each at its line.
//! It does not render anything.

use crate::dockerfile::instructions::{build_program, Options, COMMANDS};

/// What a span of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Keyword,
    Flag,
    Str,
    Var,
    Comment,
    Plain,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Keyword => "tk-kw",
            Tok::Flag => "tk-flag",
            Tok::Str => "tk-str",
            Tok::Var => "tk-var",
            Tok::Comment => "tk-com",
            Tok::Plain => "tk",
        }
    }
}

/// Split a Dockerfile into lines of spans. A line continues the previous instruction when that
/// one ended with `\`; only a line that starts an instruction gets a keyword.
pub fn highlight(text: &str) -> Vec<Vec<(Tok, String)>> {
    let mut out = Vec::new();
    let mut continued = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let mut spans: Vec<(Tok, String)> = Vec::new();
        let indent = &line[..line.len() - trimmed.len()];
        if !indent.is_empty() {
            spans.push((Tok::Plain, indent.to_string()));
        }
        if trimmed.starts_with('#') {
            spans.push((Tok::Comment, trimmed.to_string()));
            out.push(spans);
            continue;
        }
        let mut rest = trimmed;
        if !continued {
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..word_end];
            if COMMANDS.contains(&word.to_ascii_lowercase().as_str()) {
                spans.push((Tok::Keyword, word.to_string()));
                rest = &rest[word_end..];
            }
        }
        spans.extend(args(rest));
        continued = line.trim_end().ends_with('\\');
        out.push(spans);
    }
    out
}

fn args(s: &str) -> Vec<(Tok, String)> {
    let mut v: Vec<(Tok, String)> = Vec::new();
    let push = |v: &mut Vec<(Tok, String)>, t: Tok, s: &str| {
        if s.is_empty() {
            return;
        }
        match v.last_mut() {
            Some((lt, ls)) if *lt == t => ls.push_str(s),
            _ => v.push((t, s.to_string())),
        }
    };
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let end = s[i + 1..]
                .find(c as char)
                .map_or(s.len(), |e| i + 1 + e + 1);
            push(&mut v, Tok::Str, &s[i..end]);
            i = end;
        } else if c == b'$' {
            let end = if s[i + 1..].starts_with('{') {
                s[i..].find('}').map_or(s.len(), |e| i + e + 1)
            } else {
                i + 1
                    + s[i + 1..]
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                        .unwrap_or(s.len() - i - 1)
            };
            push(&mut v, Tok::Var, &s[i..end]);
            i = end;
        } else if c == b'-'
            && s[i..].starts_with("--")
            && (i == 0 || b[i - 1].is_ascii_whitespace())
        {
            let end = s[i..].find(char::is_whitespace).map_or(s.len(), |e| i + e);
            push(&mut v, Tok::Flag, &s[i..end]);
            i = end;
        } else {
            let end = s[i..]
                .find(['"', '\'', '$', '-'])
                .map_or(s.len(), |e| i + e.max(1));
            push(&mut v, Tok::Plain, &s[i..end]);
            i = end;
        }
    }
    v
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A message at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

/// Parser errors and warnings, instruction errors and lint warnings (BuildKit's texts).
pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let mut v = Vec::new();
    match crate::dockerfile::parse(text.as_bytes()) {
        Err(e) => v.push(Diagnostic {
            line: e.start_line.max(1),
            severity: Severity::Error,
            message: e.message,
        }),
        Ok(r) => {
            for w in &r.warnings {
                v.push(Diagnostic {
                    line: w.line.max(1),
                    severity: Severity::Warning,
                    message: String::from_utf8_lossy(&w.short).into_owned(),
                });
            }
            match build_program(&r, &Options::default()) {
                Err(e) => v.push(Diagnostic {
                    line: e.start_line.max(1),
                    severity: Severity::Error,
                    message: e.message,
                }),
                Ok(p) => {
                    for l in p.lints {
                        v.push(Diagnostic {
                            line: l.line.max(1),
                            severity: Severity::Warning,
                            message: format!("{}: {}", l.rule, l.message),
                        });
                    }
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_keywords_flags_strings_vars_comments() {
        let h = highlight("# hi\nCOPY --chown=1 a \"b c\" $X \\\n  run ${Y}\n");
        assert_eq!(h[0], vec![(Tok::Comment, "# hi".to_string())]);
        assert_eq!(
            h[1],
            vec![
                (Tok::Keyword, "COPY".to_string()),
                (Tok::Plain, " ".to_string()),
                (Tok::Flag, "--chown=1".to_string()),
                (Tok::Plain, " a ".to_string()),
                (Tok::Str, "\"b c\"".to_string()),
                (Tok::Plain, " ".to_string()),
                (Tok::Var, "$X".to_string()),
                (Tok::Plain, " \\".to_string()),
            ]
        );
        // A continuation line: `run` is not a keyword there.
        assert_eq!(
            h[2],
            vec![
                (Tok::Plain, "  ".to_string()),
                (Tok::Plain, "run ".to_string()),
                (Tok::Var, "${Y}".to_string()),
            ]
        );
        // Joined spans give the line back.
        let text = "FROM python:3.8-alpine\nRUN a-b --c 'x'\n";
        for (spans, line) in highlight(text).iter().zip(text.lines()) {
            assert_eq!(
                spans.iter().map(|(_, s)| s.as_str()).collect::<String>(),
                line
            );
        }
    }

    #[test]
    fn errors_and_warnings_at_their_line() {
        let d = diagnostics("FROM alpine\nCOPY\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].message, "COPY requires at least two arguments, but only one was provided. Destination could not be determined");
        assert!(diagnostics(crate::seed::DOCKERFILE_APP).is_empty());
    }
}
