//! `wasm_forms_tables`' exports, run in a real browser by wasm-bindgen-test: a roster's
//! CSV out and in, spreadsheet cells, the CSV file's encoding; bad input is a report.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wasm_forms_tables::Engine;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../shared/tests/support/mod.rs"]
mod support;
use support::{json, wire};

const ROSTER: &str = r#"{"id":"t-roster","title":"名单","version":1,"sections":[
  {"legend":"学员","fields":[{"id":"trainees","label":"学员","type":"table","columns":[
    {"id":"name","label":"姓名","type":"text","required":true},
    {"id":"id_number","label":"身份证号码","type":"id_number","required":true}]}]}]}"#;

fn engine() -> Engine {
    Engine::new(&wire(ROSTER), "{}", "null").unwrap()
}

#[wasm_bindgen_test]
fn roster_csv_round_trip_and_bad_id_flagged_on_its_row() {
    let mut e = engine();
    let csv = e.export_csv(
        "trainees",
        r#"[{"name":"=SUM(A1)","id_number":"11010519491231002X"}]"#,
    );
    assert!(csv.starts_with('\u{feff}'), "BOM expected");
    assert!(csv.contains("'=SUM(A1)"), "formula guard: {csv}");
    let text = "姓名,身份证号码\r\n张三,11010519491231002X\r\n李四,110105194912310021\r\n";
    let imported = json(&e.import_csv(text));
    assert_eq!(imported["ok"], true, "{imported}");
    let resp = serde_json::json!({"form": "t-roster", "version": 1,
        "values": {"trainees": imported["rows"].clone()}});
    let r = json(&e.validate(&resp.to_string(), "2024-09-01"));
    let paths: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&"trainees[1].id_number"), "{r}");
    assert_eq!(json(&e.import_csv("a,b\r\n1,2\r\n"))["ok"], false);
}

#[wasm_bindgen_test]
fn cells_and_encodings() {
    let e = engine();
    let cells = json(&e.import_cells(
        r#"[[{"t":"s","v":"姓名"},{"t":"s","v":"身份证号码"}],[{"t":"s","v":"张三"},{"t":"s","v":"11010519491231002X"}]]"#,
    ));
    assert_eq!(cells["ok"], true, "{cells}");
    assert_eq!(json(&e.import_cells("{oops"))["ok"], false);
    assert_eq!(json(&e.sniff_csv("姓名".as_bytes()))["label"], "utf-8");
}
