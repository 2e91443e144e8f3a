//! The validator's state (what it has found and kept so far), where a value is
//! ([`Loc`]), and the small readers and writers of values and messages every part of the
//! walk shares.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::report::{Context, Report, RowNumbers};
use crate::decimal::fmt_dec;
use crate::fields::{self, Normalized};
use crate::finding::{all_valid, Finding, Severity};
use crate::map::VecMap;
use crate::schema::{Bound, FormSchema};

pub(super) struct Validator<'a> {
    pub(super) schema: &'a FormSchema,
    pub(super) ctx: &'a Context,
    /// The number "第 N 行" gives each row of a table read from a file.
    pub(super) row_numbers: RowNumbers<'a>,
    pub(super) findings: Vec<Finding>,
    pub(super) notes: Vec<Finding>,
    pub(super) values: Map<String, Value>,
    /// Paths of values that failed validation, in the order found (rules skip them). A
    /// list, not a set: one path per invalid cell of a table of any length, looked up
    /// only for the few names rules and computed values read.
    pub(super) bad: Vec<String>,
    pub(super) computed: Map<String, Value>,
    pub(super) computed_dec: VecMap<String, Decimal>,
    /// Per table, per row, the indexes of the columns whose value failed validation.
    pub(super) bad_cells: VecMap<String, Vec<Vec<usize>>>,
}

/// Where a value is: a top-level field, a cell of a table row, or a sub-field of a
/// record. Paths and labels are built from it only when a message needs them.
#[derive(Clone, Copy)]
pub(super) enum Loc<'a> {
    Top,
    Row {
        table: &'a str,
        row: usize,
        /// The row's number in messages ([`RowNumbers::of`]).
        number: usize,
    },
    Sub {
        parent: &'a str,
        parent_label: &'a str,
    },
}

impl Loc<'_> {
    pub(super) fn path(self, id: &str) -> String {
        match self {
            Loc::Top => id.to_string(),
            Loc::Row { table, row, .. } => format!("{table}[{row}].{id}"),
            Loc::Sub { parent, .. } => format!("{parent}.{id}"),
        }
    }

    /// The label as written in messages, quotes included: `“姓名”`, `第 4 行“姓名”`.
    pub(super) fn quoted(self, label: &str) -> String {
        match self {
            Loc::Top => format!("“{label}”"),
            Loc::Row { number, .. } => format!("第 {number} 行“{label}”"),
            Loc::Sub { parent_label, .. } => format!("“{parent_label}·{label}”"),
        }
    }

    /// The label without quotes (for prefixing a field checker's message).
    pub(super) fn plain(self, label: &str) -> String {
        match self {
            Loc::Top => label.to_string(),
            Loc::Row { number, .. } => format!("第 {number} 行{label}"),
            Loc::Sub { parent_label, .. } => format!("{parent_label}·{label}"),
        }
    }
}

/// The JSON type of a value, in Chinese.
pub(super) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "文本",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

pub(super) fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// A decimal from a JSON number or numeric string (lenient reading), for values that
/// were already validated.
pub(super) fn as_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => crate::decimal::dec::parse_str(&n.to_string()),
        Value::String(s) => fields::decimal(s).ok().map(|(d, _)| d),
        _ => None,
    }
}

pub(super) fn as_date(v: &Value) -> Option<NaiveDate> {
    v.as_str().and_then(crate::date::parse)
}

/// A schema number (min, max, step) as a decimal: exact for numbers with at most one
/// decimal (the common case, without formatting), else through the shortest decimal.
pub(super) fn f2d(f: f64) -> Option<Decimal> {
    let tenths = f * 10.0;
    if f.is_finite() && tenths.fract() == 0.0 && tenths.abs() < 1e15 {
        return Some(Decimal::new(tenths as i64, 1).normalize());
    }
    crate::decimal::dec::from_f64(f)
}

pub(super) fn fmt_f64(f: f64) -> String {
    f2d(f).map_or_else(|| crate::small::f64_text(f), fmt_dec)
}

pub(super) fn join_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A field checker's message with the field named once: `第 4 行身份证号码校验码错误：…`
/// when the message already begins with the label, `第 4 行职称：…` otherwise.
pub(super) fn with_label(loc: Loc<'_>, label: &str, msg: &str) -> String {
    if msg.starts_with(label) {
        format!("{}{msg}", loc.plain(""))
    } else {
        format!("{}：{msg}", loc.plain(label))
    }
}

/// A bound as messages write it, the unit with its number and the source after
/// both: `30 人（通知规定）`, `2 天`.
pub(super) fn bound_text(b: &Bound, value: f64, unit: &str) -> String {
    match b {
        Bound::Value(_) => format!("{}{unit}", fmt_f64(value)),
        Bound::Notice { .. } => format!("{}{unit}（通知规定）", fmt_f64(value)),
    }
}

impl<'a> Validator<'a> {
    pub(super) fn new(
        schema: &'a FormSchema,
        ctx: &'a Context,
        row_numbers: RowNumbers<'a>,
    ) -> Self {
        Validator {
            schema,
            ctx,
            row_numbers,
            findings: Vec::new(),
            notes: Vec::new(),
            values: Map::new(),
            bad: Vec::new(),
            computed: Map::new(),
            computed_dec: VecMap::new(),
            bad_cells: VecMap::new(),
        }
    }

    pub(super) fn error(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        let path = path.into();
        self.bad.push(path.clone());
        self.findings.push(Finding::error(path, msg));
    }

    pub(super) fn finding(
        &mut self,
        severity: Severity,
        path: impl Into<String>,
        msg: impl Into<String>,
    ) {
        let f = Finding {
            path: path.into(),
            severity,
            message: msg.into(),
        };
        self.findings.push(f);
    }

    pub(super) fn note(&mut self, path: &str, original: &str, n: &Normalized) {
        for text in &n.notes {
            self.notes.push(Finding::warning(
                path,
                format!("{text}：“{original}”→“{}”", n.value),
            ));
        }
    }

    pub(super) fn bound(&self, b: &Bound) -> Option<f64> {
        b.resolve(&self.ctx.rules).filter(|f| f.is_finite())
    }

    pub(super) fn report(self) -> Report {
        let sums = self.sum_lines();
        Report {
            valid: all_valid(&self.findings),
            findings: self.findings,
            values: self.values,
            notes: self.notes,
            computed: self.computed,
            sums,
        }
    }
}
