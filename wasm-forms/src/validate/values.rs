//! One value against its field: required or empty, the JSON type, and each field type
//! of the contract (text, yes/no, choices, numbers and money with their bounds, id
//! numbers, phones, dates …, records of sub-fields), with the normalisations noted.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::validator::{
    bound_text, f2d, is_empty, join_path, json_type, with_label, Loc, Validator,
};
use crate::decimal::{decimal_json, fmt_dec};
use crate::fields::{self, Normalized};
use crate::finding::Finding;
use crate::schema::{Field, FieldType};

/// A parsed decimal, with the original text and its normalisation when it was changed.
type ParsedDecimal<'a> = (Decimal, Option<(&'a str, Normalized)>);

/// A decimal from a JSON number or a numeric string. `Ok((d, Some((text, notes))))` when
/// the string was normalised; `Err(why)` says what is wrong (to follow the label).
fn parse_decimal(raw: &Value) -> Result<ParsedDecimal<'_>, String> {
    match raw {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok((Decimal::from(i), None));
            }
            let d = n
                .as_f64()
                .and_then(f2d)
                .or_else(|| crate::decimal::dec::parse_str(&n.to_string()));
            d.map(|d| (d, None))
                .ok_or_else(|| format!("的数值 {n} 超出可处理的范围"))
        }
        Value::String(s) => match fields::decimal(s) {
            Ok((d, n)) if n.notes.is_empty() => Ok((d, None)),
            Ok((d, n)) => Ok((d, Some((s.as_str(), n)))),
            Err(_) => Err(format!("应为数字，现为“{s}”")),
        },
        other => Err(format!("应为数字，现为{}", json_type(other))),
    }
}

