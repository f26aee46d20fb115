//! Shell glob patterns of `${v#p}`, `${v%p}` and `${v/p/r}`, matched with BuildKit's
//! semantics: BuildKit turns `p` into a Go regular expression (`*` → `.*` or `.*?`, `?` → `.`,
//! where `.` does not match a newline) and takes Go's leftmost-first match. This module
//! compiles the same pattern into a tiny program run by a Pike VM, so matching is linear in
//! the input (no backtracking blow-up). No `[…]` classes, as in BuildKit.

/// One pattern element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Star,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    prog: Vec<Inst>,
    anchored: bool,
}

#[derive(Clone, Copy, Debug)]
enum Inst {
    Lit(char),
    Any,
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// Go's `convertShellPatternToRegex`, minus the regexp: the error text matches Go's.
pub fn compile(pattern: &str, greedy: bool, anchored: bool) -> Result<Pattern, String> {
    let chars: Vec<char> = strip_bom(pattern).chars().collect();
    let mut toks = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' => toks.push(Tok::Star),
            '?' => toks.push(Tok::Any),
            '\\' => {
                if matches!(chars.get(i), Some('}') | Some('/')) {
                    continue;
                }
                match chars.get(i) {
                    Some(&t @ ('*' | '?' | '\\')) => {
                        toks.push(Tok::Lit(t));
                        i += 1;
                    }
                    Some(&t) => return Err(format!("invalid escape '\\{t}'")),
                    None => return Err("invalid escape '\\%!c(int32=-1)'".to_string()),
                }
            }
            c => toks.push(Tok::Lit(c)),
        }
    }
    let mut prog = Vec::with_capacity(toks.len() * 3 + 1);
    for t in toks {
        match t {
            Tok::Lit(c) => prog.push(Inst::Lit(c)),
            Tok::Any => prog.push(Inst::Any),
            Tok::Star => {
                let l = prog.len();
                prog.push(if greedy {
                    Inst::Split(l + 1, l + 3)
                } else {
                    Inst::Split(l + 3, l + 1)
                });
                prog.push(Inst::Any);
                prog.push(Inst::Jmp(l));
            }
        }
    }
    prog.push(Inst::Match);
    Ok(Pattern { prog, anchored })
}

fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{FEFF}').unwrap_or(s)
}

struct Threads {
    list: Vec<(usize, usize)>,
    mark: Vec<usize>,
}

impl Pattern {
    /// Leftmost-first match in `s` starting the search at `from`: `(start, end)` char indices.
    pub fn find_at(&self, s: &[char], from: usize) -> Option<(usize, usize)> {
        let n = self.prog.len();
        let mut cur = Threads {
            list: Vec::new(),
            mark: vec![usize::MAX; n],
        };
        let mut next = Threads {
            list: Vec::new(),
            mark: vec![usize::MAX; n],
        };
        let mut matched = None;
        let mut stack = Vec::new();
        for i in from..=s.len() {
            if matched.is_none() && (i == from || !self.anchored) {
                self.add(&mut cur, i, 0, i, &mut stack);
            }
            if cur.list.is_empty() {
                break;
            }
            next.list.clear();
            for k in 0..cur.list.len() {
                let (pc, start) = cur.list[k];
                match self.prog[pc] {
                    Inst::Match => {
                        matched = Some((start, i));
                        break;
                    }
                    Inst::Lit(c) => {
                        if s.get(i) == Some(&c) {
                            self.add(&mut next, i + 1, pc + 1, start, &mut stack);
                        }
                    }
                    Inst::Any => {
                        if matches!(s.get(i), Some(&c) if c != '\n') {
                            self.add(&mut next, i + 1, pc + 1, start, &mut stack);
                        }
                    }
                    Inst::Split(..) | Inst::Jmp(_) => {}
                }
            }
            std::mem::swap(&mut cur, &mut next);
        }
        matched
    }

    fn add(
        &self,
        t: &mut Threads,
        generation: usize,
        pc: usize,
        start: usize,
        stack: &mut Vec<usize>,
    ) {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if t.mark[pc] == generation {
                continue;
            }
            t.mark[pc] = generation;
            match self.prog[pc] {
                Inst::Jmp(x) => stack.push(x),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                _ => t.list.push((pc, start)),
            }
        }
    }
}

