//! Integration tests of `site-gen`: fixture sites built through the library (pages
//! snapshotted by their `<main>`), invalid fixtures and their diagnostics, the command
//! line end to end (exit codes, the atomic output swap) and the real `content/`.

#[path = "site/support.rs"]
mod support;

#[path = "site/cli.rs"]
mod cli;
#[path = "site/handin_cli.rs"]
mod handin_cli;
#[path = "site/invalid.rs"]
mod invalid;
#[path = "site/pages.rs"]
mod pages;
#[path = "site/real_content.rs"]
mod real_content;
