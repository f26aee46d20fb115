//! The lab's state in the URL fragment: a small JSON object (Dockerfiles, context files, builder,
//! selection, lab step, language), deflated (raw DEFLATE, flate2) and written in base64url without
//! padding, behind `#s=`. Also the Share link and the Embed iframe snippet. It does not read or
//! write the browser's location (the UI does).

use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

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

impl std::fmt::Display for FragmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "link state at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

/// Largest inflated state accepted (a link is never this big; stops decompression bombs).
const MAX_INFLATED: u64 = 256 * 1024;

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

/// `s=<base64url(deflate(json))>`, the fragment without `#`.
pub fn encode(s: &Snapshot) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(&json);
    let bytes = enc.finish().unwrap_or_default();
    format!("s={}", base64url_encode(&bytes))
}

/// Read a fragment (with or without the leading `#`); `Ok(None)` when it holds no lab state.
pub fn decode(fragment: &str) -> Result<Option<Snapshot>, FragmentError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = f
        .split('&')
        .find_map(|kv| kv.strip_prefix("s="))
        .filter(|d| !d.is_empty())
    else {
        return Ok(None);
    };
    let bytes = base64url_decode(data)?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut json)
        .map_err(|_| FragmentError {
            offset: 0,
            expected: "raw DEFLATE data",
        })?;
    if json.len() as u64 > MAX_INFLATED {
        return Err(FragmentError {
            offset: 0,
            expected: "at most 256 KiB of state",
        });
    }
    serde_json::from_slice(&json)
        .map(Some)
        .map_err(|e| FragmentError {
            offset: e.column(),
            expected: "the lab state object {d, c, b, …}",
        })
}

/// The Share link: the page address without query or fragment, plus the state.
pub fn share_url(page_url: &str, s: &Snapshot) -> String {
    let base = page_url.split(['#', '?']).next().unwrap_or(page_url);
    format!("{base}#{}", encode(s))
}

/// The Embed URL (`?embed=1`) and its iframe snippet, sized for a 600×400 slot.
pub fn embed_url(page_url: &str, s: &Snapshot) -> String {
    let base = page_url.split(['#', '?']).next().unwrap_or(page_url);
    format!("{base}?embed=1#{}", encode(s))
}

pub fn embed_snippet(page_url: &str, s: &Snapshot, title: &str) -> String {
    let title = title.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<iframe src=\"{}\" title=\"{title}\" width=\"600\" height=\"400\" style=\"border:1px solid #d8dde3;border-radius:8px\" loading=\"lazy\"></iframe>",
        embed_url(page_url, s)
    )
}

/// Whether a query string (`?embed=1&…`) asks for the compact layout.
pub fn is_embed_query(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv == "embed=1" || kv == "embed=true")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let share = share_url("http://h/lab/?x=1#old", &s);
        assert_eq!(share, format!("http://h/lab/#{f}"));
        let snippet = embed_snippet("http://h/", &s, "A \"lab\"");
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
}
