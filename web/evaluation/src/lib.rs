//! `wasm_forms_evaluation`: the evaluation report's engine: the fill-in methods, the
//! score report (the very bytes of `site-gen form score`), the survey summary from
//! typed-in counts and the import of survey files and hand-in codes (on the page's
//! second engine, the survey's). The one bundle with scoring.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

wasm_forms_web::engine!(true);
wasm_forms_web::fill_in!();

#[wasm_bindgen]
impl Engine {
    /// Scores a response (an exported file's text too): the `ScoreReport` as JSON.
    pub fn score_report(&mut self, response_text: &str, today: &str) -> String {
        self.0.score_report(response_text, today)
    }

    /// Percentages, `r` and its score from typed-in counts (`{forms, indicators}`).
    pub fn summary_from_counts(&self, counts_json: &str) -> String {
        self.0.summary_from_counts(counts_json)
    }

    /// Adds a batch (`[{name, text}]`) to the surveys imported before and carries the
    /// counts into `current_counts_json`: `{entries, report, counts, without_id}`.
    pub fn survey_import(
        &mut self,
        entries_json: &str,
        current_counts_json: &str,
        files: js_sys::Array,
        today: &str,
    ) -> String {
        let files = wasm_forms_web::uploads(&files);
        self.0
            .survey_import(entries_json, current_counts_json, &files, today)
    }
}
