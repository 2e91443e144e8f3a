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

/// An OpenDocument spreadsheet of these `table:table` elements (LibreOffice's layout).
fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, opt).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const ODS_HEADER: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>高研班名称</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>举办单位</text:p></table:table-cell></table:table-row>"#;

#[test]
fn ods_repeated_rows_and_columns_count_as_the_cells_they_make() {
    let site = Site::new();
    // One value repeated over 16,384 columns of 1,000,000 rows (a file of 1 KB): the
    // reader would lay out 16 billion cells.
    let far = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table>"#
    ));
    let file = site.file("far.ods", &far);
    refused(
        &site.import(&file, None),
        &["far.ods", "sheet 名单", "50000 rows"],
    );
    // Empty repeated rows before one value at row 60,000: the row limit, naming the cell.
    let low = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row table:number-rows-repeated="59998"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
    ));
    let file = site.file("low.ods", &low);
    refused(
        &site.import(&file, None),
        &["low.ods", "sheet 名单", "A60000"],
    );
    // One 1 KB cell repeated 2,000 times is 2 MB of text, over a lowered 1 MB.
    let text = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row></table:table>"#,
        "a".repeat(1024)
    ));
    let file = site.file("text.ods", &text);
    refused(
        &site.import(&file, Some("text=1048576")),
        &["text.ods", "sheet 名单", "1 MiB of text"],
    );
}

#[test]
fn ods_sheets_share_one_allowance_of_cells() {
    // Twenty sheets of 100 rows × 2 columns: each within a lowered 1,000 cells, all
    // together 4,000.
    let site = Site::new();
    let mut tables = String::new();
    for i in 1..=20 {
        tables.push_str(&format!(
            r#"<table:table table:name="表{i}">{ODS_HEADER}<table:table-row table:number-rows-repeated="99"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/></table:table-row></table:table>"#
        ));
    }
    let file = site.file("many.ods", &ods(&tables));
    refused(
        &site.import(&file, Some("cells=1000")),
        &["many.ods", "sheet 表6", "1000 cells in all"],
    );
}

/// A BIFF8 record.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend((data.len() as u16).to_le_bytes());
    v.extend(data);
    v
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend(0x0DBBu16.to_le_bytes());
    d.extend(0x07CCu16.to_le_bytes());
    d.extend([0, 0, 0, 0, 6, 0, 0, 0]);
    rec(0x0809, &d)
}

/// A LABEL cell of UTF-16 text.
fn label(r: u16, c: u16, s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut d = Vec::new();
    for v in [r, c, 15, units.len() as u16] {
        d.extend(v.to_le_bytes());
    }
    d.push(1);
    for u in units {
        d.extend(u.to_le_bytes());
    }
    rec(0x0204, &d)
}

fn number(r: u16, c: u16, n: f64) -> Vec<u8> {
    let mut d = Vec::new();
    for v in [r, c, 15] {
        d.extend(v.to_le_bytes());
    }
    d.extend(n.to_le_bytes());
    rec(0x0203, &d)
}

