//! Import and export of responses: JSON files and CSV of the repeating tables.
//!
//! JSON export writes `{form, version, values, valid, findings, computed}`; import reads
//! such a file (or a bare `{form, version, values}` response) back and names what is
//! wrong. CSV is for the table forms (the rosters, the filing's lecturers): UTF-8 with
//! BOM, CRLF, a header row of the seed's Chinese labels in the seed's column order, and
//! cells that spreadsheets would run as formulas (`= + - @`, tab, CR) prefixed with `'`.
//! CSV import accepts Chinese labels or field ids as headers, a BOM or not, CRLF or LF,
//! strips the one added `'`, and names the row and column of every bad cell.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::fields;
use crate::finding::Finding;
use crate::schema::{Field, FieldType, FormSchema};
use crate::validate::Report;

#[derive(Serialize)]
struct Export<'a> {
    form: &'a str,
    version: u32,
    values: &'a Map<String, Value>,
    valid: bool,
    findings: &'a [Finding],
    computed: &'a Map<String, Value>,
}

/// The export file of a response (pretty JSON): form id, version, the values, whether
/// they are valid, the findings and the computed results. Works for drafts too.
pub fn export_json(schema: &FormSchema, values: &Map<String, Value>, report: &Report) -> String {
    let values = stored(values, report);
    let e = Export {
        form: &schema.id,
        version: schema.version,
        values: &values,
        valid: report.valid,
        findings: &report.findings,
        computed: &report.computed,
    };
    serde_json::to_string_pretty(&e).unwrap_or_default()
}

/// The values a file stores: each as the check normalised it (`2020/9/1` → `2020-09-01`,
/// a lower-case `x` → `X`, full-width digits; a table's rows whole), the rest as given
/// (a value that failed keeps its text, a key the form does not have stays).
pub fn stored(values: &Map<String, Value>, report: &Report) -> Map<String, Value> {
    let mut out = values.clone();
    for (k, v) in &report.values {
        out.insert(k.clone(), v.clone());
    }
    out
}

/// Keys an exported file carries besides the response; dropped on import (they are
/// recomputed by validation).
const EXPORT_ONLY: [&str; 4] = ["valid", "findings", "computed", "notes"];

/// Reads a response from JSON text (an exported file or a bare response) and returns
/// `{form, version, values}`. Errors name what is wrong (with line and column for a
/// syntax error). The values are not validated here: call [`crate::validate::validate`].
pub fn import_json(text: &str) -> Result<Value, Vec<Finding>> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(vec![Finding::error(
            "",
            "文件为空：应为导出的 JSON 文件 {\"form\": …, \"version\": …, \"values\": {…}}",
        )]);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![Finding::error(
            "",
            format!(
                "不是有效的 JSON（第 {} 行第 {} 列）：{e}；应为导出的 JSON 文件",
                e.line(),
                e.column()
            ),
        )]
    })?;
    let Value::Object(obj) = value else {
        return Err(vec![Finding::error(
            "",
            "JSON 应为对象 {\"form\": …, \"version\": …, \"values\": {…}}，不是数组或单个值",
        )]);
    };
    let mut errors = Vec::new();
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "form" | "version" | "values" | "program" | "response_id" => {
                out.insert(k, v);
            }
            k if EXPORT_ONLY.contains(&k) => {}
            _ => errors.push(Finding::error(
                k.clone(),
                format!("未知的顶层键“{k}”：导出文件只含 form、version、program、response_id、values、valid、findings、computed"),
            )),
        }
    }
    match out.get("form") {
        Some(Value::String(_)) => {}
        Some(_) => errors.push(Finding::error(
            "form",
            "form 应为表单 id 文本（如 wenzhou-survey）",
        )),
        None => errors.push(Finding::error(
            "form",
            "缺少 form（表单 id）：这不是本站导出的表单文件",
        )),
    }
    match out.get("version") {
        Some(Value::Number(n)) if n.is_u64() => {}
        Some(_) => errors.push(Finding::error("version", "version 应为正整数")),
        None => errors.push(Finding::error("version", "缺少 version（表单版本）")),
    }
    match out.get("values") {
        Some(Value::Object(_)) => {}
        Some(_) => errors.push(Finding::error(
            "values",
            "文件中填写的内容（values）格式不对：应为每一项及其所填的值",
        )),
        None => errors.push(Finding::error("values", "缺少 values（填写的内容）")),
    }
    if errors.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------
