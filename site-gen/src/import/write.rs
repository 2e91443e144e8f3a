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

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::program_text::{
    keeps_a_table, list_ids, name_of, old_programs, program_table, write_programs, MARK,
};
pub use super::program_text::{Parts, Rewritten, WriteError, NOTE_PREFIX};
use super::Program;

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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn program(name: &str) -> Program {
        crate::import::sample_program(name, Decimal::new(25, 1), &["13395773516"])
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
