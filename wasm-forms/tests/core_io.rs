//! JSON and CSV import / export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

mod core_support;
#[path = "core_support/ids.rs"]
mod ids;
#[path = "core_support/report.rs"]
mod report;
#[path = "core_support/rules.rs"]
mod rules;

use core_support::*;
use ids::*;
use proptest::prelude::*;
use report::*;
use rules::*;
use serde_json::{json, Map, Value};
use wasm_forms::finding::Severity;
use wasm_forms::io::{
    export_csv, export_json, import_csv, import_csv_table, import_json, read_csv_table,
    MixedEncoding, TextEncoding,
};
use wasm_forms::validate::{validate, validate_numbered, RowNumbers};

fn rows(v: &Value) -> Vec<Map<String, Value>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_object().unwrap().clone())
        .collect()
}

#[test]
fn json_export_then_import_gives_back_the_response() {
    let s = schema("shandong-acceptance");
    let resp = response(
        "shandong-acceptance",
        json!({"summary": "效果良好", "organizer_score": 75, "applicant_score": 65.5}),
    );
    let report = validate(&s, &resp, &ctx(shandong_rules()));
    let values = resp["values"].as_object().unwrap();
    let text = export_json(&s, values, &report);
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported["form"], json!("shandong-acceptance"));
    assert_eq!(exported["version"], json!(1));
    assert_eq!(exported["valid"], json!(true));
    assert_eq!(exported["computed"]["applicant_passed"], json!(false));
    assert!(exported["findings"].as_array().unwrap().is_empty());
    let back = import_json(&text).unwrap();
    assert_eq!(back, resp);
}

#[test]
fn json_export_of_a_draft_records_invalid() {
    let s = schema("shandong-acceptance");
    let resp = response("shandong-acceptance", json!({"organizer_score": 170}));
    let report = validate(&s, &resp, &ctx(shandong_rules()));
    let text = export_json(&s, resp["values"].as_object().unwrap(), &report);
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported["valid"], json!(false));
    assert!(exported["findings"].as_array().unwrap().len() >= 2);
    assert!(import_json(&text).is_ok());
}

#[test]
fn json_import_errors_name_what_is_wrong() {
    let cases = [
        ("", "", "文件为空"),
        ("{\"form\": ", "", "第 1 行"),
        ("[1, 2]", "", "应为对象"),
        ("{\"version\": 1, \"values\": {}}", "form", "缺少 form"),
        (
            "{\"form\": \"x\", \"values\": {}}",
            "version",
            "缺少 version",
        ),
        ("{\"form\": \"x\", \"version\": 1}", "values", "缺少 values"),
        (
            "{\"form\": \"x\", \"version\": 1, \"values\": 3}",
            "values",
            "（values）格式不对：应为每一项及其所填的值",
        ),
        (
            "{\"form\": \"x\", \"version\": 1, \"values\": {}, \"who\": 1}",
            "who",
            "未知的顶层键",
        ),
    ];
    for (text, path, needle) in cases {
        let errs = import_json(text).unwrap_err();
        assert!(
            errs.iter()
                .any(|f| f.path == path && f.message.contains(needle)),
            "{text}: {errs:?}"
        );
    }
    // A BOM is fine.
    assert!(import_json("\u{feff}{\"form\": \"x\", \"version\": 1, \"values\": {}}").is_ok());
}

#[test]
fn csv_export_has_bom_crlf_chinese_headers_in_seed_order() {
    let s = schema("wenzhou-hours-roster");
    let csv = export_csv(&s, "trainees", &[]);
    assert_eq!(
        csv,
        "\u{feff}序号,证书编号,姓名,身份证号码,职称,工作单位,办班开始时间,办班结束时间,办班单位,培训班名称,天数\r\n"
    );
    let s = schema("shandong-roster");
    let csv = export_csv(&s, "trainees", &[]);
    assert!(csv.starts_with(
        "\u{feff}序号,姓名,性别,身份证号,工作单位,职称,联系电话,完成学时,是否通过结业考核,培训证书编号\r\n"
    ));
    let s = schema("shandong-filing");
    let csv = export_csv(&s, "lecturers", &[]);
    assert_eq!(csv, "\u{feff}授课专家,职称/职务,授课题目,学时数\r\n");
    assert_eq!(export_csv(&s, "nope", &[]), "");
}

