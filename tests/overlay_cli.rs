//! The CLI surfaces of the overlay and analysis modules on the corpus: `tree --merged`,
//! `tree --changes N`, `analyze --json`, `ci` and `run`. Expected values come from dive's recorded
//! outputs (tests/fixtures/analysis), from an independent Python reading of the truth files (noted
//! where used) and from the Dockerfiles of the corpus images.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn layerscope(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_layerscope"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run layerscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis")
}

fn fixture_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".export.json")
                .map(str::to_string)
        })
        .collect();
    v.sort();
    v
}

fn archive(corpus: &Path, name: &str) -> PathBuf {
    corpus.join(name.split('.').next().unwrap()).join(name)
}

#[test]
fn tree_merged_and_changes() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let edge = archive(&corpus, "edge.docker26.save.tar");
    let edge = edge.to_str().unwrap();
    let (code, out, _) = layerscope(&["tree", edge, "--merged"], &corpus);
    assert_eq!(code, 0);
    // 357 paths and 1,982,822 bytes: counted by a separate Python script applying the truth file's
    // entry lists (hard links counted with their target's size).
    assert_eq!(
        out.lines().next().unwrap(),
        "merged view after layer 11: 357 paths, 1982822 bytes in regular files"
    );
    assert!(out.contains("  data/  (layer 11; hides layer 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)\n"));
    assert!(out.contains("    readd-me.txt  (layer 11; hides layer 1)\n"));
    assert!(!out.contains("delete-me.txt"));
    // RUN rm -rf /data/dir-to-replace && mkdir -p /data/dir-to-replace/sub2 && echo > new.txt
    let (code, out, _) = layerscope(&["tree", edge, "--changes", "5"], &corpus);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "layer 5 against layers 0..5: 2 added, 1 modified, 4 deleted
M data/dir-to-replace (shadows layer 1)
A data/dir-to-replace/new.txt
D data/dir-to-replace/one.txt (from layer 1) opaque data/dir-to-replace
D data/dir-to-replace/sub (from layer 1) opaque data/dir-to-replace
A data/dir-to-replace/sub2
D data/dir-to-replace/three.txt (from layer 1) opaque data/dir-to-replace
D data/dir-to-replace/two.txt (from layer 1) opaque data/dir-to-replace
"
    );
    // The same step on vfs (docker20) is written as per-file whiteouts: the same changes.
    let vfs = archive(&corpus, "edge.docker20.save.tar");
    let (_, out20, _) = layerscope(&["tree", vfs.to_str().unwrap(), "--changes", "5"], &corpus);
    let body = |s: &str| {
        s.lines()
            .skip(1)
            .filter(|l| l.contains("data/dir-to-replace"))
            .map(|l| l.split(" (").next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&out20), body(&out));
    let (code, _, err) = layerscope(&["tree", edge, "--changes", "12"], &corpus);
    assert_eq!(
        (code, err.as_str()),
        (1, "layerscope: layer 12: the image has 12 layers\n")
    );
}