/// An `.xls` workbook: one sheet 名单 holding `cells` (BIFF8 records) in a compound file.
fn xls(cells: &[u8]) -> Vec<u8> {
    let name: Vec<u16> = "名单".encode_utf16().collect();
    let boundsheet = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, name.len() as u8, 1]);
        for u in &name {
            d.extend(u.to_le_bytes());
        }
        rec(0x0085, &d)
    };
    let mut globals = bof(0x0005);
    globals.extend(rec(0x0042, &1200u16.to_le_bytes())); // CODEPAGE: UTF-16
    let bs_len = boundsheet(0).len();
    // Filler, so that the stream is not a small one (4,096 bytes or more).
    let filler = rec(0x00EB, &[0u8; 4200]);
    let pos = (globals.len() + bs_len + filler.len() + 4) as u32;
    globals.extend(boundsheet(pos));
    globals.extend(&filler);
    globals.extend(rec(0x000A, &[]));
    assert_eq!(globals.len() as u32, pos);
    let mut stream = globals;
    stream.extend(bof(0x0010));
    stream.extend(cells);
    stream.extend(rec(0x000A, &[]));
    // Compound file, sectors of 512: sector 0 the FAT, 1 the directory, 2.. the stream.
    let n = stream.len().div_ceil(512);
    assert!(n + 2 <= 128);
    let mut out = vec![0u8; 512];
    out[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put = |out: &mut Vec<u8>, at: usize, b: &[u8]| out[at..at + b.len()].copy_from_slice(b);
    put(&mut out, 24, &0x003Eu16.to_le_bytes());
    put(&mut out, 26, &3u16.to_le_bytes());
    put(&mut out, 28, &0xFFFEu16.to_le_bytes());
    put(&mut out, 30, &9u16.to_le_bytes());
    put(&mut out, 32, &6u16.to_le_bytes());
    put(&mut out, 44, &1u32.to_le_bytes());
    put(&mut out, 48, &1u32.to_le_bytes());
    put(&mut out, 56, &4096u32.to_le_bytes());
    put(&mut out, 60, &0xFFFF_FFFEu32.to_le_bytes());
    put(&mut out, 68, &0xFFFF_FFFEu32.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        put(&mut out, 76 + 4 * i, &v.to_le_bytes());
    }
    let mut fat: Vec<u32> = vec![0xFFFF_FFFD, 0xFFFF_FFFE];
    for i in 0..n {
        fat.push(if i + 1 == n {
            0xFFFF_FFFE
        } else {
            (i + 3) as u32
        });
    }
    fat.resize(128, 0xFFFF_FFFF);
    for v in fat {
        out.extend(v.to_le_bytes());
    }
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = typ;
        e[67] = 1;
        e[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    out.extend(entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0));
    out.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, stream.len() as u32));
    out.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    out.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    stream.resize(n * 512, 0);
    out.extend(stream);
    out
}

fn xls_header() -> Vec<u8> {
    let mut v = label(0, 0, "高研班名称");
    v.extend(label(0, 1, "举办单位"));
    v
}

