//! Validation of a response (`{form, version, values}`) against its [`FormSchema`].
//!
//! This module owns the walk over a response: the envelope (form id, version), unknown
//! keys anywhere, value types, required fields, every field type of the contract, table
//! rows and their row rules, form-level rules with the notice's numbers and working-day
//! calendar, the scoring inputs of an indicator form, and the computed values. It returns
//! a [`Report`]: findings with paths and Chinese messages, the normalised values, the
//! normalisations made (notes) and the computed values. It never panics.
//!
//! The walk is split by what it validates: the envelope and the order of the walk
//! (`response.rs`), one value against its field type (`values.rs`), tables and their row
//! rules (`table.rs`), the survey counts and scoring inputs of an indicator form
//! (`scoring.rs`), the computed values and what rules read (`computed.rs`) and the
//! form-level rules (`rules.rs`). They share the validator's state and message helpers
//! (`validator.rs`); the types of the API are in `report.rs`.

mod computed;
mod report;
mod response;
mod rules;
mod scoring;
mod table;
mod validator;
mod values;

use serde_json::Value;

use crate::schema::FormSchema;
use validator::Validator;

pub use report::{Context, Report, RowNumbers, SumLine};

/// Validates a whole response object `{form, version, values}`, with the survey
/// summaries of counts fields and the score in `computed`. Never panics.
pub fn validate(schema: &FormSchema, response: &Value, ctx: &Context) -> Report {
    validate_numbered(schema, response, ctx, RowNumbers::default())
}

/// [`validate`] of rows read from a file: each "第 N 行" of a finding about the table
/// `rows.table` names the row as the file numbers it (its line, or its sheet row), so
/// that the findings read beside the file's own errors ([`crate::io::TableRead`]).
pub fn validate_numbered(
    schema: &FormSchema,
    response: &Value,
    ctx: &Context,
    rows: RowNumbers<'_>,
) -> Report {
    let (mut v, values_checked) = check(schema, response, ctx, rows);
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
    check(schema, response, ctx, RowNumbers::default())
        .0
        .report()
}

/// Everything of [`validate`] but the scores; `true` when the values were checked (the
/// response is an object), the condition of scoring them.
fn check<'a>(
    schema: &'a FormSchema,
    response: &Value,
    ctx: &'a Context,
    rows: RowNumbers<'a>,
) -> (Validator<'a>, bool) {
    let mut v = Validator::new(schema, ctx, rows);
    let values_checked = v.run(response);
    (v, values_checked)
}