#[test]
fn csv_cells_that_look_like_formulas_get_a_quote_and_import_strips_it() {
    let s = schema("shandong-filing");
    let r = rows(&json!([
        {"expert": "=HYPERLINK(\"x\")", "position": "+教授", "topic": "-话题", "hours": 8},
        {"expert": "@张", "position": "\t职务", "topic": "\r题", "hours": 8},
        {"expert": "'已有引号", "position": "普通", "topic": "a,b\"c", "hours": 0.5},
    ]));
    let csv = export_csv(&s, "lecturers", &r);
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(csv.contains(",'+教授,'-话题,"), "{csv}");
    assert!(csv.contains("'@张"), "{csv}");
    assert!(csv.contains("'\t职务"), "{csv}");
    let back = import_csv(&s, &csv).unwrap();
    assert_eq!(back, r);
}

#[test]
fn csv_choices_and_booleans_are_exported_as_chinese_labels() {
    let s = schema("shandong-roster");
    let r = rows(
        &json!([{"seq": 1, "name": "甲", "gender": "female", "id_number": id(1, false), "passed": true, "hours": 24}]),
    );
    let csv = export_csv(&s, "trainees", &r);
    assert!(csv.contains(",女,"), "{csv}");
    assert!(csv.contains(",24,是,"), "{csv}");
    assert_eq!(import_csv(&s, &csv).unwrap(), r);
}

#[test]
fn csv_import_accepts_ids_or_labels_any_order_lf_without_bom() {
    let s = schema("shandong-filing");
    let text = "hours,授课专家, topic \n8,李,题一\n\n7.5,王,题二\n";
    let back = import_csv(&s, text).unwrap();
    assert_eq!(
        back,
        rows(&json!([
            {"hours": 8, "expert": "李", "topic": "题一"},
            {"hours": 7.5, "expert": "王", "topic": "题二"},
        ]))
    );
}

#[test]
fn csv_import_keeps_every_row_and_validation_names_the_bad_cells() {
    let s = schema("shandong-roster");
    let text = "\u{feff}序号,姓名,是否通过结业考核,完成学时\r\n1,甲,是,24\r\n2,乙,也许,二十\r\n";
    let rows = import_csv(&s, text).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    // What the column cannot read stays as it was written.
    assert_eq!(rows[1]["name"], "乙");
    assert_eq!(rows[1]["passed"], "也许");
    assert_eq!(rows[1]["hours"], "二十");
    let report = validate(
        &s,
        &response("shandong-roster", json!({ "trainees": rows })),
        &ctx(shandong_rules()),
    );
    let bad: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.path.starts_with("trainees[1]") && f.severity == Severity::Error)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        bad,
        ["trainees[1].hours", "trainees[1].passed"],
        "{}",
        dump(&report)
    );
}

#[test]
fn csv_import_header_problems() {
    let s = schema("wenzhou-hours-roster");
    let errs = import_csv(&s, "姓名,生日\r\n甲,1990\r\n").unwrap_err();
    assert!(
        errs[0].message.contains("第 1 行第 2 列表头“生日”"),
        "{errs:?}"
    );
    let errs = import_csv(&s, "姓名,name\r\n甲,乙\r\n").unwrap_err();
    assert!(errs[0].message.contains("重复"), "{errs:?}");
    let errs = import_csv(&s, "").unwrap_err();
    assert!(errs[0].message.contains("CSV 为空"), "{errs:?}");
    let errs = import_csv(&s, "姓名\r\n甲,多余\r\n").unwrap_err();
    assert!(errs[0].message.contains("第 2 行第 2 列"), "{errs:?}");
    let errs = import_csv_table(&s, "lecturers", "姓名\r\n").unwrap_err();
    assert!(errs[0].message.contains("lecturers"), "{errs:?}");
    let errs = import_csv(&schema("wenzhou-survey"), "a\r\n").unwrap_err();
    assert!(errs[0].message.contains("没有可导入"), "{errs:?}");
}

