//! The one API of the engine: what `site-gen form …` and the browser binding call.
//!
//! Each function takes the schema, the response (as parsed JSON or as the text of a
//! file) and the validation context, and returns a report whose JSON is the output
//! contract of both callers: [`to_json`] spells it, so the command line prints and the
//! page receives the very same bytes for the same input.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::aggregate::{self, SurveyLayout, SurveySummary};
use crate::decimal::dec;
use crate::finding::{all_valid, Finding};
use crate::io;
use crate::schema::{ComputedKind, FormSchema};
use crate::score::{self, ScoreResult};
use crate::scoring::RateRule;
use crate::validate::{self, Context};

/// The output contract's JSON: pretty-printed, keys in struct order.
pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| {
        let f = Finding::error("", format!("内部错误：无法生成 JSON（{e}）"));
        // Typed, not `json!`: that would link serde_json's `Value` serializer for this
        // one answer that is never given.
        serde_json::to_string_pretty(&ScoreReport::failed(vec![f])).unwrap_or_default()
    })
}

/// One pass mark the schema states (an `at_least` computed value, e.g. the Shandong
/// acceptance form's 70) and whether the response reaches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassMark {
    /// The computed value's id (`organizer_passed`).
    pub id: String,
    pub label: String,
    /// The field compared (`organizer_score`).
    pub field: String,
    #[serde(with = "dec")]
    pub mark: Decimal,
    /// The field's value as validated; absent when empty or invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Absent while the value is missing or invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

/// The score of one response: validation and scoring findings, the `[scoring]` result
/// (pass mark included, only where the schema states one) and every other pass mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// True when neither validation nor scoring found an error.
    pub valid: bool,
    /// Validation's findings, then scoring's.
    pub findings: Vec<Finding>,
    /// Indicators, section subtotals, total; absent for a form without `[scoring]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreResult>,
    /// The `at_least` pass marks of the form, in schema order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pass_marks: Vec<PassMark>,
}

impl ScoreReport {
    /// The report of a response that could not be read.
    pub fn failed(findings: Vec<Finding>) -> Self {
        ScoreReport {
            valid: false,
            findings,
            score: None,
            pass_marks: Vec::new(),
        }
    }
}

/// Scores a response `{form, version, values}` (validated first, then scored on the
/// normalised values). A form with neither `[scoring]` nor a pass mark cannot be scored:
/// an error finding says so.
pub fn score_response(schema: &FormSchema, response: &Value, ctx: &Context) -> ScoreReport {
    let report = validate::validate(schema, response, ctx);
    let mut findings = report.findings;
    let pass_marks: Vec<PassMark> = schema
        .computed()
        .filter(|c| c.kind == ComputedKind::AtLeast)
        .filter_map(|c| {
            let field = c.field.clone()?;
            Some(PassMark {
                id: c.id.clone(),
                label: c.label.clone(),
                value: report.values.get(&field).cloned(),
                field,
                mark: c.min.and_then(dec::from_f64)?,
                passed: report.computed.get(&c.id).and_then(Value::as_bool),
            })
        })
        .collect();
    let score = if schema.scoring.is_some() || pass_marks.is_empty() {
        let mut result = score::score(schema, &report.values);
        // Validation has already reported an invalid input; scoring adds what only it
        // knows (an indicator left unscored, a denominator of 0).
        let reported: Vec<String> = findings.iter().map(|f| f.path.clone()).collect();
        findings.extend(
            std::mem::take(&mut result.findings)
                .into_iter()
                .filter(|f| !reported.contains(&f.path)),
        );
        schema.scoring.as_ref().map(|_| result)
    } else {
        None
    };
    ScoreReport {
        valid: all_valid(&findings),
        findings,
        score,
        pass_marks,
    }
}

/// [`score_response`] of a file's text (an exported file or a bare response).
pub fn score_text(schema: &FormSchema, text: &str, ctx: &Context) -> ScoreReport {
    match io::import_json(text) {
        Ok(response) => score_response(schema, &response, ctx),
        Err(findings) => ScoreReport::failed(findings),
    }
}

/// The form among `forms` whose counts field summarises the survey `survey` (the
/// evaluation report's section 五): its counts rows are the survey's rated fields.
pub fn summarising_form<'a>(
    forms: impl IntoIterator<Item = &'a FormSchema>,
    survey: &FormSchema,
) -> Option<&'a FormSchema> {
    let layout = SurveyLayout::from_schema(survey)?;
    let rows: Vec<&str> = layout.rows.iter().map(|r| r.id.as_str()).collect();
    forms.into_iter().find(|f| {
        f.id != survey.id
            && f.fields().any(|field| {
                field.kind == crate::schema::FieldType::Counts
                    && field
                        .rows
                        .iter()
                        .map(|r| r.id.as_str())
                        .eq(rows.iter().copied())
            })
    })
}

/// Aggregates survey files (name, parsed response or why it could not be read); r is
/// scored by the survey_rate rule of `summarised_by` (the form that summarises this
/// survey), when given. `None` for a form without a rating matrix.
pub fn aggregate(
    survey: &FormSchema,
    inputs: &[(String, Result<Value, String>)],
    ctx: &Context,
    summarised_by: Option<&FormSchema>,
) -> Option<SurveySummary> {
    SurveyLayout::from_schema(survey)?;
    let rate = summarised_by.and_then(RateRule::of);
    Some(aggregate::aggregate(survey, inputs, ctx, rate))
}
