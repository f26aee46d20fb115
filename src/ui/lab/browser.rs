//! The few browser calls the lab needs beyond web-sys' enabled features: the page's address,
//! `history.replaceState` for the URL state, the clipboard, `navigator.language`, and the
//! reduced-motion preference. Failures are ignored (the page then simply does not copy).

use wasm_bindgen::{JsCast, JsValue};

fn get(obj: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn call1(obj: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: js_sys::Function = get(obj, method)?.dyn_into().ok()?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(obj, &arr).ok()
}

/// (href, search, hash) of the page.
pub fn location() -> (String, String, String) {
    let Some(w) = web_sys::window() else {
        return Default::default();
    };
    let l = w.location();
    (
        l.href().unwrap_or_default(),
        l.search().unwrap_or_default(),
        l.hash().unwrap_or_default(),
    )
}

/// Replace the fragment without a history entry or a scroll.
pub fn replace_fragment(fragment: &str) {
    let Some(w) = web_sys::window() else { return };
    let (href, _, _) = location();
    let base = href.split('#').next().unwrap_or(&href).to_string();
    if let Some(h) = get(&w.into(), "history") {
        call1(
            &h,
            "replaceState",
            &[
                JsValue::NULL,
                JsValue::from_str(""),
                JsValue::from_str(&format!("{base}#{fragment}")),
            ],
        );
    }
}

/// Copy text to the clipboard (asynchronous; errors ignored).
pub fn copy_text(text: &str) {
    let Some(w) = web_sys::window() else { return };
    if let Some(clip) = get(&w.navigator().into(), "clipboard") {
        if let Some(p) = call1(&clip, "writeText", &[JsValue::from_str(text)]) {
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                });
            }
        }
    }
}

/// The browser's preferred language tag.
pub fn language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
}

/// Set `<html lang>` (screen readers and hyphenation follow the interface language).
pub fn set_document_lang(code: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", code);
    }
}
