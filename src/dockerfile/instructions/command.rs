//! One parser [`Node`] → one typed [`Command`] (BuildKit's `instructions.ParseInstruction`):
//! declared flags per instruction, arity, FROM/AS and stage-name rules, HEALTHCHECK options,
//! heredoc inline files, ONBUILD trigger rules. Values are still unexpanded here.

use super::flags::{parse_flags, FlagKind as K, Flags};
use super::{suggest, InstructionError, Lint, COMMANDS};
use crate::dockerfile::heredoc::parse_heredoc;
use crate::dockerfile::node::{text, Node};

/// A command line in exec (JSON) or shell form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdLine {
    Exec(Vec<String>),
    Shell(String),
}

/// A heredoc turned into a file (COPY/ADD source or RUN input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineFile {
    /// The heredoc name (COPY/ADD: the file name).
    pub name: String,
    /// Body with leading tabs removed when the heredoc was `<<-`.
    pub content: String,
    /// Expand variables in the body (COPY/ADD only; BuildKit never expands RUN heredocs).
    pub expand: bool,
    /// File descriptor (RUN).
    pub fd: u64,
}

/// A `RUN --mount` value split into its comma-separated fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// `type=` (default `bind`).
    pub kind: String,
    /// All `key=value` fields in order (`type` included).
    pub fields: Vec<(String, String)>,
}

impl Mount {
    /// Value of a field (`from`, `target`, `source`, …).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// HEALTHCHECK settings. Durations are nanoseconds, 0 meaning "not set".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Healthcheck {
    None,
    Cmd {
        /// `["CMD", …]` for exec form, `["CMD-SHELL", "…"]` for shell form.
        test: Vec<String>,
        interval: i64,
        timeout: i64,
        start_period: i64,
        start_interval: i64,
        retries: i64,
    },
}

/// A typed instruction (values as written; `Stage` holds expanded copies where BuildKit
/// expands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    From {
        image: String,
        name: Option<String>,
        platform: Option<String>,
    },
    Run {
        cmd: CmdLine,
        mounts: Vec<String>,
        network: Option<String>,
        security: Option<String>,
        devices: Vec<String>,
        files: Vec<InlineFile>,
    },
    Cmd(CmdLine),
    Entrypoint(CmdLine),
    Shell(Vec<String>),
    Copy {
        sources: Vec<String>,
        inline: Vec<InlineFile>,
        dest: String,
        from: Option<String>,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
        parents: bool,
        exclude: Vec<String>,
    },
    Add {
        sources: Vec<String>,
        inline: Vec<InlineFile>,
        dest: String,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
        keep_git_dir: bool,
        checksum: Option<String>,
        unpack: Option<bool>,
        exclude: Vec<String>,
    },
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    Arg(Vec<(String, Option<String>)>),
    Expose(Vec<String>),
    Volume(Vec<String>),
    Workdir(String),
    User(String),
    StopSignal(String),
    Maintainer(String),
    Healthcheck(Healthcheck),
    /// The trigger text, heredoc bodies re-attached as BuildKit does.
    Onbuild(String),
}

type R<T> = Result<T, InstructionError>;

fn flags(node: &Node, decl: &[(&str, K)]) -> R<Flags> {
    parse_flags(&node.flags_text(), decl).map_err(|e| InstructionError::at(node, e.0))
}

fn cmdline(node: &Node, args: &[String]) -> CmdLine {
    if node.json {
        CmdLine::Exec(args.to_vec())
    } else {
        CmdLine::Shell(args.join(" "))
    }
}

fn exactly_one(node: &Node, name: &str, args: &[String]) -> R<String> {
    if args.len() != 1 {
        return Err(InstructionError::at(
            node,
            format!("{name} requires exactly one argument"),
        ));
    }
    Ok(args[0].clone())
}

fn at_least_one(node: &Node, name: &str, args: &[String]) -> R<()> {
    if args.is_empty() {
        return Err(InstructionError::at(
            node,
            format!("{name} requires at least one argument"),
        ));
    }
    Ok(())
}

