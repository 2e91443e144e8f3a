//! The form pages while filling: the toolbar's one primary action and its menu, the
//! evaluation's running total at the foot of the screen, unanswered items, discard
//! with confirmation and undo, and the live character count of text areas.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};

/// What the toolbar shows with its menu closed: the visible text, the primary button's
/// words, the toolbar's height and whether the page scrolls sideways.
async fn toolbar(b: &Browser) -> Value {
    b.js(
        "const t = document.querySelector('.toolbar');
         const primary = t.querySelector('.toolbar-main > button.primary');
         return { text: t.innerText, primary: primary ? primary.textContent.trim() : null,
                  height: t.querySelector('.toolbar-main').getBoundingClientRect().height,
                  sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth };",
        vec![],
    )
    .await
    .or_fail()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toolbar_is_one_primary_action_and_a_menu_in_plain_words() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    for (id, primary) in [
        // The survey's one action is called 检查 everywhere (the poster, the button at
        // the foot, handin.md).
        ("wenzhou-survey", "检查"),
        ("wenzhou-evaluation", "保存到本机"),
        // A roster goes to the bureau as a spreadsheet: that is its main action.
        ("wenzhou-hours-roster", "下载 Excel 表格"),
    ] {
        open_form(&b, id, "").await;
        let t = toolbar(&b).await;
        assert_eq!(t["primary"], json!(primary), "{id}: {t}");
        let text = t["text"].as_str().unwrap_or("");
        let shown = text.replace(primary, "");
        for word in ["JSON", "CSV", "Excel", "导出"] {
            assert!(
                !shown.contains(word),
                "{id}: file formats only inside the menu: {text}"
            );
        }
        // One row of two buttons, 44 px high (plus the 2 px borders), at 360 px.
        assert!(
            t["height"].as_f64().unwrap_or(999.0) < 60.0,
            "{id}: the toolbar is one row: {t}"
        );
        assert_eq!(t["sideways"], json!(false), "{id}: {t}");
        click(&b, "#toolbar-menu > summary").await;
        let items = b
            .js(
                "return [...document.querySelectorAll('#toolbar-menu .menu-items > *')]
                   .filter(e => e.getClientRects().length).map(e => e.textContent.trim());",
                vec![],
            )
            .await
            .or_fail();
        let items: Vec<String> = items
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert!(
            items
                .iter()
                .any(|i| i == "打开保存到本机的文件" || i == "从下载的问卷文件恢复"),
            "{id}: {items:?}"
        );
        assert!(items.iter().any(|i| i == "打印"), "{id}: {items:?}");
        if id == "wenzhou-hours-roster" {
            assert!(
                items.iter().any(|i| i.starts_with("保存到本机")),
                "{items:?}"
            );
            assert!(items.iter().any(|i| i == "下载表格（CSV）"), "{items:?}");
        }
        if id == "wenzhou-survey" {
            // Trainees' words: no file format names.
            assert!(items.iter().any(|i| i == "下载问卷文件"), "{items:?}");
            assert!(!items.iter().any(|i| i.contains("JSON")), "{items:?}");
        }
        assert!(
            items.iter().all(|i| !i.contains("JSON")),
            "{id}: plain words: {items:?}"
        );
        let fits = b
            .js(
                "const r = document.querySelector('#toolbar-menu .menu-items').getBoundingClientRect();
                 const w = document.documentElement.clientWidth;
                 return document.documentElement.scrollWidth <= w && r.left >= 0 && r.right <= w
                   || [r.left, r.right, w, document.documentElement.scrollWidth];", // the numbers when it does not fit
                vec![],
            )
            .await
            .or_fail();
        assert_eq!(
            fits,
            json!(true),
            "{id}: the open menu is inside the screen"
        );
    }
    // On the survey the primary action checks and hands in: with an empty survey it
    // leads to the error summary, not to a download.
    open_form(&b, "wenzhou-survey", "").await;
    click(&b, "#btn-handin").await;
    wait(
        &b,
        "!document.getElementById('error-summary').hidden",
        "the error summary after 检查 on an empty survey",
    )
    .await;
    b.finish().await.or_fail();
}

