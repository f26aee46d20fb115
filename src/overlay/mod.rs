//! The union mount: applying layers by the OCI rules (`apply`) onto immutable, structurally shared
//! trees (`tree`, edited by path in `edit`), each layer's changes and the merged view with
//! providing layers and hidden copies (`changes`), the layer between two trees (`snapshot`, as a
//! build step makes it), copy-on-write containers with overlay2 copy-up (`container`), a small
//! shell that changes them (`shell`), and Docker's `docker diff` / `docker ps -s` outputs
//! (`diff`). It does not read archives.

pub mod apply;
pub mod changes;
pub mod container;
pub mod data;
pub mod diff;
pub mod edit;
pub mod shell;
pub mod snapshot;
pub mod tree;

pub use apply::{apply_layer, ApplyProblem, LayerIndex, Stack};
pub use changes::{
    hidden_copies, layer_changes, merged_text, merged_view, path_history, Cause, Change,
    ChangeKind, HiddenBy, HiddenCopy, MergedEntry, PathEvent,
};
pub use container::{Container, ImageFs};
pub use diff::{diff_text, docker_diff, ps_size, rw_size, DiffLine};
pub use tree::{Node, Tree};