// CSV

/// True for a cell a spreadsheet would run as a formula, or one that only looks
/// guarded (`'` before such a cell), so that import's stripping of one `'` is exact.
fn needs_guard(s: &str) -> bool {
    s.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The text of one cell for a column.
fn cell_text(col: &Field, v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => match col.kind {
            FieldType::Choice => col
                .options
                .iter()
                .find(|o| &o.id == s)
                .map_or_else(|| s.clone(), |o| o.label.clone()),
            _ => s.clone(),
        },
        Some(Value::Bool(b)) => {
            crate::fields::yes_no_word(*b, col.true_label.as_deref(), col.false_label.as_deref())
                .to_string()
        }
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    }
}

/// The CSV of one table: UTF-8 BOM, CRLF, a header row of the Chinese labels in the
/// schema's column order, choices and booleans as their Chinese labels, and `'` before a
/// cell starting with `=`, `+`, `-`, `@`, tab or CR. An unknown table gives `""`.
pub fn export_csv(schema: &FormSchema, table_id: &str, rows: &[Map<String, Value>]) -> String {
    let Some(table) = schema.tables().find(|t| t.id == table_id).or_else(|| {
        schema
            .field(table_id)
            .filter(|f| f.kind == FieldType::Record)
    }) else {
        return String::new();
    };
    let mut out = String::from('\u{feff}');
    write_record(&mut out, table.columns.iter().map(|c| c.label.as_str()));
    for row in rows {
        let cells: Vec<String> = table
            .columns
            .iter()
            .map(|c| {
                let t = cell_text(c, row.get(&c.id));
                if needs_guard(&t) {
                    format!("'{t}")
                } else {
                    t
                }
            })
            .collect();
        write_record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// Appends one CSV record as the `csv` crate writes it by default: a cell holding `,`,
/// `"`, CR or LF is quoted (inner `"` doubled); a record that would be an empty line is
/// written `""`; CRLF after every record.
fn write_record<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let start = out.len();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    if out.len() == start {
        out.push_str("\"\"");
    }
    out.push_str("\r\n");
}

/// Splits CSV text into records as the `csv` crate reads it (no headers, flexible
/// lengths; cells apart by tabs when the first line has tabs and no comma): `"` opens a quoted cell at a cell's start (`""` inside is one `"`, text after
/// the closing quote is kept), CR, LF or CRLF end a record, empty lines are skipped, an
/// unterminated quote runs to the end of the text.
#[cfg(test)]
pub(crate) fn read_records(text: &str) -> Vec<Vec<String>> {
    read_records_at(text).into_iter().map(|(_, r)| r).collect()
}

/// [`read_records`] with the 1-based line of the text each record starts on (CR, LF and
/// CRLF each end a line; a quoted cell holding line breaks spans several lines), the
/// line a person finds in an editor.
pub(crate) fn read_records_at(text: &str) -> Vec<(usize, Vec<String>)> {
    #[derive(PartialEq)]
    enum St {
        StartRecord,
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    // Excel's "Unicode 文本" (UTF-16) and "文本文件（制表符分隔）" separate cells by tabs: a
    // first line with tabs and no comma is read so.
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = if first.contains('\t') && !first.contains(',') {
        '\t'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut st = St::StartRecord;
    let (mut line, mut start, mut after_cr) = (1usize, 1usize, false);
    for c in text.chars() {
        let term = c == '\r' || c == '\n';
        // The line of `c` is `line`; the next character's is one more after a line end.
        let this_line = line;
        if c == '\r' || (c == '\n' && !after_cr) {
            line += 1;
        }
        after_cr = c == '\r';
        if st == St::StartRecord {
            if term {
                continue;
            }
            st = St::StartField;
            start = this_line;
        }
        match st {
            St::InQuoted if c == '"' => st = St::QuoteInQuoted,
            St::InQuoted => field.push(c),
            St::StartField if c == '"' => st = St::InQuoted,
            St::QuoteInQuoted if c == '"' => {
                field.push('"');
                st = St::InQuoted;
            }
            _ if c == sep => {
                rec.push(std::mem::take(&mut field));
                st = St::StartField;
            }
            _ if term => {
                rec.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut rec)));
                st = St::StartRecord;
            }
            _ => {
                field.push(c);
                st = St::InField;
            }
        }
    }
    if st != St::StartRecord {
        rec.push(field);
        records.push((start, rec));
    }
    records
}

