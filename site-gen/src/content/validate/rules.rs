//! A `[rules]` table, of a notice or of one of its lists.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use wasm_forms::calendar::Step;
use wasm_forms::NoticeRules;

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::SourceFile;
use crate::content::raw::RulesToml;

use super::calendar::CalendarRead;
use super::values::date_value;

/// The rules `r` read from the table at `place` in `file` (`[rules]`, a list's rules),
/// with the calendar years its working-day rules need checked against `date` and
/// `complete_by`.
pub(super) fn rules_value(
    r: &RulesToml,
    place: &[Step],
    date: Option<NaiveDate>,
    date_span: Range<usize>,
    file: &SourceFile,
    calendar: CalendarRead,
    d: &mut Diagnostics,
) -> NoticeRules {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let mut rules = NoticeRules {
        min_trainees: r.min_trainees,
        min_hours: r.min_hours,
        plan_due_working_days: r.plan_due_working_days,
        report_due_working_days: r.report_due_working_days,
        ..NoticeRules::default()
    };
    if let Some(h) = r.min_hours.filter(|h| !(h.is_finite() && *h >= 0.0)) {
        let at_value = [place, &[Step::Key("min_hours")]].concat();
        let span = crate::content::toml_errors::span_at(&file.text, &at_value).unwrap_or(0..0);
        d.push(at(
            span,
            format!("min_hours = {h} must be a finite number of hours, 0 or more"),
        ));
    }
    if let Some(days) = &r.days {
        match days.get_ref()[..] {
            [a, b] => {
                if !(a > 0.0 && a <= b && b.is_finite()) {
                    d.push(at(
                        days.span(),
                        format!("days = [{a}, {b}] must be [min, max] with 0 < min ≤ max"),
                    ));
                }
                rules.days = Some([a, b]);
            }
            ref other => d.push(at(
                days.span(),
                format!(
                    "days must be exactly [min, max] (two numbers of days, like [2, 3]), not {} number{}",
                    other.len(),
                    if other.len() == 1 { "" } else { "s" }
                ),
            )),
        }
    }
    let mut complete_by_span = None;
    if let Some(cb) = &r.complete_by {
        rules.complete_by = date_value(cb, "complete_by", file, d);
        complete_by_span = Some(cb.span());
    }

    // Calendar years needed by the working-day rules.
    let needs_calendar =
        rules.plan_due_working_days.is_some() || rules.report_due_working_days.is_some();
    if needs_calendar {
        let mut check = |day: Option<NaiveDate>, span: Range<usize>, what: &str| {
            let Some(day) = day else { return };
            let missing = match calendar {
                CalendarRead::Absent => true,
                CalendarRead::Broken => false,
                CalendarRead::Read(c) => c.is_working_day(day).is_err(),
            };
            if missing {
                let y = day.year();
                d.push(at(
                    span,
                    format!("no holiday calendar for {y} (needed by this notice's working-day rules, {what} {day}): add calendar/{y}.toml"),
                ));
            }
        };
        check(date, date_span, "date");
        if let Some(span) = complete_by_span {
            check(rules.complete_by, span, "complete_by");
        }
    }
    rules
}
