//! The lab's state in the URL fragment: a small JSON object (Dockerfiles, context files, builder,
//! selection, lab step, language), deflated (raw DEFLATE, RFC 1951) and written in base64url
//! without padding, behind `#s=`. Also the Share link and the Embed iframe snippet. It does not read
//! or write the browser's location (the UI does).
//!
//! The (de)compression itself is the caller's: this module turns the state into JSON bytes and
//! deflated bytes into the fragment text, and back. The page deflates with the browser's own
//! `CompressionStream("deflate-raw")` (ui::lab::link_state), so its wasm carries no DEFLATE
//! implementation; natively, [`encode`] and [`decode`] do it with flate2, the reference the page's
//! links are tested against. [`deflate_stored`] is the page's fallback when the browser cannot
//! compress: valid raw DEFLATE made of stored blocks, longer but readable by any inflater.
use serde::{Deserialize, Serialize};

/// What the fragment carries. Field names are short: they end up in links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Snapshot {
    /// Dockerfiles: app, app2.
    #[serde(rename = "d")]
    pub dockerfiles: Vec<String>,
    /// Context files: (name, text).
    #[serde(rename = "c")]
    pub context: Vec<(String, String)>,
    /// `buildkit` or `classic`.
    #[serde(rename = "b")]
    pub builder: String,
    /// Selected layer: (image, layer).
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<(usize, usize)>,
    /// Guided lab step (0-based).
    #[serde(rename = "g", default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<usize>,
    /// `en` or `ru`.
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Which Dockerfile tab is open (0 app, 1 app2).
    #[serde(rename = "t", default)]
    pub tab: usize,
}

/// Why a fragment could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentError {
    /// Byte offset in the fragment text (after `#s=`) where reading failed, when known.
    pub offset: usize,
    pub expected: &'static str,
}

impl FragmentError {
    /// The deflated bytes did not inflate.
    pub const NOT_DEFLATE: FragmentError = FragmentError {
        offset: 0,
        expected: "raw DEFLATE data",
    };
    /// The state inflates past [`MAX_INFLATED`].
    pub const TOO_BIG: FragmentError = FragmentError {
        offset: 0,
        expected: "at most 256 KiB of state",
    };
}

impl std::fmt::Display for FragmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "link state at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

/// Largest inflated state accepted (a link is never this big; stops decompression bombs). Whoever
/// inflates stops reading past this many bytes (and then fails with [`FragmentError::TOO_BIG`]).
pub const MAX_INFLATED: usize = 256 * 1024;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decode base64url (padding `=` tolerated at the end); the error carries the bad byte's offset.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, FragmentError> {
    let t = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in t.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                return Err(FragmentError {
                    offset: i,
                    expected: "a base64url character (A-Z a-z 0-9 - _)",
                })
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if t.len() % 4 == 1 {
        return Err(FragmentError {
            offset: t.len(),
            expected: "a base64url length that is not 1 more than a multiple of 4",
        });
    }
    Ok(out)
}

/// The state as the JSON bytes that are deflated into the link.
pub fn to_json(s: &Snapshot) -> Vec<u8> {
    serde_json::to_vec(s).unwrap_or_default()
}

/// The state from inflated JSON bytes (at most [`MAX_INFLATED`] of them).
pub fn from_json(json: &[u8]) -> Result<Snapshot, FragmentError> {
    if json.len() > MAX_INFLATED {
        return Err(FragmentError::TOO_BIG);
    }
    serde_json::from_slice(json).map_err(|e| FragmentError {
        offset: e.column(),
        expected: "the lab state object {d, c, b, …}",
    })
}

/// `s=<base64url(deflated)>`, the fragment without `#`, for state already deflated.
pub fn fragment_of(deflated: &[u8]) -> String {
    format!("s={}", base64url_encode(deflated))
}

/// The deflated bytes a fragment (with or without the leading `#`) carries; `Ok(None)` when it
/// holds no lab state.
pub fn deflated_of(fragment: &str) -> Result<Option<Vec<u8>>, FragmentError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = f
        .split('&')
        .find_map(|kv| kv.strip_prefix("s="))
        .filter(|d| !d.is_empty())
    else {
        return Ok(None);
    };
    base64url_decode(data).map(Some)
}

/// Raw DEFLATE without compression: stored blocks (RFC 1951 §3.2.4) of at most 65,535 bytes.
pub fn deflate_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / 0xffff + 1));
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        // An empty input is one final, empty stored block.
        return vec![1, 0, 0, 0xff, 0xff];
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        let len = block.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// The fragment for a state, deflated with flate2 (native reference; the page uses the browser).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(s: &Snapshot) -> String {
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(&to_json(s));
    fragment_of(&enc.finish().unwrap_or_default())
}

/// Read a fragment, inflating with flate2 (native reference; the page uses the browser).
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(fragment: &str) -> Result<Option<Snapshot>, FragmentError> {
    use std::io::Read;
    let Some(bytes) = deflated_of(fragment)? else {
        return Ok(None);
    };
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(MAX_INFLATED as u64 + 1)
        .read_to_end(&mut json)
        .map_err(|_| FragmentError::NOT_DEFLATE)?;
    from_json(&json).map(Some)
}

/// The Share link: the page address without query or fragment, plus the state's fragment
/// (`s=…`, from [`fragment_of`] or [`encode`]).
pub fn share_url(page_url: &str, fragment: &str) -> String {
    let base = page_url.split(['#', '?']).next().unwrap_or(page_url);
    format!("{base}#{fragment}")
}

