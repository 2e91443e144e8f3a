//! The trainee survey on a 360 px phone: errors in the GOV.UK pattern, export accepted by
//! `site-gen form validate`, the draft kept across a reload and a broken import.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use site_tests::site;
use std::time::Duration;

const MISSING: [&str; 3] = ["faculty", "work_help", "growth_help"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_on_a_phone_errors_export_draft_and_broken_import() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-survey", "").await;

    let width = b.js("return window.innerWidth;", vec![]).await.or_fail();
    assert_eq!(
        width,
        json!(360),
        "the page lays out at phone width (viewport meta)"
    );
    assert_no_sideways_scroll(&b, "no sideways scrolling at 360 px").await;

    three_gaps_lead_to_the_first(&b).await;
    the_export_is_accepted_by_the_command_line(&b).await;
    the_draft_comes_back_after_a_reload(&b).await;
    a_broken_import_leaves_the_draft_as_it_was(&b).await;

    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}

/// Submitting with three questions left empty says so once and leads to the first; the
/// summary clears once they are answered.
async fn three_gaps_lead_to_the_first(b: &Browser) {
    // Fill seven of the ten ratings, then submit with three gaps.
    for id in RATINGS.iter().filter(|id| !MISSING.contains(id)) {
        choose(b, id, "very_satisfied").await;
    }
    type_into(b, "suggestions", "希望增加现场教学。").await;
    submit(b).await;

    wait(
        b,
        "(() => { const s = document.getElementById('error-summary'); return s && !s.hidden; })()",
        "the error summary",
    )
    .await;
    // Three questions left empty are said once, plainly, and the trainee is taken to
    // the first of them (in the form's order), not to a list of three red errors.
    let summary = text_of(b, "#error-summary").await;
    assert!(
        summary.contains("还有 3 题没有回答") && summary.contains("从“师资配备”开始"),
        "summary: {summary}"
    );
    let focused = b
        .js(
            "const a = document.activeElement; return a ? a.getAttribute('name') : null;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        focused,
        json!("faculty"),
        "focus moves to the first unanswered question"
    );
    let first = text_of(b, "[data-field=faculty] .field-message").await;
    assert_eq!(first, "未回答：还有 3 题没有回答，请从这一题开始选择。");
    let in_view = b
        .js(
            "const r = document.querySelector('[data-field=faculty]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        in_view,
        json!(true),
        "the first unanswered question is on screen"
    );
    let title = b.client.title().await.unwrap_or_default();
    assert!(title.starts_with("错误："), "page title: {title}");

    // The summary's link leads to the first gap.
    let targets = b
        .js(
            "return Array.from(document.querySelectorAll('#error-summary a[href^=\"#\"]')).map(a => {
                 const t = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
                 return t ? (t.getAttribute('name') || t.dataset.field || t.id) : null; });",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        targets,
        json!(["faculty"]),
        "the summary links to the first gap"
    );
    for id in MISSING {
        let invalid = b
            .js(
                "return Array.from(document.querySelectorAll(arguments[0])).every(c => c.getAttribute('aria-invalid') === 'true' && (c.getAttribute('aria-describedby') || '') !== '');",
                vec![json!(named(id))],
            )
            .await
            .or_fail();
        assert_eq!(
            invalid,
            json!(true),
            "{id} is marked aria-invalid and described"
        );
    }
    // Following a summary link puts the focus on that field.
    click(b, "#error-summary a[href^=\"#\"]").await;
    let focused = b
        .js(
            "const a = document.activeElement; return a ? a.getAttribute('name') : null;",
            vec![],
        )
        .await
        .or_fail();
    assert!(
        focused.as_str().is_some_and(|n| MISSING.contains(&n)),
        "a summary link focuses a missing rating, focus is on {focused}"
    );
    assert_eq!(
        checked_value(b, "goal_setting").await.as_deref(),
        Some("very_satisfied"),
        "what was typed is kept"
    );

    // Fix the gaps: the summary goes away (live revalidation after submit).
    for id in MISSING {
        choose(b, id, "satisfied").await;
    }
    wait(
        b,
        "document.getElementById('error-summary').hidden && !document.title.startsWith('错误：')",
        "the error summary to clear",
    )
    .await;
}

/// The exported JSON (a real download) is accepted by `site-gen form validate`.
async fn the_export_is_accepted_by_the_command_line(b: &Browser) {
    // Export JSON (a real download) and have the command line accept it.
    click(b, "#btn-export-json").await;
    let file = b
        .wait_for_download(".json", Duration::from_secs(15))
        .await
        .or_fail();
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let exported: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("exported JSON does not parse: {e}\n{text}"));
    assert_eq!(exported["form"], json!("wenzhou-survey"));
    assert_eq!(exported["values"]["faculty"], json!("satisfied"));
    assert_eq!(exported["values"]["goal_setting"], json!("very_satisfied"));
    let file_arg = file.display().to_string();
    let out = site::run_site_gen(&["form", "validate", "wenzhou-survey", &file_arg]).or_fail();
    assert!(
        out.status.success(),
        "site-gen form validate rejected the export ({}):\n{}{}\n--- file ---\n{text}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Reload: the draft comes back with a visible notice.
async fn the_draft_comes_back_after_a_reload(b: &Browser) {
    b.client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("reload: {e}"));
    wait_ready(b).await;
    assert!(visible(b, "#draft-notice").await, "draft notice is shown");
    for id in RATINGS {
        let want = if MISSING.contains(&id) {
            "satisfied"
        } else {
            "very_satisfied"
        };
        assert_eq!(
            checked_value(b, id).await.as_deref(),
            Some(want),
            "{id} restored"
        );
    }
    assert_eq!(value_of(b, "suggestions").await, "希望增加现场教学。");
}

/// A broken JSON import says why and leaves the draft as it was.
async fn a_broken_import_leaves_the_draft_as_it_was(b: &Browser) {
    let draft_before = b
        .js(
            "return localStorage.getItem('draft:wenzhou-survey');",
            vec![],
        )
        .await
        .or_fail();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let broken = write_file(
        dir.path(),
        "broken.json",
        "{\"form\": \"wenzhou-survey\", \"values\": {",
    );
    set_files(b, "#file-import-json", &[&broken]).await;
    wait(
        b,
        "(() => { const s = document.getElementById('import-errors'); return s && !s.hidden; })()",
        "the import error box",
    )
    .await;
    let why = text_of(b, "#import-errors").await;
    assert!(
        why.contains("broken.json"),
        "the import error names the file: {why}"
    );
    let draft_after = b
        .js(
            "return localStorage.getItem('draft:wenzhou-survey');",
            vec![],
        )
        .await
        .or_fail();
    let values = |d: &Value| -> Value {
        d.as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .map(|v| v["values"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        values(&draft_after),
        values(&draft_before),
        "draft unchanged"
    );
    assert_eq!(
        checked_value(b, "faculty").await.as_deref(),
        Some("satisfied")
    );
}
