//! `site-gen form validate` on files as offices send them: CSV saved by Excel or WPS in
//! GBK/GB18030 or UTF-16, and a roster of 20,000 identical rows.

use std::fs;
use std::path::{Path, PathBuf};

fn site_gen(args: &[&str]) -> std::process::Output {
    crate::support::site_gen_on(Some("2024-07-03"), args)
}

fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn validate(form: &str, file: &Path) -> (i32, serde_json::Value) {
    let o = site_gen(&[
        "form",
        "validate",
        form,
        file.to_str().unwrap(),
        "--content",
        real_content().to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    let v = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{e}: {out}\n{}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code().unwrap(), v)
}

const ROSTER: &str = "序号,姓名,身份证号码,天数\r\n1,张三,11010519491231002X,２\r\n";

#[test]
fn gbk_and_utf16_csv_are_read_with_a_note_naming_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(ROSTER);
    let mut utf16le = vec![0xFF, 0xFE];
    utf16le.extend(ROSTER.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(ROSTER.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes, encoding) in [
        ("gbk.csv", gbk.to_vec(), Some("GBK/GB18030")),
        ("le.csv", utf16le, Some("UTF-16")),
        ("be.csv", utf16be, Some("UTF-16")),
        ("utf8.csv", ROSTER.as_bytes().to_vec(), None),
    ] {
        let file = dir.path().join(name);
        fs::write(&file, bytes).unwrap();
        let (code, out) = validate("wenzhou-hours-roster", &file);
        // Too few trainees (1 < 30) makes it invalid, but every cell was read.
        assert_eq!(code, 1, "{name}: {out:#}");
        let findings = out[0]["findings"].to_string();
        assert!(!findings.contains("UTF-8"), "{name}: {out:#}");
        assert!(!findings.contains("trainees[0]"), "{name}: {out:#}");
        let notes = out[0]["notes"].to_string();
        match encoding {
            Some(e) => assert!(notes.contains(e), "{name}: {out:#}"),
            None => assert!(!notes.contains("编码"), "{name}: {out:#}"),
        }
        // The full-width ２ in a CSV cell gets the same note as in JSON.
        assert!(notes.contains("全角"), "{name}: {out:#}");
    }
    // Bytes that are no text at all: a clear message, exit 2.
    let file = dir.path().join("binary.csv");
    fs::write(&file, [0x81u8, 0x20, 0xFF, 0x30, 0x81]).unwrap();
    let (code, out) = validate("wenzhou-hours-roster", &file);
    assert_eq!(code, 2, "{out:#}");
    assert!(
        out[0]["findings"].to_string().contains("GBK/GB18030"),
        "{out:#}"
    );
}

#[test]
fn twenty_thousand_duplicate_rows_give_output_linear_in_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    let mut csv = String::from("序号,姓名,身份证号码,天数\r\n");
    for i in 1..=20_000 {
        csv.push_str(&format!("{i},张三,11010519491231002X,2\r\n"));
    }
    fs::write(&file, csv).unwrap();
    let (code, out) = validate("wenzhou-hours-roster", &file);
    assert_eq!(code, 1);
    let findings = out[0]["findings"].as_array().unwrap();
    let dups: Vec<_> = findings
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("重复"))
        .collect();
    assert_eq!(dups.len(), 20_000);
    // Named by the file's lines: the first row is line 2, below the header.
    assert!(
        dups[1]["message"]
            .as_str()
            .unwrap()
            .contains("与第 2 行重复"),
        "the file's line 2: {:?}",
        dups[1]
    );
    let printed = serde_json::to_string_pretty(&out).unwrap().len();
    // About 250 bytes a row, not a list of every other row in each finding.
    assert!(printed < 20_000 * 400, "{printed} bytes");
}

fn survey(faculty: &str) -> String {
    let ids = crate::survey_fixture::RATINGS;
    let mut values = serde_json::Map::new();
    for id in ids {
        values.insert(id.into(), "satisfied".into());
    }
    values.insert("faculty".into(), faculty.into());
    serde_json::json!({ "form": "wenzhou-survey", "version": 1, "values": values }).to_string()
}

