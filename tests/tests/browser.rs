//! End-to-end tests of the built site in a real headless Chromium.
//!
//! One test binary with a `mod` list (ripgrep's layout). The harness in `site_tests`
//! builds `dist/` once with the real `site-gen`, serves it on 127.0.0.1 and drives
//! Debian's Chromium through chromedriver. Missing Chromium or axe-core is a failure
//! that says to run `scripts/setup`, never a skip.

mod browser {
    pub mod a11y;
    pub mod common;
    pub mod evaluation;
    pub mod prefill;
    pub mod roster;
    pub mod smoke;
    pub mod survey;
}
