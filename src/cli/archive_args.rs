//! Shared command-line options for subcommands that read an image archive (which image, which
//! platform, caps, verification), and the one function that opens and reads the archive.

use crate::archive::{self, Archive, ReadOptions};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug, Clone)]
pub struct ArchiveArgs {
    /// Image archive (docker save, docker/oci-archive, tarred OCI layout; optionally gzipped);
    /// `-` reads a stream from standard input in one pass.
    pub file: PathBuf,
    /// Read only the image at this position of the archive's list (0-based).
    #[arg(long, conflicts_with = "tag")]
    pub image: Option<usize>,
    /// Read only the image with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Platform to pick from multi-platform indexes (os/arch[/variant]); default linux/amd64
    /// or the only one.
    #[arg(long)]
    pub platform: Option<String>,
    /// Cap on uncompressed layer bytes read in total (default 64 GiB).
    #[arg(long, default_value_t = archive::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Cap on layer entries read in total (default 5,000,000).
    #[arg(long, default_value_t = archive::DEFAULT_MAX_ENTRIES)]
    pub max_entries: u64,
}

impl ArchiveArgs {
    pub fn options(&self, verify: bool) -> ReadOptions {
        ReadOptions {
            verify,
            hash_contents: false,
            keep_entries: true,
            max_bytes: self.max_bytes,
            max_entries: self.max_entries,
            image: self.image,
            tag: self.tag.clone(),
            platform: self.platform.clone(),
        }
    }

    /// Read the archive for a subcommand that works on one image: it is `images[0]` of the
    /// result. `first_by_default` reads only the first image when neither `--image` nor `--tag`
    /// is given; `strict` refuses an archive with a fault even when an image was read before it.
    pub fn read_image(&self, first_by_default: bool, strict: bool) -> Result<Archive, String> {
        let mut opts = self.options(false);
        if first_by_default && opts.image.is_none() && opts.tag.is_none() {
            opts.image = Some(0);
        }
        let a = open(&self.file, &opts)?;
        let name = self.file.display();
        match (&a.error, a.images.is_empty()) {
            (Some(e), _) if strict => Err(format!("{name}: {e}")),
            (Some(e), true) => Err(format!("{name}: {e}")),
            (None, true) => Err(format!("{name}: no image in the archive")),
            _ => Ok(a),
        }
    }
}

/// Open and read an archive; `Err` only when the file cannot be opened.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Archive, String> {
    if path.as_os_str() == "-" {
        return Ok(archive::read_unseekable(std::io::stdin().lock(), opts));
    }
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // Unbuffered: the reader buffers itself and seeks past bodies (a BufReader would refill on
    // every seek).
    #[cfg(unix)]
    {
        let len = f
            .metadata()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        Ok(archive::read_archive(
            PositionalFile {
                file: f,
                pos: 0,
                len,
            },
            opts,
        ))
    }
    #[cfg(not(unix))]
    Ok(archive::read_archive(f, opts))
}

/// A file read with positional reads (`pread`): a seek only records the offset, so skipping a
/// body costs no system call.
#[cfg(unix)]
struct PositionalFile {
    file: std::fs::File,
    pos: u64,
    len: u64,
}

#[cfg(unix)]
impl std::io::Read for PositionalFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
impl std::io::Seek for PositionalFile {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            std::io::SeekFrom::Start(n) => n as i128,
            std::io::SeekFrom::End(d) => self.len as i128 + d as i128,
            std::io::SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        self.pos = u64::try_from(target).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.pos)
    }
}
