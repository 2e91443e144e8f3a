//! [`super::write::replace_list`] for a notice laid out plainly ([`super::layout`]): the
//! old text read table by table, never as one document tree of its programs.
//!
//! The text is parsed by `toml_edit` without the programs' tables: each run of one
//! list's tables (end to end) stands there as one placeholder table. The list being
//! replaced loses its placeholders as the whole path loses its programs, and its old
//! tables are parsed one at a time for what carries over (the keys a sheet does not own,
//! the comments above). Another list's run is written where its placeholder is, each
//! table parsed alone and written by `toml_edit`, as the whole document writes it (a
//! table's text does not depend on the rest of the document). Anything unexpected gives
//! `None`: the caller then reads the whole document.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::layout::{self, Layout};
use super::program_text::{self as write, Parts, Rewritten, WriteError, MARK, OWNED};
use super::Program;

/// The key of a placeholder table, numbered: a text that holds it is read whole.
const PLACEHOLDER: &str = "site-gen-split-";

/// More runs than this (a list's programs broken up by many other tables) are read whole.
const MAX_RUNS: usize = 64;

/// The tables of one list end to end: the list's place among `[[lists]]`, their ranges.
type Run = (usize, Vec<Range<usize>>);

/// The notice text with list `list_id`'s programs replaced, read table by table; `None`
/// when the text is not laid out plainly or anything is unexpected.
pub(super) fn replace_list(
    text: &str,
    list_id: &str,
    programs: &[Program],
) -> Option<Result<Rewritten, WriteError>> {
    let layout = layout::layout(text)?;
    if layout.tables.is_empty() || text.contains(PLACEHOLDER) {
        return None;
    }
    let runs = runs(&layout);
    if runs.len() > MAX_RUNS {
        return None;
    }
    let mut doc = skeleton(text, &runs, &layout)?;
    let known = write::list_ids(&doc);
    let lists = doc
        .get_mut("lists")
        .and_then(Item::as_array_of_tables_mut)?;
    let Some(target) = lists
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(list_id))
    else {
        return Some(Err(WriteError::NoList { known }));
    };
    let list = lists.get_mut(target)?;
    let removed = list.remove("programs");
    let target_tables: Vec<Range<usize>> = layout
        .tables
        .iter()
        .filter(|(l, _)| *l == target)
        .map(|(_, r)| r.clone())
        .collect();
    // The old programs: kept keys and comments, by name.
    let old: Vec<(Option<String>, Table)> = if target_tables.is_empty() {
        write::old_programs(removed)
            .into_iter()
            .map(|t| (write::name_of(&t).map(str::to_string), t))
            .collect()
    } else {
        let mut old = Vec::with_capacity(target_tables.len());
        for r in &target_tables {
            old.push(old_program(text.get(r.clone())?)?);
        }
        old
    };
    if old.iter().any(|(_, t)| write::keeps_a_table(t)) {
        return None;
    }
    let mut by_name: HashMap<&str, &Table> = HashMap::with_capacity(old.len());
    for (name, t) in &old {
        if let Some(n) = name {
            by_name.entry(n.as_str()).or_insert(t);
        }
    }
    let mut mark = Table::new();
    mark.decor_mut().set_prefix(MARK);
    let mut aot = ArrayOfTables::new();
    aot.push(mark);
    list.insert("programs", Item::ArrayOfTables(aot));
    let rendered = doc.to_string();
    drop(doc);

    // Where the list's programs go (the mark) and each other run (its placeholder).
    let (at, last) = (rendered.find(MARK)?, rendered.rfind(MARK)?);
    if at != last {
        return None;
    }
    let rest = rendered.get(at + MARK.len()..)?;
    let header = rest.get(..rest.find('\n').map_or(rest.len(), |i| i + 1))?;
    let mut places: Vec<(usize, usize, Option<usize>)> =
        vec![(at, MARK.len() + header.len(), None)];
    for (n, (l, _)) in runs.iter().enumerate() {
        if *l != target {
            let p = placeholder(n);
            places.push((rendered.find(&p)?, p.len(), Some(n)));
        }
    }
    places.sort_by_key(|p| p.0);

    let mut out = String::with_capacity(text.len() + programs.len() * 512);
    let mut tables = Vec::new();
    let mut others: Vec<Run> = Vec::new();
    let mut from = 0;
    for (place, len, run) in places {
        out.push_str(rendered.get(from..place)?);
        match run {
            None => tables = write::write_programs(&mut out, header, programs, &by_name),
            Some(n) => {
                let (l, ranges) = runs.get(n)?;
                let mut written = Vec::with_capacity(ranges.len());
                for r in ranges {
                    let table: DocumentMut = text.get(r.clone())?.parse().ok()?;
                    let start = out.len();
                    let _ = write!(out, "{table}");
                    written.push(start..out.len());
                }
                add_to(&mut others, *l, written);
            }
        }
        from = place + len;
    }
    out.push_str(rendered.get(from..)?);

    let mut old_others = Vec::new();
    for (l, r) in &layout.tables {
        if *l != target {
            add_to(&mut old_others, *l, vec![r.clone()]);
        }
    }
    Some(Ok(Rewritten {
        text: out,
        tables: Some(tables),
        others,
        old: Some(Parts {
            tables: target_tables,
            others: old_others,
        }),
    }))
}

