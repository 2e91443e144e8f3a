//! The form page's engine: what every browser binding calls, as plain Rust.
//!
//! A [`Page`] holds one form's schema, the chosen notice's rules and the calendar, read
//! from the wire form the page embeds ([`crate::wire`], made by site-gen). Every method
//! takes text (JSON, CSV, hand-in codes) or named texts ([`Upload`]) and returns JSON
//! text. An invalid response, file or CSV is a report (data the page shows), never an
//! error; only the page's own embedded data can fail ([`Page::new`], [`Page::set_rules`]),
//! with a [`PageError`] naming which part (the binding turns it into the text of a
//! JavaScript error). Today's date comes from the caller.
//!
//! The binding crates under `web/` (one per bundle, site-gen/build.rs) are thin
//! `#[wasm_bindgen]` wrappers that each export only the methods their pages call, so
//! that a bundle links only the core code those methods reach (sizes in
//! wasm-forms/Cargo.toml). Nothing here touches `JsValue`: it is tested natively.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::aggregate::SurveyCounts;
use crate::calendar::Calendar;
use crate::finding::Finding;
use crate::handin::collect::{self, Entry};
use crate::handin::{self as core};
use crate::rules::NoticeRules;
use crate::schema::{FieldType, FormSchema};
use crate::validate::{self, Context};
use crate::wire::WireError;
use crate::{aggregate, api, io};

/// A part of the data a form page embeds for its engine, in its wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The form's schema.
    Schema,
    /// The chosen notice's rules.
    Rules,
    /// The site's calendar.
    Calendar,
    /// The schema of the form that summarises a survey ([`Page::set_summarised_by`]).
    SummarisedBy,
}

/// Why a page's engine could not take its embedded data: the only errors of a
/// [`Page`] (a user's input is a report). `Display` writes the message the binding
/// hands JavaScript, naming the part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// A part that is not its wire form.
    Wire(Part, WireError),
    /// A form that is scored or summarises a survey, given to an engine without
    /// scoring ([`needs_scoring`]).
    NeedsScoring,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let PageError::Wire(part, e) = self else {
            return f.write_str(
                "schema: 本表有评分或问卷汇总，应加载评价报告的表单引擎 \
                 wasm_forms_evaluation.js（本引擎不含评分）",
            );
        };
        f.write_str(match part {
            Part::Schema => "schema",
            Part::Rules => "notice rules",
            Part::Calendar => "calendar",
            Part::SummarisedBy => "summarising form's schema",
        })?;
        f.write_str(" (wire form): ")?;
        fmt::Display::fmt(e, f)
    }
}

impl std::error::Error for PageError {}

/// One file (or pasted text, or scanned code) of a batch as the page hands it over: its
/// name, and its text (`None` when the page could not read it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Upload {
    pub name: Option<String>,
    pub text: Option<String>,
}

/// One form's engine: its schema, the rules of the chosen notice and the calendars.
///
/// `SCORING`: whether validation computes the survey summaries and the score (the
/// evaluation report's bundle). A bundle built on `Page<false>` links no scoring at all
/// and refuses a form that needs it ([`Page::new`]).
#[derive(Debug, Clone)]
pub struct Page<const SCORING: bool = true> {
    schema: FormSchema,
    ctx: Context,
    /// The form that summarises this survey (the evaluation report), whose survey_rate
    /// tiers score r in a collection's summary ([`Page::set_summarised_by`]).
    summarised_by: Option<FormSchema>,
}

fn to_json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(internal_error)
}

/// The answer when a report cannot be written as JSON (one copy for every [`to_json`]).
fn internal_error(e: serde_json::Error) -> String {
    let f = Finding::error("", format!("内部错误：无法生成 JSON（{e}）"));
    answer([("ok", false.into()), ("findings", findings(&[f]))])
}

// The page's answers that are not one report are JSON objects made of parts: built by
// [`answer`] as a `Map` (keys in sorted order, the bytes `json!` gave). Not by `json!`:
// it converts every typed part with serde_json's `Value` serializer, which compiled
// each part type's `Serialize` impl into the bundle a second time (the reports are
// written by `to_json` too). A typed part is written by `to_json` and read back
// ([`part`]); a part that is a value already is moved in.

