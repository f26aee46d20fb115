//! Stages and scoping: global ARGs before the first FROM, FROM expanded with those alone,
//! per-stage ARG/ENV scope (ENV wins over ARG, ENV inherited from a parent stage), variable
//! expansion of the instructions BuildKit expands (ENV, LABEL, ARG, ADD/COPY sources, dest,
//! `--chown`/`--chmod`/`--checksum`, heredoc bodies with unquoted delimiters, WORKDIR, USER,
//! STOPSIGNAL, VOLUME, EXPOSE in word mode, RUN `--mount` fields), and the dependency graph
//! (FROM a stage, `COPY --from`, `RUN --mount from=`).
//!
//! RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK/MAINTAINER/ONBUILD text, `RUN --network` and
//! `--security`, and RUN heredocs are left as written, as in BuildKit.

use super::command::{parse_command, Command, InlineFile, Mount};
use super::{InstructionError, Lint};
use crate::dockerfile::expand::{Env, Lexer, MapEnv};
use crate::dockerfile::node::{text, Node, ParseResult, Span};

/// Build-time inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `--build-arg NAME=value` overrides.
    pub build_args: Vec<(String, String)>,
    /// `os/arch[/variant]` of the target (default `linux/amd64`).
    pub target_platform: String,
    /// `os/arch[/variant]` of the builder (default `linux/amd64`).
    pub build_platform: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            build_args: Vec::new(),
            target_platform: "linux/amd64".into(),
            build_platform: "linux/amd64".into(),
        }
    }
}

impl Options {
    /// BuildKit's automatic platform ARGs (TARGETPLATFORM, TARGETOS, …, BUILDVARIANT).
    pub fn builtin_args(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (prefix, p) in [
            ("TARGET", &self.target_platform),
            ("BUILD", &self.build_platform),
        ] {
            let mut parts = p.split('/');
            let os = parts.next().unwrap_or("");
            let arch = parts.next().unwrap_or("");
            let variant = parts.next().unwrap_or("");
            out.push((format!("{prefix}PLATFORM"), p.clone()));
            out.push((format!("{prefix}OS"), os.to_string()));
            out.push((format!("{prefix}ARCH"), arch.to_string()));
            out.push((format!("{prefix}VARIANT"), variant.to_string()));
        }
        out
    }

    fn build_arg(&self, name: &str) -> Option<&str> {
        self.build_args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a stage depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dependency {
    /// `FROM <stage>`.
    Base { stage: usize },
    /// `COPY --from=<stage>` at `line`.
    CopyFrom { stage: usize, line: usize },
    /// `COPY --from=<image>` (an external image) at `line`.
    CopyFromImage { image: String, line: usize },
    /// `RUN --mount=…,from=<stage>` at `line`.
    MountFrom { stage: usize, line: usize },
    /// `RUN --mount=…,from=<image>` at `line`.
    MountFromImage { image: String, line: usize },
}

/// One instruction of a stage: the typed command as written and as BuildKit expands it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub span: Span,
    /// The joined source line.
    pub original: String,
    /// As written.
    pub raw: Command,
    /// With variables expanded where BuildKit expands them (otherwise equal to `raw`).
    pub expanded: Command,
    /// RUN only: the parsed `--mount` values (after expansion).
    pub mounts: Vec<Mount>,
}

/// A build stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages (0-based).
    pub index: usize,
    /// Lower-cased `AS` name.
    pub name: Option<String>,
    /// The FROM image as written.
    pub base_raw: String,
    /// The FROM image expanded with the global ARGs.
    pub base: String,
    /// `--platform`, expanded.
    pub platform: Option<String>,
    /// Set when `base` names an earlier stage.
    pub base_stage: Option<usize>,
    /// The FROM line.
    pub span: Span,
    /// Instructions after FROM.
    pub instructions: Vec<Instruction>,
    /// Edges to other stages and images.
    pub dependencies: Vec<Dependency>,
    /// ENV at the end of the stage (inherited by stages built on this one).
    pub env: Vec<(String, String)>,
}

