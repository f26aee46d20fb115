// The lab worker's entry (src/ui/lab/lab_client.rs starts it): load the wasm-bindgen glue and the
// simulator's wasm that Trunk built (src/bin/layerscope-lab.rs). If the wasm does not load, say
// why to the page in a text message: a rejected promise in a worker reaches no error handler,
// and the page would wait for the simulator forever.
importScripts('./layerscope-lab.js');
wasm_bindgen('./layerscope-lab_bg.wasm').catch((e) => self.postMessage(String(e)));
