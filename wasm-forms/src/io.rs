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
    let e = Export {
        form: &schema.id,
        version: schema.version,
        values,
        valid: report.valid,
        findings: &report.findings,
        computed: &report.computed,
    };
    serde_json::to_string_pretty(&e).unwrap_or_default()
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
            "form" | "version" | "values" => {
                out.insert(k, v);
            }
            k if EXPORT_ONLY.contains(&k) => {}
            _ => errors.push(Finding::error(
                k.clone(),
                format!("未知的顶层键“{k}”：导出文件只含 form、version、values、valid、findings、computed"),
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
        Some(_) => errors.push(Finding::error("values", "values 应为对象（字段 id → 值）")),
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
            let label = if *b {
                &col.true_label
            } else {
                &col.false_label
            };
            label
                .clone()
                .unwrap_or_else(|| if *b { "是" } else { "否" }.to_string())
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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    let mut ok = w.write_record(&header).is_ok();
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
        ok &= w.write_record(&cells).is_ok();
    }
    let bytes = w.into_inner().unwrap_or_default();
    if !ok {
        return String::new();
    }
    let mut out = String::from('\u{feff}');
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
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
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect::<String>()
        .to_lowercase()
}

/// Reads a CSV into rows of the table `table_id`. Headers may be the Chinese labels or
/// the field ids (any order, spaces ignored); a BOM and CRLF or LF line ends are
/// accepted; empty lines are skipped; the one `'` added on export is stripped. Cells are
/// typed by their column: numbers become JSON numbers, 是/否 (or the column's labels)
/// booleans, a choice's label its option id. Every bad cell is a finding naming its row
/// and column (`trainees[3].hours`, "第 5 行第 8 列…"); validation of the values
/// themselves is [`crate::validate::validate`]'s job.
pub fn import_csv_table(
    schema: &FormSchema,
    table_id: &str,
    text: &str,
) -> Result<Vec<Map<String, Value>>, Vec<Finding>> {
    let Some(table) = schema.tables().find(|t| t.id == table_id) else {
        return Err(vec![Finding::error(
            table_id,
            format!("表单“{}”没有表格“{table_id}”", schema.title),
        )]);
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut records = reader.records();

    // Header row (the first non-empty record).
    let mut header: Option<(usize, csv::StringRecord)> = None;
    for (n, rec) in records.by_ref().enumerate() {
        match rec {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(r) => {
                header = Some((n + 1, r));
                break;
            }
            Err(e) => {
                return Err(vec![Finding::error(
                    table_id,
                    format!("第 {} 行无法读取：{e}", n + 1),
                )])
            }
        }
    }
    let Some((header_line, header)) = header else {
        return Err(vec![Finding::error(
            table_id,
            "CSV 为空：第一行应为表头（中文列名或字段 id）",
        )]);
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
            .find(|c| norm_header(&c.label) == key || c.id.to_lowercase() == key);
        match col {
            Some(c) if columns.iter().flatten().any(|d| d.id == c.id) => {
                errors.push(Finding::error(
                    table_id,
                    format!(
                        "第 {header_line} 行第 {} 列表头“{h}”重复：每列只能出现一次",
                        j + 1
                    ),
                ));
                columns.push(None);
            }
            Some(c) => columns.push(Some(c)),
            None => {
                errors.push(Finding::error(
                    table_id,
                    format!(
                        "第 {header_line} 行第 {} 列表头“{h}”不是本表的列：应为 {} 或对应的字段 id",
                        j + 1,
                        expected.join("、")
                    ),
                ));
                columns.push(None);
            }
        }
    }

    let mut rows = Vec::new();
    for (n, rec) in records.enumerate() {
        let line = header_line + n + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(Finding::error(
                    table_id,
                    format!("第 {line} 行无法读取：{e}"),
                ));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let i = rows.len();
        let mut row = Map::new();
        for (j, cell) in rec.iter().enumerate() {
            let Some(Some(col)) = columns.get(j) else {
                if !cell.trim().is_empty() && j >= columns.len() {
                    errors.push(Finding::error(
                        format!("{table_id}[{i}]"),
                        format!(
                            "第 {line} 行第 {} 列“{cell}”没有对应的表头：请删除多余的单元格",
                            j + 1
                        ),
                    ));
                }
                continue;
            };
            let cell = match cell.strip_prefix('\'') {
                Some(rest) if needs_guard(rest) => rest,
                _ => cell,
            };
            if cell.trim().is_empty() {
                continue;
            }
            match cell_value(col, cell) {
                Ok(v) => {
                    row.insert(col.id.clone(), v);
                }
                Err(why) => errors.push(Finding::error(
                    format!("{table_id}[{i}].{}", col.id),
                    format!("第 {line} 行第 {} 列（{}）“{cell}”{why}", j + 1, col.label),
                )),
            }
        }
        rows.push(row);
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The JSON value of one CSV cell for a column.
fn cell_value(col: &Field, cell: &str) -> Result<Value, String> {
    match col.kind {
        FieldType::Number => match fields::decimal(cell) {
            Ok((d, _)) => Ok(crate::validate::decimal_json(d)),
            Err(_) => Err("不是数字：应填写数字（如 2.5）".to_string()),
        },
        FieldType::Money => match fields::decimal(cell) {
            Ok((d, _)) => Ok(Value::String(d.normalize().to_string())),
            Err(_) => Err("不是金额：应填写以万元计的数字（如 2.5）".to_string()),
        },
        FieldType::Bool => {
            let t = cell.trim();
            let yes = ["是", "有", "true", "TRUE", "True", "1", "√", "✓"].contains(&t)
                || col.true_label.as_deref() == Some(t);
            let no = ["否", "无", "false", "FALSE", "False", "0"].contains(&t)
                || col.false_label.as_deref() == Some(t);
            if yes != no {
                Ok(Value::Bool(yes))
            } else {
                Err(format!(
                    "不是是/否：应填写“{}”或“{}”",
                    col.true_label.as_deref().unwrap_or("是"),
                    col.false_label.as_deref().unwrap_or("否")
                ))
            }
        }
        FieldType::Choice => {
            let t = cell.trim();
            Ok(Value::String(
                col.options
                    .iter()
                    .find(|o| o.label == t || o.id == t)
                    .map_or_else(|| cell.to_string(), |o| o.id.clone()),
            ))
        }
        _ => Ok(Value::String(cell.to_string())),
    }
}
