//! Test helpers: the calendar of `content/` and the `[rules]` of the two notices.

use wasm_forms::calendar::{parse_year, Calendar};
use wasm_forms::validate::Context;
use wasm_forms::NoticeRules;

use crate::core_support::{content, d};

pub fn calendar() -> Calendar {
    let mut years = Vec::new();
    for y in [2020, 2024, 2025] {
        let path = content().join("calendar").join(format!("{y}.toml"));
        let src = std::fs::read_to_string(&path).unwrap();
        years.push(parse_year(&src).unwrap());
    }
    Calendar::from_years(years).unwrap()
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
