//! Shell-word expansion exactly as BuildKit's `shell.Lex`: `$v`, `${v}`, `${v:-w}`, `${v-w}`,
//! `${v:+w}`, `${v+w}`, `${v:?m}`, `${v?m}`, `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`,
//! `${v/p/r}`, `${v//p/r}`, single and double quotes, the escape character, and word
//! splitting ([`Lexer::process_words`]). Unsupported forms fail as in BuildKit.
//!
//! It does not decide *which* instructions are expanded (see `instructions`), and it runs no
//! commands: backticks and `$(…)` are plain text.
//!
//! ```
//! use layerscope::dockerfile::expand::{expand_word, MapEnv};
//! let env = MapEnv::from_pairs([("A", "x")]);
//! assert_eq!(expand_word("${A:-y}-${B:-z}", &env, '\\').unwrap(), "x-z");
//! ```

use super::pattern;
use std::collections::BTreeSet;
use std::fmt;

/// Where variable values come from.
pub trait Env {
    /// The value of `name`, or `None` when unset.
    fn get(&self, name: &str) -> Option<String>;
}

/// A simple ordered environment (later entries win), optionally case-insensitive
/// (Windows semantics).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapEnv {
    pub vars: Vec<(String, String)>,
    pub case_insensitive: bool,
}

impl MapEnv {
    /// Build from `(name, value)` pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        MapEnv {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            case_insensitive: false,
        }
    }

    /// Set (or replace) a variable.
    pub fn set(&mut self, name: &str, value: &str) {
        let ci = self.case_insensitive;
        self.vars.retain(|(k, _)| !name_eq(k, name, ci));
        self.vars.push((name.to_string(), value.to_string()));
    }
}

fn name_eq(a: &str, b: &str, ci: bool) -> bool {
    if ci {
        a.to_uppercase() == b.to_uppercase()
    } else {
        a == b
    }
}

impl Env for MapEnv {
    fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| name_eq(k, name, self.case_insensitive))
            .map(|(_, v)| v.clone())
    }
}

/// An expansion failure. `message` is BuildKit's text
/// (`failed to process "…": syntax error: missing '}'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// The result of [`Lexer::process_word_with_matches`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub result: String,
    /// Variable names looked up and found.
    pub matched: BTreeSet<String>,
    /// Variable names looked up and not found (BuildKit's `UndefinedVar` lint input).
    pub unmatched: BTreeSet<String>,
}

/// BuildKit's `shell.Lex` with its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexer {
    /// The escape character (`\` or `` ` ``).
    pub escape: char,
    /// Keep quote characters in the output.
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (heredoc bodies).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset_env: bool,
}

/// Expand one word (`ProcessWord`) with the given escape character.
pub fn expand_word(word: &str, env: &dyn Env, escape: char) -> Result<String, ExpandError> {
    Lexer::new(escape).process_word(word, env)
}

/// Expand and split into words (`ProcessWords`) with the given escape character.
pub fn expand_words(word: &str, env: &dyn Env, escape: char) -> Result<Vec<String>, ExpandError> {
    Lexer::new(escape).process_words(word, env)
}

impl Lexer {
    /// A lexer with BuildKit's defaults.
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// `ProcessWord`: one string, no word splitting.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<String, ExpandError> {
        self.run(word, env).map(|(s, _, _)| s.result)
    }

    /// `ProcessWordWithMatches`: one string plus the names found / not found.
    pub fn process_word_with_matches(
        &self,
        word: &str,
        env: &dyn Env,
    ) -> Result<Expansion, ExpandError> {
        self.run(word, env).map(|(s, _, _)| s)
    }

    /// `ProcessWords`: expansion plus splitting at unquoted whitespace.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        self.run(word, env).map(|(_, w, _)| w)
    }

    fn run(&self, word: &str, env: &dyn Env) -> Result<(Expansion, Vec<String>, ()), ExpandError> {
        let src = word.strip_prefix('\u{FEFF}').unwrap_or(word);
        let mut sw = ShellWord {
            lex: *self,
            env,
            chars: src.chars().collect(),
            pos: 0,
            raw_escapes: self.raw_escapes,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        };
        match sw.process_stop_on(None, self.raw_escapes) {
            Ok((result, words)) => Ok((
                Expansion {
                    result,
                    matched: sw.matched,
                    unmatched: sw.unmatched,
                },
                words,
                (),
            )),
            Err(e) => Err(ExpandError {
                message: format!(
                    "failed to process {}: {e}",
                    super::gotext::quote(word.as_bytes())
                ),
            }),
        }
    }
}

