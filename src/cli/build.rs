//! `layerscope build`: not implemented yet (placeholder until its issue lands).

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Input file.
    pub file: std::path::PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    super::fail(format!(
        "{}: `build` is not implemented yet",
        args.file.display()
    ))
}
