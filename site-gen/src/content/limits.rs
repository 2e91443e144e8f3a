//! What any text of the content may hold: the length of every field and the characters
//! refused everywhere, in one place (documented in `docs/limits.md`, one table).
//!
//! Every string of every TOML file (`site.toml`, notices, forms, calendars) and every
//! Markdown body file is checked here, with the value's file, line and column:
//!
//! - no C0 or C1 control character (U+0000–U+001F, U+007F–U+009F), written as it is or
//!   as an escape (`\u0007`), except tab and newline in multi-line text (a `"""` string
//!   or a Markdown file);
//! - no bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069), which make
//!   text read differently from how it is stored;
//! - no zero-width or invisible character (U+200B–U+200D, U+2060–U+2064, U+FEFF,
//!   U+00AD, U+180E) in names, slugs and ids, where two names that look the same would
//!   make two pages;
//! - at most [`limit`] characters in each field: a 9 MB `doc_number` is refused at its
//!   line instead of being written on every program page.

use std::ops::Range;

use super::diag::{cut, Diagnostic, Lines};
use super::load::SourceFile;

/// The longest value of a field, in characters, by the field's key. A key not listed
/// here has [`OTHER`] (single-line) or [`OTHER_MULTILINE`] (a `"""` string).
pub const FIELDS: &[(&str, usize, &str)] = &[
    ("title", 200, "a notice's, form's or site's title"),
    ("doc_number", 100, "文号"),
    ("issuer", 100, "落款 (who issued a notice)"),
    ("region", 50, "a notice's region"),
    ("date", 40, "dates written as text"),
    (
        "id",
        1_000,
        "ids of lists, forms and fields (as part of a file name, 255 bytes at most)",
    ),
    ("slug", 1_000, "slugs (as a folder name, 255 bytes at most)"),
    ("name", 200, "a program's or a field's name"),
    (
        "organizer",
        1_000,
        "举办单位 (as a folder name, 255 bytes at most)",
    ),
    (
        "category",
        1_000,
        "专业类别 (as a folder name, 255 bytes at most)",
    ),
    ("funding", 50, "a program's funding class (重点类, 一般类)"),
    ("phones", 40, "one phone number of a contact"),
    ("publication", 200, "公开方式 of a notice"),
    ("description", 5_000, "a program's description"),
    ("base_url", 200, "the site's address"),
    ("footer", 1_000, "the site's footer"),
    ("label", 500, "a form field's label"),
    (
        "body",
        200_000,
        "a notice's body written in the notice file",
    ),
];

/// Any other single-line value.
pub const OTHER: usize = 2_000;
/// Any other multi-line value (`"""` strings: notes, help texts, intro).
pub const OTHER_MULTILINE: usize = 50_000;
/// A Markdown body file (`body_file`).
pub const BODY_FILE: usize = 200_000;

/// Keys whose values are names, slugs or ids: no invisible characters.
const NAME_KEYS: &[&str] = &[
    "id",
    "slug",
    "name",
    "organizer",
    "category",
    "issuer",
    "region",
    "form",
    "list",
];

/// The longest value of `key`, in characters.
pub fn limit(key: &str, multiline: bool) -> usize {
    FIELDS.iter().find(|(k, _, _)| *k == key).map_or(
        if multiline { OTHER_MULTILINE } else { OTHER },
        |(_, n, _)| *n,
    )
}

/// Why `c` may not appear in a value (of a name when `name`; multi-line when `multiline`).
fn refused(c: char, name: bool, multiline: bool) -> Option<&'static str> {
    let u = c as u32;
    match u {
        0x09 | 0x0A if multiline => None,
        0x0D if multiline => None,
        0x09 => Some("a tab, which only multi-line text may hold"),
        0x0A | 0x0D => Some("a line break, which only multi-line text may hold"),
        0x00..=0x1F | 0x7F => Some("a control character (C0)"),
        0x80..=0x9F => Some("a control character (C1)"),
        0x202A..=0x202E | 0x2066..=0x2069 => Some(
            "a bidirectional override, which makes the text read differently from how it is stored",
        ),
        0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF | 0x00AD | 0x180E if name => {
            Some("an invisible (zero-width) character, which makes a name look the same as another")
        }
        _ => None,
    }
}

/// Every problem of one TOML content file's strings.
pub fn check_toml(file: &SourceFile) -> Vec<Diagnostic> {
    diagnostics(file, findings(&file.text))
}

/// [`check_toml`] of a notice whose text holds one list's programs as the tables at
/// `tables` (end to end): `skeleton` is the text with those tables blanked, checked as
/// one document, and each table is checked alone, so that no document of the whole
/// list is held. The same findings at the same places, in the same order.
pub fn check_toml_parts(
    file: &SourceFile,
    skeleton: &str,
    tables: &[Range<usize>],
) -> Vec<Diagnostic> {
    // The programs are their lists' last tables: each one's findings come before those
    // of the parts after it (`tables` in the file's order).
    let mut rest = findings(skeleton).into_iter().peekable();
    let mut found = Vec::new();
    for r in tables {
        while let Some(f) = rest.next_if(|(o, _)| *o < r.start) {
            found.push(f);
        }
        if let Some(text) = file.text.get(r.clone()) {
            found.extend(findings(text).into_iter().map(|(at, m)| (at + r.start, m)));
        }
    }
    found.extend(rest);
    diagnostics(file, found)
}