struct ShellWord<'a> {
    lex: Lexer,
    env: &'a dyn Env,
    chars: Vec<char>,
    pos: usize,
    raw_escapes: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }
    fn add_raw_char(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }
    fn add_string(&mut self, s: &str) {
        for c in s.chars() {
            self.add_char(c);
        }
    }
    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

type R<T> = Result<T, String>;

impl ShellWord<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => {
                self.matched.insert(name.to_string());
                Some(v)
            }
            None => {
                self.unmatched.insert(name.to_string());
                None
            }
        }
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> R<(String, Vec<String>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.process_stop_on_inner(stop);
        self.raw_escapes = saved;
        r
    }

    fn process_stop_on_inner(&mut self, stop: Option<char>) -> R<(String, Vec<String>)> {
        let raw_escapes = self.raw_escapes;
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                return Ok((result, words.finish()));
            }
            let special = match ch {
                '$' | '<' => true,
                '\'' | '"' => !self.lex.skip_process_quotes,
                _ => false,
            };
            if special {
                let tmp = match ch {
                    '\'' => self.single_quote()?,
                    '"' => self.double_quote()?,
                    '<' => self.possible_heredoc(),
                    _ => self.dollar()?,
                };
                result.push_str(&tmp);
                if ch == '$' {
                    words.add_string(&tmp);
                } else {
                    words.add_raw_string(&tmp);
                }
                continue;
            }
            let mut ch = self.next().unwrap_or('\0');
            if ch == self.lex.escape {
                if raw_escapes {
                    words.add_raw_char(ch);
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(c) => ch = c,
                }
                words.add_raw_char(ch);
            } else {
                words.add_char(ch);
            }
            result.push(ch);
        }
        if let Some(s) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {s}"
            ));
        }
        Ok((result, words.finish()))
    }

    fn single_quote(&mut self) -> R<String> {
        let mut result = String::new();
        let q = self.next().unwrap_or('\'');
        if self.lex.raw_quotes {
            result.push(q);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    )
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> R<String> {
        let mut result = String::new();
        let q = self.next().unwrap_or('"');
        if self.lex.raw_quotes {
            result.push(q);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    result.push_str(&v);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or('\0');
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                ch = c;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `<<` keeps the blanks that follow it, so `<< EOF` stays one word.
    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c @ (' ' | '\t' | '\r' | '\n')) = self.peek() {
            out.push(c);
            self.next();
        }
        out
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(c) = self.peek() {
                    if !is_go_digit(c) {
                        break;
                    }
                    name.push(c);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphabetic() && !is_go_digit(ch) && ch != '_' {
                break;
            }
            name.push(ch);
            self.next();
        }
        name
    }

    fn dollar(&mut self) -> R<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            _ => {}
        }
        let name = self.process_name();
        let first = self.next();
        // Go's `string(scanner.EOF)` is U+FFFD.
        let mut chs: String = first.unwrap_or('\u{FFFD}').to_string();
        match first {
            Some('}') => {
                return Ok(match self.get_env(&name) {
                    Some(v) => v,
                    None if self.lex.skip_unset_env => format!("${{{name}}}"),
                    None => String::new(),
                });
            }
            Some('/') => return self.replace(&name),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {}
            _ => return Err(format!("unsupported modifier ({chs}) in substitution")),
        }
        let mut ch = first;
        let null_is_unset = ch == Some(':');
        if null_is_unset {
            ch = self.next();
            chs.push(ch.unwrap_or('\u{FFFD}'));
        }
        let raw = matches!(ch, Some('#' | '%'));
        if null_is_unset && raw {
            return Err(format!("unsupported modifier ({chs}) in substitution"));
        }
        let word = match self.process_stop_on(Some('}'), raw) {
            Ok((w, _)) => w,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '}'".into());
                }
                return Err(e);
            }
        };
        let value = self.get_env(&name);
        if self.lex.skip_unset_env && value.is_none() {
            return Ok(format!("${{{name}{chs}{word}}}"));
        }
        let empty = null_is_unset && value.as_deref() == Some("");
        match ch {
            Some('-') => Ok(match value {
                Some(v) if !empty => v,
                _ => word,
            }),
            Some('+') => Ok(match value {
                Some(_) if !empty => word,
                _ => String::new(),
            }),
            Some('?') => match value {
                None => Err(format!(
                    "{name}: {}",
                    if word.is_empty() {
                        "is not allowed to be unset"
                    } else {
                        &word
                    }
                )),
                Some(_) if empty => Err(format!(
                    "{name}: {}",
                    if word.is_empty() {
                        "is not allowed to be empty"
                    } else {
                        &word
                    }
                )),
                Some(v) => Ok(v),
            },
            Some(c @ ('#' | '%')) => {
                let (greedy, pat) = match word.strip_prefix(c) {
                    Some(p) => (true, p),
                    None => (false, word.as_str()),
                };
                let v = value.unwrap_or_default();
                if c == '%' {
                    pattern::trim_suffix(pat, &v, greedy)
                } else {
                    pattern::trim_prefix(pat, &v, greedy)
                }
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn replace(&mut self, name: &str) -> R<String> {
        let all = self.peek() == Some('/');
        if all {
            self.next();
        }
        let pat = match self.process_stop_on(Some('/'), true) {
            Ok((p, _)) => p,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '/' in ${}".into());
                }
                return Err(e);
            }
        };
        let repl = match self.process_stop_on(Some('}'), true) {
            Ok((r, _)) => r,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '}'".into());
                }
                return Err(e);
            }
        };
        let value = self.get_env(name);
        if self.lex.skip_unset_env && value.is_none() {
            return Ok(format!("${{{name}/{pat}/{repl}}}"));
        }
        pattern::replace(&pat, &value.unwrap_or_default(), &repl, all)
    }
}

