//! `wasm_forms_fill`'s exports, run in a real browser by wasm-bindgen-test: the page's
//! data in, the engine's JSON out; only broken embedded data throws.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wasm_forms_fill::Engine;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../shared/tests/support/mod.rs"]
mod support;
use support::{json, wire};

const SCHEMA: &str = r#"{"id":"t-form","title":"登记表","version":1,"sections":[
  {"legend":"基本信息","fields":[{"id":"name","label":"姓名","type":"text","required":true}]}]}"#;

#[wasm_bindgen_test]
fn broken_or_scored_schemas_are_refused() {
    assert!(Engine::new("{not json", "{}", "null").is_err());
    assert!(
        Engine::new(SCHEMA, "{}", "null").is_err(),
        "JSON is not the wire form"
    );
    let scored = include_str!("../../../wasm-forms/tests/golden/wenzhou-evaluation.schema.txt");
    assert!(
        Engine::new(scored, "{}", "null").is_err(),
        "no scoring in this bundle"
    );
    let mut e = Engine::new(&wire(SCHEMA), "", "").unwrap();
    assert!(e.set_rules("[1,2]").is_err());
    assert!(e.set_rules("").is_ok());
}

#[wasm_bindgen_test]
fn validates_exports_and_imports_a_response() {
    let mut e = Engine::new(&wire(SCHEMA), "{}", "null").unwrap();
    let r = json(&e.validate(r#"{"form":"t-form","version":1,"values":{}}"#, "2024-09-01"));
    assert_eq!(r["valid"], false);
    assert_eq!(r["findings"][0]["path"], "name", "{r}");
    assert_eq!(json(&e.validate("{oops", "2024-09-01"))["valid"], false);
    let out = json(&e.export_json(
        r#"{"form":"t-form","version":1,"values":{"name":"张三"}}"#,
        "2024-09-01",
    ));
    assert_eq!(out["valid"], true, "{out}");
    let back = json(&e.import_json(&out.to_string()));
    assert_eq!(back["ok"], true, "{back}");
    assert_eq!(back["response"]["values"]["name"], "张三");
    assert_eq!(json(&e.import_json("{oops"))["ok"], false);
}
