//! Rosters on an office PC and on paper: the columns every row shares entered once,
//! a block pasted from Excel or WPS, a 10,000-row roster that renders one page of rows
//! with every error still reachable from the summary, and the printed roster (A4
//! landscape, every column header in the PDF's text, blank rows to fill by hand).

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use std::process::Command;

const HOURS: &str = "wenzhou-hours-roster";

async fn rows_in_dom(b: &Browser) -> u64 {
    b.js(
        "return document.querySelectorAll('#form [data-table] tbody tr[data-row]').length;",
        vec![],
    )
    .await
    .or_fail()
    .as_u64()
    .unwrap_or(0)
}

/// Pastes `text` into the control `name` as the clipboard of a spreadsheet would.
async fn paste(b: &Browser, name: &str, text: &str) {
    b.js(
        "const c = document.querySelector(arguments[0]); c.focus();
         const dt = new DataTransfer(); dt.setData('text/plain', arguments[1]);
         c.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));",
        vec![json!(named(name)), json!(text)],
    )
    .await
    .or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_columns_are_entered_once_for_every_row() {
    let b = open(Options::default()).await;
    open_form(&b, HOURS, "").await;
    click(&b, "[data-add-row]").await;
    click(&b, "[data-add-row]").await;
    assert_eq!(rows_in_dom(&b).await, 3);
    type_into(&b, "trainees[1].name", "李四").await;
    let host = "#shared-f-trainees-host";
    let el = b.find(host).await.or_fail();
    el.send_keys("温州市工业科学研究院")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let days = b.find("#shared-f-trainees-days").await.or_fail();
    days.send_keys("3").await.unwrap_or_else(|e| panic!("{e}"));
    for i in 0..3 {
        assert_eq!(
            value_of(&b, &format!("trainees[{i}].host")).await,
            "温州市工业科学研究院"
        );
        assert_eq!(value_of(&b, &format!("trainees[{i}].days")).await, "3");
    }
    // What was typed in the rows is kept; a row added later gets the shared values.
    assert_eq!(value_of(&b, "trainees[1].name").await, "李四");
    click(&b, "[data-add-row]").await;
    assert_eq!(
        value_of(&b, "trainees[3].host").await,
        "温州市工业科学研究院"
    );
    // One row changed by hand: the shared box says the rows differ.
    type_into(&b, "trainees[2].days", "2").await;
    let state = text_of(&b, "[data-shared-state=\"days\"]").await;
    assert!(state.contains("各行不同"), "{state}");
    // The saved draft holds the values in every row (a slow save waits up to 0.5 s).
    wait(
        &b,
        "(JSON.parse(localStorage.getItem('draft:wenzhou-hours-roster')) || { values: { trainees: [] } }).values.trainees.map(r => r.days).join() === '3,3,2,3'",
        "the draft saved with four rows",
    )
    .await;
    let resp = b
        .js(
            "return JSON.parse(localStorage.getItem('draft:wenzhou-hours-roster')).values.trainees.map(r => [r.host, r.days]);",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        resp,
        json!([
            ["温州市工业科学研究院", 3],
            ["温州市工业科学研究院", 3],
            ["温州市工业科学研究院", 2],
            ["温州市工业科学研究院", 3]
        ])
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_pasted_from_excel_fills_rows_and_columns_and_can_be_undone() {
    let b = open(Options::default()).await;
    open_form(&b, HOURS, "").await;
    type_into(&b, "trainees[0].certificate_no", "A000").await;
    let id1 = id_number("33030219800101123");
    let id2 = id_number("33030219900215224");
    let id3 = id_number("33030219851120331");
    // Three rows of 姓名, 身份证号码, 职称 as Excel puts them on the clipboard (CRLF,
    // a trailing line break, a quoted cell holding a line break).
    let block =
        format!("张三\t{id1}\t工程师\r\n李四\t{id2}\t\"高级\n工程师\"\r\n王五\t{id3}\t讲师\r\n");
    paste(&b, "trainees[0].name", &block).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 3",
        "three rows",
    )
    .await;
    assert_eq!(value_of(&b, "trainees[0].name").await, "张三");
    assert_eq!(value_of(&b, "trainees[0].id_number").await, id1);
    // The quoted cell is one cell (a one-line box drops its line break).
    assert_eq!(value_of(&b, "trainees[1].title").await, "高级工程师");
    assert_eq!(value_of(&b, "trainees[2].name").await, "王五");
    assert_eq!(value_of(&b, "trainees[2].title").await, "讲师");
    // The cell left of the block keeps what was typed.
    assert_eq!(value_of(&b, "trainees[0].certificate_no").await, "A000");
    // Pasted over the same place again with other names: undo restores the first paste.
    paste(&b, "trainees[0].name", "赵六\r\n钱七").await;
    assert_eq!(value_of(&b, "trainees[1].name").await, "钱七");
    let undo = text_of(&b, "#undo-bar").await;
    assert!(undo.contains("替换了 2 个原有内容"), "{undo}");
    click(&b, "#btn-undo").await;
    assert_eq!(value_of(&b, "trainees[0].name").await, "张三");
    assert_eq!(value_of(&b, "trainees[1].name").await, "李四");
    // A block wider than the columns left: refused, nothing changed.
    paste(&b, "trainees[0].days", "1\t2\t3").await;
    let errors = text_of(&b, "#import-errors").await;
    assert!(
        errors.contains("没有粘贴") && errors.contains("3 列"),
        "{errors}"
    );
    assert_eq!(value_of(&b, "trainees[0].days").await, "");
    b.finish().await.or_fail();
}

/// A 10,000-row draft of the hours roster, every 7th id number with a wrong check
/// character.
const BIG_DRAFT: &str = r#"
const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const c = '10X98765432';
const p2 = (n) => String(n).padStart(2, '0');
const id = (i) => {
  const body = '330302' + String(1950 + (i % 50)) + p2(1 + Math.floor(i / 1000)) + p2(1 + (i % 28)) + String(i % 1000).padStart(3, '0');
  let s = 0; for (let k = 0; k < 17; k++) s += Number(body[k]) * w[k];
  const good = c[s % 11];
  return body + (i % 7 === 3 ? (good === '1' ? '2' : '1') : good);
};
const rows = [];
for (let i = 0; i < 10000; i++) rows.push({ name: '学员' + i, id_number: id(i), start_date: '2020-09-01',
  end_date: '2020-09-03', host: '温州市工业科学研究院', course: '智能制造研修班', days: 3 });
localStorage.setItem('draft:wenzhou-hours-roster', JSON.stringify({ form: 'wenzhou-hours-roster', version: 1, values: { trainees: rows } }));
return rows.filter((_, i) => i % 7 === 3).length;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_rows_render_one_page_and_errors_jump_to_their_row() {
    let b = open(Options::default()).await;
    open_form(&b, HOURS, "").await;
    let bad = b.js(BIG_DRAFT, vec![]).await.or_fail();
    open_form(&b, HOURS, "").await;
    let count = text_of(&b, "[data-row-count=\"trainees\"]").await;
    assert_eq!(count, "10000");
    let dom = rows_in_dom(&b).await;
    assert!(dom <= 100, "only a page of rows in the page: {dom}");
    let pager = text_of(&b, "[data-pager=\"trainees\"]").await;
    assert!(pager.contains("第 1–100 行，共 10000 行"), "{pager}");
    submit_and_see_errors(&b).await;
    // The repeated reason is one line with its count, its rows linked.
    let grouped = b
        .js(
            "return [...document.querySelectorAll('#error-summary li.grouped')].map(li => li.textContent);",
            vec![],
        )
        .await
        .or_fail();
    let line = grouped
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|l| l.as_str().unwrap_or("").contains("校验码错误"))
        })
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no grouped check-character line: {grouped}"))
        .to_string();
    assert!(
        line.contains(&format!("（{} 处）", bad.as_u64().unwrap_or(0))),
        "{line}"
    );
    // The last row (index 9999, a bad one) is on the last page: listed once all the
    // rows of the line are shown; its link turns the page and focuses the cell.
    let last_bad = 9999;
    click(&b, "#error-summary li.grouped [data-show-all]").await;
    let target = format!("#error-summary a[href=\"#f-trainees-{last_bad}-id_number\"]");
    assert!(
        b.js(
            "return !!document.querySelector(arguments[0]);",
            vec![json!(target)]
        )
        .await
        .or_fail()
            == json!(true),
        "row {} linked from the summary: {line}",
        last_bad + 1
    );
    click(&b, &target).await;
    let focused = b
        .js("return document.activeElement.name;", vec![])
        .await
        .or_fail();
    assert_eq!(focused, json!(format!("trainees[{last_bad}].id_number")));
    let flagged = b
        .js(
            "return document.activeElement.getAttribute('aria-invalid');",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(flagged, json!("true"), "the row's cell carries its message");
    assert!(rows_in_dom(&b).await <= 100);
    b.finish().await.or_fail();
}

