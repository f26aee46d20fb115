//! The `docker image history` formatter against real Docker outputs
//! (`../shared/corpus/docker-outputs/history-formats/<producer>/`): rows come from the config
//! history that `docker save` wrote and the raw sizes of the `--human=false` table; the ids from
//! the `--no-trunc` table. The default, `--human=false` and `--no-trunc` tables must then come
//! out byte for byte (the default one for some "now" within an hour of the newest row, since the
//! capture time is not recorded). Skips (passes) when ../shared is absent.

use layerscope::image::docker_history::{
    format_history, parse_rfc3339, HistoryFormat, HistoryTableRow,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/docker-outputs/history-formats");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} not found; skipped", p.display());
        None
    }
}

/// stdout of the capture whose command line starts with `cmd` exactly (after trimming).
fn output(d: &Path, pred: impl Fn(&str) -> bool) -> Option<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(d)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names {
        if p.extension().is_some_and(|e| e == "cmd") {
            let cmd = std::fs::read_to_string(&p).ok()?;
            if pred(cmd.trim()) {
                return std::fs::read_to_string(p.with_extension("stdout")).ok();
            }
        }
    }
    None
}

fn check_producer(d: &Path) -> Result<(), String> {
    let get = |c: &str| output(d, |x| x == c).ok_or(format!("no `{c}` capture"));
    let table = get("docker image history hist-demo")?;
    let no_trunc = get("docker image history --no-trunc hist-demo")?;
    let raw = get("docker image history --human=false hist-demo")?;
    let saved = output(d, |x| x.contains("docker save hist-demo")).ok_or("no saved config")?;
    let cfg: Value = serde_json::from_str(&saved).map_err(|e| e.to_string())?;
    let hist = cfg["history"].as_array().ok_or("no history")?;

    // Raw sizes from the --human=false table, by the header's column positions.
    let mut lines = raw.lines();
    let header: Vec<char> = lines.next().ok_or("empty table")?.chars().collect();
    let hs: String = header.iter().collect();
    let size_col = hs.find("SIZE").ok_or("no SIZE")?;
    let comment_col = hs.find("COMMENT").ok_or("no COMMENT")?;
    let mut sizes = Vec::new();
    for l in lines {
        let c: Vec<char> = l.chars().collect();
        let cell: String = c[size_col.min(c.len())..comment_col.min(c.len())]
            .iter()
            .collect();
        sizes.push(
            cell.trim()
                .parse::<u64>()
                .map_err(|e| format!("size {cell:?}: {e}"))?,
        );
    }
    if sizes.len() != hist.len() {
        return Err(format!(
            "{} table rows vs {} history rows",
            sizes.len(),
            hist.len()
        ));
    }
    let rows: Vec<HistoryTableRow> = hist
        .iter()
        .rev()
        .zip(&sizes)
        .map(|(h, &size)| HistoryTableRow {
            created: h["created"].as_str().and_then(parse_rfc3339),
            created_by: h["created_by"].as_str().unwrap_or_default().to_string(),
            size,
            comment: h["comment"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    let ids: Vec<String> = no_trunc
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|t| t.starts_with("sha256:"))
        .map(str::to_string)
        .collect();
    let fmt = |human, no_trunc, now| HistoryFormat {
        human,
        no_trunc,
        now,
    };
    let got = format_history(&rows, &ids, &fmt(false, false, 0));
    if got != raw {
        return Err(format!("--human=false differs:\n{got}\nvs\n{raw}"));
    }
    let got = format_history(
        &rows,
        &ids,
        &fmt(true, true, rows[0].created.unwrap_or(0) + 1),
    );
    // --no-trunc is human too: compare all but the CREATED column by trying the same nows below.
    let top = rows[0].created.ok_or("no created")?;
    let matches = |want: &str, no_trunc: bool| {
        (top..top + 3600).any(|now| format_history(&rows, &ids, &fmt(true, no_trunc, now)) == want)
    };
    if !matches(&table, false) {
        let sample = format_history(&rows, &ids, &fmt(true, false, top + 3));
        return Err(format!(
            "default table differs for every now; at top+3:\n{sample}\nvs\n{table}"
        ));
    }
    if !matches(&no_trunc, true) {
        return Err(format!(
            "--no-trunc differs for every now; e.g.\n{got}\nvs\n{no_trunc}"
        ));
    }
    Ok(())
}

#[test]
fn history_tables_match_real_docker() {
    let Some(root) = dir() else { return };
    let mut checked = 0;
    let mut errors = Vec::new();
    let mut producers: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    producers.sort();
    for p in producers {
        if !p.is_dir() || p.ends_with("inputs") {
            continue;
        }
        checked += 1;
        if let Err(e) = check_producer(&p) {
            errors.push(format!("{}: {e}", p.display()));
        }
    }
    assert!(checked >= 4, "only {checked} producers");
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}
