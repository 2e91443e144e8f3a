//! Table forms from spreadsheet cells: an id number stored as a number is imported as
//! the spreadsheet shows it and is an error of that cell alone, a serial date is a date,
//! and cells read exactly as the same rows in CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

mod core_support;
#[path = "core_support/ids.rs"]
mod ids;

use core_support::*;
use ids::*;
use serde_json::{json, Value};
use wasm_forms::io::{export_csv, import_csv};
use wasm_forms::sheet::{import_cells, SheetCell};

fn s(v: &str) -> Option<SheetCell> {
    Some(SheetCell::Text(v.into()))
}
fn n(v: f64) -> Option<SheetCell> {
    Some(SheetCell::Number(v))
}

fn ctx() -> wasm_forms::validate::Context {
    wasm_forms::validate::Context {
        rules: Default::default(),
        calendar: None,
        today: d("2024-07-10"),
    }
}

fn header() -> Vec<Option<SheetCell>> {
    [
        "序号",
        "证书编号",
        "姓名",
        "身份证号码",
        "职称",
        "工作单位",
        "办班开始时间",
        "办班结束时间",
        "办班单位",
        "培训班名称",
        "天数",
    ]
    .iter()
    .map(|h| s(h))
    .collect()
}

#[test]
fn an_id_number_stored_as_a_number_keeps_its_row_and_is_that_cells_error() {
    let id1 = id(1, true);
    let rows = vec![
        header(),
        vec![
            n(1.0),
            None,
            s("张三"),
            s(&id1),
            None,
            None,
            n(44075.0),
            n(44076.0),
            None,
            None,
            n(2.0),
        ],
        vec![
            n(2.0),
            None,
            s("李四"),
            n(110105199001011234.0),
            None,
            None,
            s("2020/9/1"),
            s("2020-09-02"),
            None,
            None,
            n(2.0),
        ],
    ];
    let sch = schema("wenzhou-hours-roster");
    let got = import_cells(&sch, &rows).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["id_number"], id1.as_str());
    // As Excel and WPS show the number in a General cell.
    assert_eq!(got[1]["id_number"], "1.10105E+17");
    assert_eq!(got[1]["name"], "李四");
    assert_eq!(got[1]["start_date"], "2020/9/1");
    // Validation: that cell alone is an error, with the same message as typed; the
    // date is stored as 2020-09-01 with a note.
    let resp = json!({"form": "wenzhou-hours-roster", "version": 1, "values": {"trainees": got}});
    let report = wasm_forms::validate::validate(&sch, &resp, &ctx());
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.path.starts_with("trainees"))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "trainees[1].id_number");
    let typed = wasm_forms::fields::id_number("1.10105E+17", ctx().today)
        .unwrap_err()
        .to_string();
    assert!(
        errors[0].message.ends_with(&typed),
        "{} / {typed}",
        errors[0].message
    );
    assert!(
        typed.contains("科学计数法") && typed.contains("末几位已经丢失"),
        "{typed}"
    );
    assert_eq!(report.values["trainees"][1]["start_date"], "2020-09-01");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.path == "trainees[1].start_date"),
        "{:?}",
        report.notes
    );
}

#[test]
fn numbers_show_as_a_general_cell_shows_them() {
    use wasm_forms::sheet::general_text;
    assert_eq!(general_text(330302199001011234.0), "3.30302E+17");
    assert_eq!(general_text(110105199001011234.0), "1.10105E+17");
    assert_eq!(general_text(330302900101123.0), "3.30303E+14");
    assert_eq!(general_text(100000000000.0), "1E+11");
    assert_eq!(general_text(999999500000.0), "1E+12");
    assert_eq!(general_text(-330302199001011234.0), "-3.30302E+17");
    assert_eq!(general_text(13567739185.0), "13567739185");
    assert_eq!(general_text(2.5), "2.5");
}

