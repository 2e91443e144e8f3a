//! `site-gen form validate|score|aggregate`: the form engine on files, JSON to stdout.
//!
//! The very functions the browser runs (`wasm_forms::validate`, `score`, `aggregate`)
//! with the rules of the notice that attaches the form and the site's calendars.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use wasm_forms::aggregate::{self, SurveyLayout};
use wasm_forms::validate::{self, Context};
use wasm_forms::{io, score, Finding};

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
}

/// Today's date (UTC), or `SITE_GEN_TODAY=YYYY-MM-DD` for reproducible runs.
pub fn today() -> Result<NaiveDate, Failure> {
    if let Ok(s) = std::env::var("SITE_GEN_TODAY") {
        return NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::Usage(format!("SITE_GEN_TODAY={s} is not a date like 2024-07-03"))
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

/// A file's text: UTF-8, or what Excel and WPS save in China (GBK/GB18030, UTF-16),
/// decoded with `encoding_rs`; the engine's note names the encoding when it was not
/// UTF-8. Every read is bounded by [`fsx::MAX_READ`].
fn read_text(path: &Path) -> Result<(String, Option<Finding>), String> {
    let bytes = fsx::read(path).map_err(|e| e.to_string())?;
    let enc = io::TextEncoding::sniff(&bytes);
    if enc == io::TextEncoding::Utf8 {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            return Ok((text.to_string(), None));
        }
    }
    let decoder =
        encoding_rs::Encoding::for_label(enc.label().as_bytes()).unwrap_or(encoding_rs::GB18030);
    let (text, _, had_errors) = decoder.decode(&bytes);
    if had_errors {
        return Err(format!(
            "cannot read {}: the file is not text in UTF-8, GBK/GB18030 or UTF-16 (save it from Excel or WPS as “CSV UTF-8” or export it from the form page)",
            path.display()
        ));
    }
    Ok((text.into_owned(), enc.note()))
}

/// A response read from a file (JSON, or CSV rows of the form's table) and the notes
/// of its reading.
type Read = (Result<Value, Vec<Finding>>, Vec<Finding>);

fn read_response(form: &Form, path: &Path) -> Result<Read, String> {
    let (text, note) = read_text(path)?;
    let notes: Vec<Finding> = note.into_iter().collect();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let Some(table) = form.schema.tables().next() else {
            return Ok((
                Err(vec![Finding::error(
                    "",
                    format!("表单 `{}` 没有表格，只能导入 JSON", form.id),
                )]),
                notes,
            ));
        };
        let table_id = table.id.clone();
        let response = io::import_csv(&form.schema, &text).map(|rows| {
            let mut values = Map::new();
            values.insert(
                table_id,
                Value::Array(rows.into_iter().map(Value::Object).collect()),
            );
            json!({ "form": form.id, "version": form.schema.version, "values": values })
        });
        Ok((response, notes))
    } else {
        Ok((io::import_json(&text), notes))
    }
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
            Ok((Err(findings), notes)) => (false, findings, notes),
            Ok((Ok(response), mut notes)) => {
                let report = validate::validate(&form.schema, &response, &ctx);
                notes.extend(report.notes);
                (report.valid, report.findings, notes)
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

/// A survey: a section of rating questions with their levels (the matrix).
fn is_survey(form: &Form) -> bool {
    form.schema
        .sections
        .iter()
        .any(|s| !s.matrix.is_empty() && !s.fields.is_empty())
}

/// `form score FORM FILE`: 0 scored from a valid response, 1 invalid, 2 unreadable or a
/// form without scoring indicators.
pub fn score(args: &FormArgs) -> Result<String, Failure> {
    let site = site(&args.content)?;
    let form = find_form(&site, &args.form)?;
    if form.schema.scoring.is_none() {
        return Err(Failure::Usage(format!(
            "form `{}` has no scoring indicators, so there is nothing to score (forms with scoring: {})",
            form.id,
            forms_with(&site, |f| f.schema.scoring.is_some())
        )));
    }
    let ctx = context(&site, &form.id, args.notice.as_deref())?;
    let [path] = args.files.as_slice() else {
        return Err(Failure::Usage("form score takes exactly one file".into()));
    };
    let response = match read_response(form, path).map(|(r, _)| r) {
        Err(e) => return Err(Failure::Io(e)),
        Ok(Err(findings)) => {
            let text = to_json(
                &json!({ "file": display(path), "valid": false, "findings": findings_json(&findings) }),
            );
            return Err(Failure::Reported {
                stdout: text,
                code: 1,
            });
        }
        Ok(Ok(v)) => v,
    };
    let report = validate::validate(&form.schema, &response, &ctx);
    let result = score::score(&form.schema, &report.values);
    let full = serde_json::to_value(&result).unwrap_or(Value::Null);
    let indicators: Map<String, Value> = full
        .get("indicators")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.get("score").cloned().unwrap_or(Value::Null)))
                .collect()
        })
        .unwrap_or_default();
    let reasons: Map<String, Value> = full
        .get("indicators")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.get("reason").cloned().unwrap_or(Value::Null)))
                .collect()
        })
        .unwrap_or_default();
    let mut findings = report.findings.clone();
    findings.extend(result.findings.iter().cloned());
    let valid = report.valid && wasm_forms::finding::all_valid(&result.findings);
    let text = to_json(&json!({
        "total": full.get("total").cloned().unwrap_or(Value::Null),
        "max": full.get("max").cloned().unwrap_or(Value::Null),
        "complete": result.complete,
        "sections": full.get("sections").cloned().unwrap_or(Value::Null),
        "indicators": indicators,
        "reasons": reasons,
        "valid": valid,
        "findings": findings_json(&findings),
    }));
    if valid {
        Ok(text)
    } else {
        Err(Failure::Reported {
            stdout: text,
            code: 1,
        })
    }
}

/// `form aggregate FORM FILE... [--csv]`: 0, or 2 when a file cannot be read at all
/// (the summary of the others is still printed).
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
    let inputs: Vec<(String, Result<Value, String>)> = args
        .files
        .iter()
        .map(|path| {
            let parsed = match read_response(form, path).map(|(r, _)| r) {
                Err(e) => {
                    unreadable = true;
                    Err(e)
                }
                Ok(Err(findings)) => Err(findings
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；")),
                Ok(Ok(v)) => Ok(v),
            };
            (display(path), parsed)
        })
        .collect();
    let summary = aggregate::aggregate(&form.schema, &inputs, &ctx);
    let text = if args.csv {
        // The table has no place for them: the rejected files go to stderr.
        for r in &summary.rejected {
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
        aggregate::summary_csv(&summary, &SurveyLayout::from_schema(&form.schema))
    } else {
        to_json(&summary)
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
