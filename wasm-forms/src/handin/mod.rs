//! Survey hand-in without a server (shared/spec/handin.md).
//!
//! This module owns the response envelope's hand-in keys ([`envelope`]: `program`,
//! `response_id`), the hand-in code ([`code`]: encode, decode, why a code is rejected),
//! finding codes in any text ([`extract`]), and collecting responses from many batches
//! ([`collect`]): the duplicate rule by `response_id`, the reasons a code or file is
//! rejected, and the summary of what was collected. The survey page, the collection
//! page and `site-gen form aggregate` all go through these functions.

pub mod code;
pub mod collect;
pub mod envelope;
pub mod extract;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::schema::FormSchema;
use crate::validate::Report;

pub use code::{decode, encode, CodeError, PREFIX};
pub use envelope::{check_envelope, ENVELOPE_KEYS};
pub use extract::{codes, extract, Found};

#[derive(Serialize)]
struct Export<'a> {
    form: &'a str,
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    program: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_id: Option<&'a str>,
    values: &'a Map<String, Value>,
    valid: bool,
    findings: &'a [Finding],
    computed: &'a Map<String, Value>,
}

/// The export file of a handed-in response: [`crate::io::export_json`]'s shape with the
/// envelope's `program` and `response_id`.
pub fn export_json(schema: &FormSchema, response: &Value, report: &Report) -> String {
    let empty = Map::new();
    let values = crate::io::stored(
        response
            .get("values")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        report,
    );
    let e = Export {
        form: &schema.id,
        version: schema.version,
        program: response.get("program").and_then(Value::as_str),
        response_id: response.get("response_id").and_then(Value::as_str),
        values: &values,
        valid: report.valid,
        findings: &report.findings,
        computed: &report.computed,
    };
    serde_json::to_string_pretty(&e).unwrap_or_default()
}
