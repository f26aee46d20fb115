//! BuildKit's `BFlags`: per-instruction flag declarations and the checks on them (unknown
//! flag, repeated flag, boolean values, missing values). It does not expand flag values.

use std::fmt;

/// The kind of a declared flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--link`, `--link=true`, `--link=false` (any case).
    Bool,
    /// `--from=x` (must have a value, may not repeat).
    String,
    /// `--mount=x` (must have a value, may repeat).
    Strings,
}

/// A flag check failure (message as BuildKit words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError(pub String);

impl fmt::Display for FlagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parsed flag values of one instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    values: Vec<(String, Vec<String>)>,
}

impl Flags {
    /// Last value of a string flag.
    pub fn string(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.last()).map(String::as_str)
    }

    /// All values of a repeatable flag.
    pub fn strings(&self, name: &str) -> Vec<String> {
        self.get(name).cloned().unwrap_or_default()
    }

    /// A boolean flag: `None` if absent.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.string(name).map(|v| v == "true")
    }

    fn get(&self, name: &str) -> Option<&Vec<String>> {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Check `raw` flags (`--name=value` as the parser kept them) against `decl`.
pub fn parse_flags(raw: &[String], decl: &[(&str, FlagKind)]) -> Result<Flags, FlagError> {
    let mut out = Flags::default();
    for arg in raw {
        let Some(body) = arg.strip_prefix("--") else {
            return Err(FlagError(format!("arg should start with -- : {arg}")));
        };
        if body.is_empty() {
            break;
        }
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let Some(&(_, kind)) = decl.iter().find(|(n, _)| *n == name) else {
            let mut msg = format!("unknown flag: --{name}");
            if let Some(s) = super::suggest(name, decl.iter().map(|(n, _)| *n)) {
                msg.push_str(&format!(" (did you mean {s}?)"));
            }
            return Err(FlagError(msg));
        };
        let seen = out.values.iter().position(|(k, _)| k == name);
        if seen.is_some() && kind != FlagKind::Strings {
            return Err(FlagError(format!("duplicate flag specified: {name}")));
        }
        let v = match kind {
            FlagKind::Bool => match value {
                Some("") => return Err(FlagError(format!("missing a value on flag: {name}"))),
                None => "true".to_string(),
                Some(v) => match v.to_lowercase().as_str() {
                    "true" => "true".to_string(),
                    "false" => "false".to_string(),
                    _ => {
                        return Err(FlagError(format!(
                            "expecting boolean value for flag {name}, not: {v}"
                        )))
                    }
                },
            },
            FlagKind::String | FlagKind::Strings => match value {
                Some(v) => v.to_string(),
                None => return Err(FlagError(format!("missing a value on flag: {name}"))),
            },
        };
        match seen {
            Some(i) => out.values[i].1.push(v),
            None => out.values.push((name.to_string(), vec![v])),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn checks() {
        let decl = [
            ("link", FlagKind::Bool),
            ("from", FlagKind::String),
            ("exclude", FlagKind::Strings),
        ];
        let f = parse_flags(
            &s(&["--link", "--from=a", "--exclude=x", "--exclude=y"]),
            &decl,
        )
        .unwrap();
        assert_eq!(f.bool("link"), Some(true));
        assert_eq!(f.string("from"), Some("a"));
        assert_eq!(f.strings("exclude"), s(&["x", "y"]));
        assert_eq!(
            parse_flags(&s(&["--link="]), &decl).unwrap_err().0,
            "missing a value on flag: link"
        );
        assert_eq!(
            parse_flags(&s(&["--from"]), &decl).unwrap_err().0,
            "missing a value on flag: from"
        );
        assert_eq!(
            parse_flags(&s(&["--from=a", "--from=b"]), &decl)
                .unwrap_err()
                .0,
            "duplicate flag specified: from"
        );
        assert_eq!(
            parse_flags(&s(&["--link=yes"]), &decl).unwrap_err().0,
            "expecting boolean value for flag link, not: yes"
        );
        assert_eq!(
            parse_flags(&s(&["--form=a"]), &decl).unwrap_err().0,
            "unknown flag: --form (did you mean from?)"
        );
    }
}
