//! The Wenzhou evaluation report: ten survey files dropped at once are aggregated into
//! the percentage table (one rejected file listed), and a filled report shows the
//! expected 综合得分 and no pass mark (the seed states none); the Shandong acceptance
//! form shows its two results against the schema's pass mark.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use std::path::PathBuf;

/// Ten survey responses: eight all 很满意, one all 一般, one missing a rating.
/// Valid: 9; r = 80 / 90 = 88.89 % (score 8); goal_setting 88.9 / 0.0 / 11.1 / 0.0.
fn survey_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for i in 1..=10 {
        let level = if i == 9 { "average" } else { "very_satisfied" };
        let mut values = serde_json::Map::new();
        for id in RATINGS {
            if i == 10 && id == "growth_help" {
                continue;
            }
            values.insert(id.into(), json!(level));
        }
        let response = json!({ "form": "wenzhou-survey", "version": 1, "values": values });
        files.push(write_file(
            dir,
            &format!("survey-{i:02}.json"),
            &response.to_string(),
        ));
    }
    files
}

async fn import_surveys(b: &Browser, files: &[PathBuf]) {
    let refs: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    set_files(b, "#file-import-surveys", &refs).await;
    wait(
        b,
        "document.querySelector('[data-survey-summary] table tbody tr')",
        "the aggregated survey table",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_survey_files_are_aggregated_and_the_bad_one_listed() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-evaluation", "").await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let files = survey_files(dir.path());
    import_surveys(&b, &files).await;

    let rows = b
        .js(
            "return Array.from(document.querySelectorAll('[data-survey-summary] table tbody tr')).map(tr =>
                 [tr.querySelector('th').textContent.trim()].concat(Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim())));",
            vec![],
        )
        .await
        .or_fail();
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 10, "one row per indicator: {rows:?}");
    let goal = rows
        .iter()
        .find(|r| r[0] == json!("目标设定"))
        .unwrap_or_else(|| panic!("no 目标设定 row in {rows:?}"));
    let pct: Vec<f64> = goal
        .as_array()
        .map(|a| {
            a.iter()
                .skip(1)
                .filter_map(|v| v.as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(pct, vec![88.9, 0.0, 11.1, 0.0], "目标设定 percentages");
    let rate = text_of(&b, "[data-survey-summary]").await;
    assert!(rate.contains("9 份"), "nine valid forms: {rate}");
    assert!(
        rate.contains("88.89"),
        "satisfaction rate r = 88.89 %: {rate}"
    );
    assert!(
        b.find("[data-survey-summary] svg").await.is_ok(),
        "a bar chart beside the table"
    );
    let rejected = text_of(&b, "#survey-rejected").await;
    assert!(
        rejected.contains("survey-10.json"),
        "rejected file listed: {rejected}"
    );
    assert!(
        !rejected.contains("survey-09.json"),
        "valid files not listed: {rejected}"
    );

    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}

/// Clicks the radio of group `name` whose value is the number `score`.
async fn choose_score(b: &Browser, name: &str, score: f64) {
    let value = b
        .js(
            "const r = Array.from(document.querySelectorAll(arguments[0])).find(r => Number(r.value) === arguments[1]);
             return r ? r.value : null;",
            vec![json!(format!("input[type=radio]{}", named(name))), json!(score)],
        )
        .await
        .or_fail();
    let value = value
        .as_str()
        .unwrap_or_else(|| panic!("no radio {name} with value {score}"));
    choose(b, name, value).await;
}

/// The highest score offered by the radio group `name`.
async fn max_score(b: &Browser, name: &str) -> Option<f64> {
    b.js(
        "const v = Array.from(document.querySelectorAll(arguments[0])).map(r => Number(r.value)).filter(n => !isNaN(n));
         return v.length ? Math.max(...v) : null;",
        vec![json!(format!("input[type=radio]{}", named(name)))],
    )
    .await
    .or_fail()
    .as_f64()
}

/// Sets a boolean field, whether rendered as a checkbox or as yes / no radios.
async fn set_bool(b: &Browser, name: &str, on: bool) {
    let kind = b
        .js(
            "const c = document.querySelector(arguments[0]); return c ? c.type : null;",
            vec![json!(format!("input{}", named(name)))],
        )
        .await
        .or_fail();
    match kind.as_str() {
        Some("checkbox") => {
            let checked = b
                .js(
                    "return document.querySelector(arguments[0]).checked;",
                    vec![json!(format!("input{}", named(name)))],
                )
                .await
                .or_fail();
            if checked != Value::Bool(on) {
                click(b, &format!("input{}", named(name))).await;
            }
        }
        Some("radio") => choose(b, name, if on { "true" } else { "false" }).await,
        other => panic!("no boolean control {name} ({other:?})"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filled_evaluation_shows_the_expected_total() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-evaluation", "").await;

    // Every choice indicator at its maximum except 培训项目完成质量 (3 of 5).
    let choice = [
        "basis_sufficiency",
        "goal_rationality",
        "goal_clarity",
        "plan_rationality",
        "org_support",
        "approval",
        "supervision",
        "faculty",
        "curriculum",
        "teaching",
        "service_improvement",
        "content_fit",
        "teaching_quality",
        "effect_recognition",
    ];
    for id in choice {
        let max = max_score(&b, id)
            .await
            .unwrap_or_else(|| panic!("no score radios for indicator {id}"));
        choose_score(&b, id, max).await;
    }
    choose_score(&b, "quality", 3.0).await;
    type_into(&b, "project_name", "高端轻工装备与智能制造协同创新").await;
    type_into(&b, "completion_rate", "92").await; // 5 - 0.2 = 4.8
    set_bool(&b, "mgmt_established", true).await;
    set_bool(&b, "mgmt_defects", false).await;
    choose(&b, "mgmt_execution", "full").await;
    set_bool(&b, "finance_established", true).await;
    set_bool(&b, "finance_defects", false).await;
    choose(&b, "finance_execution", "full").await;
    type_into(&b, "ledger_authenticity_findings", "2").await; // 3 - 0.4 = 2.6
    for id in [
        "ledger_completeness",
        "spending_consistency",
        "spending_compliance",
        "accounting_standard",
        "accounting_truth",
    ] {
        type_into(&b, &format!("{id}_findings"), "0").await;
    }
    type_into(&b, "funds_received", "10").await;
    type_into(&b, "funds_spent", "10").await;

    // Satisfaction from ten dropped surveys: r = 88.89 % gives 8 of 10.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    import_surveys(&b, &survey_files(dir.path())).await;

    // 100 - 2 (quality) - 0.2 (progress) - 0.4 (ledger) - 2 (satisfaction) = 95.4
    wait(&b, "Array.from(document.querySelectorAll('[data-score-total]')).some(e => e.textContent.trim() === '95.4')", "综合得分 95.4").await;
    let shown = |id: &'static str| format!("[data-score=\"{id}\"]");
    assert_eq!(text_of(&b, &shown("progress")).await.trim(), "4.8");
    assert_eq!(
        text_of(&b, &shown("ledger_authenticity")).await.trim(),
        "2.6"
    );
    assert_eq!(text_of(&b, &shown("satisfaction")).await.trim(), "8");
    assert_eq!(text_of(&b, &shown("fund_usage")).await.trim(), "3");
    // The Wenzhou seed states no pass mark: the page judges none.
    assert!(!visible(&b, "[data-score-passed]").await);
    let total_row = text_of(&b, ".scoring tfoot").await;
    assert!(!total_row.contains("合格"), "no pass state: {total_row}");

    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptance_scores_are_judged_by_the_schemas_pass_mark() {
    let b = open(Options::default()).await;
    open_form(&b, "shandong-acceptance", "").await;
    type_into(&b, "organizer_score", "70").await;
    type_into(&b, "applicant_score", "69.9").await;
    wait(
        &b,
        "document.querySelector('[data-computed=\"applicant_passed\"]').textContent.trim() === '不合格'",
        "申报单位 69.9 below 70",
    )
    .await;
    assert_eq!(
        text_of(&b, "[data-computed=\"organizer_passed\"]")
            .await
            .trim(),
        "合格"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_adds_up_the_expense_rows_beside_the_total() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-evaluation", "").await;
    type_into(&b, "lecturer_fees.amount", "1.2").await;
    type_into(&b, "venue.amount", "０.８").await; // full-width digits, normalised
    type_into(&b, "total_cost", "3").await;
    let line = "document.querySelector('.sum-line output').textContent";
    wait(
        &b,
        &format!("{line} === '2 万元，总费用 3 万元，相差 1 万元'"),
        "the sum and its difference",
    )
    .await;
    type_into(&b, "total_cost", "2.0").await;
    wait(
        &b,
        &format!("{line} === '2 万元，与总费用一致'"),
        "the sum equal to the total",
    )
    .await;
    b.finish().await.or_fail();
}
