//! Validation of a response (`{form, version, values}`) against its [`FormSchema`].
//!
//! This module owns the walk over a response: the envelope (form id, version), unknown
//! keys anywhere, value types, required fields, every field type of the contract, table
//! rows and their row rules, form-level rules with the notice's numbers and working-day
//! calendar, the scoring inputs of an indicator form, and the computed values. It returns
//! a [`Report`]: findings with paths and Chinese messages, the normalised values, the
//! normalisations made (notes) and the computed values. It never panics.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::decimal::{checked_add, decimal_json, fmt_dec, saturating_add};
use crate::fields::{self, Normalized};
use crate::finding::{all_valid, Finding, Severity};
use crate::map::VecMap;
use crate::rules::NoticeRules;
use crate::schema::{Bound, ComputedKind, Field, FieldType, FormSchema, Rule};
use crate::score;
use crate::scoring::InputKind;

/// What validation needs besides the schema: the notice's rules, the working-day
/// calendar (for deadlines) and today's date (id numbers' birth dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    #[serde(default)]
    pub rules: NoticeRules,
    #[serde(default)]
    pub calendar: Option<Calendar>,
    pub today: NaiveDate,
}

/// The result of validating one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// True when no finding is an error.
    pub valid: bool,
    pub findings: Vec<Finding>,
    /// The values after normalisation (full-width digits converted, spaces trimmed …);
    /// values that failed validation are kept as given, empty ones are left out.
    pub values: Map<String, Value>,
    /// Normalisations made, shown to the user (severity `warning`, never errors).
    pub notes: Vec<Finding>,
    /// Computed values (`total_hours`, `recommended_outcomes`, `organizer_passed`, …).
    pub computed: Map<String, Value>,
    /// For each `sum_equals` rule, the running sum of its items beside the total (shown
    /// live on the page while the amounts are typed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sums: Vec<SumLine>,
}

/// The state of one `sum_equals` rule: decimals as text (`3.5`), absent when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SumLine {
    /// The total's field id.
    pub total: String,
    /// The sum of the valid items given so far; absent when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<String>,
    /// The total as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_value: Option<String>,
    /// |sum − total| when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// sum = total, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal: Option<bool>,
}

/// Validates a whole response object `{form, version, values}`, with the survey
/// summaries of counts fields and the score in `computed`. Never panics.
pub fn validate(schema: &FormSchema, response: &Value, ctx: &Context) -> Report {
    let (mut v, values_checked) = check(schema, response, ctx);
    if values_checked {
        v.compute_scoring();
    }
    v.report()
}

/// [`validate`] without the survey summaries and the score in `computed`; everything
/// else (validity, findings, values, the other computed values) is the same. For forms
/// that have neither and for callers that read only validity and values (aggregation,
/// the collection): a browser bundle that calls only this links no scoring
/// ([`crate::page::Page`]).
pub fn validate_unscored(schema: &FormSchema, response: &Value, ctx: &Context) -> Report {
    check(schema, response, ctx).0.report()
}

/// Everything of [`validate`] but the scores; `true` when the values were checked (the
/// response is an object), the condition of scoring them.
fn check<'a>(schema: &'a FormSchema, response: &Value, ctx: &'a Context) -> (Validator<'a>, bool) {
    let mut v = Validator {
        schema,
        ctx,
        findings: Vec::new(),
        notes: Vec::new(),
        values: Map::new(),
        bad: Vec::new(),
        computed: Map::new(),
        computed_dec: VecMap::new(),
        bad_cells: VecMap::new(),
    };
    let values_checked = v.run(response);
    (v, values_checked)
}

struct Validator<'a> {
    schema: &'a FormSchema,
    ctx: &'a Context,
    findings: Vec<Finding>,
    notes: Vec<Finding>,
    values: Map<String, Value>,
    /// Paths of values that failed validation, in the order found (rules skip them). A
    /// list, not a set: one path per invalid cell of a table of any length, looked up
    /// only for the few names rules and computed values read.
    bad: Vec<String>,
    computed: Map<String, Value>,
    computed_dec: VecMap<String, Decimal>,
    /// Per table, per row, the indexes of the columns whose value failed validation.
    bad_cells: VecMap<String, Vec<Vec<usize>>>,
}

