//! The hand-in journeys of issue 20 as their users walk them, asserting what a person
//! sees (texts, rows, numbers, field values), at 360 px and 1280 px where they differ:
//!
//! - a trainee on a phone: the first question on the first screen, 检查 on an empty
//!   survey (how many are unanswered, taken to the first), answering, 检查, the hand-in
//!   code, its QR code and the message;
//! - the next trainee on the same phone: a reload says the answer was handed in, 为下一位
//!   学员填写 gives an empty form and another 问卷编号, undo brings the answer back, a
//!   correction keeps the number;
//! - the organizer: a chat log with codes and one broken line pasted into the collection
//!   page, the summary table on screen (rows, percentages, counts, 满意率 and 学员满意度
//!   得分, the same as `site-gen form aggregate`), then the carry into section 五 of the
//!   evaluation report, its project name and organizer filled and section 五 in view;
//! - the program page: every survey link names the program.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use site_tests::site;

const PROGRAM: &str = "wenzhou-2020/municipal-3";
const PHONE: Options = Options {
    mobile_width: Some(360),
};

/// What a person reads in `css`: its rendered text (innerText), trimmed; empty when
/// absent or hidden.
async fn shown(b: &Browser, css: &str) -> String {
    b.js(
        "const e = document.querySelector(arguments[0]);
         return e && !e.closest('[hidden]') ? e.innerText.trim() : '';",
        vec![json!(css)],
    )
    .await
    .or_fail()
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// The whole page's rendered text.
async fn page_text(b: &Browser) -> String {
    b.js("return document.body.innerText;", vec![])
        .await
        .or_fail()
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// `getBoundingClientRect()` of `css` as {top, bottom}, in px from the top of the window.
async fn rect(b: &Browser, css: &str) -> (f64, f64) {
    let r = b
        .js(
            "const e = document.querySelector(arguments[0]); if (!e) return null;
             const r = e.getBoundingClientRect(); return [r.top, r.bottom];",
            vec![json!(css)],
        )
        .await
        .or_fail();
    let n = |i: usize| r[i].as_f64().unwrap_or_else(|| panic!("no {css}"));
    (n(0), n(1))
}

/// The 问卷编号 the hand-in panel shows.
async fn response_number(b: &Browser) -> String {
    let n = shown(b, "#handin [data-response-id]").await;
    assert!(
        n.len() == 8 && n.bytes().all(|c| c.is_ascii_hexdigit()),
        "问卷编号 shown: {n:?}"
    );
    n
}

/// Answers the ten ratings with `levels[k]` for rating k, as a trainee taps them.
async fn answer(b: &Browser, levels: [&str; 10]) {
    for (id, level) in RATINGS.iter().zip(levels) {
        choose(b, id, level).await;
    }
}

/// Presses the 检查 at the foot of the survey and waits for the hand-in code.
async fn check_and_wait_for_code(b: &Browser) -> String {
    submit(b).await;
    wait(
        b,
        "(() => { const c = document.querySelector('#handin:not([hidden]) [data-handin-code]');
                  const q = document.querySelector('#handin [data-handin-qr] svg');
                  return c && q && c.textContent.startsWith('GYB~'); })()",
        "the hand-in code and its QR code",
    )
    .await;
    shown(b, "[data-handin-code]").await
}

