//! The lab's link state in the browser: raw DEFLATE by the browser's own
//! `CompressionStream` / `DecompressionStream("deflate-raw")`, so the page's wasm carries no
//! DEFLATE implementation. The JSON, base64url and the 256 KiB cap are the core's
//! (`viewmodel::lab::fragment`, whose flate2 `encode`/`decode` are the native reference; links
//! are the same raw DEFLATE either way). It does not touch the address bar (`browser` does).

use crate::viewmodel::lab::fragment::{self, FragmentError, Snapshot, MAX_INFLATED};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, WritableStream};

// web-sys has these two only behind `--cfg=web_sys_unstable_apis`; the three members used here
// are all the page needs.
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// Why a stream gave up.
enum StreamError {
    /// The browser refused (no such stream, or the data is not raw DEFLATE).
    Failed,
    /// More than the cap came out; reading stopped there.
    TooBig,
}

/// Write `input` into a transform stream and read what comes out, stopping (and cancelling the
/// stream) as soon as more than `cap` bytes have come out.
async fn run(
    writable: WritableStream,
    readable: ReadableStream,
    input: &[u8],
    cap: usize,
) -> Result<Vec<u8>, StreamError> {
    let writer = writable.get_writer().map_err(|_| StreamError::Failed)?;
    // Not awaited here: the stream only takes more once its output is read (backpressure).
    // Both get their handlers now (`JsFuture::from` attaches them) and are awaited on the side,
    // so that a rejection (bad data, or the cancel below) is never an unhandled rejection.
    let wrote = JsFuture::from(writer.write_with_chunk(&Uint8Array::from(input)));
    let closed = JsFuture::from(writer.close());
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wrote.await;
        let _ = closed.await;
    });
    let reader: ReadableStreamDefaultReader = readable.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| StreamError::Failed)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            return Ok(out);
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .ok_or(StreamError::Failed)?;
        let len = value.length() as usize;
        if out.len() + len > cap {
            let cancelled = JsFuture::from(reader.cancel());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = cancelled.await;
            });
            return Err(StreamError::TooBig);
        }
        let start = out.len();
        out.resize(start + len, 0);
        value.copy_to(&mut out[start..]);
    }
}

/// Raw DEFLATE by the browser; `None` when it cannot.
pub async fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    let cs = CompressionStream::new("deflate-raw").ok()?;
    // Deflate never grows data by more than a few bytes per 16 KiB block.
    let cap = data.len() + data.len() / 8 + 64;
    run(cs.writable(), cs.readable(), data, cap).await.ok()
}

/// Inflate raw DEFLATE in the browser, reading at most `cap` bytes of output.
pub async fn inflate(data: &[u8], cap: usize) -> Result<Vec<u8>, FragmentError> {
    let ds = DecompressionStream::new("deflate-raw").map_err(|_| FragmentError::NOT_DEFLATE)?;
    run(ds.writable(), ds.readable(), data, cap)
        .await
        .map_err(|e| match e {
            StreamError::Failed => FragmentError::NOT_DEFLATE,
            StreamError::TooBig => FragmentError::TOO_BIG,
        })
}

/// The fragment (`s=…`, without `#`) for a state. Where the browser cannot compress, the state
/// is stored uncompressed in DEFLATE's own framing: a longer link that opens all the same.
pub async fn encode(s: &Snapshot) -> String {
    let json = fragment::to_json(s);
    let deflated = match deflate(&json).await {
        Some(d) => d,
        None => fragment::deflate_stored(&json),
    };
    fragment::fragment_of(&deflated)
}

/// Read a fragment (with or without `#`); `Ok(None)` when it holds no lab state.
pub async fn decode(fragment: &str) -> Result<Option<Snapshot>, FragmentError> {
    let Some(deflated) = fragment::deflated_of(fragment)? else {
        return Ok(None);
    };
    let json = inflate(&deflated, MAX_INFLATED).await?;
    fragment::from_json(&json).map(Some)
}
