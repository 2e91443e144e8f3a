//! The deadlines a notice's `[rules]` set for one program, in working days.
//!
//! This module owns the computation behind `site-gen deadlines`: from the notice's rules,
//! the holiday calendars and a program's start and end dates, the plan's due date (the
//! N-th working day strictly before the start), the report's due date (the N-th working
//! day strictly after the end), and the rules the dates themselves break (course days
//! outside the notice's range, an end after the completion date, a start after the end,
//! a year without a calendar).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::finding::{all_valid, Finding};
use crate::rules::NoticeRules;

/// Deadlines of one program and the notice's rules its dates break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadlines {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Calendar days from start to end, both included (0 when start > end).
    pub course_days: i64,
    /// The plan is due on this day (`plan_due_working_days` working days before the start);
    /// `null` when the notice sets no such rule or a calendar year is missing.
    #[serde(default)]
    pub plan_due: Option<NaiveDate>,
    /// The report is due on this day (`report_due_working_days` working days after the end).
    #[serde(default)]
    pub report_due: Option<NaiveDate>,
    /// The notice's completion date, copied from the rules.
    #[serde(default)]
    pub complete_by: Option<NaiveDate>,
    /// The rules used.
    pub rules: NoticeRules,
    /// Broken rules (errors) and missing calendar years (errors naming the year).
    pub findings: Vec<Finding>,
}

impl Deadlines {
    /// True when no rule is broken and every deadline could be computed.
    pub fn ok(&self) -> bool {
        all_valid(&self.findings)
    }
}

fn fmt_days(d: f64) -> String {
    // Day counts are whole or halves; print 2 or 2.5, never 2.0.
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d}")
    }
}

/// Computes the deadlines of a program running from `start` to `end` (inclusive).
/// Never panics; every problem becomes a finding.
pub fn deadlines(
    rules: &NoticeRules,
    cal: &Calendar,
    start: NaiveDate,
    end: NaiveDate,
) -> Deadlines {
    let mut findings = Vec::new();
    let course_days = if start <= end {
        (end - start).num_days() + 1
    } else {
        findings.push(Finding::error(
            "end",
            format!("结束日期 {end} 早于开始日期 {start}；结束日期应不早于开始日期"),
        ));
        0
    };

    if let (Some([lo, hi]), true) = (rules.days, start <= end) {
        let n = course_days as f64;
        if n < lo || n > hi {
            findings.push(Finding::error(
                "end",
                format!(
                    "研修时间 {start} 至 {end} 共 {course_days} 天（含首尾），应为 {}-{} 天",
                    fmt_days(lo),
                    fmt_days(hi)
                ),
            ));
        }
    }

    if let Some(by) = rules.complete_by {
        if end > by {
            findings.push(Finding::error(
                "end",
                format!("结束日期 {end} 晚于通知要求的完成日期 {by}；应在 {by} 前完成"),
            ));
        }
    }

    let plan_due =
        rules
            .plan_due_working_days
            .and_then(|n| match cal.nth_working_day_before(start, n) {
                Ok(d) => Some(d),
                Err(e) => {
                    findings.push(Finding::error(
                        "start",
                        format!("无法计算办班方案报送日期：{e}"),
                    ));
                    None
                }
            });
    let report_due =
        rules
            .report_due_working_days
            .and_then(|n| match cal.nth_working_day_after(end, n) {
                Ok(d) => Some(d),
                Err(e) => {
                    findings.push(Finding::error(
                        "end",
                        format!("无法计算总结材料报送日期：{e}"),
                    ));
                    None
                }
            });

    Deadlines {
        start,
        end,
        course_days,
        plan_due,
        report_due,
        complete_by: rules.complete_by,
        rules: rules.clone(),
        findings,
    }
}

impl fmt::Display for Deadlines {
    /// The human-readable form printed by `site-gen deadlines`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "研修时间：{} 至 {}（共 {} 天）",
            self.start, self.end, self.course_days
        )?;
        if let (Some(d), Some(n)) = (self.plan_due, self.rules.plan_due_working_days) {
            writeln!(f, "办班方案报送截止：{d}（开班前第 {n} 个工作日）")?;
        }
        if let (Some(d), Some(n)) = (self.report_due, self.rules.report_due_working_days) {
            writeln!(f, "总结材料报送截止：{d}（结束后第 {n} 个工作日）")?;
        }
        if let Some(d) = self.complete_by {
            writeln!(f, "完成期限：{d}")?;
        }
        for x in &self.findings {
            let sev = if x.is_error() { "错误" } else { "警告" };
            writeln!(f, "{sev} {}: {}", x.path, x.message)?;
        }
        Ok(())
    }
}