/// The text encodings a CSV arrives in from Chinese offices: what Excel and WPS save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// GBK and its superset GB18030 (Excel's "CSV" on a Chinese Windows).
    Gb18030,
}

impl TextEncoding {
    /// The WHATWG label (for `TextDecoder` and `encoding_rs::Encoding::for_label`).
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// The encoding of a label as [`Self::label`] gives it (or `gbk`, `utf-16`).
    pub fn from_label(label: &str) -> Option<Self> {
        match crate::case::to_lowercase(label.trim()).as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf-16" => Some(TextEncoding::Utf16Le),
            "utf-16be" => Some(TextEncoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" => Some(TextEncoding::Gb18030),
            _ => None,
        }
    }

    /// Guesses the encoding of a file's bytes: a byte-order mark decides; else text that
    /// is valid UTF-8 (and holds no zero byte) is UTF-8; else zero bytes on one side of
    /// at least a fifth of the 16-bit units, and none on the other, mean UTF-16LE (BE)
    /// without a mark; anything else is read as GB18030 (a superset of GBK, GB2312).
    /// [`Self::detect`] is the same rule refusing a file that mixes two encodings.
    pub fn sniff(bytes: &[u8]) -> Self {
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => return TextEncoding::Utf8,
            [0xFF, 0xFE, ..] => return TextEncoding::Utf16Le,
            [0xFE, 0xFF, ..] => return TextEncoding::Utf16Be,
            _ => {}
        }
        if std::str::from_utf8(bytes).is_ok_and(|s| !s.contains('\0')) {
            return TextEncoding::Utf8;
        }
        utf16_without_mark(bytes).unwrap_or(TextEncoding::Gb18030)
    }

    /// The encoding of a file's bytes by [`Self::sniff`]'s rule, or the place where a
    /// file that is UTF-8 for whole lines holding Chinese (or other non-ASCII) text stops
    /// being UTF-8: two encodings in one file (a UTF-8 header pasted above rows saved in
    /// GBK), which read either way would turn some lines into mojibake. (Whole lines of
    /// GBK Chinese are practically never valid UTF-8.)
    pub fn detect(bytes: &[u8]) -> Result<Self, MixedEncoding> {
        let enc = Self::sniff(bytes);
        if enc != TextEncoding::Gb18030 {
            return Ok(enc);
        }
        let Err(e) = std::str::from_utf8(bytes) else {
            return Ok(enc);
        };
        let good = &bytes[..e.valid_up_to()];
        let Some(last_line_end) = good.iter().rposition(|&b| b == b'\n') else {
            return Ok(enc);
        };
        if !good[..last_line_end].iter().any(|&b| b >= 0x80) {
            return Ok(enc);
        }
        Err(MixedEncoding {
            line: 1 + good.iter().filter(|&&b| b == b'\n').count(),
            byte: good.len() + 1,
        })
    }

    /// The note shown beside the findings when a file was not UTF-8 (nothing for UTF-8).
    pub fn note(self) -> Option<Finding> {
        let name = match self {
            TextEncoding::Utf8 => return None,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16",
            TextEncoding::Gb18030 => "GBK/GB18030",
        };
        Some(Finding::warning(
            "",
            format!("文件编码为 {name}（Excel、WPS 常用），已按该编码读取"),
        ))
    }
}

/// UTF-16 without a byte order mark: text of a table (digits, commas, line ends and
/// Chinese characters) has zero bytes on one side in at least a fifth of its 16-bit units
/// and on the other side none.
fn utf16_without_mark(bytes: &[u8]) -> Option<TextEncoding> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 5 >= units && even == 0 {
        Some(TextEncoding::Utf16Le)
    } else if even * 5 >= units && odd == 0 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// A file that is UTF-8 up to `line` and then is not ([`TextEncoding::detect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MixedEncoding {
    /// The 1-based line where the second encoding starts (lines before it are UTF-8).
    pub line: usize,
    /// The 1-based byte of the file where it starts.
    pub byte: usize,
}

