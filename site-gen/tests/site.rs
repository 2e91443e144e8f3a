//! Integration tests of `site-gen`: fixture sites built through the library (pages
//! snapshotted by their `<main>`), invalid fixtures and their diagnostics, the command
//! line end to end (exit codes, the atomic output swap) and the real `content/`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

#[path = "site/support.rs"]
mod support;
#[path = "../../wasm-forms/tests/fixture/survey.rs"]
mod survey_fixture;

#[path = "site/cli.rs"]
mod cli;
#[path = "site/content_paths.rs"]
mod content_paths;
#[path = "site/deploy_files.rs"]
mod deploy_files;
#[path = "site/docx.rs"]
mod docx;
#[path = "site/form_inputs.rs"]
mod form_inputs;
#[path = "site/form_snapshots.rs"]
mod form_snapshots;
#[path = "site/handin_cli.rs"]
mod handin_cli;
#[path = "site/hardening.rs"]
mod hardening;
#[path = "site/import.rs"]
mod import;
#[path = "site/import_parts.rs"]
mod import_parts;
#[path = "site/invalid.rs"]
mod invalid;
#[path = "site/lists.rs"]
mod lists;
#[path = "site/output.rs"]
mod output;
#[path = "site/own_site.rs"]
mod own_site;
#[path = "site/pages.rs"]
mod pages;
#[path = "site/readme.rs"]
mod readme;
#[path = "site/real_content.rs"]
mod real_content;
#[path = "site/serve.rs"]
mod serve;
#[path = "site/sheet_limits.rs"]
mod sheet_limits;
