//! Spreadsheet files into [`Sheet`]s: `.xlsx`/`.xlsm`, `.xls` and `.ods` through
//! `calamine`, `.csv` (or tab-separated text) through [`super::decode`] and `csv`.
//!
//! What offices do to a sheet is undone here, once, for every reader after it: a merged
//! cell's value is filled down its column over the rows it covers (a shared 举办单位 or
//! 联系电话 spanning several programs), so that each row reads on its own. A merge
//! across columns (a title or a footnote) keeps its value in its first column only.

use std::path::Path;

use calamine::{open_workbook_from_rs, Data, Dimensions, Ods, Range, Reader, Xls, Xlsx};

use super::decode::{decode, Charset};
use super::{Cell, CellError, Place, Sheet};
use crate::fsx;

/// The sheets of a file, and for a CSV the encoding it was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    pub charset: Option<Charset>,
}

/// The kinds of file read, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "xls" => Some(Kind::Xls),
            "ods" => Some(Kind::Ods),
            "csv" | "tsv" | "txt" => Some(Kind::Csv),
            _ => None,
        }
    }
}

/// Reads the file at `path`; `shown` is how messages name it (as typed).
pub fn read_file(path: &Path, shown: &str) -> Result<Workbook, CellError> {
    let whole = |message: String| CellError {
        place: Place {
            file: shown.to_string(),
            sheet: String::new(),
            cell: None,
        },
        message,
    };
    let Some(kind) = Kind::of(path) else {
        return Err(whole(
            "not a spreadsheet this command reads: expected a .xlsx, .xls, .ods or .csv file"
                .to_string(),
        ));
    };
    let bytes = fsx::read(path).map_err(|e| whole(e.source.to_string()))?;
    read_bytes(kind, &bytes, &file_stem(path)).map_err(whole)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a file's bytes; `stem` names a CSV's one sheet (as Excel names it on opening).
/// Never panics, whatever the bytes.
pub fn read_bytes(kind: Kind, bytes: &[u8], stem: &str) -> Result<Workbook, String> {
    match kind {
        Kind::Csv => {
            let (text, cs) = decode(bytes)?;
            Ok(Workbook {
                sheets: vec![csv_sheet(&text, stem)],
                charset: Some(cs),
            })
        }
        Kind::Xlsx => {
            let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("not a readable .xlsx workbook ({e})"))?;
            workbook(&mut wb, |wb, name| {
                wb.merge_cells_by_sheet_name(name)
                    .map_err(|e| e.to_string())
            })
        }
        Kind::Xls => {
            let mut wb: Xls<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("not a readable .xls workbook ({e})"))?;
            workbook(&mut wb, |wb, name| {
                wb.merge_cells_by_sheet_name(name)
                    .map_err(|e| e.to_string())
            })
        }
        Kind::Ods => {
            let mut wb: Ods<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("not a readable .ods spreadsheet ({e})"))?;
            // calamine does not expose an .ods file's merged cells.
            workbook(&mut wb, |_, _| Ok(Vec::new()))
        }
    }
}

/// Every sheet of a workbook, with the merged cells `merges` reads for each.
fn workbook<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    wb: &mut R,
    merges: impl Fn(&mut R, &str) -> Result<Vec<Dimensions>, String>,
) -> Result<Workbook, String>
where
    R::Error: std::fmt::Display,
{
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("cannot read sheet {name} ({e})"))?;
        let merged = merges(wb, &name)
            .map_err(|e| format!("cannot read the merged cells of sheet {name} ({e})"))?;
        sheets.push(sheet(name, &range, &merged));
    }
    Ok(Workbook {
        sheets,
        charset: None,
    })
}

fn sheet(name: String, range: &Range<Data>, merges: &[Dimensions]) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    if let (Some((r0, c0)), Some(_)) = (range.start(), range.end()) {
        let (r0, c0) = (r0 as usize, c0 as usize);
        for (i, row) in range.rows().enumerate() {
            let r = r0 + i;
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let out = &mut rows[r];
            out.resize(c0, Cell::Empty);
            out.extend(row.iter().map(cell));
            while out.last().is_some_and(Cell::is_blank) {
                out.pop();
            }
        }
    }
    let mut s = Sheet { name, rows };
    fill_merges(&mut s, merges);
    s
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Date(match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => dt.as_f64().to_string(),
        }),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Fills each merged region's value down its first column.
