//! Dockerfile parsing and variable expansion, faithful to BuildKit (moby/buildkit
//! `frontend/dockerfile`), with BuildKit's three layers kept apart. It does not build anything.
//!
//! * **Parser** ([`parse`]): bytes → [`ParseResult`] holding [`Node`]s (keyword, flags,
//!   arguments, exec/shell form, heredocs, nested ONBUILD, [`Span`] with lines and bytes, the
//!   joined `original` line, `prev_comment`), parser [`Warning`]s, the escape token and the
//!   [`Directives`]. It is as permissive as BuildKit's parser; failures are [`ParseError`]s
//!   carrying BuildKit's message and line range. [`dump::dump`] prints BuildKit's `result`
//!   format; [`json::oracle_json`] the corpus oracle object.
//! * **Instructions** ([`instructions::from_ast`]): nodes → typed [`instructions::Stage`]s with
//!   flags and arity checked as BuildKit's instruction layer does, stage names and the
//!   dependencies between stages (FROM a stage, `COPY --from`, `RUN --mount from=`).
//! * **Expansion** ([`expand`]): BuildKit's `shell.Lex` (`expand::Lexer`,
//!   [`expand::expand_word`], [`expand::expand_words`]) and, in `instructions`, which
//!   instructions are expanded with which ARG/ENV scope.
//!
//! ```
//! use layerscope::dockerfile;
//! let r = dockerfile::parse(b"FROM alpine AS base\nRUN echo hi\n").unwrap();
//! assert_eq!(dockerfile::dump::dump(&r), "(from \"alpine\" \"AS\" \"base\")\n(run \"echo hi\")\n");
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
