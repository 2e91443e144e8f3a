//! `wasm_forms_collect`'s exports, run in a real browser by wasm-bindgen-test: a batch
//! from JavaScript's `[{name, text}]` added to a collection, its summary, its export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wasm_forms_collect::Engine;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../shared/tests/support/mod.rs"]
mod support;
use support::{file, json, wire};

const SURVEY: &str = r#"{"id":"t-survey","title":"问卷","version":1,"sections":[
  {"legend":"评估等级","matrix":[{"id":"good","label":"满意","satisfied":true},{"id":"bad","label":"不满意"}],
   "fields":[{"id":"q1","label":"目标设定","type":"choice","required":true,
              "options":[{"id":"good","label":"满意","satisfied":true},{"id":"bad","label":"不满意"}]}]}]}"#;

#[wasm_bindgen_test]
fn a_batch_is_added_counted_once_summarised_and_exported() {
    let mut e = Engine::new(&wire(SURVEY), "", "").unwrap();
    let a = r#"{"form":"t-survey","version":1,"values":{"q1":"good"},"response_id":"00000000000000a1"}"#;
    let files = js_sys::Array::new();
    files.push(&file("a.json", a));
    files.push(&file("again.json", a));
    files.push(&file("chat.txt", "no code here"));
    let out = json(&e.collect_add("[]", files, "2024-09-01"));
    assert_eq!(
        out["report"]["added"],
        serde_json::json!(["a.json"]),
        "{out}"
    );
    assert_eq!(
        out["report"]["duplicates"][0]["source"], "again.json",
        "{out}"
    );
    assert_eq!(out["report"]["rejected"][0]["file"], "chat.txt", "{out}");
    let entries = out["entries"].to_string();
    let s = json(&e.collect_summary(&entries, "", "2024-09-01"));
    assert_eq!(s["counted"], 1, "{s}");
    assert_eq!(s["summary"]["satisfaction_rate"], 100, "{s}");
    assert_eq!(s["summary"]["satisfaction_rate_text"], "100.00%", "{s}");
    // The table's rows and levels come with the summary (the page never reads the schema).
    assert_eq!(s["layout"]["rows"][0]["label"], "目标设定", "{s}");
    assert_eq!(s["layout"]["levels"][1]["label"], "不满意", "{s}");
    let text = e.collect_export(&entries);
    assert!(text.contains(wasm_forms::handin::PREFIX), "{text}");
    // The exported codes read back as the same response: a duplicate.
    let back = js_sys::Array::new();
    back.push(&file("export.txt", &text));
    let again = json(&e.collect_add(&entries, back, "2024-09-01"));
    assert_eq!(
        again["report"]["duplicates"].as_array().map(Vec::len),
        Some(1),
        "{again}"
    );
}
