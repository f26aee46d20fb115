//! Containers of the lab: each one a thin read-write layer (`overlay::Container`) over one built
//! image's read-only stack, with its own shell and console history. After each command it reports
//! what happened to the read-write layer — copy-ups (with the lower layer the file came from),
//! new files and whiteouts — for the page to animate, and gives the `docker diff` and
//! `docker ps -s` texts; `docker commit` turns the read-write layer into a new image (the
//! container's image plus one layer, or only a history row when nothing changed). It does not
//! build images from Dockerfiles (see `sim`).

use super::sim::{Bodies, ImageBuild, LayerRow};
use crate::build::{BuildResult, FileData};
use crate::image::docker_history::rfc3339;
use crate::image::{Entry, HistoryRow};
use crate::overlay::container::UpperState;
use crate::overlay::data::ContentSource;
use crate::overlay::shell::Shell;
use crate::overlay::{diff_text, docker_diff, ps_size, rw_size, Container, ImageFs};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::rc::Rc;

/// File bodies of a simulated build: the build's final tree, when a layer's entry is the version
/// the tree holds (same size and, when known, same sha256). Package files have no bytes.
struct BuildBodies(Rc<BuildResult>);

impl ContentSource for BuildBodies {
    fn read(&self, _layer: usize, entry: &Entry) -> Option<Vec<u8>> {
        let path = String::from_utf8_lossy(entry.path.normalized()).into_owned();
        let node = self.0.tree.get(&path)?;
        match node.data.as_ref()? {
            FileData::Bytes(b) if b.len() as u64 == entry.size => {
                if let Some(want) = entry.content_sha256 {
                    if FileData::Bytes(b.clone()).sha256() != want {
                        return None;
                    }
                }
                Some(b.to_vec())
            }
            _ => None,
        }
    }
}

/// File bodies of a committed layer (by normalized path), over the bodies of the layers below.
struct CommitBodies {
    below: Rc<dyn ContentSource>,
    layer: usize,
    files: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl ContentSource for CommitBodies {
    fn read(&self, layer: usize, entry: &Entry) -> Option<Vec<u8>> {
        if layer == self.layer {
            self.files.get(entry.path.normalized()).cloned()
        } else {
            self.below.read(layer, entry)
        }
    }
}

/// The bodies of an image's files: its own (committed) ones, else the build's final tree.
fn bodies_of(image: &ImageBuild) -> Rc<dyn ContentSource> {
    match &image.bodies.0 {
        Some(b) => b.clone(),
        None => Rc::new(BuildBodies(image.result.clone())),
    }
}

/// Largest file body a commit copies into the new image (bigger ones are kept as sizes only).
const MAX_COMMIT_BODY: u64 = 16 * 1024 * 1024;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What one command did to the read-write layer, path by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RwEvent {
    /// An image file or directory was copied up from lower layer `from_layer` (then changed).
    CopyUp {
        path: String,
        from_layer: usize,
        size: u64,
    },
    /// A new path that no image layer has.
    Added { path: String },
    /// A whiteout now hides the image's path.
    Whiteout { path: String, from_layer: usize },
}

/// One console line: the command and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    pub command: String,
    pub output: String,
    pub status: i32,
}

/// One running container of the lab.
#[derive(Clone)]
pub struct LabContainer {
    /// `docker ps` name (`app-1`).
    pub name: String,
    /// Index of the image in the lab's image list.
    pub image: usize,
    pub image_name: String,
    container: Container,
    shell: Shell,
    pub console: Vec<ConsoleEntry>,
    /// Events of the last command.
    pub events: Vec<RwEvent>,
    /// Bumped on every change (cheap equality).
    pub version: u64,
    /// The image it runs (as it was when the container started).
    origin: ImageBuild,
}

impl std::fmt::Debug for LabContainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabContainer")
            .field("name", &self.name)
            .field("image", &self.image)
            .field("version", &self.version)
            .finish()
    }
}

impl PartialEq for LabContainer {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.image == other.image && self.version == other.version
    }
}

/// Commands one console line may hold (longer input is refused, not truncated).
pub const MAX_COMMAND: usize = 4096;
/// Console lines kept per container.
const MAX_CONSOLE: usize = 200;

fn upper_map(c: &Container) -> BTreeMap<Vec<u8>, UpperState> {
    c.upper().into_iter().collect()
}

