//! The rules a notice sets for its programs (`[rules]` of a notice file).
//!
//! Forms never copy these numbers: the minimum number of trainees, the range of course
//! days, the minimum hours and the working-day deadlines are read from the notice that
//! attaches the form. Every field is serialised (the page carries the rules in
//! [`crate::wire`]'s form, which has no keys to leave out).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `[rules]` of a notice; every key optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeRules {
    /// 每期学员不少于 N 名 / 学员不少于 N 人.
    #[serde(default)]
    pub min_trainees: Option<u32>,
    /// 研修时间 min-max 天, inclusive (may be halves, e.g. 2.5).
    #[serde(default)]
    pub days: Option<[f64; 2]>,
    /// 不少于 N 学时.
    #[serde(default)]
    pub min_hours: Option<f64>,
    /// The plan is filed N working days before the start.
    #[serde(default)]
    pub plan_due_working_days: Option<u32>,
    /// The report is due within N working days after the end.
    #[serde(default)]
    pub report_due_working_days: Option<u32>,
    /// Every program is done by this date.
    #[serde(default, deserialize_with = "crate::date::deserialize_opt")]
    pub complete_by: Option<NaiveDate>,
}
