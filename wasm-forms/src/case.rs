//! Unicode case mapping without linking Rust's case tables into the browser bundle.
//!
//! `str::to_lowercase` / `to_uppercase` carry about 16 KB (gzip) of Unicode tables into
//! the wasm. In the browser, JavaScript's `toLowerCase` / `toUpperCase` apply the same
//! Unicode default case mapping, so the wasm build asks the browser for non-ASCII text;
//! ASCII text (the common case) and native builds use std directly.

/// `s.to_lowercase()`.
pub fn to_lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// `s.to_uppercase()`.
pub fn to_uppercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_upper_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_std() {
        for s in [
            "ID",
            "Id_Number",
            "",
            "身份证号ＡＢ",
            "ÉMILE",
            "straße",
            "ΣΑΣ",
            "ⅱ类",
        ] {
            assert_eq!(to_lowercase(s), s.to_lowercase(), "{s}");
            assert_eq!(to_uppercase(s), s.to_uppercase(), "{s}");
        }
    }
}
