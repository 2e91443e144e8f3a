//! `site-gen form validate|score|aggregate`: the form engine on files, JSON to stdout.
//!
//! The very functions the browser runs (`wasm_forms::validate`, `score`, `aggregate`)
//! with the rules of the notice that attaches the form and the site's calendars.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use wasm_forms::handin::collect;
use wasm_forms::validate::{self, Context, RowNumbers};
use wasm_forms::{api, io, Finding};

use super::Failure;
use crate::content::model::{Form, Site};
use crate::content::{self};
use crate::fsx;

#[derive(Debug, Clone)]
pub struct FormArgs {
    pub content: PathBuf,
    pub form: String,
    pub files: Vec<PathBuf>,
    /// `aggregate --csv`.
    pub csv: bool,
    /// The notice whose rules apply (default: the newest notice attaching the form).
    pub notice: Option<String>,
    /// `aggregate --program`: count only this program's responses (and those naming none).
    pub program: Option<String>,
}

/// Today's date (UTC), or `SITE_GEN_TODAY=YYYY-MM-DD` for reproducible runs.
pub fn today() -> Result<NaiveDate, Failure> {
    if let Ok(s) = std::env::var("SITE_GEN_TODAY") {
        return wasm_forms::date::read(s.trim(), wasm_forms::date::Mode::Iso)
            .map(|(d, _)| d)
            .map_err(|e| {
                let fix = e.fix().map(|f| format!(": {f}")).unwrap_or_default();
                Failure::Usage(format!(
                    "SITE_GEN_TODAY={s} is not a date like 2024-07-03{fix}"
                ))
            });
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    Ok(epoch + chrono::Duration::days((secs / 86_400) as i64))
}

/// The validated site (content errors stop the command).
pub fn site(content_dir: &Path) -> Result<Site, Failure> {
    let raw = content::load(content_dir)?;
    content::validate(&raw).map_err(Failure::Content)
}

fn find_form<'a>(site: &'a Site, id: &str) -> Result<&'a Form, Failure> {
    site.forms.iter().find(|f| f.id == id).ok_or_else(|| {
        let known: Vec<&str> = site.forms.iter().map(|f| f.id.as_str()).collect();
        Failure::Usage(format!(
            "unknown form `{id}` (known forms: {})",
            known.join(", ")
        ))
    })
}

