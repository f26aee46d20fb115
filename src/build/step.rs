//! The build's own input type: instructions ([`Step`]) grouped into stages, made from the
//! project's Dockerfile parser (`crate::dockerfile`: continuations, comments, escape directive,
//! heredocs, exec form, parse errors), keeping each instruction's text as written so the builder
//! can expand it with its own ARG/ENV scope.

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

/// Parse Dockerfile text with the project's BuildKit-faithful parser (`crate::dockerfile`) and
/// group its instructions into stages and steps.
pub fn parse_dockerfile(text: &str) -> Result<Dockerfile, BuildError> {
    let parsed = crate::dockerfile::parse(text.as_bytes()).map_err(|e| BuildError {
        line: Some(e.start_line),
        message: format!(
            "dockerfile parse error line {}: {}",
            e.start_line, e.message
        ),
    })?;
    from_nodes(&parsed.nodes)
}

/// Turn parser nodes into stages and steps.
pub fn from_nodes(nodes: &[crate::dockerfile::Node]) -> Result<Dockerfile, BuildError> {
    use crate::dockerfile::node::text as lossy;
    let mut df = Dockerfile::default();
    for n in nodes {
        let line = n.span.start_line;
        let original = lossy(&n.original);
        let keyword = n.command().to_ascii_uppercase();
        // The text after the keyword as written (continuations joined), then its flags.
        let rest = original
            .trim_start()
            .get(n.keyword.len()..)
            .unwrap_or("")
            .trim_start();
        let (mut flags, args) = split_flags(rest);
        if !n.flags.is_empty() {
            flags = n
                .flags_text()
                .iter()
                .map(|f| {
                    let f = f.trim_start_matches('-');
                    match f.split_once('=') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string())),
                        None => (f.to_string(), None),
                    }
                })
                .collect();
        }
        let heredocs = n
            .heredocs
            .iter()
            .map(|h| Heredoc {
                name: h.name.clone(),
                body: lossy(&h.content),
                chomp: h.chomp,
                quoted: !h.expand,
            })
            .collect();
        let json = if n.json { Some(n.args_text()) } else { None };
        let step = Step {
            line,
            keyword: keyword.clone(),
            flags,
            args: args.clone(),
            json,
            heredocs,
            original: original.clone(),
        };
        if keyword == "FROM" {
            let words: Vec<&str> = args.split_whitespace().collect();
            let base = words.first().map(|s| s.to_string()).ok_or_else(|| {
                BuildError::at(line, "FROM requires an image name: expected `FROM image`")
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
                line,
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
