//! Data blocks: what a page embeds for its scripts inside `<script type="…">` elements
//! that are not run (the engine's schema, rules and calendar; JSON lists).

use serde::Serialize;

/// A schema, a notice's rules or the calendar as the page's engine reads them:
/// `wasm_forms::wire`'s text (postcard in base64url, already HTML-inert).
pub fn wire_block<T: Serialize>(value: &T) -> String {
    wasm_forms::wire::encode(value).unwrap_or_default()
}

/// JSON inside `<script type="application/json">`: `<`, `>` and `&` only ever occur in
/// strings, so escaping them as `\u003c` … keeps the JSON equal and the HTML inert.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_blocks_cannot_be_closed_by_data() {
        let s = script_safe(r#"{"a":"</script><b>&"}"#);
        assert!(!s.contains("</script>"));
        let back: serde_json::Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back["a"], "</script><b>&");
    }
}
