//! Spreadsheets built to exhaust memory: a value at `XFD1048576`, parts that unpack to
//! far more than the file's size (the sheet's XML, one shared string), a declared count
//! of shared strings in the trillions, too many rows in a CSV, too many hand-in codes.
//! Each is refused with an error naming the file (and the sheet and cell), under a
//! memory limit of 1 GiB of address space (`prlimit --as`) on the command: a reader that
//! allocated rows × columns or unpacked without counting would abort instead. Where the
//! real limit would take long to reach, `SITE_GEN_TEST_SHEET_LIMITS` lowers it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{copy_dir, text};

const GIB: u64 = 1024 * 1024 * 1024;

/// The repository's content copied into a temporary folder, files written beside it.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
            &dir.path().join("content"),
        );
        Site { dir }
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    }
    fn content(&self) -> String {
        self.dir.path().join("content").to_str().unwrap().to_owned()
    }
    /// `site-gen ARGS` under a 1 GiB address-space limit, with lowered sheet limits.
    fn run(&self, lowered: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = Command::new("prlimit");
        cmd.arg(format!("--as={GIB}"))
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_site-gen"))
            .args(["--lang", "en"])
            .args(args)
            .env_remove("RUST_BACKTRACE")
            .env_remove("SITE_GEN_TEST_SHEET_LIMITS");
        if let Some(l) = lowered {
            cmd.env("SITE_GEN_TEST_SHEET_LIMITS", l);
        }
        cmd.output().expect("prlimit runs site-gen")
    }
    fn import(&self, file: &Path, lowered: Option<&str>) -> Output {
        let content = self.content();
        self.run(
            lowered,
            &[
                "import",
                file.to_str().unwrap(),
                "--notice",
                "wenzhou-2020",
                "--list",
                "municipal",
                "--content",
                &content,
            ],
        )
    }
    fn validate(&self, file: &Path, lowered: Option<&str>) -> Output {
        let content = self.content();
        self.run(
            lowered,
            &[
                "form",
                "validate",
                "wenzhou-hours-roster",
                file.to_str().unwrap(),
                "--content",
                &content,
            ],
        )
    }
}

/// Refused, not crashed: exit 1 or 2, no panic, no abort, `want` in what it printed.
fn refused(o: &Output, want: &[&str]) {
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        matches!(o.status.code(), Some(1 | 2)),
        "exit {:?}: {all}",
        o.status
    );
    assert!(
        !all.contains("panicked") && !all.contains("memory allocation"),
        "{all}"
    );
    for w in want {
        assert!(all.contains(w), "expected {w:?} in: {all}");
    }
    assert!(
        all.len() < 20_000,
        "short messages, no echo: {} bytes",
        all.len()
    );
}

/// An .xlsx package of these parts (sheet XML given whole or as `repeat` copies of a
/// piece between a head and a tail), deflated.
struct Package {
    sheet_head: String,
    piece: String,
    repeat: usize,
    sheet_tail: String,
    shared: Option<String>,
}

impl Package {
    fn sheet(xml: &str) -> Self {
        Package {
            sheet_head: xml.to_owned(),
            piece: String::new(),
            repeat: 0,
            sheet_tail: String::new(),
            shared: None,
        }
    }
    fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut put = |name: &str, parts: &[&[u8]], repeat: usize, piece: &[u8]| {
            zip.start_file(name, opt).unwrap();
            zip.write_all(parts[0]).unwrap();
            for _ in 0..repeat {
                zip.write_all(piece).unwrap();
            }
            zip.write_all(parts[1]).unwrap();
        };
        put(
            "[Content_Types].xml",
            &[CONTENT_TYPES.as_bytes(), b""],
            0,
            b"",
        );
        put("_rels/.rels", &[ROOT_RELS.as_bytes(), b""], 0, b"");
        put("xl/workbook.xml", &[WORKBOOK.as_bytes(), b""], 0, b"");
        put(
            "xl/_rels/workbook.xml.rels",
            &[WORKBOOK_RELS.as_bytes(), b""],
            0,
            b"",
        );
        if let Some(s) = &self.shared {
            put("xl/sharedStrings.xml", &[s.as_bytes(), b""], 0, b"");
        }
        put(
            "xl/worksheets/sheet1.xml",
            &[self.sheet_head.as_bytes(), self.sheet_tail.as_bytes()],
            self.repeat,
            self.piece.as_bytes(),
        );
        zip.finish().unwrap().into_inner()
    }
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";
const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>身份证号码</t></is></c></row>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn far_cell() -> Vec<u8> {
    Package::sheet(&format!(
        r#"{SHEET_HEAD}{HEADER_ROW}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>{SHEET_TAIL}"#
    ))
    .bytes()
}

