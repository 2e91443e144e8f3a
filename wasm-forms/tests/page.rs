//! The form page's engine (`wasm_forms::page::Page`), natively: what every browser
//! binding calls (web/*: each bundle's `Engine` forwards to these methods). JSON text in,
//! the core's answer out; invalid input is always a report (data), never an error. Only
//! the page's own embedded data (schema, rules, calendar) may fail, naming the part.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use serde_json::{json, Value};
use wasm_forms::page::{needs_scoring, Page, Upload};
use wasm_forms::schema::FormSchema;

const TODAY: &str = "2024-09-01";

/// A two-question survey with a rating matrix, as `parse_toml` serialises it (each row
/// carries the matrix levels as its options).
const SURVEY: &str = r#"{"id":"t-survey","title":"问卷","version":1,"sections":[
  {"legend":"评估等级","matrix":[{"id":"good","label":"满意","satisfied":true},{"id":"bad","label":"不满意"}],
   "fields":[{"id":"q1","label":"目标设定","type":"choice","required":true,"options":LEVELS},
             {"id":"q2","label":"课程设置","type":"choice","required":true,"options":LEVELS}]}]}"#;

/// A roster with a name and an id number per row.
const ROSTER: &str = r#"{"id":"t-roster","title":"名单","version":1,"sections":[
  {"legend":"学员","fields":[{"id":"trainees","label":"学员","type":"table","columns":[
    {"id":"name","label":"姓名","type":"text","required":true},
    {"id":"id_number","label":"身份证号码","type":"id_number","required":true}]}]}]}"#;

fn survey() -> String {
    SURVEY.replace(
        "LEVELS",
        r#"[{"id":"good","label":"满意","satisfied":true},{"id":"bad","label":"不满意"}]"#,
    )
}

/// A schema written here as JSON, in the wire form the page embeds.
fn wire(schema_json: &str) -> String {
    let schema: FormSchema = serde_json::from_str(schema_json)
        .unwrap_or_else(|e| panic!("test schema is not a FormSchema ({e})"));
    wasm_forms::wire::encode(&schema).unwrap()
}

fn page<const S: bool>(schema_json: &str) -> Page<S> {
    Page::new(&wire(schema_json), "{}", "null").unwrap()
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
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

fn upload(name: &str, text: &str) -> Upload {
    Upload {
        name: Some(name.to_owned()),
        text: Some(text.to_owned()),
    }
}

fn response(q1: &str, q2: &str, id: Option<&str>) -> String {
    let mut r = json!({"form": "t-survey", "version": 1, "values": {"q1": q1, "q2": q2}});
    if let Some(id) = id {
        r["response_id"] = json!(id);
    }
    r.to_string()
}

macro_rules! golden {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/", $name))
    };
}

#[test]
fn broken_embedded_data_is_the_one_error_and_names_the_part() {
    let w = wire(&survey());
    let e = Page::<true>::new("{not json", "{}", "null")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("schema (wire form)"), "{e}");
    // A schema as JSON is not the wire form; a cut one is refused too.
    assert!(Page::<true>::new(&survey(), "{}", "null").is_err());
    assert!(Page::<true>::new(&w[..w.len() / 2], "{}", "null").is_err());
    let e = Page::<true>::new(&w, r#"{"min_trainees": "many"}"#, "null")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("notice rules (wire form)"), "{e}");
    let e = Page::<true>::new(&w, "{}", "[1]").unwrap_err().to_string();
    assert!(e.starts_with("calendar (wire form)"), "{e}");
    assert!(
        Page::<true>::new(&w, "", "").is_ok(),
        "empty rules and calendar: none"
    );
}

