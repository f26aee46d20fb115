//! `layerscope history`: the `docker image history` table of an image in an archive, exactly as
//! Docker prints it (only the top row carries an id: an archive has no local parent chain).

use super::archive_args::ArchiveArgs;
use crate::image::docker_history::{format_history, image_rows, parse_rfc3339, HistoryFormat};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Do not truncate ids and CREATED BY.
    #[arg(long)]
    pub no_trunc: bool,
    /// Human-readable sizes and relative times (`--human=false` for RFC 3339 and bytes).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    /// "Now" for relative times (RFC 3339), for reproducible output; default the clock.
    #[arg(long)]
    pub now: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let now = match &args.now {
        Some(s) => match parse_rfc3339(s) {
            Some(t) => t,
            None => {
                return super::fail(format!(
                    "--now {s:?}: expected RFC 3339, e.g. 2026-01-02T03:04:05Z"
                ))
            }
        },
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    let a = match args.archive.read_image(true, false) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let image = &a.images[0];
    let fmt = HistoryFormat {
        no_trunc: args.no_trunc,
        human: args.human,
        now,
    };
    print!(
        "{}",
        format_history(
            &image_rows(image),
            std::slice::from_ref(&image.config_digest),
            &fmt
        )
    );
    if let Some(e) = &a.error {
        eprintln!("layerscope: {}: {e}", args.archive.file.display());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
