//! The build's own input type: instructions ([`Step`]) grouped into stages, plus a small adapter
//! that splits Dockerfile text into them (line continuations, comments, heredocs, `--flags`, exec
//! form). It is an adapter, not the project's Dockerfile parser (`crate::dockerfile`): it checks
//! nothing beyond what building needs and does no variable expansion.

use super::error::BuildError;

/// A heredoc attached to an instruction (`RUN <<EOT` … `EOT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// The body, each line ending in `\n` (tabs kept even with `<<-`).
    pub body: String,
    /// `<<-`: leading tabs are stripped from the body when it runs.
    pub chomp: bool,
    /// `<<"EOT"` / `<<'EOT'`: no expansion in the body.
    pub quoted: bool,
}

/// One instruction as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line where the instruction starts.
    pub line: usize,
    /// Upper-case instruction name (`RUN`, `COPY`, …).
    pub keyword: String,
    /// Leading `--name[=value]` flags, in order.
    pub flags: Vec<(String, Option<String>)>,
    /// The rest after the flags, continuations joined, not expanded.
    pub args: String,
    /// The exec (JSON) form, when `args` is a JSON array of strings.
    pub json: Option<Vec<String>>,
    pub heredocs: Vec<Heredoc>,
    /// The instruction as Docker prints it in build output: keyword as written, continuations
    /// joined (backslash-newline removed), heredoc bodies left out.
    pub original: String,
}

impl Step {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }
}

/// One `FROM` and the instructions under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub from: Step,
    /// The base reference (`python:3.8-alpine`, `scratch`, another stage's name), not expanded.
    pub base: String,
    /// `AS name`, lower-cased as Docker does.
    pub name: Option<String>,
    pub steps: Vec<Step>,
}

/// A whole Dockerfile: the ARGs before the first FROM and the stages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerfile {
    pub global_args: Vec<Step>,
    pub stages: Vec<Stage>,
}

/// Split Dockerfile text into stages and steps.
pub fn parse_dockerfile(text: &str) -> Result<Dockerfile, BuildError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut df = Dockerfile::default();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let first = lines[i];
        i += 1;
        let trimmed = first.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // Join continuation lines.
        let mut logical = String::new();
        let mut cur = first.to_string();
        loop {
            let t = cur.trim_end();
            if let Some(body) = t.strip_suffix('\\') {
                logical.push_str(body);
                // Skip comment and empty lines inside a continuation.
                let mut next = None;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let lt = l.trim_start();
                    if lt.starts_with('#') || lt.is_empty() {
                        continue;
                    }
                    next = Some(l.to_string());
                    break;
                }
                match next {
                    Some(n) => cur = n,
                    None => break,
                }
            } else {
                logical.push_str(&cur);
                break;
            }
        }
        let logical = logical.trim_start().to_string();
        let (kw, rest) = match logical.find(|c: char| c.is_whitespace()) {
            Some(p) => (&logical[..p], logical[p..].trim_start()),
            None => (logical.as_str(), ""),
        };
        let keyword = kw.to_ascii_uppercase();
        let (flags, args) = split_flags(rest);
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (name, chomp, quoted) in heredoc_markers(&args) {
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let check = if chomp { l.trim_start_matches('\t') } else { l };
                    if check == name {
                        closed = true;
                        break;
                    }
                    body.push_str(l);
                    body.push('\n');
                }
                if !closed {
                    return Err(BuildError::at(
                        start + 1,
                        format!("heredoc <<{name} is not closed: expected a line `{name}`"),
                    ));
                }
                heredocs.push(Heredoc {
                    name,
                    body,
                    chomp,
                    quoted,
                });
            }
        }
        let json = parse_json_array(&args);
        let step = Step {
            line: start + 1,
            keyword: keyword.clone(),
            flags,
            args: args.clone(),
            json,
            heredocs,
            original: logical.clone(),
        };
        if keyword == "FROM" {
            let words: Vec<&str> = args.split_whitespace().collect();
            let base = words.first().map(|s| s.to_string()).ok_or_else(|| {
                BuildError::at(
                    start + 1,
                    "FROM requires an image name: expected `FROM image`",
                )
            })?;
            let name = if words.len() >= 3 && words[1].eq_ignore_ascii_case("as") {
                Some(words[2].to_ascii_lowercase())
            } else {
                None
            };
            df.stages.push(Stage {
                from: step,
                base,
                name,
                steps: Vec::new(),
            });
        } else if let Some(stage) = df.stages.last_mut() {
            stage.steps.push(step);
        } else if keyword == "ARG" {
            df.global_args.push(step);
        } else {
            return Err(BuildError::at(
                start + 1,
                format!("{keyword} before the first FROM: expected FROM (only ARG may come first)"),
            ));
        }
    }
    if df.stages.is_empty() {
        return Err(BuildError::new(
            "the Dockerfile has no FROM: expected at least one stage",
        ));
    }
    Ok(df)
}