#[test]
fn csv_import_messages_cut_long_values() {
    // A 200 KB header and a 200 KB stray cell: quoted by their ends and how much is left
    // out (the findings' one rule), not echoed whole.
    let s = schema("wenzhou-hours-roster");
    let long = "长".repeat(200_000);
    let errs = import_csv(&s, &format!("姓名,{long}\r\n甲,1\r\n")).unwrap_err();
    let want = format!(
        "第 1 行第 2 列表头“{}…（略去 199960 字）…{}”不是本表的列",
        "长".repeat(30),
        "长".repeat(10)
    );
    assert!(
        errs[0].message.starts_with(&want),
        "{}",
        errs[0].message.chars().take(200).collect::<String>()
    );
    assert!(errs[0].message.len() < 2_000);
    let errs = import_csv(&s, &format!("姓名\r\n甲,{long}\r\n")).unwrap_err();
    assert!(
        errs[0].message.contains("第 2 行第 2 列“长长")
            && errs[0].message.contains("…（略去 199960 字）…长长")
            && errs[0].message.contains("”没有对应的表头"),
        "{}",
        errs[0].message.chars().take(200).collect::<String>()
    );
    assert!(errs[0].message.len() < 2_000);
}

#[test]
fn csv_imported_roster_validates() {
    let s = schema("wenzhou-hours-roster");
    let mut text = String::from("序号,姓名,身份证号码,办班开始时间,办班结束时间,天数\r\n");
    for n in 0..30 {
        text.push_str(&format!(
            "{},学员{n},{},2020-09-10,2020-09-12,3\r\n",
            n + 1,
            id(n, true)
        ));
    }
    let r = import_csv(&s, &text).unwrap();
    let values = json!({ "trainees": r });
    let report = validate(
        &s,
        &response("wenzhou-hours-roster", values),
        &ctx(wenzhou_rules()),
    );
    assert!(report.valid, "{}", dump(&report));
}

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,\"'=+@\\-\t\r\n]{0,12}",
        "\\PC{0,8}",
        Just("=SUM(A1)".to_string()),
        Just("'=x".to_string()),
        Just("-3".to_string()),
    ]
}

proptest! {
    #[test]
    fn csv_export_then_import_round_trips_rows(
        texts in prop::collection::vec((cell_strategy(), cell_strategy(), cell_strategy()), 0..20),
        hours in prop::collection::vec(0u32..400, 0..20),
    ) {
        let s = schema("shandong-filing");
        let mut input = Vec::new();
        for (i, (a, b, c)) in texts.iter().enumerate() {
            let mut row = Map::new();
            for (k, v) in [("expert", a), ("position", b), ("topic", c)] {
                // Empty or blank cells are read back as absent.
                if !v.trim().is_empty() {
                    row.insert(k.to_string(), Value::String(v.clone()));
                }
            }
            if let Some(h) = hours.get(i) {
                let h = f64::from(*h) / 2.0;
                row.insert("hours".into(), json!(h));
            }
            if row.is_empty() {
                continue; // an all-empty line is skipped on import
            }
            input.push(row);
        }
        let csv = export_csv(&s, "lecturers", &input);
        prop_assert!(csv.starts_with('\u{feff}'), "no BOM");
        let back = import_csv(&s, &csv).map_err(|e| TestCaseError::fail(format!("{e:?}\n{csv}")))?;
        prop_assert_eq!(back.len(), input.len());
        for (b, i) in back.iter().zip(&input) {
            for (k, v) in i {
                match (k.as_str(), v) {
                    ("hours", Value::Number(n)) => {
                        let got = b.get(k).and_then(Value::as_f64);
                        prop_assert_eq!(got, n.as_f64());
                    }
                    _ => prop_assert_eq!(b.get(k), Some(v)),
                }
            }
            prop_assert_eq!(b.len(), i.len());
        }
    }
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        (-1_000_000i64..1_000_000).prop_map(|n| json!(n as f64 / 8.0)),
        "\\PC{0,12}".prop_map(Value::String),
    ]
}

