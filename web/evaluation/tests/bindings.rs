//! `wasm_forms_evaluation`'s exports, run in a real browser by wasm-bindgen-test: the
//! score report byte for byte what `site-gen form score` printed, the summary of
//! typed-in counts, the survey import from JavaScript's `[{name, text}]`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wasm_forms_evaluation::Engine;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../shared/tests/support/mod.rs"]
mod support;
use support::{file, json};

/// What the form page embeds and what `site-gen form score` printed for the fixed
/// responses: pinned by the site-gen test `page_data_and_cli_score_match_the_golden_files`.
macro_rules! golden {
    ($name:literal) => {
        include_str!(concat!("../../../wasm-forms/tests/golden/", $name))
    };
}
macro_rules! response {
    ($name:literal) => {
        include_str!(concat!(
            "../../../site-gen/tests/fixtures/responses/",
            $name
        ))
    };
}

#[wasm_bindgen_test]
fn score_report_is_byte_identical_to_the_command_line() {
    let cases = include!("../../../wasm-forms/tests/golden/score_cases.rs");
    for (schema, rules, response, cli) in cases {
        let mut e = Engine::new(schema, rules, golden!("calendar.txt")).unwrap();
        // SITE_GEN_TODAY of the command-line run.
        assert_eq!(e.score_report(response, "2024-10-01"), cli);
    }
    let mut e = Engine::new(golden!("wenzhou-evaluation.schema.txt"), "", "").unwrap();
    assert_eq!(
        json(&e.score_report("not json", "2024-10-01"))["valid"],
        false
    );
}

#[wasm_bindgen_test]
fn counts_give_a_summary_and_bad_counts_a_finding() {
    let e = Engine::new(golden!("wenzhou-evaluation.schema.txt"), "", "").unwrap();
    let bad = json(&e.summary_from_counts("[]"));
    assert_eq!(bad["findings"][0]["path"], "survey", "{bad}");
    let ok = json(&e.summary_from_counts(r#"{"forms": 0, "indicators": {}}"#));
    assert_eq!(ok["forms"], 0, "{ok}");
}

#[wasm_bindgen_test]
fn the_survey_import_reads_files_from_javascript() {
    // The page's second engine: the survey's schema (in its wire form, as site-gen
    // embeds it), here taken from the evaluation's counts rows.
    let evaluation: wasm_forms::schema::FormSchema =
        wasm_forms::wire::decode(golden!("wenzhou-evaluation.schema.txt")).unwrap();
    let counts = evaluation
        .fields()
        .find(|f| f.kind == wasm_forms::schema::FieldType::Counts)
        .unwrap();
    let levels: Vec<Value> = counts
        .options
        .iter()
        .map(|o| serde_json::json!({"id": o.id, "label": o.label, "satisfied": o.satisfied}))
        .collect();
    let fields: Vec<Value> = counts
        .rows
        .iter()
        .map(|r| {
            serde_json::json!({"id": r.id, "label": r.label, "type": "choice",
            "required": true, "options": levels})
        })
        .collect();
    let survey: wasm_forms::schema::FormSchema = serde_json::from_value(serde_json::json!({
        "id": "t-survey", "title": "问卷", "version": 1,
        "sections": [{"legend": "评估等级", "matrix": levels, "fields": fields}]}))
    .unwrap();
    let mut e = Engine::new(&wasm_forms::wire::encode(&survey).unwrap(), "", "").unwrap();
    let mut values = serde_json::Map::new();
    for r in &counts.rows {
        values.insert(r.id.clone(), Value::String(counts.options[0].id.clone()));
    }
    let one = serde_json::json!({"form": "t-survey", "version": 1, "values": values});
    let files = js_sys::Array::new();
    files.push(&file("a.json", &one.to_string()));
    files.push(&file("broken.json", "{oops"));
    files.push(&JsValue::from_f64(7.0)); // not even an object: still a rejected item
    let out = json(&e.survey_import("[]", "", files, "2024-09-01"));
    assert_eq!(out["counts"]["forms"], 1, "{out}");
    assert_eq!(
        out["report"]["rejected"].as_array().map(Vec::len),
        Some(2),
        "{out}"
    );
    assert_eq!(out["report"]["rejected"][1]["file"], "第 3 项", "{out}");
}
