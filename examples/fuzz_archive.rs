//! A random-mutation fuzzer for the archive reader (no nightly or libFuzzer needed): takes the
//! corpus archives up to 3 MB (or a small synthetic archive when ../shared is absent), mutates
//! them (bit flips, tar-field rewrites with digits and base-256 markers, block duplication and
//! removal, truncation, splicing of two inputs), reads each result with and without `verify`,
//! and records every panic and every read slower than 10 s under the output folder.
//!
//! Usage: cargo run --release --example fuzz_archive -- SECONDS [OUT_DIR] [SEED]

use layerscope::archive::{read_archive, ErrorKind, ReadOptions};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images");
    let mut out = Vec::new();
    if let Ok(dirs) = std::fs::read_dir(&root) {
        for d in dirs.flatten() {
            for f in std::fs::read_dir(d.path()).into_iter().flatten().flatten() {
                let p = f.path();
                let name = p.to_string_lossy().to_string();
                let is_archive = name.ends_with(".tar") || name.ends_with(".tar.gz");
                let small = f.metadata().map(|m| m.len() <= 3 << 20).unwrap_or(false);
                if is_archive
                    && small
                    && !name.ends_with("rootfs.tar")
                    && !name.ends_with("xattrs.tar")
                {
                    if let Ok(b) = std::fs::read(&p) {
                        out.push((name, b));
                    }
                }
            }
        }
    }
    if out.is_empty() {
        let mut b = tar::Builder::new(Vec::new());
        let layer = {
            let mut l = tar::Builder::new(Vec::new());
            let mut h = tar::Header::new_gnu();
            h.set_size(5);
            h.set_mode(0o644);
            l.append_data(&mut h, "a/file", &b"hello"[..]).unwrap();
            l.into_inner().unwrap()
        };
        let manifest = br#"[{"Config":"c.json","RepoTags":["x:y"],"Layers":["l/layer.tar"]}]"#;
        let config = br#"{"os":"linux","architecture":"amd64","rootfs":{"diff_ids":["sha256:00"]},"history":[{"created_by":"x"}]}"#;
        for (n, body) in [
            ("manifest.json", &manifest[..]),
            ("c.json", &config[..]),
            ("l/layer.tar", &layer[..]),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_size(body.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, n, body).unwrap();
        }
        out.push(("synthetic".into(), b.into_inner().unwrap()));
    }
    out.sort();
    out
}

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    if data.is_empty() {
        data.push(0);
    }
    let n = data.len();
    match rng.below(9) {
        0 => {
            let i = rng.below(n);
            data[i] ^= 1 << rng.below(8);
        }
        1 => {
            let i = rng.below(n);
            data[i] = [0u8, 0xff, 0x80, b'0', b'7', b' ', b'/', b'.'][rng.below(8)];
        }
        2 => {
            // Rewrite a numeric field of a tar header (mode, uid, gid, size, mtime, checksum).
            let block = rng.below(n / 512 + 1) * 512;
            let (start, len) =
                [(100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (148, 8)][rng.below(6)];
            for k in 0..len {
                if let Some(b) = data.get_mut(block + start + k) {
                    *b = match rng.below(4) {
                        0 => b'0' + rng.below(8) as u8,
                        1 => 0xff,
                        2 => 0,
                        _ => b'7',
                    };
                }
            }
        }
        3 => {
            let cut = rng.below(n);
            data.truncate(cut);
        }
        4 => {
            // Duplicate a 512-byte block.
            let b = rng.below(n / 512 + 1) * 512;
            let end = (b + 512).min(n);
            let block = data[b..end].to_vec();
            let at = rng.below(n / 512 + 1) * 512;
            let at = at.min(data.len());
            data.splice(at..at, block);
        }
        5 => {
            // Remove a 512-byte block.
            let b = rng.below(n / 512 + 1) * 512;
            let end = (b + 512).min(n);
            data.drain(b..end);
        }
        6 => {
            // Splice in bytes of another input.
            if !other.is_empty() {
                let from = rng.below(other.len());
                let len = rng.below(4096).min(other.len() - from);
                let at = rng.below(n);
                let end = (at + len).min(data.len());
                data.splice(at..end, other[from..from + len].iter().copied());
            }
        }
        7 => {
            // Corrupt a run of bytes.
            let at = rng.below(n);
            for k in 0..rng.below(64) {
                if let Some(b) = data.get_mut(at + k) {
                    *b = rng.next() as u8;
                }
            }
        }
        _ => {
            // Flip a byte in a JSON-looking place: find a '{' and mutate near it.
            let skip = rng.below(n);
            if let Some(pos) = data[skip..].iter().position(|&b| b == b'{') {
                let i = (skip + pos + rng.below(200)).min(n - 1);
                let pool = b"{}[]\":,0a \\";
                data[i] = pool[rng.below(pool.len())];
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let secs: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let out = PathBuf::from(args.get(2).cloned().unwrap_or("/tmp/fuzz-archive".into()));
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    std::fs::create_dir_all(&out).expect("output folder");
    let seeds = seeds();
    eprintln!("{} seed archives", seeds.len());
    let last_panic = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    {
        let lp = last_panic.clone();
        std::panic::set_hook(Box::new(move |info| {
            eprintln!("panic: {info}");
            if let Ok(mut s) = lp.lock() {
                *s = info.to_string();
            }
        }));
    }
    let mut rng = Rng(seed);
    let start = Instant::now();
    let (mut iters, mut panics, mut slow) = (0u64, 0u64, 0u64);
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut max_time = Duration::ZERO;
    let mut last_report = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        let (_, base) = &seeds[rng.below(seeds.len())];
        let (_, other) = &seeds[rng.below(seeds.len())];
        let mut data = base.clone();
        for _ in 0..1 + rng.below(6) {
            mutate(&mut rng, &mut data, other);
        }
        let opts = ReadOptions {
            verify: rng.below(2) == 0,
            max_bytes: 512 << 20,
            max_entries: 2_000_000,
            ..ReadOptions::default()
        };
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| read_archive(Cursor::new(&data), &opts));
        let took = t.elapsed();
        max_time = max_time.max(took);
        iters += 1;
        match result {
            Ok(a) => {
                let k = match &a.error {
                    Some(e) => format!("{:?}", e.kind),
                    None if a.verify_failures.is_empty() => "ok".into(),
                    None => format!("{:?}", ErrorKind::DigestMismatch),
                };
                *kinds.entry(k).or_default() += 1;
            }
            Err(_) => {
                panics += 1;
                let p = out.join(format!("panic-{panics}.tar"));
                let _ = std::fs::write(&p, &data);
                let msg = last_panic.lock().map(|s| s.clone()).unwrap_or_default();
                eprintln!("PANIC saved to {}: {msg}", p.display());
            }
        }
        if took > Duration::from_secs(10) {
            slow += 1;
            let _ = std::fs::write(out.join(format!("slow-{slow}.tar")), &data);
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            eprintln!(
                "{:>5}s {iters} runs, {panics} panics, {slow} slow, max {max_time:?}",
                start.elapsed().as_secs()
            );
            last_report = Instant::now();
        }
    }
    println!(
        "fuzz_archive: {iters} runs in {:.0} s, {panics} panics, {slow} slower than 10 s, slowest {:?}",
        start.elapsed().as_secs_f64(),
        max_time
    );
    for (k, n) in kinds {
        println!("  {k}: {n}");
    }
}
