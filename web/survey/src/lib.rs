//! `wasm_forms_survey`: the trainee's survey on a phone: the fill-in methods, the
//! hand-in code after a check, and handin-qr's `qr_svg` for the hand-in panel in the
//! same module (one copy of the standard library). No scoring.
#![cfg(target_arch = "wasm32")]

// Linked for its export `qr_svg`.
extern crate handin_qr;

use wasm_bindgen::prelude::*;

wasm_forms_web::engine!(false);
wasm_forms_web::fill_in!();

#[wasm_bindgen]
impl Engine {
    /// After a check: `{ok: true, code, json}` (the hand-in code and the export file
    /// with the envelope) for a valid response, else `{ok: false, findings}`.
    pub fn handin(&mut self, response_json: &str, today: &str) -> String {
        self.0.handin(response_json, today)
    }
}