async fn radios_checked(b: &Browser) -> i64 {
    b.js(
        "return document.querySelectorAll('#form input[type=radio]:checked').length;",
        vec![],
    )
    .await
    .or_fail()
    .as_i64()
    .unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainee_hands_in_the_survey_at_360_and_1280() {
    for width in [360, 1280] {
        let b = open(Options {
            mobile_width: (width == 360).then_some(360),
        })
        .await;
        open_form(&b, "wenzhou-survey", &format!("?program={PROGRAM}")).await;
        the_first_screen_names_the_program_and_the_action(&b, width).await;
        checking_an_empty_survey_leads_to_the_first(&b, width).await;
        answered_and_checked_the_code_is_shown(&b, width).await;
        if width == 360 {
            assert_no_sideways_scroll(&b, "the survey at 360 px").await;
        }
        b.finish().await.or_fail();
    }
}

/// The first screen: the program named at the top, the first question whole, the search
/// box and reading settings above the form, the 说明 after it, one name for 检查.
async fn the_first_screen_names_the_program_and_the_action(b: &Browser, width: u32) {
    assert!(
        shown(b, "#handin-program")
            .await
            .starts_with("本问卷针对：增材制造"),
        "{width}: the program is named at the top"
    );
    // The first question, its four levels included, is on the first screen (a
    // 360 × 740 phone): the organizer's 说明 comes after the questions, whole.
    let (_, first_bottom) = rect(b, "[data-field=goal_setting]").await;
    assert!(
        first_bottom <= 740.0,
        "{width}: the first question ends at {first_bottom} px, below the first screen"
    );
    // The header's search box shows its whole hint (项目、单位、电话、文号), not
    // squeezed beside the reading settings, which stay on screen above the form.
    let widths = b
        .js(
            "const w = (s) => document.querySelector(s).getBoundingClientRect();
             const q = w('#site-search-q'), p = w('[data-prefs]');
             return [q.width, q.bottom, p.bottom, p.width];",
            vec![],
        )
        .await
        .or_fail();
    let num = |i: usize| widths[i].as_f64().unwrap_or(0.0);
    assert!(
        num(0) >= (width as f64 * 0.6).min(200.0),
        "{width}: the search box is {} px wide",
        num(0)
    );
    assert!(
        num(3) > 0.0 && num(2) < first_bottom && num(1) < first_bottom,
        "{width}: the reading settings ({:?}) and the search box sit above the form",
        widths
    );
    let (note_top, _) = rect(b, ".form-notes").await;
    let (form_top, _) = rect(b, "#form").await;
    assert!(
        note_top > form_top,
        "{width}: the 说明 follows the questions"
    );
    assert!(
        shown(b, ".form-notes")
            .await
            .contains("《绩效评价报告》第五部分"),
        "{width}: the 说明 is kept"
    );
    // One name for the action: 检查, at the top as at the foot.
    assert_eq!(shown(b, "#btn-handin").await, "检查", "{width}");
    assert_eq!(shown(b, "#btn-check").await, "检查", "{width}");
    // Optional comment boxes say so.
    assert_eq!(
        shown(b, "label[for=f-suggestions]").await,
        "培训建议或意见 （选填）",
        "{width}"
    );
}

/// 检查 on an empty survey: how many are unanswered, and the first one in view.
async fn checking_an_empty_survey_leads_to_the_first(b: &Browser, width: u32) {
    click(b, "#btn-handin").await;
    wait(
        b,
        "!document.getElementById('error-summary').hidden",
        "the summary",
    )
    .await;
    assert_eq!(
        shown(b, "#check-result").await,
        "还有 10 题没有回答，请从“目标设定”开始。",
        "{width}"
    );
    assert_eq!(
        shown(b, "#error-summary ul").await,
        "还有 10 题没有回答：从“目标设定”开始",
        "{width}: one line, not ten"
    );
    let red = b
        .js(
            "return document.querySelectorAll('.field-message.is-error').length;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        red,
        json!(0),
        "{width}: no red error for an unanswered question"
    );
    assert_eq!(
        shown(b, "[data-field=goal_setting] .field-message").await,
        "未回答：还有 10 题没有回答，请从这一题开始选择。",
        "{width}"
    );
    assert_eq!(
        shown(b, "[data-field=faculty] .field-message").await,
        "未回答：这一题还没有回答，请选择。",
        "{width}"
    );
    let focus = b
        .js(
            "return document.activeElement.getAttribute('name');",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(focus, json!("goal_setting"), "{width}: taken to the first");
    let (top, bottom) = rect(b, "[data-field=goal_setting]").await;
    let height = b.js("return innerHeight;", vec![]).await.or_fail();
    assert!(
        top >= 0.0 && bottom <= height.as_f64().unwrap_or(0.0),
        "{width}: the first unanswered question is on screen ({top}..{bottom})"
    );
}

/// Answered and checked: the hand-in code, its QR code, the message said once, in
/// trainees' words.
async fn answered_and_checked_the_code_is_shown(b: &Browser, width: u32) {
    answer(
        b,
        [
            "very_satisfied",
            "satisfied",
            "very_satisfied",
            "average",
            "very_satisfied",
            "satisfied",
            "very_satisfied",
            "very_satisfied",
            "satisfied",
            "very_satisfied",
        ],
    )
    .await;
    type_into(b, "suggestions", "希望多安排现场教学。").await;
    let code = check_and_wait_for_code(b).await;
    let result = shown(b, "#check-result").await;
    assert_eq!(
        result, "检查通过。请按下方“交问卷”的步骤交给班主任。",
        "{width}"
    );
    assert_eq!(result.matches("检查通过").count(), 1);
    assert!(code.len() <= 400, "{width}: {code}");
    let panel = shown(b, "#handin").await;
    for words in [
        "交问卷",
        "把下面的提交码发给班主任，或让班主任扫码。",
        "项目：增材制造",
        "复制提交码",
        "下载问卷文件",
        "问卷编号",
        "为下一位学员填写",
    ] {
        assert!(
            panel.contains(words),
            "{width}: panel lacks {words}: {panel}"
        );
    }
    response_number(b).await;
    let qr_title = b
        .js(
            "const t = document.querySelector('[data-handin-qr] svg[role=img]'); return t ? t.getAttribute('aria-label') : null;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(qr_title, json!("提交码的二维码"), "{width}");
    // Trainees' words: no file formats, field ids, encodings or browser errors.
    let text = page_text(b).await;
    for word in ["JSON", "字段 id", "UTF-8", "GBK", "NotFoundError", "null"] {
        assert!(!text.contains(word), "{width}: the survey shows {word}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_trainee_on_the_same_phone_gets_an_empty_form_and_a_new_number() {
    let b = open(PHONE).await;
    open_form(&b, "wenzhou-survey", &format!("?program={PROGRAM}")).await;
    answer(&b, ["very_satisfied"; 10]).await;
    type_into(&b, "reflections", "收获很大。").await;
    let first_code = check_and_wait_for_code(&b).await;
    let first = response_number(&b).await;

    // The phone is reloaded (or the page opened again): the answer was handed in.
    b.client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("reload: {e}"));
    wait_ready(&b).await;
    wait(
        &b,
        "document.querySelector('#handin-notice:not([hidden])')",
        "the handed-in notice",
    )
    .await;
    let notice = shown(&b, "#handin-notice").await;
    assert!(
        notice.starts_with("这份问卷已交") && notice.contains("为下一位学员填写"),
        "{notice}"
    );
    assert!(!visible(&b, "#draft-notice").await, "no draft notice");
    let text = page_text(&b).await;
    assert!(
        !text.contains("未提交的草稿"),
        "a handed-in answer is never called a draft: {text}"
    );
    assert_eq!(radios_checked(&b).await, 10, "the answer is still there");

    // 为下一位学员填写: an empty form, a way back.
    click(&b, "#handin-notice [data-action=next-trainee]").await;
    wait(
        &b,
        "!document.querySelector('#form input[type=radio]:checked')",
        "the form to be emptied",
    )
    .await;
    assert_eq!(value_of(&b, "reflections").await, "");
    assert!(!visible(&b, "#handin-notice").await);
    let undo = shown(&b, "#undo-bar").await;
    assert!(
        undo.contains("表单已清空，请下一位学员填写") && undo.contains("撤销"),
        "{undo}"
    );
    assert!(
        shown(&b, "#handin-program").await.contains("增材制造"),
        "the program stays"
    );
    // Undo brings the first trainee's answer back, with its number.
    click(&b, "#btn-undo").await;
    wait(
        &b,
        "document.querySelectorAll('#form input[type=radio]:checked').length === 10",
        "the answer to come back",
    )
    .await;
    assert_eq!(value_of(&b, "reflections").await, "收获很大。");
    assert_eq!(check_and_wait_for_code(&b).await, first_code);
    assert_eq!(response_number(&b).await, first);

    // The next trainee, from the panel's button this time.
    click(&b, "#handin [data-action=next-trainee]").await;
    wait(
        &b,
        "!document.querySelector('#form input[type=radio]:checked') && document.getElementById('handin').hidden",
        "the form to be emptied",
    )
    .await;
    // The last trainee's "检查通过" went with their answers.
    assert_eq!(
        shown(&b, "#check-result").await,
        "",
        "the check's outcome cleared"
    );
    answer(&b, ["satisfied"; 10]).await;
    let second_code = check_and_wait_for_code(&b).await;
    let second = response_number(&b).await;
    assert_ne!(second, first, "the next trainee never shares the number");
    assert!(
        shown(&b, "#handin .handin-how")
            .await
            .starts_with("把下面的提交码发给班主任"),
        "a first hand-in, not a correction"
    );

    // A correction: an answer changed after the hand-in, checked again, same number.
    choose(&b, "faculty", "average").await;
    assert_eq!(
        shown(&b, "#handin .handin-stale").await,
        "内容已修改：请再按一次“检查”，生成更正后的提交码（问卷编号不变）。"
    );
    b.client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("reload: {e}"));
    wait_ready(&b).await;
    wait(
        &b,
        "document.querySelector('#handin-notice:not([hidden])')",
        "the handed-in notice",
    )
    .await;
    let notice = shown(&b, "#handin-notice").await;
    assert!(
        notice.contains("这份问卷已交") && notice.contains("之后又有修改"),
        "{notice}"
    );
    assert_eq!(
        checked_value(&b, "faculty").await.as_deref(),
        Some("average")
    );
    let corrected = check_and_wait_for_code(&b).await;
    assert_ne!(
        corrected, second_code,
        "the corrected answer has its own code"
    );
    assert_eq!(
        response_number(&b).await,
        second,
        "a correction keeps the number"
    );
    assert!(
        shown(&b, "#handin .handin-how")
            .await
            .starts_with("这是更正后的问卷"),
        "the panel says it is a correction"
    );

    // The organizer's collection counts two trainees: the correction is the same one.
    let log = format!("学员甲：{first_code}\n学员乙：{second_code}\n学员乙（更正）：{corrected}\n");
    open_program_collection(&b).await;
    paste_codes(&b, &log).await;
    wait(
        &b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '2'",
        "two collected",
    )
    .await;
    let report = shown(&b, "[data-batch-report]").await;
    assert!(
        report.contains("新增 2 份") && report.contains("重复 1 份"),
        "{report}"
    );
    b.finish().await.or_fail();
}

async fn open_program_collection(b: &Browser) {
    let query = format!("?program={PROGRAM}");
    open_collection(b, &query, "the collection page's engine").await;
}

/// Puts `text` into the paste box (as a paste does) and presses 添加.
async fn paste_codes(b: &Browser, text: &str) {
    b.js(
        "const t = document.querySelector('textarea[name=codes]'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
        vec![json!(text)],
    )
    .await
    .or_fail();
    click(b, "[data-action=add-codes]").await;
}

/// The rows of the collection page's summary table as shown: each row's cells' text.
async fn table_rows(b: &Browser) -> Vec<Vec<String>> {
    let v = b
        .js(
            "return [...document.querySelectorAll('[data-summary-table] tbody tr')].map(tr =>
               [...tr.children].map(c => c.innerText.replace(/\\s+/g, ' ').trim()));",
            vec![],
        )
        .await
        .or_fail();
    serde_json::from_value(v).unwrap_or_default()
}

/// Three trainees' codes, filled on a phone: all 很满意; all 很满意 but 目标设定 满意; all
/// 一般.
async fn three_codes() -> Vec<String> {
    let b = open(PHONE).await;
    open_form(&b, "wenzhou-survey", &format!("?program={PROGRAM}")).await;
    let mut codes = Vec::new();
    for t in 0..3 {
        let mut levels = [
            ["very_satisfied"; 10],
            ["very_satisfied"; 10],
            ["average"; 10],
        ][t];
        if t == 1 {
            levels[0] = "satisfied";
        }
        answer(&b, levels).await;
        codes.push(check_and_wait_for_code(&b).await);
        click(&b, "#handin [data-action=next-trainee]").await;
        wait(
            &b,
            "document.getElementById('handin').hidden",
            "the next trainee",
        )
        .await;
    }
    b.finish().await.or_fail();
    codes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organizer_pastes_a_chat_log_and_carries_it_into_section_five() {
    let codes = three_codes().await;
    let cut = &codes[2][..codes[2].len() - 15];
    // The bad line is line 9 of the log; the good copy of trainee 3 comes later.
    let log = format!(
        "【研修班群】聊天记录\n王老师 09:01\n请大家把提交码发到群里\n\
         张三 09:05\n{}\n李四 09:06\n我的码：{} 收到请回复\n王五 09:07\n王五的码 {cut}\n\
         王五 09:09\n刚才没复制全，再发一次：{}\n",
        codes[0], codes[1], codes[2]
    );
    // What the command line makes of the same log: the page must show the same.
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "群聊.txt", &log);
    let arg = file.display().to_string();
    let out = site::run_site_gen(&[
        "form",
        "aggregate",
        "wenzhou-survey",
        "--program",
        PROGRAM,
        &arg,
    ])
    .or_fail();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cli_rate = cli["satisfaction_rate_text"]
        .as_str()
        .unwrap_or_else(|| panic!("r in {cli}"))
        .to_string();
    // r: 很满意 19 + 满意 1 of 30 ratings = 66.67 %, scored 6 (≥ 60 %, < 85 %).
    assert_eq!(cli_rate, "66.67%");

    // The program's name and organizer as its own page shows them.
    let b0 = open(Options::default()).await;
    b0.goto("/notices/wenzhou-2020/municipal-3/")
        .await
        .or_fail();
    let program_name = shown(&b0, "h1").await;
    let organizer = shown(&b0, ".facts dd").await;
    b0.finish().await.or_fail();

    for width in [1280, 360] {
        let b = open(Options {
            mobile_width: (width == 360).then_some(360),
        })
        .await;
        open_program_collection(&b).await;
        paste_codes(&b, &log).await;
        wait(
            &b,
            "document.querySelector('[data-collected-count]').textContent.trim() === '3'",
            "three collected",
        )
        .await;
        // The broken line is named and shown, although the paste box is cleared.
        let rejected = shown(&b, "[data-rejected]").await;
        assert!(
            rejected.starts_with("粘贴的文字 第 9 行：提交码不完整")
                && rejected.contains("（该行原文：王五的码 GYB~"),
            "{width}: {rejected}"
        );
        the_summary_table_shows_each_level(&b, width).await;
        // r and its score as written by the engine, as the command line gives them.
        let sat = shown(&b, "[data-satisfaction]").await;
        assert_eq!(
            sat,
            format!(
                "满意率 r = {cli_rate}（很满意和满意占全部评价的比例）；学员满意度得分 {} 分。",
                cli["satisfaction_score"]
            ),
            "{width}"
        );
        assert!(sat.contains("66.67%") && sat.contains("得分 6 分"), "{sat}");
        assert!(!page_text(&b).await.contains("null"), "{width}");
        if width == 360 {
            assert_no_sideways_scroll(&b, "the collection page at 360 px").await;
        }

        the_carry_fills_section_five(&b, width, &cli_rate, &program_name, &organizer).await;
        b.finish().await.or_fail();
    }
}

/// The summary table on screen: ten rows, each with its 评估内容 and 评估指标, the
/// percentage and count of each level, every number on screen.
async fn the_summary_table_shows_each_level(b: &Browser, width: u32) {
    // The levels are named by the table's head on a PC, on each card's numbers on a
    // phone (where the head is not shown).
    let head = if width == 1280 {
        let head = shown(b, "[data-summary-table] thead").await;
        head.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    } else {
        let v = b
            .js(
                "return ['评估内容', '评估指标'].concat([...document.querySelectorAll('[data-summary-table] tbody tr:first-child td[data-label]')]
                   .map(td => getComputedStyle(td, '::before').content.replace(/\"/g, '')));",
                vec![],
            )
            .await
            .or_fail();
        serde_json::from_value(v).unwrap_or_default()
    };
    assert_eq!(
        head,
        ["评估内容", "评估指标", "很满意", "满意", "一般", "不满意"],
        "{width}"
    );
    let rows = table_rows(b).await;
    assert_eq!(rows.len(), 10, "{width}: {rows:?}");
    assert_eq!(
        rows[0],
        [
            "培训设计",
            "目标设定",
            "33.4% 1 份",
            "33.3% 1 份",
            "33.3% 1 份",
            "0.0% 0 份"
        ],
        "{width}"
    );
    assert_eq!(
        rows[9],
        [
            "培训效果",
            "对个人成长帮助程度",
            "66.7% 2 份",
            "0.0% 0 份",
            "33.3% 1 份",
            "0.0% 0 份"
        ],
        "{width}"
    );
    let labels: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        labels,
        [
            "目标设定",
            "课程设置",
            "师资配备",
            "教学内容",
            "教学方法",
            "教学水平",
            "学员管理",
            "服务质量",
            "对推动工作帮助程度",
            "对个人成长帮助程度"
        ]
    );
    // Every number is on screen, at 360 px too (no sideways scrolling to find it).
    let off_screen = b
        .js(
            "return [...document.querySelectorAll('[data-summary-table] tbody td')]
               .filter(td => { const r = td.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > innerWidth; }).length;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        off_screen,
        json!(0),
        "{width}: cells of the table off screen"
    );
}

/// The carry: the report opens for this program, at section 五, with the program's
/// name, organizer and r as the collection page and the command line give them.
async fn the_carry_fills_section_five(
    b: &Browser,
    width: u32,
    cli_rate: &str,
    program_name: &str,
    organizer: &str,
) {
    click(b, "[data-action=to-evaluation]").await;
    wait_ready(b).await;
    wait(
        b,
        "document.querySelector('[name=\"survey.forms\"]').value === '3'",
        "section 五 to hold the three responses",
    )
    .await;
    wait(
        b,
        "(() => { const s = document.querySelector('[data-survey-summary]').closest('fieldset');
                  const r = s.getBoundingClientRect(); return document.activeElement === s && r.top >= -1 && r.top < innerHeight / 2; })()",
        "section 五 in view",
    )
    .await;
    let scrolled = b.js("return scrollY;", vec![]).await.or_fail();
    assert!(
        scrolled.as_f64().unwrap_or(0.0) > 1000.0,
        "{width}: the report is scrolled down to section 五 ({scrolled})"
    );
    assert_eq!(value_of(b, "project_name").await, program_name, "{width}");
    assert_eq!(value_of(b, "organizer").await, organizer, "{width}");
    assert_eq!(
        value_of(b, "survey.indicators.goal_setting.very_satisfied").await,
        "1"
    );
    let rate = shown(b, ".survey-rate").await;
    assert!(
        rate.contains(&format!("= {cli_rate}")) && rate.contains("学员满意度得分 6 分"),
        "{width}: the report writes r as the collection does: {rate}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_survey_link_of_a_program_page_names_the_program() {
    let b = open(Options::default()).await;
    b.goto("/notices/wenzhou-2020/municipal-3/").await.or_fail();
    let links = b
        .js(
            "return [...document.querySelectorAll('a[href*=\"/forms/wenzhou-survey/\"]')]
               .filter(a => !a.href.includes('/collect/')).map(a => [a.innerText.trim(), a.href]);",
            vec![],
        )
        .await
        .or_fail();
    let links: Vec<(String, String)> = serde_json::from_value(links).unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    for (text, href) in &links {
        assert!(
            href.contains("program=wenzhou-2020%2Fmunicipal-3"),
            "{text}: {href}"
        );
    }
    // The one under 在线填写 opens the survey for the program.
    click(
        &b,
        "#forms-title + .hint + .form-links a[href*=\"wenzhou-survey\"]",
    )
    .await;
    wait_ready(&b).await;
    wait(
        &b,
        "document.getElementById('handin-program')",
        "the program line",
    )
    .await;
    assert!(shown(&b, "#handin-program").await.contains("增材制造"));
    // The notice's 在线填写 is words beside a link, not a button that does nothing.
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    let look = b
        .js(
            "const e = document.querySelector('.online-note'); const s = getComputedStyle(e);
             return [e.tagName, e.innerText, s.borderTopStyle, e.closest('a,button') !== null];",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(look, json!(["SPAN", "（可在线填写）", "none", false]));
    b.finish().await.or_fail();
}
