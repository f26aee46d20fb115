//! A file preview's text: the content as text when it is UTF-8 without NUL bytes, otherwise a
//! hex dump laid out like `hexdump -C` (offset, 16 bytes in two groups of 8, printable ASCII).
//! Pure.

/// How a preview is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewText {
    Text(String),
    /// Hex dump lines; `truncated` when only the first bytes are dumped.
    Hex {
        lines: Vec<String>,
        truncated: bool,
    },
}

/// At most this many bytes are dumped in hex (4,096 lines).
pub const MAX_HEX_BYTES: usize = 64 * 1024;

/// Text or hex for `bytes`.
pub fn format_preview(bytes: &[u8]) -> PreviewText {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => PreviewText::Text(s.to_string()),
        _ => {
            let shown = &bytes[..bytes.len().min(MAX_HEX_BYTES)];
            PreviewText::Hex {
                lines: hex_lines(shown),
                truncated: shown.len() < bytes.len(),
            }
        }
    }
}

/// `hexdump -C` lines (without the final offset line).
pub fn hex_lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let mut hex = String::new();
            for j in 0..16 {
                if j == 8 {
                    hex.push(' ');
                }
                match chunk.get(j) {
                    Some(b) => hex.push_str(&format!("{b:02x} ")),
                    None => hex.push_str("   "),
                }
            }
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            format!("{:08x}  {hex} |{ascii}|", i * 16)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_hex() {
        assert_eq!(
            format_preview(b"print(\"Hello from app\")\n"),
            PreviewText::Text("print(\"Hello from app\")\n".into())
        );
        // As `printf '\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0' | hexdump -C` prints it.
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
        assert_eq!(
            format_preview(elf),
            PreviewText::Hex {
                lines: vec![
                    "00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|".into(),
                    "00000010  03 00 3e 00                                       |..>.|".into(),
                ],
                truncated: false,
            }
        );
        let big = vec![0u8; MAX_HEX_BYTES + 1];
        match format_preview(&big) {
            PreviewText::Hex { lines, truncated } => {
                assert_eq!(lines.len(), 4096);
                assert!(truncated);
            }
            other => panic!("{other:?}"),
        }
    }
}
