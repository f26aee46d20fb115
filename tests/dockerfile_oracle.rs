//! Conformance of the parser with BuildKit over the shared corpus: every upstream testfile's
//! `result` dump, the negative cases, the line-number case, and the oracle JSON of all
//! BuildKit-side Dockerfiles (`ORACLE.jsonl`) and of the 287 real-world files
//! (`realworld/EXPECTED.jsonl`), field for field (the `file` key aside).

use layerscope::dockerfile::{dump::dump, json::oracle_value, parse};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfile");
    if p.is_dir() {
        Some(p)
    } else {
        println!("note: ../shared corpus not found; corpus conformance skipped");
        None
    }
}

/// Compare every line of a JSONL oracle; returns (passed, total, first failures).
fn check_jsonl(dir: &Path, jsonl: &str) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(dir.join(jsonl)).expect("read oracle");
    let (mut pass, mut total, mut fails) = (0, 0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut want: Value = serde_json::from_str(line).expect("oracle line");
        let file = want["file"].as_str().expect("file").to_string();
        let input = std::fs::read(dir.join(&file)).expect("read input");
        let mut got = oracle_value(&file, &input, &parse(&input));
        total += 1;
        if let (Some(g), Some(w)) = (got.as_object_mut(), want.as_object_mut()) {
            g.remove("file");
            w.remove("file");
        }
        if got == want {
            pass += 1;
        } else {
            fails.push(format!("{file}: {}", first_diff(&got, &want, "")));
        }
    }
    (pass, total, fails)
}

fn first_diff(got: &Value, want: &Value, path: &str) -> String {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                match g.get(k) {
                    None => return format!("{path}.{k}: missing"),
                    Some(gv) if gv != wv => return first_diff(gv, wv, &format!("{path}.{k}")),
                    _ => {}
                }
            }
            for k in g.keys() {
                if !w.contains_key(k) {
                    return format!("{path}.{k}: unexpected");
                }
            }
            format!("{path}: ?")
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                if gv != wv {
                    return first_diff(gv, wv, &format!("{path}[{i}]"));
                }
            }
            format!("{path}: ?")
        }
        _ => format!("{path}: got {got} want {want}"),
    }
}

#[test]
fn buildkit_oracle_jsonl() {
    let Some(c) = corpus() else { return };
    let (pass, total, fails) = check_jsonl(&c.join("buildkit"), "ORACLE.jsonl");
    println!("buildkit ORACLE.jsonl: {pass}/{total} identical");
    for f in fails.iter().take(10) {
        println!("  FAIL {f}");
    }
    assert_eq!(total, 42);
    assert_eq!(pass, total);
}

#[test]
fn realworld_expected_jsonl() {
    let Some(c) = corpus() else { return };
    let (pass, total, fails) = check_jsonl(&c.join("realworld"), "EXPECTED.jsonl");
    println!("realworld EXPECTED.jsonl: {pass}/{total} identical");
    for f in fails.iter().take(10) {
        println!("  FAIL {f}");
    }
    assert_eq!(total, 287);
    assert_eq!(pass, total);
}

#[test]
fn upstream_result_dumps() {
    let Some(c) = corpus() else { return };
    let dir = c.join("buildkit/frontend/dockerfile/parser/testfiles");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().collect();
    cases.sort_by_key(|e| e.file_name());
    let (mut pass, mut fails) = (0, Vec::new());
    for e in &cases {
        let input = std::fs::read(e.path().join("Dockerfile")).expect("Dockerfile");
        let want = std::fs::read_to_string(e.path().join("result")).expect("result");
        match parse(&input) {
            Ok(r) if dump(&r) == want => pass += 1,
            Ok(r) => fails.push(format!(
                "{:?}:\n got {}\nwant {}",
                e.file_name(),
                dump(&r),
                want
            )),
            Err(err) => fails.push(format!("{:?}: {err}", e.file_name())),
        }
    }
    println!("upstream testfiles: {pass}/{} dumps identical", cases.len());
    for f in fails.iter().take(5) {
        println!("  FAIL {f}");
    }
    assert_eq!(cases.len(), 33);
    assert_eq!(pass, cases.len());
}

#[test]
fn upstream_negative_cases() {
    let Some(c) = corpus() else { return };
    let dir = c.join("buildkit/frontend/dockerfile/parser/testfiles-negative");
    let want = [
        ("empty_dockerfile", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("only_comments", "file with no instructions"),
        (
            "shykes-nested-json",
            "when using JSON array syntax, arrays must be comprised of strings only",
        ),
    ];
    for (case, msg) in want {
        let input = std::fs::read(dir.join(case).join("Dockerfile")).expect("Dockerfile");
        let err = parse(&input).expect_err(case);
        assert_eq!(err.message, msg, "{case}");
    }
    println!("upstream negative cases: 4/4 fail with the same message");
}

#[test]
fn upstream_line_numbers() {
    let Some(c) = corpus() else { return };
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(c.join("buildkit/derived/line-numbers.json")).expect("json"),
    )
    .expect("parse json");
    let input =
        std::fs::read(c.join("buildkit/frontend/dockerfile/parser/testfile-line/Dockerfile"))
            .expect("Dockerfile");
    let r = parse(&input).expect("parses");
    let got: Vec<Value> = r
        .nodes
        .iter()
        .map(|n| serde_json::json!([n.span.start_line, n.span.end_line]))
        .collect();
    assert_eq!(Value::Array(got), spec["instructions"]);
    assert_eq!(serde_json::json!([r.start_line, r.end_line]), spec["root"]);
    println!("line-number case: 3/3 instructions and root span identical");
}
