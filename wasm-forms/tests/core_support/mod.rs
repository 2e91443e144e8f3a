//! Shared helpers of the `core_*` tests: schemas and calendars from `content/`, notice
//! rules as the two notices set them, valid id numbers.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{json, Value};
use wasm_forms::calendar::{parse_year, Calendar};
use wasm_forms::fields::id_check_char;
use wasm_forms::schema::{parse_toml, FormSchema};
use wasm_forms::validate::{validate, Context, Report};
use wasm_forms::NoticeRules;

pub fn content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

pub fn schema(id: &str) -> FormSchema {
    let path = content().join("forms").join(format!("{id}.toml"));
    let src = std::fs::read_to_string(&path).unwrap();
    parse_toml(&src).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

pub fn calendar() -> Calendar {
    let mut years = Vec::new();
    for y in [2020, 2024, 2025] {
        let path = content().join("calendar").join(format!("{y}.toml"));
        let src = std::fs::read_to_string(&path).unwrap();
        years.push(parse_year(&src).unwrap());
    }
    Calendar::from_years(years).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `[rules]` of wenzhou-2020.
pub fn wenzhou_rules() -> NoticeRules {
    NoticeRules {
        min_trainees: Some(30),
        days: Some([2.0, 3.0]),
        min_hours: None,
        plan_due_working_days: Some(10),
        report_due_working_days: Some(20),
        complete_by: Some(d("2020-11-30")),
    }
}

/// `[rules]` of shandong-2024.
pub fn shandong_rules() -> NoticeRules {
    NoticeRules {
        min_trainees: Some(30),
        days: Some([3.0, 5.0]),
        min_hours: Some(24.0),
        plan_due_working_days: Some(10),
        report_due_working_days: Some(15),
        complete_by: Some(d("2024-11-15")),
    }
}

pub fn ctx(rules: NoticeRules) -> Context {
    Context {
        rules,
        calendar: Some(calendar()),
        today: d("2024-07-10"),
    }
}

/// A valid id number born 1980-01-01 + `n` days, with digit 17 odd (男) or even (女).
pub fn id(n: u32, male: bool) -> String {
    let birth = d("1980-01-01") + chrono::Duration::days(i64::from(n % 7000));
    let seq = (n % 50) * 2 + u32::from(male);
    let body = format!("330302{}{:03}", birth.format("%Y%m%d"), seq);
    let check = id_check_char(&body).unwrap();
    format!("{body}{check}")
}

pub fn response(form: &str, values: Value) -> Value {
    json!({ "form": form, "version": 1, "values": values })
}

pub fn run(form: &str, values: Value, rules: NoticeRules) -> Report {
    validate(&schema(form), &response(form, values), &ctx(rules))
}

/// Findings at exactly this path.
pub fn at<'a>(r: &'a Report, path: &str) -> Vec<&'a wasm_forms::Finding> {
    r.findings.iter().filter(|f| f.path == path).collect()
}

pub fn has(r: &Report, path: &str, needle: &str) -> bool {
    at(r, path).iter().any(|f| f.message.contains(needle))
}

pub fn dump(r: &Report) -> String {
    r.findings
        .iter()
        .map(|f| format!("{:?} {}: {}", f.severity, f.path, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}
