//! `layerscope run ARCHIVE --script FILE`: a fresh container on the archive's image; every line of
//! the script (blank lines and `#` comments skipped) runs as a command in one shell session, in
//! order, with overlay2 copy-up. The commands' own output goes to stderr; stdout gets exactly the
//! `docker diff` lines, then `SIZE <docker ps -s column>`. Image file contents are read from the
//! archive when a command needs them. Exit status 0, or 1 when the archive or script cannot be read.

use super::archive_args::ArchiveArgs;
use crate::archive::{read_entry_bytes, MemberIndex};
use crate::image::{Entry, Layer};
use crate::overlay::data::ContentSource;
use crate::overlay::shell::Shell;
use crate::overlay::{diff_text, docker_diff, ps_size, Container, ImageFs};
use std::cell::RefCell;
use std::io::BufReader;
use std::process::ExitCode;
use std::rc::Rc;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Shell script: one command line per line.
    #[arg(long)]
    pub script: std::path::PathBuf,
}

/// Reads image file bodies from the archive on demand.
struct ArchiveContent {
    file: RefCell<BufReader<std::fs::File>>,
    outer_gzip: bool,
    members: MemberIndex,
    layers: Vec<Layer>,
}

impl ContentSource for ArchiveContent {
    fn read(&self, layer: usize, entry: &Entry) -> Option<Vec<u8>> {
        let l = self.layers.get(layer)?;
        let mut f = self.file.try_borrow_mut().ok()?;
        read_entry_bytes(
            &mut *f,
            self.outer_gzip,
            &self.members,
            l,
            entry,
            crate::overlay::container::READ_LIMIT as usize,
        )
        .ok()
    }
}

pub fn run(args: Args) -> ExitCode {
    let script = match std::fs::read_to_string(&args.script) {
        Ok(s) => s,
        Err(e) => return super::fail(format!("{}: {e}", args.script.display())),
    };
    let a = match args.archive.read_image(true, true) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let image = &a.images[0];
    let file = match std::fs::File::open(&args.archive.file) {
        Ok(f) => f,
        Err(e) => return super::fail(format!("{}: {e}", args.archive.file.display())),
    };
    let source = ArchiveContent {
        file: RefCell::new(BufReader::new(file)),
        outer_gzip: a.outer_gzip,
        members: a.members.clone(),
        layers: image.layers.clone(),
    };
    let img = Rc::new(ImageFs::from_image(image, Some(Rc::new(source))));
    let mut container = Container::new("run", img);
    let mut shell = Shell::new();
    for (n, line) in script.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let out = shell.run(&mut container, line);
        eprint!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        if out.status != 0 {
            eprintln!(
                "layerscope: {}:{}: exit status {}",
                args.script.display(),
                n + 1,
                out.status
            );
        }
    }
    print!("{}", diff_text(&docker_diff(&container)));
    println!("SIZE {}", ps_size(&container));
    ExitCode::SUCCESS
}
