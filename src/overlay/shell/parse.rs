//! Lexer and parser of the small POSIX-like shell: lists with `;`, newlines, `&&` and `||`,
//! pipelines `|` (with `!`), `for NAME in WORDS; do LIST; done`, `while`/`until LIST; do LIST;
//! done`, `if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi`, simple commands with
//! leading `NAME=value` assignments and redirections `>`, `>>`, `<`, `2>`, `2>>`, `2>&1`; words with
//! single and double quotes, backslash escapes, `$VAR`, `${VAR}`, `${VAR:-word}` (and `-`, `:+`,
//! `+`), `${#VAR}`, `$?`, `$(…)`, backquotes and arithmetic `$((…))` (kept as text; `arith`
//! evaluates it). There are no functions, no `case`, no
//! `{ }` groups, no background jobs: those are parse errors that say so. It does not run anything.

/// A parse error with its byte offset in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "syntax error at offset {}: {}",
            self.offset, self.message
        )
    }
}

/// One piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text; `quoted` text is never split.
    Lit { text: String, quoted: bool },
    /// `$NAME`, `${NAME}`, `$?`.
    Var { name: String, quoted: bool },
    /// `$(script)` or `` `script` ``.
    Cmd { script: String, quoted: bool },
    /// `$((expr))`: the expression's text.
    Arith { expr: String, quoted: bool },
    /// `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`, and `${#NAME}` (op `#`).
    Param {
        name: String,
        op: &'static str,
        word: Word,
        quoted: bool,
    },
}

pub type Word = Vec<Part>;

impl Part {
    fn is_quoted(&self) -> bool {
        match self {
            Part::Lit { quoted, .. }
            | Part::Var { quoted, .. }
            | Part::Cmd { quoted, .. }
            | Part::Arith { quoted, .. }
            | Part::Param { quoted, .. } => *quoted,
        }
    }
}

/// The literal text of a word made only of unquoted literals (for keywords and assignments).
pub fn plain(word: &Word) -> Option<String> {
    let mut s = String::new();
    for p in word {
        match p {
            Part::Lit {
                text,
                quoted: false,
            } => s.push_str(text),
            _ => return None,
        }
    }
    Some(s)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirKind {
    /// `>` (fd 1) or `2>`.
    Write,
    /// `>>` or `2>>`.
    Append,
    /// `<`.
    Read,
    /// `2>&1`.
    ErrToOut,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redir {
    pub fd: u8,
    pub kind: RedirKind,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ast {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
    },
    Pipeline {
        negate: bool,
        stages: Vec<Ast>,
    },
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Seq(Vec<Ast>),
    For {
        var: String,
        items: Vec<Word>,
        body: Box<Ast>,
    },
    /// `while COND; do BODY; done`, or `until` when `until` is set.
    While {
        until: bool,
        cond: Box<Ast>,
        body: Box<Ast>,
    },
    /// `if`/`elif` branches (condition, body) in order, then the `else` body.
    If {
        branches: Vec<(Ast, Ast)>,
        otherwise: Option<Box<Ast>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word, usize),
    Op(&'static str, usize),
    Newline(usize),
}

fn is_op_char(c: char) -> bool {
    matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')' | '\n')
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        offset,
        message: message.into(),
    })
}

