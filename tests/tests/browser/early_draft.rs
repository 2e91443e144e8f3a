//! Answers given before the engine has arrived (issue 23): the survey's questions work
//! at once, draft.js keeps each answer in the draft from the first tap, a reload shows
//! them again while the engine is still held back, and the engine takes over without
//! losing any. An answer already handed in stays handed in: an early edit makes it a
//! correction to come, not a new survey.

use super::common::*;
use serde_json::json;
use site_tests::browser::{Browser, Options};
use std::time::Duration;

/// Navigates without waiting for the load event (the held wasm delays it).
async fn go(b: &Browser, path: &str) {
    b.js(
        "window.location.href = arguments[0];",
        vec![json!(b.server.url(path))],
    )
    .await
    .or_fail();
}

/// Waits until draft.js has settled the page: the status in the trainee's words.
async fn wait_early(b: &Browser) {
    b.wait_until(
        "(() => { const s = document.getElementById('form-status'); return s && s.textContent.includes('可以填写了'); })()",
        Duration::from_secs(30),
        "draft.js's status while the engine loads",
    )
    .await
    .or_fail();
}

async fn engine_ready(b: &Browser) -> bool {
    b.js(
        "return !!document.querySelector('[data-form-id].is-ready');",
        vec![],
    )
    .await
    .or_fail()
        == json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_answers_given_before_the_engine_survive_a_reload() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    b.goto("/forms/").await.or_fail();
    b.js("localStorage.clear();", vec![]).await.or_fail();
    b.server.hold("_bg.wasm");
    go(&b, "/forms/wenzhou-survey/").await;
    wait_early(&b).await;
    let status = text_of(&b, "#form-status").await;
    assert!(
        !status.contains("WebAssembly") && !status.contains("JavaScript"),
        "while loading, the status speaks of the form, not of the browser: {status}"
    );
    assert!(!engine_ready(&b).await, "the engine is held back");

    // A trainee taps and types while the engine is still on its way.
    choose(&b, "goal_setting", "satisfied").await;
    choose(&b, "faculty", "average").await;
    type_into(&b, "suggestions", "希望增加现场教学。").await;
    assert!(!engine_ready(&b).await, "still without the engine");

    // A reload (a phone that dropped the page) shows them again, engine still held.
    b.js("location.reload();", vec![]).await.or_fail();
    wait_early(&b).await;
    assert!(!engine_ready(&b).await, "the engine is still held back");
    assert_eq!(
        checked_value(&b, "goal_setting").await.as_deref(),
        Some("satisfied")
    );
    assert_eq!(
        checked_value(&b, "faculty").await.as_deref(),
        Some("average")
    );
    assert_eq!(value_of(&b, "suggestions").await, "希望增加现场教学。");

    // One more answer, then the engine arrives and takes over with all of them.
    choose(&b, "work_help", "very_satisfied").await;
    b.server.release();
    wait_ready(&b).await;
    assert_eq!(
        checked_value(&b, "goal_setting").await.as_deref(),
        Some("satisfied")
    );
    assert_eq!(
        checked_value(&b, "faculty").await.as_deref(),
        Some("average")
    );
    assert_eq!(
        checked_value(&b, "work_help").await.as_deref(),
        Some("very_satisfied")
    );
    assert_eq!(value_of(&b, "suggestions").await, "希望增加现场教学。");
    let status = text_of(&b, "#form-status").await;
    assert!(
        status.contains("填好后按"),
        "once the engine is there, the status says how to go on: {status}"
    );
    // The engine's own saves keep them (the same draft).
    type_into(&b, "reflections", "收获很大").await;
    b.js("location.reload();", vec![]).await.or_fail();
    wait_ready(&b).await;
    assert_eq!(value_of(&b, "reflections").await, "收获很大");
    assert_eq!(
        checked_value(&b, "work_help").await.as_deref(),
        Some("very_satisfied")
    );
    assert_eq!(value_of(&b, "suggestions").await, "希望增加现场教学。");
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_handed_in_and_edited_before_the_engine_is_a_correction() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    b.goto("/forms/").await.or_fail();
    // A survey handed in earlier on this phone: its draft and its hand-in state.
    b.js(
        "localStorage.clear();
         localStorage.setItem('draft:wenzhou-survey', JSON.stringify({ form: 'wenzhou-survey', version: 1,
           values: { goal_setting: 'satisfied' }, saved_at: '2026-03-01T08:00:00.000Z' }));
         localStorage.setItem('handin:wenzhou-survey', JSON.stringify({ response_id: '0123456789abcdef',
           handed: { at: '2026-03-01T08:00:00.000Z', code: 'X' }, edited: false }));",
        vec![],
    )
    .await
    .or_fail();
    b.server.hold("_bg.wasm");
    go(&b, "/forms/wenzhou-survey/").await;
    wait_early(&b).await;
    assert_eq!(
        checked_value(&b, "goal_setting").await.as_deref(),
        Some("satisfied"),
        "the handed-in answer is on the screen before the engine"
    );
    choose(&b, "goal_setting", "average").await;
    let state = b
        .js(
            "return JSON.parse(localStorage.getItem('handin:wenzhou-survey'));",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        state["response_id"],
        json!("0123456789abcdef"),
        "the same survey"
    );
    assert_eq!(state["edited"], json!(true), "{state}");
    assert_eq!(state["handed"]["code"], json!("X"), "{state}");
    b.server.release();
    wait_ready(&b).await;
    assert_eq!(
        checked_value(&b, "goal_setting").await.as_deref(),
        Some("average")
    );
    let notice = text_of(&b, "#handin-notice").await;
    assert!(
        notice.contains("这份问卷已交") && notice.contains("之后又有修改"),
        "a reload says the answer was handed in and changed since: {notice}"
    );
    let draft = text_of(&b, "#draft-notice:not([hidden])").await;
    assert!(
        draft.is_empty(),
        "not shown as a new unsubmitted draft: {draft}"
    );
    b.finish().await.or_fail();
}

