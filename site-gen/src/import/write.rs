//! One plan list of a notice file rewritten with `toml_edit`; every other byte stays.
//!
//! Only the `programs` of the `[[lists]]` entry with the given `id` are replaced. The
//! spreadsheet owns `name`, `organizer`, `category`, `funding`, `amount_wan` and
//! `contacts`; what it cannot hold (a program's `description`, its comments) is carried
//! over from the program of the same name, so a re-import never drops it.
//!
//! The document is written by `toml_edit` with one marked table in the list's place;
//! each program's table is then written as text where the mark is, one at a time, as
//! the document would write it (its comments, its `[[lists.programs]]` header, its
//! keys): a list of 50,000 programs is never a tree of 50,000 tables, and the text
//! records where each table is, for the check of the result ([`Rewritten::tables`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

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
    /// ([`super::layout`]): the old notice can be checked the same way.
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

/// The notice text with list `list_id`'s programs replaced by `programs`.
///
/// A notice laid out plainly ([`super::layout`]) is read table by table: its other
/// parts as one document, each program's table alone ([`super::split`]); any other is
/// read whole ([`replace_list_whole`]). The text written is the same either way.
pub fn replace_list(
    text: &str,
    list_id: &str,
    programs: &[Program],
) -> Result<Rewritten, WriteError> {
    match super::split::replace_list(text, list_id, programs) {
        Some(done) => done,
        None => replace_list_whole(text, list_id, programs),
    }
}

/// [`replace_list`] with the notice parsed as one document tree.
pub fn replace_list_whole(
    text: &str,
    list_id: &str,
    programs: &[Program],
) -> Result<Rewritten, WriteError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| WriteError::Syntax(e.to_string()))?;
    let known = list_ids(&doc);
    let Some(lists) = doc.get_mut("lists").and_then(Item::as_array_of_tables_mut) else {
        return Err(WriteError::NoList { known });
    };
    let Some(list) = lists
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(list_id))
    else {
        return Err(WriteError::NoList { known });
    };
    // The old programs are moved out of the document (their keys and comments carry
    // over by name, the first program of a name as a search from the top finds it).
    let old = old_programs(list.remove("programs"));
    let mut by_name: HashMap<&str, &Table> = HashMap::with_capacity(old.len());
    for t in &old {
        if let Some(n) = name_of(t) {
            by_name.entry(n).or_insert(t);
        }
    }
    // A nested table kept from an old program is written after the program by the
    // document itself, not by `Table`'s text: such a list is written whole, as before.
    if old.iter().any(keeps_a_table) {
        let mut aot = ArrayOfTables::new();
        for p in programs {
            let (mut t, comments) = program_table(p, by_name.get(p.program.name.as_str()).copied());
            t.decor_mut().set_prefix(comments);
            aot.push(t);
        }
        list.insert("programs", Item::ArrayOfTables(aot));
        return Ok(Rewritten {
            text: doc.to_string(),
            tables: None,
            others: Vec::new(),
            old: None,
        });
    }
    let mut mark = Table::new();
    mark.decor_mut().set_prefix(MARK);
    let mut aot = ArrayOfTables::new();
    aot.push(mark);
    list.insert("programs", Item::ArrayOfTables(aot));
    let skeleton = doc.to_string();
    drop(doc);
    let (Some(at), Some(last)) = (skeleton.find(MARK), skeleton.rfind(MARK)) else {
        return Err(WriteError::Syntax(
            "the list's place was not written".into(),
        ));
    };
    if at != last {
        return Err(WriteError::Syntax(
            "the notice holds a NUL character".into(),
        ));
    }
    let rest = &skeleton[at + MARK.len()..];
    let header_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let (header, tail) = rest.split_at(header_len);

    let mut out = String::with_capacity(skeleton.len() + programs.len() * 512);
    out.push_str(&skeleton[..at]);
    let tables = write_programs(&mut out, header, programs, &by_name);
    out.push_str(tail);
    Ok(Rewritten {
        text: out,
        tables: Some(tables),
        others: Vec::new(),
        old: None,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Contact;

    fn program(name: &str) -> Program {
        Program {
            row: 3,
            program: crate::content::model::Program {
                name: name.into(),
                organizer: "温州技师学院".into(),
                category: None,
                funding: Some("一般类".into()),
                amount_wan: Some(Decimal::new(25, 1)),
                contacts: vec![Contact {
                    name: "陈朝晖".into(),
                    phones: vec!["13395773516".into()],
                }],
                description: None,
            },
            notes: Vec::new(),
        }
    }

    const NOTICE: &str = r#"title = "t" # kept

# before the lists
[[lists]]
id = "a"
title = "A"

# about b's program
[[lists.programs]]
name = "old"
organizer = "x"
description = "kept *Markdown*"

[[lists.programs]]
name = "gone"
organizer = "y"

# 附件2
[[lists]]
id = "b"
title = "B"
programs = [{ name = "z", organizer = "w" }]
"#;

    #[test]
    fn only_the_list_changes_and_descriptions_stay() {
        let out = replace_list(NOTICE, "a", &[program("old"), program("new")])
            .unwrap()
            .text;
        let expected = NOTICE.replace(
            "# about b's program\n[[lists.programs]]\nname = \"old\"\norganizer = \"x\"\ndescription = \"kept *Markdown*\"\n\n[[lists.programs]]\nname = \"gone\"\norganizer = \"y\"\n",
            "# about b's program\n[[lists.programs]]\nname = \"old\"\norganizer = \"温州技师学院\"\nfunding = \"一般类\"\namount_wan = \"2.5\"\ncontacts = [{ name = \"陈朝晖\", phones = [\"13395773516\"] }]\ndescription = \"kept *Markdown*\"\n\n[[lists.programs]]\nname = \"new\"\norganizer = \"温州技师学院\"\nfunding = \"一般类\"\namount_wan = \"2.5\"\ncontacts = [{ name = \"陈朝晖\", phones = [\"13395773516\"] }]\n",
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn notes_become_comments_once() {
        let mut p = program("old");
        p.notes.push("F5 paired in order, a guess".into());
        let once = replace_list(NOTICE, "a", std::slice::from_ref(&p))
            .unwrap()
            .text;
        assert!(once.contains("# import: F5 paired in order, a guess\n[[lists.programs]]"));
        let twice = replace_list(&once, "a", &[p]).unwrap().text;
        assert_eq!(once, twice);
    }

    #[test]
    fn an_unknown_list_names_the_known_ones() {
        assert_eq!(
            replace_list(NOTICE, "c", &[]),
            Err(WriteError::NoList {
                known: vec!["a".into(), "b".into()]
            })
        );
    }
}