/// (offset, message) of every problem of a TOML text's strings, in the document's order.
fn findings(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    // Syntax errors are reported by the file's own parser.
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return Vec::new();
    };
    walk_table(text, doc.as_table(), "", &mut found);
    found
}

fn diagnostics(file: &SourceFile, found: Vec<(usize, String)>) -> Vec<Diagnostic> {
    // One index of the lines for all findings: a file of many long values stays linear.
    let lines = Lines::new(&file.text);
    found
        .into_iter()
        .map(|(at, message)| lines.diagnostic(&file.path, &file.text, at, message))
        .collect()
}

fn walk_table(text: &str, t: &toml_edit::Table, _: &str, out: &mut Vec<(usize, String)>) {
    for (key, item) in t.iter() {
        walk_item(text, key, item, out);
    }
}

fn walk_item(text: &str, key: &str, item: &toml_edit::Item, out: &mut Vec<(usize, String)>) {
    match item {
        toml_edit::Item::Value(v) => walk_value(text, key, v, out),
        toml_edit::Item::Table(t) => walk_table(text, t, key, out),
        toml_edit::Item::ArrayOfTables(a) => {
            for t in a.iter() {
                walk_table(text, t, key, out);
            }
        }
        toml_edit::Item::None => {}
    }
}

fn walk_value(text: &str, key: &str, v: &toml_edit::Value, out: &mut Vec<(usize, String)>) {
    match v {
        toml_edit::Value::String(s) => {
            let span = s.span().unwrap_or(0..0);
            let raw = text.get(span.clone()).unwrap_or("");
            let multiline = raw.starts_with("\"\"\"") || raw.starts_with("'''");
            check_value(text, key, s.value(), span, multiline, out);
        }
        toml_edit::Value::Array(a) => {
            for v in a.iter() {
                walk_value(text, key, v, out);
            }
        }
        toml_edit::Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                walk_value(text, k, v, out);
            }
        }
        _ => {}
    }
}

/// One value: its length, then its characters (the first refused one).
fn check_value(
    text: &str,
    key: &str,
    value: &str,
    span: Range<usize>,
    multiline: bool,
    out: &mut Vec<(usize, String)>,
) {
    let max = limit(key, multiline);
    // Counting stops just past the limit: a 9 MB value costs no more than a short one.
    let count = value.chars().take(max + 1).count();
    if count > max {
        out.push((
            span.start,
            format!(
                "`{key}` is {} characters long, more than the {max} it may have (see docs/limits.md): “{}”",
                value.chars().count(),
                cut(value, 40)
            ),
        ));
    }
    let name = NAME_KEYS.contains(&key);
    if let Some((c, why)) = value
        .chars()
        .find_map(|c| refused(c, name, multiline).map(|w| (c, w)))
    {
        // Where the character is written as it is; else (an escape) the value's start.
        let raw = text.get(span.clone()).unwrap_or("");
        let at = raw.find(c).map_or(span.start, |i| span.start + i);
        out.push((
            at,
            format!("`{key}` holds U+{:04X}, {why}: remove it", c as u32),
        ));
    }
}

/// A notice's slug (its file name without `.toml`): no control, bidirectional or
/// invisible character.
pub fn check_slug(file: &SourceFile) -> Option<Diagnostic> {
    let slug = file.stem();
    let (c, why) = slug
        .chars()
        .find_map(|c| refused(c, true, false).map(|w| (c, w)))?;
    Some(Diagnostic {
        path: file.path.clone(),
        line: 1,
        column: 1,
        message: format!(
            "the file name (the notice's slug) holds U+{:04X}, {why}: rename the file",
            c as u32
        ),
        source_line: None,
    })
}

/// A Markdown body file: its length and its characters (tab and newline allowed).
pub fn check_markdown(file: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let count = file.text.chars().take(BODY_FILE + 1).count();
    if count > BODY_FILE {
        out.push(Diagnostic {
            path: file.path.clone(),
            line: 1,
            column: 1,
            message: format!(
                "this body file has more than {BODY_FILE} characters, the most a notice's body may have (see docs/limits.md)"
            ),
            source_line: None,
        });
    }
    if let Some((i, c, why)) = file
        .text
        .char_indices()
        .find_map(|(i, c)| refused(c, false, true).map(|w| (i, c, w)))
    {
        out.push(Diagnostic::at(
            &file.path,
            &file.text,
            i..i,
            format!("this text holds U+{:04X}, {why}: remove it", c as u32),
        ));
    }
    out
}