/// The score bar as the user sees it: its text and whether it sits inside the screen.
async fn score_bar(b: &Browser) -> Value {
    b.js(
        "const bar = document.querySelector('[data-score-bar]');
         const r = bar.getBoundingClientRect();
         return { text: bar.innerText.replace(/\\s+/g, ' '), hidden: bar.hidden,
                  inView: r.top >= 0 && r.bottom <= innerHeight + 1 && r.height > 0 };",
        vec![],
    )
    .await
    .or_fail()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluation_total_stays_in_view_and_untouched_items_are_unanswered() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-evaluation", "").await;
    // Nothing touched: every indicator 未填, none scored 0 (the seed's 财务管理 case).
    let finance = text_of(&b, "[data-score=\"finance_system\"]").await;
    assert_eq!(finance, "未填");
    let scored = b
        .js(
            "return [...document.querySelectorAll('[data-score]')].filter(o => o.textContent.trim() !== '未填').length;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        scored,
        json!(0),
        "no indicator shows a score before it is answered"
    );
    let bar = score_bar(&b).await;
    assert_eq!(bar["hidden"], json!(false), "{bar}");
    assert!(
        bar["text"]
            .as_str()
            .unwrap_or("")
            .contains("尚有 26 项未填"),
        "{bar}"
    );

    // Deep in the scoring table: the bar is on screen with the running total and the
    // subtotal of the section in view.
    choose(&b, "org_support", "5").await;
    to_middle(&b, "input[name=\"org_support\"]").await;
    wait(
        &b,
        "document.querySelector('[data-score-bar-section]').textContent.includes('组织管理水平')",
        "the section in view named in the bar",
    )
    .await;
    let bar = score_bar(&b).await;
    let text = bar["text"].as_str().unwrap_or("");
    assert_eq!(bar["inView"], json!(true), "{bar}");
    assert!(text.contains("综合得分 5 / 100"), "{bar}");
    assert!(text.contains("组织管理水平 5 / 25"), "{bar}");
    assert!(text.contains("尚有 25 项未填"), "{bar}");

    // 财务管理: answering 否 to 是否建立 scores 0 (a real answer), the rest stays 未填.
    choose(&b, "finance_established", "false").await;
    wait(
        &b,
        "document.querySelector('[data-score=\"finance_system\"]').textContent === '0'",
        "财务管理 scored 0 once answered 否",
    )
    .await;
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discard_asks_first_and_undo_restores_everything() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-evaluation", "").await;
    type_into(&b, "project_name", "智能制造高级研修班").await;
    choose(&b, "quality", "5").await;
    // Reopened later: the draft is restored and can be discarded.
    open_form(&b, "wenzhou-evaluation", "").await;
    assert_eq!(value_of(&b, "project_name").await, "智能制造高级研修班");
    click(&b, "#btn-discard-draft").await;
    // Asked first: nothing is gone yet.
    assert!(visible(&b, "#btn-discard-confirm").await);
    assert_eq!(value_of(&b, "project_name").await, "智能制造高级研修班");
    click(&b, "#btn-discard-confirm").await;
    assert_eq!(value_of(&b, "project_name").await, "");
    assert_eq!(checked_value(&b, "quality").await, None);
    let stored = b
        .js(
            "return localStorage.getItem('draft:wenzhou-evaluation');",
            vec![],
        )
        .await
        .or_fail();
    let stored = stored.as_str().unwrap_or("");
    assert!(
        !stored.contains("智能制造"),
        "the stored draft is cleared: {stored}"
    );
    // Undo puts every value back, and the saved draft with them.
    assert!(visible(&b, "#btn-undo").await);
    click(&b, "#btn-undo").await;
    assert_eq!(value_of(&b, "project_name").await, "智能制造高级研修班");
    assert_eq!(checked_value(&b, "quality").await.as_deref(), Some("5"));
    let stored = b
        .js(
            "return localStorage.getItem('draft:wenzhou-evaluation');",
            vec![],
        )
        .await
        .or_fail();
    assert!(
        stored.as_str().unwrap_or("").contains("智能制造高级研修班"),
        "{stored}"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_areas_count_against_the_schemas_limit_and_stop_growing() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-survey", "").await;
    // forms.md: at most 2000 characters, whitespace not counted.
    type_into(&b, "reflections", "收获 很大\n谢谢").await;
    let count = text_of(&b, "[data-char-count=\"reflections\"]").await;
    assert_eq!(count, "6 / 2000 字（空白不计）");
    let long = "很".repeat(2003);
    b.js(
        "const t = document.querySelector('[name=reflections]'); t.value = arguments[0];
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(long)],
    )
    .await
    .or_fail();
    let count = text_of(&b, "[data-char-count=\"reflections\"]").await;
    assert_eq!(count, "2003 / 2000 字（空白不计），超出 3 字");
    let v = b
        .js(
            "const t = document.querySelector('[name=reflections]');
             return { h: t.getBoundingClientRect().height, vh: innerHeight, scroll: t.scrollHeight > t.clientHeight };",
            vec![],
        )
        .await
        .or_fail();
    assert!(
        v["h"].as_f64().unwrap_or(1e9) <= v["vh"].as_f64().unwrap_or(0.0) * 0.5 + 1.0,
        "the text area stops at half the screen: {v}"
    );
    assert_eq!(v["scroll"], json!(true), "and scrolls inside: {v}");
    // One count, the engine's: a full-width space is whitespace, a byte order mark
    // (U+FEFF, pasted from some files) is a character, as the limit's check counts it.
    b.js(
        "const t = document.querySelector('[name=reflections]'); t.value = arguments[0];
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!("\u{feff}收获\u{3000}很大")],
    )
    .await
    .or_fail();
    let count = text_of(&b, "[data-char-count=\"reflections\"]").await;
    assert_eq!(count, "5 / 2000 字（空白不计）");
    b.finish().await.or_fail();
}