/// Find the `)` closing a `$(` whose content starts at `start`; returns its index.
fn matching_paren(chars: &[(usize, char)], start: usize) -> Option<usize> {
    let mut depth = 1;
    let mut i = start;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i].1;
        match quote {
            Some(q) => {
                if c == '\\' && q == '"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\\' => i += 1,
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn lex(src: &str) -> Result<Vec<Tok>, ParseError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let end = src.len();
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let off = |i: usize| chars.get(i).map_or(end, |c| c.0);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let o = chars[i].0;
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '#' => {
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
            }
            '\n' => {
                toks.push(Tok::Newline(o));
                i += 1;
            }
            ';' => {
                if at(i + 1) == Some(';') {
                    return err(o, "`;;` is not supported");
                }
                toks.push(Tok::Op(";", o));
                i += 1;
            }
            '&' => {
                if at(i + 1) == Some('&') {
                    toks.push(Tok::Op("&&", o));
                    i += 2;
                } else {
                    return err(o, "background jobs (`&`) are not supported");
                }
            }
            '|' => {
                if at(i + 1) == Some('|') {
                    toks.push(Tok::Op("||", o));
                    i += 2;
                } else {
                    toks.push(Tok::Op("|", o));
                    i += 1;
                }
            }
            '>' => {
                if at(i + 1) == Some('>') {
                    toks.push(Tok::Op(">>", o));
                    i += 2;
                } else if at(i + 1) == Some('|') {
                    toks.push(Tok::Op(">", o));
                    i += 2;
                } else {
                    toks.push(Tok::Op(">", o));
                    i += 1;
                }
            }
            '<' => {
                if at(i + 1) == Some('<') {
                    return err(o, "here-documents (`<<`) are not supported");
                }
                toks.push(Tok::Op("<", o));
                i += 1;
            }
            '(' | ')' => return err(o, "subshells and `( )` are not supported"),
            '2' if at(i + 1) == Some('>') => {
                if at(i + 2) == Some('&') && at(i + 3) == Some('1') {
                    toks.push(Tok::Op("2>&1", o));
                    i += 4;
                } else if at(i + 2) == Some('>') {
                    toks.push(Tok::Op("2>>", o));
                    i += 3;
                } else {
                    toks.push(Tok::Op("2>", o));
                    i += 2;
                }
            }
            _ => {
                // A word.
                let start = o;
                let mut parts: Word = Vec::new();
                let mut lit = String::new();
                let flush = |lit: &mut String, parts: &mut Word, quoted: bool| {
                    if !lit.is_empty() || quoted {
                        parts.push(Part::Lit {
                            text: std::mem::take(lit),
                            quoted,
                        });
                    }
                };
                while i < chars.len() {
                    let c = chars[i].1;
                    if c.is_whitespace() || is_op_char(c) {
                        break;
                    }
                    match c {
                        '\'' => {
                            flush(&mut lit, &mut parts, false);
                            let mut s = String::new();
                            i += 1;
                            loop {
                                match at(i) {
                                    None => return err(start, "unterminated single quote"),
                                    Some('\'') => break,
                                    Some(ch) => s.push(ch),
                                }
                                i += 1;
                            }
                            parts.push(Part::Lit {
                                text: s,
                                quoted: true,
                            });
                            i += 1;
                        }
                        '"' => {
                            flush(&mut lit, &mut parts, false);
                            i += 1;
                            let mut s = String::new();
                            let mut any = false;
                            loop {
                                match at(i) {
                                    None => return err(start, "unterminated double quote"),
                                    Some('"') => break,
                                    Some('\\') => {
                                        match at(i + 1) {
                                            Some(ch @ ('$' | '`' | '"' | '\\')) => s.push(ch),
                                            Some('\n') => {}
                                            Some(ch) => {
                                                s.push('\\');
                                                s.push(ch);
                                            }
                                            None => return err(start, "unterminated double quote"),
                                        }
                                        i += 2;
                                        continue;
                                    }
                                    Some('$') | Some('`') => {
                                        if let Some((part, next)) = dollar(&chars, i, true, end)? {
                                            if !s.is_empty() || !any {
                                                parts.push(Part::Lit {
                                                    text: std::mem::take(&mut s),
                                                    quoted: true,
                                                });
                                            }
                                            any = true;
                                            parts.push(part);
                                            i = next;
                                            continue;
                                        }
                                        s.push('$');
                                    }
                                    Some(ch) => s.push(ch),
                                }
                                i += 1;
                            }
                            if !s.is_empty() || !any {
                                parts.push(Part::Lit {
                                    text: s,
                                    quoted: true,
                                });
                            }
                            i += 1;
                        }
                        '\\' => {
                            flush(&mut lit, &mut parts, false);
                            match at(i + 1) {
                                Some('\n') => {}
                                Some(ch) => parts.push(Part::Lit {
                                    text: ch.to_string(),
                                    quoted: true,
                                }),
                                None => {}
                            }
                            i += 2;
                        }
                        '$' | '`' => {
                            if let Some((part, next)) = dollar(&chars, i, false, end)? {
                                flush(&mut lit, &mut parts, false);
                                parts.push(part);
                                i = next;
                            } else {
                                lit.push('$');
                                i += 1;
                            }
                        }
                        _ => {
                            lit.push(c);
                            i += 1;
                        }
                    }
                }
                flush(&mut lit, &mut parts, false);
                let _ = off(i);
                toks.push(Tok::Word(parts, start));
            }
        }
    }
    Ok(toks)
}

