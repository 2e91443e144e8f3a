//! The bundle budget: every form page and collection page of the built site loads at
//! most 150 KB of JavaScript and WebAssembly, gzip -9, counted as the quick start builds
//! them (no wasm-opt). KB here are of 1,024 bytes, as `browser-bench` and the issues have
//! always counted this budget (153,600 bytes).
//!
//! What a page loads is what Chromium fetched: every script and wasm file among the
//! page's resource entries once its engine is ready (and, for the survey, once a check
//! has shown the hand-in QR code). Each file is weighed from `dist/`; a wasm file is
//! replaced by the quick start's copy of the same bundle, which `site-gen/build.rs`
//! keeps before the test set-up's wasm-opt shrinks the one it embeds. The QR reader of
//! the collection page (loaded only on 扫码) is not part of the page's load.

use super::common::{open, OrFail};
use flate2::{write::GzEncoder, Compression};
use site_tests::browser::Options;
use site_tests::site;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// 150 KB gzip per page, KB of 1,024 bytes.
const BUDGET: usize = 150 * 1024;

/// Every script and wasm URL the page has fetched (or holds as a `<script src>`).
const LOADED: &str = r#"
const urls = performance.getEntriesByType('resource').map((e) => e.name)
  .concat(Array.from(document.scripts).map((s) => s.src).filter(Boolean))
  .filter((u) => /\.(m?js|wasm)(\?|#|$)/.test(u))
  .map((u) => new URL(u).pathname);
return [...new Set(urls)].sort();
"#;

/// How many times the page fetched each script whose name is `draft.js` (hashed or not):
/// the page carries it inline and forms.js takes its helpers from that copy.
const DRAFT_FETCHES: &str = r#"
return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
  .filter((p) => /\/draft(\.[0-9a-f]+)?(\.min)?\.js$/.test(p));
"#;

/// Answers the first level of every rating and presses 检查, as a trainee would.
const CHECK: &str = r#"
const form = document.getElementById('form');
const seen = new Set();
for (const r of form.querySelectorAll('input[type=radio]')) {
  if (seen.has(r.name)) continue;
  seen.add(r.name);
  r.checked = true;
  r.dispatchEvent(new Event('change', { bubbles: true }));
}
form.requestSubmit(document.getElementById('btn-check'));
return seen.size;
"#;

fn gzip9(bytes: &[u8]) -> usize {
    let mut z = GzEncoder::new(Vec::new(), Compression::best());
    z.write_all(bytes).expect("gzip into memory");
    z.finish().expect("gzip into memory").len()
}

/// The form pages of the built site (`[data-form-id]`) and collection pages
/// (`[data-collect]`), as URL paths.
fn form_pages(dist: &Path) -> Vec<String> {
    fn walk(dir: &Path, dist: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read dist") {
            let p = e.expect("dist entry").path();
            if p.is_dir() {
                walk(&p, dist, out);
            } else if p.file_name().is_some_and(|n| n == "index.html") {
                let html = std::fs::read_to_string(&p).expect("read page");
                if html.contains("data-form-id=") || html.contains("data-collect") {
                    let rel = p.parent().unwrap().strip_prefix(dist).unwrap();
                    out.push(format!("/{}/", rel.to_str().unwrap()).replace("//", "/"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&dist.join("forms"), dist, &mut out);
    out.sort();
    out
}

/// The bundle folders of the `site-gen` build scripts of this test's profile
/// (`<target>/<profile>/build/site-gen-*/out/bundle`).
fn bundle_dirs() -> Vec<PathBuf> {
    let exe = std::env::current_exe().expect("test executable");
    let mut dir = exe.parent().unwrap().to_path_buf();
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().unwrap().to_path_buf();
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir.join("build"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = e.file_name();
        let bundle = e.path().join("out/bundle");
        if name.to_string_lossy().starts_with("site-gen-") && bundle.join("quick-start").is_dir() {
            out.push(bundle);
        }
    }
    out
}

/// The quick start's bytes of the wasm file `served`: the copy kept before wasm-opt of
/// the bundle whose embedded file has the same bytes.
fn quick_start_wasm(served: &[u8], url: &str, dirs: &[PathBuf]) -> Vec<u8> {
    for dir in dirs {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm")
                && std::fs::read(&p).is_ok_and(|b| b == served)
            {
                let quick = dir.join("quick-start").join(e.file_name());
                return std::fs::read(&quick).unwrap_or_else(|e| {
                    panic!("{}: {e} (the quick start's copy of {url})", quick.display())
                });
            }
        }
    }
    panic!(
        "{url}: no bundle of site-gen's build script has these bytes (looked in {dirs:?}); \
         the budget is weighed on the quick start's copy kept by site-gen/build.rs"
    );
}

/// `(total gzip bytes, one line per file)` of the files at `urls` in `dist`.
fn weigh(dist: &Path, urls: &[String], dirs: &[PathBuf]) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut lines = Vec::new();
    for url in urls {
        let path = dist.join(url.trim_start_matches('/'));
        let served =
            std::fs::read(&path).unwrap_or_else(|e| panic!("{url}: {e} ({})", path.display()));
        let bytes = if url.ends_with(".wasm") {
            quick_start_wasm(&served, url, dirs)
        } else {
            served
        };
        let gz = gzip9(&bytes);
        total += gz;
        lines.push(format!("  {url}: {} bytes, {gz} gzip", bytes.len()));
    }
    (total, lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_page_loads_at_most_150_kb_gzip_of_js_and_wasm() {
    let dist = site::dist().or_fail();
    let pages = form_pages(&dist);
    assert!(
        pages.len() >= 9 && pages.iter().any(|p| p.ends_with("/collect/")),
        "the built site's form and collection pages: {pages:?}"
    );
    let dirs = bundle_dirs();
    assert!(
        !dirs.is_empty(),
        "no site-gen bundle folder with a quick-start copy beside {:?}",
        std::env::current_exe()
    );
    let b = open(Options::default()).await;
    let mut report = Vec::new();
    let mut over = Vec::new();
    for page in &pages {
        b.goto(page).await.or_fail();
        b.wait_until(
            "document.querySelector('[data-form-id].is-ready, [data-collect].is-ready')",
            Duration::from_secs(30),
            &format!("{page}: its engine"),
        )
        .await
        .or_fail();
        // draft.js is inline in the page (its early save); its helpers are not fetched
        // again as a file.
        let draft = b.js(DRAFT_FETCHES, vec![]).await.or_fail();
        assert_eq!(
            draft,
            serde_json::json!([]),
            "{page}: fetched draft.js, which the page carries inline"
        );
        let mut states = vec![("", b.js(LOADED, vec![]).await.or_fail())];
        // The survey once a check has shown the hand-in code and its QR code.
        if b.js("return !!document.querySelector('#handin, [data-handin]') && !!document.getElementById('btn-check');", vec![])
            .await
            .or_fail()
            .as_bool()
            == Some(true)
        {
            let answered = b.js(CHECK, vec![]).await.or_fail();
            assert!(answered.as_u64().unwrap_or(0) > 0, "{page}: no rating to answer");
            b.wait_until(
                "document.querySelector('[data-handin-qr] svg')",
                Duration::from_secs(30),
                &format!("{page}: the hand-in QR code after 检查"),
            )
            .await
            .or_fail();
            states.push((" after 检查 (QR code shown)", b.js(LOADED, vec![]).await.or_fail()));
        }
        for (when, urls) in states {
            let urls: Vec<String> = serde_json::from_value(urls).expect("the page's list of URLs");
            assert!(
                urls.iter().any(|u| u.ends_with(".wasm"))
                    && urls.iter().any(|u| u.ends_with(".js")),
                "{page}{when}: Chromium fetched no script and wasm: {urls:?}"
            );
            let (total, lines) = weigh(&dist, &urls, &dirs);
            let line = format!(
                "{page}{when}: {total} bytes = {:.1} KB gzip -9 of JS + wasm (budget {} KB of 1,024 bytes)",
                total as f64 / 1024.0,
                BUDGET / 1024
            );
            if total > BUDGET {
                over.push(format!("{line}\n{}", lines.join("\n")));
            }
            report.push(format!("{line}\n{}", lines.join("\n")));
        }
        b.js("localStorage.clear();", vec![]).await.or_fail();
    }
    b.finish().await.or_fail();
    println!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "over the 150 KB gzip budget:\n{}",
        over.join("\n")
    );
}
