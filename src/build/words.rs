//! Dockerfile word processing as the builders do it for ENV, ARG, LABEL, COPY, WORKDIR, USER,
//! EXPOSE, VOLUME and FROM: quotes removed, backslash escapes, `$VAR` / `${VAR}` / `${VAR:-x}` /
//! `${VAR:+x}` expansion (not inside single quotes). It does not run shell syntax (RUN is the
//! shell's business).

/// Look up a variable; `None` when unset.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Split into words on unquoted whitespace, each with quotes removed and variables expanded.
pub fn process_words(s: &str, env: Lookup) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            if in_word {
                words.push(std::mem::take(&mut cur));
                in_word = false;
            }
            i += 1;
            continue;
        }
        in_word = true;
        i = lex_one(&chars, i, &mut cur, env);
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// One word (whitespace kept), quotes removed, variables expanded.
pub fn process_word(s: &str, env: Lookup) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        i = lex_one(&chars, i, &mut out, env);
    }
    out
}

/// Lex one unit at `i` (a quoted string, an escape, a variable or a plain char); return the
/// next index.
fn lex_one(chars: &[char], mut i: usize, out: &mut String, env: Lookup) -> usize {
    match chars[i] {
        '\'' => {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i + 1
        }
        '"' => {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\'
                    && i + 1 < chars.len()
                    && matches!(chars[i + 1], '"' | '\\' | '$')
                {
                    out.push(chars[i + 1]);
                    i += 2;
                } else if chars[i] == '$' {
                    i = expand_var(chars, i, out, env);
                } else {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            i + 1
        }
        '\\' => {
            if i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i + 2
            } else {
                i + 1
            }
        }
        '$' => expand_var(chars, i, out, env),
        c => {
            out.push(c);
            i + 1
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expand `$NAME` or `${…}` at `i` (which holds `$`).
fn expand_var(chars: &[char], i: usize, out: &mut String, env: Lookup) -> usize {
    let mut j = i + 1;
    if j < chars.len() && chars[j] == '{' {
        let close = match chars[j..].iter().position(|&c| c == '}') {
            Some(p) => j + p,
            None => {
                out.push('$');
                return i + 1;
            }
        };
        let inner: String = chars[j + 1..close].iter().collect();
        let (name, op, word) = if let Some(p) = inner.find(":-") {
            (&inner[..p], ":-", &inner[p + 2..])
        } else if let Some(p) = inner.find(":+") {
            (&inner[..p], ":+", &inner[p + 2..])
        } else {
            (inner.as_str(), "", "")
        };
        let val = env(name);
        match op {
            ":-" => match val {
                Some(v) if !v.is_empty() => out.push_str(&v),
                _ => out.push_str(&process_word(word, env)),
            },
            ":+" => {
                if matches!(val, Some(ref v) if !v.is_empty()) {
                    out.push_str(&process_word(word, env));
                }
            }
            _ => out.push_str(&val.unwrap_or_default()),
        }
        return close + 1;
    }
    j = i + 1;
    while j < chars.len() && is_name_char(chars[j]) {
        j += 1;
    }
    if j == i + 1 {
        out.push('$');
        return i + 1;
    }
    let name: String = chars[i + 1..j].iter().collect();
    out.push_str(&env(&name).unwrap_or_default());
    j
}

/// `KEY=VALUE …` pairs (ENV, LABEL, ARG), or the legacy `KEY value with spaces` form.
pub fn key_values(args: &str, env: Lookup) -> Vec<(String, String)> {
    let first = args.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let key = first.to_string();
        let rest = args.trim_start()[first.len()..].trim();
        return vec![(key, process_word(rest, env))];
    }
    process_words(args, env)
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (w, String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(n: &str) -> Option<String> {
        match n {
            "V" => Some("1.2.3".into()),
            "E" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn quotes_and_expansion() {
        let kv = key_values(
            r#"a="x ${V}" b='$V' c=\"q\" d="" e=${E:-def} f=${V:+set}"#,
            &env,
        );
        assert_eq!(
            kv,
            vec![
                ("a".into(), "x 1.2.3".into()),
                ("b".into(), "$V".into()),
                ("c".into(), "\"q\"".into()),
                ("d".into(), "".into()),
                ("e".into(), "def".into()),
                ("f".into(), "set".into()),
            ]
        );
        assert_eq!(
            key_values("KEY some value", &env),
            vec![("KEY".into(), "some value".into())]
        );
        assert_eq!(process_words("$V/x  y", &env), vec!["1.2.3/x", "y"]);
    }
}