/// Where a value is: a top-level field, a cell of a table row, or a sub-field of a
/// record. Paths and labels are built from it only when a message needs them.
#[derive(Clone, Copy)]
enum Loc<'a> {
    Top,
    Row {
        table: &'a str,
        row: usize,
    },
    Sub {
        parent: &'a str,
        parent_label: &'a str,
    },
}

impl Loc<'_> {
    fn path(self, id: &str) -> String {
        match self {
            Loc::Top => id.to_string(),
            Loc::Row { table, row } => format!("{table}[{row}].{id}"),
            Loc::Sub { parent, .. } => format!("{parent}.{id}"),
        }
    }

    /// The label as written in messages, quotes included: `“姓名”`, `第 4 行“姓名”`.
    fn quoted(self, label: &str) -> String {
        match self {
            Loc::Top => format!("“{label}”"),
            Loc::Row { row, .. } => format!("第 {} 行“{label}”", row + 1),
            Loc::Sub { parent_label, .. } => format!("“{parent_label}·{label}”"),
        }
    }

    /// The label without quotes (for prefixing a field checker's message).
    fn plain(self, label: &str) -> String {
        match self {
            Loc::Top => label.to_string(),
            Loc::Row { row, .. } => format!("第 {} 行{label}", row + 1),
            Loc::Sub { parent_label, .. } => format!("{parent_label}·{label}"),
        }
    }
}

/// One validated table row, for row rules.
struct RowView<'a> {
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

/// The JSON type of a value, in Chinese.
/// A report as a JSON value, read back from its text: from the text the page and the
/// command line print anyway (compact for the survey summary, pretty for the score),
/// so that serde's code for these reports is in the browser bundle once, for that
/// writer, and not again for serde_json's `Value` serializer. Their numbers are
/// integers and decimals of at most two places, which read back as the same numbers.
fn value_of(text: serde_json::Result<String>) -> Option<Value> {
    serde_json::from_str(&text.ok()?).ok()
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "文本",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// A decimal from a JSON number or numeric string (lenient reading), for values that
/// were already validated.
fn as_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => crate::decimal::dec::parse_str(&n.to_string()),
        Value::String(s) => fields::decimal(s).ok().map(|(d, _)| d),
        _ => None,
    }
}

fn as_date(v: &Value) -> Option<NaiveDate> {
    v.as_str().and_then(crate::date::parse)
}

/// A schema number (min, max, step) as a decimal: exact for numbers with at most one
/// decimal (the common case, without formatting), else through the shortest decimal.
fn f2d(f: f64) -> Option<Decimal> {
    let tenths = f * 10.0;
    if f.is_finite() && tenths.fract() == 0.0 && tenths.abs() < 1e15 {
        return Some(Decimal::new(tenths as i64, 1).normalize());
    }
    crate::decimal::dec::from_f64(f)
}

fn fmt_f64(f: f64) -> String {
    f2d(f).map_or_else(|| crate::small::f64_text(f), fmt_dec)
}

fn join_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A field checker's message with the field named once: `第 4 行身份证号码校验码错误：…`
/// when the message already begins with the label, `第 4 行职称：…` otherwise.
fn with_label(loc: Loc<'_>, label: &str, msg: &str) -> String {
    if msg.starts_with(label) {
        format!("{}{msg}", loc.plain(""))
    } else {
        format!("{}：{msg}", loc.plain(label))
    }
}

/// A bound as messages write it, the unit with its number and the source after
/// both: `30 人（通知规定）`, `2 天`.
fn bound_text(b: &Bound, value: f64, unit: &str) -> String {
    match b {
        Bound::Value(_) => format!("{}{unit}", fmt_f64(value)),
        Bound::Notice { .. } => format!("{}{unit}（通知规定）", fmt_f64(value)),
    }
}

