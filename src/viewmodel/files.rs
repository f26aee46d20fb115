//! Classifying dropped files by name, and human-readable byte counts for the page.

/// What a dropped or picked file is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DroppedKind {
    /// An image archive; `gzip` when the whole archive is gzip-compressed.
    Archive {
        gzip: bool,
    },
    Dockerfile,
    Unsupported,
}

/// Classify by file name: `.tar` / `.tar.gz` / `.tgz` are archives; `Dockerfile`, `*.Dockerfile`,
/// `Dockerfile.*` and `*.dockerfile` are Dockerfiles; anything else is unsupported.
pub fn classify_file(name: &str) -> DroppedKind {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tar") {
        DroppedKind::Archive { gzip: false }
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        DroppedKind::Archive { gzip: true }
    } else if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with("containerfile")
    {
        DroppedKind::Dockerfile
    } else {
        DroppedKind::Unsupported
    }
}

/// Decimal sizes with three significant digits, as Docker prints them (`0B`, `39B`, `2.16 MB`
/// here with a space for reading in prose).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        return format!("{n} B");
    }
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$} {}", UNITS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify() {
        let cases = [
            ("app.tar", DroppedKind::Archive { gzip: false }),
            ("APP.TAR.GZ", DroppedKind::Archive { gzip: true }),
            ("x.tgz", DroppedKind::Archive { gzip: true }),
            ("Dockerfile", DroppedKind::Dockerfile),
            ("Dockerfile.dev", DroppedKind::Dockerfile),
            ("web.dockerfile", DroppedKind::Dockerfile),
            ("Containerfile", DroppedKind::Dockerfile),
            ("notes.txt", DroppedKind::Unsupported),
            ("x.gz", DroppedKind::Unsupported),
        ];
        for (name, want) in cases {
            assert_eq!(classify_file(name), want, "{name}");
        }
    }

    #[test]
    fn sizes() {
        for (n, want) in [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.00 kB"),
            (2_157_056, "2.16 MB"),
            (52_434_432, "52.4 MB"),
            (157_000_000, "157 MB"),
            (1_400_000_000, "1.40 GB"),
        ] {
            assert_eq!(human_bytes(n), want, "{n}");
        }
    }
}
