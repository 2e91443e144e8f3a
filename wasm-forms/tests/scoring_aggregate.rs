//! Aggregation of `wenzhou-survey` responses (附件5 → 附件3 五、学员培训工作质量评估表汇总情况).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use wasm_forms::aggregate::{
    aggregate, largest_remainder_tenths, summary_csv, summary_from_counts, SurveyCounts,
    SurveyLayout,
};
use wasm_forms::schema::{parse_toml, FieldType, FormSchema};
use wasm_forms::score::RateRule;
use wasm_forms::validate::Context;

#[path = "fixture/survey.rs"]
mod survey_fixture;
use survey_fixture::RATINGS as IDS;

fn load(id: &str) -> FormSchema {
    let p = format!("{}/../content/forms/{id}.toml", env!("CARGO_MANIFEST_DIR"));
    parse_toml(&std::fs::read_to_string(&p).unwrap()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn schema() -> FormSchema {
    load("wenzhou-survey")
}

/// The form whose counts field summarises the survey, and whose survey_rate rule
/// scores r.
fn evaluation() -> FormSchema {
    load("wenzhou-evaluation")
}

fn ctx() -> Context {
    Context {
        rules: Default::default(),
        calendar: None,
        today: NaiveDate::from_ymd_opt(2020, 12, 1).unwrap(),
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn response(level: &str) -> Value {
    let mut values = serde_json::Map::new();
    for id in IDS {
        values.insert(id.into(), json!(level));
    }
    json!({"form": "wenzhou-survey", "version": 1, "values": values})
}

fn counts(forms: u64, split: [u64; 4]) -> SurveyCounts {
    let v = json!({"forms": forms, "indicators": IDS.iter().map(|id| (id.to_string(), json!({
        "very_satisfied": split[0], "satisfied": split[1], "average": split[2], "dissatisfied": split[3]
    }))).collect::<serde_json::Map<_, _>>()});
    serde_json::from_value(v).unwrap()
}

#[test]
fn largest_remainder_cases() {
    let cases: &[(&[u64], &[u64])] = &[
        (&[1, 1, 1, 0], &[334, 333, 333, 0]), // thirds: the tie goes to 很满意
        (&[0, 1, 1, 1], &[0, 334, 333, 333]),
        (&[1, 2, 0, 0], &[333, 667, 0, 0]), // larger remainder wins
        (&[1, 1, 1, 3], &[167, 167, 166, 500]),
        (&[20, 9, 3, 0], &[625, 281, 94, 0]), // 62.5 / 28.125 / 9.375
        (&[32, 0, 0, 0], &[1000, 0, 0, 0]),
        (&[0, 0, 0, 0], &[0, 0, 0, 0]), // no forms: no percentages
        (&[1, 1, 1, 1, 1, 1, 1], &[143, 143, 143, 143, 143, 143, 142]),
    ];
    for (c, want) in cases {
        assert_eq!(largest_remainder_tenths(c), *want, "{c:?}");
    }
}

#[test]
fn summary_from_typed_in_counts() {
    let s = summary_from_counts(&evaluation(), &counts(32, [20, 9, 3, 0]));
    assert!(s.findings.is_empty(), "{:?}", s.findings);
    let g = &s.indicators["goal_setting"];
    let p: Vec<String> = ["very_satisfied", "satisfied", "average", "dissatisfied"]
        .iter()
        .map(|l| g[*l].percent.to_string())
        .collect();
    assert_eq!(p, ["62.5", "28.1", "9.4", "0.0"]);
    assert_eq!(g["satisfied"].count, 9);
    // r = 29 / 32 = 90.625 % → 90.63 shown, score 8.
    assert_eq!(s.satisfaction_rate, Some(dec("90.63")));
    assert_eq!(s.satisfaction_score, Some(dec("8")));
    let j = serde_json::to_value(&s).unwrap();
    assert_eq!(
        j["indicators"]["goal_setting"]["very_satisfied"],
        json!({"count": 20, "percent": 62.5})
    );
    assert_eq!(j["satisfaction_rate"], json!(90.63));
    // …and its one written form, for every page to show as it is.
    assert_eq!(j["satisfaction_rate_text"], json!("90.63%"));
}

#[test]
fn satisfaction_rate_is_rounded_half_up_to_two_decimals() {
    // 1 satisfied rating out of 800: r = 0.125 % → 0.13, score 4.
    let mut c = counts(80, [0, 0, 0, 80]);
    let g = c.indicators.get_mut("goal_setting").unwrap();
    g.insert("dissatisfied".into(), 79);
    g.insert("very_satisfied".into(), 1);
    let s = summary_from_counts(&evaluation(), &c);
    assert_eq!(s.satisfaction_rate, Some(dec("0.13")));
    assert_eq!(s.satisfaction_rate_text.as_deref(), Some("0.13%"));
    assert_eq!(s.satisfaction_score, Some(dec("4")));
}

#[test]
fn satisfaction_rate_has_one_written_form_with_two_decimals() {
    // A whole r keeps its two decimals (78.00%, never 78% on one page and 78.00% on
    // another); no rating: no text.
    let c = counts(50, [20, 19, 11, 0]);
    let s = summary_from_counts(&evaluation(), &c);
    assert_eq!(s.satisfaction_rate, Some(dec("78")));
    assert_eq!(s.satisfaction_rate_text.as_deref(), Some("78.00%"));
    let all = summary_from_counts(&evaluation(), &counts(4, [4, 0, 0, 0]));
    assert_eq!(all.satisfaction_rate_text.as_deref(), Some("100.00%"));
    let none = summary_from_counts(&evaluation(), &counts(0, [0, 0, 0, 0]));
    assert_eq!(none.satisfaction_rate_text, None);
}

#[test]
fn counts_that_do_not_add_up_are_findings() {
    let mut c = counts(10, [5, 5, 0, 0]);
    c.indicators.remove("faculty");
    c.indicators.insert("food".into(), Default::default());
    c.indicators
        .get_mut("work_help")
        .unwrap()
        .insert("average".into(), 1);
    let s = summary_from_counts(&evaluation(), &c);
    let paths: Vec<&str> = s.findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "indicators.faculty",
            "indicators.work_help",
            "indicators.food"
        ]
    );
    assert!(s.findings[1]
        .message
        .contains("之和为 11，与评估表份数 10 不符"));
}

#[test]
fn zero_forms_give_no_rate_and_zero_percentages() {
    let s = summary_from_counts(&evaluation(), &counts(0, [0, 0, 0, 0]));
    assert_eq!(s.satisfaction_rate, None);
    assert_eq!(s.satisfaction_score, None);
    assert!(s.indicators["faculty"]
        .values()
        .all(|l| l.percent.is_zero()));
}

#[test]
fn batch_with_bad_files_never_stops() {
    let mut missing = response("satisfied");
    missing["values"].as_object_mut().unwrap().remove("faculty");
    let mut bad_level = response("satisfied");
    bad_level["values"]["work_help"] = json!("great");
    let inputs = vec![
        ("a.json".to_owned(), Ok(response("very_satisfied"))),
        ("b.json".to_owned(), Ok(response("satisfied"))),
        ("c.json".to_owned(), Ok(response("average"))),
        (
            "unreadable.json".to_owned(),
            Err("expected value at line 1 column 1".to_owned()),
        ),
        ("missing.json".to_owned(), Ok(missing)),
        ("bad-level.json".to_owned(), Ok(bad_level)),
        ("array.json".to_owned(), Ok(json!([1, 2]))),
        (
            "other-form.json".to_owned(),
            Ok(json!({"form": "wenzhou-evaluation", "version": 1, "values": {}})),
        ),
    ];
    let eval = evaluation();
    let s = aggregate(&schema(), &inputs, &ctx(), RateRule::of(&eval));
    assert_eq!(s.forms, 3);
    let files: Vec<&str> = s.rejected.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "unreadable.json",
            "missing.json",
            "bad-level.json",
            "array.json",
            "other-form.json"
        ]
    );
    assert!(s.rejected.iter().all(|r| !r.findings.is_empty()));
    assert!(s.rejected[0].findings[0].message.contains("expected value"));
    assert!(
        s.rejected[1].findings.iter().any(|f| f.path == "faculty"),
        "{:?}",
        s.rejected[1]
    );
    assert!(
        s.rejected[2].findings.iter().any(|f| f.path == "work_help"),
        "{:?}",
        s.rejected[2]
    );
    let f = &s.indicators["faculty"];
    assert_eq!(f["very_satisfied"].percent, dec("33.4"));
    assert_eq!(f["satisfied"].percent, dec("33.3"));
    assert_eq!(f["average"].percent, dec("33.3"));
    // r = 20 / 30.
    assert_eq!(s.satisfaction_rate, Some(dec("66.67")));
    assert_eq!(s.satisfaction_score, Some(dec("6")));
    // Same numbers from the counts.
    let again = summary_from_counts(&evaluation(), &s.counts);
    assert_eq!(again.indicators, s.indicators);
    assert_eq!(again.satisfaction_rate, s.satisfaction_rate);
}

