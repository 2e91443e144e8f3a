//! The browser binding layer (`wasm_forms::Engine`), run in a real browser by
//! wasm-bindgen-test: JSON in, the core's answer out, and invalid input is always a
//! report (data), never a thrown exception. Only the page's own embedded data (schema,
//! rules, calendar) may fail.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wasm_forms::schema::FormSchema;
use wasm_forms::Engine;

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: &str = "2024-09-01";

/// A two-question survey with a rating matrix, as `parse_toml` serialises it (each row
/// carries the matrix levels as its options).
const SURVEY_TEMPLATE: &str = r#"{"id":"t-survey","title":"问卷","version":1,"sections":[
  {"legend":"评估等级","matrix":[{"id":"good","label":"满意"},{"id":"bad","label":"不满意"}],
   "fields":[{"id":"q1","label":"目标设定","type":"choice","required":true,"options":LEVELS},
             {"id":"q2","label":"课程设置","type":"choice","required":true,"options":LEVELS}]}]}"#;

/// A roster with a name and an id number per row.
const ROSTER: &str = r#"{"id":"t-roster","title":"名单","version":1,"sections":[
  {"legend":"学员","fields":[{"id":"trainees","label":"学员","type":"table","columns":[
    {"id":"name","label":"姓名","type":"text","required":true},
    {"id":"id_number","label":"身份证号码","type":"id_number","required":true}]}]}]}"#;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("binding returned invalid JSON ({e}): {s}"))
}

fn survey() -> String {
    SURVEY_TEMPLATE.replace(
        "LEVELS",
        r#"[{"id":"good","label":"满意"},{"id":"bad","label":"不满意"}]"#,
    )
}

/// A schema written here as JSON, in the wire form the page embeds.
fn wire(schema_json: &str) -> String {
    let schema: FormSchema = serde_json::from_str(schema_json)
        .unwrap_or_else(|e| panic!("test schema is not a FormSchema ({e})"));
    wasm_forms::wire::encode(&schema).unwrap_or_else(|e| panic!("{e}"))
}

fn engine(schema_json: &str) -> Engine {
    Engine::new(&wire(schema_json), "{}", "null").unwrap_or_else(|_| panic!("schema should load"))
}

