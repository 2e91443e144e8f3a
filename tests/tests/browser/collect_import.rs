//! The collection page's files held to the command line's limit on any file read: a file
//! over the cap is refused before it is read, named, with the engine's message in
//! Chinese; the other files of the batch are added and nothing collected is lost.

use super::common::*;
use site_tests::browser::{Browser, Options};

const PHONE: Options = Options {
    mobile_width: Some(360),
};

/// A screenshot into `SITE_TESTS_SHOT_DIR`, when set (for looking at the page).
async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        let png = b.client.screenshot().await.expect("a screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

async fn collected(b: &Browser) -> String {
    text_of(b, "[data-collected-count]")
        .await
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_collection_page_refuses_a_file_over_the_cap_and_keeps_what_it_collected() {
    let b = open(PHONE).await;
    open_collection(&b, "", "the collection page's engine").await;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../site-gen/tests/fixtures/responses")
        .canonicalize()
        .unwrap();
    let a = fixtures.join("survey-a.json");
    let bb = fixtures.join("survey-b.json");
    set_files(&b, "input[type=file][name=files]", &[&a]).await;
    wait(
        &b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '1'",
        "one collected",
    )
    .await;

    // A sparse file one byte over 64 MiB beside a good one: the big one is refused by
    // its size, never read; the good one is added.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("群聊记录.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    set_files(&b, "input[type=file][name=files]", &[&big, &bb]).await;
    wait(
        &b,
        "document.getElementById('collect-status').textContent.includes('群聊记录.txt')",
        "the refusal",
    )
    .await;
    let status = text_of(&b, "#collect-status").await;
    assert!(
        status.contains("无法导入 群聊记录.txt，已收到的问卷未受影响")
            && status.contains("文件大于 64 MiB，超出可导入的范围"),
        "{status}"
    );
    let report = text_of(&b, "[data-batch-report]").await;
    assert!(
        report.contains("2 个文件：新增 1 份，无效 1 处")
            && report.contains("群聊记录.txt：文件大于 64 MiB"),
        "{report}"
    );
    assert!(visible(&b, "[data-batch-report] [data-rejected]").await);
    assert_eq!(
        collected(&b).await,
        "2",
        "the good file of the batch is added"
    );
    b.js(
        "document.getElementById('collect-status').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await
    .or_fail();
    shot(&b, "collect-refused-360.png").await;
    b.js(
        "document.querySelector('[data-batch-report]').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await
    .or_fail();
    shot(&b, "collect-refused-report-360.png").await;

    // The big file alone: refused, the collection as it was, also after a reload.
    set_files(&b, "input[type=file][name=files]", &[&big]).await;
    wait(
        &b,
        "document.querySelector('[data-batch-report] h2').textContent.startsWith('1 个文件')",
        "the second refusal",
    )
    .await;
    assert!(text_of(&b, "#collect-status")
        .await
        .contains("无法导入 群聊记录.txt"));
    assert_eq!(collected(&b).await, "2");
    assert_no_sideways_scroll(&b, "the refusal at 360 px").await;
    open_collection(&b, "", "the collection page's engine after reload").await;
    assert_eq!(
        collected(&b).await,
        "2",
        "the collection survives the refusal"
    );
    b.finish().await.or_fail();
}

/// A sparse file one byte over the cap, named `name`, in `dir`.
fn over_the_cap(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evaluation_reports_survey_import_and_a_drafts_import_refuse_a_file_over_the_cap() {
    let b = open(Options::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let big = over_the_cap(dir.path(), "问卷汇总.json");

    // The evaluation report's survey import: the counts imported before stay.
    open_form(&b, "wenzhou-evaluation", "").await;
    let a = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../site-gen/tests/fixtures/responses/survey-a.json")
        .canonicalize()
        .unwrap();
    set_files(&b, "#file-import-surveys", &[&a]).await;
    wait(
        &b,
        "document.querySelector('[data-survey-summary] table tbody tr')",
        "the aggregated survey table",
    )
    .await;
    let summary = text_of(&b, "[data-survey-summary]").await;
    assert!(summary.contains("1 份"), "{summary}");
    set_files(&b, "#file-import-surveys", &[&big]).await;
    let errors = import_refused(&b, "问卷汇总.json").await;
    assert!(
        errors.contains("无法导入 问卷汇总.json，问卷汇总未改动")
            && errors.contains("文件大于 64 MiB，超出可导入的范围"),
        "{errors}"
    );
    assert_eq!(text_of(&b, "[data-survey-summary]").await, summary);

    // A draft's JSON import on the survey: the draft stays as it was.
    open_form(&b, "wenzhou-survey", "").await;
    choose(&b, "goal_setting", "satisfied").await;
    let draft = "return localStorage.getItem('draft:wenzhou-survey');";
    wait(
        &b,
        "(localStorage.getItem('draft:wenzhou-survey') || '').includes('satisfied')",
        "the draft saved",
    )
    .await;
    let before = b.js(draft, vec![]).await.or_fail();
    let big = over_the_cap(dir.path(), "草稿.json");
    set_files(&b, "#file-import-json", &[&big]).await;
    let errors = import_refused(&b, "草稿.json").await;
    assert!(
        errors.contains("无法导入 草稿.json，当前草稿未改动")
            && errors.contains("文件大于 64 MiB，超出可导入的范围"),
        "{errors}"
    );
    assert_eq!(b.js(draft, vec![]).await.or_fail(), before);
    assert_eq!(
        checked_value(&b, "goal_setting").await.as_deref(),
        Some("satisfied")
    );
    b.finish().await.or_fail();
}