#[test]
fn a_value_at_xfd1048576_is_refused_by_import_and_form_validate() {
    let site = Site::new();
    let file = site.file("far.xlsx", &far_cell());
    assert!(fs::metadata(&file).unwrap().len() < 5000);
    refused(
        &site.import(&file, None),
        &["far.xlsx", "sheet 名单", "XFD1048576", "50000 rows"],
    );
    refused(
        &site.validate(&file, None),
        &["far.xlsx", "sheet 名单", "XFD1048576"],
    );
}

#[test]
fn a_column_xfd_value_on_every_row_is_refused_at_the_area_limit() {
    // 200,000 rows each with a value in column XFD: the used range is 3.3 billion
    // cells; refused once rows × 16,384 passes the cell limit (row 123).
    let site = Site::new();
    let mut rows = String::new();
    for r in 2..=200_000 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>"#
        ));
    }
    let p = Package::sheet(&format!("{SHEET_HEAD}{HEADER_ROW}{rows}{SHEET_TAIL}"));
    let file = site.file("xfd.xlsx", &p.bytes());
    refused(
        &site.import(&file, None),
        &["xfd.xlsx", "XFD123", "2000000 cells"],
    );
}

#[test]
fn sheet_xml_that_unpacks_past_the_limit_is_refused() {
    // 16 MiB of XML (blank rows) in a file of a few KB, against a lowered limit of
    // 4 MiB: refused while unpacking, the declared size checked first.
    let site = Site::new();
    let p = Package {
        sheet_head: format!("{SHEET_HEAD}{HEADER_ROW}"),
        piece: " ".repeat(1024),
        repeat: 16 * 1024,
        sheet_tail: SHEET_TAIL.to_owned(),
        shared: None,
    };
    let bytes = p.bytes();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let file = site.file("bomb.xlsx", &bytes);
    let low = Some("unpacked=4194304");
    refused(
        &site.import(&file, low),
        &["bomb.xlsx", "unpacks to more than 4 MiB"],
    );
    refused(
        &site.validate(&file, low),
        &["bomb.xlsx", "unpacks to more than 4 MiB"],
    );
}

#[test]
fn a_part_that_declares_a_small_size_is_counted_as_it_unpacks() {
    // The same bomb with its sizes in the package's directory rewritten to 100 bytes:
    // the bytes actually unpacked are what count.
    let site = Site::new();
    let p = Package {
        sheet_head: format!("{SHEET_HEAD}{HEADER_ROW}"),
        piece: " ".repeat(1024),
        repeat: 16 * 1024,
        sheet_tail: SHEET_TAIL.to_owned(),
        shared: None,
    };
    let mut bytes = p.bytes();
    let name = b"xl/worksheets/sheet1.xml";
    // Central directory entries (PK\x01\x02): uncompressed size at +24; local headers
    // (PK\x03\x04): at +22. Zip64 extras are left alone (the reader may use them).
    let mut i = 0;
    while i + 46 < bytes.len() {
        if bytes[i..].starts_with(b"PK\x01\x02") && bytes[i + 46..].starts_with(name) {
            bytes[i + 24..i + 28].copy_from_slice(&100u32.to_le_bytes());
        }
        if bytes[i..].starts_with(b"PK\x03\x04") && bytes[i + 30..].starts_with(name) {
            bytes[i + 22..i + 26].copy_from_slice(&100u32.to_le_bytes());
        }
        i += 1;
    }
    let file = site.file("liar.xlsx", &bytes);
    let o = site.import(&file, Some("unpacked=4194304"));
    refused(&o, &["liar.xlsx"]);
}

