//! The `layerscope dockerfile` command on the committed fixtures (no ../shared needed):
//! dump, oracle JSON, stage graph, and failures with exit status 1.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerfile")
        .join(name)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_layerscope"))
        .arg("dockerfile")
        .args(args)
        .output()
        .expect("run layerscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dump_matches_hand_checked_fixture() {
    let f = fixture("escape-heredoc.Dockerfile");
    let (code, out, _) = run(&[f.to_str().expect("path"), "--format", "dump"]);
    assert_eq!(code, 0);
    let want = std::fs::read_to_string(fixture("escape-heredoc.dump")).expect("dump");
    assert_eq!(out, want);
}

#[test]
fn json_has_oracle_fields() {
    let f = fixture("escape-heredoc.Dockerfile");
    let (code, out, _) = run(&[f.to_str().expect("path"), "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["escape_token"], "`");
    assert_eq!(v["directives"]["escape"]["line"], 2);
    assert_eq!(v["directives"]["syntax"]["value"], "docker/dockerfile:1");
    let ins = v["instructions"].as_array().expect("instructions");
    assert_eq!(ins.len(), 8);
    assert_eq!(ins[0]["prev_comment"], serde_json::json!(["the base"]));
    assert_eq!(ins[1]["start_line"], 6);
    assert_eq!(ins[1]["end_line"], 8);
    assert_eq!(ins[2]["json"], true);
    assert_eq!(ins[3]["sub"]["cmd"], "RUN");
    assert_eq!(ins[6]["heredocs"][0]["content"], "echo hi\n");
    assert_eq!(ins[6]["end_line"], 15);
}

#[test]
fn parse_failure_exits_1() {
    let f = fixture("unterminated-heredoc.Dockerfile");
    let p = f.to_str().expect("path");
    let (code, out, err) = run(&[p]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(err, format!("{p}:2: unterminated heredoc\n"));
    let (code, out, _) = run(&[p, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"], "unterminated heredoc");
    assert_eq!(v["error_lines"], serde_json::json!([[2, 2], [3, 3]]));
}

#[test]
fn stage_graph() {
    let f = fixture("multistage.Dockerfile");
    let (code, out, _) = run(&[f.to_str().expect("path"), "--stages"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "stage #0 (build): FROM image golang:1.22 (lines 2-3, 1 instructions)\n\
         stage #1: FROM image scratch (lines 4-7, 3 instructions)\n\
         \x20 line 5: COPY --from stage #0 (build)\n\
         \x20 line 6: COPY --from stage #0 (build)\n"
    );
}