#[test]
fn serial_dates_are_dates_and_text_ids_are_kept() {
    let (a, b) = (id(1, true), id(2, false));
    let rows = vec![
        vec![s("继续教育学时登记管理学员信息表")],
        vec![],
        header(),
        vec![
            n(1.0),
            n(20200001.0),
            s("张三"),
            s(&a),
            s("工程师"),
            s("温州大学"),
            n(44075.0),
            n(44076.5),
            s("温州技师学院"),
            s("智慧物流"),
            n(2.0),
        ],
        vec![],
        vec![
            n(2.0),
            None,
            s("李四"),
            s(&b),
            None,
            None,
            Some(SheetCell::Date("2020-09-01T00:00:00".into())),
            s("2020-09-02"),
            None,
            None,
            n(1.5),
        ],
    ];
    let got = import_cells(&schema("wenzhou-hours-roster"), &rows).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        Value::Object(got[0].clone()),
        json!({
            "seq": 1, "certificate_no": "20200001", "name": "张三", "id_number": a, "title": "工程师",
            "employer": "温州大学", "start_date": "2020-09-01", "end_date": "2020-09-02",
            "host": "温州技师学院", "course": "智慧物流", "days": 2
        })
    );
    assert_eq!(got[1]["start_date"], "2020-09-01");
    assert_eq!(got[1]["days"], 1.5);
}

#[test]
fn cells_read_as_the_same_rows_written_as_csv() {
    let sch = schema("wenzhou-hours-roster");
    let rows: Vec<serde_json::Map<String, Value>> = (0..3)
        .map(|i| {
            json!({"seq": i + 1, "name": format!("学员{i}"), "id_number": id(i, i % 2 == 0),
                   "start_date": "2020-09-01", "end_date": "2020-09-03", "days": 2.5,
                   "employer": "=HYPERLINK(\"x\")"})
            .as_object()
            .unwrap()
            .clone()
        })
        .collect();
    let csv = export_csv(&sch, "trainees", &rows);
    let from_csv = import_csv(&sch, &csv).unwrap();
    // The same table as text cells, the way the page's XLSX export writes it.
    let cells: Vec<Vec<Option<SheetCell>>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|c| match c.strip_prefix('\'') {
                    _ if c.is_empty() => None,
                    Some(rest) => s(rest),
                    None => s(c),
                })
                .collect()
        })
        .collect();
    let from_cells = import_cells(&sch, &cells).unwrap();
    assert_eq!(from_cells, from_csv);
    assert_eq!(from_cells[0]["employer"], "=HYPERLINK(\"x\")");
}

#[test]
fn an_error_value_is_reported_where_it_is() {
    let mut row = vec![n(1.0), None, s("张三"), s(&id(1, true))];
    row.resize(10, None);
    row.push(Some(SheetCell::Error("#VALUE!".into())));
    let f = import_cells(&schema("wenzhou-hours-roster"), &[header(), row]).unwrap_err();
    assert_eq!(f[0].path, "trainees[0].days");
    assert!(
        f[0].message
            .contains("第 2 行第 11 列（天数）是表格的错误值 #VALUE!"),
        "{}",
        f[0].message
    );
}

#[test]
fn cells_from_the_pages_json() {
    use wasm_forms::sheet::rows_from_json;
    let rows = rows_from_json(&json!([
        [{"t": "s", "v": "姓名"}, null, {"t": "n", "v": 44075}],
        [],
        [{"t": "b", "v": true}, {"t": "d", "v": "2020-09-01"}, {"t": "e", "v": "#N/A"}]
    ]))
    .unwrap();
    assert_eq!(rows[0], vec![s("姓名"), None, n(44075.0)]);
    assert!(rows[1].is_empty());
    assert_eq!(rows[2][0], Some(SheetCell::Bool(true)));
    assert_eq!(rows[2][2], Some(SheetCell::Error("#N/A".into())));
    assert_eq!(
        rows_from_json(&json!([[{"t": "x", "v": 1}]]))
            .unwrap_err()
            .to_string(),
        "第 1 行第 1 列的单元格无法识别"
    );
    assert!(rows_from_json(&json!({"rows": []})).is_err());
}

