//! Long-running robustness harness for the Dockerfile parser and for expansion.
//!
//! `cargo run --release --example fuzz_dockerfile -- parser|expand SECONDS [SEED]`
//!
//! Feeds seeded random, mutated and spliced corpus inputs (parser) or random `${…}`-heavy
//! words (expansion) through the same checks as `tests/dockerfile_fuzz.rs`, catching panics.
//! Prints iterations, throughput, the slowest input's time and every failure; failing inputs
//! are written to `target/fuzz-crashes/`. Exit status 1 if anything failed.

#[path = "../tests/dockerfile_support/mod.rs"]
mod dockerfile_support;

use dockerfile_support::{check_expand, check_parser, input, seeds, word, Rng};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("parser")
        .to_string();
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0123_4567_89ab_cdef);
    let seeds = seeds();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let deadline = Duration::from_secs(seconds);
    let (mut iters, mut failures, mut bytes) = (0u64, 0u64, 0u64);
    let mut slowest = (Duration::ZERO, Vec::new());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    while start.elapsed() < deadline {
        let (data, t0) = match target.as_str() {
            "expand" => (word(&mut rng).into_bytes(), Instant::now()),
            _ => (input(&mut rng, &seeds), Instant::now()),
        };
        let mut sub = Rng(rng.next() | 1);
        let d = data.clone();
        let t = target.clone();
        let ok = std::panic::catch_unwind(move || {
            if t == "expand" {
                check_expand(&mut sub, &String::from_utf8_lossy(&d));
            } else {
                check_parser(&d);
            }
        })
        .is_ok();
        let took = t0.elapsed();
        if took > slowest.0 {
            slowest = (took, data.clone());
        }
        iters += 1;
        bytes += data.len() as u64;
        if !ok {
            failures += 1;
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{target}-{failures}.bin"));
            let _ = std::fs::write(&path, &data);
            eprintln!("FAILURE #{failures}: input saved to {}", path.display());
        }
        if iters % 100_000 == 0 {
            eprintln!(
                "[{:>5.0}s] {iters} inputs, {failures} failures, slowest {:?}",
                start.elapsed().as_secs_f64(),
                slowest.0
            );
        }
    }
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{target}-slowest.bin")), &slowest.1);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "target={target} seed={seed:#x} seeds={} ran {secs:.0}s: {iters} inputs ({:.0}/s, {:.1} MB), {failures} failures, slowest input {:?} ({} bytes)",
        seeds.len(),
        iters as f64 / secs,
        bytes as f64 / 1e6,
        slowest.0,
        slowest.1.len()
    );
    if failures > 0 {
        std::process::exit(1);
    }
}