/// Go's `unicode.IsDigit` (decimal digits, category Nd).
fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    // Nd characters are exactly those with a decimal value; Rust's `to_digit` only knows
    // ASCII, so use the Numeric property narrowed to characters whose scalar sits in a run
    // of ten (every Nd block is a contiguous run of ten starting at a multiple of 16 or 10).
    c.is_numeric() && nd_char(c)
}

fn nd_char(c: char) -> bool {
    // Nd runs start at these code points (Unicode 15 subset covering common scripts);
    // a character is Nd when it lies within 10 of one of them.
    const STARTS: &[u32] = &[
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
        0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
        0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60,
        0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0,
        0x1E950, 0x1FBF0,
    ];
    let u = c as u32;
    STARTS.iter().any(|&s| u >= s && u < s + 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        let env = MapEnv::from_pairs([("PWD", "/home"), ("E", "")]);
        let p = |w: &str| expand_word(w, &env, '\\');
        assert_eq!(p("he${XXX:-${PWD:-yyy}}xx").unwrap(), "he/homexx");
        assert_eq!(p("\"he\\\\$PWD\"").unwrap(), "he\\/home");
        assert!(p("he${E:?}").is_err());
        assert_eq!(p("he${E?}").unwrap(), "he");
        assert_eq!(p("$1x$.").unwrap(), "x$.");
        assert!(p("${PWD").is_err());
        assert!(p("${#PWD}").is_err());
        let words = expand_words("a${S}b \"c d\"", &MapEnv::from_pairs([("S", "1 2")]), '\\');
        assert_eq!(words.unwrap(), vec!["a1", "2b", "c d"]);
    }
}