#[test]
fn unreadable_cells_are_a_typed_error_naming_the_row_and_column_as_the_sheet_counts() {
    use wasm_forms::limits::{Exceeded, SHEET};
    use wasm_forms::sheet::{rows_from_json, CellsError};
    let wide: Vec<Value> = (0..=SHEET.columns)
        .map(|c| {
            if c == SHEET.columns {
                json!({"t": "n", "v": 1})
            } else {
                Value::Null
            }
        })
        .collect();
    let cases = [
        (
            json!({"rows": []}),
            CellsError::NotRows,
            "表格内容应为行的数组",
        ),
        (
            json!([[], 3]),
            CellsError::Row(2),
            "第 2 行应为单元格的数组",
        ),
        (
            json!([[null, {"t": "n", "v": "一"}]]),
            CellsError::Cell { row: 1, col: 2 },
            "第 1 行第 2 列的单元格无法识别",
        ),
        (
            json!([[], [{"t": "s"}]]),
            CellsError::Cell { row: 2, col: 1 },
            "第 2 行第 1 列的单元格无法识别",
        ),
    ];
    for (cells, error, text) in cases {
        let e = rows_from_json(&cells).unwrap_err();
        assert_eq!(e, error, "{cells}");
        assert_eq!(e.to_string(), text);
    }
    let e = rows_from_json(&Value::Array(vec![Value::Array(wide)])).unwrap_err();
    let range = Exceeded::Range {
        row: 0,
        col: u64::from(SHEET.columns),
    };
    assert_eq!(e, CellsError::Exceeded(range));
    assert_eq!(e.to_string(), range.chinese(&SHEET));
    assert!(
        e.to_string()
            .starts_with("表格用到了 XFE1 单元格（第 1 行第 16385 列）"),
        "{e}"
    );
}

#[test]
fn an_error_value_in_one_row_hides_no_finding_of_the_others_and_rows_are_sheet_rows() {
    use wasm_forms::sheet::read_cells;
    use wasm_forms::validate::{validate_numbered, RowNumbers};
    let sch = schema("wenzhou-hours-roster");
    let row = |seq: f64, name: &str, id_no: &str, days: Option<SheetCell>| {
        let mut r = vec![n(seq), None, s(name), s(id_no)];
        r.resize(10, None);
        r.push(days);
        r
    };
    // A title row, the header on row 2, a multi-line name on row 3, an error value on
    // row 4, a bad id number on row 6 (row 5 empty), unreadable days on row 7.
    let rows = vec![
        vec![s("继续教育学时登记管理学员信息表")],
        header(),
        row(1.0, "张\n三", &id(1, true), n(2.0)),
        row(
            2.0,
            "李四",
            &id(2, true),
            Some(SheetCell::Error("#N/A".into())),
        ),
        vec![],
        row(3.0, "王五", "123", n(2.0)),
        row(4.0, "赵六", &id(4, true), s("两天")),
    ];
    let read = read_cells(&sch, &rows);
    assert_eq!(read.rows.len(), 4, "every row is read");
    assert_eq!(read.lines, [3, 4, 6, 7]);
    assert_eq!(read.errors.len(), 1, "{:?}", read.errors);
    assert!(
        read.errors[0]
            .message
            .contains("第 4 行第 11 列（天数）是表格的错误值 #N/A"),
        "{:?}",
        read.errors
    );
    let values = json!({ "trainees": read.rows });
    let report = validate_numbered(
        &sch,
        &json!({"form": "wenzhou-hours-roster", "version": 1, "values": values}),
        &ctx(),
        RowNumbers {
            table: "trainees",
            lines: &read.lines,
        },
    );
    let all: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        all.iter().any(|m| m.starts_with("第 6 行身份证号码")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.starts_with("第 7 行“天数”") && m.contains("两天")),
        "{all:#?}"
    );
}

#[test]
fn control_and_invisible_characters_of_cells_are_removed_with_a_note() {
    use wasm_forms::sheet::read_cells;
    let mut r = vec![n(1.0), None, s("张\u{202e}三\u{200b}"), s(&id(1, true))];
    r.resize(11, None);
    let read = read_cells(&schema("wenzhou-hours-roster"), &[header(), r]);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.rows[0]["name"], "张三");
    assert_eq!(read.notes.len(), 1, "{:?}", read.notes);
    let note = &read.notes[0];
    assert!(!note.is_error());
    assert_eq!(note.path, "trainees[0].name");
    assert!(
        note.message.contains("第 2 行第 3 列（姓名）") && note.message.contains("U+202E、U+200B"),
        "{}",
        note.message
    );
}