/// The whole instruction-layer view of a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Global ARGs (before the first FROM) and their values (None: declared, no value).
    pub meta_args: Vec<(String, Option<String>)>,
    pub stages: Vec<Stage>,
    pub lints: Vec<Lint>,
}

/// Typed stages with default [`Options`].
pub fn from_ast(result: &ParseResult) -> Result<Vec<Stage>, InstructionError> {
    build_program(result, &Options::default()).map(|p| p.stages)
}

struct Scope {
    args: Vec<(String, String)>,
    env: Vec<(String, String)>,
}

impl Scope {
    fn env(&self) -> MapEnv {
        let mut m = MapEnv::default();
        for (k, v) in self.args.iter().chain(self.env.iter()) {
            m.vars.push((k.clone(), v.clone()));
        }
        m
    }
}

fn set(list: &mut Vec<(String, String)>, k: &str, v: &str) {
    list.retain(|(n, _)| n != k);
    list.push((k.to_string(), v.to_string()));
}

/// Build the program: stages, scopes, expansion and dependencies.
pub fn build_program(result: &ParseResult, opts: &Options) -> Result<Program, InstructionError> {
    let esc = result.escape_token as char;
    let lex = Lexer::new(esc);
    let mut lints = Vec::new();
    let builtins = opts.builtin_args();
    let mut meta_env = MapEnv::from_pairs(builtins.clone());
    let mut meta_args: Vec<(String, Option<String>)> = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut scope = Scope {
        args: vec![],
        env: vec![],
    };

    for node in &result.nodes {
        let raw = parse_command(node, &mut lints)?;
        let exp = |w: &str, env: &dyn Env| -> Result<String, InstructionError> {
            lex.process_word(w, env)
                .map_err(|e| InstructionError::at(node, e.message))
        };
        if let Command::From {
            image,
            name,
            platform,
        } = &raw
        {
            let base = exp(image, &meta_env)?;
            let platform = platform.as_ref().map(|p| exp(p, &meta_env)).transpose()?;
            if let Some(n) = name {
                if stages.iter().any(|s| s.name.as_deref() == Some(n)) {
                    return Err(InstructionError::at(
                        node,
                        format!(
                            "duplicate stage name {}",
                            crate::dockerfile::gotext::quote(n.as_bytes())
                        ),
                    ));
                }
            }
            let base_stage = stage_ref(&stages, &base, false);
            let env = base_stage
                .map(|i| stages[i].env.clone())
                .unwrap_or_default();
            scope = Scope { args: vec![], env };
            stages.push(Stage {
                index: stages.len(),
                name: name.clone(),
                base_raw: image.clone(),
                base,
                platform,
                base_stage,
                span: node.span,
                instructions: vec![],
                dependencies: base_stage
                    .map(|stage| vec![Dependency::Base { stage }])
                    .unwrap_or_default(),
                env: scope.env.clone(),
            });
            continue;
        }
        let Some(stage_idx) = stages.len().checked_sub(1) else {
            // Before the first FROM only ARG is allowed: these are the global ARGs.
            let Command::Arg(defs) = &raw else {
                return Err(InstructionError::at(
                    node,
                    "no build stage in current context",
                ));
            };
            for (k, d) in defs {
                let v = match opts.build_arg(k) {
                    Some(v) => Some(v.to_string()),
                    None => d.as_ref().map(|d| exp(d, &meta_env)).transpose()?,
                };
                if let Some(v) = &v {
                    meta_env.set(k, v);
                }
                meta_args.retain(|(n, _)| n != k);
                meta_args.push((k.clone(), v));
            }
            continue;
        };
        let env = scope.env();
        let mut mounts = Vec::new();
        let expanded = match &raw {
            Command::Env(pairs) | Command::Label(pairs) => {
                let mut out = Vec::new();
                for (k, v) in pairs {
                    out.push((exp(k, &env)?, exp(v, &env)?));
                }
                if matches!(raw, Command::Env(_)) {
                    for (k, v) in &out {
                        set(&mut scope.env, k, v);
                    }
                    Command::Env(out)
                } else {
                    Command::Label(out)
                }
            }
            Command::Arg(defs) => {
                let mut out = Vec::new();
                for (k, d) in defs {
                    let env = scope.env();
                    let name = exp(k, &env)?;
                    let v = match opts.build_arg(&name) {
                        Some(v) => Some(v.to_string()),
                        None => match d {
                            Some(d) => Some(exp(d, &env)?),
                            None => meta_args
                                .iter()
                                .find(|(n, _)| *n == name)
                                .and_then(|(_, v)| v.clone())
                                .or_else(|| {
                                    builtins
                                        .iter()
                                        .find(|(n, _)| *n == name)
                                        .map(|(_, v)| v.clone())
                                }),
                        },
                    };
                    if let Some(v) = &v {
                        set(&mut scope.args, &name, v);
                    }
                    out.push((name, v));
                }
                Command::Arg(out)
            }
            Command::Copy {
                sources,
                inline,
                dest,
                from,
                chown,
                chmod,
                link,
                parents,
                exclude,
            } => {
                if let Some(f) = from {
                    if exp(f, &env)? != *f {
                        return Err(InstructionError::at(
                            node,
                            "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
                        ));
                    }
                }
                Command::Copy {
                    sources: sources
                        .iter()
                        .map(|s| exp(s, &env))
                        .collect::<Result<_, _>>()?,
                    inline: expand_inline(inline, &env, node)?,
                    dest: exp(dest, &env)?,
                    from: from.clone(),
                    chown: chown.as_ref().map(|v| exp(v, &env)).transpose()?,
                    chmod: chmod.as_ref().map(|v| exp(v, &env)).transpose()?,
                    link: *link,
                    parents: *parents,
                    exclude: exclude.clone(),
                }
            }
            Command::Add {
                sources,
                inline,
                dest,
                chown,
                chmod,
                link,
                keep_git_dir,
                checksum,
                unpack,
                exclude,
            } => Command::Add {
                sources: sources
                    .iter()
                    .map(|s| exp(s, &env))
                    .collect::<Result<_, _>>()?,
                inline: expand_inline(inline, &env, node)?,
                dest: exp(dest, &env)?,
                chown: chown.as_ref().map(|v| exp(v, &env)).transpose()?,
                chmod: chmod.as_ref().map(|v| exp(v, &env)).transpose()?,
                link: *link,
                keep_git_dir: *keep_git_dir,
                checksum: checksum.as_ref().map(|v| exp(v, &env)).transpose()?,
                unpack: *unpack,
                exclude: exclude.clone(),
            },
            Command::Workdir(w) => Command::Workdir(exp(w, &env)?),
            Command::User(w) => Command::User(exp(w, &env)?),
            Command::StopSignal(w) => Command::StopSignal(exp(w, &env)?),
            Command::Volume(v) => {
                Command::Volume(v.iter().map(|s| exp(s, &env)).collect::<Result<_, _>>()?)
            }
            Command::Expose(ports) => {
                let mut out = Vec::new();
                for p in ports {
                    out.extend(
                        lex.process_words(p, &env)
                            .map_err(|e| InstructionError::at(node, e.message))?,
                    );
                }
                Command::Expose(out)
            }
            Command::Run { mounts: m, .. } => {
                for spec in m {
                    let mut mount = parse_mount(spec);
                    for (_, v) in mount.fields.iter_mut() {
                        *v = exp(v, &env)?;
                    }
                    mount.kind = mount.field("type").unwrap_or("bind").to_string();
                    mounts.push(mount);
                }
                raw.clone()
            }
            other => other.clone(),
        };
        let stage = &mut stages[stage_idx];
        let line = node.span.start_line;
        if let Command::Copy { from: Some(f), .. } = &expanded {
            stage.dependencies.push(Dependency::CopyFromImage {
                image: f.clone(),
                line,
            });
        }
        for m in &mounts {
            if let Some(f) = m.field("from") {
                stage.dependencies.push(Dependency::MountFromImage {
                    image: f.to_string(),
                    line,
                });
            }
        }
        stage.env = scope.env.clone();
        stage.instructions.push(Instruction {
            span: node.span,
            original: text(&node.original),
            raw,
            expanded,
            mounts,
        });
    }
    if stages.is_empty() {
        return Err(InstructionError {
            message: "dockerfile contains no stages to build".into(),
            start_line: 0,
            end_line: 0,
        });
    }
    resolve_stage_refs(&mut stages);
    Ok(Program {
        meta_args,
        stages,
        lints,
    })
}

