//! The `docker image history` table, byte for byte as docker/cli prints it (see
//! docs/docker-semantics.md §1.1): the default and `--human=false` templates, `--no-trunc`,
//! tabwriter layout (min width 10, padding 3), `Ellipsis(45)` on CREATED BY, decimal
//! `HumanSizeWithPrecision(3)`, `HumanDuration` + " ago" against a given `now`, `N/A` for
//! creation times up to 2000-01-01, and the `<missing>` rule. It takes plain rows, so both the
//! archive reader and the build simulator can use it; it does not read images.

use super::tabwriter::tabwrite;
use super::{Image, Layer};

/// One history row, newest first when given to [`format_history`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryTableRow {
    /// Creation time, seconds since the epoch (`None` when the config has none).
    pub created: Option<i64>,
    pub created_by: String,
    /// Bytes the step added (0 for empty layers).
    pub size: u64,
    pub comment: String,
}

/// How to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryFormat {
    /// `--no-trunc`: full ids and CREATED BY.
    pub no_trunc: bool,
    /// `--human` (default true): relative times and human sizes.
    pub human: bool,
    /// "Now", seconds since the epoch, for `N ago`.
    pub now: i64,
}

/// 2000-01-01T00:00:00Z: creation times up to this print as `N/A`.
const Y2000: i64 = 946_684_800;

/// Print the table. `ids[k]` is the image id (`sha256:…`) of row k from the top; rows beyond
/// `ids` show `<missing>` (an archive has no local parent chain, so it passes one id).
pub fn format_history(rows: &[HistoryTableRow], ids: &[String], f: &HistoryFormat) -> String {
    let mut text = String::new();
    text += if f.human {
        "IMAGE\tCREATED\tCREATED BY\tSIZE\tCOMMENT\n"
    } else {
        "IMAGE\tCREATED AT\tCREATED BY\tSIZE\tCOMMENT\n"
    };
    for (k, r) in rows.iter().enumerate() {
        let id = match ids.get(k) {
            Some(id) if f.no_trunc => id.clone(),
            Some(id) => truncate_id(id),
            None => "<missing>".to_string(),
        };
        let created = match (f.human, r.created) {
            (true, Some(t)) if t > Y2000 => format!("{} ago", human_duration(f.now - t)),
            (true, _) => "N/A".to_string(),
            (false, Some(t)) => rfc3339(t),
            (false, None) => rfc3339(0),
        };
        let by = r.created_by.replace('\t', " ");
        let by = if f.no_trunc { by } else { ellipsis(&by, 45) };
        let size = if f.human {
            human_size(r.size as f64)
        } else {
            r.size.to_string()
        };
        text += &format!("{id}\t{created}\t{by}\t{size}\t{}\n", r.comment);
    }
    tabwrite(&text, 10, 3)
}

/// `stringid.TruncateID`: strip `sha256:`, keep 12 characters.
pub fn truncate_id(id: &str) -> String {
    let hex = id.split_once(':').map_or(id, |(_, h)| h);
    hex.chars().take(12).collect()
}

/// East Asian Wide/Fullwidth characters count two display columns (golang.org/x/text/width).
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x231A..=0x231B | 0x2329..=0x232A | 0x23E9..=0x23EC | 0x23F0 | 0x23F3
        | 0x25FD..=0x25FE | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1
        | 0x26AA..=0x26AB | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA
        | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728 | 0x274C
        | 0x274E | 0x2753..=0x2755 | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C
        | 0x2B50 | 0x2B55 | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19
        | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x16FE0..=0x18AFF | 0x1B000..=0x1B2FF
        | 0x1F004 | 0x1F0CF | 0x1F18E | 0x1F191..=0x1F19A | 0x1F200..=0x1F251 | 0x1F300..=0x1F64F
        | 0x1F680..=0x1F6FF | 0x1F7E0..=0x1F7EB | 0x1F90C..=0x1F9FF | 0x1FA70..=0x1FAFF
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// docker/cli `formatter.Ellipsis`: at most `max` display columns, the last one `…`.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let rs: Vec<char> = s.chars().collect();
    if max == 1 {
        return rs.first().map(|c| c.to_string()).unwrap_or_default();
    }
    if s.len() == rs.len() {
        if s.len() <= max {
            return s.to_string();
        }
        return rs[..max - 1].iter().collect::<String>() + "…";
    }
    let mut display = Vec::with_capacity(rs.len());
    let mut total = 0;
    for &c in &rs {
        total += char_width(c);
        display.push(total);
    }
    if total <= max {
        return s.to_string();
    }
    for i in 0..display.len().saturating_sub(1) {
        if display[i] < max && display[i + 1] >= max {
            return rs[..=i].iter().collect::<String>() + "…";
        }
    }
    // The first character alone is too wide: Go returns the string unchanged here.
    if display.first().is_some_and(|&w| w >= max) {
        return "…".to_string();
    }
    s.to_string()
}

