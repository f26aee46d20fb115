//! Pattern matching of path names: one segment against a pattern (`*`, `?`, `[abc]`, `[a-z]`,
//! `[!x]`/`[^x]`, `\x`), shared by the shell's pathname expansion and the build context's
//! `.dockerignore` (Go `filepath.Match` has the same syntax on one segment), and the shell's
//! expansion of a whole pattern against a file system (sorted matches; a name starting with `.`
//! only when the pattern segment does too). It does not split words.

use super::exec::Shell;
use super::fs::Fs;
use crate::image::EntryKind;

/// Matches found beyond this many stop the expansion (the rest are dropped).
const MATCH_LIMIT: usize = 100_000;

/// Whether a pattern has an unescaped `*`, `?` or a closed `[…]` (a lone `[`, as in the `[`
/// command, is literal).
pub fn has_magic(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if p.iter().skip(i + 2).any(|&c| c == b']') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// `p` with its backslash escapes removed.
pub fn unescape(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        out.push(p[i]);
        i += 1;
    }
    out
}

/// Whether the name `s` matches the one-segment pattern `p`.
pub fn matches_segment(p: &[u8], s: &[u8]) -> bool {
    // Iterative with one backtrack point per `*`: linear in practice, never exponential.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                b'?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' => {
                    if let Some((hit, next)) = class(&p[pi..], s[si]) {
                        if hit {
                            pi += next;
                            si += 1;
                            continue;
                        }
                    }
                }
                b'\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == s[si] {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                }
                c if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// A bracket expression at the start of `p` against `c`: (matched, its length), or `None` when
/// it is not closed (then `[` fails to match).
fn class(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let end = p.iter().skip(2).position(|&x| x == b']').map(|x| x + 2)?;
    let mut set = &p[1..end];
    let negate = matches!(set.first(), Some(b'^') | Some(b'!'));
    if negate {
        set = &set[1..];
    }
    let mut hit = false;
    let mut i = 0;
    while i < set.len() {
        if i + 2 < set.len() && set[i + 1] == b'-' {
            hit |= set[i] <= c && c <= set[i + 2];
            i += 3;
        } else {
            hit |= set[i] == c;
            i += 1;
        }
    }
    Some((hit != negate, end + 1))
}

/// The paths that `pattern` (escapes as in the word: quoted magic characters are escaped)
/// names, sorted; relative patterns give relative paths. Empty when nothing matches.
pub fn expand(sh: &Shell, fs: &dyn Fs, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    // (path as shown, normalised path in the file system)
    let mut found: Vec<(String, Vec<u8>)> = vec![(
        if absolute { "/".into() } else { String::new() },
        if absolute { Vec::new() } else { sh.cwd.clone() },
    )];
    let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    for (k, seg) in segs.iter().enumerate() {
        let last = k + 1 == segs.len();
        let mut next = Vec::new();
        for (shown, at) in &found {
            let join = |name: &str| {
                if shown.is_empty() || shown.ends_with('/') {
                    format!("{shown}{name}")
                } else {
                    format!("{shown}/{name}")
                }
            };
            if has_magic(seg.as_bytes()) {
                let Ok(dir) = sh.resolve(fs, &format!("/{}", String::from_utf8_lossy(at)), true)
                else {
                    continue;
                };
                let Ok(names) = fs.list(&dir) else { continue };
                for n in names {
                    if n.starts_with(b".") && !seg.starts_with('.') {
                        continue;
                    }
                    if !matches_segment(seg.as_bytes(), &n) {
                        continue;
                    }
                    let name = String::from_utf8_lossy(&n).into_owned();
                    let child = child_of(&dir, &n);
                    if !last && !is_dir(sh, fs, &child) {
                        continue;
                    }
                    next.push((join(&name), child));
                    if next.len() > MATCH_LIMIT {
                        break;
                    }
                }
            } else {
                let name = String::from_utf8_lossy(&unescape(seg.as_bytes())).into_owned();
                let child = child_of(at, name.as_bytes());
                let abs = format!("/{}", String::from_utf8_lossy(&child));
                let exists = sh
                    .resolve(fs, &abs, false)
                    .is_ok_and(|p| fs.stat(&p).is_ok());
                if exists {
                    next.push((join(&name), child));
                }
            }
        }
        found = next;
    }
    let mut out: Vec<String> = found.into_iter().map(|(s, _)| s).collect();
    if pattern.ends_with('/') {
        for s in &mut out {
            s.push('/');
        }
    }
    out.sort();
    out
}

fn child_of(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir.is_empty() {
        name.to_vec()
    } else {
        [dir, b"/", name].concat()
    }
}

fn is_dir(sh: &Shell, fs: &dyn Fs, path: &[u8]) -> bool {
    let abs = format!("/{}", String::from_utf8_lossy(path));
    sh.resolve(fs, &abs, true)
        .and_then(|p| fs.stat(&p))
        .is_ok_and(|m| m.kind == EntryKind::Dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_match_like_fnmatch() {
        for (pattern, name, want) in [
            ("*", "anything", true),
            ("*.txt", "a.txt", true),
            ("*.txt", "a.txt.bak", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("?.py", "a.py", true),
            ("?.py", "ab.py", false),
            ("[abc]x", "bx", true),
            ("[a-c]x", "dx", false),
            ("[!a-c]x", "dx", true),
            ("[^a-c]x", "ax", false),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("[", "[", false),
            ("*a*a*a*a*a*a*a*a*b", &"a".repeat(60), false),
        ] {
            assert_eq!(
                matches_segment(pattern.as_bytes(), name.as_bytes()),
                want,
                "{pattern} ~ {name}"
            );
        }
        assert!(has_magic(b"/var/lib/apt/lists/*"));
        assert!(has_magic(b"[ab]"));
        assert!(!has_magic(b"["));
        assert!(!has_magic(b"[]"));
        assert!(!has_magic(b"a\\*b"));
        assert_eq!(unescape(b"a\\*b"), b"a*b");
    }
}