/// The index of an earlier stage that `name` refers to (by name, or by number when
/// `numeric` is allowed, as for `COPY --from=0`).
fn stage_ref(stages: &[Stage], name: &str, numeric: bool) -> Option<usize> {
    let lower = name.to_lowercase();
    if let Some(i) = stages
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Some(i);
    }
    if numeric {
        if let Ok(i) = name.parse::<usize>() {
            if i < stages.len() {
                return Some(i);
            }
        }
    }
    None
}

/// Turn `--from` image references that name an earlier stage into stage edges.
fn resolve_stage_refs(stages: &mut [Stage]) {
    for idx in 0..stages.len() {
        let deps = std::mem::take(&mut stages[idx].dependencies);
        let resolved = deps
            .into_iter()
            .map(|d| match d {
                Dependency::CopyFromImage { image, line } => {
                    match stage_ref(&stages[..idx], &image, true) {
                        Some(stage) => Dependency::CopyFrom { stage, line },
                        None => Dependency::CopyFromImage { image, line },
                    }
                }
                Dependency::MountFromImage { image, line } => {
                    match stage_ref(&stages[..idx], &image, true) {
                        Some(stage) => Dependency::MountFrom { stage, line },
                        None => Dependency::MountFromImage { image, line },
                    }
                }
                d => d,
            })
            .collect();
        stages[idx].dependencies = resolved;
    }
}

