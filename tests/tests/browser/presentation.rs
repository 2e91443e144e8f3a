//! How pages present themselves on a 360 px phone, a 1280 px PC and paper: no page
//! scrolls sideways, plan tables become cards on a phone, the reading modes (larger text,
//! higher contrast) are switched in the header and kept across pages, text and tap targets
//! are large enough, and a notice prints with the paper original's hierarchy.

use super::a11y::sitemap_paths;
use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};

/// Every page of the site: the sitemap (form pages included) and the 404 page.
fn every_page() -> Vec<String> {
    let mut pages = sitemap_paths();
    pages.push("/404.html".into());
    pages
}

/// One page of each kind: index, both notices, a program, the group indexes and a group,
/// the form index, a form of each layout, 404.
const PAGE_KINDS: &[&str] = &[
    "/",
    "/notices/wenzhou-2020/",
    "/notices/shandong-2024/",
    "/organizers/",
    "/categories/",
    "/forms/",
    "/forms/wenzhou-survey/",
    "/forms/wenzhou-evaluation/",
    "/forms/wenzhou-hours-roster/",
    "/forms/shandong-registration/",
    "/404.html",
];

/// Sets (or clears) the reading modes in this origin's localStorage, as the header's
/// buttons leave them.
async fn set_modes(b: &Browser, large: bool, high_contrast: bool) {
    b.goto("/404.html").await.or_fail();
    b.js(
        "const [large, high] = arguments;
         if (large) localStorage.setItem('site-pref-text', 'large'); else localStorage.removeItem('site-pref-text');
         if (high) localStorage.setItem('site-pref-contrast', 'high'); else localStorage.removeItem('site-pref-contrast');",
        vec![json!(large), json!(high_contrast)],
    )
    .await
    .or_fail();
}

/// Opens `page` and, on a form page, waits for its engine (forms.js adds rows and boxes).
async fn visit(b: &Browser, page: &str) {
    b.goto(page).await.or_fail();
    let is_form = b
        .js("return !!document.querySelector('[data-form-id]');", vec![])
        .await
        .or_fail()
        == Value::Bool(true);
    if is_form {
        wait_ready(b).await;
    }
}

/// `None` when the page fits its viewport's width, else what sticks out.
async fn sideways_overflow(b: &Browser) -> Option<String> {
    let v = b
        .js(
            "const de = document.documentElement, w = de.clientWidth;
             if (de.scrollWidth <= w) return null;
             const out = [];
             for (const e of document.body.querySelectorAll('*')) {
               const r = e.getBoundingClientRect();
               if (r.right > w + 1 && !e.closest('.table-wrap, [hidden]')) {
                 out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                   (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                   ' right=' + Math.round(r.right));
                 if (out.length >= 4) break;
               }
             }
             return 'scrollWidth ' + de.scrollWidth + ' > ' + w + ': ' + out.join(', ');",
            vec![],
        )
        .await
        .or_fail();
    v.as_str().map(String::from)
}