/// Leading `--flag[=value]` words, and the rest.
fn split_flags(rest: &str) -> (Vec<(String, Option<String>)>, String) {
    let mut flags = Vec::new();
    let mut r = rest;
    while let Some(f) = r.strip_prefix("--") {
        let end = f.find(|c: char| c.is_whitespace()).unwrap_or(f.len());
        let word = &f[..end];
        match word.split_once('=') {
            Some((n, v)) => flags.push((n.to_string(), Some(v.to_string()))),
            None => flags.push((word.to_string(), None)),
        }
        r = f[end..].trim_start();
    }
    (flags, r.to_string())
}

/// `<<EOT`, `<<-EOT`, `<<"EOT"` markers in an instruction line.
fn heredoc_markers(args: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let b = args.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() + 1 {
        if i + 1 < b.len()
            && b[i] == b'<'
            && b[i + 1] == b'<'
            && (i + 2 >= b.len() || b[i + 2] != b'<')
        {
            let mut j = i + 2;
            let chomp = j < b.len() && b[j] == b'-';
            if chomp {
                j += 1;
            }
            let quote = if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                j += 1;
                Some(q)
            } else {
                None
            };
            let s = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > s {
                out.push((args[s..j].to_string(), chomp, quote.is_some()));
                if quote.is_some() && j < b.len() {
                    j += 1;
                }
            }
            i = j.max(i + 2);
        } else {
            i += 1;
        }
    }
    out
}

/// A JSON array of strings (`["a", "b"]`), else `None`.
pub(crate) fn parse_json_array(s: &str) -> Option<Vec<String>> {
    let t = s.trim();
    if !t.starts_with('[') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let arr = v.as_array()?;
    arr.iter()
        .map(|x| x.as_str().map(|s| s.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_flags_and_heredocs() {
        let df = parse_dockerfile(
            "# c\nARG V=1\nFROM base AS Build\nRUN a && \\\n    b\nCOPY --chown=1:2 --link x /y\nRUN <<EOT\necho hi\nEOT\nCMD [\"a\", \"b\"]\n",
        )
        .unwrap();
        assert_eq!(df.global_args.len(), 1);
        let st = &df.stages[0];
        assert_eq!(st.name.as_deref(), Some("build"));
        assert_eq!(st.steps[0].original, "RUN a &&     b");
        assert_eq!(st.steps[1].flag("chown"), Some("1:2"));
        assert_eq!(st.steps[1].flag("link"), Some(""));
        assert_eq!(st.steps[1].args, "x /y");
        assert_eq!(st.steps[2].heredocs[0].body, "echo hi\n");
        assert_eq!(st.steps[2].original, "RUN <<EOT");
        assert_eq!(st.steps[3].json, Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn errors_carry_lines() {
        let e = parse_dockerfile("RUN x\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse_dockerfile("FROM a\nRUN <<EOT\nno end\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