/// The validation context: the rules the chosen notice sets for the form (those of the
/// plan list the form belongs to), the calendars, today.
fn context(site: &Site, form: &str, notice: Option<&str>) -> Result<Context, Failure> {
    let rules = match notice {
        Some(slug) => site
            .notices
            .iter()
            .find(|n| n.slug == slug)
            .map(|n| n.rules_for_form(form).clone())
            .ok_or_else(|| Failure::Usage(format!("unknown notice `{slug}`")))?,
        None => site
            .notices
            .iter()
            .find(|n| n.form_ids().any(|id| id == form))
            .map(|n| n.rules_for_form(form).clone())
            .unwrap_or_default(),
    };
    Ok(Context {
        rules,
        calendar: site.calendar.clone(),
        today: today()?,
    })
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn findings_json(f: &[Finding]) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

fn to_json(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A file's text: UTF-8, or what Excel and WPS save in China (GBK/GB18030, UTF-16), by
/// the engine's one rule ([`io::TextEncoding::detect`], a file mixing two encodings
/// refused at the line where it changes); the engine's note names the encoding when it
/// was not UTF-8. Every read is bounded by [`fsx::MAX_READ`].
fn read_text(path: &Path) -> Result<(String, Option<Finding>), String> {
    let bytes = fsx::read(path).map_err(|e| e.to_string())?;
    let (text, enc) = crate::import::decode::decode(&bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((text, enc.note()))
}

/// A response read from a file (JSON, or CSV rows of the form's table) and the notes
/// of its reading, and for a table read from a CSV or a sheet, where its rows came from.
type Read = (Result<Value, Vec<Finding>>, Vec<Finding>, Option<FromFile>);

/// A table read from a file: its id, the line (sheet row) of each row, and the errors of
/// the file's shape, reported beside validation's findings (which name the same lines).
struct FromFile {
    table: String,
    lines: Vec<usize>,
    errors: Vec<Finding>,
}

/// The response of a table read from a file, and where its rows came from.
fn table_response(form: &Form, table_id: String, read: io::TableRead) -> (Value, FromFile) {
    let mut values = Map::new();
    values.insert(
        table_id.clone(),
        Value::Array(read.rows.into_iter().map(Value::Object).collect()),
    );
    let response = json!({ "form": form.id, "version": form.schema.version, "values": values });
    (
        response,
        FromFile {
            table: table_id,
            lines: read.lines,
            errors: read.errors,
        },
    )
}

fn read_response(form: &Form, path: &Path) -> Result<Read, String> {
    if is_xlsx(path) {
        return read_xlsx(form, path);
    }
    let (text, note) = read_text(path)?;
    let mut notes: Vec<Finding> = note.into_iter().collect();
    if is_csv(path) {
        let Some(table) = form.schema.tables().next() else {
            return Ok((
                Err(vec![Finding::error(
                    "",
                    format!("表单 `{}` 没有表格，只能导入 JSON", form.id),
                )]),
                notes,
                None,
            ));
        };
        let table_id = table.id.clone();
        let mut read = io::read_csv_table(&form.schema, &table_id, &text);
        notes.append(&mut read.notes);
        let (response, from) = table_response(form, table_id, read);
        Ok((Ok(response), notes, Some(from)))
    } else {
        Ok((io::import_json(&text), notes, None))
    }
}

/// A response from the first sheet of an .xlsx file (the rows of the form's table, as
/// the form page imports them): the workbook read within the spreadsheet limits, its
/// cells through the engine's `sheet::import_cells`, so each finding names the sheet's
/// row and column.
fn read_xlsx(form: &Form, path: &Path) -> Result<Read, String> {
    use crate::import::{read, Cell};
    use wasm_forms::sheet::{read_cells, SheetCell};
    let bytes = fsx::read(path).map_err(|e| e.to_string())?;
    let sheet = read::xlsx_first_sheet(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let rows: Vec<Vec<Option<SheetCell>>> = sheet
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| match c {
                    Cell::Empty => None,
                    Cell::Text(s) => Some(SheetCell::Text(s)),
                    Cell::Number(n) => Some(SheetCell::Number(n)),
                    Cell::Bool(b) => Some(SheetCell::Bool(b)),
                    Cell::Date(d) => Some(SheetCell::Date(d)),
                    Cell::Error(e) => Some(SheetCell::Error(e)),
                })
                .collect()
        })
        .collect();
    let Some(table) = form.schema.tables().next() else {
        return Ok((
            Err(vec![Finding::error(
                "",
                format!("表单 `{}` 没有表格，只能导入 JSON", form.id),
            )]),
            Vec::new(),
            None,
        ));
    };
    let table_id = table.id.clone();
    let mut read = read_cells(&form.schema, &rows);
    let notes = std::mem::take(&mut read.notes);
    let (response, from) = table_response(form, table_id, read);
    Ok((Ok(response), notes, Some(from)))
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// `form validate FORM FILE...`: 0 all valid, 1 some invalid, 2 some unreadable.
pub fn validate(args: &FormArgs) -> Result<String, Failure> {
    let site = site(&args.content)?;
    let form = find_form(&site, &args.form)?;
    let ctx = context(&site, &form.id, args.notice.as_deref())?;
    let mut out = Vec::new();
    let mut all_valid = true;
    let mut unreadable = false;
    for path in &args.files {
        // `notes` makes the engine's normalisations visible (full-width digits, a
        // lower-case x, surrounding spaces): never an error, always said.
        let (valid, findings, notes) = match read_response(form, path) {
            Err(e) => {
                unreadable = true;
                (false, vec![Finding::error("", e)], Vec::new())
            }
            Ok((Err(findings), notes, _)) => (false, findings, notes),
            Ok((Ok(response), mut notes, from)) => {
                // Rows from a file: the file's shape errors and every finding of its
                // rows, all named by the file's line (sheet row).
                let numbers = from
                    .as_ref()
                    .map_or_else(RowNumbers::default, |from| RowNumbers {
                        table: &from.table,
                        lines: &from.lines,
                    });
                let mut report =
                    validate::validate_numbered(&form.schema, &response, &ctx, numbers);
                notes.extend(report.notes);
                match from {
                    Some(mut from) => {
                        let valid = report.valid && from.errors.is_empty();
                        from.errors.append(&mut report.findings);
                        (valid, from.errors, notes)
                    }
                    None => (report.valid, report.findings, notes),
                }
            }
        };
        all_valid &= valid;
        let mut entry =
            json!({ "file": display(path), "valid": valid, "findings": findings_json(&findings) });
        if !notes.is_empty() {
            entry["notes"] = findings_json(&notes);
        }
        out.push(entry);
    }
    let text = to_json(&out);
    match (unreadable, all_valid) {
        (true, _) => Err(Failure::Reported {
            stdout: text,
            code: 2,
        }),
        (false, false) => Err(Failure::Reported {
            stdout: text,
            code: 1,
        }),
        (false, true) => Ok(text),
    }
}

/// Forms whose schema has these parts, for the usage error of a form without them.
fn forms_with(site: &Site, has: impl Fn(&Form) -> bool) -> String {
    let ids: Vec<&str> = site
        .forms
        .iter()
        .filter(|f| has(f))
        .map(|f| f.id.as_str())
        .collect();
    if ids.is_empty() {
        "none in this content".into()
    } else {
        ids.join(", ")
    }
}

/// A form with something to score: `[scoring]` indicators or an `at_least` pass mark.
fn is_scored(form: &Form) -> bool {
    form.schema.scoring.is_some()
        || form
            .schema
            .computed()
            .any(|c| c.kind == wasm_forms::schema::ComputedKind::AtLeast)
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// A survey: a section of rating questions with their levels (the matrix).
fn is_survey(form: &Form) -> bool {
    form.schema
        .sections
        .iter()
        .any(|s| !s.matrix.is_empty() && !s.fields.is_empty())
}

/// `form score FORM FILE`: the engine's `ScoreReport`, the JSON the form page's engine
/// returns for the same file (indicators, subtotals, total and the pass marks the
/// schema states); 0 scored from a valid response, 1 invalid, 2 unreadable or a form
/// with neither scoring indicators nor a pass mark.
pub fn score(args: &FormArgs) -> Result<String, Failure> {
    let site = site(&args.content)?;
    let form = find_form(&site, &args.form)?;
    if !is_scored(form) {
        return Err(Failure::Usage(format!(
            "form `{}` has no scoring indicators and no pass mark, so there is nothing to score (forms to score: {})",
            form.id,
            forms_with(&site, is_scored)
        )));
    }
    let ctx = context(&site, &form.id, args.notice.as_deref())?;
    let [path] = args.files.as_slice() else {
        return Err(Failure::Usage("form score takes exactly one file".into()));
    };
    let report = if is_csv(path) || is_xlsx(path) {
        match read_response(form, path) {
            Err(e) => return Err(Failure::Io(e)),
            Ok((Err(findings), ..)) => api::ScoreReport::failed(findings),
            Ok((Ok(_), _, Some(from))) if !from.errors.is_empty() => {
                api::ScoreReport::failed(from.errors)
            }
            Ok((Ok(response), ..)) => api::score_response(&form.schema, &response, &ctx),
        }
    } else {
        let (text, _) = read_text(path).map_err(Failure::Io)?;
        api::score_text(&form.schema, &text, &ctx)
    };
    let text = api::to_json(&report);
    if report.valid {
        Ok(text)
    } else {
        Err(Failure::Reported {
            stdout: text,
            code: 1,
        })
    }
}

/// What `form aggregate` prints: the engine's summary, then what the hand-in rules did.
#[derive(serde::Serialize)]
struct AggregateOutput {
    #[serde(flatten)]
    summary: wasm_forms::aggregate::SurveySummary,
    /// Responses seen again (same `response_id`), counted once.
    duplicates: Vec<collect::Duplicate>,
    /// Counted responses without a `response_id` (never merged).
    without_id: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    program: Option<String>,
    /// With `--program`: responses of other programs, left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    other_programs: Option<wasm_forms::map::VecMap<String, usize>>,
}

/// `form aggregate FORM FILE... [--csv] [--program P]`: 0, or 2 when a file cannot be
/// read at all (the summary of the others is still printed).
///
/// Each file is an exported JSON response or any text holding hand-in codes (a saved
/// chat log): read, validated, de-duplicated by `response_id` and summarised by the very
/// functions of the collection page (`wasm_forms::handin::collect`).
pub fn aggregate(args: &FormArgs) -> Result<String, Failure> {
    let site = site(&args.content)?;
    let form = find_form(&site, &args.form)?;
    if !is_survey(form) {
        return Err(Failure::Usage(format!(
            "form `{}` is not a survey: only survey responses are aggregated (surveys: {})",
            form.id,
            forms_with(&site, is_survey)
        )));
    }
    let ctx = context(&site, &form.id, args.notice.as_deref())?;
    let mut unreadable = false;
    let mut items = Vec::new();
    for path in &args.files {
        match fsx::read_to_string(path) {
            Ok(text) => {
                let read = collect::read(&form.schema, &ctx, &display(path), &text);
                drop(text);
                // The limit on codes holds for the whole run, not only for each file;
                // a file refused for it is not read at all (exit 2).
                let refused = matches!(read.as_slice(), [(_, Err(f))] if f.first() == Some(&collect::too_many_codes()));
                if refused || items.len() + read.len() > wasm_forms::limits::MAX_CODES {
                    unreadable = true;
                    items.push((display(path), Err(vec![collect::too_many_codes()])));
                } else {
                    items.extend(read);
                }
            }
            Err(e) => {
                unreadable = true;
                items.push((
                    display(path),
                    Err(vec![Finding::error("", format!("无法读取文件：{e}"))]),
                ));
            }
        }
    }
    let mut entries = Vec::new();
    let batch = collect::add(&mut entries, items);
    // r is scored by the form that summarises this survey (the evaluation report), the
    // one the collection page carries into.
    let summarised_by = crate::content::handin::evaluation_form(&site, form).map(|f| &f.schema);
    let collected = collect::summarize(
        &form.schema,
        &ctx,
        &entries,
        args.program.as_deref(),
        summarised_by,
    );
    let text = if args.csv {
        // The table has no place for them: the rejected files and codes go to stderr.
        for r in &batch.rejected {
            let why: Vec<String> = r
                .findings
                .iter()
                .map(|f| {
                    if f.path.is_empty() {
                        f.message.clone()
                    } else {
                        format!("{}: {}", f.path, f.message)
                    }
                })
                .collect();
            eprintln!("rejected {}: {}", r.file, why.join("; "));
        }
        collected.csv
    } else {
        let mut summary = collected.summary;
        summary.rejected = batch.rejected;
        to_json(&AggregateOutput {
            summary,
            duplicates: batch.duplicates,
            without_id: collected.without_id,
            program: collected.program,
            other_programs: args.program.as_ref().map(|_| collected.other_programs),
        })
    };
    if unreadable {
        Err(Failure::Reported {
            stdout: text,
            code: 2,
        })
    } else {
        Ok(text)
    }
}
