//! dive's CI mode (`dive --ci`, dive 0.13 `runtime/ci`): the `.dive-ci` rules, their keys,
//! validation messages, the report lines and the exit status, reproduced without colours.
//!
//! Rules (YAML `rules:` map; missing keys take the defaults, `disabled` turns a rule off):
//! `lowestEfficiency` (default 0.9, a float in 0..1), `highestWastedBytes` (default disabled,
//! go-humanize sizes like `20MB`), `highestUserWastedPercent` (default 0.1, 0..1). A rule value
//! that does not validate makes the run "CI Misconfigured" (exit 1) without evaluating anything.
//! It reads no files: the caller passes the config text.

use super::dive::DiveFigures;
use super::gofmt::{go_v, humanize_bytes};

const KEYS: [&str; 3] = [
    "lowestEfficiency",
    "highestWastedBytes",
    "highestUserWastedPercent",
];

/// The three rule values as strings, the way viper's `GetString` returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiConfig {
    pub lowest_efficiency: String,
    pub highest_wasted_bytes: String,
    pub highest_user_wasted_percent: String,
}

impl Default for CiConfig {
    fn default() -> Self {
        CiConfig {
            lowest_efficiency: "0.9".into(),
            highest_wasted_bytes: "disabled".into(),
            highest_user_wasted_percent: "0.1".into(),
        }
    }
}

/// A `.dive-ci` file that could not be read as YAML rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiConfigError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CiConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A YAML scalar as viper hands it out as a string: numbers in Go's shortest form, quotes removed.
fn scalar(raw: &str) -> String {
    let v = raw.trim();
    let v = match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None => v,
    };
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        return v[1..v.len() - 1].to_string();
    }
    if v.parse::<i64>().is_ok() {
        return v.parse::<i64>().map(|n| n.to_string()).unwrap_or_default();
    }
    match v.parse::<f64>() {
        Ok(f) if f.is_finite() && v.chars().any(|c| c == '.' || c == 'e' || c == 'E') => {
            format!("{f}")
        }
        _ => v.to_string(),
    }
}

impl CiConfig {
    /// Parse the `rules:` block of a `.dive-ci` YAML file (other keys are ignored).
    pub fn parse(text: &str) -> Result<CiConfig, CiConfigError> {
        let mut cfg = CiConfig::default();
        let mut in_rules = false;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_end();
            let content = trimmed.trim_start();
            if content.is_empty() || content.starts_with('#') || content == "---" {
                continue;
            }
            let indented = trimmed.len() != content.len();
            let Some((key, value)) = content.split_once(':') else {
                return Err(CiConfigError {
                    line: n + 1,
                    message: format!("expected `key: value`, found `{content}`"),
                });
            };
            if !indented {
                in_rules = key.trim() == "rules";
                continue;
            }
            if !in_rules {
                continue;
            }
            let v = scalar(value);
            match key.trim() {
                "lowestEfficiency" => cfg.lowest_efficiency = v,
                "highestWastedBytes" => cfg.highest_wasted_bytes = v,
                "highestUserWastedPercent" => cfg.highest_user_wasted_percent = v,
                _ => {}
            }
        }
        Ok(cfg)
    }

    fn value(&self, key: &str) -> &str {
        match key {
            "lowestEfficiency" => &self.lowest_efficiency,
            "highestWastedBytes" => &self.highest_wasted_bytes,
            _ => &self.highest_user_wasted_percent,
        }
    }
}

/// Go's `strconv.ParseFloat` with its error text.
fn parse_float(v: &str) -> Result<f64, String> {
    let ok = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_'));
    match v.parse::<f64>() {
        Ok(f) if ok || matches!(v, "inf" | "+inf" | "-inf" | "Inf" | "NaN" | "nan") => Ok(f),
        _ => Err(format!("strconv.ParseFloat: parsing {v:?}: invalid syntax")),
    }
}

/// go-humanize `ParseBytes` with its error texts.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let digits = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .count();
    let num = s[..digits].replace(',', "");
    let f = parse_float(&num)?;
    let extra = s[digits..].trim().to_lowercase();
    let mult: f64 = match extra.as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "ki" | "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mi" | "mib" => 1048576.0,
        "g" | "gb" => 1e9,
        "gi" | "gib" => 1073741824.0,
        "t" | "tb" => 1e12,
        "ti" | "tib" => 1099511627776.0,
        "p" | "pb" => 1e15,
        "pi" | "pib" => 1125899906842624.0,
        "e" | "eb" => 1e18,
        "ei" | "eib" => 1152921504606846976.0,
        _ => return Err(format!("unhandled size name: {extra}")),
    };
    let v = f * mult;
    if v >= u64::MAX as f64 {
        return Err(format!("too large: {s}"));
    }
    Ok(v as u64)
}

fn validate(key: &str, v: &str) -> Result<(), String> {
    match key {
        "highestWastedBytes" => parse_bytes(v)
            .map(|_| ())
            .map_err(|e| format!("invalid config value ('{v}'): {e}")),
        _ => {
            let f = parse_float(v).map_err(|e| format!("invalid config value ('{v}'): {e}"))?;
            if !(0.0..=1.0).contains(&f) {
                return Err(format!(
                    "{key} config value is outside allowed range (0-1), given '{v}'"
                ));
            }
            Ok(())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pass,
    Fail,
    Skip,
    Misconfigured,
    Configured,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
            Status::Misconfigured => "MISCONFIGURED",
            Status::Configured => "CONFIGURED   ",
        }
    }
}

