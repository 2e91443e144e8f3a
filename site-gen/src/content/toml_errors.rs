//! Every error of one TOML file, not only the first.
//!
//! serde stops at the first problem of a file. When a notice does not deserialize, its
//! parts are deserialized once more one by one — the top-level keys, `[rules]`, each
//! `[[lists]]` and each `[[lists.programs]]` — from the same parse (so spans point into
//! the file), and the first problem of each part is reported: unknown keys and wrong
//! types in several tables come out together. A syntax error still stops the file.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml_edit::{ImDocument, Item, Table, Value};
use wasm_forms::calendar::Step;

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

/// The span of the value at `at` (`holidays[1].work[0]`) in a TOML text, from the
/// parser: the deepest step found (a missing step leaves the span of its parent).
/// `None` when the text does not parse or not even the first step is there.
pub fn span_at(text: &str, at: &[Step]) -> Option<Range<usize>> {
    let doc = ImDocument::parse(text.to_string()).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut span = None;
    for step in at {
        let Some((next, s)) = node.step(*step) else {
            break;
        };
        span = s.or(span);
        node = next;
    }
    span
}

/// One step of a [`find_value`] pattern: a key, or every position of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pat {
    Key(&'static str),
    Each,
}

/// The span of the first string value (in document order) at `pattern`
/// (`lists[*].programs[*].organizer`) for which `want` holds, found in the parsed
/// document: a comment, another key or another table that spells the same words is
/// never taken for it. `None` when the text does not parse or no value matches.
pub fn find_value(
    text: &str,
    pattern: &[Pat],
    want: &dyn Fn(&str) -> bool,
) -> Option<Range<usize>> {
    let doc = ImDocument::parse(text.to_string()).ok()?;
    find_in(Node::Item(doc.as_item()), pattern, want)
}

fn find_in(node: Node<'_>, pattern: &[Pat], want: &dyn Fn(&str) -> bool) -> Option<Range<usize>> {
    match pattern.split_first() {
        None => match node {
            Node::Item(Item::Value(v @ Value::String(s))) | Node::Value(v @ Value::String(s))
                if want(s.value()) =>
            {
                v.span()
            }
            _ => None,
        },
        Some((Pat::Key(k), rest)) => find_in(node.step(Step::Key(k))?.0, rest, want),
        Some((Pat::Each, rest)) => (0..)
            .map_while(|i| node.step(Step::Index(i)))
            .find_map(|(next, _)| find_in(next, rest, want)),
    }
}

/// A place in a parsed TOML document: an item, a table of an array of tables, or a
/// value inside an array.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    /// The node one step down, with its span where the parser kept one.
    fn step(self, step: Step) -> Option<(Node<'a>, Option<Range<usize>>)> {
        let keyed = |t: &'a dyn toml_edit::TableLike, k: &str| {
            let (key, v) = t.get_key_value(k)?;
            Some((Node::Item(v), v.span().or_else(|| key.span())))
        };
        match (self, step) {
            (Node::Item(it), Step::Key(k)) => keyed(it.as_table_like()?, k),
            (Node::Table(t), Step::Key(k)) => keyed(t, k),
            (Node::Item(Item::ArrayOfTables(a)), Step::Index(i)) => {
                let t = a.get(i)?;
                Some((Node::Table(t), t.span()))
            }
            (
                Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)),
                Step::Index(i),
            ) => {
                let v = a.get(i)?;
                Some((Node::Value(v), v.span()))
            }
            _ => None,
        }
    }
}
