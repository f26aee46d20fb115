//! The layer stack's blocks: one per history step, oldest at the bottom; a block's height grows
//! with the layer's size on a log scale (0 B to GBs stay readable), steps without a layer are
//! drawn thin, and the instruction that made it is shortened for its label. Pure.

use super::summary::LoadedImage;
use crate::viewmodel::lab::{Key, Lang};

/// Height in pixels of a step without a layer.
pub const THIN_HEIGHT: u32 = 6;

/// Height in pixels of a layer block of `size` bytes: 18 px plus 8 px per decade
/// (0 B → 18, 1 kB → 42, 1 MB → 66, 1 GB → 90), so sizes from 0 B to GBs stay readable.
pub fn block_height(size: u64) -> u32 {
    let decades = ((size as f64) + 1.0).log10();
    18 + (decades * 8.0).round() as u32
}

/// A readable label for a CREATED BY text:
/// `/bin/sh -c #(nop)  CMD ["sh"]` → `CMD ["sh"]`; `/bin/sh -c pip install x` → `RUN pip install x`;
/// `RUN /bin/sh -c x # buildkit` → `RUN x`; `|2 A=1 B=2 /bin/sh -c x` → `RUN x`; whitespace
/// runs become one space; cut to `max` characters with `…`.
pub fn shorten_created_by(text: &str, max: usize) -> String {
    let t = text.trim();
    let t = t.strip_suffix("# buildkit").unwrap_or(t).trim_end();
    // `|N K=V … /bin/sh -c …`: the build args of a classic RUN.
    let t = match t.strip_prefix('|') {
        Some(rest) => rest.find("/bin/sh -c ").map_or(t, |i| &rest[i..]),
        None => t,
    };
    let s = if let Some(rest) = t.strip_prefix("/bin/sh -c #(nop)") {
        rest.trim().to_string()
    } else if let Some(rest) = t.strip_prefix("/bin/sh -c ") {
        format!("RUN {}", rest.trim())
    } else if let Some(rest) = t.strip_prefix("RUN /bin/sh -c ") {
        format!("RUN {}", rest.trim())
    } else if let Some(rest) = t.strip_prefix("/bin/sh -c") {
        format!("RUN {}", rest.trim())
    } else {
        t.to_string()
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// One block of the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The history step (oldest 0).
    pub step: usize,
    pub layer: Option<usize>,
    pub label: String,
    pub size: u64,
    pub height: u32,
    /// Part of the base image (by `analysis::guess_base_layers`).
    pub base: bool,
}

/// The blocks of `image`, oldest first. Layers without a history step (a malformed config) get
/// a block of their own labelled by index.
pub fn blocks(image: &LoadedImage, lang: Lang) -> Vec<Block> {
    let base = image.analysis.as_ref().map_or(0, |a| a.base_layers);
    let mut out = Vec::new();
    let mut seen = vec![false; image.layers.len()];
    for (i, s) in image.steps.iter().enumerate() {
        let size = s
            .layer
            .and_then(|l| image.layers.get(l))
            .map_or(0, |l| l.size);
        if let Some(l) = s.layer {
            if let Some(v) = seen.get_mut(l) {
                *v = true;
            }
        }
        out.push(Block {
            step: i,
            layer: s.layer,
            label: shorten_created_by(&s.created_by, 60),
            size,
            height: if s.layer.is_some() {
                block_height(size)
            } else {
                THIN_HEIGHT
            },
            base: match s.layer {
                Some(l) => l < base,
                None => out.last().is_some_and(|b: &Block| b.base) && i + 1 < image.steps.len(),
            },
        });
    }
    for (l, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
        let size = image.layers[l].size;
        out.push(Block {
            step: image.steps.len() + l,
            layer: Some(l),
            label: Key::ExNoHistoryEntry.f(lang, &[&l.to_string()]),
            size,
            height: block_height(size),
            base: l < base,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_on_a_log_scale() {
        // 18 + 8·log10(size+1), rounded.
        for (size, want) in [
            (0, 18),
            (9, 26),
            (999, 42),
            (1_000_000, 66),
            (2_127_872, 69),
            (1_000_000_000, 90),
            (10_000_000_000, 98),
        ] {
            assert_eq!(block_height(size), want, "{size}");
        }
    }

    #[test]
    fn created_by_shortened() {
        for (text, want) in [
            ("/bin/sh -c #(nop)  CMD [\"sh\"]", "CMD [\"sh\"]"),
            (
                "/bin/sh -c #(nop) ADD file:a5922269a02179a402f69c9d93d9cdc1ce2b3479c35ef66cd55cdc389a6931ef in / ",
                "ADD file:a5922269a02179a402f69c9d93d9cdc1ce2b3479c35ef66cd5…",
            ),
            ("/bin/sh -c pip install   flask", "RUN pip install flask"),
            ("RUN /bin/sh -c apk add --no-cache curl # buildkit", "RUN apk add --no-cache curl"),
            ("|2 A=1 B=2 /bin/sh -c echo $A", "RUN echo $A"),
            ("COPY app.py /app.py # buildkit", "COPY app.py /app.py"),
            ("", ""),
        ] {
            assert_eq!(shorten_created_by(text, 60), want, "{text}");
        }
        assert_eq!(shorten_created_by("abcdef", 4), "abc…");
    }
}