/// Parse an expansion at `chars[i]` (`$…` or `` ` ``); `None` when it is a literal `$`.
fn dollar(
    chars: &[(usize, char)],
    i: usize,
    quoted: bool,
    end: usize,
) -> Result<Option<(Part, usize)>, ParseError> {
    let o = chars[i].0;
    let at = |k: usize| chars.get(k).map(|c| c.1);
    let slice = |a: usize, b: usize| -> String { chars[a..b].iter().map(|c| c.1).collect() };
    if chars[i].1 == '`' {
        let mut k = i + 1;
        while k < chars.len() && chars[k].1 != '`' {
            k += 1;
        }
        if k >= chars.len() {
            return err(o, "unterminated backquote");
        }
        return Ok(Some((
            Part::Cmd {
                script: slice(i + 1, k),
                quoted,
            },
            k + 1,
        )));
    }
    match at(i + 1) {
        Some('(') => {
            let close = matching_paren(chars, i + 2).ok_or(ParseError {
                offset: o,
                message: "unterminated `$(`".into(),
            })?;
            // `$((…))`: the outer parentheses hold one parenthesised expression.
            let inner = slice(i + 2, close);
            if at(i + 2) == Some('(') && inner.ends_with(')') {
                return Ok(Some((
                    Part::Arith {
                        expr: inner[1..inner.len() - 1].to_string(),
                        quoted,
                    },
                    close + 1,
                )));
            }
            Ok(Some((
                Part::Cmd {
                    script: inner,
                    quoted,
                },
                close + 1,
            )))
        }
        Some('{') => {
            let mut k = i + 2;
            while k < chars.len() && chars[k].1 != '}' {
                k += 1;
            }
            if k >= chars.len() {
                return err(o, "unterminated `${`");
            }
            let inner = slice(i + 2, k);
            let is_name =
                |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if inner == "?" || is_name(&inner) {
                return Ok(Some((
                    Part::Var {
                        name: inner,
                        quoted,
                    },
                    k + 1,
                )));
            }
            if let Some(name) = inner.strip_prefix('#').filter(|n| is_name(n)) {
                let part = Part::Param {
                    name: name.to_string(),
                    op: "#",
                    word: Vec::new(),
                    quoted,
                };
                return Ok(Some((part, k + 1)));
            }
            let end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let (name, rest) = inner.split_at(end);
            let op = [":-", ":+", "-", "+"]
                .into_iter()
                .find(|op| rest.starts_with(op))
                .filter(|_| is_name(name));
            let Some(op) = op else {
                return err(
                    o,
                    format!(
                        "`${{{inner}}}`: only ${{NAME}}, ${{#NAME}} and ${{NAME:-word}}, :+, -, + are supported"
                    ),
                );
            };
            // The word is expanded as if double-quoted.
            let text = &rest[op.len()..];
            let word = match lex(&format!("\"{}\"", text.replace('"', "\\\""))) {
                Ok(mut t) if t.len() == 1 => match t.pop() {
                    Some(Tok::Word(w, _)) => w,
                    _ => return err(o, "bad word in `${…}`"),
                },
                _ => return err(o, "bad word in `${…}`"),
            };
            let part = Part::Param {
                name: name.to_string(),
                op,
                word,
                quoted,
            };
            Ok(Some((part, k + 1)))
        }
        Some('?') => Ok(Some((
            Part::Var {
                name: "?".into(),
                quoted,
            },
            i + 2,
        ))),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut k = i + 1;
            while k < chars.len() && (chars[k].1.is_ascii_alphanumeric() || chars[k].1 == '_') {
                k += 1;
            }
            Ok(Some((
                Part::Var {
                    name: slice(i + 1, k),
                    quoted,
                },
                k,
            )))
        }
        _ => {
            let _ = end;
            Ok(None)
        }
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn offset(&self) -> usize {
        match self.peek() {
            Some(Tok::Word(_, o)) | Some(Tok::Op(_, o)) | Some(Tok::Newline(o)) => *o,
            None => self.end,
        }
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o, _)) if *o == op)
    }
    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w, _)) if plain(w).as_deref() == Some(kw))
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline(_))) {
            self.pos += 1;
        }
    }
    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline(_))) || self.is_op(";") {
            self.pos += 1;
        }
    }

    /// A list up to the end or one of `stop` keywords.
    fn list(&mut self, stop: &[&str]) -> Result<Ast, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_separators();
            if self.peek().is_none() || stop.iter().any(|k| self.is_keyword(k)) {
                break;
            }
            items.push(self.and_or()?);
            match self.peek() {
                None => break,
                Some(Tok::Newline(_)) => {}
                Some(Tok::Op(";", _)) => {}
                _ if stop.iter().any(|k| self.is_keyword(k)) => {}
                _ => return err(self.offset(), "expected `;` or a new line"),
            }
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Ast::Seq(Vec::new()))
        } else {
            Ast::Seq(items)
        })
    }

    fn and_or(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.pipeline()?;
        loop {
            if self.is_op("&&") {
                self.pos += 1;
                self.skip_newlines();
                left = Ast::And(Box::new(left), Box::new(self.pipeline()?));
            } else if self.is_op("||") {
                self.pos += 1;
                self.skip_newlines();
                left = Ast::Or(Box::new(left), Box::new(self.pipeline()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn pipeline(&mut self) -> Result<Ast, ParseError> {
        let negate = self.is_keyword("!");
        if negate {
            self.pos += 1;
        }
        let mut stages = vec![self.command()?];
        while self.is_op("|") {
            self.pos += 1;
            self.skip_newlines();
            stages.push(self.command()?);
        }
        if stages.len() == 1 && !negate {
            return Ok(stages.pop().unwrap_or(Ast::Seq(Vec::new())));
        }
        Ok(Ast::Pipeline { negate, stages })
    }

    fn command(&mut self) -> Result<Ast, ParseError> {
        for kw in ["case", "function", "{"] {
            if self.is_keyword(kw) {
                return err(self.offset(), format!("`{kw}` is not supported"));
            }
        }
        if self.is_keyword("for") {
            return self.for_loop();
        }
        if self.is_keyword("while") || self.is_keyword("until") {
            return self.while_loop();
        }
        if self.is_keyword("if") {
            return self.if_clause();
        }
        let start = self.offset();
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w, _)) => {
                    self.pos += 1;
                    if words.is_empty() {
                        if let Some((name, value)) = assignment(&w) {
                            assigns.push((name, value));
                            continue;
                        }
                    }
                    words.push(w);
                }
                Some(Tok::Op(op @ (">" | ">>" | "<" | "2>" | "2>>"), o)) => {
                    self.pos += 1;
                    let Some(Tok::Word(target, _)) = self.peek().cloned() else {
                        return err(o, format!("`{op}` needs a file name"));
                    };
                    self.pos += 1;
                    let (fd, kind) = match op {
                        ">" => (1, RedirKind::Write),
                        ">>" => (1, RedirKind::Append),
                        "<" => (0, RedirKind::Read),
                        "2>" => (2, RedirKind::Write),
                        _ => (2, RedirKind::Append),
                    };
                    redirs.push(Redir { fd, kind, target });
                }
                Some(Tok::Op("2>&1", _)) => {
                    self.pos += 1;
                    redirs.push(Redir {
                        fd: 2,
                        kind: RedirKind::ErrToOut,
                        target: Vec::new(),
                    });
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            return err(start, "expected a command");
        }
        Ok(Ast::Simple {
            assigns,
            words,
            redirs,
        })
    }

    fn for_loop(&mut self) -> Result<Ast, ParseError> {
        let o = self.offset();
        self.pos += 1;
        let var = match self.peek() {
            Some(Tok::Word(w, _)) => plain(w).filter(|v| {
                !v.is_empty()
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !v.starts_with(|c: char| c.is_ascii_digit())
            }),
            _ => None,
        };
        let Some(var) = var else {
            return err(o, "`for` needs a variable name");
        };
        self.pos += 1;
        let mut items = Vec::new();
        if self.is_keyword("in") {
            self.pos += 1;
            while let Some(Tok::Word(w, _)) = self.peek().cloned() {
                self.pos += 1;
                items.push(w);
            }
        } else {
            return err(self.offset(), "`for` needs `in WORDS`");
        }
        self.skip_separators();
        if !self.is_keyword("do") {
            return err(self.offset(), "expected `do`");
        }
        self.pos += 1;
        let body = self.list(&["done"])?;
        if !self.is_keyword("done") {
            return err(self.offset(), "expected `done`");
        }
        self.pos += 1;
        Ok(Ast::For {
            var,
            items,
            body: Box::new(body),
        })
    }
}

impl Parser {
    /// Expect the keyword `kw` (after separators) and step over it.
    fn keyword(&mut self, kw: &str) -> Result<(), ParseError> {
        self.skip_separators();
        if !self.is_keyword(kw) {
            return err(self.offset(), format!("expected `{kw}`"));
        }
        self.pos += 1;
        Ok(())
    }

    fn while_loop(&mut self) -> Result<Ast, ParseError> {
        let until = self.is_keyword("until");
        self.pos += 1;
        let cond = self.list(&["do"])?;
        self.keyword("do")?;
        let body = self.list(&["done"])?;
        self.keyword("done")?;
        Ok(Ast::While {
            until,
            cond: Box::new(cond),
            body: Box::new(body),
        })
    }

    fn if_clause(&mut self) -> Result<Ast, ParseError> {
        self.pos += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list(&["then"])?;
            self.keyword("then")?;
            let body = self.list(&["elif", "else", "fi"])?;
            branches.push((cond, body));
            self.skip_separators();
            if self.is_keyword("elif") {
                self.pos += 1;
                continue;
            }
            if self.is_keyword("else") {
                self.pos += 1;
                otherwise = Some(Box::new(self.list(&["fi"])?));
            }
            self.keyword("fi")?;
            return Ok(Ast::If {
                branches,
                otherwise,
            });
        }
    }
}

/// `NAME=value` as the first words of a command.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit {
        text,
        quoted: false,
    }) = w.first()
    else {
        return None;
    };
    let eq = text.find('=')?;
    let name = &text[..eq];
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let mut value: Word = Vec::new();
    let rest = &text[eq + 1..];
    if !rest.is_empty() {
        value.push(Part::Lit {
            text: rest.to_string(),
            quoted: true,
        });
    }
    // Assignments are not field-split: mark every part quoted.
    for p in &w[1..] {
        value.push(match p.clone() {
            Part::Lit { text, .. } => Part::Lit { text, quoted: true },
            Part::Var { name, .. } => Part::Var { name, quoted: true },
            Part::Cmd { script, .. } => Part::Cmd {
                script,
                quoted: true,
            },
            Part::Arith { expr, .. } => Part::Arith { expr, quoted: true },
            Part::Param { name, op, word, .. } => Part::Param {
                name,
                op,
                word,
                quoted: true,
            },
        });
    }
    let _ = Part::is_quoted;
    Some((name.to_string(), value))
}

