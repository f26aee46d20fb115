//! `layerscope dockerfile FILE [--format dump|json] [--stages]`: parse a Dockerfile exactly as
//! BuildKit does and print BuildKit's `result` dump, the corpus oracle JSON, or the stage
//! graph. Parse failures exit 1 (`FILE:LINE: message` on stderr, or the oracle error object
//! with `--format json`). All logic lives in `crate::dockerfile`; this file only does I/O.

use crate::dockerfile::instructions::{from_ast, Dependency, Stage};
use crate::dockerfile::{dump::dump, json::oracle_json, parse};
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// BuildKit's AST dump (the upstream `result` files), byte for byte.
    Dump,
    /// The oracle JSON object (buildkit/FORMAT.md §3).
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Input file.
    pub file: std::path::PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dump)]
    pub format: Format,
    /// Print the stage graph (stages, bases, COPY --from and RUN --mount from= edges).
    #[arg(long)]
    pub stages: bool,
}

pub fn run(args: Args) -> ExitCode {
    let name = args.file.display().to_string();
    let input = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return super::fail(format!("{name}: {e}")),
    };
    let parsed = parse(&input);
    if args.format == Format::Json && !args.stages {
        println!("{}", oracle_json(&name, &input, &parsed));
        return if parsed.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let result = match parsed {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{name}:{}: {}", e.start_line, e.message);
            return ExitCode::from(1);
        }
    };
    let out = if args.stages {
        match from_ast(&result) {
            Ok(stages) => stage_graph(&stages),
            Err(e) => {
                eprintln!("{name}:{}: {}", e.start_line, e.message);
                return ExitCode::from(1);
            }
        }
    } else {
        dump(&result)
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn label(stages: &[Stage], i: usize) -> String {
    match stages.get(i).and_then(|s| s.name.as_deref()) {
        Some(n) => format!("#{i} ({n})"),
        None => format!("#{i}"),
    }
}

/// The stage graph as text: one block per stage with its base and its edges.
pub fn stage_graph(stages: &[Stage]) -> String {
    let mut out = String::new();
    for s in stages {
        let base = match s.base_stage {
            Some(b) => format!("stage {}", label(stages, b)),
            None => format!("image {}", s.base),
        };
        let platform = s
            .platform
            .as_ref()
            .map(|p| format!(" --platform={p}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "stage {}: FROM {base}{platform} (lines {}-{}, {} instructions)\n",
            label(stages, s.index),
            s.span.start_line,
            s.instructions
                .last()
                .map(|i| i.span.end_line)
                .unwrap_or(s.span.end_line),
            s.instructions.len()
        ));
        for d in &s.dependencies {
            let line = match d {
                Dependency::Base { .. } => continue,
                Dependency::CopyFrom { stage, line } => {
                    format!("  line {line}: COPY --from stage {}", label(stages, *stage))
                }
                Dependency::CopyFromImage { image, line } => {
                    format!("  line {line}: COPY --from image {image}")
                }
                Dependency::MountFrom { stage, line } => {
                    format!(
                        "  line {line}: RUN --mount from stage {}",
                        label(stages, *stage)
                    )
                }
                Dependency::MountFromImage { image, line } => {
                    format!("  line {line}: RUN --mount from image {image}")
                }
            };
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