#[test]
fn page_errors_are_typed_naming_the_part_and_the_binding_gets_the_same_text() {
    use wasm_forms::page::{PageError, Part};
    use wasm_forms::wire::WireError;
    let w = wire(&survey());
    // Text that is not base64url, part by part.
    let cases = [
        (Page::<true>::new("{not json", "{}", "null"), Part::Schema),
        (
            Page::<true>::new(&w, "{\"min_trainees\": 30}", "null"),
            Part::Rules,
        ),
        (Page::<true>::new(&w, "{}", "[1]"), Part::Calendar),
    ];
    for (result, part) in cases {
        assert_eq!(
            result.unwrap_err(),
            PageError::Wire(part, WireError::NotBase64)
        );
    }
    let mut p = page::<false>(&survey());
    let e = p.set_summarised_by("%%").unwrap_err();
    assert_eq!(e, PageError::Wire(Part::SummarisedBy, WireError::NotBase64));
    assert_eq!(
        e.to_string(),
        "summarising form's schema (wire form): not base64url text"
    );
    // Base64url that is not the type's postcard: postcard's reason follows.
    let e = p.set_rules("AAAA").unwrap_err();
    assert!(
        matches!(e, PageError::Wire(Part::Rules, WireError::NotThisType(_))),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.starts_with("notice rules (wire form): not a wire form of this type: "),
        "{text}"
    );
    let e = Page::<false>::new(
        golden!("wenzhou-evaluation.schema.txt"),
        golden!("wenzhou-2020.rules.txt"),
        golden!("calendar.txt"),
    )
    .unwrap_err();
    assert_eq!(e, PageError::NeedsScoring);
    assert_eq!(
        e.to_string(),
        "schema: 本表有评分或问卷汇总，应加载评价报告的表单引擎 \
         wasm_forms_evaluation.js（本引擎不含评分）"
    );
}

#[test]
fn an_engine_without_scoring_refuses_a_scored_form_naming_the_bundle_to_load() {
    let schema = golden!("wenzhou-evaluation.schema.txt");
    let rules = golden!("wenzhou-2020.rules.txt");
    let calendar = golden!("calendar.txt");
    let e = Page::<false>::new(schema, rules, calendar)
        .unwrap_err()
        .to_string();
    assert!(e.contains("wasm_forms_evaluation.js"), "{e}");
    assert!(Page::<true>::new(schema, rules, calendar).is_ok());
    let decoded: FormSchema = wasm_forms::wire::decode(schema).unwrap();
    assert!(needs_scoring(&decoded));
    let plain: FormSchema = serde_json::from_str(&survey()).unwrap();
    assert!(!needs_scoring(&plain));
    assert!(Page::<false>::new(&wire(&survey()), "{}", "null").is_ok());
}

#[test]
fn rules_can_be_switched_and_bad_rules_are_refused() {
    let mut p = page::<false>(&survey());
    let rules = wasm_forms::NoticeRules {
        min_trainees: Some(30),
        ..Default::default()
    };
    assert!(p
        .set_rules(&wasm_forms::wire::encode(&rules).unwrap())
        .is_ok());
    assert!(p.set_rules("").is_ok(), "no rules");
    // Rules as JSON are not the wire form.
    assert!(p.set_rules(r#"{"min_trainees": 30}"#).is_err());
    assert!(p.set_rules("[1,2]").is_err());
    assert_eq!(p.form_id(), "t-survey");
}

#[test]
fn validation_reports_each_missing_rating_at_its_path() {
    let mut p = page::<false>(&survey());
    let r = json(&p.validate(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#,
        TODAY,
    ));
    assert_eq!(r["valid"], false);
    assert!(paths(&r).contains(&"q2".to_owned()), "{r}");
    assert!(!paths(&r).contains(&"q1".to_owned()), "{r}");
    let r = json(&p.validate(&response("good", "bad", None), TODAY));
    assert_eq!(r["valid"], true, "{r}");
    assert_eq!(r["values"]["q2"], "bad");
}

#[test]
fn text_that_is_not_json_is_a_report_not_an_error() {
    let mut p = page::<true>(&survey());
    let r = json(&p.validate("{\"form\": ", TODAY));
    assert_eq!(r["valid"], false);
    assert!(r["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("不是有效的 JSON")));
    let s = json(&p.score_report("not json", TODAY));
    assert_eq!(s["valid"], false);
    assert!(s["findings"].as_array().is_some_and(|a| !a.is_empty()));
    let bad = json(&p.import_json("{\"form\": \"t-survey\", "));
    assert_eq!(bad["ok"], false);
    let good = json(&p.import_json(&response("good", "bad", None)));
    assert_eq!(good["ok"], true, "{good}");
    assert_eq!(good["response"]["values"]["q1"], "good");
}

#[test]
fn export_json_records_validity_even_for_drafts() {
    let mut p = page::<false>(&survey());
    let out = json(&p.export_json(
        r#"{"form":"t-survey","version":1,"values":{"q1":"good"}}"#,
        TODAY,
    ));
    assert_eq!(out["form"], "t-survey");
    assert_eq!(out["valid"], false);
    assert_eq!(out["values"]["q1"], "good");
}

#[test]
fn export_json_stores_values_as_the_check_normalised_them_and_keeps_the_rest() {
    let mut p = page::<false>(ROSTER);
    let out = json(&p.export_json(
        r#"{"form":"t-roster","version":1,"values":{"trainees":[
            {"name":" 张三 ","id_number":"11010519491231002x"},
            {"name":"李四","id_number":"123"}],"mine":"kept"}}"#,
        TODAY,
    ));
    let rows = &out["values"]["trainees"];
    // The lower-case x the page said it turned into X is stored so.
    assert_eq!(rows[0]["id_number"], "11010519491231002X", "{out}");
    // A value that failed keeps its text; a key the form lacks stays.
    assert_eq!(rows[1]["id_number"], "123", "{out}");
    assert_eq!(out["values"]["mine"], "kept", "{out}");

    let mut d = page::<false>(
        r#"{"id":"t-date","title":"表","version":1,"sections":[{"legend":"一","fields":[
        {"id":"fill_date","label":"填表时间","type":"date"}]}]}"#,
    );
    for typed in [
        "2020/9/1",
        "2020.9.1",
        "2020年9月1日",
        "20200901",
        "２０２０-０９-０１",
    ] {
        let out = json(&d.export_json(
            &format!(r#"{{"form":"t-date","version":1,"values":{{"fill_date":"{typed}"}}}}"#),
            TODAY,
        ));
        assert_eq!(out["values"]["fill_date"], "2020-09-01", "{typed}: {out}");
    }
}