/// The tables in runs: one list's tables, each ending where the next starts.
fn runs(layout: &Layout) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (l, r) in &layout.tables {
        match runs.last_mut() {
            Some((last, tables))
                if last == l && tables.last().is_some_and(|t| t.end == r.start) =>
            {
                tables.push(r.clone());
            }
            _ => runs.push((*l, vec![r.clone()])),
        }
    }
    runs
}

fn add_to(lists: &mut Vec<Run>, list: usize, tables: Vec<Range<usize>>) {
    match lists.iter_mut().find(|(l, _)| *l == list) {
        Some((_, t)) => t.extend(tables),
        None => lists.push((list, tables)),
    }
}

fn placeholder(n: usize) -> String {
    format!("[[lists.programs]]\n{PLACEHOLDER}{n} = 0\n")
}

/// The document of the text with each run a placeholder; `None` unless each list holds
/// exactly its runs' placeholders as its programs.
fn skeleton(text: &str, runs: &[Run], layout: &Layout) -> Option<DocumentMut> {
    let mut skeleton = String::new();
    let mut at = 0;
    for (n, (_, tables)) in runs.iter().enumerate() {
        skeleton.push_str(text.get(at..tables.first()?.start)?);
        skeleton.push_str(&placeholder(n));
        at = tables.last()?.end;
    }
    skeleton.push_str(text.get(at..)?);
    let doc: DocumentMut = skeleton.parse().ok()?;
    let lists = doc.get("lists").and_then(Item::as_array_of_tables)?;
    if lists.len() != layout.lists {
        return None;
    }
    for (i, list) in lists.iter().enumerate() {
        let mine: Vec<usize> = (0..runs.len()).filter(|n| runs[*n].0 == i).collect();
        if mine.is_empty() {
            continue;
        }
        let aot = list.get("programs").and_then(Item::as_array_of_tables)?;
        if aot.len() != mine.len() {
            return None;
        }
        for (t, n) in aot.iter().zip(&mine) {
            let key = format!("{PLACEHOLDER}{n}");
            if t.len() != 1 || t.get(&key).and_then(Item::as_integer) != Some(0) {
                return None;
            }
        }
    }
    Some(doc)
}