/// `{key: part, …}` as JSON text, the keys sorted.
fn answer<const N: usize>(parts: [(&str, Value); N]) -> String {
    let mut map = Map::new();
    for (key, value) in parts {
        map.insert(key.to_owned(), value);
    }
    to_json(&Value::Object(map))
}

/// A typed part of an answer (findings, a batch report, counts) as a JSON value: its
/// JSON text read back. These hold text, booleans and counts only.
fn part<T: Serialize + ?Sized>(v: &T) -> Value {
    serde_json::from_str(&to_json(v)).unwrap_or(Value::Null)
}

fn findings(f: &[Finding]) -> Value {
    part(f)
}

/// Table rows as a JSON array.
fn rows_value(rows: Vec<Map<String, Value>>) -> Value {
    Value::Array(rows.into_iter().map(Value::Object).collect())
}

/// A collection's entries as JSON (`[{response, source}]`): their responses moved in,
/// as the user's file held them.
fn entries_value(entries: Vec<Entry>) -> Value {
    let entries = entries.into_iter().map(|e| {
        let mut map = Map::new();
        map.insert("response".to_owned(), e.response);
        map.insert("source".to_owned(), Value::String(e.source));
        Value::Object(map)
    });
    Value::Array(entries.collect())
}

fn parse_failure(path: &str, e: impl std::fmt::Display) -> Vec<Finding> {
    vec![Finding::error(path, format!("不是有效的 JSON：{e}"))]
}

// `#[inline]` on the three readers below: so that each bundle's own crate compiles the
// postcard readers they instantiate. At opt-level "z" rustc shares generic instances
// between crates, and the instances compiled here, in an rlib, kept serde's error
// formatting and with it core::fmt's float printing linked (measured: 10 KB gzip more
// in every bundle; the schema's reader, in the generic `Page::new`, is compiled there
// anyway).

/// Reads one part of the page's data from its wire form.
#[inline]
fn read_part<T: serde::de::DeserializeOwned>(part: Part, text: &str) -> Result<T, PageError> {
    crate::wire::decode(text).map_err(|e| PageError::Wire(part, e))
}

/// A notice's rules in the wire form; empty, `null` or `{}` for none.
#[inline]
fn read_rules(text: &str) -> Result<NoticeRules, PageError> {
    let t = text.trim();
    if t.is_empty() || t == "null" || t == "{}" {
        return Ok(NoticeRules::default());
    }
    read_part(Part::Rules, t)
}

#[inline]
fn read_calendar(text: &str) -> Result<Option<Calendar>, PageError> {
    let t = text.trim();
    if t.is_empty() || t == "null" {
        return Ok(None);
    }
    read_part(Part::Calendar, t).map(Some)
}

/// A collection as the page keeps it (the JSON of its entries); anything else is empty.
///
/// Read through `Value`: a typed read would link serde's error texts, and with them
/// `core::fmt`'s float printing, for nothing but this fallback.
fn read_entries(text: &str) -> Vec<Entry> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(m) = item else {
                return None;
            };
            // Taken by a walk over the pairs: `Map::remove` would link the B-tree's
            // removal code for this alone.
            let (mut source, mut response) = (None, None);
            for (key, value) in m {
                match (key.as_str(), value) {
                    ("source", Value::String(s)) => source = Some(s),
                    ("response", v) => response = Some(v),
                    _ => {}
                }
            }
            Some(Entry {
                source: source?,
                response: response?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// Named texts for [`collect::add_batch`]: an upload without a name is `第 i 项`, one
/// whose text could not be read an empty text (rejected there as holding no code).
fn named_texts(files: &[Upload]) -> Vec<(String, String)> {
    files
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let name = u.name.clone().unwrap_or_else(|| format!("第 {} 项", i + 1));
            (name, u.text.clone().unwrap_or_default())
        })
        .collect()
}

