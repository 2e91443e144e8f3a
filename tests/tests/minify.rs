//! The committed minified scripts are byte for byte what the pinned terser makes from
//! the readable ones (`scripts/minify --check`, with tests/node_modules from
//! `scripts/setup`). site-scripts' own test already fails on a copy older than its
//! source; this one also catches a copy edited by hand or made by another terser.
//! Missing Node or terser is a failure that says to run `scripts/setup`, never a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::path::Path;
use std::process::Command;

#[test]
fn the_minified_copies_are_what_the_pinned_terser_makes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace folder");
    let out = Command::new("node")
        .arg(root.join("scripts/minify"))
        .arg("--check")
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): run scripts/setup"));
    assert!(
        out.status.success(),
        "scripts/minify --check failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