#[test]
fn analyze_json_carries_dives_numbers() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let mut names = fixture_names();
    assert_eq!(names.len(), 30);
    // dive cannot read the gzip-wrapped archives; ours must give the unwrapped archive's numbers.
    for gz in ["app.docker20.save.tar", "app.docker26.save.tar"] {
        names.push(format!("{gz}.gz"));
    }
    for name in names {
        let base = name.strip_suffix(".gz").unwrap_or(&name);
        let raw = std::fs::read_to_string(fixtures().join(format!("{base}.export.json"))).unwrap();
        let export: Value = serde_json::from_str(&raw).unwrap();
        let path = archive(&corpus, &name);
        let (code, out, err) = layerscope(&["analyze", path.to_str().unwrap(), "--json"], &corpus);
        assert_eq!(code, 0, "{name}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let eff_text = raw.split("\"efficiencyScore\": ").nth(1).unwrap();
        let eff: f64 = eff_text
            .split([',', '\n'])
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let ours_eff: f64 = out
            .split("\"efficiency\": ")
            .nth(1)
            .unwrap()
            .split([',', '\n'])
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(ours_eff, eff, "{name}: dive.efficiency");
        assert_eq!(
            v["dive"]["wasted_bytes"], export["image"]["inefficientBytes"],
            "{name}"
        );
        assert_eq!(
            v["dive"]["size_bytes"], export["image"]["sizeBytes"],
            "{name}"
        );
        // user_wasted_percent: dive prints the full value only when the rule fails (strict config).
        let strict =
            std::fs::read_to_string(fixtures().join(format!("{base}.strict.txt"))).unwrap();
        match strict.split("%-user-wasted-bytes=").nth(1) {
            Some(rest) => {
                let want: f64 = rest.split(' ').next().unwrap().parse().unwrap();
                let got: f64 = out
                    .split("\"user_wasted_percent\": ")
                    .nth(1)
                    .unwrap()
                    .split([',', '\n'])
                    .next()
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap();
                assert_eq!(got, want, "{name}: user_wasted_percent");
            }
            None => assert!(
                v["dive"]["user_wasted_percent"] == 0.0
                    || v["dive"]["user_wasted_percent"].is_null(),
                "{name}"
            ),
        }
    }
}

#[test]
fn ci_prints_dives_lines_and_exit_status() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let cwd = std::env::temp_dir();
    for name in fixture_names() {
        let path = archive(&corpus, &name);
        let p = path.to_str().unwrap();
        for (cfg, args) in [
            (
                "default",
                vec!["ci", p, "--ci-config", "/nonexistent/.dive-ci"],
            ),
            (
                "strict",
                vec![
                    "ci",
                    p,
                    "--ci-config",
                    fixtures()
                        .join("strict.yaml")
                        .to_str()
                        .unwrap()
                        .to_string()
                        .leak(),
                ],
            ),
        ] {
            let want =
                std::fs::read_to_string(fixtures().join(format!("{name}.{cfg}.txt"))).unwrap();
            let rc: i32 = std::fs::read_to_string(fixtures().join(format!("{name}.{cfg}.rc")))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            let (code, out, _) = layerscope(&args, &cwd);
            let corpus_dir = corpus.to_str().unwrap().to_string();
            let out = out
                .replace(
                    &format!("docker-archive://{corpus_dir}/"),
                    "docker-archive://CORPUS/",
                )
                .replace(
                    fixtures().join("strict.yaml").to_str().unwrap(),
                    "strict.yaml",
                );
            assert_eq!(out, want, "{name} {cfg}");
            assert_eq!(code, rc, "{name} {cfg}");
        }
    }
}

#[test]
fn run_prints_docker_diff_and_size() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("layerscope-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("s.sh");
    std::fs::write(
        &script,
        "# edits on the edge image\ncat /data/keep.txt > /tmp/copy\nrm /data/links/hard-b\nchmod 600 /data/modify-me.txt\nrm -rf /data/nested\nnope\n",
    )
    .unwrap();
    let edge = archive(&corpus, "edge.docker26.save.tar");
    let (code, out, err) = layerscope(
        &[
            "run",
            edge.to_str().unwrap(),
            "--script",
            script.to_str().unwrap(),
        ],
        &corpus,
    );
    assert_eq!(code, 0);
    // keep.txt is "keep me\n" (8 bytes), modify-me.txt "version 2\n" (10 bytes); the image's
    // regular files and symlink targets make 1.99MB.
    assert_eq!(
        out,
        "C /data\nC /data/links\nD /data/links/hard-b\nC /data/modify-me.txt\nD /data/nested\nC /tmp\nA /tmp/copy\nSIZE 18B (virtual 1.99MB)\n"
    );
    assert!(err.contains("sh: nope: command not found"));
    assert!(err.contains("s.sh:6: exit status 127"));
    std::fs::remove_dir_all(&dir).ok();
}