#[test]
fn csv_table_has_bom_crlf_and_the_seed_header() {
    let s = summary_from_counts(&evaluation(), &counts(32, [20, 9, 3, 0]));
    let csv = summary_csv(&s, &SurveyLayout::from_schema(&schema()).unwrap());
    assert!(csv.starts_with("\u{feff}评估内容,评估指标,很满意,满意,一般,不满意\r\n"));
    let lines: Vec<&str> = csv.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[1], "培训设计,目标设定,62.5%,28.1%,9.4%,0.0%");
    assert_eq!(
        lines[10],
        "培训效果,对个人成长帮助程度,62.5%,28.1%,9.4%,0.0%"
    );
    assert!(!csv.replace("\r\n", "").contains('\n'));
}

#[test]
fn layout_from_the_survey_schema_matches_the_seed_and_the_evaluation() {
    let survey = SurveyLayout::from_schema(&schema()).unwrap();
    let ids: Vec<&str> = survey.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, IDS);
    let satisfied: Vec<&str> = survey
        .levels
        .iter()
        .filter(|l| l.satisfied)
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(satisfied, ["很满意", "满意"]);
    // The evaluation's counts field has the very same rows, groups and levels.
    let eval = evaluation();
    let counts = eval.fields().find(|f| f.kind == FieldType::Counts).unwrap();
    assert_eq!(SurveyLayout::from_counts_field(counts), survey);
    // Without a rating matrix there is nothing to aggregate.
    assert_eq!(SurveyLayout::from_schema(&eval), None);
}

#[test]
fn without_the_summarising_form_r_is_not_scored() {
    let inputs = vec![("a.json".to_owned(), Ok(response("satisfied")))];
    let s = aggregate(&schema(), &inputs, &ctx(), None);
    assert_eq!(s.satisfaction_rate, Some(dec("100")));
    assert_eq!(s.satisfaction_score, None);
    assert_eq!(s.counts.forms, 1);
}
