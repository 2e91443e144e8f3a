//! Reading a schema from TOML, with every problem reported at its line and column.

use super::{CheckError, FieldType, FormSchema, SchemaError};

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
/// and column where it is (the first line when no better place is known).
pub fn parse_toml(src: &str) -> Result<FormSchema, Vec<SchemaError>> {
    let mut schema: FormSchema = match toml::from_str(src) {
        Ok(s) => s,
        Err(e) => {
            let at = e.span().map(|r| refine(src, r, e.message()));
            let (line, column) = at.map_or((1, 1), |o| line_col(src, o));
            return Err(vec![SchemaError {
                line,
                column,
                message: toml_error_message(&e),
            }]);
        }
    };
    fill_matrix_options(&mut schema);
    let errors: Vec<SchemaError> = schema
        .check()
        .into_iter()
        .map(|e| locate_error(src, e))
        .collect();
    if errors.is_empty() {
        Ok(schema)
    } else {
        Err(errors)
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

/// Serde reports problems inside an internally tagged table (a rule) at the start of the
/// whole table. When the message names the offending word (`unknown variant
/// \`days_minimum\``, `unknown field \`colour\``), point at that word inside the span.
fn refine(src: &str, span: std::ops::Range<usize>, message: &str) -> usize {
    let word = message.split('`').nth(1).filter(|w| !w.is_empty());
    let (Some(word), Some(text)) = (word, src.get(span.clone())) else {
        return span.start;
    };
    let quoted = format!("\"{word}\"");
    text.find(&quoted)
        .or_else(|| {
            text.match_indices(word).map(|(i, _)| i).find(|&i| {
                let before = text.get(..i).and_then(|t| t.chars().last());
                let after = text.get(i + word.len()..).and_then(|t| t.chars().next());
                let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !ident(before) && !ident(after)
            })
        })
        .map_or(span.start, |i| span.start + i)
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

fn locate_error(src: &str, e: CheckError) -> SchemaError {
    let (line, column) = e
        .locate
        .as_ref()
        .and_then(|(key, value, nth)| find_key_value(src, key, value, *nth))
        .unwrap_or((1, 1));
    SchemaError {
        line,
        column,
        message: e.message,
    }
}

/// The line and column of the `nth` (1-based) `key = "value"` in `src` (also inside
/// inline tables and arrays on the same line); falls back to the n-th (then first)
/// quoted `"value"` anywhere.
fn find_key_value(src: &str, key: &str, value: &str, nth: usize) -> Option<(usize, usize)> {
    if value.is_empty() {
        // A table header such as `[scoring]`: the line that starts with it.
        let mut offset = 0;
        for line in src.split_inclusive('\n') {
            if line.trim_start().starts_with(key) {
                return Some(line_col(src, offset));
            }
            offset += line.len();
        }
        return None;
    }
    // `rules.kind`: a key of the form-level `[[rules]]`, searched from there on.
    let (key, skip) = match key.strip_prefix("rules.") {
        Some(k) => {
            let mut at = 0;
            let mut found = None;
            for line in src.split_inclusive('\n') {
                if line.trim_start().starts_with("[[rules]]") {
                    found = Some(at);
                    break;
                }
                at += line.len();
            }
            (k, found.unwrap_or(0))
        }
        None => (key, 0),
    };
    let quoted = format!("\"{value}\"");
    let mut keyed = Vec::new();
    let mut any = Vec::new();
    let mut offset = skip;
    for line in src.get(skip..).unwrap_or("").split_inclusive('\n') {
        let mut from = 0;
        while let Some(pos) = line.get(from..).and_then(|s| s.find(&quoted)) {
            let at = from + pos;
            any.push(offset + at);
            let prefix = line.get(..at).unwrap_or("");
            if let Some(eq) = prefix.rfind('=') {
                let name = prefix
                    .get(..eq)
                    .unwrap_or("")
                    .trim_end()
                    .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '"'))
                    .next()
                    .unwrap_or("")
                    .trim_matches('"');
                if name == key {
                    keyed.push(offset + at);
                }
            }
            from = at + quoted.len();
        }
        offset += line.len();
    }
    let n = nth.max(1) - 1;
    let pick = keyed
        .get(n)
        .or_else(|| any.get(n))
        .or_else(|| keyed.first())
        .or_else(|| any.first())?;
    Some(line_col(src, *pick))
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
    fn finds_nth_key_value() {
        let src = "id = \"a\"\n[[x]]\nid = \"b\"\ncols = [{ id = \"b\" }]\n";
        assert_eq!(find_key_value(src, "id", "b", 1), Some((3, 6)));
        assert_eq!(find_key_value(src, "id", "b", 2), Some((4, 16)));
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
        assert!(errs[0].message.contains("min_rowz"), "{errs:?}");
        assert_eq!(errs[0].line, 27, "{errs:?}");
    }

    #[test]
    fn unknown_key_in_a_rule_is_rejected() {
        let src = MINI.replace(
            "table = \"trainees\"\nmin",
            "table = \"trainees\"\nmax = 3\nmin",
        );
        let errs = parse_toml(&src).unwrap_err();
        assert!(errs[0].message.contains("max"), "{errs:?}");
    }

    #[test]
    fn duplicate_field_id_names_the_second_line() {
        let src = MINI.replace("id = \"trainees\"", "id = \"name\"");
        let errs = parse_toml(&src).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.message.contains("重复") && e.line == 16),
            "{errs:?}"
        );
    }

    #[test]
    fn bad_reference_names_its_line() {
        let src = MINI.replace("table = \"trainees\"", "table = \"trainess\"");
        let errs = parse_toml(&src).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("trainess"), "{errs:?}");
        assert_eq!(errs[0].line, 28, "{errs:?}");
    }

    #[test]
    fn row_rule_reference_checked() {
        let src = MINI.replace("end = \"end_date\"", "end = \"finish\"");
        let errs = parse_toml(&src).unwrap_err();
        assert!(errs[0].message.contains("finish"), "{errs:?}");
        assert_eq!(errs[0].line, 24, "{errs:?}");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let src = "id = \"x\"\ntitle = \n";
        let errs = parse_toml(src).unwrap_err();
        assert_eq!(errs[0].line, 2, "{errs:?}");
    }
}
