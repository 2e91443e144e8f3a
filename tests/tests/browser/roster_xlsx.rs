//! Rosters from spreadsheets through the CSV file control: an XLSX whose id number the
//! spreadsheet stored as a number is imported whole, that cell with the reason beside
//! it, serial dates read as dates, text ids kept; the page's own XLSX export imports back identical; a GBK CSV
//! (Excel's "CSV" on a Chinese Windows) is read with a note naming the encoding.

use super::common::*;
use rust_xlsxwriter::Workbook;
use site_tests::browser::Browser;
use site_tests::browser::Options;
use std::time::Duration;

const HEADER: [&str; 11] = [
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
];

/// A roster workbook: a title row, the header, then one row per trainee; the id of the
/// row `numeric_id` (if any) typed into a number cell; dates as serial numbers.
fn roster_xlsx(ids: &[String], numeric_id: Option<usize>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "继续教育学时登记管理学员信息表")
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let names = ["张三", "李四", "王五"];
    for (i, id) in ids.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("A00{}", i + 1)).unwrap();
        ws.write_string(r, 2, names[i % 3]).unwrap();
        if numeric_id == Some(i) {
            ws.write_number(r, 3, id.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(r, 3, id).unwrap();
        }
        ws.write_string(r, 4, "工程师").unwrap();
        ws.write_string(r, 5, "温州市工业科学研究院").unwrap();
        ws.write_number(r, 6, 44075.0).unwrap(); // 2020-09-01
        ws.write_number(r, 7, 44077.0).unwrap(); // 2020-09-03
        ws.write_string(r, 8, "温州市工业科学研究院").unwrap();
        ws.write_string(r, 9, "智能制造研修班").unwrap();
        ws.write_number(r, 10, 3.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn ids() -> Vec<String> {
    vec![
        id_number("33030219800101123"),
        id_number("33030219900215224"),
        id_number("33030219851120331"),
    ]
}

async fn table_json(b: &Browser) -> serde_json::Value {
    b.js(
        "return Array.from(document.querySelectorAll('#form [data-table] tbody tr[data-row]')).map(tr =>
           Array.from(tr.querySelectorAll('input, select, textarea')).map(c => [c.name, c.value]));",
        vec![],
    )
    .await
    .or_fail()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_xlsx_keeps_a_row_with_a_numeric_id_reads_serial_dates_and_round_trips() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let reader_loaded = "return performance.getEntriesByType('resource').some(e => e.name.includes('/forms-xlsx-read.') && e.name.endsWith('.js'));";
    assert_eq!(
        b.js(reader_loaded, vec![]).await.or_fail(),
        serde_json::Value::Bool(false),
        "the XLSX reader is not loaded with the page"
    );

    // 1. The second trainee's id was typed into a number cell: both rows imported, that
    // cell as the spreadsheet shows it, with the reason and the fix beside it.
    let bad = dir.path().join("numeric-id.xlsx");
    std::fs::write(&bad, roster_xlsx(&ids()[..2], Some(1))).unwrap();
    set_files(&b, "#file-import-csv", &[&bad]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 2",
        "both rows imported",
    )
    .await;
    assert_eq!(
        b.js(reader_loaded, vec![]).await.or_fail(),
        serde_json::Value::Bool(true),
        "the XLSX reader is loaded once a spreadsheet is chosen"
    );
    assert_eq!(value_of(&b, "trainees[0].id_number").await, ids()[0]);
    assert_eq!(value_of(&b, "trainees[1].id_number").await, "3.30302E+17");
    assert_eq!(value_of(&b, "trainees[1].name").await, "李四");
    let beside = b
        .js(
            "return document.querySelector('[name=\"trainees[1].id_number\"]').closest('td').textContent;",
            vec![],
        )
        .await
        .or_fail();
    let beside = beside.as_str().unwrap_or_default();
    assert!(
        beside.contains("科学计数法")
            && beside.contains("末几位已经丢失")
            && beside.contains("设为“文本”格式"),
        "{beside}"
    );
    // A new roster for the rest.
    b.js("localStorage.clear();", vec![]).await.or_fail();
    open_form(&b, "wenzhou-hours-roster", "").await;

    // 2. Text ids and serial dates: imported, the dates as dates.
    let good = dir.path().join("roster.xlsx");
    std::fs::write(&good, roster_xlsx(&ids(), None)).unwrap();
    set_files(&b, "#file-import-csv", &[&good]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 3",
        "three imported rows",
    )
    .await;
    assert_eq!(value_of(&b, "trainees[1].id_number").await, ids()[1]);
    assert_eq!(value_of(&b, "trainees[0].start_date").await, "2020-09-01");
    assert_eq!(value_of(&b, "trainees[2].end_date").await, "2020-09-03");
    assert_eq!(value_of(&b, "trainees[2].name").await, "王五");
    let before = table_json(&b).await;

    // 3. The page's own XLSX export imports back identical.
    click(&b, "#btn-export-xlsx").await;
    let exported = b
        .wait_for_download(".xlsx", Duration::from_secs(10))
        .await
        .or_fail();
    // An import adds to the rows already there (imports never replace what was typed):
    // the export comes back as three more rows, cell for cell the same.
    set_files(&b, "#file-import-csv", &[&exported]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 6",
        "the exported roster re-imported after the three rows",
    )
    .await;
    let after = table_json(&b).await;
    let cells = |v: &serde_json::Value| -> Vec<Vec<serde_json::Value>> {
        v.as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|row| {
                row.as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|c| c[1].clone())
                    .collect()
            })
            .collect()
    };
    let (before, after) = (cells(&before), cells(&after));
    assert_eq!(after.len(), 6);
    assert_eq!(&after[..3], &before[..], "the rows typed before are kept");
    assert_eq!(
        &after[3..],
        &before[..],
        "the re-imported rows are the exported ones"
    );
    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_csv_in_gbk_is_read_with_a_note_naming_the_encoding() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let ids = ids();
    let csv = format!(
        "{}\r\n1,A001,张三,{},工程师,温州市工业科学研究院,2020-09-01,2020-09-03,温州市工业科学研究院,智能制造研修班,3\r\n\
         2,A002,李四,{},高级工程师,温州大学,2020-09-01,2020-09-03,温州市工业科学研究院,智能制造研修班,3\r\n",
        HEADER.join(","),
        ids[0],
        ids[1]
    );
    let gbk = encoding_rs::GBK.encode(&csv).0.into_owned();
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("roster-gbk.csv");
    std::fs::write(&file, gbk).unwrap();
    set_files(&b, "#file-import-csv", &[&file]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 2",
        "two imported rows",
    )
    .await;
    assert_eq!(value_of(&b, "trainees[1].name").await, "李四");
    assert_eq!(value_of(&b, "trainees[1].employer").await, "温州大学");
    let status = b
        .js("return document.body.textContent;", vec![])
        .await
        .or_fail();
    assert!(
        status
            .as_str()
            .unwrap_or("")
            .contains("文件编码为 GBK/GB18030"),
        "the note names the encoding"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excels_unicode_text_tab_separated_utf16_is_imported() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let ids = ids();
    // What Excel's 另存为 "Unicode 文本" writes: UTF-16LE with its mark, cells apart by tabs.
    let text = format!(
        "{}\r\n1\tA001\t张三\t{}\t工程师\t温州市工业科学研究院, 机电所\t2020/9/1\t2020/9/3\t温州市工业科学研究院\t智能制造研修班\t3\r\n",
        HEADER.join("\t"),
        ids[0]
    );
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("学员名单.txt");
    std::fs::write(&file, bytes).unwrap();
    set_files(&b, "#file-import-csv", &[&file]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 1 && document.querySelector('[name=\"trainees[0].name\"]').value === '张三'",
        "the imported row",
    )
    .await;
    // The comma stays inside its cell; the dates are shown as stored.
    assert_eq!(
        value_of(&b, "trainees[0].employer").await,
        "温州市工业科学研究院, 机电所"
    );
    assert_eq!(value_of(&b, "trainees[0].start_date").await, "2020-09-01");
    assert_eq!(value_of(&b, "trainees[0].id_number").await, ids[0]);
    b.finish().await.or_fail();
}
