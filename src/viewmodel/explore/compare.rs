//! Comparing two loaded images: the layers they share (same diff_ids from the bottom up, so the
//! same chain), the layers unique to each, and a file-level diff between their final merged
//! views. Pure.

use super::summary::LoadedImage;
use super::tree::merged_rows;

/// One path that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathDiff {
    pub path: String,
    /// `+` only in the second image, `-` only in the first, `~` in both but different.
    pub sign: char,
    pub size_a: u64,
    pub size_b: u64,
}

/// The comparison of images A and B.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// How many bottom layers the two share (same chain).
    pub shared: usize,
    pub unique_a: Vec<usize>,
    pub unique_b: Vec<usize>,
    pub diffs: Vec<PathDiff>,
}

/// Compare `a` with `b`.
pub fn compare(a: &LoadedImage, b: &LoadedImage) -> Comparison {
    let shared = a
        .layers
        .iter()
        .zip(&b.layers)
        .take_while(|(x, y)| x.diff_id == y.diff_id && !x.diff_id.is_empty())
        .count();
    let top = |im: &LoadedImage| {
        if im.layers.is_empty() {
            Vec::new()
        } else {
            merged_rows(&im.layers, im.layers.len() - 1)
        }
    };
    let (ma, mb) = (top(a), top(b));
    let mut diffs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        let ord = match (ma.get(i), mb.get(j)) {
            (Some(x), Some(y)) => x.path.cmp(&y.path),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                diffs.push(PathDiff {
                    path: ma[i].path.clone(),
                    sign: '-',
                    size_a: ma[i].size,
                    size_b: 0,
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                diffs.push(PathDiff {
                    path: mb[j].path.clone(),
                    sign: '+',
                    size_a: 0,
                    size_b: mb[j].size,
                });
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (x, y) = (&ma[i], &mb[j]);
                let same_layer = x.layer < shared && x.layer == y.layer;
                let differs = x.kind != y.kind
                    || x.size != y.size
                    || x.mode != y.mode
                    || x.link != y.link
                    || (x.kind == "file" && !same_layer && x.mtime != y.mtime);
                if differs {
                    diffs.push(PathDiff {
                        path: x.path.clone(),
                        sign: '~',
                        size_a: x.size,
                        size_b: y.size,
                    });
                }
                i += 1;
                j += 1;
            }
        }
    }
    Comparison {
        shared,
        unique_a: (shared..a.layers.len()).collect(),
        unique_b: (shared..b.layers.len()).collect(),
        diffs,
    }
}
