//! Deadlines of the two notices' rules against the real calendars.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use chrono::NaiveDate;
use wasm_forms::calendar::{parse_year, Calendar};
use wasm_forms::deadlines::deadlines;
use wasm_forms::NoticeRules;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    let years = [2020, 2024, 2025, 2026]
        .into_iter()
        .map(|y| {
            let p = format!(
                "{}/../content/calendar/{y}.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            parse_year(&std::fs::read_to_string(&p).unwrap()).unwrap()
        })
        .collect();
    Calendar::from_years(years).unwrap()
}

/// 温人社发〔2020〕77号: 办班前10个工作日 / 办班结束后20个工作日内 / 2-3 days / by Nov 30.
fn wenzhou() -> NoticeRules {
    NoticeRules {
        min_trainees: Some(30),
        days: Some([2.0, 3.0]),
        plan_due_working_days: Some(10),
        report_due_working_days: Some(20),
        complete_by: Some(d("2020-11-30")),
        ..NoticeRules::default()
    }
}

fn shandong() -> NoticeRules {
    NoticeRules {
        min_trainees: Some(30),
        days: Some([3.0, 5.0]),
        min_hours: Some(24.0),
        plan_due_working_days: Some(10),
        report_due_working_days: Some(15),
        complete_by: Some(d("2024-11-15")),
    }
}

#[test]
fn wenzhou_办班前10个工作日_and_结束后20个工作日内() {
    let r = deadlines(&wenzhou(), &cal(), d("2020-10-12"), d("2020-10-14"));
    assert!(r.ok(), "{:?}", r.findings);
    assert_eq!(r.course_days, 3);
    // Oct 10 (Saturday) and Oct 9 count, Oct 1-8 are off, Sep 27 (Sunday) is worked.
    assert_eq!(r.plan_due, Some(d("2020-09-22")));
    assert_eq!(r.report_due, Some(d("2020-11-11")));
    assert_eq!(r.complete_by, Some(d("2020-11-30")));
    let text = r.to_string();
    assert!(text.contains("办班方案报送截止：2020-09-22"), "{text}");
}

#[test]
fn shandong_deadlines_around_national_day_2024() {
    let r = deadlines(&shandong(), &cal(), d("2024-10-08"), d("2024-10-10"));
    assert!(r.ok(), "{:?}", r.findings);
    assert_eq!(r.plan_due, Some(d("2024-09-18")));
    assert_eq!(r.report_due, Some(d("2024-10-30")));
}

#[test]
fn too_long_a_course_and_late_end_are_findings() {
    let r = deadlines(&shandong(), &cal(), d("2024-11-14"), d("2024-11-20"));
    assert!(!r.ok());
    let msgs: Vec<_> = r.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("共 7 天") && m.contains("应为 3-5 天")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("晚于通知要求的完成日期 2024-11-15")),
        "{msgs:?}"
    );
}

#[test]
fn too_short_a_course_is_a_finding() {
    let r = deadlines(&wenzhou(), &cal(), d("2020-10-12"), d("2020-10-12"));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert!(r.findings[0].message.contains("应为 2-3 天"));
}

#[test]
fn start_after_end_is_a_finding() {
    let r = deadlines(&wenzhou(), &cal(), d("2020-10-14"), d("2020-10-12"));
    assert!(!r.ok());
    assert!(
        r.findings[0].message.contains("早于开始日期"),
        "{:?}",
        r.findings
    );
    assert_eq!(r.course_days, 0);
}

#[test]
fn missing_calendar_year_is_a_finding_naming_the_year() {
    let r = deadlines(&wenzhou(), &cal(), d("2021-10-12"), d("2021-10-14"));
    assert!(!r.ok());
    assert_eq!(r.plan_due, None);
    assert_eq!(r.report_due, None);
    assert!(
        r.findings
            .iter()
            .any(|f| f.message.contains("缺少 2021 年")),
        "{:?}",
        r.findings
    );
}

#[test]
fn rules_without_deadlines_give_none() {
    let r = deadlines(
        &NoticeRules::default(),
        &cal(),
        d("2024-10-08"),
        d("2024-10-10"),
    );
    assert!(r.ok());
    assert_eq!((r.plan_due, r.report_due), (None, None));
    let json = serde_json::to_value(&r).unwrap();
    // The contract's keys are always there, null when the notice sets no such rule.
    for key in ["plan_due", "report_due", "complete_by"] {
        assert_eq!(json.get(key), Some(&serde_json::Value::Null), "{key}");
    }
}
