//! Every page of the built site is valid HTML: the W3C Nu HTML Checker (`vnu.jar` from
//! tests/node_modules, pinned in tests/package-lock.json, run by Debian's Java; both
//! installed by `scripts/setup`) reports no error on any `.html` file of the real
//! content's `dist/`. One JVM checks every file at once (the checker is slow to start).
//! Missing Java or vnu.jar is a failure that says to run `scripts/setup`, never a skip.
//!
//! Two kinds of message are left out, both warnings ("info") that come from checking
//! files rather than served pages: the Content-Security-Policy checks of `'self'`
//! resources (a `file:` page has no origin to match) and of data blocks
//! (`<script type="application/json">` and `text/plain` are not scripts, and no browser
//! runs them). Every other warning fails the test too, with its file and line.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use serde_json::Value;
use site_tests::{site, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every `.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The checker's messages about `files`, as its JSON output lists them.
fn vnu(files: &[PathBuf]) -> Vec<Value> {
    let jar = workspace_root().join("tests/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "{} is missing: run scripts/setup (npm ci in tests/)",
        jar.display()
    );
    let out = Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(&jar)
        .args(["--format", "json", "--exit-zero-always"])
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run java ({e}): run scripts/setup (default-jre-headless)")
        });
    assert!(
        out.status.success(),
        "java -jar vnu.jar failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // The JSON report goes to stderr.
    let report: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu.jar printed no JSON report ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("the report's `messages`")
        .clone()
}

/// Whether `m` is one of the warnings that only a `file:` page gets (see the top).
fn only_for_files(m: &Value) -> bool {
    let text = m["message"].as_str().unwrap_or("");
    m["type"] == "info"
        && (text.starts_with("Resource violates Content Security Policy")
            || text.starts_with("Inline script violates Content Security Policy")
                && m["extract"].as_str().is_some_and(|x| {
                    x.contains("type=\"application/json\"") || x.contains("type=\"text/plain\"")
                }))
}

/// CSS properties that browsers ship and the checker's CSS grammar does not know yet.
/// Form pages inline their critical CSS, so the checker now reads it.
/// `field-sizing` (CSS Basic User Interface 4, in Chromium since 123) grows a textarea
/// with its text.
const CSS_NEWER_THAN_THE_CHECKER: &[&str] = &["field-sizing"];

/// Whether `m` is the checker not knowing one of [`CSS_NEWER_THAN_THE_CHECKER`].
fn newer_css(m: &Value) -> bool {
    let text = m["message"].as_str().unwrap_or("");
    CSS_NEWER_THAN_THE_CHECKER
        .iter()
        .any(|p| text == format!("CSS: “{p}”: Property “{p}” doesn't exist."))
}

/// `file line:column: type: message`, the file relative to `dist`.
fn describe(dist: &Path, m: &Value) -> String {
    let url = m["url"].as_str().unwrap_or("?");
    let file = url
        .strip_prefix("file:")
        .map(|p| {
            let p = Path::new(p);
            p.strip_prefix(dist).unwrap_or(p).display().to_string()
        })
        .unwrap_or_else(|| url.to_string());
    let kind = match m["subType"].as_str() {
        Some(sub) => format!("{} {sub}", m["type"].as_str().unwrap_or("?")),
        None => m["type"].as_str().unwrap_or("?").to_string(),
    };
    format!(
        "{file}:{}:{}: {kind}: {}\n    {}",
        m["lastLine"],
        m["firstColumn"],
        m["message"].as_str().unwrap_or(""),
        m["extract"].as_str().unwrap_or("").replace('\n', " ")
    )
}

#[test]
fn the_nu_html_checker_finds_nothing_on_any_page_of_the_built_site() {
    let dist = site::dist().unwrap();
    let dist = dist.canonicalize().unwrap();
    let files = html_files(&dist);
    // The real content: home, notices, programs, posters, groups, forms, the
    // collection page, 404.
    for must in [
        "index.html",
        "404.html",
        "forms/index.html",
        "forms/wenzhou-survey/collect/index.html",
        "notices/wenzhou-2020/municipal-1/poster/index.html",
        "organizers/index.html",
    ] {
        assert!(
            files.contains(&dist.join(must)),
            "dist has no {must}: {files:?}"
        );
    }
    // A page with a known error, checked in the same run: the checker really reads
    // the files it is given and reports what this test looks for.
    let bad_dir = tempfile::tempdir().unwrap();
    let bad = bad_dir.path().canonicalize().unwrap().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><html lang=\"zh-CN\"><title>x</title><div aria-labelledby=\"t\"><h2 id=\"t\">t</h2></div></html>",
    )
    .unwrap();
    let mut checked = files.clone();
    checked.push(bad.clone());
    let messages = vnu(&checked);
    let bad_url = format!("file:{}", bad.display());
    let (on_bad, messages): (Vec<&Value>, Vec<&Value>) =
        messages.iter().partition(|m| m["url"] == bad_url.as_str());
    assert!(
        on_bad.iter().any(|m| m["type"] == "error"
            && m["message"]
                .as_str()
                .unwrap_or("")
                .contains("aria-labelledby")),
        "vnu.jar did not report the known error of {}: {on_bad:?}",
        bad.display()
    );
    let problems: Vec<String> = messages
        .iter()
        .filter(|m| !only_for_files(m) && !newer_css(m))
        .map(|m| describe(&dist, m))
        .collect();
    assert!(
        problems.is_empty(),
        "the Nu HTML Checker found {} problem(s) in {} pages:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}
