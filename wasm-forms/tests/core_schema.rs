//! The eight form schemas of `content/forms/` parse, and schema errors carry lines.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::path::PathBuf;

use wasm_forms::schema::{parse_toml, FieldType, FormSchema};

#[path = "fixture/forms.rs"]
mod fixture_forms;
use fixture_forms::FORMS;

fn forms_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/forms")
}

fn load(id: &str) -> FormSchema {
    let path = forms_dir().join(format!("{id}.toml"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_toml(&src).unwrap_or_else(|errs| {
        let list: Vec<String> = errs
            .iter()
            .map(|e| {
                format!(
                    "{}:{}:{}: {}",
                    path.display(),
                    e.line,
                    e.column,
                    e.message()
                )
            })
            .collect();
        panic!("{}", list.join("\n"))
    })
}

#[test]
fn all_eight_forms_parse_and_ids_match_file_names() {
    for id in FORMS {
        let path = forms_dir().join(format!("{id}.toml"));
        assert!(path.exists(), "missing {}", path.display());
        let s = load(id);
        assert_eq!(s.id, id);
        assert_eq!(s.version, 1);
        // JSON round trip (the browser receives the schema as JSON).
        let json = serde_json::to_string(&s).unwrap();
        let back: FormSchema = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s, "{id}: JSON round trip");
    }
}

#[test]
fn no_other_form_files() {
    let mut found: Vec<String> = std::fs::read_dir(forms_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    found.sort();
    for f in &found {
        assert!(FORMS.contains(&f.as_str()), "unexpected form file {f}.toml");
    }
}

#[test]
fn survey_has_the_ten_ratings_in_seed_order() {
    let s = load("wenzhou-survey");
    let ids: Vec<&str> = s
        .fields()
        .filter(|f| f.kind == FieldType::Choice)
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "goal_setting",
            "course_design",
            "faculty",
            "teaching_content",
            "teaching_method",
            "teaching_level",
            "trainee_management",
            "service_quality",
            "work_help",
            "growth_help"
        ]
    );
    for f in s.fields().filter(|f| f.kind == FieldType::Choice) {
        let levels: Vec<&str> = f.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(levels, ["很满意", "满意", "一般", "不满意"], "{}", f.id);
        assert!(f.required);
    }
}

#[test]
fn evaluation_scoring_adds_up_to_100() {
    let s = load("wenzhou-evaluation");
    let scoring = s.scoring.as_ref().expect("[scoring]");
    assert_eq!(scoring.indicators().count(), 26);
    assert!(scoring.check().is_empty());
    let total: rust_decimal::Decimal = scoring.sections.iter().map(|s| s.max).sum();
    assert_eq!(total, rust_decimal::Decimal::ONE_HUNDRED);
}

#[test]
fn indicator_maxima_that_do_not_add_up_are_reported_with_a_line() {
    let path = forms_dir().join("wenzhou-evaluation.toml");
    let src = std::fs::read_to_string(path).unwrap();
    let bad = src.replacen(
        "id = \"goal_clarity\"\nlabel = \"目标明确度\"\nmax = 1",
        "id = \"goal_clarity\"\nlabel = \"目标明确度\"\nmax = 2",
        1,
    );
    assert_ne!(bad, src);
    let errs = parse_toml(&bad).unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.message().contains("不符") && e.line > 1),
        "{errs:?}"
    );
}

/// Found by the property test below: some TOML syntax errors carry no message of their
/// own; the schema error must still say what is expected.
#[test]
fn a_syntax_error_without_a_message_still_says_what_is_expected() {
    let path = forms_dir().join(format!("{}.toml", FORMS[0]));
    let src = std::fs::read_to_string(path).unwrap();
    let mut start = 2178.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + 23).min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let mangled = format!("{}a={}", &src[..start], &src[end..]);
    let errs = parse_toml(&mangled).unwrap_err();
    assert!(
        errs.iter().all(|e| !e.message().trim().is_empty()),
        "{errs:?}"
    );
}

