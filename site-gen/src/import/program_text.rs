//! What the two ways of rewriting a notice's list share ([`super::write`] on the whole
//! document, [`super::split`] table by table): the keys a sheet owns, a program's table
//! written as text with what carries over from the old one, and the result's types.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use super::Program;

/// The keys a spreadsheet row gives; any other key of an existing program is kept.
pub(super) const OWNED: &[&str] = &[
    "name",
    "organizer",
    "category",
    "funding",
    "amount_wan",
    "contacts",
];

/// Marks the comments this command writes, so that a second import does not repeat them.
pub const NOTE_PREFIX: &str = "# import: ";

/// Why a notice file cannot be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The file is not TOML (the content check reports it in detail).
    Syntax(String),
    /// No `[[lists]]` entry has this id; the ids it has.
    NoList { known: Vec<String> },
}

/// The rewritten notice text, and where the list's programs are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub text: String,
    /// The byte range of each program's `[[…programs]]` table (with the comments above
    /// it), in order and end to end. `None` when a program kept a nested table of its
    /// own (which the content does not allow): the text is then checked whole.
    pub tables: Option<Vec<Range<usize>>>,
    /// The other lists' programs as tables in `text`, each list by its place among the
    /// notice's `[[lists]]` (0-based) with its tables' byte ranges: checked table by
    /// table too. Empty when the old notice was read as one document.
    pub others: Vec<(usize, Vec<Range<usize>>)>,
    /// Where the programs' tables were in the old text, when it was read table by table
    /// ([`crate::import::layout`]): the old notice can be checked the same way.
    pub old: Option<Parts>,
}

/// The programs' tables of a notice text: the list's, and the other lists' by their
/// place among the notice's `[[lists]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parts {
    pub tables: Vec<Range<usize>>,
    pub others: Vec<(usize, Vec<Range<usize>>)>,
}

/// Stands for the programs' tables in the document as `toml_edit` writes it: a NUL, which
/// no TOML text holds (the notice parsed), so that it is found once and only there.
pub(super) const MARK: &str = "\0";

/// Each program's table written as text after `out` (its comments, `header`, its keys),
/// as the document would write it; the byte range of each.
pub(super) fn write_programs(
    out: &mut String,
    header: &str,
    programs: &[Program],
    by_name: &HashMap<&str, &Table>,
) -> Vec<Range<usize>> {
    let mut tables = Vec::with_capacity(programs.len());
    for p in programs {
        let start = out.len();
        let (t, comments) = program_table(p, by_name.get(p.program.name.as_str()).copied());
        out.push_str(&comments);
        out.push_str(header);
        // `Table`'s text is its keys and values, as the document writes them.
        let _ = write!(out, "{t}");
        tables.push(start..out.len());
    }
    tables
}

pub(super) fn list_ids(doc: &DocumentMut) -> Vec<String> {
    doc.get("lists")
        .and_then(Item::as_array_of_tables)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("id").and_then(Item::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a program keeps a key the sheet does not own that is a table of its own.
pub(super) fn keeps_a_table(t: &Table) -> bool {
    t.iter()
        .any(|(k, v)| !OWNED.contains(&k) && !matches!(v, Item::Value(_)))
}

pub(super) fn name_of(t: &Table) -> Option<&str> {
    t.get("name").and_then(Item::as_str)
}

/// The list's current programs as tables, whether written `[[lists.programs]]` or inline.
pub(super) fn old_programs(programs: Option<Item>) -> Vec<Table> {
    match programs {
        Some(Item::ArrayOfTables(a)) => a.into_iter().collect(),
        Some(Item::Value(Value::Array(a))) => a
            .into_iter()
            .filter_map(|v| match v {
                Value::InlineTable(t) => Some(t.into_table()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A program's table, and the text above its header (a blank line, the comments).
pub(super) fn program_table(imported: &Program, old: Option<&Table>) -> (Table, String) {
    let p = &imported.program;
    let mut t = Table::new();
    t.insert("name", toml_edit::value(p.name.as_str()));
    t.insert("organizer", toml_edit::value(p.organizer.as_str()));
    if let Some(c) = &p.category {
        t.insert("category", toml_edit::value(c.as_str()));
    }
    if let Some(f) = &p.funding {
        t.insert("funding", toml_edit::value(f.as_str()));
    }
    if let Some(a) = p.amount_wan {
        t.insert("amount_wan", Item::Value(amount_value(a)));
    }
    if !p.contacts.is_empty() {
        let mut arr = Array::new();
        for c in &p.contacts {
            let mut it = InlineTable::new();
            it.insert("name", c.name.as_str().into());
            let phones: Array = c.phones.iter().map(String::as_str).collect();
            it.insert("phones", Value::Array(phones));
            arr.push(Value::InlineTable(it));
        }
        arr.fmt();
        t.insert("contacts", Item::Value(Value::Array(arr)));
    }
    let mut comments = String::new();
    if let Some(old) = old {
        for (k, v) in old.iter() {
            if !OWNED.contains(&k) {
                t.insert(k, v.clone());
            }
        }
        if let Some(prefix) = old.decor().prefix().and_then(|r| r.as_str()) {
            comments.push_str(prefix.trim_start_matches('\n'));
        }
    }
    for n in &imported.notes {
        let line = format!("{NOTE_PREFIX}{}\n", n.replace('\n', " "));
        if !comments.contains(&line) {
            comments.push_str(&line);
        }
    }
    (t, format!("\n{comments}"))
}

/// An integral amount as a TOML integer (`3`), any other as a decimal string (`"2.5"`),
/// both as `content/` reads `amount_wan`.
fn amount_value(a: Decimal) -> Value {
    let a = a.normalize();
    if a.scale() == 0 {
        if let Ok(i) = i64::try_from(a.mantissa()) {
            return Value::from(i);
        }
    }
    Value::from(a.to_string())
}
