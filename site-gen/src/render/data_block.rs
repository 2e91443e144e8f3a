//! The text of a data block (`<script type="application/json">`, never run) made inert
//! as HTML: the one escaping used by every page that carries JSON for its scripts.

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
