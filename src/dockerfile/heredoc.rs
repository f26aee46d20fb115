//! Heredoc recognition: BuildKit's `ParseHeredoc` on one shell word and `heredocsFromLine`
//! on a joined instruction line (split by the shell lexer with escape `\`, quotes and escapes
//! kept). It finds names, fds, chomp and expand flags; reading the bodies is the parser's job.

use super::expand::{Lexer, MapEnv};
use super::gotext::lossy;

/// A heredoc header (body not read yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocHeader {
    pub name: String,
    pub fd: u64,
    pub expand: bool,
    pub chomp: bool,
}

fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// `ParseHeredoc`: `Ok(None)` when `src` is not a heredoc word, `Err` for bad quoting.
pub fn parse_heredoc(src: &str) -> Result<Option<HeredocHeader>, String> {
    // ^(\d*)<<(-?)\s*([^<]*)$
    let digits = src.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = src[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches(is_re_space);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = if digits == 0 {
        0
    } else {
        src[..digits].parse::<u64>().unwrap_or(u64::MAX)
    };
    let env = MapEnv::default();
    let mut lex = Lexer::new('\\');
    lex.skip_unset_env = true;
    let words = lex.process_words(rest, &env).map_err(|e| e.message)?;
    if words.len() != 1 {
        return Ok(None);
    }
    lex.raw_quotes = true;
    let raw = lex.process_words(rest, &env).map_err(|e| e.message)?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let count = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let name = words.into_iter().next().unwrap_or_default();
    let expand = count(&name) == count(&raw[0]);
    Ok(Some(HeredocHeader {
        name,
        fd,
        expand,
        chomp,
    }))
}

/// `heredocsFromLine`: the heredoc words of a joined instruction line, in order.
pub fn heredocs_from_line(line: &[u8]) -> Result<Vec<HeredocHeader>, String> {
    let mut lex = Lexer::new('\\');
    lex.raw_quotes = true;
    lex.raw_escapes = true;
    lex.skip_unset_env = true;
    let words = lex
        .process_words(&lossy(line), &MapEnv::default())
        .unwrap_or_default();
    let mut docs = Vec::new();
    for w in words {
        if let Some(h) = parse_heredoc(&w)? {
            docs.push(h);
        }
    }
    Ok(docs)
}