impl LabContainer {
    /// `docker run` of `origin` (image `image` of the lab's list) as container `name`.
    pub fn start(name: String, image: usize, origin: &ImageBuild) -> Self {
        let fs = ImageFs::from_image(&origin.result.image, Some(bodies_of(origin)));
        let mut shell = Shell::new();
        shell.cwd = Vec::new();
        LabContainer {
            name: name.clone(),
            image,
            image_name: origin.name.clone(),
            container: Container::new(name, Rc::new(fs)),
            shell,
            console: Vec::new(),
            events: Vec::new(),
            version: 0,
            origin: origin.clone(),
        }
    }

    /// Layers of the image the container runs (its read-only stack).
    pub fn image_layers(&self) -> usize {
        self.origin.layers.len()
    }

    /// Run one command line in the container's shell.
    pub fn run(&mut self, command: &str) {
        let command = command.trim();
        self.version += 1;
        if command.is_empty() {
            self.events.clear();
            return;
        }
        if command.len() > MAX_COMMAND {
            self.push_console(ConsoleEntry {
                command: command.chars().take(60).collect::<String>() + "…",
                output: format!("sh: command longer than {MAX_COMMAND} bytes\n"),
                status: 2,
            });
            return;
        }
        let before = upper_map(&self.container);
        let out = self.shell.run(&mut self.container, command);
        let after = upper_map(&self.container);
        self.events = events(&self.container, &before, &after);
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        self.push_console(ConsoleEntry {
            command: command.to_string(),
            output: text,
            status: out.status,
        });
    }

    fn push_console(&mut self, e: ConsoleEntry) {
        self.console.push(e);
        if self.console.len() > MAX_CONSOLE {
            self.console.remove(0);
        }
    }

    /// Throw the read-write layer away (a new container from the same image).
    pub fn reset(&mut self) {
        let fresh = LabContainer::start(self.name.clone(), self.image, &self.origin);
        let version = self.version + 1;
        *self = LabContainer { version, ..fresh };
    }

    /// `docker diff` output.
    pub fn diff(&self) -> String {
        diff_text(&docker_diff(&self.container))
    }

    /// `docker ps -s` for this container: header and one row (CONTAINER ID, IMAGE, NAMES and
    /// SIZE of the full table), laid out as the CLI's tab writer does (cells padded by 3, at
    /// least 10 wide; the last column not padded).
    pub fn ps(&self) -> String {
        let size = ps_size(&self.container);
        let rows = [
            [
                "CONTAINER ID".to_string(),
                "IMAGE".into(),
                "NAMES".into(),
                "SIZE".into(),
            ],
            [
                self.short_id(),
                self.image_name.clone(),
                self.name.clone(),
                size,
            ],
        ];
        let widths: Vec<usize> = (0..3)
            .map(|k| {
                rows.iter()
                    .map(|r| r[k].chars().count() + 3)
                    .max()
                    .unwrap_or(0)
                    .max(10)
            })
            .collect();
        let mut out = String::new();
        for r in &rows {
            for (k, w) in widths.iter().enumerate() {
                out += &format!("{:<w$}", r[k]);
            }
            out += &r[3];
            out.push('\n');
        }
        out
    }

    /// A stable fake container id from the name (Docker's are random).
    pub fn short_id(&self) -> String {
        let d = <sha2::Sha256 as sha2::Digest>::digest(self.name.as_bytes());
        d.iter().take(6).map(|b| format!("{b:02x}")).collect()
    }

    /// Bytes in the read-write layer.
    pub fn rw_bytes(&self) -> u64 {
        rw_size(&self.container)
    }

    /// Paths of the read-write layer with what they are: (path, kind letter) where kind is
    /// `w` whiteout, `d` directory, `f` file, `l` symlink, `o` other.
    pub fn rw_paths(&self) -> Vec<(String, char)> {
        self.container
            .upper()
            .into_iter()
            .filter(|(p, _)| !p.is_empty())
            .map(|(p, st)| {
                let k = match st {
                    UpperState::Whiteout => 'w',
                    UpperState::Dir { .. } => 'd',
                    UpperState::File { .. } => 'f',
                    UpperState::Symlink { .. } => 'l',
                    UpperState::Other { .. } => 'o',
                };
                (format!("/{}", String::from_utf8_lossy(&p)), k)
            })
            .collect()
    }

