//! The native command-line tool: one subcommand per core capability. Each subcommand lives in its
//! own file with its own clap `Args`; this file only dispatches. It holds no logic of its own.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod analyze;
mod archive_args;
mod build;
mod ci;
mod dockerfile;
mod history;
mod inspect;
mod run;
mod tree;

#[derive(Parser, Debug)]
#[command(
    name = "layerscope",
    version,
    about = "Container image layers, explained and analysed: Dockerfiles, image archives, union mounts.",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse a Dockerfile exactly as BuildKit does (dump, JSON or stage graph).
    Dockerfile(dockerfile::Args),
    /// List the images, layers and history of an image archive.
    Inspect(inspect::Args),
    /// Print `docker image history` for an image in an archive.
    History(history::Args),
    /// Print a layer's entries, its changes, or the merged file system as a tree.
    Tree(tree::Args),
    /// Efficiency, wasted space and sharing figures (dive's and ours).
    Analyze(analyze::Args),
    /// Pass or fail an image by dive's `.dive-ci` rules.
    Ci(ci::Args),
    /// Run shell commands in a simulated container, then print `docker diff` and its size.
    Run(run::Args),
    /// Simulate `docker build` of a Dockerfile: layers, history, cache and push.
    Build(build::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Dockerfile(a) => dockerfile::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::History(a) => history::run(a),
        Command::Tree(a) => tree::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Ci(a) => ci::run(a),
        Command::Run(a) => run::run(a),
        Command::Build(a) => build::run(a),
    }
}

/// Print an error the way every subcommand does and return exit status 1.
pub(crate) fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("layerscope: {msg}");
    ExitCode::from(1)
}
