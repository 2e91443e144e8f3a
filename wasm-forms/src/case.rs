//! Unicode case mapping without linking Rust's case tables into the browser bundle.
//!
//! `str::to_lowercase` / `to_uppercase` carry about 16 KB (gzip) of Unicode tables into
//! the wasm. In the browser, JavaScript's `toLowerCase` / `toUpperCase` apply the same
//! Unicode default case mapping, so the browser bindings hand theirs to the core
//! ([`set_mapping`]) and the wasm build maps non-ASCII text with it; ASCII text (the
//! common case) and native builds use std directly. The core itself never calls
//! JavaScript.

use std::sync::OnceLock;

/// A case mapping of non-ASCII text: `(text, to_upper)` → the mapped text.
pub type Mapping = fn(&str, bool) -> String;

static MAPPING: OnceLock<Mapping> = OnceLock::new();

/// Sets the mapping of non-ASCII text in the wasm build (the browser bindings set
/// JavaScript's; the first call wins). Without one, the wasm build maps ASCII letters
/// only; native builds always use std.
pub fn set_mapping(mapping: Mapping) {
    let _ = MAPPING.set(mapping);
}

fn map(s: &str, upper: bool) -> String {
    if s.is_ascii() {
        return if upper {
            s.to_ascii_uppercase()
        } else {
            s.to_ascii_lowercase()
        };
    }
    #[cfg(target_arch = "wasm32")]
    {
        match MAPPING.get() {
            Some(mapping) => mapping(s, upper),
            None if upper => s.to_ascii_uppercase(),
            None => s.to_ascii_lowercase(),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        if upper {
            s.to_uppercase()
        } else {
            s.to_lowercase()
        }
    }
}

/// `s.to_lowercase()`.
pub fn to_lowercase(s: &str) -> String {
    map(s, false)
}

/// `s.to_uppercase()`.
pub fn to_uppercase(s: &str) -> String {
    map(s, true)
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
