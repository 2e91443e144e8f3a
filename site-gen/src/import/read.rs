//! Spreadsheet files into [`Sheet`]s: `.xlsx`/`.xlsm`, `.xls` and `.ods` through
//! `calamine`, `.csv` (or tab-separated text) through [`super::decode`] and `csv`.
//!
//! What offices do to a sheet is undone here, once, for every reader after it: a merged
//! cell's value is filled down its column over the rows it covers (a shared 举办单位 or
//! 联系电话 spanning several programs), so that each row reads on its own. A merge
//! across columns (a title or a footnote) keeps its value in its first column only.

pub use super::bounds::short;
use std::path::Path;

use std::io::Read as _;

use calamine::{open_workbook_from_rs, Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsx};
use wasm_forms::limits::{Exceeded, SheetLimits, UsedRange};

use super::decode::decode;
use super::{Cell, CellError, Note, Place, Sheet};
use crate::fsx;
use wasm_forms::io::TextEncoding;

/// The sheets of a file, and for a CSV the encoding it was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    pub charset: Option<TextEncoding>,
    /// Cells whose control, bidi-override or zero-width characters were removed.
    pub notes: Vec<Note>,
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
            line: None,
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
    let mut wb = read_bytes(kind, &bytes, &file_stem(path)).map_err(whole)?;
    for sheet in &mut wb.sheets {
        clean_cells(sheet, shown, &mut wb.notes);
    }
    Ok(wb)
}

/// Notes of cleaned cells kept for each sheet; more are counted in one last note.
const MAX_CLEAN_NOTES: usize = 20;

/// Whether an imported cell loses `c`: C0 controls but tab and line feed, C1 controls,
/// bidi overrides and isolates (which reorder what is shown), zero-width characters and
/// the byte order mark (invisible, they make equal-looking names differ).
/// The engine's rule, the one of the form pages' import too.
pub fn is_stripped(c: char) -> bool {
    wasm_forms::io::is_stripped(c)
}

/// Removes [`is_stripped`] characters from every text cell of `sheet` (a CR before a
/// line feed too: a line break stays one `\n`), with a note naming each cell changed,
/// instead of refusing the file.
fn clean_cells(sheet: &mut Sheet, file: &str, notes: &mut Vec<Note>) {
    let mut changed = 0usize;
    for (r, row) in sheet.rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let Cell::Text(t) = cell else { continue };
            if !t.chars().any(is_stripped) {
                continue;
            }
            let mut removed: Vec<String> = Vec::new();
            let cleaned: String = t
                .chars()
                .filter(|&ch| {
                    let gone = is_stripped(ch);
                    if gone && ch != '\r' && removed.len() < 3 {
                        let u = format!("U+{:04X}", u32::from(ch));
                        if !removed.contains(&u) {
                            removed.push(u);
                        }
                    }
                    !gone
                })
                .collect();
            changed += 1;
            if changed <= MAX_CLEAN_NOTES {
                let what = if removed.is_empty() {
                    "carriage returns".to_string()
                } else {
                    format!("invisible or control characters ({})", removed.join(", "))
                };
                notes.push(Note {
                    place: Place {
                        file: file.to_string(),
                        sheet: sheet.name.clone(),
                        cell: Some((r, c)),
                        line: sheet.lines.get(r).copied(),
                    },
                    message: format!("removed {what} from the cell"),
                });
            }
            *t = cleaned;
        }
    }
    if changed > MAX_CLEAN_NOTES {
        notes.push(Note {
            place: Place {
                file: file.to_string(),
                sheet: sheet.name.clone(),
                cell: None,
                line: None,
            },
            message: format!(
                "and {} more cells had invisible or control characters removed",
                changed - MAX_CLEAN_NOTES
            ),
        });
    }
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
                sheets: vec![csv_sheet(&text, stem, &limits())?],
                charset: Some(cs),
                notes: Vec::new(),
            })
        }
        Kind::Xlsx => Ok(Workbook {
            sheets: xlsx_sheets(bytes, &limits(), usize::MAX)?,
            charset: None,
            notes: Vec::new(),
        }),
        Kind::Xls => {
            super::bounds::xls(bytes, &limits())?;
            let mut wb: Xls<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("not a readable .xls workbook ({e})"))?;
            workbook(&mut wb, |wb, name| {
                wb.merge_cells_by_sheet_name(name)
                    .map_err(|e| e.to_string())
            })
        }
        Kind::Ods => {
            unpacked_size(bytes, &limits(), "not a readable .ods spreadsheet")?;
            super::bounds::ods(bytes, &limits())?;
            let mut wb: Ods<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("not a readable .ods spreadsheet ({e})"))?;
            // calamine does not expose an .ods file's merged cells.
            workbook(&mut wb, |_, _| Ok(Vec::new()))
        }
    }
}

