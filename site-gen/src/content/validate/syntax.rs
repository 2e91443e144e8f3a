//! TOML syntax and shape errors as diagnostics.

use std::path::Path;

use crate::content::diag::Diagnostic;

/// Diagnostic for a TOML syntax or shape error.
pub fn toml_diag(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    toml_diag_at(path, text, e.span().unwrap_or(0..0), e)
}

/// [`toml_diag`] for an error of a part of `text` (one table of it parsed alone): `span`
/// is the error's place in the whole text.
pub fn toml_diag_at(
    path: &Path,
    text: &str,
    span: std::ops::Range<usize>,
    e: &toml::de::Error,
) -> Diagnostic {
    // A value typed as in Word (a date with slashes, a phone with dashes, 3万, text
    // without quotes) stops the parser on its line: say how to write it instead.
    let start = span.start.min(text.len());
    let start = (0..=start)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    // A date where the file takes text or a list of it (a calendar's `off`), which TOML
    // read as a date.
    // A calendar (`calendar/2020.toml`) writes all its dates so.
    let calendar = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "calendar");
    let quoted = calendar
        || ["expected a string", "expected a sequence"]
            .iter()
            .any(|m| e.message().contains(m));
    match crate::messages::unquoted_value(line, start - line_start, crate::messages::lang(), quoted)
    {
        Some(hint) => {
            // Point at the value as typed, not at the character the parser stopped on.
            let eq = line[..start - line_start].rfind('=').map_or(0, |i| i + 1);
            let value = line[eq..].len() - line[eq..].trim_start().len();
            let at = line_start + eq + value;
            Diagnostic::at(path, text, at..at, hint)
        }
        None => Diagnostic::at(path, text, span, wasm_forms::schema::toml_error_message(e)),
    }
}
