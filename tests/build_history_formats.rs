//! Every metadata instruction, RUN with ARGs in scope, exec form, heredoc, COPY --chown/--chmod,
//! ADD of a tar and an ONBUILD child, against the real outputs in
//! ../shared/corpus/docker-outputs/history-formats: which Dockerfile variant each builder
//! accepts (and the error it gives for the others), the saved config's history rows, and the
//! child's trigger rows.

mod build_common;

use build_common::*;
use layerscope::build::{
    build_text, render_build_output, BuildCache, BuildOptions, Builder, Engine, OverlayShell,
};
use std::path::Path;

fn find(dir: &Path, suffix: &str) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
}

fn run_producer(root: &Path, seed: &Path, producer: &str) {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("summary.json")).unwrap()).unwrap();
    let p = &summary["producers"][producer];
    let builder = if p["builder"] == "classic" {
        Builder::Classic
    } else {
        Builder::BuildKit
    };
    let engine = if producer.starts_with("d20") {
        Engine::V20
    } else {
        Engine::V26
    };
    let dir = root.join(producer);
    let bases = vec![busybox_base(
        &seed.join(producer),
        builder == Builder::Classic,
    )];
    let ctx = load_context(&root.join("inputs/ctx"));
    let mut cache = BuildCache::new();
    let opts = |file: &str, tag: &str| BuildOptions {
        builder,
        engine,
        build_args: vec![("FLAVOR".into(), "chocolate".into())],
        tag: Some(tag.into()),
        dockerfile_name: file.into(),
        ..Default::default()
    };
    let mut built = None;
    for (n, variant) in ["full", "no-heredoc", "no-heredoc-no-chmod"]
        .iter()
        .enumerate()
    {
        let Some(cmd) = find(&dir, &format!("-build-{variant}.cmd")) else {
            continue;
        };
        let rc: i32 = std::fs::read_to_string(cmd.with_extension("rc"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let file = format!("Dockerfile.{variant}");
        let df = std::fs::read_to_string(root.join("inputs/ctx").join(&file)).unwrap();
        let r = build_text(
            &df,
            &ctx,
            &opts(&file, "hist-demo"),
            &bases,
            &mut cache,
            &OverlayShell,
        );
        if rc == 0 {
            let r = r.unwrap_or_else(|e| panic!("{producer} {variant}: {e}"));
            if builder == Builder::Classic {
                let real = std::fs::read_to_string(cmd.with_extension("stdout")).unwrap();
                assert_eq!(
                    normalize_ids(&render_build_output(&r)),
                    normalize_ids(&real),
                    "{producer} {variant} output"
                );
            } else {
                let real = std::fs::read_to_string(cmd.with_extension("stderr")).unwrap();
                assert_buildkit_output(&r, &real, &format!("{producer} {variant} output"));
            }
            built = Some(r);
            assert_eq!(
                p["facts"]["dockerfile_variant_built"].as_str(),
                Some(*variant),
                "{producer}"
            );
            break;
        }
        let err = r
            .err()
            .unwrap_or_else(|| panic!("{producer} {variant}: real build failed, ours did not"));
        let out = std::fs::read_to_string(cmd.with_extension("stdout")).unwrap()
            + &std::fs::read_to_string(cmd.with_extension("stderr")).unwrap();
        assert!(
            out.contains(&err.message),
            "{producer} {variant} (#{n}): `{}` not in the real output",
            err.message
        );
    }
    let built = built.unwrap_or_else(|| panic!("{producer}: nothing built"));
    let saved = find(&dir, "-saved-config-history.stdout").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(saved).unwrap()).unwrap();
    let want: Vec<(String, bool)> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["created_by"].as_str().unwrap().to_string(),
                h["empty_layer"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(rows(&built.image), want, "{producer}: saved config history");
    let authors: Vec<String> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["author"].as_str().unwrap_or("").to_string())
        .collect();
    let ours: Vec<String> = built
        .image
        .history
        .iter()
        .map(|h| h.author.clone())
        .collect();
    assert_eq!(ours, authors, "{producer}: MAINTAINER authors");

    // The ONBUILD child: its first two rows (newest first) are its own RUN and the trigger.
    let child_bases = vec![built.as_base(vec!["hist-demo".into()])];
    let df = std::fs::read_to_string(root.join("inputs/ctx/Dockerfile.child")).unwrap();
    let child = build_text(
        &df,
        &ctx,
        &opts("Dockerfile.child", "hist-child"),
        &child_bases,
        &mut cache,
        &OverlayShell,
    )
    .unwrap();
    let table =
        std::fs::read_to_string(find(&dir, "-history-child-no-trunc.stdout").unwrap()).unwrap();
    let want_top: Vec<String> = parse_history_table(&table)
        .iter()
        .take(2)
        .map(|r| r.1.clone())
        .collect();
    let got_top: Vec<String> = child
        .image
        .history
        .iter()
        .rev()
        .take(2)
        .map(|h| h.created_by.clone())
        .collect();
    assert_eq!(got_top, want_top, "{producer}: child rows");
    assert!(child.image.config.on_build.is_empty());
}

#[test]
fn history_formats_match_real_docker_outputs() {
    let Some(shared) = shared() else { return };
    let root = shared.join("corpus/docker-outputs/history-formats");
    let seed = shared.join("corpus/docker-outputs/seed-lab");
    for producer in [
        "d20-vfs-classic",
        "d20-vfs-buildkit",
        "d26-overlay2-buildkit",
        "d26-overlay2-classic",
    ] {
        run_producer(&root, &seed, producer);
    }
}
