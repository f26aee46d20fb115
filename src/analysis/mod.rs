//! Image analysis: dive's efficiency and wasted-bytes figures, our corrected figures, and layer
//! sharing between images. It does not read archives or render anything.

pub mod gofmt;
