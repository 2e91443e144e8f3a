//! The organizer's roster journey, as it is walked: 30 rows copied from Excel or WPS
//! (dates as those show them, `2020/10/12`, and one id number the spreadsheet turned
//! into `3.30302E+17`) pasted into the roster, then a roster workbook with the same
//! quirks imported, then the roster printed. What is asserted is what a person sees:
//! the values in the fields, the message beside the one bad cell, the notes, and the
//! printed PDF's text (pdftotext), page by page.

use super::common::*;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use std::path::Path;
use std::process::Command;

const FORM: &str = "wenzhou-hours-roster";
/// The row (0-based) whose id number the spreadsheet stored as a number.
const BAD: usize = 6;
/// That id as Excel and WPS show it in a General cell of usual width.
const SCI: &str = "3.30302E+17";
const ROWS: usize = 30;

/// Thirty valid id numbers born in `year` (four digits), all different.
fn ids(year: &str) -> Vec<String> {
    (0..ROWS)
        .map(|i| {
            id_number(&format!(
                "330302{year}{:02}{:02}{:03}",
                1 + i % 12,
                1 + i % 28,
                100 + i
            ))
        })
        .collect()
}

/// Employers of several lengths, the longest 16 characters.
fn employer(i: usize) -> &'static str {
    [
        "温州市工业科学研究院",
        "温州医科大学附属第一医院",
        "浙江省温州市鹿城区人民政府办公室",
    ][i % 3]
}

const HOST: &str = "温州市人力资源和社会保障局";
const COURSE: &str = "2020年温州市智能制造高级研修班";

/// The block Excel puts on the clipboard for rows 1-30 of the roster (tab-separated,
/// CRLF, a trailing line break): dates as it shows them, the bad id as a number.
fn excel_block(ids: &[String]) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().enumerate() {
        let id = if i == BAD { SCI } else { id.as_str() };
        let cells = [
            (i + 1).to_string(),
            format!("WZ2020{:03}", i + 1),
            format!("学员{:02}", i + 1),
            id.to_string(),
            "工程师".into(),
            employer(i).into(),
            "2020/10/12".into(),
            "2020/10/14".into(),
            HOST.into(),
            COURSE.into(),
            "3".into(),
        ];
        out.push_str(&cells.join("\t"));
        out.push_str("\r\n");
    }
    out
}

