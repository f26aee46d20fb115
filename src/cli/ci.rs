//! `layerscope ci ARCHIVE [--ci-config FILE]`: pass or fail an image by dive's `.dive-ci` rules,
//! printing dive's CI lines (without colours) and exiting as dive does: 0 on pass, 1 on a failed
//! rule or a misconfigured rule. Like dive, a config file that does not exist means the defaults.

use super::archive_args::ArchiveArgs;
use crate::analysis::ci::{evaluate, CiConfig};
use crate::analysis::dive_figures;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// The CI rules file (dive's `.dive-ci` YAML).
    #[arg(long, default_value = ".dive-ci")]
    pub ci_config: std::path::PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let cfg = match std::fs::read_to_string(&args.ci_config) {
        Ok(text) => match CiConfig::parse(&text) {
            Ok(c) => {
                println!("  Using CI config: {}", args.ci_config.display());
                c
            }
            Err(e) => return super::fail(format!("{}: {e}", args.ci_config.display())),
        },
        Err(_) => {
            println!("  Using default CI config");
            CiConfig::default()
        }
    };
    println!(
        "Image Source: docker-archive://{}",
        args.archive.file.display()
    );
    println!("Extracting image from docker-archive... (this can take a while for large images)");
    let a = match args.archive.read_image(false, true) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let image = &a.images[0];
    println!("Analyzing image...");
    let report = evaluate(&dive_figures(&image.layers), &cfg);
    print!("{}", report.text);
    println!();
    ExitCode::from(report.exit_code)
}