#[test]
fn roster_csv_round_trip_and_bad_id_flagged_on_its_row() {
    let mut p = page::<false>(ROSTER);
    let csv = p.export_csv(
        "trainees",
        r#"[{"name":"=SUM(A1)","id_number":"11010519491231002X"}]"#,
    );
    assert!(csv.starts_with('\u{feff}'), "BOM expected");
    assert!(csv.contains("'=SUM(A1)"), "formula guard: {csv}");
    assert_eq!(
        p.export_csv("trainees", "not json"),
        p.export_csv("trainees", "[]")
    );

    let text = "姓名,身份证号码\r\n张三,11010519491231002X\r\n李四,110105194912310021\r\n";
    let imported = json(&p.import_csv(text));
    assert_eq!(imported["ok"], true, "{imported}");
    let rows = imported["rows"].clone();
    let resp = json!({"form": "t-roster", "version": 1, "values": {"trainees": rows}});
    let r = json(&p.validate(&resp.to_string(), TODAY));
    assert!(
        paths(&r).contains(&"trainees[1].id_number".to_owned()),
        "{r}"
    );
    assert!(
        !paths(&r).contains(&"trainees[0].id_number".to_owned()),
        "{r}"
    );

    let cells = json(&p.import_cells(
        r#"[[{"t":"s","v":"姓名"},{"t":"s","v":"身份证号码"}],[{"t":"s","v":"张三"},{"t":"s","v":"11010519491231002X"}]]"#,
    ));
    assert_eq!(cells["ok"], true, "{cells}");
    assert_eq!(cells["rows"][0]["name"], "张三");
    let broken = json(&p.import_cells("{oops"));
    assert_eq!(broken["ok"], false);
    assert_eq!(json(&p.sniff_csv("姓名".as_bytes()))["label"], "utf-8");
}

#[test]
fn score_report_is_byte_identical_to_the_command_line() {
    // What `site-gen form score` printed (SITE_GEN_TODAY=2024-10-01) for the fixed
    // responses, pinned by the site-gen test `page_data_and_cli_score_match_the_golden_files`.
    macro_rules! response {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../site-gen/tests/fixtures/responses/",
                $name
            ))
        };
    }
    let cases = include!("golden/score_cases.rs");
    for (schema, rules, response, cli) in cases {
        let mut p = Page::<true>::new(schema, rules, golden!("calendar.txt")).unwrap();
        assert_eq!(p.score_report(response, "2024-10-01"), cli);
    }
}

