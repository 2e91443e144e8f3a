//! Form-level rules, across fields: amounts that add up to their total, the minimum
//! of rows, numbers at least the notice's, course days, deadlines in working days before
//! a date, text length and numbered items.

use rust_decimal::Decimal;
use serde_json::Value;

use super::validator::{bound_text, f2d, fmt_f64, Validator};
use crate::decimal::{checked_add, fmt_dec};
use crate::fields;
use crate::finding::{Finding, Severity};
use crate::schema::{Bound, Rule};

impl Validator<'_> {
    /// Checks one form-level rule on the values that passed validation; rules of tables'
    /// rows are checked with their rows (`table.rs`).
    pub(super) fn form_rule(&mut self, rule: &Rule) {
        let sev = rule.severity();
        match rule {
            Rule::SumEquals { items, total, .. } => self.sum_equals(sev, items, total),
            Rule::MinRows { table, min, .. } => self.min_rows(sev, table, min),
            Rule::AtLeast { value, min, .. } => self.at_least(sev, value, min),
            Rule::CourseDays {
                start,
                end,
                min,
                max,
                ..
            } => self.course_days(sev, start, end, min, max),
            Rule::DueBefore {
                field,
                before,
                working_days,
                ..
            } => self.due_before(sev, field, before, working_days),
            Rule::TextLength {
                field, min, max, ..
            } => self.text_length(sev, field, *min, *max),
            Rule::MinItems { field, min, .. } => self.min_items(sev, field, *min),
            _ => {}
        }
    }

    /// Amounts that add up to their total (an invalid or unknown amount: no check).
    fn sum_equals(&mut self, sev: Severity, items: &[String], total: &str) {
        let Some(t) = self.decimal_at(total) else {
            return;
        };
        let mut sum = Decimal::ZERO;
        for item in items {
            if self.is_bad(item) {
                return; // an invalid amount: reported already
            }
            if let Some(d) = self.decimal_at(item) {
                sum = match checked_add(sum, d) {
                    Some(s) => s,
                    None => return,
                };
            }
        }
        if sum != t {
            let labels: Vec<String> = items.iter().map(|i| self.label_of(i)).collect();
            let msg = format!(
                "各项金额之和为 {}，与“{}” {} 不一致：{} 之和应等于“{}”",
                fmt_dec(sum),
                self.label_of(total),
                fmt_dec(t),
                labels.join("、"),
                self.label_of(total)
            );
            self.finding(sev, total, msg);
        }
    }

    /// At least the minimum of rows in a table.
    fn min_rows(&mut self, sev: Severity, table: &str, min: &Bound) {
        let Some(m) = self.bound(min) else {
            return;
        };
        let n = self.rows_of(table);
        if (n as f64) < m {
            let msg = format!(
                "“{}”共 {n} 行（每行一名学员），应不少于 {}",
                self.label_of(table),
                bound_text(min, m, " 行")
            );
            self.finding(sev, table, msg);
        }
    }

    /// A number at least its bound.
    fn at_least(&mut self, sev: Severity, value: &str, min: &Bound) {
        let (Some(d), Some(m)) = (self.decimal_at(value), self.bound(min)) else {
            return;
        };
        if f2d(m).is_some_and(|m| d < m) {
            let msg = format!(
                "“{}”为 {}，应不少于 {}",
                self.label_of(value),
                fmt_dec(d),
                bound_text(min, m, "")
            );
            self.finding(sev, value, msg);
        }
    }

    /// The course's days (first and last included) within the notice's range.
    fn course_days(&mut self, sev: Severity, start: &str, end: &str, min: &Bound, max: &Bound) {
        let (Some(s), Some(e)) = (self.date_at(start), self.date_at(end)) else {
            return;
        };
        if e < s {
            let msg = format!(
                "“{}” {e} 早于“{}” {s}：结束日期应不早于开始日期",
                self.label_of(end),
                self.label_of(start)
            );
            self.finding(Severity::Error, end, msg);
            return;
        }
        let days = (e - s).num_days() + 1;
        let lo = self.bound(min);
        let hi = self.bound(max);
        let outside =
            lo.is_some_and(|lo| (days as f64) < lo) || hi.is_some_and(|hi| (days as f64) > hi);
        if outside {
            let range = match (lo, hi) {
                (Some(lo), Some(hi)) => format!("{}-{} 天", fmt_f64(lo), fmt_f64(hi)),
                (Some(lo), None) => format!("不少于 {} 天", fmt_f64(lo)),
                (None, Some(hi)) => format!("不超过 {} 天", fmt_f64(hi)),
                (None, None) => String::new(),
            };
            let msg = format!("办班时间 {s} 至 {e} 共 {days} 天（含首尾），应为通知规定的 {range}");
            self.finding(sev, end, msg);
        }
    }

    /// A date at least `working_days` working days before another (a note when no calendar is given).
    fn due_before(&mut self, sev: Severity, field: &str, before: &str, working_days: &Bound) {
        let (Some(filled), Some(start)) = (self.date_at(field), self.date_at(before)) else {
            return;
        };
        let Some(n) = self.bound(working_days) else {
            return;
        };
        let n = n.max(0.0).min(f64::from(u16::MAX)) as u32;
        let Some(cal) = &self.ctx.calendar else {
            self.notes.push(Finding::warning(
                field,
                format!(
                    "未提供工作日历，未检查“{}”是否在“{}”前 {n} 个工作日之前",
                    self.label_of(field),
                    self.label_of(before)
                ),
            ));
            return;
        };
        match cal.nth_working_day_before(start, n) {
            Ok(due) if filled > due => {
                let msg = format!(
                    "“{}” {filled} 晚于截止日 {due}（“{}” {start} 前第 {n} 个工作日）：应不晚于 {due}",
                    self.label_of(field),
                    self.label_of(before)
                );
                self.finding(sev, field, msg);
            }
            Ok(_) => {}
            Err(missing) => {
                let msg = format!("无法计算截止日：{missing}");
                self.finding(Severity::Warning, field, msg);
            }
        }
    }

    /// A text's length in characters, whitespace not counted.
    fn text_length(&mut self, sev: Severity, field: &str, min: Option<u32>, max: Option<u32>) {
        let Some(text) = self.value_at(field).and_then(Value::as_str) else {
            return;
        };
        let len = fields::text_len(text);
        let short = min.is_some_and(|m| len < m as usize);
        let long = max.is_some_and(|m| len > m as usize);
        if short || long {
            let range = match (min, max) {
                (Some(a), Some(b)) => format!("{a}-{b} 字"),
                (Some(a), None) => format!("不少于 {a} 字"),
                (None, Some(b)) => format!("不超过 {b} 字"),
                (None, None) => String::new(),
            };
            let msg = format!(
                "“{}”共 {len} 字（不计空白），应在 {range}之间",
                self.label_of(field)
            );
            self.finding(sev, field, msg);
        }
    }

    /// At least `min` numbered items in a text.
    fn min_items(&mut self, sev: Severity, field: &str, min: u32) {
        let Some(text) = self.value_at(field).and_then(Value::as_str) else {
            return;
        };
        let n = fields::count_items(text);
        if n < min as usize {
            let msg = format!(
                "“{}”中分条列出的建议为 {n} 条，应不少于 {min} 条（请用 1. 2. 3. 或（一）（二）等编号分条列出）",
                self.label_of(field)
            );
            self.finding(sev, field, msg);
        }
    }
}
