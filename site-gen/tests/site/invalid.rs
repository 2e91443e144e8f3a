//! Invalid fixtures: each diagnostic names the file, the line and what is wrong, and
//! shows the offending line with a caret.

use crate::support::Fixture;

/// Builds `case` and expects exactly one diagnostic in `file` at `line`.
fn one(case: &str, file: &str, line: usize, needle: &str) -> String {
    let (d, text) = Fixture::new(case).errors();
    assert_eq!(d.len(), 1, "{text}");
    let diag = &d.0[0];
    assert!(diag.path.ends_with(file), "{text}");
    assert_eq!(diag.line, line, "{text}");
    assert!(diag.message.contains(needle), "{text}");
    assert!(
        text.contains(&format!("content/{file}:{line}:")),
        "path:line:column first: {text}"
    );
    assert!(
        text.contains(&format!("\n{line} | ")),
        "offending line shown: {text}"
    );
    text
}

#[test]
fn toml_syntax_error() {
    one("invalid_syntax", "notices/bad.toml", 8, "");
}

#[test]
fn unknown_key() {
    let text = one(
        "invalid_unknown_key",
        "notices/bad.toml",
        7,
        "unknown field `colour`",
    );
    assert!(text.contains("7 | colour = \"red\"\n  | ^"), "{text}");
}

#[test]
fn blank_notice_title() {
    one(
        "invalid_blank_title",
        "notices/bad.toml",
        5,
        "title is empty: expected the notice's title",
    );
}

#[test]
fn wrong_type() {
    one("invalid_wrong_type", "notices/bad.toml", 9, "invalid type");
}

#[test]
fn missing_field() {
    one(
        "invalid_missing_field",
        "notices/bad.toml",
        1,
        "missing field `doc_number`",
    );
}

#[test]
fn duplicate_program_name_within_a_notice() {
    let text = one(
        "invalid_duplicate_program",
        "notices/bad.toml",
        21,
        "duplicate program name `同名项目`",
    );
    assert!(text.contains("first at line 13"), "{text}");
}

#[test]
fn unknown_form_in_attachments() {
    one(
        "invalid_unknown_form",
        "notices/bad.toml",
        8,
        "unknown form `no-such-form`",
    );
}

#[test]
fn missing_calendar_year() {
    one(
        "invalid_missing_calendar",
        "notices/bad.toml",
        4,
        "no holiday calendar for 2019",
    );
}

#[test]
fn broken_internal_link_points_into_the_body() {
    one(
        "invalid_broken_link",
        "notices/bad.toml",
        9,
        "broken internal link `/notices/nowhere/`",
    );
}

#[test]
fn all_errors_of_all_files_together() {
    let (d, text) = Fixture::new("invalid_many").errors();
    assert_eq!(d.len(), 2, "{text}");
    assert!(
        text.contains("notices/one.toml:7:1: unknown field `colour`"),
        "{text}"
    );
    assert!(text.contains("notices/two.toml:21:"), "{text}");
    assert!(text.ends_with("2 content errors found"), "{text}");
}

#[test]
fn attachment_naming_an_unknown_list() {
    let (_, text) = Fixture::new("basic")
        .file(
            "content/notices/beta-2023.toml",
            "title = \"t\"\ndoc_number = \"d\"\nissuer = \"i\"\ndate = 2023-03-01\nregion = \"r\"\nbody = \"b\"\nattachments = [{ title = \"名单\", list = \"nope\" }]\n",
        )
        .errors();
    assert!(text.contains("beta-2023.toml:7:"), "{text}");
    assert!(text.contains("list `nope`"), "{text}");
}

#[test]
fn date_and_amount_in_their_other_spellings_and_bad_values() {
    let (d, text) = Fixture::new("basic")
        .file(
            "content/notices/beta-2023.toml",
            "title = \"t\"\ndoc_number = \"d\"\nissuer = \"i\"\ndate = \"2023-02-30\"\nregion = \"r\"\nbody = \"b\"\n\n[[lists]]\nid = \"x\"\ntitle = \"x\"\n[[lists.programs]]\nname = \"n\"\norganizer = \"o\"\namount_wan = \"两万\"\n",
        )
        .errors();
    assert_eq!(d.len(), 2, "{text}");
    assert!(
        text.contains("beta-2023.toml:4:8: date must be a date"),
        "{text}"
    );
    assert!(
        text.contains("beta-2023.toml:14:14: amount_wan must be"),
        "{text}"
    );
}