impl MixedEncoding {
    /// The message shown on a form page.
    pub fn chinese(&self) -> String {
        format!(
            "文件混用了两种编码：第 1–{} 行是 UTF-8，第 {} 行（第 {} 字节）起不是（如 GBK）。按任何一种编码读取都会有几行成为乱码，请在 Excel 或 WPS 中把整个文件另存为“CSV UTF-8”或 .xlsx 后再导入",
            self.line - 1,
            self.line,
            self.byte
        )
    }
}

/// Reads a CSV into rows of the form's (first) table; see [`import_csv_table`].
pub fn import_csv(
    schema: &FormSchema,
    text: &str,
) -> Result<Vec<Map<String, Value>>, Vec<Finding>> {
    match schema.tables().next() {
        Some(t) => import_csv_table(schema, &t.id, text),
        None => Err(vec![Finding::error(
            "",
            format!("表单“{}”没有可导入 CSV 的表格", schema.title),
        )]),
    }
}

fn norm_header(s: &str) -> String {
    let s = s
        .chars()
        .filter(|c| !c.is_whitespace() && !is_stripped(*c))
        .collect::<String>();
    crate::case::to_lowercase(&s)
}

/// Reads a CSV into rows of the table `table_id`: [`read_csv_table`], its rows when the
/// file's shape has no error, else those errors.
pub fn import_csv_table(
    schema: &FormSchema,
    table_id: &str,
    text: &str,
) -> Result<Vec<Map<String, Value>>, Vec<Finding>> {
    let read = read_csv_table(schema, table_id, text);
    if read.errors.is_empty() {
        Ok(read.rows)
    } else {
        Err(read.errors)
    }
}

/// A table read from a CSV (or a sheet's cells): its rows, where each came from, the
/// characters removed and the errors of the file's shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRead {
    pub rows: Vec<Map<String, Value>>,
    /// The line of the file each row starts on, 1-based, counting the header and every
    /// line of a cell holding line breaks (for a sheet: the sheet's row), as an editor or
    /// a spreadsheet shows it. Findings of the file name these, and so do validation's
    /// when given them ([`crate::validate::validate_numbered`]).
    pub lines: Vec<usize>,
    /// Cells whose control, bidi-override or zero-width characters were removed
    /// ([`is_stripped`]), each named by its line and column: notes, never errors.
    pub notes: Vec<Finding>,
    /// What is wrong with the file's shape: a header that is not the table's, a column
    /// twice, a cell beyond the last header. The rows are read all the same, so that
    /// validation can name every other problem too.
    pub errors: Vec<Finding>,
}

/// Whether an imported cell loses `c`: C0 controls but tab and line feed, C1 controls,
/// bidi overrides, isolates and marks (which reorder what is shown), zero-width
/// characters and the byte order mark (invisible, they make equal-looking names differ).
/// The one rule of every importer (`site-gen import`, the form pages, `form validate`).
pub fn is_stripped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

/// Notes of cleaned cells kept for one file; more are counted in one last note.
const MAX_CLEAN_NOTES: usize = 20;

/// `cell` without its [`is_stripped`] characters but CR (a line break in a cell, as
/// the form keeps it), and those removed (`U+202E`, at most three), or `None` when
/// nothing was.
fn clean_cell(cell: &str) -> (String, Option<Vec<String>>) {
    let gone = |c: char| is_stripped(c) && c != '\r';
    if !cell.chars().any(gone) {
        return (cell.to_string(), None);
    }
    let mut removed: Vec<String> = Vec::new();
    let mut out = String::with_capacity(cell.len());
    for c in cell.chars() {
        if !gone(c) {
            out.push(c);
            continue;
        }
        let u = format!("U+{:04X}", u32::from(c));
        if removed.len() < 3 && !removed.contains(&u) {
            removed.push(u);
        }
    }
    (out, Some(removed))
}

