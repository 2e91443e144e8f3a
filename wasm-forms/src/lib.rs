//! The form engine of the training-program site.
//!
//! A pure Rust core in layers, each using only the layers before it (checked by
//! `tests/layers.rs`):
//!
//! - primitives: decimals ([`decimal`]), dates ([`date`]), case mapping ([`case`]),
//!   CRC-32 ([`crc32`]), findings ([`finding`]), field validators ([`fields`]), sorted maps and sets
//!   ([`map`]), the limits of what a spreadsheet may hold ([`limits`]);
//! - the model: notice rules ([`rules`]), working days ([`calendar`]), choice options
//!   ([`choice`]), the scoring part ([`scoring`]), form schemas as data ([`schema`]) and
//!   the survey's layout and counts ([`survey`]);
//! - the schema check (`schema/check.rs`, `schema/scoring_check.rs`: typed problems of
//!   `schema/error.rs`, each at a path into the schema) and reading a schema from TOML
//!   ([`schema::parse_toml`]: each problem at its line and column, from the TOML
//!   parser's spans);
//! - the engine: survey counting ([`tally`]), scoring ([`score`]), validation of a
//!   response ([`validate`]), JSON / CSV import and export ([`io`], [`sheet`]),
//!   aggregation of survey responses ([`aggregate`]), deadlines ([`deadlines`]) and
//!   survey hand-in ([`handin`]);
//! - the API ([`api`]), the schema's wire form for the page ([`wire`]) and the form
//!   page's engine ([`page`]: what the browser bindings call).
//!
//! Nothing here touches the DOM or `JsValue`: the browser bindings (the crates under
//! `web/`, one per bundle) and the `site-gen form …` commands are thin callers of the
//! very same functions, and where both give a result ([`api`]: the score report) it is
//! one type spelled as JSON in one place, so both print the same bytes.

// Primitives: numbers, dates, text, findings.
pub mod case;
pub mod crc32;
pub mod date;
pub mod decimal;
pub mod fields;
pub mod finding;
pub mod limits;
pub mod map;
mod small;
mod tagged;
// The model: what a form, a notice's rules, a calendar, a scoring part, a survey is.
pub mod calendar;
pub mod choice;
mod rule_de;
pub mod rules;
pub mod schema;
pub mod scoring;
pub mod survey;
// The engine: counting, validating, scoring, aggregating, import and export, deadlines,
// hand-in.
pub mod aggregate;
pub mod deadlines;
pub mod handin;
pub mod io;
pub mod paste;
pub mod score;
pub mod sheet;
pub mod tally;
pub mod validate;
// The API of the command line and the wasm layer.
pub mod api;
pub mod page;
pub mod wire;

pub use finding::{Finding, Severity};
pub use rules::NoticeRules;