/// A 10,000-row draft is restored whole although the page shows first only the rows
/// that fit on the screen: a row typed into and a check made at once, before the rest of
/// the page of rows is drawn, keep every row, and the check's messages reach the rows
/// added after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_thousand_row_draft_shows_the_rows_in_view_first_and_keeps_every_row() {
    let b = open(Options::default()).await;
    open_form(&b, HOURS, "").await;
    b.js(BIG_DRAFT, vec![]).await.or_fail();
    open_form(&b, HOURS, "").await;
    // At once, in one script: an edit to the first row, then 检查.
    let first = b
        .js(
            "const rows = document.querySelectorAll('#form [data-table] tbody tr[data-row]').length;
             const c = document.querySelector('[name=\"trainees[0].name\"]');
             c.value = '学员0（改）';
             c.dispatchEvent(new Event('input', { bubbles: true }));
             document.querySelector('#form button[type=submit]').click();
             return rows;",
            vec![],
        )
        .await
        .or_fail()
        .as_u64()
        .unwrap_or(0);
    assert!(
        (1..=100).contains(&first),
        "rows in the page at first: {first}"
    );
    wait(
        &b,
        "!document.getElementById('error-summary').hidden",
        "the error summary",
    )
    .await;
    assert_eq!(rows_in_dom(&b).await, 100, "the whole first page of rows");
    // Row 95 (index 94, a wrong check character) is below the first screen: its cell
    // carries the check's message.
    let flagged = b
        .js(
            "const c = document.querySelector('[name=\"trainees[94].id_number\"]');
             return c ? c.getAttribute('aria-invalid') : 'no row 95';",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(flagged, json!("true"));
    let pager = text_of(&b, "[data-pager=\"trainees\"]").await;
    assert!(pager.contains("第 1–100 行，共 10000 行"), "{pager}");
    // The draft saved by the check holds every row, the edit included.
    let saved = b
        .js(
            "const d = JSON.parse(localStorage.getItem('draft:wenzhou-hours-roster'));
             const t = d.values.trainees;
             return [t.length, t[0].name, t[99].name, t[9999].name, t[9999].id_number];",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(saved[0], json!(10000), "{saved}");
    assert_eq!(saved[1], json!("学员0（改）"), "{saved}");
    assert_eq!(saved[2], json!("学员99"), "{saved}");
    assert_eq!(saved[3], json!("学员9999"), "{saved}");
    // The last page, reached with the pager, shows the last row; back on the first, the
    // edit is there.
    b.js(
        "const j = document.getElementById('pager-trainees-row'); j.value = '10000';
         j.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));",
        vec![],
    )
    .await
    .or_fail();
    assert_eq!(value_of(&b, "trainees[9999].name").await, "学员9999");
    assert_eq!(value_of(&b, "trainees[9999].id_number").await, saved[4]);
    b.js(
        "const j = document.getElementById('pager-trainees-row'); j.value = '1';
         j.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));",
        vec![],
    )
    .await
    .or_fail();
    assert_eq!(value_of(&b, "trainees[0].name").await, "学员0（改）");
    assert_eq!(rows_in_dom(&b).await, 100);
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_roster_has_every_column_on_a4_landscape_and_blank_rows() {
    let b = open(Options::default()).await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for id in [HOURS, "shandong-roster"] {
        open_form(&b, id, "").await;
        let headers = b
            .js(
                "return [...document.querySelectorAll('table.rows thead th[data-col]')].map(th => th.dataset.label);",
                vec![],
            )
            .await
            .or_fail();
        let headers: Vec<String> = headers
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert!(headers.len() >= 10, "{id}: {headers:?}");
        let pdf = dir.path().join(format!("{id}.pdf"));
        print_to_pdf(&b.server.url(&format!("/forms/{id}/")), &pdf);
        let text = pdf_text(&pdf);
        // Headers may wrap inside their cell: compare without spaces and line breaks
        // column by column of the header band.
        let flat: String = text.split_whitespace().collect();
        for h in &headers {
            let h: String = h.split_whitespace().collect();
            let found = flat.contains(&h) || {
                // A label wrapped over two lines of its cell: each half on the page.
                let cut = h.chars().count() / 2;
                let (a, z): (String, String) =
                    (h.chars().take(cut).collect(), h.chars().skip(cut).collect());
                flat.contains(&a) && flat.contains(&z)
            };
            assert!(found, "{id}: column “{h}” in the printed PDF:\n{text}");
        }
        assert!(
            !text.contains("说明："),
            "{id}: the site's notes are not printed:\n{text}"
        );
        let info = Command::new("pdfinfo")
            .arg(&pdf)
            .output()
            .unwrap_or_else(|e| panic!("pdfinfo: {e}"));
        let info = String::from_utf8_lossy(&info.stdout);
        // "Page size: 841.92 x 594.96 pts (A4)": A4, wider than high.
        let size: Vec<f64> = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            size.len() == 2 && (size[0] - 842.0).abs() < 1.5 && (size[1] - 595.0).abs() < 1.5,
            "{id}: A4 landscape: {info}"
        );
        assert!(flat.contains("第1页"), "{id}: numbered pages:\n{text}");
    }
    // Blank rows to fill in by hand: printed, not on screen.
    open_form(&b, HOURS, "").await;
    let blank = b
        .js(
            "const t = document.querySelector('table.rows tbody.blank-rows');
             const screen = getComputedStyle(t).display;
             return { rows: t.rows.length, cells: t.rows[0].cells.length, screen,
                      head: document.querySelectorAll('table.rows thead th').length };",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(blank["screen"], json!("none"), "{blank}");
    assert!(blank["rows"].as_u64().unwrap_or(0) >= 5, "{blank}");
    assert_eq!(blank["cells"], blank["head"], "{blank}");
    b.emulate_media("print").await.or_fail();
    let printed = b
        .js(
            "return getComputedStyle(document.querySelector('table.rows tbody.blank-rows')).display;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(printed, json!("table-row-group"));
    b.finish().await.or_fail();
}
