//! Test helpers: validate a response with a notice's rules and look its findings up by
//! path.

use serde_json::Value;
use wasm_forms::validate::{validate, Report};
use wasm_forms::NoticeRules;

use crate::core_support::schema;
use crate::report::response;
use crate::rules::ctx;

pub fn run(form: &str, values: Value, rules: NoticeRules) -> Report {
    validate(&schema(form), &response(form, values), &ctx(rules))
}

/// Findings at exactly this path.
pub fn at<'a>(r: &'a Report, path: &str) -> Vec<&'a wasm_forms::Finding> {
    r.findings.iter().filter(|f| f.path == path).collect()
}

pub fn has(r: &Report, path: &str, needle: &str) -> bool {
    at(r, path).iter().any(|f| f.message.contains(needle))
}
