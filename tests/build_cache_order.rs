//! The build cache against ../shared/corpus/docker-outputs/cache-order: COPY before vs after an
//! expensive RUN, rebuilt unchanged, after `touch` (mtime only) and after a content edit of
//! main.c; every step's cached/executed status must equal the real builders' (Docker 20.10 and
//! 26, classic and BuildKit).

mod build_common;

use build_common::*;
use layerscope::build::{
    build_text, render_build_output, BuildCache, BuildOptions, BuildResult, Builder, Engine,
    OverlayShell, StepStatus,
};

fn statuses(r: &BuildResult) -> Vec<(String, String)> {
    r.steps
        .iter()
        .filter(|s| r.builder == Builder::Classic || s.bk_number.is_some())
        .map(|s| {
            let st = match s.status {
                StepStatus::Base => "base-image",
                StepStatus::Cached => "cached",
                _ => "executed",
            };
            (
                if s.keyword == "FROM" {
                    "FROM".into()
                } else {
                    s.text.clone()
                },
                st.to_string(),
            )
        })
        .collect()
}

#[test]
fn cache_results_match_real_docker() {
    let Some(shared) = shared() else { return };
    let root = shared.join("corpus/docker-outputs/cache-order");
    let seed = shared.join("corpus/docker-outputs/seed-lab");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("summary.json")).unwrap()).unwrap();
    for producer in [
        "d20-vfs-classic",
        "d20-vfs-buildkit",
        "d26-overlay2-buildkit",
        "d26-overlay2-classic",
    ] {
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
        let bases = vec![busybox_base(
            &seed.join(producer),
            builder == Builder::Classic,
        )];
        let mut ctx = load_context(&root.join("inputs/ctx"));
        let mut cache = BuildCache::new();
        let mut check = |name: &str, variant: &str, ctx: &layerscope::build::BuildContext| {
            let file = format!("Dockerfile.{variant}");
            let df = std::fs::read_to_string(root.join("inputs/ctx").join(&file)).unwrap();
            let opts = BuildOptions {
                builder,
                engine,
                dockerfile_name: file,
                tag: Some(format!("order-{variant}")),
                ..Default::default()
            };
            let r = build_text(&df, ctx, &opts, &bases, &mut cache, &OverlayShell).unwrap();
            let fact = &p["facts"][format!("build:{name}")];
            let want: Vec<(String, String)> = fact["steps"]
                .as_array()
                .unwrap_or_else(|| panic!("{producer}: no fact {name}"))
                .iter()
                .map(|s| {
                    let i = s["instruction"].as_str().unwrap();
                    // Docker 20.10's BuildKit prints FROM as CACHED when the daemon resolved the
                    // base before (history outside this capture): the FROM line is a base either way.
                    if i.starts_with("FROM") {
                        ("FROM".into(), "base-image".into())
                    } else {
                        (i.to_string(), s["status"].as_str().unwrap().to_string())
                    }
                })
                .collect();
            let (mut got, mut want) = (statuses(&r), want);
            if builder == Builder::BuildKit {
                // BuildKit's progress prints finished steps in completion order, not file order.
                got.sort();
                want.sort();
            }
            assert_eq!(got, want, "{producer}: {name}");
            if builder == Builder::BuildKit {
                // Plain progress (stderr), blocks normalised as in build_seed_lab.
                let real =
                    std::fs::read_to_string(root.join(producer).join(format!("{name}.stderr")))
                        .unwrap();
                assert_buildkit_output(&r, &real, &format!("{producer}: {name} output"));
            }
            if builder == Builder::Classic {
                let real =
                    std::fs::read_to_string(root.join(producer).join(format!("{name}.stdout")))
                        .unwrap();
                assert_eq!(
                    normalize_ids(&render_build_output(&r)),
                    normalize_ids(&real),
                    "{producer}: {name} output"
                );
            }
        };
        check("01-build-copy-first-cold", "copy-first", &ctx);
        check("02-build-copy-last-cold", "copy-last", &ctx);
        check("03-build-copy-first-unchanged", "copy-first", &ctx);
        check("04-build-copy-last-unchanged", "copy-last", &ctx);
        // `touch` changes only the mtime, which the context model does not carry: no change.
        check("06-build-copy-first-after-touch", "copy-first", &ctx);
        check("07-build-copy-last-after-touch", "copy-last", &ctx);
        let edit = std::fs::read_to_string(root.join(producer).join("08-edit-main.c.cmd")).unwrap();
        let start = edit.find('\'').unwrap() + 1;
        let end = edit[start..].find('\'').unwrap() + start;
        ctx.add_file(
            "main.c",
            0o644,
            edit[start..end].replace("\\n", "\n").into_bytes(),
        );
        check("09-build-copy-first-after-edit", "copy-first", &ctx);
        check("10-build-copy-last-after-edit", "copy-last", &ctx);
    }
}