/// Parse a whole script.
pub fn parse(src: &str) -> Result<Ast, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
    };
    let ast = p.list(&[])?;
    if p.peek().is_some() {
        return err(p.offset(), "unexpected token");
    }
    Ok(ast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_grammar() {
        for ok in [
            "echo hi; echo there",
            "a && b || c",
            "echo a | wc -c > /tmp/x 2>/dev/null",
            "for i in 1 2 3; do echo $i; done",
            "for f in $(seq 1 3)\ndo\n touch /f$f\ndone",
            "X=1 Y=\"a b\"; echo \"$X ${Y}\" '$X' \\$X",
            "echo `echo hi` \"$(echo \"nested $(echo deep)\")\"",
            "! false",
            "# just a comment\n",
            "while [ $i -lt 3 ]; do i=$((i+1)); done",
            "until false\ndo\n echo x\ndone",
            "if a; then b; elif c; then d; else e; fi",
            "if a\nthen\n b\nfi",
        ] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        assert_eq!(
            parse("echo $((i + 1))\"$((2*3))\""),
            Ok(Ast::Simple {
                assigns: vec![],
                words: vec![
                    vec![Part::Lit {
                        text: "echo".into(),
                        quoted: false
                    }],
                    vec![
                        Part::Arith {
                            expr: "i + 1".into(),
                            quoted: false
                        },
                        Part::Lit {
                            text: "".into(),
                            quoted: true
                        },
                        Part::Arith {
                            expr: "2*3".into(),
                            quoted: true
                        }
                    ]
                ],
                redirs: vec![],
            })
        );
        for (bad, msg) in [
            ("echo 'open", "unterminated single quote"),
            ("sleep 1 &", "background jobs (`&`) are not supported"),
            ("case x in esac", "`case` is not supported"),
            ("{ echo; }", "`{` is not supported"),
            ("if true; then echo; done", "expected `fi`"),
            ("while true; echo; done", "expected `do`"),
            ("echo $((1+2)", "unterminated `$(`"),
            (
                "echo ${A/x/y}",
                "`${A/x/y}`: only ${NAME}, ${#NAME} and ${NAME:-word}, :+, -, + are supported",
            ),
            ("for i in 1; echo", "expected `do`"),
            ("echo >", "`>` needs a file name"),
            ("| cat", "expected a command"),
        ] {
            assert_eq!(parse(bad).unwrap_err().message, msg, "{bad}");
        }
    }
}
