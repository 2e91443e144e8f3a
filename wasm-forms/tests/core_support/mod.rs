//! Shared helpers of the `core_*` tests: the content folder, schemas from it, dates.
//! Each test binary adds the other helper files it uses beside this one (`#[path]`):
//! `rules.rs` (calendars and the two notices' rules), `ids.rs` (valid id numbers),
//! `report.rs` (responses and findings as text), `lookup.rs` (validating and looking
//! findings up by path).

use std::path::PathBuf;

use chrono::NaiveDate;
use wasm_forms::schema::{parse_toml, FormSchema};

pub fn content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

pub fn schema(id: &str) -> FormSchema {
    let path = content().join("forms").join(format!("{id}.toml"));
    let src = std::fs::read_to_string(&path).unwrap();
    parse_toml(&src).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
