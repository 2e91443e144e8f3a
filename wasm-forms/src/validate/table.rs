//! Tables: each row an object of cells checked as fields, the row rules on the cells
//! that passed (dates in order, days within dates, gender against the id number, what a
//! yes requires) and the unique columns across rows.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::validator::{as_date, as_decimal, bound_text, f2d, is_empty, json_type, Loc, Validator};
use crate::decimal::fmt_dec;
use crate::fields;
use crate::finding::Severity;
use crate::map::VecMap;
use crate::schema::{Field, Rule};

/// One validated table row, for row rules.
pub(super) struct RowView<'a> {
    table: &'a Field,
    values: &'a Map<String, Value>,
    /// Indexes of the columns whose value failed validation.
    bad: &'a [usize],
}

impl RowView<'_> {
    fn ok(&self, col: &str) -> bool {
        match self.table.columns.iter().position(|c| c.id == col) {
            Some(j) => !self.bad.contains(&j),
            None => false,
        }
    }

    fn label(&self, col: &str) -> String {
        self.table
            .columns
            .iter()
            .find(|c| c.id == col)
            .map_or(col.to_string(), |c| c.label.clone())
    }
}

impl Validator<'_> {
    pub(super) fn check_table(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: Option<&Value>,
    ) -> Option<Value> {
        let path = loc.path(&field.id);
        let rows = match raw {
            None | Some(Value::Null) => {
                if field.required {
                    let msg = format!("“{}”为必填项，至少填写一行", field.label);
                    self.error(path, msg);
                }
                return None;
            }
            Some(Value::Array(rows)) => rows,
            Some(other) => return self.type_error(loc, field, "数组（每行一个对象）", other),
        };
        if rows.is_empty() && field.required {
            let msg = format!("“{}”为必填项，至少填写一行", field.label);
            self.error(path.clone(), msg);
        }
        let known: Vec<&str> = field.columns.iter().map(|c| c.id.as_str()).collect();
        let mut sorted_known = known.clone();
        // A table's few columns: the insertion sort already linked, not a pdqsort of its own.
        crate::small::sort_by(&mut sorted_known, |a, b| a.cmp(b));
        let mut out_rows = Vec::with_capacity(rows.len());
        // Per row, the columns whose value failed validation (row rules skip them).
        let mut bad_cells: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let number = self.row_numbers.of(&path, i);
            let Value::Object(obj) = row else {
                let msg = format!(
                    "“{}”第 {number} 行应为对象（列 id → 值），现为{}",
                    field.label,
                    json_type(row)
                );
                self.error(format!("{path}[{i}]"), msg);
                out_rows.push(row.clone());
                bad_cells.push((0..field.columns.len()).collect());
                continue;
            };
            if obj
                .keys()
                .any(|k| sorted_known.binary_search(&k.as_str()).is_err())
            {
                let row_label = format!("“{}”第 {number} 行", field.label);
                self.check_object_keys(&format!("{path}[{i}]"), &row_label, obj, &known);
            }
            let cell = Loc::Row {
                table: &path,
                row: i,
                number,
            };
            let mut out = Map::new();
            let mut bad = Vec::new();
            for (j, col) in field.columns.iter().enumerate() {
                let before = self.bad.len();
                if let Some(v) = self.check_field(cell, col, obj.get(&col.id)) {
                    out.insert(col.id.clone(), v);
                }
                if self.bad.len() != before {
                    bad.push(j);
                }
            }
            let row_ok = RowView {
                table: field,
                values: &out,
                bad: &bad,
            };
            for rule in &field.row_rules {
                self.row_rule(&path, i, &row_ok, rule);
            }
            out_rows.push(Value::Object(out));
            bad_cells.push(bad);
        }
        for rule in &field.row_rules {
            if let Rule::Unique { column, severity } = rule {
                let sev = severity.unwrap_or(Severity::Error);
                self.unique(&path, field, column, sev, &out_rows, &bad_cells);
            }
        }
        self.bad_cells.insert(field.id.clone(), bad_cells);
        Some(Value::Array(out_rows))
    }

    pub(super) fn row_rule(&mut self, table_path: &str, i: usize, view: &RowView<'_>, rule: &Rule) {
        let sev = rule.severity();
        let at = |col: &str| format!("{table_path}[{i}].{col}");
        let row = view.values;
        let table = view.table;
        let ok = |_: &Self, col: &str| view.ok(col);
        let date = |_: &Self, col: &str| {
            if view.ok(col) {
                row.get(col).and_then(as_date)
            } else {
                None
            }
        };
        let label = |col: &str| view.label(col);
        let line = self.row_numbers.of(table_path, i);
        match rule {
            Rule::DateOrder { start, end, .. } => {
                if let (Some(s), Some(e)) = (date(self, start), date(self, end)) {
                    if e < s {
                        let msg = format!(
                            "第 {line} 行“{}” {e} 早于“{}” {s}：应不早于开始时间",
                            label(end),
                            label(start)
                        );
                        self.finding(sev, at(end), msg);
                    }
                }
            }
            Rule::DaysWithinDates {
                days, start, end, ..
            } => {
                let (Some(s), Some(e)) = (date(self, start), date(self, end)) else {
                    return;
                };
                if e < s || !ok(self, days) {
                    return;
                }
                let Some(d) = row.get(days).and_then(as_decimal) else {
                    return;
                };
                let span = (e - s).num_days() + 1;
                if d > Decimal::from(span) {
                    let msg = format!(
                        "第 {line} 行“{}”为 {}，超过办班开始至结束的日历天数 {span} 天（{s} 至 {e}）",
                        label(days),
                        fmt_dec(d)
                    );
                    self.finding(sev, at(days), msg);
                }
            }
            Rule::GenderMatchesId {
                gender, id_number, ..
            } => {
                if !ok(self, gender) || !ok(self, id_number) {
                    return;
                }
                let (Some(g), Some(id)) = (
                    row.get(gender).and_then(Value::as_str),
                    row.get(id_number).and_then(Value::as_str),
                ) else {
                    return;
                };
                let Some(from_id) = fields::id_gender(id) else {
                    return;
                };
                if g != from_id.id() {
                    let given = table
                        .columns
                        .iter()
                        .find(|c| c.id == *gender)
                        .and_then(|c| c.options.iter().find(|o| o.id == g))
                        .map_or(g.to_string(), |o| o.label.clone());
                    let msg = format!(
                        "第 {line} 行“{}”为“{given}”，但“{}”第17位表示“{}”：两者应一致",
                        label(gender),
                        label(id_number),
                        from_id.label()
                    );
                    self.finding(sev, at(gender), msg);
                }
            }
            Rule::WhenTrue {
                field,
                required,
                min_field,
                min,
                ..
            } => {
                if row.get(field).and_then(Value::as_bool) != Some(true) {
                    return;
                }
                for r in required {
                    if is_empty(row.get(r)) && ok(self, r) {
                        let msg =
                            format!("第 {line} 行“{}”为“是”，应填写“{}”", label(field), label(r));
                        self.finding(sev, at(r), msg);
                    }
                }
                if let (Some(mf), Some(b)) = (min_field, min) {
                    let Some(m) = self.bound(b) else {
                        return;
                    };
                    if !ok(self, mf) {
                        return;
                    }
                    let value = row.get(mf).and_then(as_decimal);
                    let below = match value {
                        Some(d) => f2d(m).is_some_and(|m| d < m),
                        None => true,
                    };
                    if below {
                        let now = value
                            .map_or("未填写".to_string(), |d| format!("现为 {}", fmt_dec(d)));
                        let msg = format!(
                            "第 {line} 行“{}”为“是”，“{}”应不少于 {}，{now}",
                            label(field),
                            label(mf),
                            bound_text(b, m, "")
                        );
                        self.finding(sev, at(mf), msg);
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn unique(
        &mut self,
        path: &str,
        table: &Field,
        column: &str,
        sev: Severity,
        rows: &[Value],
        bad_cells: &[Vec<usize>],
    ) {
        let col_index = table.columns.iter().position(|c| c.id == column);
        // (value, row) of every checked cell, grouped by value below.
        let mut cells: Vec<(String, usize)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let bad = bad_cells
                .get(i)
                .is_some_and(|b| col_index.is_some_and(|j| b.contains(&j)));
            if bad {
                continue;
            }
            let Some(v) = row.get(column) else {
                continue;
            };
            let key = match v {
                Value::String(s) => {
                    let t = s.trim();
                    if t.chars().any(char::is_lowercase) {
                        crate::case::to_uppercase(t)
                    } else {
                        t.to_string()
                    }
                }
                Value::Null => continue,
                other => other.to_string(),
            };
            if key.is_empty() {
                continue;
            }
            cells.push((key, i));
        }
        let label = table
            .columns
            .iter()
            .find(|c| c.id == column)
            .map_or(column, |c| c.label.as_str());
        // Each later row names the first occurrence, and the first names the second
        // (and how many there are): output linear in the number of rows.
        let numbers = self.row_numbers;
        let number = |i: usize| numbers.of(path, i);
        for (value, at) in VecMap::group(cells) {
            let [first, second, ..] = at[..] else {
                continue;
            };
            let more = if at.len() > 2 {
                format!("等 {} 行", at.len() - 1)
            } else {
                String::new()
            };
            let msg = format!(
                "第 {} 行“{label}” {value} 与第 {} 行{more}重复：每行应不同",
                number(first),
                number(second)
            );
            self.finding(sev, format!("{path}[{first}].{column}"), msg);
            for &i in &at[1..] {
                let msg = format!(
                    "第 {} 行“{label}” {value} 与第 {} 行重复：每行应不同",
                    number(i),
                    number(first)
                );
                self.finding(sev, format!("{path}[{i}].{column}"), msg);
            }
        }
    }
}