impl<'a> Validator<'a> {
    fn error(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        let path = path.into();
        self.bad.push(path.clone());
        self.findings.push(Finding::error(path, msg));
    }

    fn finding(&mut self, severity: Severity, path: impl Into<String>, msg: impl Into<String>) {
        let f = Finding {
            path: path.into(),
            severity,
            message: msg.into(),
        };
        self.findings.push(f);
    }

    fn note(&mut self, path: &str, original: &str, n: &Normalized) {
        for text in &n.notes {
            self.notes.push(Finding::warning(
                path,
                format!("{text}：“{original}”→“{}”", n.value),
            ));
        }
    }

    fn bound(&self, b: &Bound) -> Option<f64> {
        b.resolve(&self.ctx.rules).filter(|f| f.is_finite())
    }

    fn report(self) -> Report {
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

    /// `false` when the response is no object (nothing else is checked then).
    fn run(&mut self, response: &Value) -> bool {
        let Some(obj) = response.as_object() else {
            self.error(
                "",
                format!(
                    "回答应为 JSON 对象 {{\"form\": \"{}\", \"version\": {}, \"values\": {{…}}}}，现为{}",
                    self.schema.id,
                    self.schema.version,
                    json_type(response)
                ),
            );
            return false;
        };
        for key in obj.keys() {
            if !matches!(key.as_str(), "form" | "version" | "values")
                && !crate::handin::envelope::ENVELOPE_KEYS.contains(&key.as_str())
            {
                self.error(
                    key.clone(),
                    format!("未知的顶层键“{key}”：回答只能包含 form、version、values、program、response_id"),
                );
            }
        }
        // The hand-in envelope (`program`, `response_id`): checked, never required.
        for f in crate::handin::envelope::check_envelope(obj) {
            self.error(f.path, f.message);
        }
        match obj.get("form") {
            Some(Value::String(s)) if s == &self.schema.id => {}
            Some(Value::String(s)) => {
                let msg = format!(
                    "表单 id 为“{s}”，与本表单“{}”不符：请使用本表单导出的文件",
                    self.schema.id
                );
                self.error("form", msg);
            }
            Some(other) => {
                let msg = format!(
                    "form 应为文本“{}”，现为{}",
                    self.schema.id,
                    json_type(other)
                );
                self.error("form", msg);
            }
            None => {
                let msg = format!("缺少 form：应为“{}”", self.schema.id);
                self.error("form", msg);
            }
        }
        let want = u64::from(self.schema.version);
        match obj.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(want) => {}
            Some(other) => {
                let msg = format!(
                    "表单版本为 {other}，本表单为第 {want} 版：请按第 {want} 版重新填写或导出"
                );
                self.error("version", msg);
            }
            None => self.error("version", format!("缺少 version：应为 {want}")),
        }
        let empty = Map::new();
        let values = match obj.get("values") {
            Some(Value::Object(m)) => m,
            Some(other) => {
                let msg = format!(
                    "填写的内容（values）格式不对：应为每一项及其所填的值，现为{}",
                    json_type(other)
                );
                self.error("values", msg);
                &empty
            }
            None => {
                self.error(
                    "values",
                    "缺少 values（填写的内容）：应为每一项及其所填的值",
                );
                &empty
            }
        };
        self.check_values(values);
        true
    }

