//! Survey hand-in without a server (shared/spec/handin.md).
//!
//! This module owns the response envelope's hand-in keys (`program`, `response_id`), the
//! hand-in code ([`code`]: encode, decode, why a code is rejected), finding codes in any
//! text ([`extract`]), and collecting responses from many batches ([`collect`]): the
//! duplicate rule by `response_id`, the reasons a code or file is rejected, and the
//! summary of what was collected. The survey page, the collection page and
//! `site-gen form aggregate` all go through these functions.

pub mod code;
pub mod collect;
pub mod extract;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::schema::FormSchema;
use crate::validate::Report;

pub use code::{decode, encode, CodeError, PREFIX};
pub use extract::{extract, Found};

/// Envelope keys of a response besides `form`, `version`, `values`.
pub const ENVELOPE_KEYS: [&str; 2] = ["program", "response_id"];

/// Longest `response_id` accepted.
const MAX_ID: usize = 64;

/// Findings on the envelope keys of a response object: `program` is
/// `<notice-slug>/<program-slug>`, `response_id` a short id of letters, digits, `-`, `_`.
pub fn check_envelope(obj: &Map<String, Value>) -> Vec<Finding> {
    let mut out = Vec::new();
    match obj.get("program") {
        None => {}
        Some(Value::String(p)) if valid_program(p) => {}
        Some(_) => out.push(Finding::error(
            "program",
            "program 应为“通知/项目”形式的文本（如 wenzhou-2020/municipal-3）",
        )),
    }
    match obj.get("response_id") {
        None => {}
        Some(Value::String(r))
            if !r.is_empty()
                && r.len() <= MAX_ID
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => {}
        Some(_) => out.push(Finding::error(
            "response_id",
            format!("response_id 应为 1-{MAX_ID} 个字母、数字、- 或 _"),
        )),
    }
    out
}

fn valid_program(p: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| !c.is_control() && !c.is_whitespace() && c != '/')
    };
    matches!(p.split_once('/'), Some((a, b)) if ok(a) && ok(b))
}

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
    let e = Export {
        form: &schema.id,
        version: schema.version,
        program: response.get("program").and_then(Value::as_str),
        response_id: response.get("response_id").and_then(Value::as_str),
        values: response
            .get("values")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        valid: report.valid,
        findings: &report.findings,
        computed: &report.computed,
    };
    serde_json::to_string_pretty(&e).unwrap_or_default()
}
