//! The browser binding of [`crate::handin`]: hand-in codes on the survey page, the
//! collection on the collection page and the evaluation page's survey import.
//!
//! As in [`crate::wasm`], JSON text in and out; bad codes, files and collections are
//! reports, never exceptions. The collection itself lives in the page (localStorage) as
//! the JSON of `Vec<Entry>`; every rule applied to it runs here. The collection and the
//! survey import are organizers' bindings (feature `organizer`, see [`crate::wasm`]):
//! the survey page's bundle has only [`Engine::handin`].

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

#[cfg(feature = "organizer")]
use crate::aggregate::SurveyCounts;
#[cfg(feature = "organizer")]
use crate::handin::collect::{self, Entry};
use crate::handin::{self as core};
use crate::validate;
use crate::wasm::Engine;

fn to_json(v: &Value) -> String {
    v.to_string()
}

/// `[{name, text}]` from JavaScript.
#[cfg(feature = "organizer")]
fn inputs(files: &js_sys::Array) -> Vec<(String, String)> {
    let name_key = JsValue::from_str("name");
    let text_key = JsValue::from_str("text");
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let get = |k: &JsValue| js_sys::Reflect::get(&f, k).ok().and_then(|v| v.as_string());
            (
                get(&name_key).unwrap_or_else(|| format!("第 {} 项", i + 1)),
                get(&text_key).unwrap_or_default(),
            )
        })
        .collect()
}

#[cfg(feature = "organizer")]
fn read_entries(text: &str) -> Vec<Entry> {
    serde_json::from_str(text).unwrap_or_default()
}

#[wasm_bindgen]
impl Engine {
    /// After a check: `{ok: true, code, json}` (the hand-in code and the export file with
    /// the envelope) for a valid response `{form, version, values, program?,
    /// response_id?}`, else `{ok: false, findings}`.
    pub fn handin(&mut self, response_json: &str, today: &str) -> String {
        self.set_today(today);
        let resp: Value = serde_json::from_str(response_json).unwrap_or(Value::Null);
        let report = validate::validate(&self.schema, &resp, &self.ctx);
        if !report.valid {
            return to_json(&json!({ "ok": false, "findings": report.findings }));
        }
        to_json(&json!({
            "ok": true,
            "code": core::encode(&self.schema, &resp),
            "json": core::export_json(&self.schema, &resp, &report),
        }))
    }

    /// Adds a batch (`[{name, text}]`: files, pasted text, scanned codes) to a collection
    /// (the JSON of its entries): `{entries, report}` with the new entries and what the
    /// batch did (added, duplicates, rejected). Nothing collected before changes.
    #[cfg(feature = "organizer")]
    pub fn collect_add(&mut self, entries_json: &str, files: js_sys::Array, today: &str) -> String {
        self.set_today(today);
        let mut entries = read_entries(entries_json);
        let report = collect::add_batch(&self.schema, &self.ctx, &mut entries, &inputs(&files));
        to_json(&json!({ "entries": entries, "report": report }))
    }

    /// The summary of a collection for one program (`""`: all): counted, without_id,
    /// other_programs, the engine's summary (percentages, r, score) and its CSV.
    #[cfg(feature = "organizer")]
    pub fn collect_summary(&mut self, entries_json: &str, program: &str, today: &str) -> String {
        self.set_today(today);
        let entries = read_entries(entries_json);
        let program = Some(program.trim()).filter(|p| !p.is_empty());
        let s = collect::summarize(&self.schema, &self.ctx, &entries, program, None);
        serde_json::to_string(&s).unwrap_or_else(|_| "null".into())
    }

    /// The collection as text, one hand-in code a line (read back by `collect_add`).
    #[cfg(feature = "organizer")]
    pub fn collect_export(&self, entries_json: &str) -> String {
        collect::export_codes(&self.schema, &read_entries(entries_json))
    }

    /// The evaluation page's import: adds a batch to the responses imported before (the
    /// JSON of their entries) and carries the counts into `current_counts` (the survey
    /// counts the page holds, typed-in ones included): `{entries, report, counts,
    /// without_id}`.
    #[cfg(feature = "organizer")]
    pub fn survey_import(
        &mut self,
        entries_json: &str,
        current_counts_json: &str,
        files: js_sys::Array,
        today: &str,
    ) -> String {
        self.set_today(today);
        let mut entries = read_entries(entries_json);
        let before = collect::summarize(&self.schema, &self.ctx, &entries, None, None)
            .summary
            .counts;
        let report = collect::add_batch(&self.schema, &self.ctx, &mut entries, &inputs(&files));
        let s = collect::summarize(&self.schema, &self.ctx, &entries, None, None);
        let current: SurveyCounts = serde_json::from_str(current_counts_json).unwrap_or_default();
        let counts = collect::carry_counts(&current, &before, &s.summary.counts);
        to_json(&json!({
            "entries": entries,
            "report": report,
            "counts": counts,
            "without_id": s.without_id,
        }))
    }
}
