//! Test harness shared by the browser tests (`tests/browser.rs`) and the `browser-bench`
//! binary: builds the site once with the real `site-gen` binary ([`site`]), serves it on
//! 127.0.0.1 with a tiny recording file server ([`server`]), and drives a headless
//! Debian Chromium through its own `chromedriver` ([`browser`]).
//!
//! Nothing here skips: when Chromium, chromedriver or axe-core is missing, the caller gets
//! an error that says to run `scripts/setup`.

pub mod browser;
pub mod server;
pub mod site;

use std::path::PathBuf;

/// The workspace root (parent of this crate).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// Boxed error used throughout the harness: every message says what failed and where.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result with the harness [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