/// Go's `%.{prec}g`.
fn go_g(v: f64, prec: usize) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let sci = format!("{:.*e}", prec.saturating_sub(1), v);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= prec as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mant), exp.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        trim(&format!("{v:.decimals$}"))
    }
}

/// go-units `HumanSizeWithPrecision(size, 3)`: decimal units.
pub fn human_size(size: f64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut s = size;
    let mut i = 0;
    while s >= 1000.0 && i < UNITS.len() - 1 {
        s /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(s, 3), UNITS[i])
}

/// go-units `HumanDuration` for a duration in seconds.
pub fn human_duration(secs: i64) -> String {
    let seconds = secs;
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = ((seconds as f64) / 3600.0 + 0.5) as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", seconds / 3600 / 24 / 365)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parse RFC 3339 (`2026-11-28T03:58:13.495290221Z`, `…+02:00`) to whole epoch seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        c @ (b'+' | b'-') if b.len() == i + 6 => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            let o = oh * 3600 + om * 60;
            if *c == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// Go's `time.Unix(t, 0).UTC().Format(time.RFC3339)`.
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The size Docker's classic store shows for a layer: the bytes of its regular files.
pub fn layer_size(layer: &Layer) -> u64 {
    layer.regular_file_bytes()
}

/// Rows for an image's history, newest first, sized from its layers.
pub fn image_rows(image: &Image) -> Vec<HistoryTableRow> {
    image
        .history
        .iter()
        .rev()
        .map(|h| HistoryTableRow {
            created: h.created.as_deref().and_then(parse_rfc3339),
            created_by: h.created_by.clone(),
            size: h
                .layer_index
                .and_then(|i| image.layers.iter().find(|l| l.index == i))
                .map_or(0, layer_size),
            comment: h.comment.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (n, want) in [
            (0.0, "0B"),
            (23.0, "23B"),
            (1_982_415.0, "1.98MB"),
            (5_600_000.0, "5.6MB"),
            (157_000_000.0, "157MB"),
            (999_999.0, "1e+03kB"),
            (1000.0, "1kB"),
        ] {
            assert_eq!(human_size(n), want, "{n}");
        }
    }

    #[test]
    fn durations() {
        for (s, want) in [
            (0, "Less than a second"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "About a minute"),
            (119, "About a minute"),
            (3599, "59 minutes"),
            (5399, "About an hour"),
            (5400, "2 hours"),
            (8 * 86_400, "8 days"),
            (49 * 86_400, "7 weeks"),
            (400 * 86_400, "13 months"),
            (800 * 86_400, "2 years"),
        ] {
            assert_eq!(human_duration(s), want, "{s}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-28T03:58:13.495290221Z"),
            Some(1_795_838_293)
        );
        assert_eq!(parse_rfc3339("2000-01-01T02:00:00+02:00"), Some(Y2000));
        assert_eq!(rfc3339(1_795_838_293), "2026-11-28T03:58:13Z");
        assert_eq!(parse_rfc3339("garbage"), None);
    }

    #[test]
    fn ellipsis_widths() {
        let long = "RUN /bin/sh -c chmod +x /app/hello.sh # buildkit";
        assert_eq!(
            ellipsis(long, 45),
            "RUN /bin/sh -c chmod +x /app/hello.sh # buil…"
        );
        assert_eq!(ellipsis("short", 45), "short");
        // Wide characters count two columns: 30 of them need 60 columns.
        let wide = "日".repeat(30);
        assert_eq!(ellipsis(&wide, 45), "日".repeat(22) + "…");
    }
}
