//! On-demand reading of one file's bytes from a layer (for previews): seeks straight to the body
//! in an uncompressed layer on a seekable source, otherwise decodes the layer stream up to the
//! body. Reads at most `max` bytes. It does not list entries.

use super::decode::{Decoder, Pushback};
use super::error::{ArchiveError, ErrorKind};
use super::members::MemberIndex;
use super::source::{read_full, Source, Streaming, Window};
use crate::image::{Compression, Entry, EntryKind, Layer};
use std::io::{Read, Seek};

/// Read up to `max` bytes of `entry`'s content from `layer` of an archive whose members are
/// `members`. `src` is the archive as given to `read_archive` (a gzip-wrapped archive is
/// decompressed again from the start).
pub fn read_entry_bytes<R: Read + Seek>(
    src: &mut R,
    outer_gzip: bool,
    members: &MemberIndex,
    layer: &Layer,
    entry: &Entry,
    max: usize,
) -> Result<Vec<u8>, ArchiveError> {
    if entry.kind != EntryKind::File {
        return Ok(Vec::new());
    }
    let m = members.resolve(&layer.member)?.clone();
    let want = (entry.size.min(max as u64)) as usize;
    let err = |e: std::io::Error| {
        ArchiveError::io(&e, &m.name, entry.data_offset, "file content").in_stream()
    };
    if outer_gzip {
        src.seek(std::io::SeekFrom::Start(0)).map_err(err)?;
        let outer = Decoder::new(Compression::Gzip, Pushback::new(Vec::new(), &mut *src));
        let mut s = Streaming::new(outer);
        s.skip(m.offset).map_err(err)?;
        let blob = s.take(m.size);
        return read_from_blob(blob, layer.compression, entry.data_offset, want).map_err(err);
    }
    if layer.compression == Compression::None {
        if entry.data_offset.saturating_add(want as u64) > m.size {
            return Err(ArchiveError::new(
                ErrorKind::Truncated,
                &m.name,
                entry.data_offset,
                format!("{want} bytes of file content"),
                "end of the layer",
            ));
        }
        let mut w = Window::new(src, m.offset + entry.data_offset, want as u64).map_err(err)?;
        let mut buf = vec![0u8; want];
        let n = read_full(&mut w, &mut buf).map_err(err)?;
        buf.truncate(n);
        return Ok(buf);
    }
    let w = Window::new(src, m.offset, m.size).map_err(err)?;
    read_from_blob(w, layer.compression, entry.data_offset, want).map_err(err)
}

fn read_from_blob<R: Read>(
    blob: R,
    c: Compression,
    offset: u64,
    want: usize,
) -> std::io::Result<Vec<u8>> {
    let mut s = Streaming::new(Decoder::new(c, Pushback::new(Vec::new(), blob)));
    s.skip(offset)?;
    let mut buf = vec![0u8; want];
    let n = read_full(&mut s, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}
