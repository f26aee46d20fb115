//! `layerscope inspect`: list an archive's images, layers and history, as a readable table or
//! as the `{"images":[…]}` JSON document. Exit status 1 when reading stopped at a fault or
//! `--verify` found a mismatch (what was read is still printed).

use super::archive_args::{open, ArchiveArgs};
use crate::archive::{inspect_json, layer_stats, Archive, ReadOptions};
use crate::image::EntryKind;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Check blob digests and sizes against descriptors and diff_ids against the uncompressed
    /// streams (reads every byte).
    #[arg(long)]
    pub verify: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> ExitCode {
    // The table and the JSON need each layer's figures, not its entries: memory stays flat
    // however many entries the archive holds.
    let opts = ReadOptions {
        keep_entries: false,
        ..args.archive.options(args.verify)
    };
    let a = match open(&args.archive.file, &opts) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    if args.json {
        match serde_json::to_string_pretty(&inspect_json(&a)) {
            Ok(s) => println!("{s}"),
            Err(e) => return super::fail(e),
        }
    } else {
        print!("{}", table(&a));
    }
    let mut status = ExitCode::SUCCESS;
    for f in &a.verify_failures {
        eprintln!("layerscope: verify: {f}");
        status = ExitCode::from(1);
    }
    if let Some(e) = &a.error {
        eprintln!("layerscope: {}: {e}", args.archive.file.display());
        status = ExitCode::from(1);
    }
    status
}

fn table(a: &Archive) -> String {
    let mut out = String::new();
    if let Some(l) = a.layout {
        out += &format!(
            "layout: {}{}\n",
            l.describe(),
            if a.outer_gzip {
                ", gzip-compressed"
            } else {
                ""
            }
        );
    }
    out += &format!("images: {}\n", a.listing.len());
    for s in &a.listing {
        let tags = if s.tags.is_empty() {
            "<none>".to_string()
        } else {
            s.tags.join(", ")
        };
        out += &format!(
            "  [{}] {}  {}  {}  {} layers\n",
            s.index, tags, s.config_digest, s.platform, s.layer_count
        );
    }
    for at in &a.attestations {
        out += &format!(
            "  attestation {} for {} ({})\n",
            at.manifest_digest,
            at.describes.as_deref().unwrap_or("?"),
            at.predicate_types.join(", ")
        );
    }
    for (im, n) in a.images.iter().zip(&a.selected) {
        out += &format!("\nimage [{n}] {}\n", im.tags.join(", "));
        out += "  #  COMPRESSION  BLOB SIZE      UNCOMPRESSED   ENTRIES  FILES  DIRS  LINKS  WHITEOUTS  DIGEST\n";
        for l in &im.layers {
            let st = layer_stats(a, l);
            out += &format!(
                "  {:<2} {:<12} {:>13}  {:>13}  {:>7}  {:>5}  {:>4}  {:>5}  {:>9}  {}\n",
                l.index,
                l.compression.as_str(),
                l.blob_size,
                l.uncompressed_size,
                st.entry_count,
                st.count(EntryKind::File),
                st.count(EntryKind::Dir),
                st.count(EntryKind::Symlink) + st.count(EntryKind::Hardlink),
                st.whiteouts.len() + st.opaque_whiteouts.len(),
                l.digest
            );
        }
        out += "  history:\n";
        for h in &im.history {
            let layer = h.layer_index.map_or("-".to_string(), |i| i.to_string());
            out += &format!(
                "    {:>2}  {}  {}\n",
                layer,
                h.created.as_deref().unwrap_or(""),
                h.created_by.replace('\n', " ")
            );
        }
    }
    out
}
