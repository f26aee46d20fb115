//! Shell arithmetic, the text of `$((…))`: signed 64-bit integers (decimal, `0x` hex, leading-`0`
//! octal), variables by name (`i`, `$i`, `${i}`; unset or empty is 0), unary `- + ! ~`, binary
//! `* / % + - << >> < <= > >= == != & ^ | && ||` with C precedence, and parentheses. Overflow
//! wraps as in dash. It has no assignment operators (`i += 1`) and no `?:`: those are errors. It
//! does not expand `$(…)` and runs nothing.

/// Evaluate `expr`; `var` looks up a variable's value. Errors are worded like dash's.
pub fn eval(expr: &str, var: &dyn Fn(&str) -> String) -> Result<i64, String> {
    let toks = lex(expr)?;
    let mut p = Parser {
        toks,
        pos: 0,
        var,
        depth: 0,
    };
    let v = p.binary(0)?;
    match p.toks.get(p.pos) {
        None => Ok(v),
        Some(t) => Err(format!("arithmetic expression: unexpected `{}`", t.text())),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(s) => s.clone(),
            Tok::Op(o) => o.to_string(),
        }
    }
}

/// Operators, longest first so that `<<` wins over `<`.
const OPS: [&str; 22] = [
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*", "/", "%", "+", "-", "<", ">", "&", "^",
    "|", "!", "~", "(", ")",
];

fn number(text: &str) -> Result<i64, String> {
    let bad = || format!("arithmetic expression: bad number `{text}`");
    let (digits, radix) =
        if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (h, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            (&text[1..], 8)
        } else {
            (text, 10)
        };
    u64::from_str_radix(digits, radix)
        .map(|v| v as i64)
        .map_err(|_| bad())
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(Tok::Num(number(&s[start..i])?));
        } else if c == b'$' || c.is_ascii_alphabetic() || c == b'_' {
            // `$name` and `${name}` read the same variable as `name`.
            let mut j = i + usize::from(c == b'$');
            let braced = b.get(j) == Some(&b'{');
            j += usize::from(braced);
            let start = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if start == j {
                return Err(format!("arithmetic expression: unexpected `{}`", &s[i..]));
            }
            let name = s[start..j].to_string();
            if braced {
                if b.get(j) != Some(&b'}') {
                    return Err("arithmetic expression: missing `}`".into());
                }
                j += 1;
            }
            out.push(Tok::Name(name));
            i = j;
        } else if let Some(op) = OPS.iter().find(|o| s[i..].starts_with(**o)) {
            if s[i + op.len()..].starts_with('=') && !matches!(*op, "<" | ">" | "!" | "=") {
                return Err(format!(
                    "arithmetic expression: assignment `{op}=` is not supported"
                ));
            }
            out.push(Tok::Op(op));
            i += op.len();
        } else {
            return Err(format!(
                "arithmetic expression: unexpected `{}`",
                &s[i..].chars().next().map(String::from).unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

/// Binary operators by precedence level, loosest first.
const LEVELS: [&[&str]; 10] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", "<=", ">", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    var: &'a dyn Fn(&str) -> String,
    depth: usize,
}

impl Parser<'_> {
    fn op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.op().filter(|o| LEVELS[level].contains(o)) {
            self.pos += 1;
            let right = self.binary(level + 1)?;
            left = apply(op, left, right)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic expression: nested too deeply".into());
        }
        let v = match self.toks.get(self.pos).cloned() {
            Some(Tok::Op(o @ ("-" | "+" | "!" | "~"))) => {
                self.pos += 1;
                let v = self.unary()?;
                match o {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                }
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.binary(0)?;
                if self.op() != Some(")") {
                    return Err("arithmetic expression: missing `)`".into());
                }
                self.pos += 1;
                v
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                n
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                let value = (self.var)(&name);
                let value = value.trim();
                if value.is_empty() {
                    0
                } else {
                    let neg = value.starts_with('-');
                    let n = number(value.trim_start_matches(['-', '+'])).map_err(|_| {
                        format!("arithmetic expression: `{name}` is not a number: `{value}`")
                    })?;
                    if neg {
                        n.wrapping_neg()
                    } else {
                        n
                    }
                }
            }
            Some(t) => return Err(format!("arithmetic expression: unexpected `{}`", t.text())),
            None => return Err("arithmetic expression: expecting primary".into()),
        };
        self.depth -= 1;
        Ok(v)
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("arithmetic expression: division by zero".into()),
        "/" => a.wrapping_div(b),
        _ => a.wrapping_rem(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> String {
        match name {
            "i" => "7".into(),
            "neg" => "-3".into(),
            "word" => "abc".into(),
            _ => String::new(),
        }
    }

    #[test]
    fn evaluates_like_dash() {
        for (expr, want) in [
            ("1+2", 3),
            ("j+1", 1),
            ("i+1", 8),
            ("$i * 2", 14),
            ("${i}-10", -3),
            ("2 + 3 * 4", 14),
            ("(2 + 3) * 4", 20),
            ("7 / 2", 3),
            ("-7 % 3", -1),
            ("i < 100", 1),
            ("i >= 8", 0),
            ("1 << 4 | 1", 17),
            ("!0 && ~0", 1),
            ("neg * neg", 9),
            ("0x10 + 010", 24),
            ("1 == 1 || 0", 1),
        ] {
            assert_eq!(eval(expr, &vars), Ok(want), "{expr}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        for (expr, want) in [
            ("1/0", "arithmetic expression: division by zero"),
            ("1 +", "arithmetic expression: expecting primary"),
            ("(1 + 2", "arithmetic expression: missing `)`"),
            ("1 2", "arithmetic expression: unexpected `2`"),
            (
                "word + 1",
                "arithmetic expression: `word` is not a number: `abc`",
            ),
            (
                "i += 1",
                "arithmetic expression: assignment `+=` is not supported",
            ),
            ("08", "arithmetic expression: bad number `08`"),
            ("1 ? 2 : 3", "arithmetic expression: unexpected `?`"),
        ] {
            assert_eq!(eval(expr, &vars), Err(want.to_string()), "{expr}");
        }
    }
}
