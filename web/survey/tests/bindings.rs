//! `wasm_forms_survey`'s exports, run in a real browser by wasm-bindgen-test: the
//! hand-in code of a valid response, the findings of an invalid one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wasm_forms_survey::Engine;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../shared/tests/support/mod.rs"]
mod support;
use support::{json, wire};

const SURVEY: &str = r#"{"id":"t-survey","title":"问卷","version":1,"sections":[
  {"legend":"评估等级","matrix":[{"id":"good","label":"满意"},{"id":"bad","label":"不满意"}],
   "fields":[{"id":"q1","label":"目标设定","type":"choice","required":true,
              "options":[{"id":"good","label":"满意"},{"id":"bad","label":"不满意"}]}]}]}"#;

#[wasm_bindgen_test]
fn a_valid_response_gets_its_code_and_file_an_invalid_one_its_findings() {
    let mut e = Engine::new(&wire(SURVEY), "{}", "null").unwrap();
    let ok = json(&e.handin(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"},"response_id":"00000000000000a1"}"#,
        "2024-09-01",
    ));
    assert_eq!(ok["ok"], true, "{ok}");
    assert!(ok["code"]
        .as_str()
        .is_some_and(|c| c.starts_with(wasm_forms::handin::PREFIX)));
    assert_eq!(
        json(ok["json"].as_str().unwrap())["response_id"],
        "00000000000000a1"
    );
    let bad = json(&e.handin(
        r#"{"form":"t-survey","version":1,"values":{}}"#,
        "2024-09-01",
    ));
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["findings"][0]["path"], "q1", "{bad}");
    assert_eq!(json(&e.handin("{oops", "2024-09-01"))["ok"], false);
}