#[test]
fn one_huge_shared_string_is_refused() {
    // One shared string of 8 MiB against a lowered limit of 4 MiB.
    let site = Site::new();
    let mut p = Package::sheet(&format!(
        r#"{SHEET_HEAD}{HEADER_ROW}<row r="2"><c r="B2" t="s"><v>0</v></c></row>{SHEET_TAIL}"#
    ));
    p.shared = Some(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "a".repeat(8 * 1024 * 1024)
    ));
    let file = site.file("sst.xlsx", &p.bytes());
    refused(
        &site.import(&file, Some("unpacked=4194304")),
        &["sst.xlsx", "4 MiB"],
    );
}

#[test]
fn a_shared_string_used_by_every_cell_counts_at_every_cell() {
    // 1 KB of shared text in 2,000 cells is 2 MB of cell text, over a lowered 1 MB.
    let site = Site::new();
    let mut rows = String::new();
    for r in 2..=1001 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="B{r}" t="s"><v>0</v></c><c r="D{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    let mut p = Package::sheet(&format!("{SHEET_HEAD}{HEADER_ROW}{rows}{SHEET_TAIL}"));
    p.shared = Some(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "名".repeat(350)
    ));
    let file = site.file("text.xlsx", &p.bytes());
    refused(
        &site.import(&file, Some("text=1048576")),
        &["text.xlsx", "sheet 名单", "1 MiB of text"],
    );
}

#[test]
fn a_shared_string_count_in_the_trillions_is_refused_before_room_is_made() {
    let site = Site::new();
    let mut p = Package::sheet(&format!("{SHEET_HEAD}{HEADER_ROW}{SHEET_TAIL}"));
    p.shared = Some(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="999999999999"><si><t>a</t></si></sst>"#
            .to_owned(),
    );
    let file = site.file("count.xlsx", &p.bytes());
    refused(
        &site.import(&file, None),
        &["count.xlsx", "999999999999 shared strings"],
    );
}

#[test]
fn a_csv_past_the_row_limit_is_refused_at_its_line() {
    let site = Site::new();
    let mut csv = String::from("序号,高研班名称,举办单位\r\n");
    for i in 1..=60 {
        csv.push_str(&format!("{i},班{i},单位\r\n"));
    }
    let file = site.file("rows.csv", csv.as_bytes());
    refused(
        &site.import(&file, Some("rows=50")),
        &[
            "rows.csv",
            "line 51 of the file (row 51)",
            "at most 50 rows",
        ],
    );
}

#[test]
fn form_validate_reads_an_xlsx_roster() {
    // Not "not text in UTF-8": the first sheet's rows, as the form page imports them.
    let site = Site::new();
    let p = Package::sheet(&format!(
        r#"{SHEET_HEAD}{HEADER_ROW}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c><c r="C2"><v>330102199001011234</v></c></row>{SHEET_TAIL}"#
    ));
    let file = site.file("roster.xlsx", &p.bytes());
    let o = site.validate(&file, None);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(!out.contains("UTF-8"), "{out}");
    assert!(
        out.contains("身份证号码“3.30102E+17”是表格软件以科学计数法保存的数字，末几位已经丢失"),
        "{out}"
    );
}

#[test]
fn more_hand_in_codes_than_the_limit_are_refused() {
    // 100,001 short codes (600 KB): refused as a whole before any is decoded.
    let site = Site::new();
    let codes = "GYB~abc\n".repeat(wasm_forms::limits::MAX_CODES + 1);
    let file = site.file("codes.txt", codes.as_bytes());
    let content = site.content();
    let o = site.run(
        None,
        &[
            "form",
            "aggregate",
            "wenzhou-survey",
            file.to_str().unwrap(),
            "--content",
            &content,
        ],
    );
    refused(&o, &["codes.txt", "提交码超过 100000 个"]);
}
