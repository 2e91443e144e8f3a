//! What the bundles' `bindings` tests share (each includes this file by path; a folder
//! under `tests/` without a `main.rs` is not a test of its own).
#![allow(dead_code)] // each test uses some of it

use serde_json::Value;
use wasm_bindgen::JsValue;

/// An engine's answer (JSON text) as a value to look into.
pub fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// A file as the page hands one to the engine: `{name, text}`.
pub fn file(name: &str, text: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"name".into(), &name.into());
    let _ = js_sys::Reflect::set(&o, &"text".into(), &text.into());
    o.into()
}

/// A schema written as JSON in its wire form, as site-gen embeds it in the page.
pub fn wire(schema_json: &str) -> String {
    let schema: wasm_forms::schema::FormSchema = serde_json::from_str(schema_json).unwrap();
    wasm_forms::wire::encode(&schema).unwrap()
}
