//! Image analysis: dive's efficiency score, wasted bytes and user wasted percent computed exactly
//! as dive computes them (`dive`), our corrected figures with a reason for each wasteful path
//! (`waste`), layer sharing between images by diff_id and chain id (`sharing`), and the Go number
//! formats these tools print (`gofmt`). It does not read archives or render anything.

pub mod ci;
pub mod dive;
pub mod gofmt;
pub mod sharing;
pub mod waste;

pub use dive::{dive_figures, DiveFigures, DiveFile};
pub use sharing::{chain_ids, sharing, SharedLayer, Sharing};
pub use waste::{guess_base_layers, our_figures, Fate, OurFigures, StoredCopy, WastePath};