async fn no_sideways_scroll(options: Options, width: u32) {
    let pages = every_page();
    let b = open(options).await;
    let mut failures = String::new();
    for (large, mode) in [(false, "normal"), (true, "large text")] {
        set_modes(&b, large, false).await;
        for page in &pages {
            visit(&b, page).await;
            let client_width = b
                .js("return document.documentElement.clientWidth;", vec![])
                .await
                .or_fail();
            assert!(
                client_width.as_u64().is_some_and(|w| w <= u64::from(width)),
                "{page}: the layout viewport is {client_width} px wide, expected at most {width}"
            );
            if let Some(what) = sideways_overflow(&b).await {
                failures.push_str(&format!("{page} ({mode}): {what}\n"));
            }
        }
    }
    b.finish().await.or_fail();
    assert!(
        failures.is_empty(),
        "pages scroll sideways at {width} px (of {}):\n{failures}",
        pages.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_scrolls_sideways_on_a_360_px_phone() {
    no_sideways_scroll(
        Options {
            mobile_width: Some(360),
        },
        360,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_scrolls_sideways_on_a_1280_px_pc() {
    no_sideways_scroll(Options::default(), 1280).await;
}

/// Computed font size in px of the first element matching `css`.
async fn font_px(b: &Browser, css: &str) -> f64 {
    b.js(
        "const e = document.querySelector(arguments[0]);
         return e ? parseFloat(getComputedStyle(e).fontSize) : null;",
        vec![json!(css)],
    )
    .await
    .or_fail()
    .as_f64()
    .unwrap_or_else(|| panic!("no element `{css}` to measure"))
}

async fn mode_state(b: &Browser) -> (Option<String>, Option<String>, Value) {
    let v = b
        .js(
            "const r = document.documentElement;
             return [r.getAttribute('data-text'), r.getAttribute('data-contrast'),
               [...document.querySelectorAll('[data-prefs] button')].map(x => x.getAttribute('aria-pressed'))];",
            vec![],
        )
        .await
        .or_fail();
    (
        v[0].as_str().map(String::from),
        v[1].as_str().map(String::from),
        v[2].clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_modes_are_switched_in_the_header_and_kept_across_pages() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    set_modes(&b, false, false).await;
    b.goto("/").await.or_fail();
    assert!(
        visible(&b, "[data-prefs] button[data-pref=text]").await,
        "the switch shows in the header"
    );
    let normal = font_px(&b, "body").await;
    assert!(normal >= 18.0, "body text on a phone is {normal} px");

    click(&b, "[data-prefs] button[data-pref=text]").await;
    assert_eq!(
        mode_state(&b).await,
        (Some("large".into()), None, json!(["true", "false"]))
    );
    let large = font_px(&b, "body").await;
    assert!(
        (21.0..=24.0).contains(&large),
        "large text is about 22 px, got {large}"
    );

    // Another page, then a form page: the choice holds, the buttons say so.
    b.goto("/organizers/").await.or_fail();
    assert_eq!(
        mode_state(&b).await,
        (Some("large".into()), None, json!(["true", "false"]))
    );
    click(&b, "[data-prefs] button[data-pref=contrast]").await;
    let ink = b
        .js("return getComputedStyle(document.body).color;", vec![])
        .await
        .or_fail();
    assert_eq!(ink, json!("rgb(0, 0, 0)"), "high contrast: black text");
    open_form(&b, "wenzhou-survey", "").await;
    assert_eq!(
        mode_state(&b).await,
        (
            Some("large".into()),
            Some("high".into()),
            json!(["true", "true"])
        )
    );
    assert!(font_px(&b, ".form-app label, .form-app legend").await >= 21.0);

    // Switched off again, it stays off after a reload and on the next page.
    click(&b, "[data-prefs] button[data-pref=text]").await;
    click(&b, "[data-prefs] button[data-pref=contrast]").await;
    b.client.refresh().await.or_fail_wd();
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    assert_eq!(
        mode_state(&b).await,
        (None, None, json!(["false", "false"]))
    );
    assert!((font_px(&b, ".notice-body p").await - normal).abs() < 0.5);
    b.finish().await.or_fail();
}

trait OrFailWd<T> {
    fn or_fail_wd(self) -> T;
}

impl<T> OrFailWd<T> for Result<T, fantoccini::error::CmdError> {
    #[track_caller]
    fn or_fail_wd(self) -> T {
        self.unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Text under `min_text` px (secondary text under 90 % of it), text squeezed to a
/// character per line, and tap targets under 44 px tall on the current page.
async fn small_things(b: &Browser, min_text: f64) -> String {
    let v = b
        .js(
            "const minText = arguments[0], out = [];
             const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
             // Running text: at least minText; secondary text (hints, counts, tags): 90 % of it.
             for (const css of ['body', '.notice-body p', '.lead', 'main li', 'td', 'label', 'legend', '.facts dd', 'input[type=text]', 'input[type=search]', 'textarea']) {
               const e = document.querySelector(css);
               if (!e) continue;
               const px = parseFloat(getComputedStyle(e).fontSize);
               if (px < minText - 0.01) out.push(css + ' text ' + px + ' px');
             }
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             const seen = new Set();
             while (walker.nextNode()) {
               const e = walker.currentNode.parentElement;
               if (!walker.currentNode.textContent.trim() || seen.has(e) || e.closest('svg, .visually-hidden, [hidden], script, style')) continue;
               seen.add(e);
               if (!e.getClientRects().length) continue;
               const px = parseFloat(getComputedStyle(e).fontSize);
               if (px < minText * 0.9 - 0.05) { out.push(name(e) + ' ' + JSON.stringify(e.textContent.trim().slice(0, 12)) + ' text ' + px + ' px'); if (out.length > 12) break; }
               // Squeezed into a column so narrow that words break after every character.
               const w = e.getBoundingClientRect().width;
               if (e.textContent.trim().length >= 3 && getComputedStyle(e).display !== 'inline' && w >= 2 && w < px * 2.2) {
                 out.push(name(e) + ' ' + JSON.stringify(e.textContent.trim().slice(0, 12)) + ' squeezed to ' + Math.round(w) + ' px');
               }
             }
             const targets = document.querySelectorAll(
               '.site-header a, .site-header button, .breadcrumb a, .site-footer a, .button, .group-list a, .notice-item h3 a, ' +
               '.cards tbody th a, .cards td a[href^=\"tel:\"], .contacts a, .filter input, .form-app button, .file-button');
             for (const e of targets) {
               if (e.closest('[hidden]') || !e.getClientRects().length) continue;
               const r = e.getBoundingClientRect();
               if (r.height < 43.5)
                 out.push(name(e) + ' ' + JSON.stringify(e.textContent.trim().slice(0, 12)) + ' is ' + Math.round(r.width) + '×' + Math.round(r.height) + ' px');
               if (out.length > 12) break;
             }
             return out.join('; ');",
            vec![json!(min_text)],
        )
        .await
        .or_fail();
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_text_is_at_least_18_px_and_tap_targets_44_px() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    let mut failures = String::new();
    for (large, min_text) in [(false, 18.0), (true, 21.0)] {
        set_modes(&b, large, false).await;
        let program = first_program_page(&b).await;
        let group = first_link(&b, "/organizers/", ".group-list a").await;
        let mut pages: Vec<String> = PAGE_KINDS.iter().map(|p| p.to_string()).collect();
        pages.push(program);
        pages.push(group);
        for page in &pages {
            visit(&b, page).await;
            let found = small_things(&b, min_text).await;
            if !found.is_empty() {
                failures.push_str(&format!(
                    "{page}{}: {found}\n",
                    if large { " (large)" } else { "" }
                ));
            }
        }
    }
    b.finish().await.or_fail();
    assert!(failures.is_empty(), "{failures}");
}

/// The href of the first element `css` on `page`.
async fn first_link(b: &Browser, page: &str, css: &str) -> String {
    b.goto(page).await.or_fail();
    let href = b
        .js(
            "const a = document.querySelector(arguments[0]); return a ? a.getAttribute('href') : null;",
            vec![json!(css)],
        )
        .await
        .or_fail();
    href.as_str()
        .unwrap_or_else(|| panic!("{page} has no `{css}`"))
        .to_string()
}

async fn first_program_page(b: &Browser) -> String {
    first_link(b, "/notices/wenzhou-2020/", "table tbody th a").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_tables_are_cards_on_a_phone_and_tables_on_a_pc() {
    for (options, cards) in [
        (
            Options {
                mobile_width: Some(360),
            },
            true,
        ),
        (Options::default(), false),
    ] {
        let b = open(options).await;
        for page in ["/notices/wenzhou-2020/", "/organizers/"] {
            let page = if page == "/organizers/" {
                first_link(&b, page, ".group-list a").await
            } else {
                page.to_string()
            };
            b.goto(&page).await.or_fail();
            let v = b
                .js(
                    "const tr = document.querySelector('.cards tbody tr');
                     const td = tr.querySelector('td:not(.num)');
                     return { display: getComputedStyle(tr).display,
                              label: getComputedStyle(td, '::before').content,
                              firstLabel: td.getAttribute('data-label'),
                              headers: [...tr.closest('table').querySelectorAll('thead th')].map(t => t.textContent.trim())
                                .filter((_, i) => tr.children[i].tagName === 'TD'),
                              labels: [...tr.querySelectorAll('td')].map(t => t.getAttribute('data-label')) };",
                    vec![],
                )
                .await
                .or_fail();
            // Each cell's label is its column's header, in order.
            assert_eq!(v["labels"], v["headers"], "{page}: {v}");
            if cards {
                assert_eq!(v["display"], json!("flex"), "{page}: a card per row: {v}");
                assert_eq!(
                    v["label"],
                    json!(format!("\"{}\"", v["firstLabel"].as_str().unwrap_or(""))),
                    "{page}: the card names each value: {v}"
                );
            } else {
                assert_eq!(v["display"], json!("table-row"), "{page}: {v}");
                assert_eq!(v["label"], json!("none"), "{page}: {v}");
            }
        }
        b.finish().await.or_fail();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_prints_with_the_originals_hierarchy() {
    let b = open(Options::default()).await;
    set_modes(&b, true, true).await;
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    b.emulate_media("print").await.or_fail();
    let v = b
        .js(
            "const cs = (css, p) => { const e = document.querySelector(css); return e ? getComputedStyle(e)[p] : null; };
             const top = css => { const e = document.querySelector(css); return e ? e.getBoundingClientRect().top : null; };
             return {
               body: parseFloat(cs('.notice-body p', 'fontSize')),
               h2: parseFloat(cs('.notice-body h2', 'fontSize')),
               h3: parseFloat(cs('.notice-body h3', 'fontSize')),
               h2After: cs('.notice-body h2', 'breakAfter'),
               h3After: cs('.notice-body h3', 'breakAfter'),
               red: cs('.red-header', 'color'),
               rule: cs('.doc-number', 'borderBottomColor'),
               header: cs('.site-header', 'display'),
               prefs: cs('.prefs', 'display'),
               listBefore: cs('.plan-list', 'breakBefore'),
               label: (document.querySelector('.plan-list .attachment-no') || {}).textContent,
               labelFirst: document.querySelector('.plan-list').firstElementChild.className,
               order: ['.notice-body', '.attachments', '.notice-sign', '.publication', '.plan-list'].map(top),
             };",
            vec![],
        )
        .await
        .or_fail();
    let body = v["body"].as_f64().unwrap_or(0.0);
    // 16 pt = 21.33 CSS px, whatever the screen's reading mode.
    assert!((body - 21.33).abs() < 0.1, "body is 3号 (16 pt): {v}");
    assert!(
        v["h2"].as_f64().unwrap_or(0.0) >= body,
        "headings at least body size: {v}"
    );
    assert!(
        v["h3"].as_f64().unwrap_or(0.0) >= body,
        "headings at least body size: {v}"
    );
    assert_eq!(
        v["h2After"],
        json!("avoid"),
        "no heading stranded at a page foot: {v}"
    );
    assert_eq!(v["h3After"], json!("avoid"), "{v}");
    assert_eq!(
        v["red"],
        json!("rgb(200, 22, 29)"),
        "red issuer header: {v}"
    );
    assert_eq!(
        v["rule"],
        json!("rgb(200, 22, 29)"),
        "red rule under the 文号: {v}"
    );
    assert_eq!(v["header"], json!("none"), "{v}");
    assert_eq!(v["prefs"], json!("none"), "{v}");
    assert_eq!(
        v["listBefore"],
        json!("page"),
        "each plan list on its own page: {v}"
    );
    assert_eq!(v["label"], json!("附件1"), "{v}");
    assert_eq!(v["labelFirst"], json!("attachment-no"), "{v}");
    // body, then the 附件 list, then the signature and 此件公开发布, then the lists.
    let order: Vec<f64> = v["order"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect();
    assert!(
        order.len() == 5 && order.windows(2).all(|w| w[0] < w[1]),
        "the original's order on paper: {v}"
    );
    b.emulate_media("screen").await.or_fail();
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_chart_tells_levels_apart_by_pattern_not_colour_alone() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-evaluation", "").await;
    // Counts typed into the evaluation's 各评估等级份数 table draw the chart.
    b.js(
        "let i = 0;
         for (const e of document.querySelectorAll('[data-field] input.count, input[name$=\".forms\"]')) {
           e.value = e.name.endsWith('.forms') ? '30' : String([20, 6, 3, 1][i++ % 4]);
           e.dispatchEvent(new Event('input', { bubbles: true }));
         }",
        vec![],
    )
    .await
    .or_fail();
    wait(
        &b,
        "document.querySelectorAll('[data-survey-summary] svg rect').length > 8",
        "the survey chart",
    )
    .await;
    let v = b
        .js(
            "const rects = [...document.querySelectorAll('[data-survey-summary] svg rect')];
             const fills = {};
             for (const r of rects) {
               const level = [...r.classList].find(c => /^lv\\d$/.test(c));
               if (level) fills[level] = getComputedStyle(r).fill;
             }
             return fills;",
            vec![],
        )
        .await
        .or_fail();
    let fills: Vec<&str> = v
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, f)| f.as_str().unwrap_or(""))
        .collect();
    assert_eq!(fills.len(), 4, "four levels drawn: {v}");
    let patterns = fills.iter().filter(|f| f.starts_with("url(")).count();
    assert!(patterns >= 3, "all but one level drawn with a pattern: {v}");
    let mut distinct = fills.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "each level its own fill: {v}");
    // The pattern file is served.
    let status = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             const url = performance.getEntriesByType('resource').map((e) => e.name).find((n) => /chart-patterns\\.[0-9a-f]{8}\\.svg/.test(n)) || '/assets/chart-patterns.svg';
             fetch(url).then(r => r.text()).then(t => done((t.match(/<pattern /g) || []).length)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        status,
        json!(3),
        "chart-patterns.svg holds the three patterns"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rosters_print_landscape_with_every_column_and_the_evaluation_once() {
    let b = open(Options::default()).await;
    // The printable width of A4 landscape with the roster's margins: 297 - 2 × 10 mm.
    let printable_px = (277.0_f64 / 25.4 * 96.0).round() as u32;
    for id in ["wenzhou-hours-roster", "shandong-roster"] {
        b.client
            .set_window_size(1280, 900)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        open_form(&b, id, "").await;
        b.emulate_media("print").await.or_fail();
        b.client
            .set_window_size(printable_px, 900)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let v = b
            .js(
                "const app = document.querySelector('[data-form-id]');
                 const table = document.querySelector('table.rows');
                 const page = [...document.styleSheets].flatMap(s => [...s.cssRules])
                   .find(r => r instanceof CSSPageRule && r.selectorText === 'roster');
                 const width = document.documentElement.clientWidth;
                 return { page: getComputedStyle(document.body).page, app: app.dataset.formId, size: page ? page.style.size : null, width,
                   headers: [...table.querySelectorAll('thead th')].map(th => th.textContent.trim()),
                   cut: [...table.querySelectorAll('thead th')].filter(th => th.getBoundingClientRect().right > width + 1)
                          .map(th => th.textContent.trim()) };",
                vec![],
            )
            .await
            .or_fail();
        // The whole document is on the landscape pages (its title too, so the table
        // starts on page 1).
        assert_eq!(v["page"], json!("roster"), "{id}: {v}");
        assert_eq!(
            v["size"].as_str().map(str::to_lowercase).as_deref(),
            Some("a4 landscape"),
            "{id}: {v}"
        );
        assert!(
            v["headers"].as_array().is_some_and(|h| h.len() >= 8),
            "{id}: {v}"
        );
        assert_eq!(v["cut"], json!([]), "{id}: every column on the page: {v}");
        b.emulate_media("screen").await.or_fail();
    }
    b.client
        .set_window_size(1280, 900)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    open_form(&b, "wenzhou-evaluation", "").await;
    b.emulate_media("print").await.or_fail();
    let v = b
        .js(
            "const shown = css => [...document.querySelectorAll(css)].filter(e => e.getClientRects().length > 0).length;
             return { tfoot: getComputedStyle(document.querySelector('table.scoring tfoot')).display,
                      notes: shown('.form-notes, .form-note'), signs: shown('.sign-box') };",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        v["tfoot"],
        json!("table-row-group"),
        "综合得分 printed once, not at every page foot: {v}"
    );
    assert_eq!(v["notes"], json!(0), "no site notes on paper: {v}");
    assert!(
        v["signs"].as_u64().unwrap_or(0) >= 1,
        "room to sign and seal: {v}"
    );
    b.emulate_media("screen").await.or_fail();
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wide_roster_scrolls_in_its_box_with_the_row_number_kept_in_view() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let v = b
        .js(
            "const table = document.querySelector('table.rows');
             const wrap = table.closest('.table-wrap');
             const before = wrap.scrollWidth > wrap.clientWidth;
             wrap.scrollLeft = 300;
             const cell = table.tBodies[0].rows[0].cells[0];
             const third = table.tBodies[0].rows[0].cells[2];
             return { scrolls: before, scrolled: wrap.scrollLeft,
                      pinned: Math.abs(cell.getBoundingClientRect().left - wrap.getBoundingClientRect().left) < 2,
                      moved: third.getBoundingClientRect().left < wrap.getBoundingClientRect().left,
                      page: document.documentElement.scrollWidth <= document.documentElement.clientWidth };",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        v,
        json!({ "scrolls": true, "scrolled": 300, "pinned": true, "moved": true, "page": true }),
        "the roster scrolls inside its box, the page does not, the row number stays: {v}"
    );
    b.finish().await.or_fail();
}
