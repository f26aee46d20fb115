//! The parser's output types: [`Node`] (one instruction as BuildKit's parser sees it, with
//! its span), [`Heredoc`], [`Warning`], [`Directives`], [`ParseResult`] and [`ParseError`].
//!
//! Values are byte strings (`Vec<u8>`) because BuildKit works on bytes and keeps invalid
//! UTF-8 raw in shell-form text; use [`text`] for a lossy `String`. These types carry no
//! meaning beyond the parser layer (see `instructions` for typed commands).

use std::fmt;

/// Lossy conversion of a byte value to text (invalid bytes become U+FFFD, as in Go).
pub fn text(b: &[u8]) -> String {
    super::gotext::lossy(b)
}

/// Where a syntax element sits in the input: 1-based inclusive lines and a byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First physical line (1-based).
    pub start_line: usize,
    /// Last physical line (1-based, inclusive; heredoc bodies included).
    pub end_line: usize,
    /// Byte offset of the first byte of the first line.
    pub start_byte: usize,
    /// Byte offset just past the last line (its newline included).
    pub end_byte: usize,
}

/// A heredoc attached to an instruction (`RUN <<EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// Terminator word with quotes removed.
    pub name: String,
    /// File descriptor (`3<<EOF` gives 3; default 0). Saturates like Go's ParseUint.
    pub fd: u64,
    /// False when any part of the terminator word was quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped (content here still has them).
    pub chomp: bool,
    /// Body lines as written, each with its line ending.
    pub content: Vec<u8>,
    /// The body and its terminator line (lines and bytes).
    pub span: Span,
}

/// One instruction node (BuildKit's `parser.Node` with its `Next` chain flattened).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Keyword as written (`run`, `RUN`, or anything unknown).
    pub keyword: Vec<u8>,
    /// Leading `--flags`, quotes and escapes removed.
    pub flags: Vec<Vec<u8>>,
    /// Argument values as BuildKit's per-instruction argument parser made them.
    pub args: Vec<Vec<u8>>,
    /// Exec (JSON array) form.
    pub json: bool,
    /// ONBUILD: the nested instruction.
    pub sub: Option<Box<Node>>,
    /// Heredocs (for ONBUILD they live here, on the outer node).
    pub heredocs: Vec<Heredoc>,
    /// The joined logical line (continuations removed).
    pub original: Vec<u8>,
    /// Comment lines directly above (text after `#`, trimmed; raw bytes).
    pub prev_comment: Vec<Vec<u8>>,
    /// Position in the file (all zero for a nested ONBUILD instruction, as in BuildKit).
    pub span: Span,
}

impl Node {
    /// Keyword lower-cased the way BuildKit dispatches on it.
    pub fn command(&self) -> String {
        super::gotext::to_lower(&self.keyword)
    }

    /// Arguments as lossy strings.
    pub fn args_text(&self) -> Vec<String> {
        self.args.iter().map(|a| text(a)).collect()
    }

    /// Flags as lossy strings.
    pub fn flags_text(&self) -> Vec<String> {
        self.flags.iter().map(|a| text(a)).collect()
    }
}

/// A parser warning (BuildKit's linter rule `NoEmptyContinuation`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// e.g. `Empty continuation line found in: RUN …` (raw bytes of the joined line).
    pub short: Vec<u8>,
    /// 1-based line the warning points at.
    pub line: usize,
}

/// A parser directive found in the leading comment block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// First word of the value (`docker/dockerfile:1`).
    pub value: String,
    /// The whole trimmed value.
    pub cmdline: String,
    /// 1-based line (absent for the whole-file JSON form of `syntax`).
    pub line: Option<usize>,
}

/// The three directives as BuildKit's stand-alone scanners report them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Directives {
    pub syntax: Option<Directive>,
    pub escape: Option<Directive>,
    pub check: Option<Directive>,
}

/// A successful parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseResult {
    /// Top-level instructions in source order.
    pub nodes: Vec<Node>,
    /// Parser warnings.
    pub warnings: Vec<Warning>,
    /// The escape character the parser used (`\` or `` ` ``).
    pub escape_token: u8,
    /// Directives from the stand-alone scanners (may differ from what `parse` used).
    pub directives: Directives,
    /// First and last line of the whole AST.
    pub start_line: usize,
    pub end_line: usize,
}

/// A parse failure: BuildKit's message and the lines it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// BuildKit's `err.Error()` text.
    pub message: String,
    /// First line (1-based; 0 for an empty file).
    pub start_line: usize,
    /// Last line (>= start_line).
    pub end_line: usize,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>, start: usize, end: usize) -> Self {
        ParseError {
            message: message.into(),
            start_line: start,
            end_line: end.max(start),
        }
    }

    /// The `[[l, l], …]` line ranges BuildKit attaches (one range per line).
    pub fn line_ranges(&self) -> Vec<[usize; 2]> {
        (self.start_line..=self.end_line).map(|l| [l, l]).collect()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.start_line, self.message)
    }
}

impl std::error::Error for ParseError {}