fn json_tree() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn any_response_survives_json_export_and_import(
        values in prop::collection::btree_map("[a-z_]{1,10}", json_tree(), 0..10),
        form in prop::sample::select(vec!["wenzhou-survey", "shandong-roster", "wenzhou-evaluation"]),
    ) {
        let s = schema(form);
        let values: Map<String, Value> = values.into_iter().collect();
        let resp = json!({"form": form, "version": 1, "values": values});
        let report = validate(&s, &resp, &ctx(shandong_rules()));
        let text = export_json(&s, &values, &report);
        let back = import_json(&text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(back, resp);
    }
}

#[test]
fn csv_encodings_are_sniffed_from_bom_validity_and_zero_bytes() {
    let text = "姓名,完成学时\r\n张三,24\r\n";
    assert_eq!(TextEncoding::sniff(text.as_bytes()), TextEncoding::Utf8);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(TextEncoding::sniff(&bom), TextEncoding::Utf8);
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    // Without a mark, ASCII columns leave zero bytes on one side.
    let ascii_le: Vec<u8> = "name,hours\r\n1,2\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(TextEncoding::sniff(&ascii_le), TextEncoding::Utf16Le);
    assert_eq!(
        TextEncoding::sniff(&[&[0xFF, 0xFE][..], &le].concat()),
        TextEncoding::Utf16Le
    );
    assert_eq!(
        TextEncoding::sniff(&[&[0xFE, 0xFF][..], &be].concat()),
        TextEncoding::Utf16Be
    );
    // 姓名 in GBK.
    assert_eq!(
        TextEncoding::sniff(&[0xD0, 0xD5, 0xC3, 0xFB, b',', b'1']),
        TextEncoding::Gb18030
    );
    assert!(TextEncoding::Utf8.note().is_none());
    let note = TextEncoding::Gb18030.note().unwrap();
    assert!(note.message.contains("GBK/GB18030"), "{note:?}");
    assert!(!note.is_error());
    for e in [
        TextEncoding::Utf8,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Gb18030,
    ] {
        assert_eq!(TextEncoding::from_label(e.label()), Some(e));
    }
    assert_eq!(TextEncoding::from_label("GBK"), Some(TextEncoding::Gb18030));
}

#[test]
fn csv_full_width_numbers_reach_validation_as_typed_and_get_notes() {
    let s = schema("shandong-filing");
    let rows = import_csv(&s, "授课专家,学时数\n李,８\n王, 7.5 \n").unwrap();
    assert_eq!(rows[0]["hours"], json!("８"));
    assert_eq!(rows[1]["hours"], json!(" 7.5 "));
    let resp = response("shandong-filing", json!({ "lecturers": rows }));
    let report = validate(&s, &resp, &ctx(shandong_rules()));
    let notes: Vec<_> = report.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        notes.iter().any(|n| n.contains("全角") && n.contains("８")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("空格")), "{notes:?}");
}

proptest! {
    #[test]
    fn sniffing_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = TextEncoding::sniff(&bytes);
    }
}

/// A roster whose second row has a name on two lines: the rows below start one line
/// further down the file than their row number.
const MULTI_LINE_ROSTER: &str = "序号,姓名,身份证号码,天数\r\n\r\n1,\"张\r\n三\",11010519491231002X,2\r\n2,李四,123,abc,多余\r\n3,王五,11010519491231002X,x\r\n";