pub fn fill_merges(s: &mut Sheet, merges: &[Dimensions]) {
    for m in merges {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let r1 = m.end.0 as usize;
        let v = s.cell(r0, c0).clone();
        if v.is_blank() {
            continue;
        }
        for r in r0 + 1..=r1.min(s.rows.len().saturating_sub(1)) {
            let row = &mut s.rows[r];
            if row.len() <= c0 {
                row.resize(c0 + 1, Cell::Empty);
            }
            if row[c0].is_blank() {
                row[c0] = v.clone();
            }
        }
    }
}

/// A CSV (or, when its first lines hold more tabs than commas, tab-separated text) as one
/// sheet of text cells.
fn csv_sheet(text: &str, name: &str) -> Sheet {
    let head: Vec<&str> = text.lines().take(20).collect();
    let tabs: usize = head.iter().map(|l| l.matches('\t').count()).sum();
    let commas: usize = head.iter().map(|l| l.matches(',').count()).sum();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut record = csv::StringRecord::new();
    // Excel shows each record as one row and each empty line as an empty row; the `csv`
    // crate skips empty lines, so the line ends between two records are counted here,
    // keeping B7 in a message the cell that Excel shows as B7.
    let mut prev_end = 0usize;
    while let Ok(true) = rdr.read_record(&mut record) {
        let start = record.position().map_or(prev_end, |p| p.byte() as usize);
        for _ in 0..blank_lines(text.as_bytes(), start) {
            rows.push(Vec::new());
        }
        prev_end = rdr.position().byte() as usize;
        rows.push(
            record
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        );
    }
    Sheet {
        name: name.to_string(),
        rows,
    }
}

/// The empty lines the `csv` crate skipped before the record it began reading at `from`:
/// the line ends there, less the `\n` finishing the previous record's CRLF.
fn blank_lines(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    if bytes.get(i) == Some(&b'\n') && i > 0 && bytes.get(i - 1) == Some(&b'\r') {
        i += 1;
    }
    let mut n = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let s = csv_sheet("标题\r\n\r\n序号,高研班名称\r\n1,\"a\nb\"\r\n2,c\r\n", "x");
        assert_eq!(s.rows.len(), 5);
        assert_eq!(s.cell(0, 0), &Cell::Text("标题".into()));
        assert_eq!(s.cell(2, 1), &Cell::Text("高研班名称".into()));
        assert_eq!(s.cell(3, 1), &Cell::Text("a\nb".into()));
        // A quoted line break stays inside its row, as Excel shows it.
        assert_eq!(s.cell(4, 1), &Cell::Text("c".into()));
    }

    #[test]
    fn blank_lines_count_with_lf_line_ends_too() {
        let s = csv_sheet("标题\n\n\n序号,高研班名称\n1,a\n", "x");
        assert_eq!(s.cell(3, 1), &Cell::Text("高研班名称".into()));
        assert_eq!(s.cell(4, 1), &Cell::Text("a".into()));
    }

    #[test]
    fn tab_separated_text_is_read() {
        let s = csv_sheet("序号\t高研班名称\t举办单位\n1\ta\tb\n", "x");
        assert_eq!(s.cell(1, 2), &Cell::Text("b".into()));
    }

    #[test]
    fn merges_fill_down_their_first_column_only() {
        let mut s = Sheet {
            name: "s".into(),
            rows: vec![
                vec![Cell::Text("t".into())],
                vec![Cell::Empty, Cell::Text("org".into())],
                vec![],
                vec![Cell::Empty, Cell::Empty],
            ],
        };
        fill_merges(
            &mut s,
            &[
                Dimensions::new((0, 0), (0, 5)),
                Dimensions::new((1, 1), (3, 2)),
            ],
        );
        assert_eq!(s.cell(0, 1), &Cell::Empty);
        assert_eq!(s.cell(2, 1), &Cell::Text("org".into()));
        assert_eq!(s.cell(3, 1), &Cell::Text("org".into()));
        assert_eq!(s.cell(3, 2), &Cell::Empty);
    }
}
