//! `layerscope analyze ARCHIVE [--json]`: dive's figures (computed as dive 0.13 does, so they equal
//! dive's on the same image) beside ours (waste without the kept copy, user share against all of
//! the base image's layers), the most wasteful paths with their reasons, and, for archives with
//! several images, the layers they share.

use super::archive_args::ArchiveArgs;
use crate::analysis::gofmt::humanize_bytes;
use crate::analysis::{dive_figures, guess_base_layers, our_figures, sharing};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Layers that come from the base image (default: guessed from the history; see the docs).
    #[arg(long)]
    pub base_layers: Option<usize>,
    /// How many wasteful paths to list.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

fn pct(f: f64) -> String {
    if f.is_finite() {
        format!("{:.4} %", f * 100.0)
    } else {
        "n/a (no user layers)".into()
    }
}

pub fn run(args: Args) -> ExitCode {
    let a = match args.archive.read_image(false, true) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let image = &a.images[0];
    let dive = dive_figures(&image.layers);
    let base = args
        .base_layers
        .unwrap_or_else(|| guess_base_layers(&image.history, image.layers.len()));
    let ours = our_figures(&image.layers, base);
    let share = (a.images.len() > 1).then(|| sharing(&a.images.iter().collect::<Vec<_>>()));
    let name = image
        .tags
        .first()
        .cloned()
        .unwrap_or_else(|| image.config_digest.clone());
    if args.json {
        let mut o = ours.clone();
        o.paths.truncate(args.top);
        let v = serde_json::json!({
            "image": name,
            "config_digest": image.config_digest,
            "layers": image.layers.len(),
            "dive": {
                "efficiency": dive.efficiency,
                "wasted_bytes": dive.wasted_bytes,
                "user_wasted_percent": if dive.user_wasted_percent.is_finite() { Some(dive.user_wasted_percent) } else { None },
                "size_bytes": dive.size_bytes,
                "user_size_bytes": dive.user_size_bytes,
                "inefficient_files": dive.inefficient_files,
            },
            "ours": o,
            "sharing": share,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    println!("image: {name} ({} layers)", image.layers.len());
    println!("dive's figures (computed as dive 0.13 does):");
    println!("  efficiency: {}", pct(dive.efficiency));
    println!(
        "  wasted bytes: {} ({}), counting the copy that is kept",
        dive.wasted_bytes,
        humanize_bytes(dive.wasted_bytes)
    );
    println!(
        "  user wasted percent: {} of {} bytes in layers 1..",
        pct(dive.user_wasted_percent),
        dive.user_size_bytes
    );
    println!("our figures:");
    println!("  efficiency: {}", pct(ours.efficiency));
    println!(
        "  wasted bytes: {} ({}) of {} stored; {} visible",
        ours.wasted_bytes,
        humanize_bytes(ours.wasted_bytes),
        ours.stored_bytes,
        ours.visible_bytes
    );
    println!(
        "  user wasted percent: {} ({} of {} bytes in layers {}.., base image = {} layer{})",
        pct(ours.user_wasted_percent),
        ours.user_wasted_bytes,
        ours.user_size_bytes,
        base,
        base,
        if base == 1 { "" } else { "s" }
    );
    if ours.paths.is_empty() {
        println!("no wasteful paths");
    } else {
        println!("wasteful paths (largest first):");
        for p in ours.paths.iter().take(args.top) {
            println!(
                "  {:>10}  {}: {}",
                humanize_bytes(p.wasted),
                p.path,
                p.reason()
            );
        }
    }
    let counted: Vec<&str> = dive
        .inefficient_files
        .iter()
        .filter(|f| !ours.paths.iter().any(|p| p.path == f.path))
        .map(|f| f.path.as_str())
        .collect();
    if !counted.is_empty() {
        println!(
            "dive also lists (no stored bytes wasted there): {}",
            counted.join(", ")
        );
    }
    if let Some(s) = share {
        println!(
            "sharing across the archive's {} images: {} bytes stored once, {} if each were stored alone",
            a.images.len(),
            s.bytes_stored_once,
            s.bytes_per_image
        );
        for l in &s.layers {
            let users: Vec<String> = l
                .used_by
                .iter()
                .map(|(i, li)| format!("image {i} layer {li}"))
                .collect();
            println!("  {}  {} bytes  {}", &l.chain_id, l.size, users.join(", "));
        }
    }
    ExitCode::SUCCESS
}
