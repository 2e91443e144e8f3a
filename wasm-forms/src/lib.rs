//! The form engine of the training-program site.
//!
//! A pure Rust core: form schemas as data ([`schema`]), field validators ([`fields`]),
//! validation of a response ([`validate`]), scoring of the evaluation report ([`score`]),
//! aggregation of survey responses ([`aggregate`]), working days and deadlines
//! ([`calendar`], [`deadlines`]) and JSON / CSV import and export ([`io`]). Nothing here
//! touches the DOM or `JsValue`: the browser layer (`wasm`, compiled for wasm32 only) and
//! the `site-gen form …` commands are thin callers of the very same functions.

pub mod aggregate;
pub mod calendar;
pub mod case;
pub mod date;
pub mod deadlines;
pub mod fields;
pub mod finding;
pub mod handin;
pub mod io;
pub mod rules;
pub mod schema;
pub mod score;
pub mod sheet;
mod small;
mod tagged;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub use wasm::Engine;

pub use finding::{Finding, Severity};
pub use rules::NoticeRules;
