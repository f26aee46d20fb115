//! The number formats of the Go tools whose output layerscope reproduces: Go's `%v` and `%.Ng`
//! for floats, docker/go-units `HumanSizeWithPrecision` (`docker ps -s`, `docker history`) and
//! dustin/go-humanize `Bytes` (dive). It formats only; it computes nothing.

/// Shortest round-trip digits and decimal exponent of a finite, non-zero `f`: (`"39647"`, -5).
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    (mant.replace('.', ""), exp.parse().unwrap_or(0))
}

/// Digits rounded to `prec` significant digits and the decimal exponent: (`"775"`, 0) for 7.75.
fn rounded_digits(f: f64, prec: usize) -> (String, i32) {
    let s = format!("{:.*e}", prec.saturating_sub(1), f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    (mant.replace('.', ""), exp.parse().unwrap_or(0))
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" }.into())
    } else if f == 0.0 {
        Some(if f.is_sign_negative() { "-0" } else { "0" }.into())
    } else {
        None
    }
}

/// Go's `%e`-style tail: `e-05`, `e+08`.
fn exp_suffix(exp: i32) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("e{sign}{:02}", exp.abs())
}

/// Lay out `digits` (no trailing zeros needed) with decimal exponent `exp` the way %g does.
fn layout_g(neg: bool, digits: &str, exp: i32, eprec: i32) -> String {
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if exp < -4 || exp >= eprec {
        s.push_str(&digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push_str(&exp_suffix(exp));
    } else if exp < 0 {
        s.push_str("0.");
        for _ in 0..(-exp - 1) {
            s.push('0');
        }
        s.push_str(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            s.push_str(digits);
            for _ in digits.len()..int_len {
                s.push('0');
            }
        } else {
            s.push_str(&digits[..int_len]);
            s.push('.');
            s.push_str(&digits[int_len..]);
        }
    }
    s
}

/// Go's `fmt` `%v` of a float64: `%g` with the shortest digits, so the `%e` form is used below
/// 1e-4 and from 1e6 on (`fmt.Println(1e6)` prints `1e+06`).
pub fn go_v(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (d, e) = shortest_digits(f);
    layout_g(f < 0.0, &d, e, 6)
}

/// Go's `%.Ng` of a float64.
pub fn go_g(f: f64, prec: usize) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let prec = prec.max(1);
    let (d, e) = rounded_digits(f, prec);
    layout_g(f < 0.0, &d, e, prec as i32)
}

/// docker/go-units `HumanSizeWithPrecision`: decimal units, `%.{prec}g` (`5B`, `7.75MB`).
pub fn human_size_precision(size: f64, prec: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = size;
    let mut i = 0;
    while size >= 1000.0 && i < UNITS.len() - 1 {
        size /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(size, prec), UNITS[i])
}

/// dustin/go-humanize `Bytes`: `0 B`, `155 B`, `1.2 kB`, `16 MB`.
pub fn humanize_bytes(s: u64) -> String {
    const SIZES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    if s < 10 {
        return format!("{s} B");
    }
    let e = ((s as f64).ln() / 1000f64.ln()).floor();
    let suffix = SIZES[(e as usize).min(SIZES.len() - 1)];
    let val = ((s as f64) / 1000f64.powf(e) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{val:.1} {suffix}")
    } else {
        format!("{val:.0} {suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_float_formats() {
        // Expected values are what Go 1.x prints for the same float64.
        assert_eq!(go_v(0.30118110236220474), "0.30118110236220474");
        assert_eq!(go_v(0.9999445264500407), "0.9999445264500407");
        assert_eq!(go_v(1.0), "1");
        assert_eq!(go_v(0.1), "0.1");
        assert_eq!(go_v(3.964757709251101e-05), "3.964757709251101e-05");
        assert_eq!(go_v(f64::NAN), "NaN");
        assert_eq!(go_v(1e21), "1e+21");
        assert_eq!(go_v(1e6), "1e+06");
        assert_eq!(go_v(123456.0), "123456");
        assert_eq!(go_v(123456789.0), "1.23456789e+08");
        assert_eq!(go_g(7.75, 3), "7.75");
        assert_eq!(go_g(5.0, 3), "5");
        assert_eq!(go_g(1.048576, 3), "1.05");
        assert_eq!(go_g(999.9, 3), "1e+03");
        assert_eq!(go_g(4.096, 3), "4.1");
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size_precision(5.0, 3), "5B");
        assert_eq!(human_size_precision(7_750_000.0, 3), "7.75MB");
        assert_eq!(human_size_precision(1_048_576.0, 3), "1.05MB");
        assert_eq!(human_size_precision(0.0, 3), "0B");
        assert_eq!(human_size_precision(4096.0, 3), "4.1kB");
        assert_eq!(humanize_bytes(0), "0 B");
        assert_eq!(humanize_bytes(155), "155 B");
        assert_eq!(humanize_bytes(1_982_923), "2.0 MB");
        assert_eq!(humanize_bytes(12_345), "12 kB");
    }
}