#[test]
fn csv_findings_name_the_files_line_below_a_multi_line_cell() {
    let sch = schema("wenzhou-hours-roster");
    let read = read_csv_table(&sch, "trainees", MULTI_LINE_ROSTER);
    // Line 1 the header, line 2 empty, 张三 on lines 3–4, 李四 on 5, 王五 on 6.
    assert_eq!(read.lines, [3, 5, 6]);
    assert_eq!(read.rows[0]["name"], "张\r\n三");
    assert_eq!(read.errors.len(), 1, "{:?}", read.errors);
    assert!(
        read.errors[0]
            .message
            .starts_with("第 5 行第 5 列“多余”没有对应的表头"),
        "{}",
        read.errors[0].message
    );
    // The file's shape error hides nothing: the rows are read and validated too, and
    // validation's findings name the same lines.
    assert_eq!(read.rows.len(), 3);
    let values = json!({ "trainees": read.rows });
    let report = validate_numbered(
        &sch,
        &response("wenzhou-hours-roster", values),
        &ctx(wenzhou_rules()),
        RowNumbers {
            table: "trainees",
            lines: &read.lines,
        },
    );
    let all: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        all.iter()
            .any(|m| m.starts_with("第 5 行身份证号码长度错误")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.starts_with("第 5 行“天数”应为数字，现为“abc”")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.starts_with("第 6 行“天数”应为数字，现为“x”")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.starts_with("第 3 行“身份证号码”") && m.contains("与第 6 行重复")),
        "{all:#?}"
    );
    // Text the user wrote is never renumbered.
    let report = validate_numbered(
        &sch,
        &response(
            "wenzhou-hours-roster",
            json!({ "trainees": [{ "days": "第 2 行" }, {}] }),
        ),
        &ctx(wenzhou_rules()),
        RowNumbers {
            table: "trainees",
            lines: &[3, 5],
        },
    );
    let days = report
        .findings
        .iter()
        .find(|f| f.path == "trainees[0].days")
        .unwrap();
    assert_eq!(days.message, "第 3 行“天数”应为数字，现为“第 2 行”");
    // The CSV's own errors too: a header that is not the table's, on line 2.
    let read = read_csv_table(&sch, "trainees", "\n序号,姓名,学号\n1,张三,9\n");
    assert!(
        read.errors[0]
            .message
            .starts_with("第 2 行第 3 列表头“学号”"),
        "{:?}",
        read.errors
    );
    assert_eq!(read.lines, [3]);
}

#[test]
fn csv_control_and_invisible_characters_are_removed_with_a_note_naming_the_cell() {
    let sch = schema("wenzhou-hours-roster");
    let text = "序号,姓名\n1,\"多\n行\"\n2,王\u{1}五\u{202e}\n3,李\u{200d}四\u{85}\n";
    let read = read_csv_table(&sch, "trainees", text);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let names: Vec<&Value> = read.rows.iter().map(|r| &r["name"]).collect();
    assert_eq!(names, [&json!("多\n行"), &json!("王五"), &json!("李四")]);
    let notes: Vec<&str> = read.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        [
            "第 4 行第 2 列（姓名）含控制字符或不可见字符（U+0001、U+202E），已删除",
            "第 5 行第 2 列（姓名）含控制字符或不可见字符（U+200D、U+0085），已删除",
        ]
    );
    assert!(read.notes.iter().all(|n| !n.is_error()));
}

#[test]
fn a_utf8_header_above_gbk_rows_is_refused_at_the_line_where_the_encoding_changes() {
    // 张三 in GBK below a UTF-8 header.
    let mut bytes = "序号,姓名\r\n1,".as_bytes().to_vec();
    bytes.extend([0xD5, 0xC5, 0xC8, 0xFD, b'\r', b'\n']);
    let e = TextEncoding::detect(&bytes).unwrap_err();
    assert_eq!(e, MixedEncoding { line: 2, byte: 18 });
    assert!(
        e.chinese()
            .contains("第 1–1 行是 UTF-8，第 2 行（第 18 字节）起不是"),
        "{}",
        e.chinese()
    );
    // GBK throughout, UTF-8 throughout, UTF-16 and ASCII above GBK are read.
    assert_eq!(
        TextEncoding::detect(&[0xD0, 0xD5, 0xC3, 0xFB, b'\n', 0xD5, 0xC5]),
        Ok(TextEncoding::Gb18030)
    );
    assert_eq!(
        TextEncoding::detect(b"name\n\xD5\xC5"),
        Ok(TextEncoding::Gb18030)
    );
    assert_eq!(
        TextEncoding::detect("序号\n张三".as_bytes()),
        Ok(TextEncoding::Utf8)
    );
    let le: Vec<u8> = "姓名,天数\r\n张三,2\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(TextEncoding::detect(&le), Ok(TextEncoding::Utf16Le));
}
