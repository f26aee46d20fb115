//! The corpus images' Dockerfiles, built by the simulator, against the real images' truth files:
//! every history row's CREATED BY and empty flag, and the layer count, for the classic builder
//! (Docker 20.10 archives) and BuildKit (Docker 26 archives).

mod build_common;

use build_common::*;
use layerscope::build::{build_text, BuildCache, BuildOptions, Builder, Engine, OverlayShell};
use std::path::Path;

fn build_dir(
    dir: &Path,
    opts: &BuildOptions,
    bases: &[layerscope::build::BaseImage],
    cache: &mut BuildCache,
) -> layerscope::build::BuildResult {
    let df = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let ctx = load_context(dir);
    build_text(&df, &ctx, opts, bases, cache, &OverlayShell)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn check_producer(producer: &str, builder: Builder, engine: Engine) {
    let Some(shared) = shared() else { return };
    let images = shared.join("corpus/images");
    let mut cache = BuildCache::new();
    let opts = |args: Vec<(String, String)>| BuildOptions {
        builder,
        engine,
        build_args: args,
        ..Default::default()
    };
    let base = build_dir(&images.join("base"), &opts(vec![]), &[], &mut cache);
    let bases = vec![base.as_base(vec!["corpus/base:latest".into()])];
    let mut checked = 0;
    for name in ["base", "app", "app2", "edge", "meta", "multistage", "many"] {
        let dir = images.join(name);
        let truth = dir.join(format!("{name}.{producer}.save.tar.truth.json"));
        if !truth.exists() {
            continue;
        }
        let args = if name == "meta" {
            vec![("BUILD_NOTE".to_string(), "from-cli".to_string())]
        } else {
            vec![]
        };
        let r = build_dir(&dir, &opts(args), &bases, &mut cache);
        let want = truth_history(&truth);
        let got = rows(&r.image);
        assert_eq!(got, want, "{name} ({producer}): history rows differ");
        let non_empty = want.iter().filter(|(_, e)| !*e).count();
        assert_eq!(
            r.image.layers.len(),
            non_empty,
            "{name} ({producer}): layer count"
        );
        checked += 1;
        for s in r.steps.iter().filter(|s| s.keyword == "RUN") {
            // Every corpus RUN is simulated command by command.
            assert_eq!(
                s.outcome.not_simulated,
                Vec::<String>::new(),
                "{name} ({producer}): {}",
                s.text
            );
        }
    }
    assert!(checked >= 5, "only {checked} images checked for {producer}");
}

#[test]
fn corpus_images_classic_builder_match_docker20_truth() {
    check_producer("docker20", Builder::Classic, Engine::V20);
}

#[test]
fn corpus_images_buildkit_match_docker26_truth() {
    check_producer("docker26", Builder::BuildKit, Engine::V26);
}

#[test]
fn corpus_images_buildkit_match_docker26c_truth() {
    check_producer("docker26c", Builder::BuildKit, Engine::V26);
}
