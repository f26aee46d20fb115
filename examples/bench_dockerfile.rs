//! Parse throughput (MB/s) over the real-world Dockerfile corpus
//! (`../shared/corpus/dockerfile/realworld`, the files in `MANIFEST.tsv`).
//!
//! `cargo run --release --example bench_dockerfile -- [SECONDS]`
//!
//! Reports `parse` alone, `parse` + `dump`, and `parse` + the instruction layer
//! (`build_program`: typed commands, scoping, expansion, stage graph). Compare with
//! `bench/bench_dockerfile_ast.js` (npm dockerfile-ast) on the same files.

use layerscope::dockerfile::instructions::{build_program, Options};
use layerscope::dockerfile::{dump::dump, parse};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfile/realworld");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("corpus not found at {}", dir.display());
        std::process::exit(1);
    };
    let files: Vec<Vec<u8>> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter_map(|p| std::fs::read(dir.join(p)).ok())
        .collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let bench = |label: &str, f: &dyn Fn(&[u8]) -> usize| {
        for f2 in &files {
            black_box(f(f2));
        }
        let start = Instant::now();
        let mut rounds = 0u64;
        while start.elapsed().as_secs_f64() < seconds {
            for data in &files {
                black_box(f(black_box(data)));
            }
            rounds += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "layerscope {label}: {} files, {bytes} bytes, {rounds} rounds in {secs:.2}s = {:.1} MB/s",
            files.len(),
            bytes as f64 * rounds as f64 / secs / 1e6
        );
    };
    bench("parse", &|d| parse(d).map(|r| r.nodes.len()).unwrap_or(0));
    bench("parse+dump", &|d| {
        parse(d).map(|r| dump(&r).len()).unwrap_or(0)
    });
    bench("parse+instructions", &|d| {
        parse(d)
            .ok()
            .and_then(|r| build_program(&r, &Options::default()).ok())
            .map(|p| p.stages.len())
            .unwrap_or(0)
    });
}