    fn check_values(&mut self, values: &Map<String, Value>) {
        let schema = self.schema;
        let scoring_inputs: Vec<(String, InputKind)> = schema
            .scoring
            .as_ref()
            .map(|s| s.input_keys())
            .unwrap_or_default();
        // Unknown keys, and scores typed in for computed indicators.
        for key in values.keys() {
            if schema.field(key).is_some() || scoring_inputs.iter().any(|(k, _)| k == key) {
                continue;
            }
            let computed_indicator = schema
                .scoring
                .as_ref()
                .and_then(|s| s.indicators().find(|i| &i.id == key))
                .filter(|i| i.is_computed());
            if let Some(ind) = computed_indicator {
                let inputs: Vec<String> = ind.inputs().into_iter().map(|(k, _)| k).collect();
                let msg = format!(
                    "“{}”的得分由填入的数据自动计算，不能直接填写分数：请填写 {}",
                    ind.label,
                    inputs.join("、")
                );
                self.error(key.clone(), msg);
            } else if schema.computed().any(|c| &c.id == key) {
                self.error(key.clone(), format!("“{key}”是自动计算的结果，不能填写"));
            } else {
                self.error(
                    key.clone(),
                    format!("未知字段“{key}”：本表单没有这个字段，请检查字段名"),
                );
            }
        }
        for field in schema.fields() {
            let raw = values.get(&field.id);
            if let Some(v) = self.check_field(Loc::Top, field, raw) {
                self.values.insert(field.id.clone(), v);
            }
        }
        for (key, kind) in &scoring_inputs {
            if schema.field(key).is_some() {
                continue; // validated as a field (survey counts)
            }
            if let Some(v) = self.check_scoring_input(key, kind, values.get(key)) {
                self.values.insert(key.clone(), v);
            }
        }
        self.compute();
        for rule in &schema.rules {
            self.form_rule(rule);
        }
    }

