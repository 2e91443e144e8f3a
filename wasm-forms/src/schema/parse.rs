//! Reading a schema from TOML, with every problem reported at its line and column: a
//! syntax or shape error where the parser puts it, a check error where its path into
//! the schema leads in the document `toml_edit` (the parser `toml` uses) parsed, never
//! by searching the text.

use std::ops::Range;

use toml_edit::{ImDocument, Item, Key, Table, TableLike, Value};

use super::error::{Path, SchemaError, SchemaErrorKind, Step};
use super::{FieldType, FormSchema};

/// 1-based line and column (in characters) of a byte offset in `src`. Offsets past the
/// end (or inside a character) are clamped.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(src.len());
    while off > 0 && !src.is_char_boundary(off) {
        off -= 1;
    }
    let before = src.get(..off).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Parses and checks a form schema. Errors cover TOML syntax, unknown keys, unknown
/// rule kinds, wrong value types, duplicate ids and bad references, each with the line
/// and column where it is, from the TOML parser's spans: a syntax or shape error where
/// the parser found it, a check error at the value its [`Path`] leads to (a missing key:
/// at its table's header).
pub fn parse_toml(src: &str) -> Result<FormSchema, Vec<SchemaError>> {
    let mut schema: FormSchema = match toml::from_str(src) {
        Ok(s) => s,
        Err(e) => {
            let span = e.span().map_or(0..0, |r| refine(src, r, e.message()));
            let kind = SchemaErrorKind::Toml(toml_error_message(&e));
            return Err(vec![located(src, span, kind)]);
        }
    };
    fill_matrix_options(&mut schema);
    let problems = schema.check();
    if problems.is_empty() {
        return Ok(schema);
    }
    // The text parsed above, so this parse succeeds; its spans locate the problems.
    let doc = ImDocument::parse(src).ok();
    let mut errors: Vec<SchemaError> = problems
        .into_iter()
        .map(|e| {
            let span = doc.as_ref().map_or(0..0, |d| span_in(d, &e.at));
            located(src, span, SchemaErrorKind::Check(e))
        })
        .collect();
    errors.sort_by_key(|e| e.span.start);
    Err(errors)
}

fn located(src: &str, span: Range<usize>, kind: SchemaErrorKind) -> SchemaError {
    let (line, column) = line_col(src, span.start);
    SchemaError {
        line,
        column,
        span,
        kind,
    }
}

/// The message of a TOML error, never empty: some syntax errors of the parser carry no
/// text of their own, and a user must still be told what is expected.
pub fn toml_error_message(e: &toml::de::Error) -> String {
    let msg = e.message().trim();
    if msg.is_empty() {
        "invalid TOML: expected `key = value`, a `[table]` header or a comment".to_string()
    } else {
        msg.to_string()
    }
}

/// The byte span `path` leads to in a TOML text: the value, or the header of the table
/// missing a key on the way; `None` when the text does not parse.
pub fn span_of(src: &str, path: &Path) -> Option<Range<usize>> {
    ImDocument::parse(src).ok().map(|d| span_in(&d, path))
}

/// The span of the value at `path` in a parsed document, from the parser's spans. Where
/// a step is missing (a key not written, a position past the end) the span is that of
/// the table or array that lacks it: a table's header (`[[sections]]`), an inline
/// table's `{`, or, for a table with no header (dotted keys, the file's top), its
/// first key.
fn span_in(doc: &ImDocument<&str>, path: &Path) -> Range<usize> {
    let mut node = None;
    for step in &path.0 {
        match node.unwrap_or(Node::Item(doc.as_item())).step(step) {
            Some(next) => node = Some(next),
            None => break,
        }
    }
    match node {
        Some(n) => n.span(),
        None => first_key_span(doc.as_table()),
    }
    .unwrap_or(0..0)
}