/// Whether a form is scored or summarises a survey (`counts` fields): its page needs
/// the evaluation report's bundle, the one engine with scoring.
pub fn needs_scoring(schema: &FormSchema) -> bool {
    schema.scoring.is_some() || schema.fields().any(|f| f.kind == FieldType::Counts)
}

impl<const SCORING: bool> Page<SCORING> {
    /// The page's data in its wire form ([`crate::wire`]): `schema`, the form's
    /// `FormSchema`; `rules`, the chosen notice's `[rules]` (empty or `{}` for none);
    /// `calendar`, the site's `Calendar` (empty or `null` for none). The error names the
    /// part that cannot be read; without `SCORING`, a form that [`needs_scoring`] is
    /// refused, naming the bundle to load.
    pub fn new(schema: &str, rules: &str, calendar: &str) -> Result<Self, PageError> {
        let schema: FormSchema = read_part(Part::Schema, schema)?;
        if !SCORING && needs_scoring(&schema) {
            return Err(PageError::NeedsScoring);
        }
        let rules = read_rules(rules)?;
        let calendar = read_calendar(calendar)?;
        let today = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        Ok(Page {
            schema,
            ctx: Context {
                rules,
                calendar,
                today,
            },
            summarised_by: None,
        })
    }

    /// The schema (wire form) of the form that summarises this survey: a collection's
    /// summary then scores r by its survey_rate tiers, as `site-gen form aggregate`
    /// does. Empty: none.
    pub fn set_summarised_by(&mut self, schema: &str) -> Result<(), PageError> {
        let t = schema.trim();
        self.summarised_by = if t.is_empty() {
            None
        } else {
            Some(read_part(Part::SummarisedBy, t)?)
        };
        Ok(())
    }

    /// Validation as this page does it: with scores and survey summaries in `computed`
    /// when `SCORING`.
    fn check(&self, response: &Value) -> validate::Report {
        if SCORING {
            validate::validate(&self.schema, response, &self.ctx)
        } else {
            validate::validate_unscored(&self.schema, response, &self.ctx)
        }
    }

    /// Switches to another notice's rules (wire form, as in [`Page::new`]).
    pub fn set_rules(&mut self, rules: &str) -> Result<(), PageError> {
        self.ctx.rules = read_rules(rules)?;
        Ok(())
    }

    /// The form id of the schema.
    pub fn form_id(&self) -> String {
        self.schema.id.clone()
    }

    /// Sets today's date (`YYYY-MM-DD`, from the browser's clock); anything else keeps
    /// the date before.
    pub fn set_today(&mut self, today: &str) {
        if let Some(d) = crate::date::parse(today) {
            self.ctx.today = d;
        }
    }

    /// Validates a whole response `{form, version, values}`: the Report as JSON.
    pub fn validate(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        match serde_json::from_str::<Value>(response_json) {
            Ok(resp) => to_json(&self.check(&resp)),
            Err(e) => answer([
                ("valid", false.into()),
                ("findings", findings(&parse_failure("", e))),
                ("values", Value::Object(Map::new())),
                ("notes", Value::Array(Vec::new())),
                ("computed", Value::Object(Map::new())),
            ]),
        }
    }

