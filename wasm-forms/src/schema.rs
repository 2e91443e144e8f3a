//! Form schemas as data: the types of `content/forms/<id>.toml` and their checks.
//!
//! A [`FormSchema`] carries everything a page needs to render a form (title, notes,
//! sections with legends in the seed's order, fields with labels, types and help) and
//! everything the engine needs to check a response (field types and ranges, repeating
//! tables with row rules, form-level rules, computed values, the scoring part). Numbers a
//! notice sets (minimum trainees, day range, minimum hours, working-day deadlines) are
//! never copied into a form: a [`Bound`] names them (`min = { notice = "min_trainees" }`).
//! [`parse_toml`] reads a schema and reports every problem with its line and column.
//! Serialised, every field is written (none skipped when empty): the page carries the
//! schema in [`crate::wire`]'s form, which has no keys to leave out.
//!
//! ```toml
//! id = "shandong-filing"                 # form id of forms.md = file stem
//! title = "…高级研修项目备案表"            # the seed's title
//! version = 1
//! notes = ["…"]                          # Markdown: decisions about the seed's ambiguities
//!
//! [[sections]]                           # a fieldset, in the seed's order
//! legend = "授课安排"
//! fields = [                             # type: id_number mobile phone email postcode qq date
//!   { id = "lecturers", label = "授课专家", type = "table", columns = [   # number money text
//!     { id = "hours", label = "学时数", type = "number", step = 0.5,     # choice bool table
//!       min = 0, min_exclusive = true },                                # record counts
//!   ], row_rules = [{ kind = "unique", column = "expert" }] },
//! ]
//! [[sections.computed]]                  # sum | percent_of_rows | at_least
//! id = "total_hours"
//! label = "学时总计"
//! kind = "sum"
//! table = "lecturers"
//! column = "hours"
//!
//! [[rules]]                              # see [`Rule`] for every kind
//! kind = "at_least"
//! value = "total_hours"
//! min = { notice = "min_hours" }         # read from the notice's [rules], never copied
//! ```
//!
//! A section with `matrix = [levels…]` is a rating matrix (its choice fields are the
//! rows, grouped by `group`); `headers` are the seed's column headings of a matrix or of
//! a section's fixed record rows (expense rows); `scoring = true` places the
//! `[scoring]` table (see [`crate::scoring::Scoring`]). Everything particular to one form
//! is here, never in code: signature boxes (`signatures`), the field naming exported
//! files (`file_name_field`), fields filled from a program's link (`prefill`), pass
//! marks and their words (`at_least` computed values, `[scoring] pass_mark`), the labels
//! of scoring inputs (`[scoring.inputs]`), the levels counted as satisfied, and the words
//! of the survey summary (`text` of a counts field).

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::rules::NoticeRules;
use crate::scoring::{RateRule, Rule as ScoringRule, Scoring};

/// One form: `content/forms/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSchema {
    /// The form id of forms.md (`wenzhou-survey` …); equals the file stem.
    pub id: String,
    /// The seed's title.
    pub title: String,
    /// Schema version; a response's `version` must equal it.
    pub version: u32,
    /// Who issues the form, printed under its title as the seed prints it
    /// (`温州市人力资源和社会保障局（制）`): the first words a city's copy changes.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Markdown shown above the form (e.g. the seed's 填表说明).
    #[serde(default)]
    pub intro: Option<String>,
    /// Markdown notes: the product's decisions about ambiguities in the seed, shown as
    /// short notes on the page.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Sections (fieldsets) in the seed's order.
    pub sections: Vec<Section>,
    /// Form-level rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Markdown shown under the form (e.g. the seed's 注：…).
    #[serde(default)]
    pub footer: Option<String>,
    /// Scoring indicators and sections (wenzhou-evaluation).
    #[serde(default)]
    pub scoring: Option<Scoring>,
    /// Signature and seal boxes under the form, as the seed prints them
    /// (`项目负责人（签字）`, `申报单位（公章）`).
    #[serde(default)]
    pub signatures: Vec<String>,
    /// The top-level text field whose value names exported files
    /// (`<form id>-<value>.json`), e.g. `project_name`.
    #[serde(default)]
    pub file_name_field: Option<String>,
}

