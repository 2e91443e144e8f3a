//! axe-core finds no violation on any page of the built site (every page of sitemap.xml,
//! every form page before and after a failed submit, and 404.html) in normal mode and in
//! the reading modes of the header's switch (larger text, higher contrast), and no page
//! loads anything from outside 127.0.0.1.

use super::common::*;
use serde_json::Value;
use site_tests::browser::{Browser, Options};
use site_tests::{site, workspace_root};

/// Site paths listed in dist/sitemap.xml (the base URL's origin stripped).
pub fn sitemap_paths() -> Vec<String> {
    let dist = site::dist().or_fail();
    let path = dist.join("sitemap.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for chunk in xml.split("<loc>").skip(1) {
        let url = chunk.split("</loc>").next().unwrap_or("").trim();
        let url = url.replace("&amp;", "&");
        // https://host/path -> /path
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or_else(|| "/".into());
        if !out.contains(&path) {
            out.push(path);
        }
    }
    assert!(!out.is_empty(), "sitemap.xml lists no page");
    out
}

/// Form ids from content/forms/*.toml.
pub fn form_ids() -> Vec<String> {
    let dir = workspace_root().join("content/forms");
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "toml").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    ids.sort();
    ids
}

fn describe(page: &str, violations: &[Value]) -> String {
    let mut s = String::new();
    for v in violations {
        s.push_str(&format!(
            "{page}: [{}] {} ({})\n",
            v["impact"].as_str().unwrap_or("?"),
            v["id"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or("")
        ));
        for n in v["nodes"].as_array().into_iter().flatten() {
            s.push_str(&format!("    {}\n", n.as_str().unwrap_or("")));
        }
    }
    s
}

async fn check_page(b: &Browser, page: &str, failures: &mut String) {
    let violations = b.axe_violations().await.or_fail();
    failures.push_str(&describe(page, &violations));
    let foreign = b.foreign_requests().await.or_fail();
    if !foreign.is_empty() {
        failures.push_str(&format!("{page}: requests left 127.0.0.1: {foreign:?}\n"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_content_pages() {
    let mut pages: Vec<String> = sitemap_paths()
        .into_iter()
        .filter(|p| !p.starts_with("/forms/"))
        .collect();
    pages.push("/404.html".into());
    pages.push("/does-not-exist/".into());
    let b = open(Options::default()).await;
    let mut failures = String::new();
    for page in &pages {
        b.goto(page).await.or_fail();
        check_page(&b, page, &mut failures).await;
    }
    b.finish().await.or_fail();
    assert!(failures.is_empty(), "on {} pages:\n{failures}", pages.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_form_pages() {
    let mut pages: Vec<String> = form_ids()
        .iter()
        .map(|id| format!("/forms/{id}/"))
        .collect();
    for p in sitemap_paths() {
        if p.starts_with("/forms/") && !pages.contains(&p) {
            pages.push(p);
        }
    }
    assert!(pages.len() >= 9, "the eight forms and the index: {pages:?}");
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    let mut failures = String::new();
    for page in &pages {
        b.goto(page).await.or_fail();
        let is_form = b
            .js("return !!document.querySelector('[data-form-id]');", vec![])
            .await
            .or_fail()
            == Value::Bool(true);
        if !is_form {
            check_page(&b, page, &mut failures).await;
            continue;
        }
        wait_ready(&b).await;
        check_page(&b, page, &mut failures).await;
        // The error state: submit the empty form, then check again.
        submit(&b).await;
        wait(&b, "document.getElementById('check-result') === null || document.getElementById('check-result').textContent !== ''", "the result of the check").await;
        check_page(&b, &format!("{page} (after submit)"), &mut failures).await;
    }
    b.finish().await.or_fail();
    assert!(failures.is_empty(), "on {} pages:\n{failures}", pages.len());
}

/// Guards the two checks above: axe-core, as injected here, does report a violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_reports_an_unlabelled_input() {
    let b = open(Options::default()).await;
    b.client
        .goto("data:text/html;charset=utf-8,<!doctype html><html lang=en><title>t</title><main><input type=text></main></html>")
        .await
        .unwrap_or_else(|e| panic!("cannot open the data URL: {e}"));
    let violations = b.axe_violations().await.or_fail();
    let ids: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
    assert!(ids.contains(&"label"), "axe found {ids:?}");
    b.finish().await.or_fail();
}

/// Every page (forms included) in the reading modes of the header's switch: larger text on
/// a 360 px phone, then larger text with higher contrast on a 1280 px PC.
async fn axe_in_mode(options: Options, large: bool, high_contrast: bool) {
    let mut pages = sitemap_paths();
    pages.push("/404.html".into());
    let b = open(options).await;
    b.goto("/404.html").await.or_fail();
    b.js(
        "const [large, high] = arguments;
         if (large) localStorage.setItem('site-pref-text', 'large');
         if (high) localStorage.setItem('site-pref-contrast', 'high');",
        vec![Value::Bool(large), Value::Bool(high_contrast)],
    )
    .await
    .or_fail();
    let mut failures = String::new();
    for page in &pages {
        b.goto(page).await.or_fail();
        let state = b
            .js(
                "return [document.documentElement.getAttribute('data-text'), document.documentElement.getAttribute('data-contrast'), !!document.querySelector('[data-form-id]')];",
                vec![],
            )
            .await
            .or_fail();
        assert_eq!(
            (
                state[0].as_str() == Some("large"),
                state[1].as_str() == Some("high")
            ),
            (large, high_contrast),
            "{page} opens in the chosen mode"
        );
        if state[2] == Value::Bool(true) {
            wait_ready(&b).await;
        }
        check_page(&b, page, &mut failures).await;
    }
    b.finish().await.or_fail();
    assert!(failures.is_empty(), "on {} pages:\n{failures}", pages.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_in_large_text_mode_on_a_phone() {
    axe_in_mode(
        Options {
            mobile_width: Some(360),
        },
        true,
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_in_large_text_and_high_contrast_modes_on_a_pc() {
    axe_in_mode(Options::default(), true, true).await;
}

/// Higher contrast keeps every text at 7:1 or more (axe's WCAG AAA rule), on one page of
/// each kind and every form page, at both widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn high_contrast_mode_reaches_7_to_1() {
    let mut pages: Vec<String> = sitemap_paths()
        .into_iter()
        .filter(|p| !p.contains("/notices/") || p.matches('/').count() <= 3)
        .collect();
    pages.push("/404.html".into());
    let mut failures = String::new();
    for options in [
        Options {
            mobile_width: Some(360),
        },
        Options::default(),
    ] {
        let b = open(options).await;
        b.goto("/404.html").await.or_fail();
        b.js(
            "localStorage.setItem('site-pref-contrast', 'high');",
            vec![],
        )
        .await
        .or_fail();
        for page in &pages {
            b.goto(page).await.or_fail();
            if b.js("return !!document.querySelector('[data-form-id]');", vec![])
                .await
                .or_fail()
                == Value::Bool(true)
            {
                wait_ready(&b).await;
            }
            let v = b
                .axe_violations_with(serde_json::json!({
                    "runOnly": ["color-contrast-enhanced"],
                    "resultTypes": ["violations"],
                }))
                .await
                .or_fail();
            failures.push_str(&describe(page, &v));
        }
        b.finish().await.or_fail();
    }
    assert!(
        failures.is_empty(),
        "under 7:1 in high contrast:\n{failures}"
    );
}