/// COPY/ADD heredoc bodies: expanded when the delimiter was unquoted, with quotes left
/// alone and escape `\` (BuildKit's `ExpandRaw`).
fn expand_inline(
    files: &[InlineFile],
    env: &MapEnv,
    node: &Node,
) -> Result<Vec<InlineFile>, InstructionError> {
    let mut lex = Lexer::new('\\');
    lex.skip_process_quotes = true;
    files
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if f.expand {
                f.content = lex
                    .process_word(&f.content, env)
                    .map_err(|e| InstructionError::at(node, e.message))?;
            }
            Ok(f)
        })
        .collect()
}

/// Split a `--mount` value into CSV fields (`"` quoting as in Go's encoding/csv).
pub fn parse_mount(spec: &str) -> Mount {
    let mut fields = Vec::new();
    for field in csv_fields(spec) {
        let (k, v) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_lowercase(), v.to_string()),
            None => (field.trim().to_lowercase(), String::new()),
        };
        fields.push((k, v));
    }
    let kind = fields
        .iter()
        .rev()
        .find(|(k, _)| k == "type")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "bind".into());
    Mount { kind, fields }
}

fn csv_fields(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut in_quotes = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            ',' => {
                out.push(std::mem::take(&mut cur));
                at_start = true;
                continue;
            }
            '"' if at_start => in_quotes = true,
            c => cur.push(c),
        }
        at_start = false;
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts() {
        let m = parse_mount("type=cache,target=/root/.cache,\"id=a,b\"");
        assert_eq!(m.kind, "cache");
        assert_eq!(m.field("target"), Some("/root/.cache"));
        assert_eq!(m.field("id"), Some("a,b"));
        assert_eq!(parse_mount("target=/x,from=build").kind, "bind");
    }
}
