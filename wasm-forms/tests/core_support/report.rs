//! Test helpers: a response envelope, and a report's findings as text.

use serde_json::{json, Value};
use wasm_forms::validate::Report;

pub fn response(form: &str, values: Value) -> Value {
    json!({ "form": form, "version": 1, "values": values })
}

pub fn dump(r: &Report) -> String {
    r.findings
        .iter()
        .map(|f| format!("{:?} {}: {}", f.severity, f.path, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}
