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

/// Below this many bytes of layer blobs, one thread reads them all (threads would cost more
/// than they save).
#[cfg(unix)]
const PARALLEL_MIN_BYTES: u64 = 64 << 20;

/// Open and read an archive; `Err` only when the file cannot be opened. A seekable archive whose
/// layer blobs are large is read on several threads, one blob per thread at a time
/// (`archive::parallel`); the result is the same as a one-thread read.
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
        let reader = |file: &std::fs::File| -> Result<PositionalFile, String> {
            Ok(PositionalFile {
                file: file
                    .try_clone()
                    .map_err(|e| format!("{}: {e}", path.display()))?,
                pos: 0,
                len,
            })
        };
        let Some(plan) = archive::parallel::plan(reader(&f)?, opts) else {
            return Ok(archive::read_archive(reader(&f)?, opts));
        };
        let threads = threads().min(plan.jobs.len());
        let scans = if threads > 1 && plan.bytes() >= PARALLEL_MIN_BYTES {
            scan_on_threads(&f, &plan.jobs, opts, threads, &reader)?
        } else {
            Vec::new()
        };
        Ok(archive::parallel::read_planned(
            reader(&f)?,
            opts,
            plan,
            scans,
            &mut |_| {},
        ))
    }
    #[cfg(not(unix))]
    Ok(archive::read_archive(f, opts))
}

/// Threads to read with: `LAYERSCOPE_THREADS`, or one per core (at most 8).
#[cfg(unix)]
fn threads() -> usize {
    std::env::var("LAYERSCOPE_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
        .max(1)
}

/// Scan `jobs` on `threads` threads, largest blob first, each thread with its own reader.
#[cfg(unix)]
fn scan_on_threads(
    f: &std::fs::File,
    jobs: &[archive::parallel::LayerJob],
    opts: &ReadOptions,
    threads: usize,
    reader: &(dyn Fn(&std::fs::File) -> Result<PositionalFile, String> + Sync),
) -> Result<Vec<archive::parallel::JobScan>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut order: Vec<&archive::parallel::LayerJob> = jobs.iter().collect();
    order.sort_by_key(|j| std::cmp::Reverse(j.member.size));
    let next = AtomicUsize::new(0);
    let readers = (0..threads)
        .map(|_| reader(f))
        .collect::<Result<Vec<_>, _>>()?;
    let scans = std::thread::scope(|s| {
        let handles: Vec<_> = readers
            .into_iter()
            .map(|mut r| {
                let (next, order) = (&next, &order);
                s.spawn(move || {
                    let mut out = Vec::new();
                    while let Some(job) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.push(archive::parallel::scan_job(&mut r, job, opts));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Ok(scans)
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