/// `${v#p}` / `${v##p}`: remove the shortest / longest prefix matching `pattern`.
pub fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let re = compile(pattern, greedy, true)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let chars: Vec<char> = value.chars().collect();
    Ok(match re.find_at(&chars, 0) {
        Some((_, end)) => chars[end..].iter().collect(),
        None => value.to_string(),
    })
}

/// `${v%p}` / `${v%%p}`: BuildKit reverses pattern and value and trims a prefix.
pub fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let rp = reverse_pattern(pattern);
    let rv: String = value.chars().rev().collect();
    let r = trim_prefix(&rp, &rv, greedy)?;
    Ok(r.chars().rev().collect())
}

fn reverse_pattern(pattern: &str) -> String {
    let p: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; p.len()];
    let last = p.len().wrapping_sub(1);
    let mut i = 0;
    while i < p.len() {
        let out_idx = last - i;
        if p[i] == '\\' && i != last {
            out[out_idx - 1] = p[i];
            out[out_idx] = p[i + 1];
            i += 2;
        } else {
            out[out_idx] = p[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${v/p/r}` (first match) and `${v//p/r}` (all), with Go's `ReplaceAllString` rules
/// (`$0`, `${0}` and `$$` in the replacement are template references, as in Go).
pub fn replace(pattern: &str, value: &str, repl: &str, all: bool) -> Result<String, String> {
    let re = compile(pattern, true, false)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let s: Vec<char> = value.chars().collect();
    if !all {
        return Ok(match re.find_at(&s, 0) {
            Some((a, b)) => {
                let mut out: String = s[..a].iter().collect();
                out.push_str(repl);
                out.extend(&s[b..]);
                out
            }
            None => value.to_string(),
        });
    }
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= s.len() {
        let Some((a, b)) = re.find_at(&s, search) else {
            break;
        };
        out.extend(&s[last_end..a]);
        if b > last_end || a == 0 {
            expand_template(&mut out, repl, &s[a..b]);
        }
        last_end = b;
        if search + 1 > b {
            search += 1;
        } else {
            search = b;
        }
    }
    out.extend(&s[last_end.min(s.len())..]);
    Ok(out)
}

/// Go's `regexp.Expand` for a regexp with no capture groups: only group 0 exists.
fn expand_template(out: &mut String, template: &str, whole: &[char]) {
    let mut t = template;
    while let Some(idx) = t.find('$') {
        out.push_str(&t[..idx]);
        t = &t[idx + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            out.push('$');
            t = rest;
            continue;
        }
        match extract_ref(t) {
            Some((name, rest)) => {
                if name == "0" {
                    out.extend(whole);
                }
                t = rest;
            }
            None => out.push('$'),
        }
    }
    out.push_str(t);
}

fn extract_ref(s: &str) -> Option<(&str, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphabetic() || c.is_numeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let rest = &body[len..];
    if brace {
        let rest = rest.strip_prefix('}')?;
        return Some((name, rest));
    }
    Some((name, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_suffix() {
        assert_eq!(trim_prefix("a*", "abcabc", false).unwrap(), "bcabc");
        assert_eq!(trim_prefix("a*c", "abcabc", true).unwrap(), "");
        assert_eq!(trim_prefix("a*c", "abcabc", false).unwrap(), "abc");
        assert_eq!(trim_suffix("b*", "abcabc", false).unwrap(), "abca");
        assert_eq!(trim_suffix("b*", "abcabc", true).unwrap(), "a");
        assert_eq!(trim_prefix("*", "a\nb", true).unwrap(), "\nb");
        assert!(trim_prefix("\\x", "a", true).is_err());
    }

    #[test]
    fn replacing() {
        assert_eq!(replace("b", "abcb", "X", false).unwrap(), "aXcb");
        assert_eq!(replace("b", "abcb", "X", true).unwrap(), "aXcX");
        assert_eq!(replace("", "ab", "X", false).unwrap(), "Xab");
        assert_eq!(replace("", "ab", "X", true).unwrap(), "XaXbX");
        assert_eq!(replace("b", "abc", "<$0$$>", true).unwrap(), "a<b$>c");
    }
}