/// A place in a parsed TOML document: an item under a key (with the key), a table of an
/// array of tables, or a value inside an array.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Keyed(&'a Key, &'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn item(self) -> Option<&'a Item> {
        match self {
            Node::Item(it) | Node::Keyed(_, it) => Some(it),
            Node::Table(_) | Node::Value(_) => None,
        }
    }

    fn table_like(self) -> Option<&'a dyn TableLike> {
        match self {
            Node::Item(it) | Node::Keyed(_, it) => it.as_table_like(),
            Node::Table(t) => Some(t),
            Node::Value(Value::InlineTable(t)) => Some(t),
            Node::Value(_) => None,
        }
    }

    fn array(self) -> Option<Either<'a>> {
        match self.item() {
            Some(Item::ArrayOfTables(a)) => Some(Either::Tables(a)),
            Some(Item::Value(Value::Array(a))) => Some(Either::Values(a)),
            _ => match self {
                Node::Value(Value::Array(a)) => Some(Either::Values(a)),
                _ => None,
            },
        }
    }

    /// The node one step down, if it is there.
    fn step(self, step: &Step) -> Option<Node<'a>> {
        match step {
            Step::Key(k) => self.keyed(k),
            Step::Name(k) => self.keyed(k),
            Step::Index(i) => match self.array()? {
                Either::Tables(a) => a.get(*i).map(Node::Table),
                Either::Values(a) => a.get(*i).map(Node::Value),
            },
        }
    }

    fn keyed(self, k: &str) -> Option<Node<'a>> {
        let (key, item) = self.table_like()?.get_key_value(k)?;
        Some(Node::Keyed(key, item))
    }

    /// Where this node is written.
    fn span(self) -> Option<Range<usize>> {
        match self {
            // A table made by dotted keys (`inputs.rate = …`): the first of its keys.
            Node::Keyed(key, Item::Table(t)) if t.is_dotted() => key.span().or_else(|| t.span()),
            Node::Keyed(key, item) => item_span(item).or_else(|| key.span()),
            Node::Item(item) => item_span(item),
            Node::Table(t) => t.span().or_else(|| first_key_span(t)),
            Node::Value(v) => v.span(),
        }
    }
}

enum Either<'a> {
    Tables(&'a toml_edit::ArrayOfTables),
    Values(&'a toml_edit::Array),
}

fn item_span(item: &Item) -> Option<Range<usize>> {
    match item {
        Item::None => None,
        Item::Value(v) => v.span(),
        // A table without a header of its own (dotted keys, the file's top): its first
        // key. The top's span starts at 0 whatever comes first.
        Item::Table(t) if t.is_implicit() || t.is_dotted() || t.position() == Some(0) => {
            first_key_span(t).or_else(|| t.span())
        }
        Item::Table(t) => t.span().or_else(|| first_key_span(t)),
        Item::ArrayOfTables(a) => a.get(0).and_then(Table::span).or_else(|| a.span()),
    }
}

fn first_key_span(t: &Table) -> Option<Range<usize>> {
    t.iter()
        .filter_map(|(k, _)| t.key(k).and_then(Key::span))
        .min_by_key(|s| s.start)
}

/// Serde reports problems inside some tables at the start of the whole table. When the
/// message names the offending word (`unknown variant \`days_minimum\``, `unknown field
/// \`colour\``), point at that key, or at the string value that is that word, of the
/// table the parser reported, found in the parsed document by its span.
fn refine(src: &str, span: Range<usize>, message: &str) -> Range<usize> {
    let word = message.split('`').nth(1).filter(|w| !w.is_empty());
    let (Some(word), Ok(doc)) = (word, ImDocument::parse(src)) else {
        return span;
    };
    let mut found = None;
    find_table(Node::Item(doc.as_item()), &span, &mut found);
    let named = found.and_then(|table| {
        if let Some((key, item)) = table.get_key_value(word) {
            return key.span().or_else(|| item_span(item));
        }
        table.iter().find_map(|(_, item)| match item {
            Item::Value(v @ Value::String(s)) if s.value() == word => v.span(),
            _ => None,
        })
    });
    match named {
        Some(s) => s,
        // The top of the file (`missing field \`title\``) has no header: its first key.
        None if span.start == 0 => first_key_span(doc.as_table()).unwrap_or(span),
        None => span,
    }
}

/// The innermost table (standard, inline or dotted) whose span is `span` (a dotted
/// table's: its key's).
fn find_table<'a>(node: Node<'a>, span: &Range<usize>, found: &mut Option<&'a dyn TableLike>) {
    let here = node.table_like().and_then(|_| node.span());
    if here.as_ref() == Some(span) {
        *found = node.table_like();
    }
    if let Some(t) = node.table_like() {
        for (k, _) in t.iter() {
            if let Some(next) = node.keyed(k) {
                find_table(next, span, found);
            }
        }
    }
    match node.array() {
        Some(Either::Tables(a)) => a
            .iter()
            .for_each(|t| find_table(Node::Table(t), span, found)),
        Some(Either::Values(a)) => a
            .iter()
            .for_each(|v| find_table(Node::Value(v), span, found)),
        None => {}
    }
}

