//! The file-system interface the shell works on. A container implements it with overlay2 copy-up
//! (`overlay::container`); the build simulator can implement or reuse it for RUN. Paths are
//! absolute and already resolved by the shell: normalised bytes without a leading `/` (`""` is the
//! root). Nothing here follows symlinks: the shell does that. Its owner may also provide extra
//! commands (`provides`/`run_provided`).

use super::exec::Io;
use crate::image::EntryKind;
use crate::overlay::data::Data;

/// What `lstat` says about a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub link_target: Option<Vec<u8>>,
}

/// An attribute change (`chmod`, `chown`, `touch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SetMeta {
    pub mode: Option<u32>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    /// `Some(None)` means "now".
    pub mtime: Option<Option<i64>>,
}

/// Errors with the `strerror` texts that coreutils print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    Exists,
    NotDir,
    IsDir,
    NotEmpty,
    Invalid,
    /// Anything else, already worded.
    Other(String),
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FsError::NotFound => "No such file or directory",
            FsError::Exists => "File exists",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::NotEmpty => "Directory not empty",
            FsError::Invalid => "Invalid argument",
            FsError::Other(s) => s,
        })
    }
}

pub type FsResult<T> = Result<T, FsError>;

/// A mutable file system. Every method works on one path without following symlinks.
pub trait Fs {
    fn stat(&self, path: &[u8]) -> FsResult<Meta>;
    /// Names in a directory, sorted.
    fn list(&self, path: &[u8]) -> FsResult<Vec<Vec<u8>>>;
    /// Contents of a regular file.
    fn data(&self, path: &[u8]) -> FsResult<Data>;
    /// The bytes of `data`, reading image files if possible, at most `limit` bytes.
    fn materialise(&self, data: &Data, limit: u64) -> FsResult<Vec<u8>>;
    /// Create or replace the contents of a regular file (`append` keeps what is there).
    fn write(&mut self, path: &[u8], data: &Data, append: bool) -> FsResult<()>;
    fn mkdir(&mut self, path: &[u8], mode: u32) -> FsResult<()>;
    /// Remove a non-directory or an empty directory.
    fn remove(&mut self, path: &[u8]) -> FsResult<()>;
    /// `rename(2)`; the destination, if any, must be a non-directory or an empty directory.
    fn rename(&mut self, from: &[u8], to: &[u8]) -> FsResult<()>;
    fn symlink(&mut self, target: &[u8], path: &[u8]) -> FsResult<()>;
    fn hardlink(&mut self, existing: &[u8], new: &[u8]) -> FsResult<()>;
    fn set_meta(&mut self, path: &[u8], change: SetMeta) -> FsResult<()>;
    fn truncate(&mut self, path: &[u8], size: u64) -> FsResult<()>;
    /// Create a FIFO or a character/block device (`mkfifo`, `mknod`).
    fn mknod(&mut self, path: &[u8], kind: EntryKind, mode: u32, dev: (u32, u32)) -> FsResult<()>;

    /// Commands the owner of this file system adds to the shell's own (the build simulator's
    /// package managers); none by default.
    fn provides(&self, _name: &str) -> bool {
        false
    }
    /// Run a command that [`Fs::provides`]; `cwd` is the shell's working directory. Returns the
    /// exit status.
    fn run_provided(&mut self, _argv: &[String], _cwd: &[u8], io: &mut Io) -> i32 {
        io.err("sh: command not provided");
        127
    }
}
