//! `wasm_forms_tables`: the engine of the rosters and the filing form: the fill-in
//! methods and the tables' (CSV export and import, spreadsheet cells, the CSV file's
//! encoding). No scoring; a form that needs it is refused by the constructor.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

wasm_forms_web::engine!(false);
wasm_forms_web::fill_in!();

#[wasm_bindgen]
impl Engine {
    /// CSV of one table (UTF-8 BOM, CRLF, Chinese headers, injection-safe).
    pub fn export_csv(&self, table_id: &str, rows_json: &str) -> String {
        self.0.export_csv(table_id, rows_json)
    }

    /// Reads a CSV of the form's table: `{ok: true, rows}` or `{ok: false, findings}`.
    pub fn import_csv(&self, text: &str) -> String {
        self.0.import_csv(text)
    }

    /// The encoding of a CSV file's bytes: `{label, note}` (`label` for `TextDecoder`).
    pub fn sniff_csv(&self, bytes: &[u8]) -> String {
        self.0.sniff_csv(bytes)
    }

    /// The limits of the spreadsheet reader: `{rows, columns, cells, unpacked_bytes,
    /// text_bytes}`.
    pub fn sheet_limits(&self) -> String {
        self.0.sheet_limits()
    }

    /// The message of a limit the reader met (`range` at `row`, `col`; `unpacked`; `text`).
    pub fn sheet_limit_message(&self, kind: &str, row: u32, col: u32) -> String {
        self.0.sheet_limit_message(kind, row, col)
    }

    /// A block pasted into a table from the column whose label and the following ones
    /// are `labels_json` (a JSON array): `{rows, header}`, its cells without a copied
    /// header row, and whether one was dropped.
    pub fn paste_block(&self, text: &str, labels_json: &str) -> String {
        wasm_forms::paste::pasted_block_json(text, labels_json)
    }

    /// Reads the form's table from spreadsheet cells (`[[{t, v} | null]]`, row 1 first).
    pub fn import_cells(&self, rows_json: &str) -> String {
        self.0.import_cells(rows_json)
    }
}