/// The CI verdict: dive's report text (from the `efficiency:` line on) and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiReport {
    pub text: String,
    pub pass: bool,
    pub exit_code: u8,
}

/// Evaluate the rules on dive's figures, as `dive --ci` does.
pub fn evaluate(fig: &DiveFigures, cfg: &CiConfig) -> CiReport {
    let mut t = String::new();
    t.push_str(&format!("  efficiency: {:.4} %\n", fig.efficiency * 100.0));
    t.push_str(&format!(
        "  wastedBytes: {} bytes ({})\n",
        fig.wasted_bytes,
        humanize_bytes(fig.wasted_bytes)
    ));
    let pct = fig.user_wasted_percent * 100.0;
    let pct = if pct.is_nan() {
        "NaN".to_string()
    } else if pct.is_infinite() {
        "+Inf".to_string()
    } else {
        format!("{pct:.4}")
    };
    t.push_str(&format!("  userWastedPercent: {pct} %\n"));
    // Validation first: any misconfigured rule stops the evaluation.
    let mut results: Vec<(&str, Status, String)> = Vec::new();
    let mut misconfigured = false;
    for key in KEYS {
        let v = cfg.value(key);
        if v == "disabled" {
            results.push((key, Status::Configured, "rule disabled".into()));
            continue;
        }
        match validate(key, v) {
            Ok(()) => results.push((key, Status::Configured, "test".into())),
            Err(e) => {
                misconfigured = true;
                results.push((key, Status::Misconfigured, e));
            }
        }
    }
    t.push_str("Inefficient Files:\n");
    t.push_str(&format!(
        "{:>5}  {:>12}  {}\n",
        "Count", "Wasted Space", "File Path"
    ));
    if misconfigured || fig.inefficient_files.is_empty() {
        t.push_str("None\n");
    } else {
        for f in &fig.inefficient_files {
            t.push_str(&format!(
                "{:>5}  {:>12}  {}\n",
                f.count,
                humanize_bytes(f.cumulative.max(0) as u64),
                f.path
            ));
        }
    }
    t.push_str("Results:\n");
    let mut pass = true;
    if !misconfigured {
        results.clear();
        for key in KEYS {
            let v = cfg.value(key);
            if v == "disabled" {
                results.push((key, Status::Skip, "rule disabled".into()));
                continue;
            }
            let (st, msg) = match key {
                "lowestEfficiency" => {
                    let th = parse_float(v).unwrap_or(0.0);
                    if th > fig.efficiency {
                        (
                            Status::Fail,
                            format!(
                                "image efficiency is too low (efficiency={} < threshold={})",
                                go_v(fig.efficiency),
                                go_v(th)
                            ),
                        )
                    } else {
                        (Status::Pass, String::new())
                    }
                }
                "highestWastedBytes" => {
                    let th = parse_bytes(v).unwrap_or(0);
                    if fig.wasted_bytes > th {
                        (
                            Status::Fail,
                            format!(
                                "too many bytes wasted (wasted-bytes={} > threshold={th})",
                                fig.wasted_bytes
                            ),
                        )
                    } else {
                        (Status::Pass, String::new())
                    }
                }
                _ => {
                    let th = parse_float(v).unwrap_or(0.0);
                    if th < fig.user_wasted_percent {
                        (
                            Status::Fail,
                            format!(
                                "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})",
                                go_v(fig.user_wasted_percent),
                                go_v(th)
                            ),
                        )
                    } else {
                        (Status::Pass, String::new())
                    }
                }
            };
            if st == Status::Fail {
                pass = false;
            }
            results.push((key, st, msg));
        }
    } else {
        pass = false;
    }
    results.sort_by(|a, b| a.0.cmp(b.0));
    for (key, st, msg) in &results {
        if msg.is_empty() {
            t.push_str(&format!("  {}: {key}\n", st.label()));
        } else {
            t.push_str(&format!("  {}: {key}: {msg}\n", st.label()));
        }
    }
    if misconfigured {
        t.push_str("CI Misconfigured\n");
    } else {
        let count = |s: Status| results.iter().filter(|r| r.1 == s).count();
        t.push_str(&format!(
            "Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Warn:0] [Skipped:{}]\n",
            if count(Status::Fail) > 0 {
                "FAIL"
            } else {
                "PASS"
            },
            results.len(),
            count(Status::Pass),
            count(Status::Fail),
            count(Status::Skip)
        ));
    }
    CiReport {
        text: t,
        pass,
        exit_code: if pass { 0 } else { 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_sizes() {
        let c = CiConfig::parse("rules:\n  lowestEfficiency: 0.95 # comment\n  highestWastedBytes: \"20MB\"\nother: 1\n").unwrap();
        assert_eq!(c.lowest_efficiency, "0.95");
        assert_eq!(c.highest_wasted_bytes, "20MB");
        assert_eq!(c.highest_user_wasted_percent, "0.1");
        assert_eq!(parse_bytes("20MB"), Ok(20_000_000));
        assert_eq!(parse_bytes("1.5 KiB"), Ok(1536));
        assert_eq!(parse_bytes("100B"), Ok(100));
        assert_eq!(parse_bytes("12XB"), Err("unhandled size name: xb".into()));
        assert_eq!(
            parse_float("abc"),
            Err("strconv.ParseFloat: parsing \"abc\": invalid syntax".into())
        );
    }
}