/// A notice's dates are `YYYY-MM-DD` only (as TOML dates or strings); a date written as
/// offices write it is refused with the form to write, a date that does not exist is not
/// given one.
#[test]
fn a_date_not_written_yyyy_mm_dd_is_refused_with_the_form_to_write() {
    let notice = |date: &str, complete_by: &str| {
        format!(
            "title = \"t\"\ndoc_number = \"d\"\nissuer = \"i\"\ndate = \"{date}\"\nregion = \"r\"\nbody = \"b\"\n\n[rules]\ncomplete_by = \"{complete_by}\"\n"
        )
    };
    let (d, text) = Fixture::new("basic")
        .file(
            "content/notices/beta-2025.toml",
            &notice("2025/4/18", "2025-4-30"),
        )
        .errors();
    assert_eq!(d.len(), 2, "{text}");
    assert!(
        text.contains("beta-2025.toml:4:8: date must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string): write 2025-04-18"),
        "{text}"
    );
    assert!(
        text.contains("beta-2025.toml:9:15: complete_by must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string): write 2025-04-30"),
        "{text}"
    );
    let (d, text) = Fixture::new("basic")
        .file(
            "content/notices/beta-2025.toml",
            &notice("2025年2月30日", "2025-04-30"),
        )
        .errors();
    assert_eq!(d.len(), 1, "{text}");
    assert!(
        text.contains("beta-2025.toml:4:8: date must be a date"),
        "{text}"
    );
    assert!(!text.contains("write 2025"), "{text}");
    // The same dates written YYYY-MM-DD build.
    Fixture::new("basic")
        .file(
            "content/notices/beta-2025.toml",
            &notice("2025-04-18", "2025-04-30"),
        )
        .build();
}

#[test]
fn never_panics_on_odd_content() {
    for body in [
        "",
        "\u{feff}",
        "= = =",
        "title = 1\n[[lists]]\n[[lists.programs]]\n",
        "attachments = [1, {}, { title = 2, form = [] , x = 1}]",
        "date = 1979-05-27T07:32:00Z",
        "[rules]\ndays = [3, 1]\ncomplete_by = 5",
        "body = \"\"\"\n[a](/x) [b](javascript:alert(1))\n\"\"\"",
    ] {
        let f = Fixture::new("basic").file("content/notices/odd.toml", body);
        let (d, _) = f.errors();
        assert!(!d.is_empty());
    }
}

#[test]
fn form_schema_errors_name_the_form_file_and_line() {
    let (d, text) = Fixture::new("basic")
        .file(
            "content/forms/broken-form.toml",
            "id = \"broken-form\"\ntitle = \"坏表单\"\nversion = 1\nno_such_key = true\n",
        )
        .errors();
    assert!(
        d.0.iter()
            .any(|x| x.path.ends_with("forms/broken-form.toml") && x.line == 4),
        "{text}"
    );
}