/// A fieldset with a legend (`一、项目基本概况`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Optional id (for anchors, and for placing the scoring table).
    #[serde(default)]
    pub id: Option<String>,
    /// The seed's heading, with its numbering.
    pub legend: String,
    /// Markdown under the legend.
    #[serde(default)]
    pub help: Option<String>,
    /// When present the section is a rating matrix: rows are its fields (choices),
    /// columns these levels (fields without `options` take them).
    #[serde(default)]
    pub matrix: Vec<ChoiceOption>,
    /// The seed's column headings: of a fixed-row table, its label column and each
    /// column (the expense rows `款项内容 / 金额（万元） / 支付标准、总额及明细账 /
    /// 支付凭证`); of a rating matrix, its two label columns (`评估内容 / 评估指标`).
    #[serde(default)]
    pub headers: Vec<String>,
    /// True when the scoring table (`[scoring]`) is rendered in this section.
    #[serde(default)]
    pub scoring: bool,
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Values computed from the response, shown in this section.
    #[serde(default)]
    pub computed: Vec<Computed>,
}

/// Field types of forms.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// 居民身份证号码 (GB 11643-1999).
    IdNumber,
    Mobile,
    /// Mobile or landline, possibly several numbers.
    Phone,
    Email,
    Postcode,
    Qq,
    /// `YYYY-MM-DD`.
    Date,
    /// A number with optional `min`, `max`, `step`, `integer`.
    Number,
    /// 万元, a decimal number or string.
    Money,
    /// Text with optional `max_chars` (Unicode characters, whitespace not counted).
    Text,
    /// One of `options`.
    Choice,
    Bool,
    /// A repeating table: an array of objects with `columns`.
    Table,
    /// A fixed object with sub-fields `columns` (e.g. an expense row).
    Record,
    /// Counts per row and level (the evaluation's `survey`): `{forms, indicators:
    /// {row: {level: n}}}` with `rows` and `options` (levels).
    Counts,
}

impl FieldType {
    /// The type's name as written in a schema (`id_number`, `table`, …).
    pub fn name(self) -> &'static str {
        match self {
            FieldType::IdNumber => "id_number",
            FieldType::Mobile => "mobile",
            FieldType::Phone => "phone",
            FieldType::Email => "email",
            FieldType::Postcode => "postcode",
            FieldType::Qq => "qq",
            FieldType::Date => "date",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Text => "text",
            FieldType::Choice => "choice",
            FieldType::Bool => "bool",
            FieldType::Table => "table",
            FieldType::Record => "record",
            FieldType::Counts => "counts",
        }
    }
}

pub use crate::choice::ChoiceOption;

/// A query-string key of a program page's link to a form (`?project_name=…`): the
/// field starts with the program's value when empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prefill {
    /// The program's name.
    ProjectName,
    /// The program's organizer (承办单位).
    Organizer,
}

impl Prefill {
    /// The query-string key.
    pub fn key(self) -> &'static str {
        match self {
            Prefill::ProjectName => "project_name",
            Prefill::Organizer => "organizer",
        }
    }
}

/// The words of a counts field's page (the evaluation's section 五): its table, the
/// import of survey files, and the summary beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsText {
    /// Caption of the typed-in counts table (`各评估等级份数`).
    pub caption: String,
    /// Headings of the two row-label columns (`评估内容`, `评估指标`).
    pub headers: [String; 2],
    /// Label of the number of forms (`评估表份数`).
    pub forms: String,
    /// What to drop or choose to import (Markdown-free text).
    pub import: String,
    /// The alternative of typing the counts.
    pub typed: String,
    /// Caption of the percentage table (`各指标评估等级所占百分比（%）`).
    pub percent_caption: String,
    /// Name of the satisfaction rate (`满意率 r（很满意 + 满意）`).
    pub rate: String,
    /// Name of the score derived from r (`学员满意度得分`).
    pub score: String,
    /// Title of the chart.
    pub chart: String,
}