/// A registration form (lists of 民族 and 政治面貌 among its fields) opened afresh: nothing
/// was given, so nothing is kept, and no "restored draft" greets the person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_form_with_lists_shows_no_restored_draft() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    b.goto("/forms/").await.or_fail();
    b.js("localStorage.clear();", vec![]).await.or_fail();
    open_form(&b, "shandong-registration", "").await;
    let notice = text_of(&b, "#draft-notice:not([hidden])").await;
    assert!(notice.is_empty(), "a fresh form shows no draft: {notice}");
    let kept = b
        .js(
            "return localStorage.getItem('draft:shandong-registration');",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(kept, json!(null), "nothing given, nothing kept: {kept}");
    b.finish().await.or_fail();
}

/// The collection page before its engine: what the organizer pastes, the expected count
/// and the program chosen survive a reload, and the engine starts with them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collection_work_before_the_engine_survives_a_reload() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    b.goto("/forms/").await.or_fail();
    b.js("localStorage.clear();", vec![]).await.or_fail();
    b.server.hold("_bg.wasm");
    let early = "(() => { const s = document.getElementById('collect-status'); return s && s.textContent.includes('可以先粘贴'); })()";
    go(&b, "/forms/wenzhou-survey/collect/").await;
    b.wait_until(
        early,
        Duration::from_secs(30),
        "the collection page's early status",
    )
    .await
    .or_fail();
    let collecting = "return !!document.querySelector('[data-collect].is-ready');";
    assert_eq!(
        b.js(collecting, vec![]).await.or_fail(),
        json!(false),
        "engine held back"
    );

    type_into(&b, "codes", "张三 发来：还没有码，稍后再发").await;
    type_into(&b, "expected", "30").await;
    let program = b.find(&named("program")).await.or_fail();
    program
        .select_by_value("wenzhou-2020/municipal-2")
        .await
        .unwrap_or_else(|e| panic!("cannot choose the program: {e}"));

    b.js("location.reload();", vec![]).await.or_fail();
    b.wait_until(
        early,
        Duration::from_secs(30),
        "the early status after the reload",
    )
    .await
    .or_fail();
    assert_eq!(
        b.js(collecting, vec![]).await.or_fail(),
        json!(false),
        "still held back"
    );
    assert_eq!(value_of(&b, "codes").await, "张三 发来：还没有码，稍后再发");
    assert_eq!(value_of(&b, "expected").await, "30");
    assert_eq!(value_of(&b, "program").await, "wenzhou-2020/municipal-2");

    let kept = b
        .js(
            "return localStorage.getItem('collection:wenzhou-survey');",
            vec![],
        )
        .await
        .or_fail();
    // Kept where collect.js reads its state when it starts.
    let kept: serde_json::Value =
        serde_json::from_str(kept.as_str().unwrap_or("null")).unwrap_or_default();
    assert_eq!(kept["program"], json!("wenzhou-2020/municipal-2"), "{kept}");
    assert_eq!(kept["expected"], json!(30), "{kept}");
    b.server.release();
    b.wait_until(
        "document.querySelector('[data-collect].is-ready')",
        Duration::from_secs(30),
        "the collection's engine",
    )
    .await
    .or_fail();
    assert_eq!(value_of(&b, "program").await, "wenzhou-2020/municipal-2");
    assert_eq!(value_of(&b, "codes").await, "张三 发来：还没有码，稍后再发");
    let count = text_of(&b, "[data-expected-text]").await;
    assert!(
        count.contains("应收 30"),
        "the engine counts against the 30 given early: {count}"
    );
    b.finish().await.or_fail();
}
