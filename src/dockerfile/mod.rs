//! Dockerfile parsing and variable expansion, faithful to BuildKit (moby/buildkit
//! `frontend/dockerfile` at 73ed6825c4b7), with BuildKit's three layers kept apart. It does not
//! build anything, resolve images or run commands.
//!
//! # Parser — [`parse`]`(&[u8]) -> Result<`[`ParseResult`]`, `[`ParseError`]`>`
//! Bytes → [`Node`]s, one per instruction: `keyword` as written, `flags` (quotes removed,
//! byte-wise like BuildKit), `args` (per-instruction shapes of `buildkit/FORMAT.md` §1.2),
//! `json` (exec form), `sub` (the ONBUILD instruction), `heredocs` ([`Heredoc`]: name, fd,
//! expand, chomp, raw body), `original` (joined logical line), `prev_comment`, and a [`Span`]
//! (1-based start/end line incl. continuation lines and heredoc bodies, byte range). The nested
//! ONBUILD node has an all-zero span, as in BuildKit. Also: parser [`Warning`]s (empty
//! continuation lines), the escape token used, and the [`Directives`] as BuildKit's stand-alone
//! scanners see them. Values are bytes because BuildKit keeps invalid UTF-8 raw. As permissive
//! as BuildKit's parser: unknown keywords and flags pass; failures ([`ParseError`]: BuildKit's
//! message, start/end line) are only those BuildKit's parser reports.
//! * [`dump::dump`]: BuildKit's `result` dump, byte-identical.
//! * [`json::oracle_json`] / [`json::oracle_value`]: the corpus oracle object.
//!
//! # Instructions — [`instructions::from_ast`] / [`instructions::build_program`]
//! Nodes → typed [`instructions::Command`]s with flags and arity checked as BuildKit's
//! instruction layer does (unknown instruction/flag with "did you mean", FROM … AS, COPY/ADD
//! flags, RUN `--mount/--network/--security/--device`, HEALTHCHECK, ONBUILD rules, SHELL JSON),
//! then [`instructions::Stage`]s: global ARGs, FROM expanded with them, per-stage ARG/ENV scope,
//! each instruction both as written (`raw`) and as BuildKit expands it (`expanded`), parsed
//! `--mount`s, and [`instructions::Dependency`] edges (FROM a stage, `COPY --from`,
//! `RUN --mount from=`). Errors are [`instructions::InstructionError`]s with the lines;
//! `MAINTAINER` gives a [`instructions::Lint`]. [`instructions::Options`] holds build args and
//! platforms (for the automatic `TARGETPLATFORM`… ARGs).
//!
//! # Expansion — [`expand`]
//! BuildKit's `shell.Lex`: [`expand::Lexer`] (escape token, raw quotes/escapes, skip unset,
//! skip quotes), [`expand::expand_word`] (`ProcessWord`), [`expand::expand_words`]
//! (`ProcessWords`), `process_word_with_matches` (names found / not found), over any
//! [`expand::Env`] such as [`expand::MapEnv`]. Glob matching for `#`, `%`, `/` is a linear-time
//! Pike VM with Go's leftmost-first semantics ([`pattern`]).
//!
//! ```
//! use layerscope::dockerfile;
//! let r = dockerfile::parse(b"FROM alpine AS base\nRUN echo hi\n").unwrap();
//! assert_eq!(dockerfile::dump::dump(&r), "(from \"alpine\" \"AS\" \"base\")\n(run \"echo hi\")\n");
//! assert_eq!(r.nodes[1].span.start_line, 2);
//! let stages = dockerfile::instructions::from_ast(&r).unwrap();
//! assert_eq!(stages[0].name.as_deref(), Some("base"));
//! ```

pub mod directives;
pub mod dump;
pub mod expand;
pub mod gotext;
pub mod heredoc;
pub mod instructions;
pub mod json;
pub mod json_array;
pub mod line_parsers;
pub mod node;
pub mod parser;
pub mod pattern;

pub use node::{Directive, Directives, Heredoc, Node, ParseError, ParseResult, Span, Warning};
pub use parser::parse;