/// The schema check's problems of a form file are each at their own line and column,
/// from the TOML parser's spans: the same words earlier in a comment, a single-quoted
/// value, an inline table and a dotted key do not move them.
#[test]
fn form_schema_check_errors_are_at_their_own_line_and_column() {
    let form = r#"# id = "name" and table = "rows" here are words of a comment
id = 'checked'
title = "检查"
version = 1

[[sections]]
legend = "一、基本情况"
fields = [
  { id = 'name', label = "姓名", type = "text" },
  { id = "rows", label = "名单", type = "table", columns = [
    { id = "from", label = "开始", type = "date" },
  ], row_rules = [{ kind = "date_order", start = "from", end = "until" }] },
  { id = "name", label = "又一个姓名", type = "text", step = 1 },
]

[[rules]]
kind = "min_rows"
table = 'roster'
min.notice = "min_trainees"
"#;
    let (d, text) = Fixture::new("basic")
        .file("content/forms/checked.toml", form)
        .errors();
    for want in [
        "content/forms/checked.toml:12:64: 表格“rows”的行规则 date_order 的 end 引用了不存在的列“until”\n",
        "content/forms/checked.toml:13:10: 字段 id “name” 重复：每个字段 id 在表单内只能出现一次\n",
        "content/forms/checked.toml:13:57: 字段“name”是 text 类型，不能使用 step（仅用于 number）\n",
        "content/forms/checked.toml:18:9: 规则 min_rows 的 table 引用了不存在的字段“roster”（应为本表单的 table 字段）\n",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    assert!(
        text.contains("\n18 | table = 'roster'\n   |         ^"),
        "{text}"
    );
    let in_form =
        d.0.iter()
            .filter(|x| x.path.ends_with("forms/checked.toml"));
    assert_eq!(in_form.count(), 4, "{text}");
}

/// A form id that is not its file's name is reported at the id's value.
#[test]
fn form_id_not_the_file_name_is_at_the_id() {
    let form = "# id = \"renamed\" was its old id\ntitle = \"改名\"\nid = 'renamed'\nversion = 1\n\n[[sections]]\nlegend = \"一\"\nfields = [{ id = \"name\", label = \"姓名\", type = \"text\" }]\n";
    let (_, text) = Fixture::new("basic")
        .file("content/forms/other.toml", form)
        .errors();
    assert!(
        text.contains("content/forms/other.toml:3:6: form id `renamed` does not match the file name `other.toml` (expected id = \"other\")"),
        "{text}"
    );
}

/// A bad `min_hours` is reported at its value, the notice's and a list's own, from
/// the parser's spans (not at the first `min_hours` of the text, here a comment's).
#[test]
fn min_hours_errors_are_at_their_values() {
    let fixture = Fixture::new("basic");
    let path = fixture.content().join("notices/alpha-2024.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = format!("# min_hours = 40 in last year's notice\n{text}")
        .replacen(
            "[rules]\nmin_trainees = 30\n",
            "[rules]\nmin_trainees = 30\nmin_hours = -1\n",
            1,
        )
        .replacen(
            "title = \"2024年度测试高研班项目名单\"\n",
            "title = \"2024年度测试高研班项目名单\"\nrules = { min_hours = -2 }\n",
            1,
        );
    let (_, out) = fixture
        .file("content/notices/alpha-2024.toml", &text)
        .errors();
    for want in [
        "content/notices/alpha-2024.toml:16:13: min_hours = -1 must be",
        "content/notices/alpha-2024.toml:25:23: min_hours = -2 must be",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
}

#[test]
fn calendar_errors_name_the_calendar_file() {
    let (d, text) = Fixture::new("basic")
        .file("content/calendar/2025.toml", "year = 2025\nsource = 3\n")
        .errors();
    assert!(
        d.0.iter()
            .any(|x| x.path.ends_with("calendar/2025.toml") && x.line == 2),
        "{text}"
    );
    let (d, text) = Fixture::new("basic")
        .file(
            "content/calendar/2025.toml",
            "year = 2026\nsource = \"x\"\n",
        )
        .errors();
    assert!(
        d.0.iter()
            .any(|x| x.path.ends_with("calendar/2025.toml") && x.message.contains("does not match")),
        "{text}"
    );
}

/// The checks across calendar files (dates, intervals, adjusted working days, a year
/// given twice) report each problem in its own file, on the line and column of the
/// value it is about, from the TOML parser's spans.
#[test]
fn calendar_check_errors_are_at_their_own_file_line_and_column() {
    let y2025 = "year = 2025\nsource = \"x\"\n\n[[holidays]]\nname = \"元旦\"\noff = [\"2025-01-01\"]\n\n[[holidays]]\nname = \"春节\"\noff = [\"2025-01-28/2025-02-04\"]\nwork = [\"2025-01-26\", \"2025-02-05\"]\n";
    let y2026 = "year = 2026\nsource = \"x\"\n\n[[holidays]]\nname = \"元旦\"\noff = [\"2026-01-01\", \"2026-01-05/2026-01-02\"]\n";
    let (d, text) = Fixture::new("basic")
        .file("content/calendar/2025.toml", y2025)
        .file("content/calendar/2026.toml", y2026)
        .errors();
    // 2025-02-05 is a Wednesday: the second item of `work`, line 11, column 23.
    assert!(
        text.contains(
            "calendar/2025.toml:11:23: holidays[1] (春节): work: 2025-02-05 不是周六或周日"
        ),
        "{text}"
    );
    // An interval that ends before it starts: the second item of `off`, line 6.
    assert!(
        text.contains("calendar/2026.toml:6:22: holidays[0] (元旦): off: 区间 `2026-01-05/2026-01-02` 的开始日期晚于结束日期"),
        "{text}"
    );
    let in_calendars =
        d.0.iter()
            .filter(|x| x.path.to_string_lossy().contains("calendar/"));
    assert_eq!(in_calendars.count(), 2, "{text}");
    // The notices that need these years are not told that the calendar is missing:
    // it is there, with errors of its own.
    assert!(!text.contains("no holiday calendar"), "{text}");
    assert_eq!(d.len(), 2, "{text}");
}

/// Relative links are checked from the page that shows them: a list's rules note from
/// the notice page and from each of the list's program pages.
#[test]
fn relative_links_are_checked_from_every_page_showing_them() {
    let notice = r#"title = "相对链接"
doc_number = "测〔2024〕2号"
issuer = "测试局"
date = 2024-07-03
region = "测试"
body = """
见[名单](main.csv)、[另一通知](../alpha-2024/)和[表单](../../forms/wenzhou-survey/?notice=rel-2024)。
见[不存在](../nowhere/)。
"""

[[lists]]
id = "main"
title = "名单"
rules_note = "见[上一级](../)和[本通知](../#list-main)。"

[[lists.programs]]
name = "项目"
organizer = "单位"
description = "见[通知](../)、[坏的](./nothing.csv)。"
"#;
    let (d, text) = Fixture::new("basic")
        .file("content/notices/rel-2024.toml", notice)
        .errors();
    assert!(
        text.contains("rel-2024.toml:8:2: broken relative link `../nowhere/`: from /notices/rel-2024/ it leads to /notices/nowhere/"),
        "{text}"
    );
    // `../` from the notice page is /notices/, which is no page; from the program page
    // it is the notice.
    assert!(
        text.contains("broken relative link `../`: from /notices/rel-2024/ it leads to /notices/"),
        "{text}"
    );
    assert!(
        text.contains("broken relative link `./nothing.csv`: from /notices/rel-2024/main-1/"),
        "{text}"
    );
    assert!(
        text.contains("broken relative link `../#list-main`: from /notices/rel-2024/"),
        "{text}"
    );
    assert_eq!(d.len(), 4, "{text}");
}

#[test]
fn reading_with_the_wrong_number_of_syllables() {
    let fixture = Fixture::new("basic");
    let site = std::fs::read_to_string(fixture.content().join("site.toml")).unwrap();
    let lines = site.lines().count();
    let fixture = fixture.file(
        "content/site.toml",
        &format!("{site}[readings]\n\"乐清\" = \"yue4\"\n"),
    );
    let (d, text) = fixture.errors();
    assert_eq!(d.len(), 1, "{text}");
    assert!(d.0[0].path.ends_with("site.toml"), "{text}");
    assert_eq!(d.0[0].line, lines + 2, "{text}");
    assert!(
        d.0[0].message.contains("1 syllable(s) for 2 character(s)"),
        "{text}"
    );
}

/// A scored form with a table would load an engine without the tables' import and
/// export (each page loads one bundle): it is refused at its `[scoring]`.
#[test]
fn a_scored_form_with_a_table_is_refused_at_its_scoring() {
    let scored = include_str!("../../../content/forms/wenzhou-evaluation.toml");
    let table = "\n[[sections]]\nlegend = \"名单\"\n[[sections.fields]]\nid = \"extra_roster\"\nlabel = \"另附名单\"\ntype = \"table\"\ncolumns = [{ id = \"name\", label = \"姓名\", type = \"text\" }]\n";
    let line = scored
        .lines()
        .position(|l| l == "[scoring]")
        .expect("the evaluation has a [scoring] table")
        + 1;
    let (_, text) = Fixture::new("basic")
        .file(
            "content/forms/wenzhou-evaluation.toml",
            &format!("{scored}{table}"),
        )
        .errors();
    assert!(
        text.contains(&format!(
            "content/forms/wenzhou-evaluation.toml:{line}:1: a form with scoring or survey counts cannot have a table"
        )),
        "{text}"
    );
    // The same form without the table is fine.
    Fixture::new("basic")
        .file("content/forms/wenzhou-evaluation.toml", scored)
        .build();
}

#[test]
fn an_autocomplete_name_the_control_does_not_take_is_named_at_its_line() {
    let form = "id = \"address-form\"\ntitle = \"回执\"\nversion = 1\n\n[[sections]]\nlegend = \"人员\"\n\n[[sections.fields]]\nid = \"address\"\nlabel = \"通讯地址\"\ntype = \"text\"\nautocomplete = \"street-address\"\n";
    let (d, text) = Fixture::new("basic")
        .file("content/forms/address-form.toml", form)
        .errors();
    assert_eq!(d.len(), 1, "{text}");
    assert!(
        text.contains("content/forms/address-form.toml:12:"),
        "{text}"
    );
    assert!(
        text.contains("“address”")
            && text.contains("address-line1")
            && text.contains("multiline = true"),
        "{text}"
    );
    // The same field as several lines is fine.
    let multiline = form.replace("type = \"text\"\n", "type = \"text\"\nmultiline = true\n");
    Fixture::new("basic")
        .file("content/forms/address-form.toml", &multiline)
        .build();
}
