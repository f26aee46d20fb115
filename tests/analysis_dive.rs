//! dive's figures and CI output for every docker-archive of the corpus equal what dive 0.13.1
//! printed (fixtures in tests/fixtures/analysis, made by make-fixtures.sh there). The layers are
//! built from the archives' truth files, so this does not depend on our archive reader.

mod common;

use layerscope::analysis::ci::{evaluate, CiConfig};
use layerscope::analysis::dive_figures;
use serde_json::Value;
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis")
}

/// The archive behind a fixture name: `edge.docker26.save.tar` → `<corpus>/edge/…`.
fn archive(corpus: &Path, name: &str) -> std::path::PathBuf {
    let dir = name.split('.').next().unwrap();
    corpus.join(dir).join(name)
}

/// The image dive reads: the first manifest.json entry.
fn dive_image(truth: &Value) -> &Value {
    truth["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["view"] == "docker-manifest.json")
        .unwrap()
}

/// dive's CI text from the `efficiency:` line on.
fn report_part(text: &str) -> String {
    let start = text.find("  efficiency:").unwrap();
    text[start..].trim_end().to_string() + "\n"
}

#[test]
fn dive_figures_equal_dive_on_every_docker_archive() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".export.json").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(names.len(), 30, "fixtures for every docker-archive");
    let mut checked = 0;
    for name in names {
        let export: Value = serde_json::from_slice(
            &std::fs::read(fixtures().join(format!("{name}.export.json"))).unwrap(),
        )
        .unwrap();
        let truth = common::truth::truth(&archive(&corpus, &name));
        let layers = common::truth::layers_of(dive_image(&truth));
        let fig = dive_figures(&layers);
        let img = &export["image"];
        // serde_json's default float parsing may miss by one ulp: read the number text ourselves.
        let raw = std::fs::read_to_string(fixtures().join(format!("{name}.export.json"))).unwrap();
        let eff: f64 = raw
            .split("\"efficiencyScore\": ")
            .nth(1)
            .and_then(|r| r.split([',', '\n']).next())
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(fig.efficiency, eff, "{name}: efficiency");
        assert_eq!(
            fig.wasted_bytes,
            img["inefficientBytes"].as_u64().unwrap(),
            "{name}: wasted"
        );
        assert_eq!(
            fig.size_bytes,
            img["sizeBytes"].as_u64().unwrap(),
            "{name}: size"
        );
        let sizes: Vec<u64> = export["layer_sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(fig.layer_sizes, sizes, "{name}: layer sizes");
        let refs: Vec<(String, usize, i64)> = img["fileReference"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["file"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap() as usize,
                    r["sizeBytes"].as_i64().unwrap(),
                )
            })
            .collect();
        let ours: Vec<(String, usize, i64)> = fig
            .inefficient_files
            .iter()
            .map(|f| (f.path.clone(), f.count, f.cumulative))
            .collect();
        assert_eq!(ours, refs, "{name}: inefficient files");
        // CI reports with the default config and with every rule at its strictest.
        for (cfg_name, cfg) in [
            ("default", CiConfig::default()),
            (
                "strict",
                CiConfig::parse(&std::fs::read_to_string(fixtures().join("strict.yaml")).unwrap())
                    .unwrap(),
            ),
        ] {
            let want =
                std::fs::read_to_string(fixtures().join(format!("{name}.{cfg_name}.txt"))).unwrap();
            let rc: u8 = std::fs::read_to_string(fixtures().join(format!("{name}.{cfg_name}.rc")))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            let got = evaluate(&fig, &cfg);
            assert_eq!(got.text, report_part(&want), "{name}: {cfg_name} CI report");
            assert_eq!(got.exit_code, rc, "{name}: {cfg_name} exit status");
        }
        checked += 1;
    }
    assert_eq!(checked, 30);
}

#[test]
fn ci_configs_equal_dive() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    for name in ["app.docker20.save.tar", "edge.docker20.save.tar"] {
        let truth = common::truth::truth(&archive(&corpus, name));
        let fig = dive_figures(&common::truth::layers_of(dive_image(&truth)));
        for cfg_name in ["misconfigured", "mixed", "partial"] {
            let cfg = CiConfig::parse(
                &std::fs::read_to_string(fixtures().join(format!("{cfg_name}.yaml"))).unwrap(),
            )
            .unwrap();
            let want =
                std::fs::read_to_string(fixtures().join(format!("{name}.{cfg_name}.txt"))).unwrap();
            let rc: u8 = std::fs::read_to_string(fixtures().join(format!("{name}.{cfg_name}.rc")))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            let got = evaluate(&fig, &cfg);
            assert_eq!(got.text, report_part(&want), "{name}: {cfg_name}");
            assert_eq!(got.exit_code, rc, "{name}: {cfg_name} exit status");
        }
    }
}

#[test]
fn app_and_app2_share_all_but_the_top_layer() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    // The corpus README: app2 has "identical lower layers, different top layer".
    let truth = common::truth::truth(&corpus.join("multi/multi.docker20.save-3-refs.tar"));
    let imgs: Vec<layerscope::image::Image> = truth["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| layerscope::image::Image {
            layers: common::truth::layers_of(i),
            ..Default::default()
        })
        .collect();
    assert_eq!(imgs.len(), 2);
    let s = layerscope::analysis::sharing(&imgs.iter().collect::<Vec<_>>());
    let sizes =
        |i: usize| -> Vec<u64> { imgs[i].layers.iter().map(|l| l.uncompressed_size).collect() };
    let (a, b) = (sizes(0), sizes(1));
    assert_eq!(s.layers.len(), 4);
    assert_eq!(s.layers[0].used_by, vec![(0, 0), (1, 0)]);
    assert_eq!(s.layers[1].used_by, vec![(0, 1), (1, 1)]);
    assert_eq!(
        s.bytes_per_image,
        a.iter().sum::<u64>() + b.iter().sum::<u64>()
    );
    assert_eq!(s.bytes_stored_once, a.iter().sum::<u64>() + b[2]);
    // Chain ids of the shared layers: layer 0's is its diff_id.
    assert_eq!(s.layers[0].chain_id, imgs[0].layers[0].diff_id);
}
