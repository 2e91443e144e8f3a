//! Spreadsheets built to exhaust the tab's memory, imported into a roster that already
//! holds rows: a value at `XFD1048576`, a value in column XFD on each of 200,000 rows, a
//! sheet whose XML unpacks past the limit while its package declares 100 bytes. Each is
//! refused with the engine's message in Chinese, and the rows already there stay as
//! they were.

use super::common::*;
use rust_xlsxwriter::Workbook;
use site_tests::browser::{Browser, Options};

const HEADER: [&str; 4] = ["序号", "姓名", "身份证号码", "工作单位"];

fn roster(ids: &[String]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, id) in ids.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, ["张三", "李四"][i % 2]).unwrap();
        ws.write_string(r, 2, id).unwrap();
        ws.write_string(r, 3, "温州大学").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The roster's header and one value at XFD1048576.
fn far_cell() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    wb.save_to_buffer().unwrap()
}

/// The header, then rows 2 to 200,001 each with a value in column XFD.
fn column_xfd() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=200_000u32 {
        ws.write_number(r, 16_383, 1.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Raw deflate of `first` then `n` × 258 more copies of its last byte: fixed Huffman
/// codes, one literal per byte of `first`, then matches of length 258 at distance 1
/// (13 bits each): 100 MB in about 600 KB.
fn deflate_run(first: &[u8], n: usize, last: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        len: u32,
    }
    impl Bits {
        fn put(&mut self, v: u32, n: u32) {
            self.acc |= v << self.len;
            self.len += n;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, n: u32) {
            let mut r = 0;
            for i in 0..n {
                r |= ((code >> i) & 1) << (n - 1 - i);
            }
            self.put(r, n);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        len: 0,
    };
    w.put(1, 1); // final block
    w.put(1, 2); // fixed Huffman codes
    for &b in first {
        w.literal(b);
    }
    for _ in 0..n {
        w.code(0xC5, 8); // length 258: code 285
        w.code(0, 5); // distance 1
    }
    for &b in last {
        w.literal(b);
    }
    w.code(0, 7); // end of block (256)
    w.put(0, 7);
    w.out
}

/// A zip package of (name, stored bytes, method, declared unpacked size) parts.
fn package(parts: &[(&str, Vec<u8>, u16, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, method, size) in parts {
        let at = out.len() as u32;
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&[0; 4]); // time, date
            h.extend_from_slice(&0u32.to_le_bytes()); // crc (not checked by the reader)
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&at.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(head(0x0201_4b50, true));
    }
    let cd_at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A workbook whose sheet is the header row and then 100 MB of spaces, deflated into
/// about 600 KB, its directory declaring 100 bytes unpacked.
fn bomb() -> Vec<u8> {
    let workbook = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="名单" sheetId="1"/></sheets></workbook>"#;
    let head = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row> "#;
    let sheet = deflate_run(
        head.as_bytes(),
        100_000_000 / 258,
        b"</sheetData></worksheet>",
    );
    package(&[
        (
            "xl/workbook.xml",
            workbook.as_bytes().to_vec(),
            0,
            workbook.len() as u32,
        ),
        ("xl/worksheets/sheet1.xml", sheet, 8, 100),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_import_refuses_far_cells_and_bombs_in_chinese_and_keeps_the_rows() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let dir = tempfile::tempdir().unwrap();
    let ids = [
        id_number("33030219800101123"),
        id_number("33030219900215224"),
    ];
    let good = dir.path().join("roster.xlsx");
    std::fs::write(&good, roster(&ids)).unwrap();
    set_files(&b, "#file-import-csv", &[&good]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 2",
        "two imported rows",
    )
    .await;
    let kept = roster_rows(&b).await;
    assert_eq!(kept[1], ("李四".to_string(), ids[1].clone()));

    let cases: [(&str, Vec<u8>, &[&str]); 3] = [
        (
            "far.xlsx",
            far_cell(),
            &[
                "无法导入 far.xlsx，当前草稿未改动",
                "XFD1048576",
                "超出可导入的范围",
                "最多 50000 行",
            ],
        ),
        (
            "xfd.xlsx",
            column_xfd(),
            &[
                "无法导入 xfd.xlsx",
                "XFD123 单元格（第 123 行第 16384 列）",
                "2000000 个单元格",
            ],
        ),
        (
            "bomb.xlsx",
            bomb(),
            &[
                "无法导入 bomb.xlsx",
                "文件解压后超过 64 MiB，超出可导入的范围",
            ],
        ),
    ];
    for (name, bytes, want) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        set_files(&b, "#file-import-csv", &[&file]).await;
        let errors = import_refused(&b, name).await;
        for w in want {
            assert!(errors.contains(w), "{name}: expected {w:?} in {errors}");
        }
        assert!(!errors.contains("Failed to fetch"), "{errors}");
        assert_eq!(
            roster_rows(&b).await,
            kept,
            "{name}: the rows already there are kept"
        );
    }
    shot(&b, "roster-import-refused-1280.png").await;
    b.finish().await.or_fail();

    // On a phone: the long message wraps inside the page.
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let file = dir.path().join("far.xlsx");
    set_files(&b, "#file-import-csv", &[&file]).await;
    wait(
        &b,
        "(document.getElementById('import-errors') || {}).textContent && document.getElementById('import-errors').textContent.includes('XFD1048576')",
        "the far cell's message",
    )
    .await;
    assert!(visible(&b, "#import-errors").await);
    assert_no_sideways_scroll(&b, "the import error at 360 px").await;
    shot(&b, "roster-import-refused-360.png").await;
    b.finish().await.or_fail();
}

/// A screenshot into `SITE_TESTS_SHOT_DIR`, when set (for looking at the page).
async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        b.js(
            "document.getElementById('import-errors').scrollIntoView();",
            vec![],
        )
        .await
        .or_fail();
        let png = b.client.screenshot().await.expect("a screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}