    /// `docker commit <container> <name>` at `now` (seconds since the epoch, `None`: no time):
    /// the container's image plus one layer made of the read-write layer, and one history row
    /// whose CREATED BY is the container's command joined by spaces and whose COMMENT is empty
    /// (no `-m`), as the daemon records them. An unchanged container gives a `0B` row and no
    /// layer. The image's rows keep their ids: the new row gets the new image's id and the
    /// container's image keeps its own (BuildKit: `<missing>` below it).
    pub fn commit(&self, name: &str, now: Option<i64>) -> ImageBuild {
        let parent = &self.origin;
        let below = bodies_of(parent);
        let index = parent.result.image.layers.len();
        let (mut layer, data) = self.container.commit(index);
        // The root directory itself is not a layer entry.
        let mut files = BTreeMap::new();
        let mut sums = BTreeMap::new();
        for (k, d) in data {
            let Some(e) = layer.entries.get(k) else {
                continue;
            };
            if let Ok(b) = d.read(Some(below.as_ref()), MAX_COMMIT_BODY) {
                sums.insert(k, <[u8; 32]>::from(Sha256::digest(&b)));
                files.insert(e.path.normalized().to_vec(), b);
            }
        }
        for (k, sum) in sums {
            if let Some(e) = layer.entries.get_mut(k) {
                e.content_sha256 = Some(sum);
            }
        }
        layer.entries.retain(|e| !e.path.normalized().is_empty());
        let changed = !layer.entries.is_empty();
        // The layer's digest: the tar's entries and contents, as the build simulator names its
        // own layers (the same content gives the same id).
        let (digest, tar_size) = crate::overlay::snapshot::simulated_digest(&layer.entries);
        layer.digest = digest.clone();
        layer.diff_id = digest;
        layer.blob_size = tar_size;
        layer.uncompressed_size = tar_size;
        layer.member = format!("docker commit {}", self.name);

        let mut r = (*parent.result).clone();
        let cmd = r.image.config.cmd.clone().unwrap_or_default().join(" ");
        let created = now.map(rfc3339);
        r.image.history.push(HistoryRow {
            created: created.clone(),
            created_by: cmd.clone(),
            comment: String::new(),
            author: String::new(),
            empty_layer: !changed,
            layer_index: changed.then_some(index),
        });
        let mut rows = parent.layers.clone();
        for row in &mut rows {
            row.lines = None;
        }
        if changed {
            rows.push(LayerRow {
                index,
                short_id: layer
                    .diff_id
                    .trim_start_matches("sha256:")
                    .chars()
                    .take(12)
                    .collect(),
                size: layer.regular_file_bytes(),
                files: layer.entries.len(),
                created_by: cmd.clone(),
                lines: None,
                from_base: false,
            });
            r.image.layers.push(layer);
        }
        let mut id = Sha256::new();
        id.update(r.image.config_digest.as_bytes());
        id.update(cmd.as_bytes());
        id.update(created.unwrap_or_default().as_bytes());
        for l in &r.image.layers {
            id.update(l.diff_id.as_bytes());
        }
        let id = format!("sha256:{}", hex(&id.finalize()));
        r.image.config_digest = id.clone();
        r.image.created = now.map(rfc3339);
        r.image.tags = vec![name.to_string()];
        r.tag = Some(name.to_string());
        r.row_ids.resize(r.image.history.len() - 1, None);
        if let Some(top) = r.row_ids.last_mut() {
            // The container's image is a local image: its own id shows.
            if top.is_none() {
                *top = Some(parent.result.image.config_digest.clone());
            }
        }
        r.row_ids.push(Some(id));
        let bodies: Rc<dyn ContentSource> = Rc::new(CommitBodies {
            below,
            layer: index,
            files,
        });
        ImageBuild {
            name: name.to_string(),
            steps: Vec::new(),
            layers: rows,
            result: Rc::new(r),
            bodies: Bodies(Some(bodies)),
            parent: Some(parent.name.clone()),
        }
    }
}

/// Compare the upper layer before and after a command.
fn events(
    c: &Container,
    before: &BTreeMap<Vec<u8>, UpperState>,
    after: &BTreeMap<Vec<u8>, UpperState>,
) -> Vec<RwEvent> {
    let lower = &c.image().top;
    let mut out = Vec::new();
    for (p, st) in after {
        if p.is_empty() || before.get(p) == Some(st) {
            continue;
        }
        let path = format!("/{}", String::from_utf8_lossy(p));
        let low = lower.get(p);
        let fresh = !before.contains_key(p);
        match (st, low) {
            (UpperState::Whiteout, Some(n)) => out.push(RwEvent::Whiteout {
                path,
                from_layer: n.layer,
            }),
            (UpperState::Whiteout, None) => {}
            // Directories copied up only as parents are not worth an animation.
            (UpperState::Dir { .. }, Some(_)) => {}
            (_, Some(n)) if fresh => out.push(RwEvent::CopyUp {
                path,
                from_layer: n.layer,
                size: n.file_size(),
            }),
            (_, None) if fresh => out.push(RwEvent::Added { path }),
            _ => {}
        }
    }
    out
}