/// One row of a counts field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRow {
    pub id: String,
    pub label: String,
    /// Row group label (培训设计 …).
    #[serde(default)]
    pub group: Option<String>,
}

/// A number rule's bound: a literal, or a number of the notice's `[rules]`
/// (`{ notice = "min_trainees" }`).
/// In TOML and JSON a number or `{ notice = … }`; in the wire form (crate::wire) an
/// enum: variant 0 a number, 1 a notice key.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Value(f64),
    Notice { notice: NoticeKey },
}

impl Serialize for Bound {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match (self, s.is_human_readable()) {
            (Bound::Value(v), true) => s.serialize_f64(*v),
            (Bound::Notice { notice }, true) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("notice", notice)?;
                m.end()
            }
            (Bound::Value(v), false) => s.serialize_newtype_variant("Bound", 0, "value", v),
            (Bound::Notice { notice }, false) => {
                s.serialize_newtype_variant("Bound", 1, "notice", notice)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Bound;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or { notice = \"min_trainees\" | \"min_hours\" | \"days_min\" | \"days_max\" | \"plan_due_working_days\" | \"report_due_working_days\" }")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Bound, E> {
                Ok(Bound::Value(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Bound, E> {
                Ok(Bound::Value(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Bound, E> {
                Ok(Bound::Value(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Bound, A::Error> {
                let mut notice = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "notice" {
                        return Err(serde::de::Error::unknown_field(&key, &["notice"]));
                    }
                    notice = Some(map.next_value::<NoticeKey>()?);
                }
                notice
                    .map(|notice| Bound::Notice { notice })
                    .ok_or_else(|| serde::de::Error::missing_field("notice"))
            }
            // The wire form.
            fn visit_enum<A: serde::de::EnumAccess<'de>>(self, e: A) -> Result<Bound, A::Error> {
                use serde::de::VariantAccess;
                let (i, v) = e.variant::<u32>()?;
                match i {
                    0 => v.newtype_variant().map(Bound::Value),
                    _ => v.newtype_variant().map(|notice| Bound::Notice { notice }),
                }
            }
        }
        if d.is_human_readable() {
            d.deserialize_any(V)
        } else {
            d.deserialize_enum("Bound", &["value", "notice"], V)
        }
    }
}

/// The notice rules a form may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKey {
    MinTrainees,
    MinHours,
    /// The lower end of `days`.
    DaysMin,
    /// The upper end of `days`.
    DaysMax,
    PlanDueWorkingDays,
    ReportDueWorkingDays,
}

impl NoticeKey {
    /// The value in the notice's rules, if the notice sets it.
    pub fn value(self, rules: &NoticeRules) -> Option<f64> {
        match self {
            NoticeKey::MinTrainees => rules.min_trainees.map(f64::from),
            NoticeKey::MinHours => rules.min_hours,
            NoticeKey::DaysMin => rules.days.map(|d| d[0]),
            NoticeKey::DaysMax => rules.days.map(|d| d[1]),
            NoticeKey::PlanDueWorkingDays => rules.plan_due_working_days.map(f64::from),
            NoticeKey::ReportDueWorkingDays => rules.report_due_working_days.map(f64::from),
        }
    }

    /// The notice key as written in the schema.
    pub fn name(self) -> &'static str {
        match self {
            NoticeKey::MinTrainees => "min_trainees",
            NoticeKey::MinHours => "min_hours",
            NoticeKey::DaysMin => "days_min",
            NoticeKey::DaysMax => "days_max",
            NoticeKey::PlanDueWorkingDays => "plan_due_working_days",
            NoticeKey::ReportDueWorkingDays => "report_due_working_days",
        }
    }
}

impl Bound {
    /// The bound's value under a notice's rules; `None` when the notice does not set it
    /// (the rule is then not applied).
    pub fn resolve(&self, rules: &NoticeRules) -> Option<f64> {
        match self {
            Bound::Value(v) => Some(*v),
            Bound::Notice { notice } => notice.value(rules),
        }
    }
}

/// One field. Type-specific keys are allowed only on their type (checked by
/// [`FormSchema::check`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field id of forms.md (the key in `values`).
    pub id: String,
    /// The seed's Chinese label.
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    /// Markdown help under the control.
    #[serde(default)]
    pub help: Option<String>,
    /// Row group label in a matrix (培训设计 …).
    #[serde(default)]
    pub group: Option<String>,
    /// HTML autocomplete token (`name`, `tel`, `email`, `postal-code` …).
    #[serde(default)]
    pub autocomplete: Option<String>,
    /// number / money: inclusive minimum (exclusive with `min_exclusive`).
    #[serde(default)]
    pub min: Option<Bound>,
    #[serde(default)]
    pub min_exclusive: bool,
    /// number / money: inclusive maximum.
    #[serde(default)]
    pub max: Option<Bound>,
    /// number: the value must be a multiple of `step`.
    #[serde(default)]
    pub step: Option<f64>,
    /// number: whole numbers only.
    #[serde(default)]
    pub integer: bool,
    /// number / money: unit shown after the control (`万元`, `%`, `天` …).
    #[serde(default)]
    pub unit: Option<String>,
    /// text: maximum length in characters (whitespace not counted).
    #[serde(default)]
    pub max_chars: Option<u32>,
    /// text: a textarea.
    #[serde(default)]
    pub multiline: bool,
    /// choice: the options; counts: the levels.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// bool: labels of true and false when shown as two choices (`有` / `否`).
    #[serde(default)]
    pub true_label: Option<String>,
    #[serde(default)]
    pub false_label: Option<String>,
    /// table / record: the columns (sub-fields) in the seed's order.
    #[serde(default)]
    pub columns: Vec<Field>,
    /// table: rules checked on every row (and `unique` across rows).
    #[serde(default)]
    pub row_rules: Vec<Rule>,
    /// counts: the rows.
    #[serde(default)]
    pub rows: Vec<CountRow>,
    /// counts: the words of its table, import and summary.
    #[serde(default)]
    pub text: Option<CountsText>,
    /// Filled from a program page's link when empty (`prefill = "project_name"`).
    #[serde(default)]
    pub prefill: Option<Prefill>,
    /// A table column that every row usually shares (the course's dates, host, days):
    /// the page lets it be entered once above the table and applies it to every row.
    #[serde(default)]
    pub shared: bool,
}

/// How a computed value is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputedKind {
    /// Sum of `column` over the rows of `table`.
    Sum,
    /// floor(`percent` % × number of rows of `table`).
    PercentOfRows,
    /// true when the number `field` is at least `min`.
    AtLeast,
}

/// A computed value (`total_hours`, `recommended_outcomes`, `organizer_passed` …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Computed {
    /// Key in the report's `computed`.
    pub id: String,
    pub label: String,
    pub kind: ComputedKind,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub percent: Option<u32>,
    #[serde(default)]
    pub min: Option<f64>,
    /// at_least: the words for true and false (`合格` / `不合格`).
    #[serde(default)]
    pub true_label: Option<String>,
    #[serde(default)]
    pub false_label: Option<String>,
}

/// A rule over several fields (form-level in `rules`, per row in a table's `row_rules`).
/// Field names are field ids (form level) or column ids (row level); form-level names may
/// be `record.sub` paths (`lecturer_fees.amount`) or computed ids.
// Deserialize: rule_de.rs (same tables and messages, without serde's buffering).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// The money/number values `items` add up to `total` (an error naming both sums).
    SumEquals {
        items: Vec<String>,
        total: String,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// The table has at least `min` rows.
    MinRows {
        table: String,
        min: Bound,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// The number (field or computed id) `value` is at least `min`.
    AtLeast {
        value: String,
        min: Bound,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Course days from `start` to `end` inclusive are within `min`..=`max`.
    CourseDays {
        start: String,
        end: String,
        min: Bound,
        max: Bound,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// `field` (a date) is no later than the `working_days`-th working day strictly
    /// before `before` (a date); the message gives the due date.
    DueBefore {
        field: String,
        before: String,
        working_days: Bound,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Length of a text in characters (whitespace not counted) within `min`..=`max`.
    TextLength {
        field: String,
        #[serde(default)]
        min: Option<u32>,
        #[serde(default)]
        max: Option<u32>,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// A text holds at least `min` numbered or bulleted items.
    MinItems {
        field: String,
        min: u32,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Row: `start` ≤ `end` (dates).
    DateOrder {
        start: String,
        end: String,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Table: a value of `column` appearing twice is an error on both rows.
    Unique {
        column: String,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Row: the gender choice (`male` / `female`) matches digit 17 of the id number.
    GenderMatchesId {
        gender: String,
        id_number: String,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Row: when the bool `field` is true, `required` are filled and `min_field` ≥ `min`.
    WhenTrue {
        field: String,
        #[serde(default)]
        required: Vec<String>,
        #[serde(default)]
        min_field: Option<String>,
        #[serde(default)]
        min: Option<Bound>,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Row: `days` is not more than the calendar days from `start` to `end` inclusive.
    DaysWithinDates {
        days: String,
        start: String,
        end: String,
        #[serde(default)]
        severity: Option<Severity>,
    },
}

impl Rule {
    /// The rule kind as written in the schema.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::SumEquals { .. } => "sum_equals",
            Rule::MinRows { .. } => "min_rows",
            Rule::AtLeast { .. } => "at_least",
            Rule::CourseDays { .. } => "course_days",
            Rule::DueBefore { .. } => "due_before",
            Rule::TextLength { .. } => "text_length",
            Rule::MinItems { .. } => "min_items",
            Rule::DateOrder { .. } => "date_order",
            Rule::Unique { .. } => "unique",
            Rule::GenderMatchesId { .. } => "gender_matches_id",
            Rule::WhenTrue { .. } => "when_true",
            Rule::DaysWithinDates { .. } => "days_within_dates",
        }
    }

    /// The severity of a finding of this rule (default: error).
    pub fn severity(&self) -> Severity {
        let s = match self {
            Rule::SumEquals { severity, .. }
            | Rule::MinRows { severity, .. }
            | Rule::AtLeast { severity, .. }
            | Rule::CourseDays { severity, .. }
            | Rule::DueBefore { severity, .. }
            | Rule::TextLength { severity, .. }
            | Rule::MinItems { severity, .. }
            | Rule::DateOrder { severity, .. }
            | Rule::Unique { severity, .. }
            | Rule::GenderMatchesId { severity, .. }
            | Rule::WhenTrue { severity, .. }
            | Rule::DaysWithinDates { severity, .. } => severity,
        };
        s.unwrap_or(Severity::Error)
    }

    /// True for the kinds that belong in a table's `row_rules`.
    pub fn is_row_rule(&self) -> bool {
        matches!(
            self,
            Rule::DateOrder { .. }
                | Rule::Unique { .. }
                | Rule::GenderMatchesId { .. }
                | Rule::WhenTrue { .. }
                | Rule::DaysWithinDates { .. }
        )
    }
}

impl FormSchema {
    /// Every field of the form, top level (not table columns), in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    /// The top-level field with this id.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id == id)
    }

    /// Every computed value of the form, in order.
    pub fn computed(&self) -> impl Iterator<Item = &Computed> {
        self.sections.iter().flat_map(|s| s.computed.iter())
    }

    /// Every table field (repeating rows).
    pub fn tables(&self) -> impl Iterator<Item = &Field> {
        self.fields().filter(|f| f.kind == FieldType::Table)
    }
}

mod check;
mod error;
#[cfg(feature = "toml")]
mod parse;
mod scoring_check;
pub use error::{
    CheckError, KeyUse, Path, Problem, SchemaError, SchemaErrorKind, ScoringProblem, Step,
};
#[cfg(feature = "toml")]
pub use parse::{line_col, parse_toml, span_of, toml_error_message};

impl<'a> RateRule<'a> {
    /// The survey_rate rule of a schema's scoring, if it has one.
    pub fn of(schema: &'a FormSchema) -> Option<Self> {
        schema
            .scoring
            .as_ref()?
            .indicators()
            .find_map(|i| match &i.rule {
                ScoringRule::SurveyRate { tiers, below, .. } => Some(RateRule {
                    tiers,
                    below: *below,
                }),
                _ => None,
            })
    }
}