/// The limits every reader keeps to ([`wasm_forms::limits::SHEET`], the form pages'
/// too). `SITE_GEN_TEST_SHEET_LIMITS=rows=…,columns=…,cells=…,unpacked=…,text=…` lowers
/// them, so that tests reach them with small files.
pub fn limits() -> SheetLimits {
    let mut l = wasm_forms::limits::SHEET;
    if let Ok(spec) = std::env::var("SITE_GEN_TEST_SHEET_LIMITS") {
        for part in spec.split(',') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let Ok(n) = v.trim().parse::<u64>() else {
                continue;
            };
            match k.trim() {
                "rows" => l.rows = l.rows.min(u32::try_from(n).unwrap_or(u32::MAX)),
                "columns" => l.columns = l.columns.min(u32::try_from(n).unwrap_or(u32::MAX)),
                "cells" => l.cells = l.cells.min(n),
                "unpacked" => l.unpacked_bytes = l.unpacked_bytes.min(n),
                "text" => l.text_bytes = l.text_bytes.min(n),
                _ => {}
            }
        }
    }
    l
}

/// Unpacks every part of a zip package (an .xlsx or .ods) into nothing, counting the
/// bytes: more than `limits.unpacked_bytes` in all is an error, whatever sizes the
/// package's directory declares (each part is counted as it is inflated, and a
/// declared size over the limit stops before inflating). Of the shared strings, the
/// count declared for them (which the reader reserves room for) must be within the
/// cell limit.
pub(crate) fn unpacked_size(bytes: &[u8], limits: &SheetLimits, what: &str) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{what} (not a zip package: {e})"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("{what} (part {} of the package: {e})", i + 1))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let left = limits.unpacked_bytes.saturating_sub(total);
        if part.size() > left {
            return Err(Exceeded::Unpacked.english(limits));
        }
        let mut counter = Counter::default();
        if name.ends_with("sharedStrings.xml") {
            counter.head = Some(Vec::new());
        }
        let n = std::io::copy(&mut (&mut part).take(left + 1), &mut counter)
            .map_err(|e| format!("{what} ({} cannot be unpacked: {e})", short(&name)))?;
        total += n;
        if total > limits.unpacked_bytes {
            return Err(Exceeded::Unpacked.english(limits));
        }
        if let Some(head) = &counter.head {
            if let Some(count) = declared_count(head) {
                if count > limits.cells {
                    return Err(format!(
                        "{} declares {count} shared strings, more than the {} cells a workbook may hold to be read: check the file",
                        short(&name),
                        limits.cells
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A sink counting nothing but keeping the first 4 KB (the start tag of the shared
/// strings) when `head` is set.
#[derive(Default)]
struct Counter {
    head: Option<Vec<u8>>,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(h) = &mut self.head {
            let room = 4096usize.saturating_sub(h.len());
            h.extend_from_slice(&buf[..room.min(buf.len())]);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `uniqueCount` of the `<sst>` start tag in the first bytes of sharedStrings.xml;
/// a number too long to read counts as more than any limit.
fn declared_count(head: &[u8]) -> Option<u64> {
    let at = head.windows(12).position(|w| w == b"uniqueCount=")? + 12;
    let digits: Vec<u8> = head
        .get(at + 1..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    let text = std::str::from_utf8(&digits).ok()?;
    Some(text.parse::<u64>().unwrap_or(u64::MAX))
}

/// Every sheet of an .xlsx workbook, read within `limits`: the package's unpacked size
/// first, then each sheet's cells one at a time as the XML holds them, each one's place
/// checked against the used range allowed before it is stored (a value at
/// `XFD1048576` is refused without laying out the rows and columns up to it). Cells
/// holding no value (a style only) are passed over. Errors name the sheet.
fn xlsx_sheets(bytes: &[u8], limits: &SheetLimits, most: usize) -> Result<Vec<Sheet>, String> {
    const WHAT: &str = "not a readable .xlsx workbook";
    unpacked_size(bytes, limits, WHAT)?;
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| format!("{WHAT} ({e})"))?;
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(format!(
            "{WHAT}: its workbook lists no sheets (xl/workbook.xml is missing or names none); open it in Excel or WPS and save it again as .xlsx"
        ));
    }
    let mut text = 0u64;
    let mut sheets = Vec::new();
    for name in names.into_iter().take(most) {
        let at = |m: String| format!("sheet {}: {m}", short(&name));
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        {
            let mut cells = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| at(format!("cannot be read ({e})")))?;
            let mut used = UsedRange::default();
            while let Some(c) = cells
                .next_cell()
                .map_err(|e| at(format!("cannot be read ({e})")))?
            {
                let value = cell_ref_value(c.get_value());
                if value.is_blank() {
                    continue;
                }
                let (r, col) = c.get_position();
                used.add(limits, u64::from(r), u64::from(col))
                    .map_err(|e| at(e.english(limits)))?;
                if let Cell::Text(s) | Cell::Date(s) | Cell::Error(s) = &value {
                    text += s.len() as u64;
                    if text > limits.text_bytes {
                        return Err(at(Exceeded::Text.english(limits)));
                    }
                }
                let (r, col) = (r as usize, col as usize);
                if rows.len() <= r {
                    rows.resize_with(r + 1, Vec::new);
                }
                let row = &mut rows[r];
                if row.len() <= col {
                    row.resize(col + 1, Cell::Empty);
                }
                row[col] = value;
            }
        }
        let merged = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| at(format!("its merged cells cannot be read ({e})")))?;
        let mut s = Sheet {
            name: name.clone(),
            rows,
            lines: Vec::new(),
        };
        fill_merges_within(&mut s, &merged, limits).map_err(at)?;
        sheets.push(s);
    }
    Ok(sheets)
}

/// The first sheet of an .xlsx workbook (the one a form page imports), read within the
/// limits as [`read_bytes`] reads every sheet: its name and rows of cells.
pub fn xlsx_first_sheet(bytes: &[u8]) -> Result<Sheet, String> {
    let mut sheets = xlsx_sheets(bytes, &limits(), 1)?;
    Ok(sheets.swap_remove(0))
}

fn cell_ref_value(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => Cell::Date(date_time(dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn date_time(dt: &calamine::ExcelDateTime) -> String {
    match dt.as_datetime() {
        Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
        Some(t) => t.to_string(),
        None => dt.as_f64().to_string(),
    }
}

/// [`fill_merges`], when the cells it would fill stay within the limits: merged regions
/// can claim any rows (`A1:A1048576`, or the same region a million times).
fn fill_merges_within(
    s: &mut Sheet,
    merges: &[Dimensions],
    limits: &SheetLimits,
) -> Result<(), String> {
    let rows = s.rows.len() as u64;
    let mut work = 0u64;
    for m in merges {
        let (r0, r1) = (u64::from(m.start.0), u64::from(m.end.0));
        if r0 < rows && !s.cell(r0 as usize, m.start.1 as usize).is_blank() {
            work += r1.min(rows.saturating_sub(1)).saturating_sub(r0);
        }
        if work > limits.cells {
            return Err(format!(
                "its merged cells cover more than the {} cells a sheet may hold to be read: unmerge them, or split the sheet",
                limits.cells
            ));
        }
    }
    fill_merges(s, merges);
    Ok(())
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
        notes: Vec::new(),
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
    let mut s = Sheet {
        name,
        rows,
        lines: Vec::new(),
    };
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
        Data::DateTime(dt) => Cell::Date(date_time(dt)),
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
fn csv_sheet(text: &str, name: &str, limits: &SheetLimits) -> Result<Sheet, String> {
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
    let mut lines: Vec<usize> = Vec::new();
    let mut record = csv::StringRecord::new();
    // Excel shows each record as one row and each empty line as an empty row; the `csv`
    // crate skips empty lines, so the line ends between two records are counted here,
    // keeping B7 in a message the cell that Excel shows as B7.
    let mut prev_end = 0usize;
    let mut used = UsedRange::default();
    let mut counter = LineCounter::new(text);
    while let Ok(true) = rdr.read_record(&mut record) {
        let start = record.position().map_or(prev_end, |p| p.byte() as usize);
        let blank = blank_lines(text.as_bytes(), start);
        if (rows.len() + blank) as u64 >= u64::from(limits.rows) {
            let row = (rows.len() + blank) as u64;
            return Err(format!(
                "line {} of the file (row {}): {}",
                counter.line_at(start),
                row + 1,
                Exceeded::Range { row, col: 0 }.english(limits)
            ));
        }
        let line = counter.line_at(start);
        for k in 0..blank {
            rows.push(Vec::new());
            lines.push((line + k).saturating_sub(blank));
        }
        lines.push(line);
        prev_end = rdr.position().byte() as usize;
        // The record's place in the used range, before its cells are stored.
        let r = rows.len() as u64;
        let last = (0..record.len())
            .rev()
            .find(|&i| record.get(i).is_some_and(|c| !c.is_empty()))
            .unwrap_or(0);
        used.add(limits, r, last as u64).map_err(|e| {
            format!(
                "line {} of the file (row {r_shown}): {}",
                line,
                e.english(limits),
                r_shown = r + 1
            )
        })?;
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
    Ok(Sheet {
        name: name.to_string(),
        rows,
        lines,
    })
}

/// The 1-based lines of a file's bytes, asked for at positions that only move forward
/// (the records of a CSV, in order): each byte is counted once, so a file's lines are
/// found in linear time, not one count from the start per record.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Bytes counted so far, and the line ends among them.
    counted: usize,
    ends: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            counted: 0,
            ends: 0,
        }
    }

    /// The 1-based line of the file at byte `at`.
    /// (A record's position may be the `\n` ending the previous record's CRLF.)
    fn line_at(&mut self, at: usize) -> usize {
        let at = at.min(self.bytes.len());
        if at < self.counted {
            self.counted = 0;
            self.ends = 0;
        }
        self.ends += self.bytes[self.counted..at]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        self.counted = at;
        1 + self.ends + usize::from(self.bytes.get(at) == Some(&b'\n'))
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
    fn the_line_counter_gives_each_positions_line_forward_and_back() {
        let text = "a\r\nb\n\nc\"x\ny\"\nd";
        let whole = |at: usize| {
            1 + text.as_bytes()[..at]
                .iter()
                .filter(|&&c| c == b'\n')
                .count()
                + usize::from(text.as_bytes().get(at) == Some(&b'\n'))
        };
        let mut counter = LineCounter::new(text);
        let forward: Vec<usize> = (0..=text.len() + 2).map(|at| counter.line_at(at)).collect();
        let expected: Vec<usize> = (0..=text.len() + 2)
            .map(|at| whole(at.min(text.len())))
            .collect();
        assert_eq!(forward, expected);
        // The `\n` of a CRLF counts as the line it ends's next one, as a record's
        // position may point there.
        assert_eq!(counter.line_at(2), 2);
        // Asked again at an earlier place, it counts from the start.
        assert_eq!(counter.line_at(0), 1);
        assert_eq!(counter.line_at(text.len()), 6);
    }

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let s = csv_sheet(
            "标题\r\n\r\n序号,高研班名称\r\n1,\"a\nb\"\r\n2,c\r\n",
            "x",
            &wasm_forms::limits::SHEET,
        )
        .unwrap();
        assert_eq!(s.rows.len(), 5);
        assert_eq!(s.cell(0, 0), &Cell::Text("标题".into()));
        assert_eq!(s.cell(2, 1), &Cell::Text("高研班名称".into()));
        assert_eq!(s.cell(3, 1), &Cell::Text("a\nb".into()));
        // A quoted line break stays inside its row, as Excel shows it.
        assert_eq!(s.cell(4, 1), &Cell::Text("c".into()));
    }

    #[test]
    fn blank_lines_count_with_lf_line_ends_too() {
        let s = csv_sheet(
            "标题\n\n\n序号,高研班名称\n1,a\n",
            "x",
            &wasm_forms::limits::SHEET,
        )
        .unwrap();
        assert_eq!(s.cell(3, 1), &Cell::Text("高研班名称".into()));
        assert_eq!(s.cell(4, 1), &Cell::Text("a".into()));
    }

    #[test]
    fn tab_separated_text_is_read() {
        let s = csv_sheet(
            "序号\t高研班名称\t举办单位\n1\ta\tb\n",
            "x",
            &wasm_forms::limits::SHEET,
        )
        .unwrap();
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
            lines: Vec::new(),
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