#[test]
fn an_xls_value_at_the_last_cell_is_refused_before_the_sheet_is_laid_out() {
    let site = Site::new();
    // Within the limits it is read.
    let mut ok = xls_header();
    ok.extend(label(1, 0, "低压电器及其物联网技术应用"));
    ok.extend(label(1, 1, "温州大学"));
    let file = site.file("ok.xls", &xls(&ok));
    let o = site.import(&file, None);
    assert!(
        text(&o.stdout).contains("1 programs from") && text(&o.stdout).contains("sheet 名单"),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    // IV65536, the last cell of a BIFF8 sheet: 16.7 million cells laid out.
    let mut far = xls_header();
    far.extend(number(65_535, 255, 1.0));
    let file = site.file("far.xls", &xls(&far));
    refused(
        &site.import(&file, None),
        &["far.xls", "sheet 名单", "IV65536", "2000000 cells"],
    );
}

#[test]
fn an_xls_declaring_a_huge_or_inverted_used_range_is_refused() {
    let site = Site::new();
    // DIMENSIONS of 4 billion rows × 256 columns: the reader reserves room for them.
    let mut dims = Vec::new();
    dims.extend(0u32.to_le_bytes());
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend([0, 0, 0, 1, 0, 0]);
    let mut big = rec(0x0200, &dims);
    big.extend(xls_header());
    let file = site.file("dims.xls", &xls(&big));
    refused(
        &site.import(&file, None),
        &[
            "dims.xls",
            "sheet 名单",
            "declares a used range of 4294967295 rows",
        ],
    );
    // Rows 10 to 5: the reader would subtract past zero.
    let mut dims = Vec::new();
    dims.extend(10u32.to_le_bytes());
    dims.extend(5u32.to_le_bytes());
    dims.extend([0, 0, 2, 0, 0, 0]);
    let mut inverted = rec(0x0200, &dims);
    inverted.extend(xls_header());
    let file = site.file("inverted.xls", &xls(&inverted));
    refused(
        &site.import(&file, None),
        &["inverted.xls", "sheet 名单", "ends before it starts"],
    );
}

/// Spreadsheets mutated at random — cells moved anywhere up to `XFD1048576`, rows and
/// columns repeated, bytes of the package changed — never make a reader panic, and
/// whatever a reader returns is within the limits (so its memory is bounded by them).
mod mutated {
    use super::*;
    use proptest::prelude::*;
    use site_gen::import::read::{read_bytes, Kind};
    use site_gen::import::Cell;

    fn within_limits(kind: Kind, bytes: &[u8]) {
        let Ok(wb) = read_bytes(kind, bytes, "f") else {
            return;
        };
        let l = wasm_forms::limits::SHEET;
        let mut all = 0u64;
        for s in &wb.sheets {
            let rows = s.rows.len() as u64;
            let cols = s.rows.iter().map(Vec::len).max().unwrap_or(0) as u64;
            assert!(rows <= u64::from(l.rows), "{rows} rows");
            assert!(cols <= u64::from(l.columns), "{cols} columns");
            assert!(rows * cols <= l.cells, "{rows} × {cols}");
            let text: u64 = s
                .rows
                .iter()
                .flatten()
                .map(|c| match c {
                    Cell::Text(t) | Cell::Date(t) | Cell::Error(t) => t.len() as u64,
                    _ => 0,
                })
                .sum();
            assert!(text <= l.text_bytes, "{text} bytes of text");
            all += rows * cols;
        }
        if matches!(kind, Kind::Xls | Kind::Ods) {
            assert!(all <= l.cells, "{all} cells in all");
        }
    }

    fn flip(mut bytes: Vec<u8>, flips: &[(prop::sample::Index, u8)]) -> Vec<u8> {
        for (i, b) in flips {
            if !bytes.is_empty() {
                let at = i.index(bytes.len());
                bytes[at] = *b;
            }
        }
        bytes
    }

    /// A column's letters (0-based).
    fn letters(mut c: u32) -> String {
        let mut s = Vec::new();
        c += 1;
        while c > 0 {
            s.push(b'A' + ((c - 1) % 26) as u8);
            c = (c - 1) / 26;
        }
        s.reverse();
        String::from_utf8(s).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn xlsx_cells_anywhere(cells in prop::collection::vec((0u32..1_048_576, 0u32..16_384, "[a-z名]{0,8}"), 0..6),
                               flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3)) {
            let mut rows = String::new();
            for (r, c, t) in &cells {
                rows.push_str(&format!(
                    r#"<row r="{}"><c r="{}{}" t="inlineStr"><is><t>{t}</t></is></c></row>"#,
                    r + 1, letters(*c), r + 1
                ));
            }
            let p = Package::sheet(&format!("{SHEET_HEAD}{HEADER_ROW}{rows}{SHEET_TAIL}"));
            within_limits(Kind::Xlsx, &flip(p.bytes(), &flips));
        }

        #[test]
        fn ods_repeats(rows_rep in prop::collection::vec(0u64..2_000_000, 1..4),
                       cols_rep in prop::collection::vec(0u64..20_000, 1..4),
                       flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3)) {
            let mut t = String::new();
            for (r, c) in rows_rep.iter().zip(&cols_rep) {
                t.push_str(&format!(
                    r#"<table:table-row table:number-rows-repeated="{r}"><table:table-cell/><table:table-cell table:number-columns-repeated="{c}" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
                ));
            }
            let bytes = ods(&format!(r#"<table:table table:name="s">{ODS_HEADER}{t}</table:table>"#));
            within_limits(Kind::Ods, &flip(bytes, &flips));
        }

        #[test]
        fn xls_cells_anywhere(cells in prop::collection::vec((any::<u16>(), any::<u16>()), 0..6),
                              flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4)) {
            let mut recs = xls_header();
            for (r, c) in &cells {
                recs.extend(number(*r, *c, 1.0));
            }
            within_limits(Kind::Xls, &flip(xls(&recs), &flips));
        }

        #[test]
        fn csv_of_any_shape(lines in prop::collection::vec(prop::collection::vec("[,\"\r\n\t a名]{0,6}", 0..40), 0..30),
                            bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut text: Vec<u8> = lines.iter().map(|l| l.concat()).collect::<Vec<_>>().join("\n").into_bytes();
            text.extend(bytes);
            within_limits(Kind::Csv, &text);
        }
    }
}
