//! Helpers shared by the browser test modules: opening a form page once its engine is
//! ready, filling controls by their field path (forms.md: a control's `name` is its
//! path and a choice's `value` its option id), and reading what the page shows.

use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use site_tests::site;
use std::path::Path;
use std::time::Duration;

/// Unwraps a harness result, failing the test with its message.
#[path = "../../../wasm-forms/tests/fixture/survey.rs"]
mod survey_fixture;
pub use survey_fixture::RATINGS;

pub trait OrFail<T> {
    fn or_fail(self) -> T;
}

impl<T> OrFail<T> for site_tests::Result<T> {
    #[track_caller]
    fn or_fail(self) -> T {
        match self {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }
}

/// A browser on a freshly served dist.
pub async fn open(options: Options) -> Browser {
    let dist = site::dist().or_fail();
    Browser::start(&dist, options).await.or_fail()
}

/// Opens `/forms/<id>/<query>` and waits for the wasm engine to be ready.
pub async fn open_form(b: &Browser, id: &str, query: &str) {
    b.goto(&format!("/forms/{id}/{query}")).await.or_fail();
    wait_ready(b).await;
}

/// Waits until the form page has loaded its engine (`.is-ready` on the app element).
pub async fn wait_ready(b: &Browser) {
    b.wait_until(
        "document.querySelector('[data-form-id].is-ready')",
        Duration::from_secs(20),
        "the form engine to load (class is-ready)",
    )
    .await
    .or_fail();
}

/// Opens the collection page of the Wenzhou survey (`query`: "" or "?program=…") and
/// waits for its engine; `what` names the wait in a failure.
pub async fn open_collection(b: &Browser, query: &str, what: &str) {
    b.goto(&format!("/forms/wenzhou-survey/collect/{query}"))
        .await
        .or_fail();
    wait(b, "document.querySelector('[data-collect].is-ready')", what).await;
}

/// Waits up to 30 s for the JS expression `condition`; on time-out the failure shows what
/// the page's status, import and error boxes said.
pub async fn wait(b: &Browser, condition: &str, what: &str) {
    if let Err(e) = b.wait_until(condition, Duration::from_secs(30), what).await {
        let state = b
            .js(
                "return ['form-status', 'import-errors', 'error-summary', 'survey-rejected', 'check-result']
                   .map(id => { const e = document.getElementById(id);
                     return e ? id + (e.hidden ? ' (hidden)' : '') + ': ' + e.textContent.trim().replace(/\\s+/g, ' ') : null; })
                   .filter(Boolean).join('\\n');",
                vec![],
            )
            .await
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        panic!("{e}\n--- page state ---\n{state}");
    }
}

/// CSS selector of the control(s) named `name`.
pub fn named(name: &str) -> String {
    format!(
        "[name=\"{}\"]",
        name.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Scrolls `css` to the middle of the screen, as a user brings what they tap into
/// view (never under the form's sticky bars).
pub async fn to_middle(b: &Browser, css: &str) {
    b.js(
        "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({ block: 'center' });",
        vec![json!(css)],
    )
    .await
    .or_fail();
}

/// Clicks the radio (or checkbox) `name` with value `value`, as a user would.
pub async fn choose(b: &Browser, name: &str, value: &str) {
    let css = format!("input{}[value=\"{value}\"]", named(name));
    to_middle(b, &css).await;
    let el = b.find(&css).await.or_fail();
    el.click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Clears the text control `name` and types `text` into it.
pub async fn type_into(b: &Browser, name: &str, text: &str) {
    to_middle(b, &named(name)).await;
    let el = b.find(&named(name)).await.or_fail();
    el.clear()
        .await
        .unwrap_or_else(|e| panic!("cannot clear {name}: {e}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("cannot type into {name}: {e}"));
}

/// The radio value checked in group `name`, if any.
pub async fn checked_value(b: &Browser, name: &str) -> Option<String> {
    b.js(
        "const c = document.querySelector(arguments[0] + ':checked'); return c ? c.value : null;",
        vec![json!(format!("input{}", named(name)))],
    )
    .await
    .or_fail()
    .as_str()
    .map(String::from)
}

/// The value of the control `name`.
pub async fn value_of(b: &Browser, name: &str) -> String {
    b.js(
        "const c = document.querySelector(arguments[0]); return c ? c.value : null;",
        vec![json!(named(name))],
    )
    .await
    .or_fail()
    .as_str()
    .unwrap_or_else(|| panic!("no control named {name}"))
    .to_string()
}

/// Submits the form with its submit button.
pub async fn submit(b: &Browser) {
    let el = b
        .find("#form button[type=submit], #form input[type=submit]")
        .await
        .or_fail();
    el.click()
        .await
        .unwrap_or_else(|e| panic!("cannot click submit: {e}"));
}

/// Presses 检查 and waits for the list of errors it shows.
pub async fn submit_and_see_errors(b: &Browser) {
    submit(b).await;
    wait(
        b,
        "!document.getElementById('error-summary').hidden",
        "the error summary",
    )
    .await;
}

/// Clicks the element `css`; one in the toolbar's closed menu is reached by opening
/// the menu first, as a user would.
pub async fn click(b: &Browser, css: &str) {
    let menu = b
        .js(
            "const e = document.querySelector(arguments[0]); return !!(e && e.closest('#toolbar-menu:not([open])'));",
            vec![json!(css)],
        )
        .await
        .or_fail();
    if menu == Value::Bool(true) {
        let s = b.find("#toolbar-menu > summary").await.or_fail();
        s.click()
            .await
            .unwrap_or_else(|e| panic!("cannot open the menu of {css}: {e}"));
    }
    to_middle(b, css).await;
    let el = b.find(css).await.or_fail();
    el.click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Hands files to an `<input type=file>` (several paths for `multiple`).
pub async fn set_files(b: &Browser, css: &str, files: &[&Path]) {
    let el = b.find(css).await.or_fail();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    el.send_keys(&paths.join("\n"))
        .await
        .unwrap_or_else(|e| panic!("cannot set files on {css}: {e}"));
}

/// Whether `css` matches a visible element (not `hidden`, laid out).
pub async fn visible(b: &Browser, css: &str) -> bool {
    b.js(
        "const e = document.querySelector(arguments[0]);
         return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;",
        vec![json!(css)],
    )
    .await
    .or_fail()
        == Value::Bool(true)
}

/// Text content of `css` (empty when absent).
pub async fn text_of(b: &Browser, css: &str) -> String {
    b.js(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
        vec![json!(css)],
    )
    .await
    .or_fail()
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Asserts that the current page does not scroll sideways (its layout fits the window).
pub async fn assert_no_sideways_scroll(b: &Browser, what: &str) {
    let overflow = b
        .js(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .or_fail();
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "{what}: the page is {overflow} px wider than the window"
    );
}

/// Asserts that the current page fetched nothing outside 127.0.0.1.
pub async fn assert_loopback_only(b: &Browser) {
    let foreign = b.foreign_requests().await.or_fail();
    assert!(foreign.is_empty(), "requests left 127.0.0.1: {foreign:?}");
}

/// An 18-character id number from 17 digits with its GB 11643-1999 check character.
pub fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

#[test]
fn id_number_check_character_follows_gb_11643() {
    // The standard's own example.
    assert_eq!(id_number("11010519491231002"), "11010519491231002X");
}

/// Greyscale pixels of a PNG screenshot: (width, height, luma).
pub fn luma_of_png(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("png: {e}"));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("png frame: {e}"));
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let luma = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| {
            if channels >= 3 {
                ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000)
                    as u8
            } else {
                p[0]
            }
        })
        .collect();
    (w, h, luma)
}

/// Every QR code an independent decoder (`rqrr`) reads in a greyscale image.
pub fn read_qr(w: usize, h: usize, luma: &[u8]) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect()
}

/// A screenshot of the element `css`, greyscale.
pub async fn qr_shot(b: &Browser, css: &str) -> (usize, usize, Vec<u8>) {
    let el = b.find(css).await.or_fail();
    let png = el
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("screenshot of {css}: {e}"));
    luma_of_png(&png)
}

/// `chromium --print-to-pdf` of `url` into `pdf`, with the page's own @page rules.
pub fn print_to_pdf(url: &str, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let chromium =
        std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| site_tests::browser::CHROMIUM.into());
    let _ = std::fs::remove_file(pdf);
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--virtual-time-budget=8000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium: {e}"));
    assert!(
        pdf.is_file(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pdftotext -layout` (poppler-utils, installed by scripts/setup): pages end in `\f`.
pub fn pdf_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdftotext ({e}): run scripts/setup (it installs poppler-utils)")
        });
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The number of pages of a [`pdf_text`].
pub fn pdf_pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

/// The roster's rows on screen, each its name and ID number.
pub async fn roster_rows(b: &Browser) -> Vec<(String, String)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('#form [data-table] tbody tr[data-row]')).map(tr =>
               [tr.querySelector('[name$=\".name\"]').value, tr.querySelector('[name$=\".id_number\"]').value]);",
            vec![],
        )
        .await
        .or_fail();
    serde_json::from_value(v).unwrap()
}

/// The import's error box once it names the refused file `name`, as text.
pub async fn import_refused(b: &Browser, name: &str) -> String {
    wait(
        b,
        &format!(
            "(document.getElementById('import-errors') || {{}}).textContent && document.getElementById('import-errors').textContent.includes('{name}') && !document.getElementById('import-errors').hidden"
        ),
        name,
    )
    .await;
    text_of(b, "#import-errors").await
}