/// The Embed URL (`?embed=1`) and its iframe snippet, sized for a 600×400 slot.
pub fn embed_url(page_url: &str, fragment: &str) -> String {
    let base = page_url.split(['#', '?']).next().unwrap_or(page_url);
    format!("{base}?embed=1#{fragment}")
}

pub fn embed_snippet(page_url: &str, fragment: &str, title: &str) -> String {
    let title = title.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<iframe src=\"{}\" title=\"{title}\" width=\"600\" height=\"400\" style=\"border:1px solid #d8dde3;border-radius:8px\" loading=\"lazy\"></iframe>",
        embed_url(page_url, fragment)
    )
}

/// Whether a query string (`?embed=1&…`) asks for the compact layout.
pub fn is_embed_query(search: &str) -> bool {
    crate::viewmodel::query_values(search, "embed").any(|v| v == "1" || v == "true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn base64url_rfc4648_vectors() {
        // RFC 4648 §10 test vectors, padding removed.
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(raw.as_bytes()), enc);
            assert_eq!(base64url_decode(enc).unwrap(), raw.as_bytes());
        }
        // The URL-safe alphabet: 0xfb 0xff → "-_8".
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(
            base64url_decode("Zm9v!"),
            Err(FragmentError {
                offset: 4,
                expected: "a base64url character (A-Z a-z 0-9 - _)"
            })
        );
        assert!(base64url_decode("Zm9vY").is_err());
    }

    fn seed() -> Snapshot {
        Snapshot {
            dockerfiles: vec![
                crate::seed::DOCKERFILE_APP.into(),
                crate::seed::DOCKERFILE_APP2.into(),
            ],
            context: vec![
                ("app.py".into(), crate::seed::APP_PY.into()),
                ("app2.py".into(), crate::seed::APP2_PY.into()),
            ],
            builder: "classic".into(),
            selected: Some((1, 3)),
            guide: Some(4),
            lang: Some("ru".into()),
            tab: 1,
        }
    }

    #[test]
    fn round_trip_and_links() {
        let s = seed();
        let f = encode(&s);
        assert!(f.starts_with("s="));
        assert!(f[2..]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        // Deflate pays: the two near-identical Dockerfiles compress well.
        let json_len = serde_json::to_vec(&s).unwrap().len();
        assert!(f.len() < json_len, "{} vs {json_len}", f.len());
        assert_eq!(decode(&format!("#{f}")).unwrap(), Some(s.clone()));
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("#other=1").unwrap(), None);
        let share = share_url("http://h/lab/?x=1#old", &f);
        assert_eq!(share, format!("http://h/lab/#{f}"));
        let snippet = embed_snippet("http://h/", &f, "A \"lab\"");
        assert_eq!(
            snippet,
            format!("<iframe src=\"http://h/?embed=1#{f}\" title=\"A &quot;lab&quot;\" width=\"600\" height=\"400\" style=\"border:1px solid #d8dde3;border-radius:8px\" loading=\"lazy\"></iframe>")
        );
        assert!(is_embed_query("?embed=1"));
        assert!(is_embed_query("?a=b&embed=1"));
        assert!(!is_embed_query("?embed=0"));
    }

    #[test]
    fn bad_fragments_are_errors_not_panics() {
        assert!(decode("#s=AAAA").is_err());
        assert!(decode("#s=%%").is_err());
        // Valid deflate of something that is not the state object.
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"[1,2]").unwrap();
        let f = format!("s={}", base64url_encode(&enc.finish().unwrap()));
        assert_eq!(
            decode(&f).unwrap_err().expected,
            "the lab state object {d, c, b, …}"
        );
        // A bomb: 1 MiB of zeros deflates to ~1 KiB but is refused.
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b' '; 1 << 20]).unwrap();
        let f = format!("s={}", base64url_encode(&enc.finish().unwrap()));
        assert_eq!(decode(&f).unwrap_err().expected, "at most 256 KiB of state");
    }

    #[test]
    fn stored_deflate_is_read_by_flate2_and_by_decode() {
        // Empty, one block, exactly one full block, and three blocks (65,535 + 65,535 + 2).
        for len in [0usize, 5, 0xffff, 2 * 0xffff + 2] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let stored = deflate_stored(&data);
            let blocks = len.div_ceil(0xffff).max(1);
            assert_eq!(stored.len(), len + 5 * blocks);
            let mut back = Vec::new();
            flate2::read::DeflateDecoder::new(stored.as_slice())
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data, "length {len}");
        }
        // Hand-checked: "ab" is BFINAL=1 BTYPE=00, LEN 2, NLEN !2, then the bytes.
        assert_eq!(deflate_stored(b"ab"), [1, 2, 0, 0xfd, 0xff, b'a', b'b']);
        // The page's fallback link opens like a compressed one.
        let s = seed();
        let f = fragment_of(&deflate_stored(&to_json(&s)));
        assert_eq!(decode(&f).unwrap(), Some(s.clone()));
        assert_eq!(decode(&encode(&s)).unwrap(), Some(s));
    }

    #[test]
    fn the_parts_the_page_uses_agree_with_decode() {
        let s = seed();
        let f = encode(&s);
        let deflated = deflated_of(&format!("#{f}")).unwrap().unwrap();
        assert_eq!(fragment_of(&deflated), f);
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(deflated.as_slice())
            .read_to_end(&mut json)
            .unwrap();
        assert_eq!(json, to_json(&s));
        assert_eq!(from_json(&json), Ok(s));
        assert_eq!(deflated_of("#other=1&s="), Ok(None));
        assert_eq!(
            from_json(&vec![b' '; MAX_INFLATED + 1]),
            Err(FragmentError::TOO_BIG)
        );
    }
}
