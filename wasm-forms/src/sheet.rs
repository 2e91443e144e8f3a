//! A table form's rows from spreadsheet cells as a reader hands them over (the browser's
//! `.xlsx` reader, typed: text, number, boolean, date, error).
//!
//! What a spreadsheet does to values is decided here, in one place for every page: an
//! `id_number` cell stored as a number is read as the spreadsheet shows it
//! (`1.10105E+17`), so that its row is imported and validation names what was lost, a
//! number in a `date` column is a serial date of the 1900 date system and becomes
//! `YYYY-MM-DD`, other numbers become their digits in full. Every row is kept; only a
//! cell holding a spreadsheet error value (`#N/A`) is an error, naming the cell (the other rows are read and validated all the same). The cells are then read exactly as a CSV of the same rows
//! ([`crate::io::import_csv_table`]), so headers, types and messages are the CSV's and
//! "第 N 行" is the sheet's row N. Title rows above the header are passed over.

use std::fmt;

use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::limits::{Exceeded, SHEET};
use crate::schema::{FieldType, FormSchema};

/// One cell as the reader saw it; `None` is an empty cell. In JSON (from the page's
/// reader) `{"t": "s" | "n" | "b" | "d" | "e", "v": …}` or `null`, read by
/// [`rows_from_json`].
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An ISO 8601 date or date-time (`t="d"` cells).
    Date(String),
    /// An error value such as `#N/A`.
    Error(String),
}

/// Why the page's cells could not be read ([`rows_from_json`]). Rows and columns are
/// counted from 1, as the sheet shows them. `Display` writes the message (in Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellsError {
    /// Not an array of rows.
    NotRows,
    /// This row is not an array of cells.
    Row(usize),
    /// The cells go beyond the limits of [`crate::limits::SHEET`].
    Exceeded(Exceeded),
    /// The cell at this row and column is neither `null` nor a known `{t, v}`.
    Cell { row: usize, col: usize },
}

impl fmt::Display for CellsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CellsError::NotRows => f.write_str("表格内容应为行的数组"),
            CellsError::Row(row) => write!(f, "第 {row} 行应为单元格的数组"),
            CellsError::Exceeded(e) => f.write_str(&e.chinese(&SHEET)),
            CellsError::Cell { row, col } => write!(f, "第 {row} 行第 {col} 列的单元格无法识别"),
        }
    }
}

impl std::error::Error for CellsError {}

/// The rows of cells in a JSON value: an array (rows) of arrays (cells). A cell that is
/// neither `null` nor a known `{t, v}` is an error naming its row and column. (Read by
/// hand rather than by a serde derive: the derive of a tagged enum adds more to the
/// browser bundle than these lines.)
pub fn rows_from_json(v: &Value) -> Result<Vec<Vec<Option<SheetCell>>>, CellsError> {
    let Some(rows) = v.as_array() else {
        return Err(CellsError::NotRows);
    };
    let limits = &SHEET;
    let mut used = crate::limits::UsedRange::default();
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let Some(cells) = row.as_array() else {
            return Err(CellsError::Row(r + 1));
        };
        // The page's reader keeps to the same limits; checked again before any cell of
        // the row is stored.
        if let Some(last) = cells.iter().rposition(|c| !c.is_null()) {
            used.add(limits, r as u64, last as u64)
                .map_err(CellsError::Exceeded)?;
        } else if r as u64 >= u64::from(limits.rows) {
            return Err(CellsError::Exceeded(Exceeded::Range {
                row: r as u64,
                col: 0,
            }));
        }
        let mut cs = Vec::with_capacity(cells.len());
        for (c, cell) in cells.iter().enumerate() {
            let bad = CellsError::Cell {
                row: r + 1,
                col: c + 1,
            };
            if cell.is_null() {
                cs.push(None);
                continue;
            }
            let t = cell.get("t").and_then(Value::as_str).ok_or(bad)?;
            let v = cell.get("v").ok_or(bad)?;
            let text = || v.as_str().map(str::to_string).ok_or(bad);
            cs.push(Some(match t {
                "s" => SheetCell::Text(text()?),
                "n" => SheetCell::Number(v.as_f64().ok_or(bad)?),
                "b" => SheetCell::Bool(v.as_bool().ok_or(bad)?),
                "d" => SheetCell::Date(text()?),
                "e" => SheetCell::Error(text()?),
                _ => return Err(bad),
            }));
        }
        out.push(cs);
    }
    Ok(out)
}

/// A number in full, as a General cell shows it (13567739185, not 1.3567739185E10).
fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        crate::small::f64_text(n)
    }
}

pub use crate::date::serial_date;

/// A number as a spreadsheet's General format shows it in a column of usual width: in
/// full up to 11 digits, beyond in scientific notation with six significant digits
/// (330302199001011234 → `3.30302E+17`), which is what a person sees and copies there.
pub fn general_text(n: f64) -> String {
    if !n.is_finite() || !(1e11..1e30).contains(&n.abs()) {
        return number_text(n);
    }
    // By hand from the integer's digits: `{:e}` would link std's float formatter into
    // the browser bundle.
    let digits = (n.abs().round() as u128).to_string();
    let mut exponent = digits.len() - 1;
    let head: u32 = digits.get(..7).and_then(|h| h.parse().ok()).unwrap_or(0);
    let mut six = (head + 5) / 10;
    if six >= 1_000_000 {
        six /= 10;
        exponent += 1;
    }
    let six = six.to_string();
    let (first, rest) = six.split_at(1);
    let rest = rest.trim_end_matches('0');
    let sign = if n < 0.0 { "-" } else { "" };
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{sign}{first}{dot}{rest}E+{exponent:02}")
}

fn norm_header(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect();
    crate::case::to_lowercase(&s)
}

