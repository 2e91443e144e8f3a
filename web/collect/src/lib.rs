//! `wasm_forms_collect`: the collection page's engine: hand-in codes, pasted text and
//! files added to the collection, its summary per program and its export as codes. No
//! scoring (r's tiers are the evaluation report's); the camera's QR reader is the
//! separate `handin_scan`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

wasm_forms_web::engine!(false);

#[wasm_bindgen]
impl Engine {
    /// Adds a batch (`[{name, text}]`: files, pasted text, scanned codes) to a
    /// collection (the JSON of its entries): `{entries, report}`. Nothing collected
    /// before changes.
    pub fn collect_add(&mut self, entries_json: &str, files: js_sys::Array, today: &str) -> String {
        let files = wasm_forms_web::uploads(&files);
        self.0.collect_add(entries_json, &files, today)
    }

    /// The schema (wire form) of the form that summarises the survey (the evaluation
    /// report): r's score in the summary comes from its tiers. Empty: none.
    pub fn set_summarised_by(&mut self, schema: &str) -> Result<(), JsError> {
        self.0
            .set_summarised_by(schema)
            .map_err(wasm_forms_web::error)
    }

    /// The summary of a collection for one program (`""`: all), with its CSV.
    pub fn collect_summary(&mut self, entries_json: &str, program: &str, today: &str) -> String {
        self.0.collect_summary(entries_json, program, today)
    }

    /// The collection as text, one hand-in code a line (read back by `collect_add`).
    pub fn collect_export(&self, entries_json: &str) -> String {
        self.0.collect_export(entries_json)
    }
}
