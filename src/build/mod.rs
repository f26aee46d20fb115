//! Simulated `docker build`: a Dockerfile plus a build context become images (layers, config,
//! history), for BuildKit and the classic builder, with Docker's texts (build output, history
//! CREATED BY, push lines), the build cache and a store/registry that count shared layers once.
//!
//! It does not parse Dockerfiles itself beyond a small adapter (`step`) that turns text into
//! [`Step`]s, does not read archives (bases come in as [`crate::image::Image`] plus a file tree) and
//! runs RUN commands only through the [`RunExecutor`] trait; the built-in executor
//! ([`OverlayShell`]) is the project's container shell (`crate::overlay::shell`), which reports
//! every command it does not know as "not simulated" instead of guessing.

mod bases;
mod cache;
mod catalogue;
mod context;
mod created_by;
mod engine;
mod error;
mod gofmt;
mod output;
mod overlay_shell;
mod registry;
mod step;
mod words;

/// The build's file tree is the union mount's (`crate::overlay`), with file bodies.
pub use crate::overlay::data::FileData;
pub use crate::overlay::tree::{Node, Tree};
pub use bases::{bundled_base, bundled_base_names, image_from_tree_layers, BaseImage};
pub use cache::BuildCache;
pub use catalogue::{catalogue, Package, PackageManager};
pub use context::{BuildContext, ContextFile, DockerIgnore};
pub use engine::{
    build, build_text, BuildOptions, BuildResult, StepOutcome, StepReport, StepStatus,
};
pub use error::BuildError;
pub use output::{render_build_output, render_rootfs_layers};
pub use overlay_shell::{OverlayShell, RunEnv, RunExecutor, RunOutcome};
pub use registry::{split_reference, store_usage, PushLine, PushStatus, Registry};
pub use step::{parse_dockerfile, Dockerfile, Heredoc, Stage, Step};

/// Which builder is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builder {
    /// BuildKit (the default since Docker 23).
    BuildKit,
    /// The classic (legacy) builder, `DOCKER_BUILDKIT=0`.
    Classic,
}

impl Builder {
    pub fn as_str(self) -> &'static str {
        match self {
            Builder::BuildKit => "buildkit",
            Builder::Classic => "classic",
        }
    }
}

/// Which Docker release's texts are reproduced where they differ (the corpus has 20.10 and 26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Docker 20.10: BuildKit drops `--chown`/`--chmod` from COPY history; classic writes
    /// `--chown=u:gfile:…`; HEALTHCHECK has four fields.
    V20,
    /// Docker 26: BuildKit keeps COPY flags; classic writes `--chown=u:g file:…`; HEALTHCHECK has
    /// a fifth (StartInterval) field.
    V26,
}