proptest::proptest! {
    #[test]
    fn parse_toml_never_panics_on_mangled_schemas(
        form in 0usize..8,
        at in 0usize..40_000,
        cut in 0usize..200,
        insert in "\\PC{0,20}",
    ) {
        let path = forms_dir().join(format!("{}.toml", FORMS[form]));
        let src = std::fs::read_to_string(path).unwrap();
        let mut start = at.min(src.len());
        while !src.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + cut).min(src.len());
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        let mangled = format!("{}{}{}", &src[..start], insert, &src[end..]);
        if let Err(errs) = parse_toml(&mangled) {
            let lines = mangled.lines().count().max(1) + 1;
            for e in errs {
                proptest::prop_assert!(e.line >= 1 && e.line <= lines, "{e:?}");
                proptest::prop_assert!(e.column >= 1);
                proptest::prop_assert!(!e.message().is_empty());
            }
        }
    }
}

/// A small valid schema the error cases below each break in one place.
const BASE: &str = r#"id = "t"
title = "测试"
version = 1

[[sections]]
legend = "一、基本情况"
fields = [
  { id = "name", label = "姓名", type = "text", max_chars = 10 },
  { id = "start_date", label = "开始", type = "date" },
  { id = "end_date", label = "结束", type = "date" },
  { id = "kind", label = "类别", type = "choice", options = [{ id = "a", label = "甲" }] },
  { id = "rows", label = "名单", type = "table", columns = [
    { id = "id_number", label = "身份证号码", type = "id_number" },
    { id = "hours", label = "学时", type = "number", min = 0 },
  ], row_rules = [{ kind = "unique", column = "id_number" }] },
]

[[rules]]
kind = "course_days"
start = "start_date"
end = "end_date"
min = { notice = "days_min" }
max = { notice = "days_max" }
"#;

#[test]
fn schema_errors_name_their_line() {
    assert!(parse_toml(BASE).is_ok(), "{:?}", parse_toml(BASE));
    // (case, text replaced, replacement, expected line, expected message part)
    let cases = [
        ("unknown top-level key", "version = 1", "version = 1\nauthor = \"x\"", 4, "author"),
        ("unknown field type", "type = \"date\" },\n  { id = \"end_date\"", "type = \"datum\" },\n  { id = \"end_date\"", 9, "datum"),
        ("unknown field key", "max_chars = 10", "max_chars = 10, colour = 1", 8, "colour"),
        ("unknown rule kind", "kind = \"course_days\"", "kind = \"course_weeks\"", 19, "course_weeks"),
        ("unknown notice key", "notice = \"days_min\"", "notice = \"days_minimum\"", 22, ""),
        ("duplicate field id", "id = \"end_date\"", "id = \"start_date\"", 10, "重复"),
        ("duplicate column id", "id = \"hours\"", "id = \"id_number\"", 14, "重复"),
        ("bad rule reference", "end = \"end_date\"", "end = \"finish\"", 21, "finish"),
        ("rule on the wrong type", "start = \"start_date\"", "start = \"name\"", 20, "应为 date"),
        ("bad row-rule reference", "column = \"id_number\"", "column = \"idno\"", 15, "idno"),
        ("row rule at form level", "kind = \"course_days\"\nstart = \"start_date\"\nend = \"end_date\"\nmin = { notice = \"days_min\" }\nmax = { notice = \"days_max\" }", "kind = \"unique\"\ncolumn = \"name\"", 19, "row_rules"),
        ("key on the wrong type", "max_chars = 10", "max_chars = 10, step = 1", 8, "step"),
        ("choice without options", "options = [{ id = \"a\", label = \"甲\" }]", "options = []", 11, "options"),
        ("bad field id", "id = \"name\"", "id = \"Name\"", 8, "无效"),
        ("shared outside a table", "max_chars = 10 }", "max_chars = 10, shared = true }", 8, "shared"),
    ];
    for (case, from, to, line, needle) in cases {
        assert!(BASE.contains(from), "{case}: pattern not in BASE");
        let src = BASE.replacen(from, to, 1);
        let errs = parse_toml(&src).expect_err(case);
        assert!(
            errs.iter()
                .any(|e| e.line == line && e.message().contains(needle)),
            "{case}: {errs:?}"
        );
    }
}