    /// The export file: form id, version, values, whether valid, computed results.
    /// Works for drafts too (an invalid response is exported with `valid: false`).
    pub fn export_json(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        let resp: Value = serde_json::from_str(response_json).unwrap_or(Value::Null);
        let report = self.check(&resp);
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
            Ok(response) => answer([("ok", true.into()), ("response", response)]),
            Err(f) => answer([("ok", false.into()), ("findings", findings(&f))]),
        }
    }

    // ----- tables (rosters, filing) -----

    /// CSV of one table (UTF-8 BOM, CRLF, Chinese headers, injection-safe); `rows_json`
    /// is the JSON array of the table's rows (anything else: no rows).
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
    /// `notes` names each cell whose control or invisible characters were removed.
    pub fn import_csv(&self, text: &str) -> String {
        match self.schema.tables().next() {
            Some(t) => read_answer(io::read_csv_table(&self.schema, &t.id, text)),
            None => match io::import_csv(&self.schema, text) {
                Ok(rows) => answer([("ok", true.into()), ("rows", rows_value(rows))]),
                Err(f) => answer([("ok", false.into()), ("findings", findings(&f))]),
            },
        }
    }

    /// The encoding of a CSV file's bytes as Excel and WPS save it: `{label, note}`,
    /// `label` for `TextDecoder`, `note` (or null) to show when it is not UTF-8; or
    /// `{error}` for a file that mixes two encodings, naming the line where it changes.
    pub fn sniff_csv(&self, bytes: &[u8]) -> String {
        match io::TextEncoding::detect(bytes) {
            Ok(enc) => {
                let note = enc.note().map_or(Value::Null, |f| Value::String(f.message));
                answer([("label", enc.label().into()), ("note", note)])
            }
            Err(mixed) => answer([("error", mixed.chinese().into())]),
        }
    }

    /// The limits the page's spreadsheet reader keeps to ([`crate::limits::SHEET`]):
    /// `{rows, columns, cells, unpacked_bytes, text_bytes, file_bytes}`.
    pub fn sheet_limits(&self) -> String {
        let l = crate::limits::SHEET;
        answer([
            ("rows", l.rows.into()),
            ("columns", l.columns.into()),
            ("cells", l.cells.into()),
            ("unpacked_bytes", l.unpacked_bytes.into()),
            ("text_bytes", l.text_bytes.into()),
            ("file_bytes", crate::limits::MAX_FILE_BYTES.into()),
        ])
    }

    /// The most bytes one file given to the page may hold (the command line's limit on
    /// any file read, [`crate::limits::MAX_FILE_BYTES`]) and the message for a larger
    /// one, read before the file is: `{bytes, message}`.
    pub fn file_limit(&self) -> String {
        answer([
            ("bytes", crate::limits::MAX_FILE_BYTES.into()),
            (
                "message",
                crate::limits::text_file_too_large_chinese().into(),
            ),
        ])
    }

    /// The message of a limit the page's reader met: `kind` is `range` (a cell at the
    /// 0-based `row`, `col`), `unpacked`, `text` or `file` (larger than `file_bytes`).
    pub fn sheet_limit_message(&self, kind: &str, row: u32, col: u32) -> String {
        use crate::limits::Exceeded;
        let e = match kind {
            "range" => Exceeded::Range {
                row: row.into(),
                col: col.into(),
            },
            "text" => Exceeded::Text,
            "file" => Exceeded::File,
            _ => Exceeded::Unpacked,
        };
        e.chinese(&crate::limits::SHEET)
    }

    /// Reads the form's table from spreadsheet cells (`[[{t, v} | null]]`, row 1 first):
    /// the same answer as `import_csv`; numeric id numbers are errors, serial dates dates.
    pub fn import_cells(&self, rows_json: &str) -> String {
        let parsed = serde_json::from_str::<Value>(rows_json)
            .map_err(|e| e.to_string())
            .and_then(|v| crate::sheet::rows_from_json(&v).map_err(|e| e.to_string()));
        let rows = match parsed {
            Ok(r) => r,
            Err(e) => {
                let f = Finding::error("", format!("无法读取表格内容：{e}"));
                return answer([("ok", false.into()), ("findings", findings(&[f]))]);
            }
        };
        read_answer(crate::sheet::read_cells(&self.schema, &rows))
    }
}

/// `{ok: true, rows, notes}` of a table read from a file, or `{ok: false, findings}`.
fn read_answer(read: io::TableRead) -> String {
    if read.errors.is_empty() {
        answer([
            ("ok", true.into()),
            ("rows", rows_value(read.rows)),
            ("notes", findings(&read.notes)),
        ])
    } else {
        answer([("ok", false.into()), ("findings", findings(&read.errors))])
    }
}

/// The evaluation report's methods: scores and survey summaries.
impl Page<true> {
    /// Scores a response `{form, version, values}` (an exported file's text too): the
    /// `ScoreReport` as JSON, the very bytes `site-gen form score` prints.
    pub fn score_report(&mut self, response_text: &str, today: &str) -> String {
        self.set_today(today);
        api::to_json(&api::score_text(&self.schema, response_text, &self.ctx))
    }