    /// For an indicator form: the survey summary (percentages and `r`) of a valid counts
    /// field, and the score (every indicator, section subtotals, total) of the values.
    fn compute_scoring(&mut self) {
        let schema = self.schema;
        for f in schema.fields().filter(|f| f.kind == FieldType::Counts) {
            let clean = !self.bad.iter().any(|p| {
                p == &f.id
                    || p.strip_prefix(f.id.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            });
            let counts = self
                .values
                .get(&f.id)
                .filter(|_| clean)
                .and_then(|v| crate::survey::SurveyCounts::from_value(v).ok());
            if let Some(counts) = counts {
                let layout = crate::survey::SurveyLayout::from_counts_field(f);
                let rate = crate::scoring::RateRule::of(schema);
                let summary = crate::tally::summary_with_layout(&counts, &layout, rate);
                if let Some(v) = value_of(serde_json::to_string(&summary)) {
                    self.computed.insert(f.id.clone(), v);
                }
            }
        }
        if schema.scoring.is_some() {
            let result = score::score(schema, &self.values);
            if let Some(Value::Object(v)) = value_of(serde_json::to_string_pretty(&result)) {
                // Findings of scoring repeat validation's; the score stays. Copied without
                // them rather than `Map::remove`d: the B-tree's removal code (4 KB of the
                // bundle) is linked for nothing else.
                let mut score = Map::new();
                for (key, value) in v {
                    if key != "findings" {
                        score.insert(key, value);
                    }
                }
                self.computed.insert("score".into(), Value::Object(score));
            }
        }
    }

    /// Validates one value; returns what goes into the normalised values (`None` for an
    /// empty value). Paths and labels are built only when a message needs them.
    fn check_field(&mut self, loc: Loc<'_>, field: &Field, raw: Option<&Value>) -> Option<Value> {
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

    fn type_error(
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

    fn check_string_type(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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
                self.error(loc.path(&field.id), with_label(loc, &field.label, &msg));
                Some(raw.clone())
            }
        }
    }

    fn check_text(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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

    fn check_bool(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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

    fn check_choice(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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
    fn read_decimal(&mut self, path: &str, q: &str, raw: &Value) -> Option<Decimal> {
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

    fn check_number(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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

    fn check_object_keys(
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

    fn check_record(&mut self, loc: Loc<'_>, field: &Field, raw: &Value) -> Option<Value> {
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

    fn check_table(&mut self, loc: Loc<'_>, field: &Field, raw: Option<&Value>) -> Option<Value> {
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
            let Value::Object(obj) = row else {
                let msg = format!(
                    "“{}”第 {} 行应为对象（列 id → 值），现为{}",
                    field.label,
                    i + 1,
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
                let row_label = format!("“{}”第 {} 行", field.label, i + 1);
                self.check_object_keys(&format!("{path}[{i}]"), &row_label, obj, &known);
            }
            let cell = Loc::Row {
                table: &path,
                row: i,
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

    fn check_counts(&mut self, path: &str, field: &Field, raw: &Value) -> Option<Value> {
        let Value::Object(obj) = raw else {
            let msg = format!(
                "“{}”应为对象 {{forms, indicators}}，现为{}",
                field.label,
                json_type(raw)
            );
            self.error(path, msg);
            return Some(raw.clone());
        };
        self.check_object_keys(path, &field.label, obj, &["forms", "indicators"]);
        let fp = join_path(path, "forms");
        let forms = match obj.get("forms") {
            None | Some(Value::Null) => {
                self.error(&fp, "缺少评估表份数 forms：应为不小于 0 的整数");
                None
            }
            Some(v) => self.read_count(&fp, "评估表份数", v),
        };
        let ip = join_path(path, "indicators");
        let mut out_ind = Map::new();
        match obj.get("indicators") {
            Some(Value::Object(ind)) => {
                let known: Vec<&str> = field.rows.iter().map(|r| r.id.as_str()).collect();
                self.check_object_keys(&ip, "各指标份数", ind, &known);
                let levels: Vec<&str> = field.options.iter().map(|o| o.id.as_str()).collect();
                for row in &field.rows {
                    let rp = join_path(&ip, &row.id);
                    let Some(Value::Object(counts)) = ind.get(&row.id) else {
                        let msg = format!(
                            "缺少指标“{}”的各等级份数：应为 {{{}}}",
                            row.label,
                            levels.join(", ")
                        );
                        self.error(rp, msg);
                        continue;
                    };
                    self.check_object_keys(&rp, &row.label, counts, &levels);
                    let mut sum: u64 = 0;
                    let mut complete = true;
                    let mut out = Map::new();
                    for level in &field.options {
                        let lp = join_path(&rp, &level.id);
                        let label = format!("{}·{}", row.label, level.label);
                        match counts.get(&level.id) {
                            Some(v) if !v.is_null() => match self.read_count(&lp, &label, v) {
                                Some(n) => {
                                    sum = sum.saturating_add(n);
                                    out.insert(level.id.clone(), Value::from(n));
                                }
                                None => complete = false,
                            },
                            _ => {
                                self.error(lp, format!("缺少“{label}”的份数：应为不小于 0 的整数"));
                                complete = false;
                            }
                        }
                    }
                    if let (true, Some(forms)) = (complete, forms) {
                        if sum != forms {
                            let msg =
                                crate::tally::sum_mismatch(&row.label, u128::from(sum), forms);
                            self.error(rp.clone(), msg);
                        }
                    }
                    out_ind.insert(row.id.clone(), Value::Object(out));
                }
            }
            None | Some(Value::Null) => {
                self.error(&ip, "缺少各指标份数 indicators");
            }
            Some(other) => {
                let msg = format!("indicators 应为对象，现为{}", json_type(other));
                self.error(&ip, msg);
            }
        }
        let mut out = Map::new();
        if let Some(f) = forms {
            out.insert("forms".into(), Value::from(f));
        }
        out.insert("indicators".into(), Value::Object(out_ind));
        Some(Value::Object(out))
    }

    /// A non-negative integer count.
    fn read_count(&mut self, path: &str, label: &str, v: &Value) -> Option<u64> {
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

    fn check_scoring_input(
        &mut self,
        key: &str,
        kind: &InputKind,
        raw: Option<&Value>,
    ) -> Option<Value> {
        if is_empty(raw) {
            return None;
        }
        let raw = raw?;
        let scoring = self.schema.scoring.as_ref()?;
        let owner = scoring
            .indicators()
            .find(|i| i.inputs().iter().any(|(k, _)| k == key));
        let label = owner.map_or(key.to_string(), |i| format!("{}（{key}）", i.label));
        match kind {
            InputKind::ChoiceScore => {
                let d = self.read_decimal(key, &format!("“{label}”"), raw)?;
                let options: Vec<Decimal> = match owner.map(|i| &i.rule) {
                    Some(crate::scoring::Rule::Choice { options }) => {
                        options.iter().map(|o| o.score).collect()
                    }
                    _ => Vec::new(),
                };
                if !options.contains(&d) {
                    let list: Vec<String> = options.iter().map(|o| fmt_dec(*o)).collect();
                    let msg = format!(
                        "“{label}”的自评分 {} 不是可选分值：应为 {} 分之一",
                        fmt_dec(d),
                        list.join(" / ")
                    );
                    self.error(key, msg);
                    return Some(raw.clone());
                }
                Some(decimal_json(d))
            }
            InputKind::Percent | InputKind::Money => {
                let d = self.read_decimal(key, &format!("“{label}”"), raw)?;
                let denominator = scoring.indicators().any(|i| {
                    matches!(&i.rule, crate::scoring::Rule::Tiers { denominator, .. } if denominator == key)
                });
                if d.is_sign_negative() && !d.is_zero() {
                    self.error(key, format!("“{label}”应不小于 0，现为 {}", fmt_dec(d)));
                } else if denominator && d.is_zero() {
                    self.error(key, format!("“{label}”应大于 0（作为资金使用率的分母）"));
                }
                Some(match raw {
                    Value::String(_) => Value::String(fmt_dec(d)),
                    _ => decimal_json(d),
                })
            }
            InputKind::Count => {
                let n = self.read_count(key, &format!("{label}（发现问题处数）"), raw);
                Some(n.map_or_else(|| raw.clone(), Value::from))
            }
            InputKind::Bool => match raw {
                Value::Bool(b) => Some(Value::Bool(*b)),
                other => {
                    let msg = format!(
                        "“{label}”应为是/否（true 或 false），现为{}",
                        json_type(other)
                    );
                    self.error(key, msg);
                    Some(raw.clone())
                }
            },
            InputKind::Execution => match raw.as_str().map(str::trim) {
                Some(s @ ("full" | "partial" | "none")) => Some(Value::String(s.to_string())),
                _ => {
                    let msg = format!(
                        "“{label}”应为 full（执行到位）、partial（部分执行不到位）或 none（完全不执行），现为 {raw}"
                    );
                    self.error(key, msg);
                    Some(raw.clone())
                }
            },
            InputKind::Survey => {
                // A survey input without a counts field: validate with the survey's shape.
                Some(raw.clone())
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Values for rules (only values that passed validation)

    fn is_bad(&self, path: &str) -> bool {
        self.bad.iter().any(|p| p == path)
    }

    fn value_at(&self, name: &str) -> Option<&Value> {
        if self.is_bad(name) {
            return None;
        }
        match name.split_once('.') {
            Some((head, tail)) => self.values.get(head)?.get(tail),
            None => self.values.get(name),
        }
    }

    /// The running sum of each `sum_equals` rule (see [`SumLine`]).
    fn sum_lines(&self) -> Vec<SumLine> {
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

    fn decimal_at(&self, name: &str) -> Option<Decimal> {
        if let Some(d) = self.computed_dec.get(name) {
            return Some(*d);
        }
        self.value_at(name).and_then(as_decimal)
    }

    fn date_at(&self, name: &str) -> Option<NaiveDate> {
        self.value_at(name).and_then(as_date)
    }

    fn label_of(&self, name: &str) -> String {
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

    fn rows_of(&self, table: &str) -> usize {
        match self.values.get(table) {
            Some(Value::Array(rows)) => rows.len(),
            _ => 0,
        }
    }

    fn compute(&mut self) {
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

    // -----------------------------------------------------------------------------------
    // Rules

    fn form_rule(&mut self, rule: &Rule) {
        let sev = rule.severity();
        match rule {
            Rule::SumEquals { items, total, .. } => {
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
                    self.finding(sev, total.clone(), msg);
                }
            }
            Rule::MinRows { table, min, .. } => {
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
                    self.finding(sev, table.clone(), msg);
                }
            }
            Rule::AtLeast { value, min, .. } => {
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
                    self.finding(sev, value.clone(), msg);
                }
            }
            Rule::CourseDays {
                start,
                end,
                min,
                max,
                ..
            } => {
                let (Some(s), Some(e)) = (self.date_at(start), self.date_at(end)) else {
                    return;
                };
                if e < s {
                    let msg = format!(
                        "“{}” {e} 早于“{}” {s}：结束日期应不早于开始日期",
                        self.label_of(end),
                        self.label_of(start)
                    );
                    self.finding(Severity::Error, end.clone(), msg);
                    return;
                }
                let days = (e - s).num_days() + 1;
                let lo = self.bound(min);
                let hi = self.bound(max);
                let outside = lo.is_some_and(|lo| (days as f64) < lo)
                    || hi.is_some_and(|hi| (days as f64) > hi);
                if outside {
                    let range = match (lo, hi) {
                        (Some(lo), Some(hi)) => format!("{}-{} 天", fmt_f64(lo), fmt_f64(hi)),
                        (Some(lo), None) => format!("不少于 {} 天", fmt_f64(lo)),
                        (None, Some(hi)) => format!("不超过 {} 天", fmt_f64(hi)),
                        (None, None) => String::new(),
                    };
                    let msg = format!(
                        "办班时间 {s} 至 {e} 共 {days} 天（含首尾），应为通知规定的 {range}"
                    );
                    self.finding(sev, end.clone(), msg);
                }
            }
            Rule::DueBefore {
                field,
                before,
                working_days,
                ..
            } => {
                let (Some(filled), Some(start)) = (self.date_at(field), self.date_at(before))
                else {
                    return;
                };
                let Some(n) = self.bound(working_days) else {
                    return;
                };
                let n = n.max(0.0).min(f64::from(u16::MAX)) as u32;
                let Some(cal) = &self.ctx.calendar else {
                    self.notes.push(Finding::warning(
                        field.clone(),
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
                        self.finding(sev, field.clone(), msg);
                    }
                    Ok(_) => {}
                    Err(missing) => {
                        let msg = format!("无法计算截止日：{missing}");
                        self.finding(Severity::Warning, field.clone(), msg);
                    }
                }
            }
            Rule::TextLength {
                field, min, max, ..
            } => {
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
                    self.finding(sev, field.clone(), msg);
                }
            }
            Rule::MinItems { field, min, .. } => {
                let Some(text) = self.value_at(field).and_then(Value::as_str) else {
                    return;
                };
                let n = fields::count_items(text);
                if n < *min as usize {
                    let msg = format!(
                        "“{}”中分条列出的建议为 {n} 条，应不少于 {min} 条（请用 1. 2. 3. 或（一）（二）等编号分条列出）",
                        self.label_of(field)
                    );
                    self.finding(sev, field.clone(), msg);
                }
            }
            _ => {}
        }
    }

    fn row_rule(&mut self, table_path: &str, i: usize, view: &RowView<'_>, rule: &Rule) {
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
        let line = i + 1;
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

    fn unique(
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
                first + 1,
                second + 1
            );
            self.finding(sev, format!("{path}[{first}].{column}"), msg);
            for &i in &at[1..] {
                let msg = format!(
                    "第 {} 行“{label}” {value} 与第 {} 行重复：每行应不同",
                    i + 1,
                    first + 1
                );
                self.finding(sev, format!("{path}[{i}].{column}"), msg);
            }
        }
    }
}
