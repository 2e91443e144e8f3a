//! The hand-in keys of a response envelope besides `form`, `version` and `values`
//! (`program`, `response_id`; shared/spec/handin.md) and their checks, which the
//! validation of every response runs.

use serde_json::{Map, Value};

use crate::finding::Finding;

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
