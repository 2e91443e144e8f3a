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
    // Dates go in quotes where the file takes them as text: everywhere in a calendar
    // (`calendar/2020.toml`), elsewhere where serde asked for a string or a list.
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
        None => {
            let message = wasm_forms::schema::toml_error_message(e);
            let message = plainer(&message, line, start - line_start).unwrap_or(message);
            Diagnostic::at(path, text, span, message)
        }
    }
}

/// The keys of the content files whose values are whole numbers of `u32`.
const U32_KEYS: &[&str] = &[
    "min_trainees",
    "plan_due_working_days",
    "report_due_working_days",
];

/// What a value of `key` may be, for a message saying a number is out of range;
/// `of_type`: the type serde named (`u32`), when it named one.
fn range_of(key: Option<&str>, of_type: Option<&str>) -> &'static str {
    match (key, of_type) {
        (Some("year"), _) => "a year such as 2020",
        (Some("amount_wan"), _) => "an amount in 万元 of at most 18 digits, such as 3 or 2.5",
        (Some(k), _) if U32_KEYS.contains(&k) => "a whole number from 0 to 4294967295",
        (_, Some("u32")) => "a whole number from 0 to 4294967295",
        (_, Some("u16")) => "a whole number from 0 to 65535",
        (_, Some("u8")) => "a whole number from 0 to 255",
        _ => "a number of at most 18 digits",
    }
}

/// The parser's and serde's words where they misstate what was expected, in plainer
/// words with the key's range (`line` is the line of the error, `at` where in it):
/// a number too large for TOML or for the key's type, a year written as text, a value
/// nested too deeply.
fn plainer(message: &str, line: &str, at: usize) -> Option<String> {
    let key_value = crate::messages::key_and_value(line, at);
    let key = key_value.map(|(k, _)| k);
    let said = |typed: &str, what: &str, of_type: Option<&str>| {
        let range = range_of(key, of_type);
        Some(match key {
            Some(key) => format!("{key} = {typed} is too {what}: expected {range}"),
            None => format!("{typed} is too {what}: expected {range}"),
        })
    };
    let typed = key_value.map_or("the number", |(_, v)| {
        v.split(" #").next().unwrap_or(v).trim()
    });
    match message {
        "number too large to fit in target type" => return said(typed, "large", None),
        "number too small to fit in target type" => return said(typed, "small", None),
        "recursion limit exceeded" => {
            return Some(
                "lists or tables are nested too deeply here ([ ] or { } inside one another, more than a content file needs)"
                    .into(),
            )
        }
        _ => {}
    }
    // serde: "invalid value: integer `4294967296`, expected u32": too large, not negative.
    if let Some(rest) = message.strip_prefix("invalid value: integer `") {
        let (n, of_type) = rest.split_once("`, expected ")?;
        let negative = n.starts_with('-');
        let fits = match of_type {
            "u8" => n.parse::<u8>().is_ok(),
            "u16" => n.parse::<u16>().is_ok(),
            "u32" => n.parse::<u32>().is_ok(),
            "i32" => n.parse::<i32>().is_ok(),
            _ => true,
        };
        if fits || (negative && of_type.starts_with('u')) {
            return None;
        }
        return said(n, if negative { "small" } else { "large" }, Some(of_type));
    }
    // serde: "invalid type: string \"2020\", expected i32" for a calendar's year.
    if key == Some("year") {
        if let Some(head) = message.strip_suffix(", expected i32") {
            return Some(format!("{head}, expected a year such as 2020"));
        }
    }
    None
}
