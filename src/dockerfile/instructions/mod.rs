//! BuildKit's instruction layer: parser [`Node`]s → typed [`Command`]s with flags and arity
//! checked ([`parse_command`]), then stages with ARG/ENV scoping, variable expansion of
//! exactly the instructions BuildKit expands, and the dependencies between stages
//! ([`from_ast`], [`build_program`]).
//!
//! Messages follow BuildKit's wording. Every error carries the instruction's lines. It does
//! not run anything and does not resolve images; the build simulator does that.

mod command;
pub mod flags;
mod stages;

pub use command::{parse_command, CmdLine, Command, Healthcheck, InlineFile, Mount};
pub use stages::{build_program, from_ast, Dependency, Instruction, Options, Program, Stage};

use super::node::Node;
use std::fmt;

/// An instruction-layer failure, with the lines of the instruction at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstructionError {
    pub message: String,
    pub start_line: usize,
    pub end_line: usize,
}

impl InstructionError {
    pub(crate) fn at(node: &Node, message: impl Into<String>) -> Self {
        InstructionError {
            message: message.into(),
            start_line: node.span.start_line,
            end_line: node.span.end_line,
        }
    }
}

impl fmt::Display for InstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.start_line, self.message)
    }
}

impl std::error::Error for InstructionError {}

/// A linter-style warning from the instruction layer (e.g. `MaintainerDeprecated`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lint {
    /// BuildKit's rule name.
    pub rule: &'static str,
    pub message: String,
    pub line: usize,
}

/// All instruction keywords BuildKit knows (lower case).
pub const COMMANDS: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// BuildKit's "did you mean" helper: the closest option within a small edit distance.
pub(crate) fn suggest<'a>(value: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let v = value.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for o in options {
        let d = levenshtein(&v, &o.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, o));
        }
    }
    let (d, o) = best?;
    // Accept up to half the word's length in edits (at least one).
    (d > 0 && d <= (v.chars().count() / 2).max(1)).then_some(o)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
