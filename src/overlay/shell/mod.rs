//! A small shell interpreter for container commands and the build simulator's RUN: `parse`
//! (lexer and parser), `exec` (expansion, lists, pipelines, loops, `if`, redirections), `arith`
//! (`$((…))`), `glob` (pathname expansion), `commands` and `extra` (the built-in commands) over
//! the `fs::Fs` trait. It knows no overlay rules: the file system it is given does.

pub mod arith;
pub mod commands;
pub mod exec;
pub mod extra;
pub mod fs;
pub mod glob;
pub mod parse;

pub use exec::{Output, Shell};
pub use fs::{Fs, FsError, Meta, SetMeta};