fn cell_header(c: &Option<SheetCell>) -> String {
    match c {
        Some(SheetCell::Text(s)) => s.clone(),
        Some(SheetCell::Number(n)) => number_text(*n),
        _ => String::new(),
    }
}

fn needs_guard(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn csv_cell(out: &mut String, s: &str) {
    // The CSV reader strips one `'` before a guarded character (added on export); a
    // cell that really starts so keeps it.
    let s = match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => format!("'{s}"),
        _ => s.to_string(),
    };
    if s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&s);
    }
}

/// Reads the rows of the form's first table from sheet cells: [`read_cells`], its rows
/// when no cell is an error, else every error.
pub fn import_cells(
    schema: &FormSchema,
    rows: &[Vec<Option<SheetCell>>],
) -> Result<Vec<Map<String, Value>>, Vec<Finding>> {
    let read = read_cells(schema, rows);
    if read.errors.is_empty() {
        Ok(read.rows)
    } else {
        Err(read.errors)
    }
}

/// Reads the rows of the form's first table from sheet cells (`rows[0]` is the sheet's
/// row 1). The header is the first non-empty row, as in a CSV. A cell holding an error
/// value is an error naming it, and its row is still read (the cell left empty), so that
/// validation names every other problem too; [`crate::io::TableRead::lines`] are the
/// sheet's rows.
pub fn read_cells(schema: &FormSchema, rows: &[Vec<Option<SheetCell>>]) -> crate::io::TableRead {
    let Some(table) = schema.tables().next() else {
        return crate::io::TableRead {
            errors: vec![Finding::error(
                "",
                format!("表单“{}”没有可导入表格的表格", schema.title),
            )],
            ..Default::default()
        };
    };
    // The header: the first row naming at least two of the table's columns (below any
    // title rows, as the seed's 附件4 has one), else the first non-empty row.
    let names_column = |c: &Option<SheetCell>| {
        let key = norm_header(&cell_header(c));
        !key.is_empty()
            && table.columns.iter().any(|col| {
                norm_header(&col.label) == key || crate::case::to_lowercase(&col.id) == key
            })
    };
    let header_at = rows
        .iter()
        .position(|r| r.iter().filter(|c| names_column(c)).count() >= 2)
        .or_else(|| {
            rows.iter()
                .position(|r| r.iter().any(|c| !cell_header(c).trim().is_empty()))
        });
    // The column type under each header cell (by Chinese label or field id).
    let kinds: Vec<Option<(FieldType, &str)>> = header_at
        .map(|h| {
            rows[h]
                .iter()
                .map(|c| {
                    let key = norm_header(&cell_header(c));
                    table
                        .columns
                        .iter()
                        .find(|col| {
                            !key.is_empty()
                                && (norm_header(&col.label) == key
                                    || crate::case::to_lowercase(&col.id) == key)
                        })
                        .map(|col| (col.kind, col.label.as_str()))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut text = String::new();
    let mut data_index = 0usize;
    for (r, row) in rows.iter().enumerate() {
        let is_data = header_at.is_some_and(|h| r > h)
            && row.iter().any(|c| match c {
                None => false,
                Some(SheetCell::Text(s)) => !s.trim().is_empty(),
                Some(_) => true,
            });
        let mut cells = Vec::with_capacity(row.len());
        for (j, c) in row.iter().enumerate() {
            let kind = if is_data {
                kinds.get(j).copied().flatten()
            } else {
                None
            };
            let at = |label: &str, why: String| {
                let id = table
                    .columns
                    .iter()
                    .find(|col| col.label == label)
                    .map_or("", |col| col.id.as_str());
                Finding::error(
                    format!("{}[{data_index}].{id}", table.id),
                    format!("第 {} 行第 {} 列（{label}）{why}", r + 1, j + 1),
                )
            };
            let s = match (c, kind) {
                (None, _) => String::new(),
                (Some(SheetCell::Text(s)), _) => s.clone(),
                // As the spreadsheet shows it (3.30302E+17): validation names what happened
                // to it, as for the same text pasted or typed, and the row is kept.
                (Some(SheetCell::Number(n)), Some((FieldType::IdNumber, _))) => general_text(*n),
                // A serial date is a date; another number stays as it is, for
                // validation to name.
                (Some(SheetCell::Number(n)), Some((FieldType::Date, _))) => match serial_date(*n) {
                    // crate::date, not chrono's strftime formatter (7.6 KB of wasm).
                    Some(d) => crate::date::format(d),
                    None => number_text(*n),
                },
                (Some(SheetCell::Number(n)), _) => number_text(*n),
                (Some(SheetCell::Bool(b)), _) => {
                    crate::fields::yes_no_word(*b, None, None).to_string()
                }
                (Some(SheetCell::Date(d)), _) => d.get(..10).unwrap_or(d).to_string(),
                (Some(SheetCell::Error(e)), Some((_, label))) => {
                    errors.push(at(
                        label,
                        format!("是表格的错误值 {e}：请在表格中改正这个单元格后再导入"),
                    ));
                    String::new()
                }
                (Some(SheetCell::Error(_)), None) => String::new(),
            };
            cells.push(s);
        }
        if is_data {
            data_index += 1;
        }
        if cells.iter().all(String::is_empty) || header_at.is_some_and(|h| r < h) {
            text.push_str("\"\"");
        } else {
            for (j, s) in cells.iter().enumerate() {
                if j > 0 {
                    text.push(',');
                }
                csv_cell(&mut text, s);
            }
        }
        text.push_str("\r\n");
    }
    let mut read = crate::io::read_table(schema, &table.id, &text, true);
    errors.append(&mut read.errors);
    read.errors = errors;
    read
}