#[test]
fn counts_are_read_as_the_derived_reader_did_and_bad_ones_say_where() {
    let p = Page::<true>::new(
        golden!("wenzhou-evaluation.schema.txt"),
        golden!("wenzhou-2020.rules.txt"),
        golden!("calendar.txt"),
    )
    .unwrap();
    let message = |counts: &str| {
        let r = json(&p.summary_from_counts(counts));
        assert_eq!(r["findings"][0]["path"], "survey", "{r}");
        r["findings"][0]["message"].as_str().unwrap().to_owned()
    };
    assert!(message("{oops").contains("不是有效的 JSON"));
    assert!(message("[]").contains("应为对象"));
    assert!(message(r#"{"forms": 1}"#).contains("缺少 indicators"));
    assert!(message(r#"{"forms": 1, "indicators": {}, "x": 1}"#).contains("未知的键“x”"));
    assert!(message(r#"{"forms": -1, "indicators": {}}"#).contains("forms"));
    assert!(message(r#"{"forms": 1, "indicators": {"a": {"b": 1.5}}}"#).contains("indicators.a.b"));
    // Good counts give the summary, the same as the typed reader's counts would.
    let r = json(&p.summary_from_counts(r#"{"forms": 0, "indicators": {}}"#));
    assert_eq!(r["forms"], 0, "{r}");
    assert!(r.get("indicators").is_some(), "{r}");
}

#[test]
fn a_collection_adds_codes_and_files_counts_a_response_once_and_exports_codes() {
    let mut survey_page = page::<false>(&survey());
    let code = |p: &mut Page<false>, r: &str| {
        let h = json(&p.handin(r, TODAY));
        assert_eq!(h["ok"], true, "{h}");
        h["code"].as_str().unwrap().to_owned()
    };
    let a = code(
        &mut survey_page,
        &response("good", "good", Some("00000000000000a1")),
    );
    let b = code(
        &mut survey_page,
        &response("bad", "good", Some("00000000000000b2")),
    );
    let refused =
        json(&survey_page.handin(r#"{"form":"t-survey","version":1,"values":{}}"#, TODAY));
    assert_eq!(refused["ok"], false);

    let mut c = page::<false>(&survey());
    let batch = [
        upload("聊天记录", &format!("学员甲\n{a}\n学员乙\n{b}\n")),
        upload("again.txt", &a),
        upload("broken.json", "{oops"),
        Upload::default(),
    ];
    let out = json(&c.collect_add("[]", &batch, TODAY));
    let report = &out["report"];
    assert_eq!(report["added"].as_array().map(Vec::len), Some(2), "{out}");
    assert_eq!(report["duplicates"][0]["source"], "again.txt", "{out}");
    let rejected: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["file"].as_str())
        .collect();
    assert_eq!(rejected, ["broken.json", "第 4 项"], "{out}");

    let entries = out["entries"].to_string();
    let s = json(&c.collect_summary(&entries, "", TODAY));
    assert_eq!(s["counted"], 2, "{s}");
    assert_eq!(s["summary"]["indicators"]["q1"]["good"]["count"], 1, "{s}");
    assert!(
        s["csv"].as_str().is_some_and(|t| t.contains("目标设定")),
        "{s}"
    );

    // The export reads back as the same responses: all duplicates of what is there.
    let text = c.collect_export(&entries);
    assert!(text.starts_with("# 问卷：2 份问卷的提交码"), "{text}");
    let again = json(&c.collect_add(&entries, &[upload("export.txt", &text)], TODAY));
    assert_eq!(
        again["report"]["duplicates"].as_array().map(Vec::len),
        Some(2),
        "{again}"
    );
    // A collection that is not one is empty, never an error.
    assert_eq!(json(&c.collect_summary("{oops", "", TODAY))["counted"], 0);
    assert_eq!(
        json(&c.collect_summary(r#"[{"x":1}]"#, "", TODAY))["counted"],
        0
    );
}

#[test]
fn the_survey_import_carries_counts_and_keeps_typed_in_ones() {
    let mut p = page::<true>(&survey());
    let files = [
        upload(
            "a.json",
            &response("good", "good", Some("00000000000000a1")),
        ),
        upload("b.json", &response("bad", "good", Some("00000000000000b2"))),
    ];
    // Three forms typed in from paper before: they stay.
    let typed =
        r#"{"forms": 3, "indicators": {"q1": {"good": 3, "bad": 0}, "q2": {"good": 2, "bad": 1}}}"#;
    let out = json(&p.survey_import("[]", typed, &files, TODAY));
    assert_eq!(out["counts"]["forms"], 5, "{out}");
    assert_eq!(out["counts"]["indicators"]["q1"]["good"], 4, "{out}");
    assert_eq!(out["counts"]["indicators"]["q1"]["bad"], 1, "{out}");
    assert_eq!(out["without_id"], 0);
    // Importing the same files again adds nothing.
    let again = json(&p.survey_import(
        &out["entries"].to_string(),
        &out["counts"].to_string(),
        &files,
        TODAY,
    ));
    assert_eq!(again["counts"], out["counts"], "{again}");
    assert_eq!(
        again["report"]["duplicates"].as_array().map(Vec::len),
        Some(2)
    );
    // Counts that are not counts are none.
    let fresh = json(&p.survey_import("[]", "oops", &files[..1], TODAY));
    assert_eq!(fresh["counts"]["forms"], 1, "{fresh}");
}