/// Remove leading tabs from every line (`ChompHeredocContent`).
pub fn chomp(s: &str) -> String {
    s.split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

fn inline_file(h: &crate::dockerfile::node::Heredoc) -> InlineFile {
    let content = text(&h.content);
    InlineFile {
        name: h.name.clone(),
        content: if h.chomp { chomp(&content) } else { content },
        expand: h.expand,
        fd: h.fd,
    }
}

/// COPY/ADD: split sources, heredoc sources and destination.
fn sources_and_dest(
    node: &Node,
    cmd: &str,
    args: &[String],
) -> R<(Vec<String>, Vec<InlineFile>, String)> {
    if args.len() < 2 {
        return Err(InstructionError::at(
            node,
            format!(
                "{cmd} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
        ));
    }
    let (srcs, dest) = args.split_at(args.len() - 1);
    let mut sources = Vec::new();
    let mut inline = Vec::new();
    for s in srcs {
        let heredoc = if node.json || node.heredocs.is_empty() {
            None
        } else {
            parse_heredoc(s).ok().flatten()
        };
        match heredoc.and_then(|h| node.heredocs.iter().find(|d| d.name == h.name)) {
            Some(h) => inline.push(inline_file(h)),
            None => sources.push(s.clone()),
        }
    }
    if !node.json && matches!(parse_heredoc(&dest[0]), Ok(Some(_))) {
        return Err(InstructionError::at(
            node,
            format!("{cmd} cannot accept a heredoc as a destination"),
        ));
    }
    Ok((sources, inline, dest[0].clone()))
}

/// Parse one node into a typed command; lints are appended to `lints`.
pub fn parse_command(node: &Node, lints: &mut Vec<Lint>) -> R<Command> {
    let cmd = node.command();
    let args = node.args_text();
    let none: &[(&str, K)] = &[];
    Ok(match cmd.as_str() {
        "from" => {
            let f = flags(node, &[("platform", K::String)])?;
            let name = match args.len() {
                3 if args[1].eq_ignore_ascii_case("as") => {
                    let n = args[2].to_lowercase();
                    if !valid_stage_name(&n) {
                        return Err(InstructionError::at(
                            node,
                            format!(
                                "invalid name for build stage: {}, name can't start with a number or contain symbols",
                                crate::dockerfile::gotext::quote(args[2].as_bytes())
                            ),
                        ));
                    }
                    Some(n)
                }
                1 => None,
                _ => {
                    return Err(InstructionError::at(
                        node,
                        "FROM requires either one or three arguments",
                    ))
                }
            };
            Command::From {
                image: args[0].clone(),
                name,
                platform: f.string("platform").map(String::from),
            }
        }
        "run" => {
            let f = flags(
                node,
                &[
                    ("mount", K::Strings),
                    ("network", K::String),
                    ("security", K::String),
                    ("device", K::Strings),
                ],
            )?;
            Command::Run {
                cmd: cmdline(node, &args),
                mounts: f.strings("mount"),
                network: f.string("network").map(String::from),
                security: f.string("security").map(String::from),
                devices: f.strings("device"),
                files: if node.json {
                    vec![]
                } else {
                    node.heredocs.iter().map(inline_file).collect()
                },
            }
        }
        "cmd" => {
            flags(node, none)?;
            Command::Cmd(cmdline(node, &args))
        }
        "entrypoint" => {
            flags(node, none)?;
            Command::Entrypoint(cmdline(node, &args))
        }
        "shell" => {
            flags(node, none)?;
            if args.is_empty() {
                return Err(InstructionError::at(
                    node,
                    "SHELL requires at least one argument",
                ));
            }
            if !node.json {
                return Err(InstructionError::at(
                    node,
                    "SHELL requires the arguments to be in JSON form",
                ));
            }
            Command::Shell(args)
        }
        "copy" => {
            let f = flags(
                node,
                &[
                    ("from", K::String),
                    ("chown", K::String),
                    ("chmod", K::String),
                    ("link", K::Bool),
                    ("parents", K::Bool),
                    ("exclude", K::Strings),
                ],
            )?;
            let (sources, inline, dest) = sources_and_dest(node, "COPY", &args)?;
            Command::Copy {
                sources,
                inline,
                dest,
                from: f.string("from").map(String::from),
                chown: f.string("chown").map(String::from),
                chmod: f.string("chmod").map(String::from),
                link: f.bool("link").unwrap_or(false),
                parents: f.bool("parents").unwrap_or(false),
                exclude: f.strings("exclude"),
            }
        }
        "add" => {
            let f = flags(
                node,
                &[
                    ("chown", K::String),
                    ("chmod", K::String),
                    ("link", K::Bool),
                    ("keep-git-dir", K::Bool),
                    ("checksum", K::String),
                    ("unpack", K::Bool),
                    ("exclude", K::Strings),
                ],
            )?;
            let (sources, inline, dest) = sources_and_dest(node, "ADD", &args)?;
            Command::Add {
                sources,
                inline,
                dest,
                chown: f.string("chown").map(String::from),
                chmod: f.string("chmod").map(String::from),
                link: f.bool("link").unwrap_or(false),
                keep_git_dir: f.bool("keep-git-dir").unwrap_or(false),
                checksum: f.string("checksum").map(String::from),
                unpack: f.bool("unpack"),
                exclude: f.strings("exclude"),
            }
        }
        "env" | "label" => {
            flags(node, none)?;
            let upper = cmd.to_uppercase();
            at_least_one(node, &upper, &args)?;
            if !args.len().is_multiple_of(3) {
                return Err(InstructionError::at(
                    node,
                    format!("Bad input to {upper}, too many arguments"),
                ));
            }
            let mut pairs = Vec::new();
            for t in args.chunks(3) {
                if t[0].is_empty() {
                    return Err(InstructionError::at(
                        node,
                        format!("{upper} names can not be blank"),
                    ));
                }
                pairs.push((t[0].clone(), t[1].clone()));
            }
            if cmd == "env" {
                Command::Env(pairs)
            } else {
                Command::Label(pairs)
            }
        }
        "arg" => {
            flags(node, none)?;
            at_least_one(node, "ARG", &args)?;
            let mut defs = Vec::new();
            for a in &args {
                let (k, v) = match a.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (a.clone(), None),
                };
                if k.is_empty() {
                    return Err(InstructionError::at(node, "ARG names can not be blank"));
                }
                defs.push((k, v));
            }
            Command::Arg(defs)
        }
        "expose" => {
            flags(node, none)?;
            at_least_one(node, "EXPOSE", &args)?;
            Command::Expose(args)
        }
        "volume" => {
            flags(node, none)?;
            at_least_one(node, "VOLUME", &args)?;
            if args.iter().any(|a| a.trim().is_empty()) {
                return Err(InstructionError::at(
                    node,
                    "VOLUME specified can not be an empty string",
                ));
            }
            Command::Volume(args)
        }
        "workdir" => {
            flags(node, none)?;
            Command::Workdir(exactly_one(node, "WORKDIR", &args)?)
        }
        "user" => {
            flags(node, none)?;
            Command::User(exactly_one(node, "USER", &args)?)
        }
        "stopsignal" => {
            flags(node, none)?;
            Command::StopSignal(exactly_one(node, "STOPSIGNAL", &args)?)
        }
        "maintainer" => {
            flags(node, none)?;
            let m = exactly_one(node, "MAINTAINER", &args)?;
            lints.push(Lint {
                rule: "MaintainerDeprecated",
                message: "The MAINTAINER instruction is deprecated, use a label instead to define an image author".into(),
                line: node.span.start_line,
            });
            Command::Maintainer(m)
        }
        "healthcheck" => Command::Healthcheck(healthcheck(node, &args)?),
        "onbuild" => {
            flags(node, none)?;
            let Some(sub) = &node.sub else {
                return Err(InstructionError::at(
                    node,
                    "ONBUILD requires at least one argument",
                ));
            };
            match sub.command().as_str() {
                "onbuild" => {
                    return Err(InstructionError::at(
                        node,
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                    ))
                }
                "from" | "maintainer" => {
                    return Err(InstructionError::at(
                        node,
                        format!(
                            "{} isn't allowed as an ONBUILD trigger",
                            sub.command().to_uppercase()
                        ),
                    ))
                }
                _ => {}
            }
            let mut trigger = text(&sub.original);
            for h in &node.heredocs {
                trigger.push('\n');
                trigger.push_str(&text(&h.content));
                trigger.push_str(&h.name);
            }
            Command::Onbuild(trigger)
        }
        _ => {
            let kw = text(&node.keyword);
            let mut msg = format!("unknown instruction: {kw}");
            if let Some(s) = suggest(&kw, COMMANDS.iter().copied()) {
                msg.push_str(&format!(" (did you mean {s}?)"));
            }
            return Err(InstructionError::at(node, msg));
        }
    })
}

/// `^[a-z][a-z0-9-_.]*$`
fn valid_stage_name(n: &str) -> bool {
    let mut it = n.chars();
    it.next().is_some_and(|c| c.is_ascii_lowercase())
        && it.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn healthcheck(node: &Node, args: &[String]) -> R<Healthcheck> {
    let f = flags(
        node,
        &[
            ("interval", K::String),
            ("timeout", K::String),
            ("start-period", K::String),
            ("start-interval", K::String),
            ("retries", K::String),
        ],
    )?;
    if args.is_empty() {
        return Err(InstructionError::at(
            node,
            "HEALTHCHECK requires at least one argument",
        ));
    }
    let typ = args[0].to_uppercase();
    match typ.as_str() {
        "NONE" => {
            if args.len() != 1 {
                return Err(InstructionError::at(
                    node,
                    "HEALTHCHECK NONE takes no arguments",
                ));
            }
            Ok(Healthcheck::None)
        }
        "CMD" => {
            let rest = &args[1..];
            if rest.is_empty() {
                return Err(InstructionError::at(
                    node,
                    "Missing command after HEALTHCHECK CMD",
                ));
            }
            let test = if node.json {
                std::iter::once("CMD".to_string())
                    .chain(rest.iter().cloned())
                    .collect()
            } else {
                vec!["CMD-SHELL".to_string(), rest.join(" ")]
            };
            let interval = |name: &str| -> R<i64> {
                let Some(v) = f.string(name) else {
                    return Ok(0);
                };
                if v.is_empty() {
                    return Ok(0);
                }
                let d = go_duration(v).map_err(|e| InstructionError::at(node, e))?;
                if d < 0 {
                    return Err(InstructionError::at(
                        node,
                        format!("Interval \"{name}\" cannot be negative"),
                    ));
                }
                if d != 0 && d < 1_000_000 {
                    return Err(InstructionError::at(
                        node,
                        format!("Interval \"{name}\" cannot be less than 1ms"),
                    ));
                }
                Ok(d)
            };
            let retries = match f.string("retries") {
                None | Some("") => 0,
                Some(v) => {
                    let r: i64 = v
                        .parse::<i32>()
                        .map_err(|_| {
                            InstructionError::at(
                                node,
                                format!(
                                    "strconv.ParseInt: parsing {}: invalid syntax",
                                    crate::dockerfile::gotext::quote(v.as_bytes())
                                ),
                            )
                        })?
                        .into();
                    if r < 0 {
                        return Err(InstructionError::at(
                            node,
                            format!("--retries cannot be negative ({r})"),
                        ));
                    }
                    r
                }
            };
            Ok(Healthcheck::Cmd {
                test,
                interval: interval("interval")?,
                timeout: interval("timeout")?,
                start_period: interval("start-period")?,
                start_interval: interval("start-interval")?,
                retries,
            })
        }
        _ => Err(InstructionError::at(
            node,
            format!("Unknown type \"{typ}\" in HEALTHCHECK (try CMD)"),
        )),
    }
}

/// Go's `time.ParseDuration` (nanoseconds).
pub fn go_duration(s: &str) -> Result<i64, String> {
    let err = || {
        format!(
            "time: invalid duration {}",
            crate::dockerfile::gotext::quote(s.as_bytes())
        )
    };
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(err());
        }
        rest = &rest[num_len..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let mult: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    crate::dockerfile::gotext::quote(s.as_bytes())
                ))
            }
            u => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    crate::dockerfile::gotext::quote(u.as_bytes()),
                    crate::dockerfile::gotext::quote(s.as_bytes())
                ))
            }
        };
        let v: f64 = num.parse().map_err(|_| err())?;
        total += v * mult;
        if total > i64::MAX as f64 {
            return Err(err());
        }
    }
    let t = total.round() as i64;
    Ok(if neg { -t } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(go_duration("30s"), Ok(30_000_000_000));
        assert_eq!(go_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(go_duration("1.5ms"), Ok(1_500_000));
        assert_eq!(go_duration("0"), Ok(0));
        assert!(go_duration("10").is_err());
        assert!(go_duration("x").is_err());
    }

    #[test]
    fn chomping() {
        assert_eq!(chomp("\t\ta\n\tb\nc"), "a\nb\nc");
    }
}
