//! A one-sheet `.xlsx` writer for the plan lists' downloads, over the `zip` crate that
//! `calamine` (the import's reader) already brings into the build.
//!
//! Every cell is written as an inline string unless it is given as a number, so Excel
//! and WPS keep phone numbers as typed (13567739185, never 1.35677E+10) and never read
//! text as a formula. The header row is bold and frozen; the package's entries carry a
//! fixed date, so the same list always gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    Text(String),
    Number(f64),
}

/// A sheet: its name (Excel allows 31 characters and none of `\/?*[]:`), a header row,
/// the rows below it, and a width (in characters) for each column.
pub struct SheetSpec<'a> {
    pub name: &'a str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<XCell>>,
    pub widths: Vec<f64>,
}

/// The workbook's bytes.
pub fn workbook(sheet: &SheetSpec) -> Vec<u8> {
    let name = sheet_name(sheet.name);
    let mut sheet_xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
    );
    if !sheet.widths.is_empty() {
        sheet_xml.push_str("<cols>");
        for (i, w) in sheet.widths.iter().enumerate() {
            sheet_xml.push_str(&format!(
                r#"<col min="{n}" max="{n}" width="{w}" customWidth="1"/>"#,
                n = i + 1
            ));
        }
        sheet_xml.push_str("</cols>");
    }
    sheet_xml.push_str("<sheetData>");
    let header: Vec<XCell> = sheet.header.iter().cloned().map(XCell::Text).collect();
    row_xml(&mut sheet_xml, 0, &header, 1);
    for (i, row) in sheet.rows.iter().enumerate() {
        row_xml(&mut sheet_xml, i + 1, row, 0);
    }
    sheet_xml.push_str("</sheetData></worksheet>");

    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(&name)
    );
    let files: [(&str, &str); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", &sheet_xml),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (path, text) in files {
        // Writing into memory fails only on an internal zip error; the entry is then
        // missing and the reader tests catch it.
        if zip.start_file(path, options).is_ok() {
            let _ = zip.write_all(text.as_bytes());
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

fn row_xml(out: &mut String, r: usize, cells: &[XCell], style: u8) {
    out.push_str(&format!(r#"<row r="{}">"#, r + 1));
    for (c, cell) in cells.iter().enumerate() {
        let at = crate::import::cell_ref(r, c);
        let s = if style > 0 {
            format!(r#" s="{style}""#)
        } else {
            String::new()
        };
        match cell {
            XCell::Text(t) if t.is_empty() => {}
            XCell::Text(t) => out.push_str(&format!(
                r#"<c r="{at}"{s} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                escape(t)
            )),
            XCell::Number(n) if n.is_finite() => {
                out.push_str(&format!(r#"<c r="{at}"{s}><v>{n}</v></c>"#))
            }
            XCell::Number(_) => {}
        }
    }
    out.push_str("</row>");
}

/// Text for XML, without the control characters XML 1.0 does not allow.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A name Excel accepts for a sheet.
fn sheet_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if r"\/?*[]:".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    let t = cleaned.trim().to_string();
    if t.is_empty() {
        "Sheet1".to_string()
    } else {
        t
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Style 0: 宋体 11, wrapped, top-aligned; style 1: the same in bold (the header).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs></styleSheet>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn calamine_reads_back_text_numbers_and_the_sheet_name() {
        let bytes = workbook(&SheetSpec {
            name: "市级: 名单/2020",
            header: vec!["序号".into(), "联系电话".into(), "备注".into()],
            rows: vec![vec![
                XCell::Number(1.0),
                XCell::Text("13567739185".into()),
                XCell::Text("=1+1 <&> \u{1}".into()),
            ]],
            widths: vec![6.0, 16.0, 20.0],
        });
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(wb.sheet_names(), ["市级  名单 2020"]);
        let r = wb.worksheet_range("市级  名单 2020").unwrap();
        assert_eq!(r.get((0, 1)), Some(&Data::String("联系电话".into())));
        assert_eq!(r.get((1, 0)), Some(&Data::Float(1.0)));
        assert_eq!(r.get((1, 1)), Some(&Data::String("13567739185".into())));
        assert_eq!(r.get((1, 2)), Some(&Data::String("=1+1 <&> ".into())));
        let again = workbook(&SheetSpec {
            name: "市级: 名单/2020",
            header: vec!["序号".into(), "联系电话".into(), "备注".into()],
            rows: vec![vec![
                XCell::Number(1.0),
                XCell::Text("13567739185".into()),
                XCell::Text("=1+1 <&> \u{1}".into()),
            ]],
            widths: vec![6.0, 16.0, 20.0],
        });
        assert_eq!(bytes, again, "the same list gives the same bytes");
    }
}
