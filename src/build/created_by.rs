//! The CREATED BY text of each history row, per builder and Docker release, following
//! `docs/docker-semantics.md` §1.1 and the captured outputs: the classic builder's
//! `<shell> #(nop)  X` (two spaces) for metadata, `#(nop) X` (one space) for WORKDIR/COPY/ADD,
//! the `|N K=V` ARG prefix of RUN, BuildKit's bare `X` and ` # buildkit` suffix on RUN/COPY/ADD.

use super::{Builder, Engine};

/// The comment BuildKit writes on every row it creates.
pub const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

/// A metadata instruction (ENV, LABEL, ARG, CMD, …): `text` is `KEYWORD rendered-args`.
pub fn metadata(builder: Builder, shell: &[String], text: &str) -> String {
    match builder {
        Builder::Classic => format!("{} #(nop)  {text}", shell.join(" ")),
        Builder::BuildKit => text.to_string(),
    }
}

/// WORKDIR: one space after `#(nop)` in the classic builder.
pub fn workdir(builder: Builder, shell: &[String], path: &str) -> String {
    match builder {
        Builder::Classic => format!("{} #(nop) WORKDIR {path}", shell.join(" ")),
        Builder::BuildKit => format!("WORKDIR {path}"),
    }
}

/// RUN: `args` are the ARGs in scope as `(name, value)`; `None` is an ARG declared without a
/// value (BuildKit prints `NAME=`, the classic builder leaves it out).
pub fn run(builder: Builder, argv: &[String], args: &[(String, Option<String>)]) -> String {
    let prefix = match builder {
        Builder::Classic => {
            let mut set: Vec<(String, String)> = args
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
                .collect();
            set.sort();
            if set.is_empty() {
                String::new()
            } else {
                let kv: Vec<String> = set.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("|{} {} ", set.len(), kv.join(" "))
            }
        }
        Builder::BuildKit => {
            if args.is_empty() {
                String::new()
            } else {
                let kv: Vec<String> = args
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("")))
                    .collect();
                format!("|{} {} ", args.len(), kv.join(" "))
            }
        }
    };
    let cmd = argv.join(" ");
    match builder {
        Builder::Classic => format!("{prefix}{cmd}"),
        Builder::BuildKit => format!("RUN {prefix}{cmd} # buildkit"),
    }
}

/// What a COPY/ADD row needs.
pub struct CopyText<'a> {
    pub keyword: &'a str,
    pub chown: Option<&'a str>,
    pub chmod: Option<&'a str>,
    pub link: bool,
    pub parents: bool,
    /// Sources as written (BuildKit) …
    pub sources: &'a [String],
    /// … or the classic builder's `file:`/`dir:`/`multi:` hash.
    pub classic_hash: &'a str,
    pub dest: &'a str,
}

pub fn copy(builder: Builder, engine: Engine, shell: &[String], c: &CopyText) -> String {
    match builder {
        Builder::Classic => {
            // 20.10 glues the flag to the hash (`--chown=1000:1000file:…`); 26 puts a space.
            let chown = match (c.chown, engine) {
                (Some(o), Engine::V20) => format!("--chown={o}"),
                (Some(o), Engine::V26) => format!("--chown={o} "),
                (None, _) => String::new(),
            };
            format!(
                "{} #(nop) {} {chown}{} in {} ",
                shell.join(" "),
                c.keyword,
                c.classic_hash,
                c.dest
            )
        }
        Builder::BuildKit => {
            let mut flags = String::new();
            if engine == Engine::V26 {
                if c.parents {
                    flags.push_str("--parents ");
                }
                if let Some(o) = c.chown {
                    flags.push_str(&format!("--chown={o} "));
                }
                if let Some(m) = c.chmod {
                    flags.push_str(&format!("--chmod={m} "));
                }
                if c.link {
                    flags.push_str("--link ");
                }
            }
            format!(
                "{} {flags}{} {} # buildkit",
                c.keyword,
                c.sources.join(" "),
                c.dest
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh() -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into()]
    }

    #[test]
    fn texts_per_builder() {
        assert_eq!(
            metadata(Builder::Classic, &sh(), "CMD [\"python\" \"app.py\"]"),
            "/bin/sh -c #(nop)  CMD [\"python\" \"app.py\"]"
        );
        assert_eq!(
            workdir(Builder::Classic, &sh(), "/srv/app"),
            "/bin/sh -c #(nop) WORKDIR /srv/app"
        );
        let args = vec![
            ("FLAVOR".to_string(), Some("chocolate".to_string())),
            ("UNSET_ARG".to_string(), None),
        ];
        let argv = vec!["/bin/sh".into(), "-c".into(), "true".into()];
        assert_eq!(
            run(Builder::Classic, &argv, &args),
            "|1 FLAVOR=chocolate /bin/sh -c true"
        );
        assert_eq!(
            run(Builder::BuildKit, &argv, &args),
            "RUN |2 FLAVOR=chocolate UNSET_ARG= /bin/sh -c true # buildkit"
        );
    }
}