/// One old program's table parsed alone: its name, and a table of what carries over
/// (its keys the sheet does not own, the comments above its header).
fn old_program(table: &str) -> Option<(Option<String>, Table)> {
    let mut doc: DocumentMut = table.parse().ok()?;
    let Item::Table(mut lists) = doc.remove("lists")? else {
        return None;
    };
    let Item::ArrayOfTables(aot) = lists.remove("programs")? else {
        return None;
    };
    if aot.len() != 1 || !doc.is_empty() || !lists.is_empty() {
        return None;
    }
    let t = aot.into_iter().next()?;
    let mut kept = Table::new();
    for (k, v) in t.iter() {
        if !OWNED.contains(&k) {
            kept.insert(k, v.clone());
        }
    }
    if let Some(p) = t.decor().prefix() {
        kept.decor_mut().set_prefix(p.clone());
    }
    Some((write::name_of(&t).map(str::to_string), kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn program(name: &str, note: Option<&str>) -> Program {
        let phones = ["13395773516", "88526559"];
        let mut p = crate::import::sample_program(name, Decimal::new(3, 0), &phones);
        p.notes = note.map(|n| vec![n.to_string()]).unwrap_or_default();
        p
    }

    /// Two lists of tables: comments above and between, a list's own table before and
    /// after its programs, a description kept by name (two programs of one name), a
    /// multi-line string and a multi-line array holding table headers, a root table
    /// after the lists, a comment at the end and no line break after it.
    const PLAIN: &str = r#"title = "t" # kept
date = 2020-07-21

# 附件1
[[lists]]
id = "a"
title = "A"

# about old
[[lists.programs]]
name = "old"
organizer = "x"
description = """
[[lists.programs]]
name = "fake"
[[lists]]
"""

[[lists.programs]]   # same name
name = "old"
organizer = "second"
description = "not kept: the first of a name is"

[lists.rules]
min_trainees = 30

[[lists.programs]]
name = "gone"
organizer = "y"
contacts = [
  # [[lists.programs]] in a comment
  { name = "甲", phones = ["1"] },
]
literal = '''
[x]
'''

# 附件2
[[lists]]
id = "b"
title = "B"
[[lists.programs]]
name = "b1"
organizer = "w"
amount_wan  =  2 # spaced
extra.kind = "dotted"

[[lists.programs]]
name = "b2"
organizer = "w"

[appendix]
note = "after the lists"
# the end"#;

    fn both(text: &str, list: &str, programs: &[Program]) -> Result<Rewritten, WriteError> {
        let split = replace_list(text, list, programs);
        let whole = crate::import::write::replace_list_whole(text, list, programs);
        match split {
            Some(Ok(s)) => {
                let w = whole.unwrap_or_else(|e| panic!("whole: {e:?} for {text:?}"));
                assert_eq!(s.text, w.text, "list {list} of {text:?}");
                assert_eq!(s.tables, w.tables);
                for (_, tables) in &s.others {
                    for r in tables {
                        assert!(s.text[r.clone()].contains("[[lists.programs]]"));
                    }
                }
                Ok(s)
            }
            Some(Err(e)) => {
                assert_eq!(Err(e.clone()), whole.map(|w| w.text));
                Err(e)
            }
            None => whole,
        }
    }

    fn sheet() -> Vec<Program> {
        vec![
            program("new", Some("F5 paired in order, a guess")),
            program("old", None),
            program("b2", None),
        ]
    }

    #[test]
    fn the_split_read_writes_what_the_whole_document_writes() {
        let crlf = PLAIN.replace('\n', "\r\n");
        let runs_of_a = PLAIN.replace(
            "[lists.rules]\nmin_trainees = 30\n",
            "[lists.rules]\nmin_trainees = 30\n[lists.rules.more]\nx = 1\n",
        );
        let no_dotted = PLAIN.replace("extra.kind = \"dotted\"\n", "");
        for text in [PLAIN, &crlf, &runs_of_a, &no_dotted] {
            for list in ["a", "b"] {
                let r = both(text, list, &sheet()).unwrap();
                // b1's dotted `extra` is a table of its own: list b is then written whole.
                let split = list == "a" || !text.contains("extra.kind");
                assert_eq!(r.old.is_some(), split, "list {list} of {text:?}");
            }
        }
        let out = both(PLAIN, "a", &sheet()).unwrap().text;
        assert!(out.contains(
            "\n# about old\n[[lists.programs]]\nname = \"old\"\norganizer = \"温州技师学院\""
        ));
        assert!(out.contains(
            "description = \"\"\"\n[[lists.programs]]\nname = \"fake\"\n[[lists]]\n\"\"\"\n"
        ));
        assert!(!out.contains("not kept") && !out.contains("gone"));
        assert!(out
            .contains("# import: F5 paired in order, a guess\n[[lists.programs]]\nname = \"new\""));
        assert!(out.contains("amount_wan  =  2 # spaced\nextra.kind = \"dotted\"\n"));
        // A second import of the same sheet changes nothing.
        assert_eq!(both(&out, "a", &sheet()).unwrap().text, out);
    }

    #[test]
    fn odd_notices_are_read_whole_with_the_same_result() {
        let inline = "[[lists]]\nid = \"a\"\n[[lists.programs]]\nname = \"a1\"\norganizer = \"x\"\n[[lists]]\nid = \"b\"\nprograms = [{ name = \"b1\", organizer = \"y\", description = \"kept\" }]\n";
        for (text, split) in [
            // The list replaced written inline, another as tables: still split.
            (inline, true),
            (
                &*PLAIN.replace("[[lists.programs]]   # same name", "[[ lists.programs ]]"),
                false,
            ),
            // An old program of the list keeps a table of its own: written whole.
            (
                &*PLAIN.replace("organizer = \"x\"\n", "organizer = \"x\"\nextra.kind = 1\n"),
                false,
            ),
            (
                &*PLAIN.replace("name = \"gone\"", "name = \"site-gen-split-0\""),
                false,
            ),
        ] {
            for list in ["a", "b"] {
                let r = both(text, list, &[program("b1", None), program("a1", None)]).unwrap();
                let expect_split = split && !(list == "a" && text.contains("extra.kind = 1"));
                assert_eq!(r.old.is_some(), expect_split, "{list} of {text:?}");
            }
        }
        let r = both(inline, "b", &[program("b1", None)]).unwrap();
        assert!(r.text.contains("[[lists.programs]]\nname = \"b1\"\norganizer = \"温州技师学院\"\nfunding = \"一般类\"\namount_wan = 3\ncontacts = [{ name = \"陈朝晖\", phones = [\"13395773516\", \"88526559\"] }]\ndescription = \"kept\"\n"), "{}", r.text);
    }

    #[test]
    fn errors_are_the_whole_documents() {
        assert_eq!(
            both(PLAIN, "c", &[]).map(|r| r.text),
            Err(WriteError::NoList {
                known: vec!["a".into(), "b".into()]
            })
        );
        // A broken table of either list, or of the rest: the whole document's error.
        for broken in [
            PLAIN.replace("name = \"b2\"", "name = b2"),
            PLAIN.replace("name = \"gone\"", "name = \"gone"),
            PLAIN.replace("title = \"B\"", "title = \"B\"\ntitle = \"C\""),
            PLAIN.replace("[appendix]", "[[lists]]\nprograms = 1\n[[lists.programs]]"),
        ] {
            for list in ["a", "b"] {
                let r = both(&broken, list, &sheet());
                assert!(matches!(r, Err(WriteError::Syntax(_))), "{r:?}: {broken}");
            }
        }
    }
}
