//! The browser binding: a thin wasm-bindgen layer over the pure core.
//!
//! Every export takes JSON text (or plain strings) from JavaScript, calls the very same
//! core function the command line calls, and returns JSON text. An invalid response,
//! file or CSV is a report (data the page shows), never an exception; only data the page
//! itself embeds (schema, notice rules, calendar: in [`crate::wire`]'s form, made by
//! site-gen) can fail, through [`into_error`]. The core never sees a `JsValue`; today's
//! date comes from JavaScript.
//!
//! Four bundles are built from this layer (site-gen/build.rs): `wasm_forms`, with every
//! binding; `wasm_forms_tables`, with the tables' bindings (feature `tables`: table CSV
//! export and import, spreadsheet cells) for the rosters; `wasm_forms_fill` with
//! neither them nor the organizers' bindings (feature `organizer`: scoring, survey
//! summaries and import, the collection), for form pages that call none of them; and
//! `wasm_forms_survey`, the same with the QR maker (feature `qr`) for the trainee's
//! survey on a phone. Leaving bindings out leaves out their core code too (sizes in
//! wasm-forms/Cargo.toml).

use chrono::NaiveDate;
use serde::Serialize;
#[cfg(feature = "tables")]
use serde_json::Map;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::calendar::Calendar;
use crate::finding::Finding;
use crate::io;
use crate::rules::NoticeRules;
use crate::schema::{FieldType, FormSchema};
use crate::validate::{self, Context};
#[cfg(feature = "organizer")]
use crate::{aggregate, api};

/// The one way a binding fails: the page's own embedded data is broken.
fn into_error(what: &str, e: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("{what}: {e}"))
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| {
        json!({ "ok": false, "findings": [Finding::error("", format!("内部错误：无法生成 JSON（{e}）"))] })
            .to_string()
    })
}

fn read_calendar(text: &str) -> Result<Option<Calendar>, JsError> {
    let t = text.trim();
    if t.is_empty() || t == "null" {
        return Ok(None);
    }
    crate::wire::decode::<Calendar>(t)
        .map(Some)
        .map_err(|e| into_error("calendar (wire form)", e))
}

fn parse_failure(path: &str, e: impl std::fmt::Display) -> Vec<Finding> {
    vec![Finding::error(path, format!("不是有效的 JSON：{e}"))]
}

/// One form's engine: its schema, the rules of the chosen notice and the calendars.
#[wasm_bindgen]
pub struct Engine {
    pub(crate) schema: FormSchema,
    pub(crate) ctx: Context,
}

#[wasm_bindgen]
impl Engine {
    /// The page's data in its wire form ([`crate::wire`]): `schema`, the form's
    /// `FormSchema`; `rules`, the chosen notice's `[rules]` (empty or `{}` for none);
    /// `calendar`, the site's `Calendar` (empty or `null` for none).
    #[wasm_bindgen(constructor)]
    pub fn new(schema: &str, rules: &str, calendar: &str) -> Result<Engine, JsError> {
        let schema: FormSchema =
            crate::wire::decode(schema).map_err(|e| into_error("schema (wire form)", e))?;
        if !cfg!(feature = "organizer")
            && (schema.scoring.is_some() || schema.fields().any(|f| f.kind == FieldType::Counts))
        {
            return Err(into_error(
                "schema",
                "本表有评分或问卷汇总，应加载完整的表单引擎 wasm_forms.js（本引擎不含评分）",
            ));
        }
        let rules = read_rules(rules)?;
        let calendar = read_calendar(calendar)?;
        let today = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        Ok(Engine {
            schema,
            ctx: Context {
                rules,
                calendar,
                today,
            },
        })
    }

    /// Switches to another notice's rules (wire form, as in the constructor).
    pub fn set_rules(&mut self, rules: &str) -> Result<(), JsError> {
        self.ctx.rules = read_rules(rules)?;
        Ok(())
    }

    /// The form id of the schema.
    pub fn form_id(&self) -> String {
        self.schema.id.clone()
    }

    /// Validates a whole response `{form, version, values}`; returns the Report as JSON.
    /// `today` is `YYYY-MM-DD` from the browser's clock.
    pub fn validate(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        match serde_json::from_str::<Value>(response_json) {
            Ok(resp) => to_json(&validate::validate(&self.schema, &resp, &self.ctx)),
            Err(e) => to_json(&json!({
                "valid": false,
                "findings": parse_failure("", e),
                "values": {},
                "notes": [],
                "computed": {},
            })),
        }
    }

    /// Scores a response `{form, version, values}` (an exported file's text too): the
    /// `ScoreReport` as JSON, the very bytes `site-gen form score` prints.
    #[cfg(feature = "organizer")]
    pub fn score_report(&mut self, response_text: &str, today: &str) -> String {
        self.set_today(today);
        api::to_json(&api::score_text(&self.schema, response_text, &self.ctx))
    }