#[test]
fn aggregate_csv_names_rejected_files_on_stderr_and_takes_surveys_only() {
    let dir = tempfile::tempdir().unwrap();
    let (good, bad) = (dir.path().join("good.json"), dir.path().join("bad.json"));
    fs::write(&good, survey("satisfied")).unwrap();
    fs::write(&bad, survey("bogus")).unwrap();
    let c = real_content();
    let run = |form: &str, extra: &[&str]| {
        let mut args = vec!["form", "aggregate", form, good.to_str().unwrap()];
        args.push(bad.to_str().unwrap());
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--content", c.to_str().unwrap()]);
        site_gen(&args)
    };
    let o = run("wenzhou-survey", &["--csv"]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("rejected ") && err.contains("bad.json"),
        "{err}"
    );
    assert!(err.contains("faculty") && err.contains("bogus"), "{err}");
    assert!(!err.contains("good.json"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("100.0%"));

    // One bad choice: one finding.
    let o = run("wenzhou-survey", &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["rejected"][0]["findings"].as_array().unwrap().len(),
        1,
        "{v:#}"
    );
    let (_, v) = validate("wenzhou-survey", &bad);
    assert_eq!(v[0]["findings"].as_array().unwrap().len(), 1, "{v:#}");

    let o = run("wenzhou-evaluation", &["--csv"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not a survey") && err.contains("wenzhou-survey"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn score_of_a_form_without_scoring_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    fs::write(&file, survey("satisfied")).unwrap();
    let o = site_gen(&[
        "form",
        "score",
        "wenzhou-survey",
        file.to_str().unwrap(),
        "--content",
        real_content().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no scoring indicators") && err.contains("wenzhou-evaluation"),
        "{err}"
    );
}

/// Arbitrary bytes as CSV and JSON responses (random, with BOMs, GBK lead bytes, zero
/// bytes and CSV punctuation mixed in): never a panic, always a JSON report.
#[test]
fn arbitrary_bytes_as_responses_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: &[u8] = b",\"\r\n 0123456789{}[]:x\x00\x81\xfe\xff\xef\xbb\xbf\xd5\xc5";
    let mut files = Vec::new();
    for i in 0..200 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if r % 3 == 0 {
                    (r >> 8) as u8
                } else {
                    alphabet[(r >> 8) as usize % alphabet.len()]
                }
            })
            .collect();
        let mut with_header = "序号,姓名,身份证号码\r\n".as_bytes().to_vec();
        with_header.extend(&bytes);
        for (ext, b) in [("csv", &bytes), ("json", &bytes), ("csv", &with_header)] {
            let file = dir.path().join(format!("{i}-{}.{ext}", files.len()));
            fs::write(&file, b).unwrap();
            files.push(file);
        }
    }
    let mut args = vec!["form", "validate", "wenzhou-hours-roster"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let c = real_content();
    args.extend(["--content", c.to_str().unwrap()]);
    let o = site_gen(&args);
    let code = o.status.code();
    assert!(
        matches!(code, Some(1 | 2)),
        "{code:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), files.len());
}

/// The messages of a `form validate` answer's first file.
fn messages(out: &serde_json::Value, key: &str) -> Vec<String> {
    out[0][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["message"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn csv_findings_name_the_files_line_below_a_multi_line_cell_and_none_is_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    // Line 1 the header, 张三's name on lines 2–3 (with a bidi override), 李四 on line 4
    // with a cell beyond the header, 王五 on line 5.
    fs::write(
        &file,
        "序号,姓名,身份证号码,天数\r\n1,\"张\r\n三\u{202e}\",11010519491231002X,2\r\n2,李四,123,abc,多余\r\n3,王五,11010519491231002X,x\r\n",
    )
    .unwrap();
    let (code, out) = validate("wenzhou-hours-roster", &file);
    assert_eq!(code, 1, "{out:#}");
    let all = messages(&out, "findings");
    for want in [
        "第 4 行第 5 列“多余”没有对应的表头",
        "第 4 行身份证号码长度错误",
        "第 4 行“天数”应为数字，现为“abc”",
        "第 5 行“天数”应为数字，现为“x”",
        "第 2 行“身份证号码” 11010519491231002X 与第 5 行重复",
    ] {
        assert!(all.iter().any(|m| m.starts_with(want)), "{want}: {all:#?}");
    }
    let notes = messages(&out, "notes");
    assert!(
        notes
            .iter()
            .any(|m| m.starts_with("第 2 行第 2 列（姓名）含控制字符或不可见字符（U+202E）")),
        "{notes:#?}"
    );
}

#[test]
fn an_xlsx_with_an_error_value_in_one_row_reports_the_other_rows_by_sheet_row() {
    use rust_xlsxwriter::{Formula, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "学员信息表").unwrap();
    for (c, h) in ["序号", "姓名", "身份证号码", "天数"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_number(2, 0, 1.0).unwrap();
    ws.write_string(2, 1, "张\n三").unwrap();
    ws.write_string(2, 2, "11010519491231002X").unwrap();
    ws.write_formula(2, 3, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_number(3, 0, 2.0).unwrap();
    ws.write_string(3, 1, "李四").unwrap();
    ws.write_string(3, 2, "123").unwrap();
    ws.write_string(3, 3, "两天").unwrap();
    wb.save(&file).unwrap();
    let (code, out) = validate("wenzhou-hours-roster", &file);
    assert_eq!(code, 1, "{out:#}");
    let all = messages(&out, "findings");
    for want in [
        "第 3 行第 4 列（天数）是表格的错误值 #DIV/0!",
        "第 4 行身份证号码长度错误",
        "第 4 行“天数”应为数字，现为“两天”",
    ] {
        assert!(all.iter().any(|m| m.starts_with(want)), "{want}: {all:#?}");
    }
}

#[test]
fn a_utf8_header_above_gbk_rows_is_refused_at_the_line_where_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.csv");
    let mut bytes = "序号,姓名,身份证号码,天数\r\n".as_bytes().to_vec();
    bytes.extend(
        encoding_rs::GBK
            .encode("1,张三,11010519491231002X,2\r\n")
            .0
            .iter(),
    );
    fs::write(&file, bytes).unwrap();
    let (code, out) = validate("wenzhou-hours-roster", &file);
    assert_eq!(code, 2, "{out:#}");
    let all = messages(&out, "findings");
    assert!(
        all[0].contains(
            "lines 1-1 are UTF-8 but line 2 (byte 41) is not: the file mixes two encodings"
        ),
        "{all:#?}"
    );
}
