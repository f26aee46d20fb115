//! Times the union-mount work the explore page's worker does after reading an archive, phase by
//! phase, natively: `overlay::Stack::new`, `layer_changes` for every layer, the summary's rows,
//! and the worker's whole path (`summarize_first`, `changes_above`, the wire encoding, `analyze`).
//!
//! `cargo run --release --example bench_overlay -- FILE [ROUNDS]`
//!
//! Each phase runs `ROUNDS` times (default 3) and the fastest is printed, in ms. The release
//! profile is the wasm's (opt-level "z"), so these are the relative costs the page sees.
//!
//! With `BENCH_ONLY=<phase>` (`stack`, `drop`, `changes`, `rows`, `first`, `above`, `analyze`,
//! `dive`, `ours`) only that phase runs, `ROUNDS` times: for `perf stat` / `perf record`, whose
//! counts do not depend on what else the machine runs.

use layerscope::analysis::{dive_figures, guess_base_layers, our_figures};
use layerscope::archive::{read_archive, ReadOptions};
use layerscope::overlay::{layer_changes, Stack};
use layerscope::viewmodel::explore::summary::{
    analyze, changes_above, layer_rows, summarize_first,
};
use layerscope::viewmodel::explore::wire;
use std::hint::black_box;
use std::time::Instant;

fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let v = black_box(f());
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(v);
    }
    (best, last.expect("at least one round"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: bench_overlay FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let t = Instant::now();
    // Unbuffered: the reader keeps a small buffer of its own and seeks past bodies (a
    // BufReader would throw its whole buffer away and refill it at every seek).
    let f = match std::fs::File::open(&file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::exit(1);
        }
    };
    let archive = read_archive(f, &ReadOptions::default());
    let read_ms = t.elapsed().as_secs_f64() * 1000.0;
    if let Some(e) = &archive.error {
        eprintln!("{file}: {e}");
    }
    println!("{file}");
    println!("  read_archive            {read_ms:9.1} ms (once)");
    let only = std::env::var("BENCH_ONLY").ok();
    let on = |phase: &str| only.as_deref().is_none_or(|o| o == phase);
    for (k, im) in archive.images.iter().enumerate() {
        let entries: usize = im.layers.iter().map(|l| l.entries.len()).sum();
        println!(
            "  image {k}: {} layers, {entries} entries ({rounds} rounds, best)",
            im.layers.len()
        );
        let stack = Stack::new(&im.layers);
        if on("stack") {
            let (ms, _) = best(rounds, || Stack::new(&im.layers).trees.len());
            println!("  Stack::new (and drop)   {ms:9.1} ms");
        }
        if on("drop") {
            let (ms, _) = best(rounds, || Stack::new(&im.layers));
            println!("  Stack::new (kept)       {ms:9.1} ms");
        }
        if on("changes") {
            let (ms, n) = best(rounds, || {
                (0..im.layers.len())
                    .map(|n| layer_changes(&stack, &im.layers, n).len())
                    .sum::<usize>()
            });
            println!("  layer_changes (all)     {ms:9.1} ms  ({n} changes)");
        }
        if on("rows") {
            let (ms, _) = best(rounds, || {
                (0..im.layers.len())
                    .map(|n| layer_rows(&stack, im, n).len())
                    .sum::<usize>()
            });
            println!("  layer_rows (all)        {ms:9.1} ms  (layer_changes and rows)");
        }
        if on("first") {
            let (ms, first) = best(rounds, || summarize_first(im, "bench", 0, k, "", 0));
            println!("  summarize_first         {ms:9.1} ms");
            let (ms, bytes) = best(rounds, || wire::encode(std::slice::from_ref(&first)));
            println!(
                "  wire::encode            {ms:9.1} ms  ({} bytes)",
                bytes.len()
            );
        }
        if on("above") {
            let (ms, above) = best(rounds, || changes_above(im));
            println!("  changes_above           {ms:9.1} ms");
            let (ms, bytes) = best(rounds, || wire::encode_changes(&above));
            println!(
                "  wire::encode_changes    {ms:9.1} ms  ({} bytes)",
                bytes.len()
            );
        }
        if on("analyze") {
            let (ms, _) = best(rounds, || analyze(im));
            println!("  analyze                 {ms:9.1} ms");
        }
        if on("dive") {
            let (ms, _) = best(rounds, || dive_figures(&im.layers));
            println!("    dive_figures          {ms:9.1} ms");
        }
        if on("ours") {
            let base = guess_base_layers(&im.history, im.layers.len());
            let (ms, ours) = best(rounds, || our_figures(&im.layers, base));
            println!(
                "    our_figures           {ms:9.1} ms  ({} wasteful paths)",
                ours.paths.len()
            );
        }
        if only.is_none() {
            let (ms, _) = best(rounds, || {
                let first = summarize_first(im, "bench", 0, k, "", 0);
                let a = wire::encode(std::slice::from_ref(&first)).len();
                let b = wire::encode_changes(&changes_above(im)).len();
                (a, b)
            });
            println!(
                "  worker summary+changes  {ms:9.1} ms  (summarize_first, changes_above, encodes)"
            );
        }
    }
}