/// Choice fields of a matrix section take the section's levels as their options.
pub(super) fn fill_matrix_options(schema: &mut FormSchema) {
    for section in &mut schema.sections {
        if section.matrix.is_empty() {
            continue;
        }
        for f in &mut section.fields {
            if f.kind == FieldType::Choice && f.options.is_empty() {
                f.options = section.matrix.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a = 1\n中文 = \"x\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        // byte offset of `=` on line 2: after two 3-byte chars and a space
        assert_eq!(line_col(src, 6 + 7), (2, 4));
        assert_eq!(line_col(src, 10_000), (3, 1));
    }

    #[test]
    fn paths_resolve_to_the_parser_spans() {
        let src = "# id = \"b\"\nid = \"a\"\n[[x]]\nid = \"b\"\ncols = [{ id = 'b' }]\n[[x]]\n";
        let at = |p: Path| span_of(src, &p).map(|s| line_col(src, s.start));
        let x = Path::root().key("x");
        assert_eq!(at(Path::root().key("id")), Some((2, 6)));
        assert_eq!(at(x.index(0).key("id")), Some((4, 6)));
        assert_eq!(at(x.index(0).item("cols", 0).key("id")), Some((5, 16)));
        // Missing: the table's header, the array's first table, the file's first key.
        assert_eq!(at(x.index(1).key("id")), Some((6, 1)));
        assert_eq!(at(x.index(7).key("id")), Some((3, 1)));
        assert_eq!(at(Path::root().key("title")), Some((2, 1)));
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    const MINI: &str = r#"
id = "mini"
title = "测试表"
version = 1

[[sections]]
legend = "一、基本情况"

[[sections.fields]]
id = "name"
label = "姓名"
type = "text"
required = true

[[sections.fields]]
id = "trainees"
label = "学员"
type = "table"
columns = [
  { id = "id_number", label = "身份证号码", type = "id_number" },
  { id = "start_date", label = "开始", type = "date" },
  { id = "end_date", label = "结束", type = "date" },
]
row_rules = [{ kind = "date_order", start = "start_date", end = "end_date" }]

[[rules]]
kind = "min_rows"
table = "trainees"
min = { notice = "min_trainees" }
"#;

    #[test]
    fn parses_a_small_schema() {
        let s = parse_toml(MINI).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s.id, "mini");
        assert_eq!(s.tables().count(), 1);
        let json = serde_json::to_string(&s).unwrap();
        let back: FormSchema = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn unknown_rule_kind_names_the_line() {
        let src = MINI.replace("kind = \"min_rows\"", "kind = \"min_rowz\"");
        let errs = parse_toml(&src).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message().contains("min_rowz"), "{errs:?}");
        assert_eq!(errs[0].line, 27, "{errs:?}");
    }

    #[test]
    fn unknown_key_in_a_rule_is_rejected() {
        let src = MINI.replace(
            "table = \"trainees\"\nmin",
            "table = \"trainees\"\nmax = 3\nmin",
        );
        let errs = parse_toml(&src).unwrap_err();
        assert!(errs[0].message().contains("max"), "{errs:?}");
    }

    #[test]
    fn duplicate_field_id_names_the_second_line() {
        let src = MINI.replace("id = \"trainees\"", "id = \"name\"");
        let errs = parse_toml(&src).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.message().contains("重复") && e.line == 16),
            "{errs:?}"
        );
    }

    #[test]
    fn bad_reference_names_its_line() {
        let src = MINI.replace("table = \"trainees\"", "table = \"trainess\"");
        let errs = parse_toml(&src).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message().contains("trainess"), "{errs:?}");
        assert_eq!(errs[0].line, 28, "{errs:?}");
    }

    #[test]
    fn row_rule_reference_checked() {
        let src = MINI.replace("end = \"end_date\"", "end = \"finish\"");
        let errs = parse_toml(&src).unwrap_err();
        assert!(errs[0].message().contains("finish"), "{errs:?}");
        assert_eq!(errs[0].line, 24, "{errs:?}");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let src = "id = \"x\"\ntitle = \n";
        let errs = parse_toml(src).unwrap_err();
        assert_eq!(errs[0].line, 2, "{errs:?}");
    }
}
