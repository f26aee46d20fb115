//! Containers of the lab: each one a thin read-write layer (`overlay::Container`) over one built
//! image's read-only stack, with its own shell and console history. After each command it reports
//! what happened to the read-write layer — copy-ups (with the lower layer the file came from),
//! new files and whiteouts — for the page to animate, and gives the `docker diff` and
//! `docker ps -s` texts. It does not build images (see `sim`).

use crate::build::{BuildResult, FileData};
use crate::image::Entry;
use crate::overlay::container::UpperState;
use crate::overlay::data::ContentSource;
use crate::overlay::shell::Shell;
use crate::overlay::{diff_text, docker_diff, ps_size, rw_size, Container, ImageFs};
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
    build: Rc<BuildResult>,
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
    pub fn start(name: String, image: usize, image_name: String, build: Rc<BuildResult>) -> Self {
        let fs = ImageFs::from_image(
            &build.image,
            Some(Rc::new(BuildBodies(build.clone())) as Rc<dyn ContentSource>),
        );
        let mut shell = Shell::new();
        shell.cwd = Vec::new();
        LabContainer {
            name: name.clone(),
            image,
            image_name,
            container: Container::new(name, Rc::new(fs)),
            shell,
            console: Vec::new(),
            events: Vec::new(),
            version: 0,
            build,
        }
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
        let fresh = LabContainer::start(
            self.name.clone(),
            self.image,
            self.image_name.clone(),
            self.build.clone(),
        );
        let version = self.version + 1;
        *self = LabContainer { version, ..fresh };
    }

    /// `docker diff` output.
    pub fn diff(&self) -> String {
        diff_text(&docker_diff(&self.container))
    }

    /// `docker ps -s` for this container: header and one row.
    pub fn ps(&self) -> String {
        let size = ps_size(&self.container);
        format!(
            "{:<14}{:<10}{:<26}SIZE\n{:<14}{:<10}{:<26}{size}\n",
            "CONTAINER ID",
            "IMAGE",
            "NAMES",
            self.short_id(),
            self.image_name,
            self.name
        )
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

    /// Commit the read-write layer: the new layer's size and number of entries.
    pub fn commit_summary(&self) -> (String, u64, usize) {
        let (layer, _) = self.container.commit(self.build.image.layers.len());
        let id = layer
            .diff_id
            .trim_start_matches("sha256:")
            .chars()
            .take(12)
            .collect();
        (id, layer.regular_file_bytes(), layer.entries.len())
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
