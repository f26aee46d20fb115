//! The corpus images' RUN layers, built by the simulator (RUN through the container shell over the
//! overlay tree), against the entries of the real images' layers in the truth files: every path
//! with its type, permission bits, owner and size, for Docker 20.10 (vfs) and Docker 26 with the
//! containerd snapshotter (`docker26c`). Not compared: Docker 26 on overlay2 (`docker26`), whose
//! layers differ by storage driver (0600 whiteouts, opaque directories for recreated
//! directories, copy-up of a hard link's lower-layer target), which the simulator does not model;
//! and for `docker26c` the `etc/` directory the simulated BuildKit adds to every RUN layer (runc's
//! mount points under overlay2), which the containerd snapshotter does not record.

mod build_common;

use build_common::*;
use layerscope::build::{build_text, BuildCache, BuildOptions, Builder, Engine, OverlayShell};
use std::path::Path;

/// `drwxr-sr-x` → 0o2755.
fn mode_bits(s: &str) -> u32 {
    let c: Vec<char> = s.chars().collect();
    let mut m = 0;
    for (k, who) in [(1usize, 6u32), (4, 3), (7, 0)] {
        if c.get(k) == Some(&'r') {
            m |= 4 << who;
        }
        if c.get(k + 1) == Some(&'w') {
            m |= 2 << who;
        }
        match c.get(k + 2) {
            Some('x') => m |= 1 << who,
            Some('s') | Some('t') => m |= 1 << who,
            _ => {}
        }
        if matches!(c.get(k + 2), Some('s') | Some('S') | Some('t') | Some('T')) {
            m |= match k {
                1 => 0o4000,
                4 => 0o2000,
                _ => 0o1000,
            };
        }
    }
    m
}

fn truth_layers(path: &Path) -> Vec<Vec<String>> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["images"][0]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let mut rows: Vec<String> = l["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {:o} {}:{} {}",
                        e["path"].as_str().unwrap(),
                        e["type"].as_str().unwrap(),
                        mode_bits(e["mode"].as_str().unwrap()),
                        e["uid"],
                        e["gid"],
                        e["size"]
                    )
                })
                .collect();
            rows.sort();
            rows
        })
        .collect()
}

fn check(producer: &str, builder: Builder, engine: Engine, ignore: &[&str]) -> Vec<String> {
    let Some(shared) = shared() else {
        return Vec::new();
    };
    let images = shared.join("corpus/images");
    let mut cache = BuildCache::new();
    let build = |name: &str, bases: &[layerscope::build::BaseImage], cache: &mut BuildCache| {
        let dir = images.join(name);
        let df = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let opts = BuildOptions {
            builder,
            engine,
            // As the corpus was built (meta/Dockerfile says so).
            build_args: vec![("BUILD_NOTE".to_string(), "from-cli".to_string())],
            ..Default::default()
        };
        build_text(&df, &load_context(&dir), &opts, bases, cache, &OverlayShell).unwrap()
    };
    let base = build("base", &[], &mut cache);
    let bases = vec![base.as_base(vec!["corpus/base:latest".into()])];
    let mut report = Vec::new();
    let mut compared = 0;
    for name in ["app", "app2", "edge", "meta", "multistage", "many"] {
        let truth = images.join(format!("{name}/{name}.{producer}.save.tar.truth.json"));
        if !truth.exists() {
            continue;
        }
        let want = truth_layers(&truth);
        let r = build(name, &bases, &mut cache);
        let last = r.steps.iter().map(|s| s.stage).max().unwrap_or(0);
        for s in r
            .steps
            .iter()
            .filter(|s| s.keyword == "RUN" && s.stage == last)
        {
            let Some(i) = s.outcome.layer else { continue };
            let mut got: Vec<String> = r.image.layers[i]
                .entries
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {:o} {}:{} {}",
                        e.path.display(),
                        e.kind.as_str(),
                        e.mode,
                        e.uid,
                        e.gid,
                        e.size
                    )
                })
                .collect();
            got.retain(|g| !ignore.contains(&g.as_str()));
            got.sort();
            let w = &want[i];
            compared += 1;
            let missing: Vec<&String> = w.iter().filter(|x| !got.contains(x)).collect();
            let extra: Vec<&String> = got.iter().filter(|x| !w.contains(x)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                report.push(format!(
                    "{name} ({producer}) layer {i} `{}`:\n  missing {missing:#?}\n  extra {extra:#?}",
                    s.text.chars().take(60).collect::<String>()
                ));
            }
        }
    }
    assert!(
        compared >= 10,
        "{producer}: only {compared} RUN layers compared"
    );
    report
}

#[test]
fn run_layers_match_docker20_truth() {
    let r = check("docker20", Builder::Classic, Engine::V20, &[]);
    assert!(r.is_empty(), "{}", r.join("\n"));
}

#[test]
fn run_layers_match_docker26c_truth() {
    let r = check(
        "docker26c",
        Builder::BuildKit,
        Engine::V26,
        &["etc/ dir 755 0:0 0"],
    );
    assert!(r.is_empty(), "{}", r.join("\n"));
}