    /// Aggregates survey files: `files` is an array of `{name, text}`. Each file's text is
    /// parsed here; a file that is not JSON is listed as rejected, never stops the batch.
    #[cfg(feature = "organizer")]
    pub fn aggregate(&mut self, files: js_sys::Array, today: &str) -> String {
        self.set_today(today);
        let name_key = JsValue::from_str("name");
        let text_key = JsValue::from_str("text");
        let inputs: Vec<(String, Result<Value, String>)> = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let name = js_sys::Reflect::get(&f, &name_key)
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| format!("第 {} 个文件", i + 1));
                // Read as the command line reads a file: an exported file or a bare
                // response, through the same `io::import_json`.
                let parsed = match js_sys::Reflect::get(&f, &text_key)
                    .ok()
                    .and_then(|v| v.as_string())
                {
                    Some(text) => io::import_json(&text).map_err(|findings| {
                        findings
                            .iter()
                            .map(|f| f.message.as_str())
                            .collect::<Vec<_>>()
                            .join("；")
                    }),
                    None => Err("无法读取文件内容".to_owned()),
                };
                (name, parsed)
            })
            .collect();
        // The page's survey engine only fills counts: r is scored by the summarising
        // form's own engine (`summary_from_counts`).
        match api::aggregate(&self.schema, &inputs, &self.ctx, None) {
            Some(summary) => to_json(&summary),
            None => {
                to_json(&json!({ "findings": [Finding::error("", "本表没有评估矩阵，不能汇总")] }))
            }
        }
    }

    /// Percentages, `r` and its score from typed-in counts (`{forms, indicators}`).
    #[cfg(feature = "organizer")]
    pub fn summary_from_counts(&self, counts_json: &str) -> String {
        match serde_json::from_str(counts_json) {
            Ok(counts) => to_json(&aggregate::summary_from_counts(&self.schema, &counts)),
            Err(e) => to_json(&json!({ "findings": parse_failure("survey", e) })),
        }
    }

    /// The export file: form id, version, values, whether valid, computed results.
    /// Works for drafts too (an invalid response is exported with `valid: false`).
    pub fn export_json(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        let resp: Value = serde_json::from_str(response_json).unwrap_or(Value::Null);
        let report = validate::validate(&self.schema, &resp, &self.ctx);
        let values = resp
            .get("values")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        io::export_json(&self.schema, &values, &report)
    }

    /// Reads an imported response: `{ok: true, response}` or `{ok: false, findings}`.
    pub fn import_json(&self, text: &str) -> String {
        match io::import_json(text) {
            Ok(response) => to_json(&json!({ "ok": true, "response": response })),
            Err(findings) => to_json(&json!({ "ok": false, "findings": findings })),
        }
    }

    /// CSV of one table (UTF-8 BOM, CRLF, Chinese headers, injection-safe).
    #[cfg(feature = "tables")]
    pub fn export_csv(&self, table_id: &str, rows_json: &str) -> String {
        // Read as a Value: a typed read would link serde's error texts (and with them
        // core::fmt's float printing) for nothing but a fallback.
        let rows: Vec<Map<String, Value>> = match serde_json::from_str::<Value>(rows_json) {
            Ok(Value::Array(rows)) => rows
                .into_iter()
                .map(|r| match r {
                    Value::Object(m) => Some(m),
                    _ => None,
                })
                .collect::<Option<_>>()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        io::export_csv(&self.schema, table_id, &rows)
    }

    /// Reads a CSV of the form's table: `{ok: true, rows}` or `{ok: false, findings}`
    /// (each finding names the row and column of the bad cell).
    #[cfg(feature = "tables")]
    pub fn import_csv(&self, text: &str) -> String {
        match io::import_csv(&self.schema, text) {
            Ok(rows) => to_json(&json!({ "ok": true, "rows": rows })),
            Err(findings) => to_json(&json!({ "ok": false, "findings": findings })),
        }
    }

    /// The encoding of a CSV file's bytes as Excel and WPS save it: `{label, note}`,
    /// `label` for `TextDecoder`, `note` (or null) to show when it is not UTF-8.
    #[cfg(feature = "tables")]
    pub fn sniff_csv(&self, bytes: &[u8]) -> String {
        let enc = io::TextEncoding::sniff(bytes);
        to_json(&json!({ "label": enc.label(), "note": enc.note().map(|f| f.message) }))
    }

    /// Reads the form's table from spreadsheet cells (`[[{t, v} | null]]`, row 1 first):
    /// the same answer as `import_csv`; numeric id numbers are errors, serial dates dates.
    #[cfg(feature = "tables")]
    pub fn import_cells(&self, rows_json: &str) -> String {
        let parsed = serde_json::from_str::<Value>(rows_json)
            .map_err(|e| e.to_string())
            .and_then(|v| crate::sheet::rows_from_json(&v));
        let rows = match parsed {
            Ok(r) => r,
            Err(e) => {
                let f = crate::finding::Finding::error("", format!("无法读取表格内容：{e}"));
                return to_json(&json!({ "ok": false, "findings": [f] }));
            }
        };
        match crate::sheet::import_cells(&self.schema, &rows) {
            Ok(rows) => to_json(&json!({ "ok": true, "rows": rows })),
            Err(findings) => to_json(&json!({ "ok": false, "findings": findings })),
        }
    }
}

impl Engine {
    pub(crate) fn set_today(&mut self, today: &str) {
        if let Some(d) = crate::date::parse(today) {
            self.ctx.today = d;
        }
    }
}

/// A notice's rules in the wire form; empty, `null` or `{}` for none.
fn read_rules(text: &str) -> Result<NoticeRules, JsError> {
    let t = text.trim();
    if t.is_empty() || t == "null" || t == "{}" {
        return Ok(NoticeRules::default());
    }
    crate::wire::decode(t).map_err(|e| into_error("notice rules (wire form)", e))
}
