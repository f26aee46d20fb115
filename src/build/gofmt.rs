//! Go's `fmt` renderings that Docker's history texts inherit: `%q` of strings and string
//! slices, `%v` of string slices, `time.Duration.String()` and `%q` of an int (a quoted rune).
//! Nothing else.

/// `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `fmt.Sprintf("%q", []string{…})`: `["a" "b"]`.
pub fn quote_slice(v: &[String]) -> String {
    let parts: Vec<String> = v.iter().map(|s| quote(s)).collect();
    format!("[{}]", parts.join(" "))
}

/// `fmt.Sprintf("%v", []string{…})`: `[a b]`.
pub fn plain_slice(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

/// `fmt.Sprintf("%q", int)`: the int as a quoted rune (`'\x03'`, `'A'`).
pub fn quote_rune(n: i64) -> String {
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some('\'') => "'\\''".to_string(),
        Some('\\') => "'\\\\'".to_string(),
        Some('\n') => "'\\n'".to_string(),
        Some('\t') => "'\\t'".to_string(),
        Some('\r') => "'\\r'".to_string(),
        Some('\x07') => "'\\a'".to_string(),
        Some('\x08') => "'\\b'".to_string(),
        Some('\x0c') => "'\\f'".to_string(),
        Some('\x0b') => "'\\v'".to_string(),
        Some(c) if (c as u32) < 0x20 || c as u32 == 0x7f => format!("'\\x{:02x}'", c as u32),
        Some(c) => format!("'{c}'"),
        None => format!("%!q(int={n})"),
    }
}

/// `time.Duration(ns).String()`: `0s`, `30s`, `1m30s`, `1h0m0s`, `500ms`, `1.5s`.
pub fn duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{sign}{}{unit}", frac(u, div));
    }
    let h = u / 3_600_000_000_000;
    let rem = u % 3_600_000_000_000;
    let m = rem / 60_000_000_000;
    let s_ns = rem % 60_000_000_000;
    let secs = format!("{}s", frac(s_ns, 1_000_000_000));
    if h > 0 {
        format!("{sign}{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{sign}{m}m{secs}")
    } else {
        format!("{sign}{secs}")
    }
}

fn frac(v: u64, div: u64) -> String {
    let whole = v / div;
    let rest = v % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Parse a Dockerfile duration flag (`30s`, `1m30s`, `500ms`, `1h`) to nanoseconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let mut total: f64 = 0.0;
    let b = s.as_bytes();
    let mut i = 0;
    if s.is_empty() {
        return None;
    }
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let num: f64 = s[start..i].parse().ok()?;
        let ustart = i;
        while i < b.len() && !(b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let mult = match &s[ustart..i] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += num * mult;
    }
    Some(total as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_renderings() {
        assert_eq!(
            quote_slice(&["python".into(), "app.py".into()]),
            r#"["python" "app.py"]"#
        );
        assert_eq!(quote(r#"echo "$X""#), r#""echo \"$X\"""#);
        assert_eq!(
            plain_slice(&["/bin/sh".into(), "-c".into()]),
            "[/bin/sh -c]"
        );
        assert_eq!(quote_rune(3), r"'\x03'");
        assert_eq!(quote_rune(65), "'A'");
        assert_eq!(duration(30_000_000_000), "30s");
        assert_eq!(duration(90_000_000_000), "1m30s");
        assert_eq!(duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(duration(500_000_000), "500ms");
        assert_eq!(duration(1_500_000_000), "1.5s");
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("3s"), Some(3_000_000_000));
    }
}
