//! The values rules read (only those that passed validation, by name or `record.sub`),
//! their labels, the computed values of the schema (sums of a column, a percentage of
//! the rows, at-least flags) and the running sums of `sum_equals` rules.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use super::report::SumLine;
use super::validator::{as_date, as_decimal, f2d, Validator};
use crate::decimal::{checked_add, decimal_json, fmt_dec, saturating_add};
use crate::schema::{ComputedKind, Rule};

impl Validator<'_> {
    pub(super) fn is_bad(&self, path: &str) -> bool {
        self.bad.iter().any(|p| p == path)
    }

    pub(super) fn value_at(&self, name: &str) -> Option<&Value> {
        if self.is_bad(name) {
            return None;
        }
        match name.split_once('.') {
            Some((head, tail)) => self.values.get(head)?.get(tail),
            None => self.values.get(name),
        }
    }

    /// The running sum of each `sum_equals` rule (see [`SumLine`]).
    pub(super) fn sum_lines(&self) -> Vec<SumLine> {
        let mut out = Vec::new();
        for rule in &self.schema.rules {
            let Rule::SumEquals { items, total, .. } = rule else {
                continue;
            };
            let mut sum: Option<Decimal> = None;
            for d in items.iter().filter_map(|i| self.decimal_at(i)) {
                sum = Some(saturating_add(sum.unwrap_or_default(), d));
            }
            let t = self.decimal_at(total);
            let both = sum.zip(t);
            out.push(SumLine {
                total: total.clone(),
                sum: sum.map(fmt_dec),
                total_value: t.map(fmt_dec),
                difference: both
                    .and_then(|(s, t)| checked_add(s, -t))
                    .map(|d| fmt_dec(d.abs())),
                equal: both.map(|(s, t)| s == t),
            });
        }
        out
    }

    pub(super) fn decimal_at(&self, name: &str) -> Option<Decimal> {
        if let Some(d) = self.computed_dec.get(name) {
            return Some(*d);
        }
        self.value_at(name).and_then(as_decimal)
    }

    pub(super) fn date_at(&self, name: &str) -> Option<NaiveDate> {
        self.value_at(name).and_then(as_date)
    }

    pub(super) fn label_of(&self, name: &str) -> String {
        if let Some((head, tail)) = name.split_once('.') {
            if let Some(f) = self.schema.field(head) {
                let sub = f.columns.iter().find(|c| c.id == tail);
                return format!("{}·{}", f.label, sub.map_or(tail, |c| c.label.as_str()));
            }
        }
        if let Some(f) = self.schema.field(name) {
            return f.label.clone();
        }
        if let Some(c) = self.schema.computed().find(|c| c.id == name) {
            return c.label.clone();
        }
        name.to_string()
    }

    pub(super) fn rows_of(&self, table: &str) -> usize {
        match self.values.get(table) {
            Some(Value::Array(rows)) => rows.len(),
            _ => 0,
        }
    }

    pub(super) fn compute(&mut self) {
        let schema = self.schema;
        for comp in schema.computed() {
            match comp.kind {
                ComputedKind::Sum => {
                    let (Some(table), Some(column)) = (&comp.table, &comp.column) else {
                        continue;
                    };
                    let mut sum = Decimal::ZERO;
                    let col_index = schema
                        .field(table)
                        .and_then(|t| t.columns.iter().position(|c| &c.id == column));
                    let bad_cells = self.bad_cells.get(table.as_str());
                    if let Some(Value::Array(rows)) = self.values.get(table) {
                        for (i, row) in rows.iter().enumerate() {
                            let bad = bad_cells
                                .and_then(|b| b.get(i))
                                .is_some_and(|b| col_index.is_some_and(|j| b.contains(&j)));
                            if bad {
                                continue;
                            }
                            if let Some(d) = row.get(column).and_then(as_decimal) {
                                sum = checked_add(sum, d).unwrap_or(sum);
                            }
                        }
                    }
                    self.computed.insert(comp.id.clone(), decimal_json(sum));
                    self.computed_dec.insert(comp.id.clone(), sum);
                }
                ComputedKind::PercentOfRows => {
                    let (Some(table), Some(percent)) = (&comp.table, comp.percent) else {
                        continue;
                    };
                    let rows = self.rows_of(table) as u64;
                    let n = rows.saturating_mul(u64::from(percent)) / 100;
                    self.computed.insert(comp.id.clone(), Value::from(n));
                    self.computed_dec.insert(comp.id.clone(), Decimal::from(n));
                }
                ComputedKind::AtLeast => {
                    let (Some(field), Some(min)) = (&comp.field, comp.min) else {
                        continue;
                    };
                    let (Some(d), Some(m)) = (self.decimal_at(field), f2d(min)) else {
                        continue;
                    };
                    self.computed.insert(comp.id.clone(), Value::Bool(d >= m));
                }
            }
        }
    }
}
