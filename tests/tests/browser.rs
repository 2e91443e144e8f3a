//! End-to-end tests of the built site in a real headless Chromium.
//!
//! One test binary with a `mod` list (ripgrep's layout). The harness in `site_tests`
//! builds `dist/` once with the real `site-gen`, serves it on 127.0.0.1 and drives
//! Debian's Chromium through chromedriver. Missing Chromium or axe-core is a failure
//! that says to run `scripts/setup`, never a skip.
//!
//! Besides forms.md's contract (a control's `name` is its field path, a choice's `value`
//! its option id), the tests rely on these hooks of the form pages (forms.js and the
//! form templates): `[data-form-id].is-ready` once the engine is loaded; `#form` with a
//! submit button; `#error-summary` (focusable, links `a[href="#<control id>"]`);
//! `#draft-notice`; `#btn-export-json` (a real download); `#file-import-json`,
//! `#file-import-csv`, `#file-import-surveys` (`multiple`) and `#import-errors`;
//! `[data-survey-summary]` (table + svg) and `#survey-rejected`; `[data-score="<id>"]`,
//! `[data-score-total]`, `[data-score-passed]`; `#check-result`; `form-schema`,
//! `form-notices`, `form-calendar`, `form-survey-schema` data blocks (browser-bench).
//! The hand-in hooks of shared/spec/handin.md (`[data-handin-code]`, `[data-handin-qr]`,
//! `textarea[name=codes]`, `[data-action=…]`, `[data-collected-count]`) and `#handin`,
//! `#handin-program`, `[data-collect].is-ready`, `[data-batch-report]`, `[data-rejected]`.
//! Rename one there and here together.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

mod browser {
    pub mod a11y;
    pub mod budget;
    pub mod collect_import;
    pub mod common;
    pub mod early_draft;
    pub mod evaluation;
    pub mod filling;
    pub mod filter;
    pub mod handin;
    pub mod journeys_clerk;
    pub mod journeys_handin;
    pub mod journeys_roster;
    pub mod live_reload;
    pub mod meta;
    pub mod nginx;
    pub mod prefill;
    pub mod presentation;
    pub mod roster;
    pub mod roster_csv_import;
    pub mod roster_pc;
    pub mod roster_xlsx;
    pub mod roster_xlsx_limits;
    pub mod search;
    pub mod smoke;
    pub mod subpath;
    pub mod survey;
    pub mod years;
}