/// The messages shown inside each field after a check: `[field path, [texts]]`.
async fn inline_messages(b: &Browser) -> Vec<(String, Vec<String>)> {
    let v = b
        .js(
            "return [...document.querySelectorAll('#form .field-messages')].filter(s => s.children.length)
               .map(s => [(s.closest('[data-field], [data-path]') || {}).dataset?.field || '',
                          [...s.querySelectorAll('.field-message')].map(m => m.textContent)]);",
            vec![],
        )
        .await
        .or_fail();
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_problem_gives_one_message_and_choices_ask_to_choose() {
    let b = open(Options::default()).await;
    for id in [
        "wenzhou-survey",
        "wenzhou-evaluation",
        "shandong-registration",
    ] {
        open_form(&b, id, "").await;
        submit_and_see_errors(&b).await;
        let shown = inline_messages(&b).await;
        assert!(!shown.is_empty(), "{id}: messages shown");
        for (field, texts) in &shown {
            let mut seen = std::collections::HashSet::new();
            for t in texts {
                // The same words twice at one field, or the field named twice in one message.
                assert!(seen.insert(t.as_str()), "{id}: {field} shows “{t}” twice");
                assert!(
                    !t.contains("请填写") || !t.contains("选"),
                    "{id}: {field}: {t}"
                );
            }
        }
        if id == "wenzhou-survey" {
            let goal = shown
                .iter()
                .find(|(f, _)| f == "goal_setting")
                .map(|(_, t)| t.join(" "))
                .unwrap_or_default();
            assert!(
                goal.contains("选择") && !goal.contains("填写"),
                "a rating is chosen, not typed: {goal}"
            );
        }
        if id == "wenzhou-evaluation" {
            // An unanswered score choice: its reason under the item says to choose.
            let quality = text_of(&b, "[data-reason=\"quality\"]").await;
            assert!(
                quality.contains("未选择") && !quality.contains("填写"),
                "a score choice is chosen: {quality}"
            );
        }
    }
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_typed_in_another_form_shows_as_stored_after_the_check() {
    let b = open(Options::default()).await;
    open_form(&b, "shandong-registration", "").await;
    type_into(&b, "fill_date", "2020/9/1").await;
    submit(&b).await;
    wait(
        &b,
        "document.querySelector('[name=\"fill_date\"]').value === '2020-09-01'",
        "the date as it is stored",
    )
    .await;
    // The note of what was changed stays listed.
    let notes = text_of(&b, "#notes-box").await;
    assert!(
        notes.contains("2020/9/1") && notes.contains("2020-09-01"),
        "{notes}"
    );
    // A date that cannot be read keeps its text, its error beside it.
    type_into(&b, "fill_date", "2020-13-45").await;
    submit_and_see_errors(&b).await;
    assert_eq!(value_of(&b, "fill_date").await, "2020-13-45");
    b.finish().await.or_fail();
}
