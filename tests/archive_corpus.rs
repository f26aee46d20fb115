//! Every archive of the shared corpus (`../shared/corpus/images`), read by the library and shaped
//! as `inspect --json`, checked against its `.truth.json` (derived by GNU tar, jq and sha256sum
//! from the archive bytes alone): image count, tags, config digest, platform, attestation count,
//! every layer field of issue 4 and every history field. The one-pass reader, and layers scanned
//! apart then assembled (`archive::parallel`), must give the same images, and archives up to 3 MB are also read with `--verify`, which must find no mismatch. Skips (passes) when ../shared is absent.

use layerscope::archive::{inspect_json, read_archive, read_unseekable, scan_wire, ReadOptions};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `../shared/corpus/images`, or the folder `LAYERSCOPE_CORPUS` names (a full rebuild by
/// make-image-corpus.sh, with the `many` and `large` archives the shared copy leaves out).
fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("LAYERSCOPE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images"),
    };
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} not found; corpus test skipped", p.display());
        None
    }
}

fn truth_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = f.path();
            if p.to_string_lossy().ends_with(".truth.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn config_digest(view: &Value) -> String {
    view.get("config_sha256")
        .and_then(Value::as_str)
        .or_else(|| view["manifest"]["config"]["digest"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Compare one archive; returns the list of differences.
fn check(archive: &Path, truth: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let f = std::fs::File::open(archive).unwrap();
    let a = read_archive(std::io::BufReader::new(f), &ReadOptions::default());
    let got = inspect_json(&a);
    if let Some(e) = &a.error {
        diffs.push(format!("error: {e}"));
    }
    // Layer blobs scanned apart (last first, each on its own reader) and assembled after must
    // give the very same archive (the CLI's threads and the page's workers read this way, the
    // workers passing scans in their binary form).
    let open = || std::io::BufReader::new(std::fs::File::open(archive).unwrap());
    let opts = ReadOptions::default();
    if let Some(plan) = layerscope::archive::parallel::plan(open(), &opts) {
        let scans = plan
            .jobs
            .iter()
            .rev()
            .map(|j| layerscope::archive::parallel::scan_job(open(), j, &opts))
            // As the page's workers pass them: through their binary form.
            .map(|j| scan_wire::decode(&scan_wire::encode(&j)).expect("a scan decodes"))
            .collect();
        let apart =
            layerscope::archive::parallel::read_planned(open(), &opts, plan, scans, &mut |_| {});
        if apart != a {
            diffs.push("layers scanned apart give another archive".into());
        }
    } else if !a.outer_gzip {
        diffs.push("no plan for an archive that is not gzip-wrapped".into());
    }
    // The CLI's `inspect` reads without keeping entries: its figures must be the same.
    let f = std::fs::File::open(archive).unwrap();
    let light = ReadOptions {
        keep_entries: false,
        ..ReadOptions::default()
    };
    let lean = read_archive(std::io::BufReader::new(f), &light);
    if inspect_json(&lean) != got {
        diffs.push("inspect without kept entries differs from inspect with them".into());
    }
    if lean
        .images
        .iter()
        .flat_map(|i| &i.layers)
        .any(|l| !l.entries.is_empty())
    {
        diffs.push("entries kept although keep_entries is false".into());
    }
    let views = truth["images"].as_array().cloned().unwrap_or_default();
    let has_docker = views.iter().any(|v| v["view"] == "docker-manifest.json");
    // Expected images: manifest.json entries, else distinct OCI manifests.
    let expected_configs: BTreeSet<String> = views
        .iter()
        .filter(|v| !has_docker || v["view"] == "docker-manifest.json")
        .map(config_digest)
        .collect();
    let images = got["images"].as_array().cloned().unwrap_or_default();
    let got_configs: BTreeSet<String> = images.iter().map(|i| s(&i["config_digest"])).collect();
    if got_configs != expected_configs || images.len() != expected_configs.len() {
        diffs.push(format!(
            "images {got_configs:?} vs truth {expected_configs:?}"
        ));
    }
    // Attestations: distinct non-image manifests.
    let att: BTreeSet<String> = truth["other_objects"]
        .as_array()
        .map(|o| {
            o.iter()
                .filter(|x| s(&x["kind"]).starts_with("non-image manifest"))
                .map(|x| s(&x["descriptor"]["digest"]))
                .collect()
        })
        .unwrap_or_default();
    let got_att: BTreeSet<String> = got["attestations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["manifest_digest"]))
        .collect();
    if att != got_att {
        diffs.push(format!("attestations {got_att:?} vs {att:?}"));
    }
    for im in &images {
        let cd = s(&im["config_digest"]);
        let tv: Vec<&Value> = views.iter().filter(|v| config_digest(v) == cd).collect();
        // Tags: RepoTags of manifest.json, else the OCI ref names.
        let want_tags: BTreeSet<String> = if has_docker {
            tv.iter()
                .filter(|v| v["view"] == "docker-manifest.json")
                .flat_map(|v| v["repo_tags"].as_array().cloned().unwrap_or_default())
                .map(|t| s(&t))
                .collect()
        } else {
            tv.iter()
                .filter_map(|v| v["ref_name"].as_str().map(str::to_string))
                .collect()
        };
        let got_tags: BTreeSet<String> = im["tags"].as_array().unwrap().iter().map(s).collect();
        if got_tags != want_tags {
            diffs.push(format!("{cd}: tags {got_tags:?} vs {want_tags:?}"));
        }
        for v in &tv {
            let view = s(&v["view"]);
            let cfg = &v["config"];
            if im["platform"]["os"] != cfg["os"]
                || im["platform"]["architecture"] != cfg["architecture"]
            {
                diffs.push(format!(
                    "{view}: platform {} vs {}/{}",
                    im["platform"], cfg["os"], cfg["architecture"]
                ));
            }
            let tl = v["layers"].as_array().unwrap();
            let gl = im["layers"].as_array().unwrap();
            if tl.len() != gl.len() {
                diffs.push(format!("{view}: {} layers vs {}", gl.len(), tl.len()));
            }
            for (g, t) in gl.iter().zip(tl) {
                let i = &g["index"];
                let desc = &t["descriptor"];
                let want_digest = desc
                    .get("digest")
                    .cloned()
                    .unwrap_or(t["blob_sha256"].clone());
                let mut pairs = vec![
                    ("index", t["index"].clone()),
                    ("digest", want_digest),
                    ("diff_id", t["config_diff_id"].clone()),
                    ("compression", t["compression"].clone()),
                    ("blob_size", t["blob_size"].clone()),
                    ("uncompressed_size", t["uncompressed_size"].clone()),
                    ("entry_count", t["entry_count"].clone()),
                    ("regular_file_bytes", t["regular_file_bytes"].clone()),
                    ("whiteouts", t["whiteouts"].clone()),
                    ("opaque_whiteouts", t["opaque_whiteouts"].clone()),
                ];
                if let Some(mt) = desc.get("mediaType") {
                    pairs.push(("media_type", mt.clone()));
                }
                for (k, want) in pairs {
                    if g[k] != want {
                        diffs.push(format!("{view} layer {i} {k}: {} vs truth {}", g[k], want));
                    }
                }
                // counts_by_type: every type, absent in the truth means 0.
                for (k, n) in g["counts_by_type"].as_object().unwrap() {
                    let want = t["counts_by_type"]
                        .get(k)
                        .cloned()
                        .unwrap_or(Value::from(0));
                    if *n != want {
                        diffs.push(format!(
                            "{view} layer {i} counts_by_type.{k}: {n} vs {want}"
                        ));
                    }
                }
                for k in t["counts_by_type"].as_object().unwrap().keys() {
                    if g["counts_by_type"].get(k).is_none() {
                        diffs.push(format!("{view} layer {i}: unknown type {k}"));
                    }
                }
            }
            let th = v["history"].as_array().unwrap();
            let gh = im["history"].as_array().unwrap();
            if th.len() != gh.len() {
                diffs.push(format!("{view}: {} history rows vs {}", gh.len(), th.len()));
            }
            for (n, (g, t)) in gh.iter().zip(th).enumerate() {
                for (k, default) in [
                    ("created", Value::Null),
                    ("created_by", Value::from("")),
                    ("comment", Value::from("")),
                    ("empty_layer", Value::Bool(false)),
                    ("layer_index", Value::Null),
                ] {
                    let want = t.get(k).cloned().unwrap_or(default);
                    if g[k] != want {
                        diffs.push(format!("{view} history {n} {k}: {} vs {}", g[k], want));
                    }
                }
            }
        }
    }
    // The one-pass reader (pipes, the browser's streams) reads the same images.
    let f = std::fs::File::open(archive).unwrap();
    let streamed = read_unseekable(std::io::BufReader::new(f), &ReadOptions::default());
    if streamed.images != a.images || streamed.error.is_some() {
        diffs.push(format!(
            "one-pass read differs (error {:?})",
            streamed.error
        ));
    }
    // Small archives: --verify finds nothing to report.
    if std::fs::metadata(archive).map(|m| m.len()).unwrap_or(0) <= 3 << 20 {
        let f = std::fs::File::open(archive).unwrap();
        let opts = ReadOptions {
            verify: true,
            ..ReadOptions::default()
        };
        let v = read_archive(std::io::BufReader::new(f), &opts);
        for e in v.verify_failures.iter().chain(v.error.iter()) {
            diffs.push(format!("verify: {e}"));
        }
    }
    diffs
}

#[test]
fn every_corpus_archive_matches_its_truth() {
    let Some(root) = corpus() else { return };
    let files = truth_files(&root);
    assert!(!files.is_empty(), "no .truth.json under {}", root.display());
    // Two threads: the machine has two cores.
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|sc| {
        let handles: Vec<_> = [0, 1]
            .map(|k| {
                let files = &files;
                sc.spawn(move || {
                    let mut checked = 0;
                    let mut failures = Vec::new();
                    for tf in files.iter().skip(k).step_by(2) {
                        let archive =
                            PathBuf::from(tf.to_string_lossy().trim_end_matches(".truth.json"));
                        if !archive.exists() {
                            continue;
                        }
                        let truth: Value =
                            serde_json::from_slice(&std::fs::read(tf).unwrap()).unwrap();
                        let diffs = check(&archive, &truth);
                        checked += 1;
                        if !diffs.is_empty() {
                            failures.push(format!(
                                "{}:\n  {}",
                                archive.display(),
                                diffs[..diffs.len().min(10)].join("\n  ")
                            ));
                        }
                    }
                    (checked, failures)
                })
            })
            .into_iter()
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    eprintln!("checked {checked} archives against their truth");
    assert!(checked >= 40, "only {checked} archives found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
