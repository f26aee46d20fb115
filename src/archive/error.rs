//! The archive stage's one error type: which archive member, at which byte offset, what was
//! expected and what was found. It does not decide how errors are shown (the CLI does).

use std::fmt;

/// What kind of fault stopped (or marred) the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The source ended before a structure was complete (archive cut short).
    Truncated,
    /// A tar header or record is malformed (bad checksum, bad number, bad PAX record).
    BadTar,
    /// A compressed stream could not be decoded, or its magic bytes contradict the media type.
    BadCompression,
    /// A JSON member is not JSON or has the wrong shape.
    BadJson,
    /// A member that a manifest or index names is not in the archive.
    Missing,
    /// The archive layout is not one this reader knows.
    UnknownLayout,
    /// A member name is absolute or climbs out with `..`.
    UnsafePath,
    /// A digest or size differs from its descriptor (`--verify`).
    DigestMismatch,
    /// A cap on uncompressed bytes or entries was reached.
    LimitExceeded,
    /// The asked-for image, tag or platform is not in the archive.
    NotFound,
    /// The underlying reader failed for a reason other than a short read.
    Io,
}

/// One error of the archive stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveError {
    pub kind: ErrorKind,
    /// The archive member the fault is in (`manifest.json`, `blobs/sha256/…`); empty for the
    /// archive itself.
    pub member: String,
    /// Byte offset of the fault: in the archive (outer) or in the member's uncompressed stream
    /// when `in_layer_stream` is set.
    pub offset: u64,
    /// Whether `offset` counts in the decompressed layer stream rather than in the archive.
    pub in_layer_stream: bool,
    /// What was expected there.
    pub expected: String,
    /// What was found instead.
    pub found: String,
}

impl ArchiveError {
    pub fn new(
        kind: ErrorKind,
        member: impl Into<String>,
        offset: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        ArchiveError {
            kind,
            member: member.into(),
            offset,
            in_layer_stream: false,
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// The same error, with its offset marked as counting in the member's uncompressed stream.
    pub fn in_stream(mut self) -> Self {
        self.in_layer_stream = true;
        self
    }

    /// Attach the member name if none is set yet.
    pub fn in_member(mut self, member: &str) -> Self {
        if self.member.is_empty() {
            self.member = member.to_string();
        }
        self
    }

    /// An I/O error while reading `member` at `offset`: an unexpected EOF is a truncation.
    pub fn io(err: &std::io::Error, member: &str, offset: u64, expected: &str) -> Self {
        let kind = match err.kind() {
            std::io::ErrorKind::UnexpectedEof => ErrorKind::Truncated,
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput => {
                ErrorKind::BadCompression
            }
            _ => ErrorKind::Io,
        };
        ArchiveError::new(kind, member, offset, expected, err.to_string())
    }
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let member = if self.member.is_empty() {
            "archive"
        } else {
            &self.member
        };
        let place = if self.in_layer_stream {
            "uncompressed offset"
        } else {
            "offset"
        };
        write!(
            f,
            "{member} at {place} {}: expected {}, found {}",
            self.offset, self.expected, self.found
        )
    }
}

impl std::error::Error for ArchiveError {}