impl Validator<'_> {
    /// Validates one value; returns what goes into the normalised values (`None` for an
    /// empty value). Paths and labels are built only when a message needs them.
    pub(super) fn check_field(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: Option<&Value>,
    ) -> Option<Value> {
        if field.kind == FieldType::Table {
            return self.check_table(loc, field, raw);
        }
        if is_empty(raw) {
            if field.required {
                // A choice is chosen, not typed.
                let ask = match field.kind {
                    FieldType::Choice | FieldType::Bool => "请选择",
                    _ => "请填写",
                };
                let msg = format!("{}为必填项，{ask}", loc.quoted(&field.label));
                self.error(loc.path(&field.id), msg);
            }
            return None;
        }
        let raw = raw?;
        match field.kind {
            FieldType::Table => None,
            FieldType::Record => self.check_record(loc, field, raw),
            FieldType::Counts => self.check_counts(&loc.path(&field.id), field, raw),
            FieldType::Number | FieldType::Money => self.check_number(loc, field, raw),
            FieldType::Bool => self.check_bool(loc, field, raw),
            FieldType::Choice => self.check_choice(loc, field, raw),
            FieldType::Text => self.check_text(loc, field, raw),
            FieldType::IdNumber
            | FieldType::Mobile
            | FieldType::Phone
            | FieldType::Email
            | FieldType::Postcode
            | FieldType::Qq
            | FieldType::Date => self.check_string_type(loc, field, raw),
        }
    }

    pub(super) fn type_error(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        expected: &str,
        raw: &Value,
    ) -> Option<Value> {
        let msg = format!(
            "{}应为{expected}，现为{}",
            loc.quoted(&field.label),
            json_type(raw)
        );
        self.error(loc.path(&field.id), msg);
        Some(raw.clone())
    }

    pub(super) fn check_string_type(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: &Value,
    ) -> Option<Value> {
        let owned;
        let s: &str = match raw {
            Value::String(s) => s,
            // A number typed where digits are expected (postcode, QQ, phone), or a
            // spreadsheet's serial number for a date.
            Value::Number(n)
                if matches!(
                    field.kind,
                    FieldType::Postcode
                        | FieldType::Qq
                        | FieldType::Mobile
                        | FieldType::Phone
                        | FieldType::Date
                ) && n.is_u64() =>
            {
                owned = n.to_string();
                &owned
            }
            _ => return self.type_error(loc, field, "文本", raw),
        };
        let result = match field.kind {
            FieldType::IdNumber => fields::id_number(s, self.ctx.today),
            FieldType::Mobile => fields::mobile(s),
            FieldType::Phone => fields::phone(s),
            FieldType::Email => fields::email(s),
            FieldType::Postcode => fields::postcode(s),
            FieldType::Qq => fields::qq(s),
            _ => fields::date(s).map(|(_, n)| n),
        };
        match result {
            Ok(n) => {
                if !n.notes.is_empty() {
                    self.note(&loc.path(&field.id), s, &n);
                }
                Some(Value::String(n.value))
            }
            Err(msg) => {
                self.error(
                    loc.path(&field.id),
                    with_label(loc, &field.label, &msg.to_string()),
                );
                Some(raw.clone())
            }
        }
    }

    pub(super) fn check_text(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
        let s = match raw {
            Value::String(s) => s.clone(),
            Value::Number(n) => {
                let s = n.to_string();
                self.notes.push(Finding::warning(
                    loc.path(&field.id),
                    format!("已将数字 {s} 作为文本读取"),
                ));
                s
            }
            _ => return self.type_error(loc, field, "文本", raw),
        };
        if let Some(max) = field.max_chars {
            let len = fields::text_len(&s);
            if len > max as usize {
                let msg = format!(
                    "{}共 {len} 字（不计空白），超过 {max} 字的上限：请删减 {} 字",
                    loc.quoted(&field.label),
                    len - max as usize
                );
                self.error(loc.path(&field.id), msg);
            }
        }
        Some(Value::String(s))
    }

    pub(super) fn check_bool(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
        if let Value::Bool(b) = raw {
            return Some(Value::Bool(*b));
        }
        if let Value::String(s) = raw {
            let t = s.trim();
            let read = fields::yes_no(t, field.true_label.as_deref(), field.false_label.as_deref());
            if let Some(yes) = read {
                self.notes.push(Finding::warning(
                    loc.path(&field.id),
                    format!(
                        "已将“{t}”读作{}",
                        if yes {
                            "是（true）"
                        } else {
                            "否（false）"
                        }
                    ),
                ));
                return Some(Value::Bool(yes));
            }
        }
        self.type_error(loc, field, "是/否（true 或 false）", raw)
    }

    pub(super) fn check_choice(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: &Value,
    ) -> Option<Value> {
        let Value::String(s) = raw else {
            return self.type_error(loc, field, "选项", raw);
        };
        let t = s.trim();
        if let Some(o) = field.options.iter().find(|o| o.id == t) {
            if t != s {
                self.notes.push(Finding::warning(
                    loc.path(&field.id),
                    format!("{}：“{s}”→“{t}”", fields::NOTE_TRIMMED),
                ));
            }
            return Some(Value::String(o.id.clone()));
        }
        if let Some(o) = field.options.iter().find(|o| o.label == t) {
            self.notes.push(Finding::warning(
                loc.path(&field.id),
                format!("已按名称选定选项：“{t}”"),
            ));
            return Some(Value::String(o.id.clone()));
        }
        let allowed: Vec<String> = field
            .options
            .iter()
            .take(16)
            .map(|o| {
                if o.id == o.label {
                    o.id.clone()
                } else {
                    format!("{}（{}）", o.id, o.label)
                }
            })
            .collect();
        let more = if field.options.len() > 16 { " 等" } else { "" };
        let msg = format!(
            "{}的值“{s}”不是可选项：应为 {}{more}",
            loc.quoted(&field.label),
            allowed.join("、")
        );
        self.error(loc.path(&field.id), msg);
        Some(raw.clone())
    }

    /// A decimal from a value, with lenient reading; `None` after reporting an error.
    /// `q` is the quoted label for messages.
    pub(super) fn read_decimal(&mut self, path: &str, q: &str, raw: &Value) -> Option<Decimal> {
        match parse_decimal(raw) {
            Ok((d, None)) => Some(d),
            Ok((d, Some((s, n)))) => {
                self.note(path, s, &n);
                Some(d)
            }
            Err(why) => {
                self.error(path, format!("{q}{why}"));
                None
            }
        }
    }

    pub(super) fn check_number(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: &Value,
    ) -> Option<Value> {
        let d = match parse_decimal(raw) {
            Ok((d, None)) => d,
            Ok((d, Some((s, n)))) => {
                self.note(&loc.path(&field.id), s, &n);
                d
            }
            Err(why) => {
                let msg = format!("{}{why}", loc.quoted(&field.label));
                self.error(loc.path(&field.id), msg);
                return Some(raw.clone());
            }
        };
        // The unit sits with its number: `为 29 人，应不少于 30 人（通知规定）`.
        let unit = field
            .unit
            .as_deref()
            .map_or(String::new(), |u| format!(" {u}"));
        let unit = unit.as_str();
        let mut problem: Option<String> = None;
        if field.integer && !d.fract().is_zero() {
            problem = Some(format!("应为整数，现为 {}", fmt_dec(d)));
        }
        if problem.is_none() {
            if let Some(step) = field.step.and_then(f2d) {
                let multiple = d.checked_rem(step).is_some_and(|r| r.is_zero());
                if !step.is_zero() && !multiple {
                    problem = Some(format!(
                        "应为 {} 的整数倍，现为 {}",
                        fmt_dec(step),
                        fmt_dec(d)
                    ));
                }
            }
        }
        if let Some(b) = &field.min {
            if let Some(min) = self.bound(b) {
                let below = match f2d(min) {
                    Some(m) if field.min_exclusive => d <= m,
                    Some(m) => d < m,
                    None => false,
                };
                if below {
                    let rel = if field.min_exclusive {
                        "大于"
                    } else {
                        "不少于"
                    };
                    problem.get_or_insert_with(|| {
                        format!(
                            "为 {}{unit}，应{rel} {}",
                            fmt_dec(d),
                            bound_text(b, min, unit)
                        )
                    });
                }
            }
        }
        if let Some(b) = &field.max {
            if let Some(max) = self.bound(b) {
                if f2d(max).is_some_and(|m| d > m) {
                    problem.get_or_insert_with(|| {
                        format!(
                            "为 {}{unit}，应不超过 {}",
                            fmt_dec(d),
                            bound_text(b, max, unit)
                        )
                    });
                }
            }
        }
        if let Some(p) = problem {
            let msg = format!("{}{p}", loc.quoted(&field.label));
            self.error(loc.path(&field.id), msg);
        }
        match (field.kind, raw) {
            // A JSON number stays as given; money keeps a decimal string exact; other
            // strings become JSON numbers.
            (_, Value::Number(_)) => Some(raw.clone()),
            (FieldType::Money, Value::String(_)) => Some(Value::String(fmt_dec(d))),
            _ => Some(decimal_json(d)),
        }
    }

    pub(super) fn check_object_keys(
        &mut self,
        path: &str,
        label: &str,
        obj: &Map<String, Value>,
        known: &[&str],
    ) {
        for key in obj.keys() {
            if !known.contains(&key.as_str()) {
                let msg = format!("{label}中有未知的键“{key}”：应为 {} 之一", known.join("、"));
                self.error(join_path(path, key), msg);
            }
        }
    }

    pub(super) fn check_record(
        &mut self,
        loc: Loc<'_>,
        field: &Field,
        raw: &Value,
    ) -> Option<Value> {
        let Value::Object(obj) = raw else {
            return self.type_error(loc, field, "对象", raw);
        };
        let path = loc.path(&field.id);
        let label = loc.plain(&field.label);
        let known: Vec<&str> = field.columns.iter().map(|c| c.id.as_str()).collect();
        self.check_object_keys(&path, &format!("“{label}”"), obj, &known);
        let mut out = Map::new();
        let sub = Loc::Sub {
            parent: &path,
            parent_label: &label,
        };
        for col in &field.columns {
            if let Some(v) = self.check_field(sub, col, obj.get(&col.id)) {
                out.insert(col.id.clone(), v);
            }
        }
        Some(Value::Object(out))
    }

    /// A non-negative integer count.
    pub(super) fn read_count(&mut self, path: &str, label: &str, v: &Value) -> Option<u64> {
        let d = self.read_decimal(path, &format!("“{label}”"), v)?;
        if d.is_sign_negative() || !d.fract().is_zero() {
            self.error(
                path,
                format!("“{label}”应为不小于 0 的整数，现为 {}", fmt_dec(d)),
            );
            return None;
        }
        match d.to_u64() {
            Some(n) => Some(n),
            None => {
                self.error(path, format!("“{label}”数值过大"));
                None
            }
        }
    }
}
