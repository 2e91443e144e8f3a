//! Every error of one TOML file, not only the first.
//!
//! serde stops at the first problem of a file. When a notice does not deserialize, its
//! parts are deserialized once more one by one — the top-level keys, `[rules]`, each
//! `[[lists]]` and each `[[lists.programs]]` — from the same parse (so spans point into
//! the file), and the first problem of each part is reported: unknown keys and wrong
//! types in several tables come out together. A syntax error still stops the file.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml_edit::{ImDocument, Item, Table};

use super::raw::{ListToml, NoticeToml, ProgramToml, RulesToml};

/// (span, message) of every part of a notice that does not deserialize, in file order;
/// empty when the text is not valid TOML (the caller reports that error).
pub fn notice(text: &str) -> Vec<(Range<usize>, String)> {
    let Ok(doc) = ImDocument::parse(text.to_string()) else {
        return Vec::new();
    };
    let root = doc.as_table();
    let mut errors = Vec::new();
    let mut head = root.clone();
    let lists = head.remove("lists");
    let rules = head.remove("rules");
    check::<NoticeToml>(head, &mut errors);
    if let Some(Item::Table(r)) = rules {
        check::<RulesToml>(r, &mut errors);
    } else if let Some(r) = rules {
        // Not a table: the whole notice reports it.
        let mut t = Table::new();
        t.insert("rules", r);
        check::<NoticeToml>(t, &mut errors);
    }
    match lists {
        Some(Item::ArrayOfTables(lists)) => {
            for list in lists.iter() {
                let mut list = list.clone();
                let programs = list.remove("programs");
                check::<ListToml>(list, &mut errors);
                if let Some(Item::ArrayOfTables(programs)) = programs {
                    for p in programs.iter() {
                        check::<ProgramToml>(p.clone(), &mut errors);
                    }
                }
            }
        }
        Some(other) => {
            let mut t = Table::new();
            t.insert("lists", other);
            check::<NoticeToml>(t, &mut errors);
        }
        None => {}
    }
    errors.sort_by_key(|(span, _)| span.start);
    errors.dedup();
    errors
}

fn check<T: DeserializeOwned>(table: Table, errors: &mut Vec<(Range<usize>, String)>) {
    let span = table.span().unwrap_or(0..0);
    let doc = toml_edit::DocumentMut::from(table);
    if let Err(e) = toml_edit::de::from_document::<T>(doc) {
        let message = e.message().trim().to_string();
        // A part taken alone misses what lives elsewhere (required keys of the head when
        // only lists are checked): only real problems of the part are kept.
        if message.starts_with("missing field") && span == (0..0) {
            return;
        }
        errors.push((e.span().unwrap_or(span), message));
    }
}