/// Reads a CSV into rows of the table `table_id`. Headers may be the Chinese labels or
/// the field ids (any order, spaces ignored); a BOM and CRLF or LF line ends are
/// accepted; empty lines are skipped; the one `'` added on export is stripped. Cells are
/// typed by their column: numbers become JSON numbers, 是/否 (or the column's labels)
/// booleans, a choice's label its option id. Every row is kept: a cell its column cannot
/// read stays the text it was, for [`crate::validate::validate`] to name (as for the same
/// text typed). Only the file's shape is an error here, naming its line and column: a
/// header that is not the table's, a column twice, a cell beyond the last header.
/// "第 N 行" is the file's line N ([`TableRead::lines`]).
pub fn read_csv_table(schema: &FormSchema, table_id: &str, text: &str) -> TableRead {
    read_table(schema, table_id, text, false)
}

/// [`read_csv_table`]; with `by_record`, the N-th record is line N (a sheet's cells
/// written one record per row, empty rows too).
pub(crate) fn read_table(
    schema: &FormSchema,
    table_id: &str,
    text: &str,
    by_record: bool,
) -> TableRead {
    let mut out = TableRead::default();
    let Some(table) = schema.tables().find(|t| t.id == table_id) else {
        out.errors.push(Finding::error(
            table_id,
            format!("表单“{}”没有表格“{table_id}”", schema.title),
        ));
        return out;
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut errors = Vec::new();
    let mut records = read_records_at(text)
        .into_iter()
        .enumerate()
        .map(|(n, (line, r))| (if by_record { n + 1 } else { line }, r));

    // Header row (the first non-empty record).
    let mut header: Option<(usize, Vec<String>)> = None;
    for (line, r) in records.by_ref() {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        header = Some((line, r));
        break;
    }
    let Some((header_line, header)) = header else {
        out.errors.push(Finding::error(
            table_id,
            "CSV 为空：第一行应为表头（各列的中文名称）",
        ));
        return out;
    };
    let expected: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    let mut columns: Vec<Option<&Field>> = Vec::new();
    for (j, h) in header.iter().enumerate() {
        let key = norm_header(h);
        if key.is_empty() {
            columns.push(None);
            continue;
        }
        let col = table
            .columns
            .iter()
            .find(|c| norm_header(&c.label) == key || crate::case::to_lowercase(&c.id) == key);
        match col {
            Some(c) if columns.iter().flatten().any(|d| d.id == c.id) => {
                errors.push(Finding::error(
                    table_id,
                    format!(
                        "第 {header_line} 行第 {} 列表头“{}”重复：每列只能出现一次",
                        j + 1,
                        h
                    ),
                ));
                columns.push(None);
            }
            Some(c) => columns.push(Some(c)),
            None => {
                errors.push(Finding::error(
                    table_id,
                    format!(
                        "第 {header_line} 行第 {} 列表头“{}”不是本表的列：应为 {} 之一",
                        j + 1,
                        h,
                        expected.join("、")
                    ),
                ));
                columns.push(None);
            }
        }
    }

    let mut cleaned = 0usize;
    for (line, rec) in records {
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let i = out.rows.len();
        let mut row = Map::new();
        for (j, cell) in rec.iter().enumerate() {
            let Some(Some(col)) = columns.get(j) else {
                if !cell.trim().is_empty() && j >= columns.len() {
                    errors.push(Finding::error(
                        format!("{table_id}[{i}]"),
                        format!(
                            "第 {line} 行第 {} 列“{}”没有对应的表头：请删除多余的单元格",
                            j + 1,
                            cell
                        ),
                    ));
                }
                continue;
            };
            let (clean, removed) = clean_cell(cell);
            if let Some(removed) = removed {
                cleaned += 1;
                if cleaned <= MAX_CLEAN_NOTES {
                    out.notes.push(Finding::warning(
                        format!("{table_id}[{i}].{}", col.id),
                        format!(
                            "第 {line} 行第 {} 列（{}）含控制字符或不可见字符（{}），已删除",
                            j + 1,
                            col.label,
                            removed.join("、")
                        ),
                    ));
                }
            }
            let cell = clean.as_str();
            let cell = match cell.strip_prefix('\'') {
                Some(rest) if needs_guard(rest) => rest,
                _ => cell,
            };
            if cell.trim().is_empty() {
                continue;
            }
            row.insert(col.id.clone(), cell_value(col, cell));
        }
        out.rows.push(row);
        out.lines.push(line);
    }
    if cleaned > MAX_CLEAN_NOTES {
        out.notes.push(Finding::warning(
            table_id,
            format!(
                "另有 {} 个单元格含控制字符或不可见字符，已删除",
                cleaned - MAX_CLEAN_NOTES
            ),
        ));
    }
    out.errors = errors;
    out
}

/// The JSON value of one CSV cell for a column. A cell its column cannot read (not a
/// number, not yes or no) is kept as text: the row is imported and validation names the
/// cell, as for the same text typed. So is a cell that needed normalising (full-width
/// digits, spaces), so that validation normalises it and says so in `notes`, as for JSON.
fn cell_value(col: &Field, cell: &str) -> Value {
    let as_typed = || Value::String(cell.to_string());
    match col.kind {
        FieldType::Number | FieldType::Money => match fields::decimal(cell) {
            Ok((_, n)) if !n.notes.is_empty() => as_typed(),
            Ok((d, _)) if col.kind == FieldType::Number => crate::decimal::decimal_json(d),
            Ok((d, _)) => Value::String(d.normalize().to_string()),
            Err(_) => as_typed(),
        },
        FieldType::Bool => {
            crate::fields::yes_no(cell, col.true_label.as_deref(), col.false_label.as_deref())
                .map_or_else(as_typed, Value::Bool)
        }
        FieldType::Choice => {
            let t = cell.trim();
            Value::String(
                col.options
                    .iter()
                    .find(|o| o.label == t || o.id == t)
                    .map_or_else(|| cell.to_string(), |o| o.id.clone()),
            )
        }
        _ => as_typed(),
    }
}

/// The hand-written CSV reader and writer against the `csv` crate they replace.
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod csv_compat {
    use super::{read_records, write_record};
    use proptest::prelude::*;

    fn by_csv_crate(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    fn written_by_csv_crate(records: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn reads_like_the_csv_crate() {
        for text in [
            "",
            "a,b\r\nc,d\r\n",
            "a,b\nc,d",
            "\r\n\r\na\r\r\nb\n\n",
            "a,\"b,\"\"c\"\"\nd\",e\r\n",
            "\"ab\"cd,e\"f\n",
            "\"unterminated,x\ny",
            "a,",
            ",\n,,\n",
            "  \n\"\"\n",
            "名字,\"多\r\n行\"\r\n张三,是",
        ] {
            assert_eq!(read_records(text), by_csv_crate(text), "{text:?}");
        }
    }

    #[test]
    fn a_first_line_of_tabs_without_commas_reads_tab_separated_cells() {
        // Excel's "Unicode 文本" (UTF-16, decoded before this) and tab-delimited text.
        let by_tabs = |text: &str| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(b'\t')
                .from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect()
        };
        for text in [
            "序号\t姓名\t工作单位\r\n1\t张三\t温州大学, 机电学院\r\n",
            "\r\n序号\t姓名\n2\t\"李\t四\"\n",
        ] {
            assert_eq!(read_records(text), by_tabs(text), "{text:?}");
        }
        assert_eq!(read_records("序号\t姓名\r\n1\t张三\r\n")[1], ["1", "张三"]);
        // A comma on the first line keeps commas; a tab inside a cell stays in it.
        let text = "序号,姓名\t备注\r\n1,张三\t甲\r\n";
        assert_eq!(read_records(text), by_csv_crate(text));
    }

    #[test]
    fn writes_like_the_csv_crate() {
        let records: Vec<Vec<String>> = [
            &["a", "b,c", "d\"e"][..],
            &[""],
            &["", ""],
            &["x\ny", "z\r"],
            &["'=1", "\t职务"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let mut out = String::new();
        for r in &records {
            write_record(&mut out, r.iter().map(String::as_str));
        }
        assert_eq!(out, written_by_csv_crate(&records));
        assert_eq!(read_records(&out), records);
    }

    proptest! {
        #[test]
        fn any_text_reads_like_the_csv_crate(text in "[a,\"\r\n 中]{0,24}") {
            prop_assert_eq!(read_records(&text), by_csv_crate(&text));
        }

        #[test]
        fn any_records_write_like_the_csv_crate(
            records in prop::collection::vec(prop::collection::vec("[a,\"\r\n 中]{0,4}", 1..4), 0..4)
        ) {
            let mut out = String::new();
            for r in &records {
                write_record(&mut out, r.iter().map(String::as_str));
            }
            prop_assert_eq!(out, written_by_csv_crate(&records));
        }
    }
}