/// A roster workbook as offices keep them: a title row, the header, 30 rows; the dates
/// of even rows are text as WPS keeps them (`2020/10/12`), of odd rows real date cells
/// (serial numbers shown as 2020/10/12); the id of row `BAD` typed into a number cell.
fn roster_xlsx(ids: &[String]) -> Vec<u8> {
    let header = [
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
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.write_string(0, 0, "继续教育学时登记管理学员信息表")
        .unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, id) in ids.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("WZ2021{:03}", i + 1))
            .unwrap();
        ws.write_string(r, 2, format!("导入{:02}", i + 1)).unwrap();
        if i == BAD {
            ws.write_number(r, 3, id.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(r, 3, id).unwrap();
        }
        ws.write_string(r, 4, "高级工程师").unwrap();
        ws.write_string(r, 5, employer(i)).unwrap();
        if i % 2 == 0 {
            ws.write_string(r, 6, "2020/10/12").unwrap();
            ws.write_string(r, 7, "2020/10/14").unwrap();
        } else {
            ws.write_number_with_format(r, 6, 44116.0, &date).unwrap(); // 2020-10-12
            ws.write_number_with_format(r, 7, 44118.0, &date).unwrap(); // 2020-10-14
        }
        ws.write_string(r, 8, HOST).unwrap();
        ws.write_string(r, 9, COURSE).unwrap();
        ws.write_number(r, 10, 3.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
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

async fn rows_on_screen(b: &Browser) -> u64 {
    b.js(
        "return document.querySelectorAll('#form [data-table] tbody tr[data-row]').length;",
        vec![],
    )
    .await
    .or_fail()
    .as_u64()
    .unwrap_or(0)
}

/// The messages shown in the cell of the control `name`.
async fn cell_messages(b: &Browser, name: &str) -> String {
    b.js(
        "const c = document.querySelector(arguments[0]);
         const td = c && c.closest('td');
         return td ? Array.from(td.querySelectorAll('.field-message')).map(m => m.textContent).join(' | ') : '';",
        vec![json!(named(name))],
    )
    .await
    .or_fail()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The controls the error summary links to.
async fn summary_targets(b: &Browser) -> Vec<String> {
    let v = b
        .js(
            "const s = document.getElementById('error-summary');
             return s.hidden ? [] : Array.from(s.querySelectorAll('a[href^=\"#\"]')).map(a => a.getAttribute('href').slice(1));",
            vec![],
        )
        .await
        .or_fail();
    v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x.as_str().map(String::from))
        .collect()
}

/// Whether the whole value of the control `name` fits in its box (nothing scrolled
/// out of sight), with the box's and the text's widths for the failure message.
async fn shows_whole(b: &Browser, name: &str) -> Value {
    b.js(
        "const c = document.querySelector(arguments[0]);
         c.scrollIntoView({ block: 'center', inline: 'center' });
         return { whole: c.scrollWidth <= c.clientWidth, box: c.clientWidth, text: c.scrollWidth, value: c.value };",
        vec![json!(named(name))],
    )
    .await
    .or_fail()
}

/// Saves a screenshot when `ROSTER_SHOTS` names a folder (to look at the pages).
async fn shot(b: &Browser, name: &str) {
    let Some(dir) = std::env::var_os("ROSTER_SHOTS") else {
        return;
    };
    let png = b
        .client
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(Path::new(&dir).join(format!("{name}.png")), png)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Pastes the 30 rows into the first row and checks what the page shows.
async fn paste_and_check(b: &Browser, ids: &[String], width: &str) {
    paste(b, "trainees[0].seq", &excel_block(ids)).await;
    wait(
        b,
        &format!(
            "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === {ROWS}"
        ),
        "the 30 pasted rows",
    )
    .await;
    for (i, expected_id) in ids.iter().enumerate() {
        let at = |col: &str| format!("trainees[{i}].{col}");
        // Dates as Excel shows them are read and shown as the engine stores them.
        assert_eq!(
            value_of(b, &at("start_date")).await,
            "2020-10-12",
            "{width}: row {i}"
        );
        assert_eq!(
            value_of(b, &at("end_date")).await,
            "2020-10-14",
            "{width}: row {i}"
        );
        assert_eq!(value_of(b, &at("name")).await, format!("学员{:02}", i + 1));
        assert_eq!(value_of(b, &at("employer")).await, employer(i));
        let id = value_of(b, &at("id_number")).await;
        if i == BAD {
            // Never blanked: the pasted text stays, with its error beside it.
            assert_eq!(id, SCI, "{width}");
        } else {
            assert_eq!(&id, expected_id, "{width}: row {i}");
            assert_eq!(
                cell_messages(b, &at("id_number")).await,
                "",
                "{width}: row {i}"
            );
        }
        assert_eq!(
            cell_messages(b, &at("start_date")).await,
            "",
            "{width}: row {i}"
        );
    }
    let msg = cell_messages(b, &format!("trainees[{BAD}].id_number")).await;
    assert!(
        msg.starts_with("错误：")
            && msg.contains(&format!("身份证号码“{SCI}”"))
            && msg.contains("科学计数法")
            && msg.contains("末几位已经丢失")
            && msg.contains("设为“文本”格式")
            && msg.contains("重新录入"),
        "{width}: {msg}"
    );
    assert!(!msg.contains("长度错误"), "{width}: {msg}");
    // That cell is the table's only error.
    let targets = summary_targets(b).await;
    let cells: Vec<&String> = targets
        .iter()
        .filter(|t| t.starts_with("f-trainees-"))
        .collect();
    assert_eq!(
        cells,
        vec![&format!("f-trainees-{BAD}-id_number")],
        "{width}: {targets:?}"
    );
    // What was rewritten is said, once for the 60 dates.
    let notes = text_of(b, "#notes-box").await;
    assert!(
        notes.contains("已将日期统一写作“年-月-日”：共 60 处")
            && notes.contains("“2020/10/12”→“2020-10-12”"),
        "{width}: {notes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_pastes_thirty_rows_from_excel_at_360_and_1280() {
    let ids = ids("1990");
    for (width, options) in [
        (
            "360",
            Options {
                mobile_width: Some(360),
            },
        ),
        ("1280", Options::default()),
    ] {
        let b = open(options).await;
        open_form(&b, FORM, "").await;
        // The main action is the spreadsheet the bureau wants; JSON stays in the menu.
        let primary = text_of(&b, ".toolbar-main > .primary").await;
        assert_eq!(primary, "下载 Excel 表格", "{width}");
        let menu = text_of(&b, "#toolbar-menu .menu-items").await;
        assert!(menu.contains("保存到本机"), "{width}: {menu}");
        assert!(
            !menu.contains("JSON") && !menu.contains("字段 id"),
            "{width}: {menu}"
        );

        paste_and_check(&b, &ids, width).await;
        // Every character of an id number is in view in its box; so is a two-digit 序号.
        for name in [
            "trainees[0].id_number".to_string(),
            format!("trainees[{BAD}].id_number"),
            "trainees[29].seq".to_string(),
            "trainees[29].start_date".to_string(),
        ] {
            let seen = shows_whole(&b, &name).await;
            assert_eq!(seen["whole"], json!(true), "{width}: {name}: {seen}");
        }
        to_middle(&b, &named(&format!("trainees[{BAD}].id_number"))).await;
        shot(&b, &format!("roster-paste-{width}")).await;
        // After a reload the draft holds what the fields show.
        b.client.refresh().await.unwrap_or_else(|e| panic!("{e}"));
        wait_ready(&b).await;
        assert_eq!(rows_on_screen(&b).await as usize, ROWS);
        assert_eq!(value_of(&b, "trainees[0].start_date").await, "2020-10-12");
        assert_eq!(
            value_of(&b, &format!("trainees[{BAD}].id_number")).await,
            SCI
        );

        // The Shandong roster: 性别 pasted by its name is chosen, ids whole in their box.
        open_form(&b, "shandong-roster", "").await;
        let (male, female) = (
            id_number("37010219850101101"),
            id_number("37010219850202102"),
        );
        let block = format!(
            "1\t张三\t男\t{male}\t山东省济南市历下区人民医院心血管内科\t主治医师\t0531-88888888\t40\r\n\
             2\t李四\t女\t{female}\t山东大学齐鲁医院\t副主任医师\t13800138000\t40\r\n"
        );
        // A block wider than the table is refused, saying why; the right one then pastes
        // and the refusal goes.
        let wide: String = block
            .lines()
            .map(|l| format!("{l}\t多余\t多余\t多余\r\n"))
            .collect();
        paste(&b, "trainees[0].seq", &wide).await;
        wait(
            &b,
            "!document.getElementById('import-errors').hidden",
            "the refusal",
        )
        .await;
        assert!(
            text_of(&b, "#import-errors")
                .await
                .contains("没有粘贴：列数放不下"),
            "{width}"
        );
        paste(&b, "trainees[0].seq", &block).await;
        wait(
            &b,
            "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 2",
            "the two pasted rows",
        )
        .await;
        wait(
            &b,
            "document.getElementById('import-errors').hidden",
            "the refusal to go",
        )
        .await;
        assert_eq!(value_of(&b, "trainees[0].gender").await, "male", "{width}");
        assert_eq!(
            value_of(&b, "trainees[1].gender").await,
            "female",
            "{width}"
        );
        assert_eq!(value_of(&b, "trainees[1].id_number").await, female);
        for name in ["trainees[0].id_number", "trainees[1].id_number"] {
            let seen = shows_whole(&b, name).await;
            assert_eq!(
                seen["whole"],
                json!(true),
                "{width}: shandong {name}: {seen}"
            );
        }
        b.finish().await.or_fail();
    }
}

/// `pdftotext -layout` of `pdf`, one string per page.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdftotext ({e}): run scripts/setup (it installs poppler-utils)")
        });
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(String::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_imports_an_excel_roster_with_its_quirks_then_prints_it() {
    let pasted = ids("1990");
    let imported = ids("1985");
    let b = open(Options::default()).await;
    open_form(&b, FORM, "").await;
    paste_and_check(&b, &pasted, "1280").await;

    // The workbook: every row is imported, after the 30 pasted ones.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let xlsx = dir.path().join("学员名单.xlsx");
    std::fs::write(&xlsx, roster_xlsx(&imported)).unwrap();
    set_files(&b, "#file-import-csv", &[&xlsx]).await;
    wait(
        &b,
        &format!(
            "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === {}",
            2 * ROWS
        ),
        "the 30 imported rows after the 30 pasted ones",
    )
    .await;
    let status = text_of(&b, "#form-status").await;
    assert!(status.contains("导入 30 行"), "{status}");
    for (k, id) in imported.iter().enumerate() {
        let i = ROWS + k;
        let at = |col: &str| format!("trainees[{i}].{col}");
        assert_eq!(value_of(&b, &at("name")).await, format!("导入{:02}", k + 1));
        assert_eq!(
            value_of(&b, &at("start_date")).await,
            "2020-10-12",
            "row {i}"
        );
        assert_eq!(value_of(&b, &at("end_date")).await, "2020-10-14", "row {i}");
        if k == BAD {
            assert_eq!(value_of(&b, &at("id_number")).await, SCI);
        } else {
            assert_eq!(&value_of(&b, &at("id_number")).await, id, "row {i}");
        }
    }
    let bad = format!("trainees[{}].id_number", ROWS + BAD);
    let typed = cell_messages(&b, &format!("trainees[{BAD}].id_number")).await;
    let from_file = cell_messages(&b, &bad).await;
    assert!(from_file.contains("科学计数法"), "{from_file}");
    // The same words, each naming its own row.
    assert_eq!(
        from_file.replace(
            &format!("第 {} 行", ROWS + BAD + 1),
            &format!("第 {} 行", BAD + 1)
        ),
        typed,
        "the same message pasted or imported"
    );
    let targets = summary_targets(&b).await;
    let cells: Vec<&String> = targets
        .iter()
        .filter(|t| t.starts_with("f-trainees-"))
        .collect();
    assert_eq!(
        cells,
        vec![
            &format!("f-trainees-{BAD}-id_number"),
            &format!("f-trainees-{}-id_number", ROWS + BAD)
        ],
        "{targets:?}"
    );
    to_middle(&b, &named(&bad)).await;
    shot(&b, "roster-import-1280").await;

    // Printed: every row, every id whole, the head on every page, rows from page 1.
    let pdf = dir.path().join("roster.pdf");
    std::fs::write(&pdf, b.print_pdf().await.or_fail()).unwrap();
    if let Some(out) = std::env::var_os("ROSTER_SHOTS") {
        std::fs::copy(&pdf, Path::new(&out).join("roster.pdf")).unwrap();
    }
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let all = pages.join("\n");
    for (i, id) in pasted.iter().chain(&imported).enumerate() {
        if i % ROWS == BAD {
            continue;
        }
        assert!(
            all.contains(id.as_str()),
            "id {id} (row {}) whole in the PDF:\n{all}",
            i + 1
        );
    }
    assert_eq!(all.matches(SCI).count(), 2, "{all}");
    // Row numbers whole on their line: "20", not "2" over "0".
    for n in 1..=pasted.len() + imported.len() {
        let n = n.to_string();
        assert!(
            all.lines()
                .any(|l| l.split_whitespace().next() == Some(n.as_str())),
            "row number {n} whole in the PDF:\n{all}"
        );
    }
    for (n, page) in pages.iter().enumerate() {
        for head in ["序号", "姓名", "身份证号码", "工作单位", "办班单位", "天数"]
        {
            assert!(
                page.contains(head),
                "page {}: head “{head}”:\n{page}",
                n + 1
            );
        }
    }
    assert!(
        pages[0].contains(&pasted[0]) && pages[0].contains("学员01"),
        "page 1 has rows:\n{}",
        pages[0]
    );
    for text in [employer(0), employer(1), employer(2), HOST, "2020-10-12"] {
        assert!(all.contains(text), "“{text}” whole in the PDF:\n{all}");
    }
    assert!(!all.contains("2020/10/12"), "{all}");
    b.finish().await.or_fail();
}