fn paths(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["path"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn broken_embedded_schema_is_the_one_error() {
    assert!(Engine::new("{not json", "{}", "null").is_err());
    // A schema as JSON is not the wire form; a cut one is refused too.
    assert!(Engine::new(&survey(), "{}", "null").is_err());
    let w = wire(&survey());
    assert!(Engine::new(&w[..w.len() / 2], "{}", "null").is_err());
    assert!(Engine::new(&w, r#"{"min_trainees": "many"}"#, "null").is_err());
    assert!(Engine::new(&w, r#"{"unknown_rule": 1}"#, "null").is_err());
}

#[wasm_bindgen_test]
fn rules_can_be_switched_and_bad_rules_are_refused() {
    let mut e = engine(&survey());
    let rules = wasm_forms::NoticeRules {
        min_trainees: Some(30),
        ..Default::default()
    };
    assert!(e
        .set_rules(&wasm_forms::wire::encode(&rules).unwrap())
        .is_ok());
    assert!(e.set_rules("").is_ok(), "no rules");
    // Rules as JSON are not the wire form.
    assert!(e.set_rules(r#"{"min_trainees": 30}"#).is_err());
    assert!(e.set_rules("[1,2]").is_err());
    assert_eq!(e.form_id(), "t-survey");
}

#[wasm_bindgen_test]
fn missing_rating_is_a_finding_with_its_path() {
    let mut e = engine(&survey());
    let r = json(&e.validate(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#,
        TODAY,
    ));
    assert_eq!(r["valid"], false);
    assert!(paths(&r).contains(&"q2".to_owned()), "{r}");
    assert!(!paths(&r).contains(&"q1".to_owned()), "{r}");
}

#[wasm_bindgen_test]
fn complete_response_is_valid() {
    let mut e = engine(&survey());
    let r = json(&e.validate(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good","q2":"bad"}}"#,
        TODAY,
    ));
    assert_eq!(r["valid"], true, "{r}");
    assert_eq!(r["values"]["q2"], "bad");
}

#[wasm_bindgen_test]
fn text_that_is_not_json_is_a_report_not_an_exception() {
    let mut e = engine(&survey());
    let r = json(&e.validate("{\"form\": ", TODAY));
    assert_eq!(r["valid"], false);
    assert!(!paths(&r).is_empty() || r["findings"].as_array().is_some_and(|a| !a.is_empty()));
    let s = json(&e.score_report("not json", TODAY));
    assert_eq!(s["valid"], false);
    assert!(s["findings"].as_array().is_some_and(|a| !a.is_empty()));
    let c = json(&e.summary_from_counts("[]"));
    assert!(c["findings"].as_array().is_some_and(|a| !a.is_empty()));
}

#[wasm_bindgen_test]
fn import_json_reports_why_and_accepts_a_response() {
    let e = engine(&survey());
    let bad = json(&e.import_json("{\"form\": \"t-survey\", "));
    assert_eq!(bad["ok"], false);
    assert!(bad["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    let good = json(&e.import_json(r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#));
    assert_eq!(good["ok"], true, "{good}");
    assert_eq!(good["response"]["values"]["q1"], "good");
}

#[wasm_bindgen_test]
fn export_json_records_validity_even_for_drafts() {
    let mut e = engine(&survey());
    let out = json(&e.export_json(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#,
        TODAY,
    ));
    assert_eq!(out["form"], "t-survey");
    assert_eq!(out["valid"], false);
    assert_eq!(out["values"]["q1"], "good");
}

#[wasm_bindgen_test]
fn roster_csv_round_trip_and_bad_id_flagged_on_its_row() {
    let mut e = engine(ROSTER);
    let csv = e.export_csv(
        "trainees",
        r#"[{"name":"=SUM(A1)","id_number":"11010519491231002X"}]"#,
    );
    assert!(csv.starts_with('\u{feff}'), "BOM expected");
    assert!(csv.contains("姓名"));
    assert!(csv.contains("'=SUM(A1)"), "formula guard: {csv}");

    let text = "姓名,身份证号码\r\n张三,11010519491231002X\r\n李四,110105194912310021\r\n";
    let imported = json(&e.import_csv(text));
    assert_eq!(imported["ok"], true, "{imported}");
    let rows = imported["rows"].clone();
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    let resp = serde_json::json!({"form": "t-roster", "version": 1, "values": {"trainees": rows}});
    let r = json(&e.validate(&resp.to_string(), TODAY));
    let p = paths(&r);
    assert!(p.contains(&"trainees[1].id_number".to_owned()), "{r}");
    assert!(!p.contains(&"trainees[0].id_number".to_owned()), "{r}");
}

#[wasm_bindgen_test]
fn csv_for_a_form_without_tables_is_a_report() {
    let e = engine(&survey());
    let r = json(&e.import_csv("a,b\r\n1,2\r\n"));
    assert_eq!(r["ok"], false);
}

fn file(name: &str, text: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"name".into(), &name.into());
    let _ = js_sys::Reflect::set(&o, &"text".into(), &text.into());
    o.into()
}

#[wasm_bindgen_test]
fn aggregate_counts_valid_files_and_lists_rejected_ones() {
    let mut e = engine(&survey());
    let files = js_sys::Array::new();
    for i in 0..3 {
        let level = if i == 0 { "bad" } else { "good" };
        files.push(&file(
            &format!("s{i}.json"),
            &format!(
                r#"{{"form":"t-survey","version":1,"values":{{"q1":"{level}","q2":"good"}}}}"#
            ),
        ));
    }
    // A file exported from the survey page carries `valid`, `findings` and `computed`
    // too: it is read like the command line reads it and counted.
    files.push(&file(
        "exported.json",
        r#"{"form":"t-survey","version":1,"values":{"q1":"good","q2":"bad"},"valid":true,"findings":[],"computed":{}}"#,
    ));
    files.push(&file("broken.json", "{oops"));
    files.push(&file(
        "missing.json",
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#,
    ));
    files.push(&JsValue::from_f64(7.0)); // not even an object: still a rejected file
    let s = json(&e.aggregate(files, TODAY));
    assert_eq!(s["forms"], 4, "{s}");
    let rejected: Vec<&str> = s["rejected"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["file"].as_str()).collect())
        .unwrap_or_default();
    assert!(rejected.contains(&"broken.json"), "{s}");
    assert!(rejected.contains(&"missing.json"), "{s}");
    assert_eq!(rejected.len(), 3, "{s}");
    assert_eq!(s["indicators"]["q1"]["good"]["count"], 3, "{s}");
}

/// What `site-gen form score` printed for the fixed responses, and what the form page
/// embeds (schema, the notice's rules, the calendar): pinned by the site-gen test
/// `page_data_and_cli_score_match_the_golden_files`.
macro_rules! golden {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/", $name))
    };
}
macro_rules! response {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../site-gen/tests/fixtures/responses/",
            $name
        ))
    };
}

#[wasm_bindgen_test]
fn score_report_is_byte_identical_to_the_command_line() {
    // SITE_GEN_TODAY of the command-line run.
    let today = "2024-10-01";
    let cases = [
        (
            golden!("wenzhou-evaluation.schema.txt"),
            golden!("wenzhou-2020.rules.txt"),
            response!("evaluation-full.json"),
            golden!("evaluation-full.score.json"),
        ),
        (
            golden!("wenzhou-evaluation.schema.txt"),
            golden!("wenzhou-2020.rules.txt"),
            response!("evaluation-partial.json"),
            golden!("evaluation-partial.score.json"),
        ),
        (
            golden!("shandong-acceptance.schema.txt"),
            golden!("shandong-2024.rules.txt"),
            response!("acceptance.json"),
            golden!("acceptance.score.json"),
        ),
    ];
    for (schema, rules, response, cli) in cases {
        let mut e = Engine::new(schema, rules, golden!("calendar.txt"))
            .unwrap_or_else(|_| panic!("the page's data loads"));
        assert_eq!(e.score_report(response, today), cli);
    }
}