    /// Percentages, `r` and its score from typed-in counts (`{forms, indicators}`).
    pub fn summary_from_counts(&self, counts_json: &str) -> String {
        match serde_json::from_str::<Value>(counts_json) {
            Ok(v) => match SurveyCounts::from_value(&v) {
                Ok(counts) => to_json(&aggregate::summary_from_counts(&self.schema, &counts)),
                Err(e) => answer([(
                    "findings",
                    findings(&[Finding::error("survey", format!("{e}"))]),
                )]),
            },
            Err(e) => answer([("findings", findings(&parse_failure("survey", e)))]),
        }
    }
}

/// The survey's hand-in and the organizers' collection (no scores: only validity counts).
impl<const SCORING: bool> Page<SCORING> {
    /// After a check: `{ok: true, code, json}` (the hand-in code and the export file with
    /// the envelope) for a valid response `{form, version, values, program?,
    /// response_id?}`, else `{ok: false, findings}`.
    pub fn handin(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        let resp: Value = serde_json::from_str(response_json).unwrap_or(Value::Null);
        let report = self.check(&resp);
        if !report.valid {
            return answer([
                ("ok", false.into()),
                ("findings", findings(&report.findings)),
            ]);
        }
        answer([
            ("ok", true.into()),
            ("code", core::encode(&self.schema, &resp).into()),
            (
                "json",
                core::export_json(&self.schema, &resp, &report).into(),
            ),
        ])
    }

    /// Adds a batch (files, pasted text, scanned codes) to a collection (the JSON of its
    /// entries): `{entries, report}` with the new entries and what the batch did (added,
    /// duplicates, rejected). Nothing collected before changes.
    pub fn collect_add(&mut self, entries_json: &str, files: &[Upload], today: &str) -> String {
        self.set_today(today);
        let mut entries = read_entries(entries_json);
        let report = collect::add_batch(&self.schema, &self.ctx, &mut entries, &named_texts(files));
        answer([
            ("entries", entries_value(entries)),
            ("report", part(&report)),
        ])
    }

    /// The summary of a collection for one program (`""`: all): counted, without_id,
    /// other_programs, the engine's summary (percentages, r, score) and its CSV.
    pub fn collect_summary(&mut self, entries_json: &str, program: &str, today: &str) -> String {
        self.set_today(today);
        let entries = read_entries(entries_json);
        let program = Some(program.trim()).filter(|p| !p.is_empty());
        let by = self.summarised_by.as_ref();
        let s = collect::summarize(&self.schema, &self.ctx, &entries, program, by);
        serde_json::to_string(&s).unwrap_or_else(|_| "null".into())
    }

    /// The collection as text, one hand-in code a line (read back by `collect_add`).
    pub fn collect_export(&self, entries_json: &str) -> String {
        collect::export_codes(&self.schema, &read_entries(entries_json))
    }

    /// The evaluation page's import: adds a batch to the responses imported before (the
    /// JSON of their entries) and carries the counts into `current_counts` (the survey
    /// counts the page holds, typed-in ones included): `{entries, report, counts,
    /// without_id}`.
    pub fn survey_import(
        &mut self,
        entries_json: &str,
        current_counts_json: &str,
        files: &[Upload],
        today: &str,
    ) -> String {
        self.set_today(today);
        let mut entries = read_entries(entries_json);
        let before = collect::summarize(&self.schema, &self.ctx, &entries, None, None)
            .summary
            .counts;
        let report = collect::add_batch(&self.schema, &self.ctx, &mut entries, &named_texts(files));
        let s = collect::summarize(&self.schema, &self.ctx, &entries, None, None);
        let current = serde_json::from_str::<Value>(current_counts_json)
            .ok()
            .and_then(|v| SurveyCounts::from_value(&v).ok())
            .unwrap_or_default();
        let counts = collect::carry_counts(&current, &before, &s.summary.counts);
        answer([
            ("entries", entries_value(entries)),
            ("report", part(&report)),
            ("counts", part(&counts)),
            ("without_id", s.without_id.into()),
        ])
    }
}
