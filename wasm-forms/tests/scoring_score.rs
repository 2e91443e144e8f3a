//! Scoring of `wenzhou-evaluation` (forms.md, 附件3 四、项目绩效评价指标体系), table-driven,
//! against the real schema in `content/forms/`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

#[path = "fixture/survey.rs"]
mod survey_fixture;
use survey_fixture::RATINGS;

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use wasm_forms::schema::{parse_toml, FormSchema};
use wasm_forms::score::{score, ScoreResult};

fn schema() -> FormSchema {
    let p = format!(
        "{}/../content/forms/wenzhou-evaluation.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let src = std::fs::read_to_string(&p).unwrap();
    parse_toml(&src).unwrap_or_else(|e| panic!("{e:?}"))
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn values(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// A complete response scoring full marks everywhere.
fn full() -> Map<String, Value> {
    let mut m = values(json!({
        "basis_sufficiency": 1, "goal_rationality": 1, "goal_clarity": 1, "plan_rationality": 2,
        "completion_rate": 100, "quality": 5,
        "org_support": 5, "mgmt_established": true, "mgmt_defects": false, "mgmt_execution": "full",
        "approval": 4, "supervision": 5,
        "ledger_authenticity_findings": 0, "ledger_completeness_findings": 0,
        "faculty": 3, "curriculum": 3, "teaching": 4,
        "service_improvement": 5, "content_fit": 5, "teaching_quality": 5, "effect_recognition": 5,
        "funds_received": 2, "funds_spent": 2,
        "spending_consistency_findings": 0, "spending_compliance_findings": 0,
        "accounting_standard_findings": 0, "accounting_truth_findings": 0,
        "finance_established": true, "finance_defects": false, "finance_execution": "full",
    }));
    m.insert("survey".into(), survey(20, [20, 0, 0, 0]));
    m
}

/// Survey counts with the same split for all ten indicators.
fn survey(forms: u64, split: [u64; 4]) -> Value {
    let ids = RATINGS;
    let mut ind = Map::new();
    for id in ids {
        ind.insert(
            id.into(),
            json!({"very_satisfied": split[0], "satisfied": split[1], "average": split[2], "dissatisfied": split[3]}),
        );
    }
    json!({"forms": forms, "indicators": ind})
}

fn with(changes: Value) -> ScoreResult {
    let mut v = full();
    for (k, x) in values(changes) {
        if x.is_null() {
            v.remove(&k);
        } else {
            v.insert(k, x);
        }
    }
    score(&schema(), &v)
}

fn ind(r: &ScoreResult, id: &str) -> (Option<Decimal>, String) {
    let i = &r.indicators[id];
    (i.score, i.reason.clone())
}

#[test]
fn full_marks_total_100_and_every_indicator_listed() {
    let s = schema();
    assert!(s.scoring.as_ref().unwrap().check().is_empty());
    let r = score(&s, &full());
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert!(r.complete);
    assert_eq!(r.total, dec("100"));
    assert_eq!(r.indicators.len(), 26);
    assert_eq!(r.sections.len(), 8);
    let sums: Vec<String> = r.sections.iter().map(|s| s.score.to_string()).collect();
    assert_eq!(sums, ["5", "10", "25", "10", "30", "13", "4", "3"]);
}

#[test]
fn 完成进度_每降低5扣0点2分() {
    let cases: &[(Value, &str, &str)] = &[
        (json!(100), "5", "完成率 100%，达到100%，得满分"),
        (json!(120), "5", "完成率 120%，达到100%，得满分"),
        (json!(95), "4.8", "完成率 95%，低于100%共1个5%档，扣0.2分"),
        (
            json!(92.5),
            "4.8",
            "完成率 92.5%，低于100%共1个5%档，扣0.2分",
        ),
        (
            json!("92.5"),
            "4.8",
            "完成率 92.5%，低于100%共1个5%档，扣0.2分",
        ),
        (json!(90), "4.6", "完成率 90%，低于100%共2个5%档，扣0.4分"),
        (json!(0), "1", "完成率 0%，低于100%共20个5%档，扣4分"),
    ];
    for (x, want, reason) in cases {
        let r = with(json!({ "completion_rate": x }));
        let (s, why) = ind(&r, "progress");
        assert_eq!(s, Some(dec(want)), "completion {x}");
        assert_eq!(why, *reason, "completion {x}");
    }
}

#[test]
fn 完成进度_99点9_is_not_a_full_5_percent_step() {
    // floor((100 - 99.9) / 5) = 0: no deduction, but not the full-marks reason either.
    let r = with(json!({ "completion_rate": 99.9 }));
    assert_eq!(
        ind(&r, "progress"),
        (
            Some(dec("5")),
            "完成率 99.9%，低于100%不足一个5%档，不扣分".to_owned()
        )
    );
}

#[test]
fn 完成进度_negative_or_text_is_an_error_and_unscored() {
    for x in [json!(-1), json!("很多"), json!(true)] {
        let r = with(json!({ "completion_rate": x }));
        assert_eq!(ind(&r, "progress").0, None, "{x}");
        assert!(
            r.findings
                .iter()
                .any(|f| f.path == "completion_rate" && f.is_error()),
            "{x}"
        );
        assert!(!r.complete);
        assert_eq!(r.total, dec("95"));
    }
}

#[test]
fn 每发现一处扣0点2分_扣完为止() {
    let cases: &[(&str, u64, &str, &str)] = &[
        ("ledger_authenticity", 0, "3", "未发现问题，得满分"),
        ("ledger_authenticity", 3, "2.4", "发现3处，扣0.6分"),
        ("ledger_completeness", 15, "0", "发现15处，扣3分"),
        (
            "ledger_completeness",
            16,
            "0",
            "发现16处，扣3.2分，扣完为止",
        ),
        ("spending_consistency", 3, "4.4", "发现3处，扣0.6分"),
        ("spending_compliance", 30, "0", "发现30处，扣6分，扣完为止"),
        ("accounting_standard", 1, "1.8", "发现1处，扣0.2分"),
        ("accounting_truth", 11, "0", "发现11处，扣2.2分，扣完为止"),
    ];
    for (id, n, want, reason) in cases {
        let r = with(json!({ format!("{id}_findings"): n }));
        assert_eq!(
            ind(&r, id),
            (Some(dec(want)), (*reason).to_owned()),
            "{id} {n}"
        );
    }
}

#[test]
fn findings_count_must_be_a_whole_number() {
    for x in [json!(1.5), json!(-2), json!("两处")] {
        let r = with(json!({ "ledger_authenticity_findings": x }));
        assert_eq!(ind(&r, "ledger_authenticity").0, None, "{x}");
        assert!(r
            .findings
            .iter()
            .any(|f| f.path == "ledger_authenticity_findings"));
    }
}

#[test]
fn 专项资金使用率_compared_exactly() {
    let cases: &[(Value, Value, &str)] = &[
        (json!(2), json!(2), "3"),
        (json!(2.5), json!(2), "3"),
        (json!("1.99"), json!(2), "2"),
        (json!(1.6), json!(2), "2"),   // exactly 80 %
        (json!(1.599), json!(2), "1"), // just below 80 %
        (json!(1.2), json!(2), "1"),   // exactly 60 %
        (json!(1.19), json!(2), "0"),
        (json!(0), json!(2), "0"),
        (json!(2), json!(3), "1"), // 66.67 %
        (json!(0.8), json!(1), "2"),
        (json!(0.3), json!(0.5), "1"), // 60 % with binary-inexact inputs
    ];
    for (spent, received, want) in cases {
        let r = with(json!({ "funds_spent": spent, "funds_received": received }));
        assert_eq!(
            ind(&r, "fund_usage").0,
            Some(dec(want)),
            "{spent}/{received}"
        );
    }
    let r = with(json!({ "funds_spent": 2, "funds_received": 3 }));
    assert!(
        ind(&r, "fund_usage").1.contains("使用率 66.67%"),
        "{}",
        ind(&r, "fund_usage").1
    );
}

#[test]
fn 实际到位资金为0_is_a_finding() {
    let r = with(json!({ "funds_spent": 1, "funds_received": 0 }));
    assert_eq!(ind(&r, "fund_usage").0, None);
    let f = r
        .findings
        .iter()
        .find(|f| f.path == "funds_received")
        .unwrap();
    assert!(f.is_error() && f.message.contains("应大于 0"), "{f:?}");
}

#[test]
fn 学员满意度_thresholds_exact() {
    // r = (very_satisfied + satisfied) / all, per form split over 20 forms.
    let cases: &[(u64, [u64; 4], &str, &str)] = &[
        (20, [19, 0, 1, 0], "10", "95.00"), // exactly 95 %
        (20, [10, 9, 1, 0], "10", "95.00"),
        (20, [20, 0, 0, 0], "10", "100.00"),
        (20, [10, 8, 2, 0], "8", "90.00"),
        (20, [17, 0, 3, 0], "8", "85.00"), // exactly 85 %
        (20, [12, 0, 8, 0], "6", "60.00"), // exactly 60 %
        (20, [11, 0, 9, 0], "4", "55.00"),
        (20, [0, 0, 10, 10], "4", "0.00"),
        (3, [2, 0, 1, 0], "6", "66.67"),
    ];
    for (forms, split, want, r) in cases {
        let res = with(json!({ "survey": survey(*forms, *split) }));
        let (s, why) = ind(&res, "satisfaction");
        assert_eq!(s, Some(dec(want)), "{split:?}");
        // r's one written form: two decimals, as the summaries show it.
        assert!(why.contains(&format!("满意率 {r}%（")), "{why}");
    }
}

#[test]
fn 学员满意度_just_below_95_is_8() {
    // 189 of 199 ratings per indicator... use 1990 ratings: 1890 satisfied = 94.97 %.
    let mut s = survey(199, [189, 0, 10, 0]);
    s["forms"] = json!(199);
    let r = with(json!({ "survey": s }));
    assert_eq!(ind(&r, "satisfaction").0, Some(dec("8")));
    assert!(ind(&r, "satisfaction").1.contains("94.97%"));
}

#[test]
fn survey_counts_that_do_not_sum_to_forms_are_findings() {
    let r = with(json!({ "survey": survey(21, [20, 0, 0, 0]) }));
    assert_eq!(ind(&r, "satisfaction").0, None);
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.path.starts_with("survey.indicators."))
            .count(),
        10
    );
    let r = with(json!({ "survey": survey(0, [0, 0, 0, 0]) }));
    assert_eq!(ind(&r, "satisfaction").0, None);
    assert!(r
        .findings
        .iter()
        .any(|f| f.message.contains("评估表份数为 0")));
}

#[test]
fn 管理制度保障_and_财务管理制度() {
    let cases: &[(&str, Value, &str)] = &[
        ("mgmt", json!([true, false, "full"]), "5"),
        ("mgmt", json!([true, true, "full"]), "4"),
        ("mgmt", json!([true, true, "partial"]), "3"),
        ("mgmt", json!([true, false, "none"]), "2"),
        ("mgmt", json!([true, true, "none"]), "1"),
        ("mgmt", json!([false, true, "none"]), "0"),
        ("finance", json!([true, false, "full"]), "3"),
        ("finance", json!([true, true, "partial"]), "2"),
        ("finance", json!([true, true, "none"]), "1.5"),
        ("finance", json!([false, false, "full"]), "0"),
    ];
    for (prefix, v, want) in cases {
        let r = with(json!({
            format!("{prefix}_established"): v[0],
            format!("{prefix}_defects"): v[1],
            format!("{prefix}_execution"): v[2],
        }));
        let id = if *prefix == "mgmt" {
            "mgmt_system"
        } else {
            "finance_system"
        };
        assert_eq!(ind(&r, id).0, Some(dec(want)), "{prefix} {v}");
    }
    let r = with(json!({"mgmt_defects": true, "mgmt_execution": "partial"}));
    assert_eq!(
        ind(&r, "mgmt_system").1,
        "制度有缺陷扣1分，部分执行不到位扣1分"
    );
}

#[test]
fn choice_is_the_chosen_score() {
    let r = with(json!({"basis_sufficiency": 0.5, "quality": "3", "supervision": 0}));
    assert_eq!(
        ind(&r, "basis_sufficiency"),
        (Some(dec("0.5")), "有依据但不充分：0.5分".into())
    );
    assert_eq!(ind(&r, "quality").0, Some(dec("3")));
    assert_eq!(ind(&r, "supervision").0, Some(dec("0")));
    assert_eq!(r.total, dec("92.5"));
}

#[test]
fn choice_outside_its_options_is_an_error() {
    // 4 is not an option of 培训项目完成质量 (5 / 3 / 2 / 1).
    let r = with(json!({"quality": 4, "basis_sufficiency": 0.7}));
    assert_eq!(ind(&r, "quality").0, None);
    assert_eq!(ind(&r, "basis_sufficiency").0, None);
    let f = r.findings.iter().find(|f| f.path == "quality").unwrap();
    assert!(f.message.contains("5 / 3 / 2 / 1"), "{}", f.message);
}

#[test]
fn a_score_typed_in_for_a_computed_indicator_is_an_error() {
    let r = with(json!({"progress": 5}));
    assert_eq!(ind(&r, "progress").0, None);
    assert!(r
        .findings
        .iter()
        .any(|f| f.path == "progress" && f.is_error()));
}

#[test]
fn missing_inputs_leave_the_indicator_unscored_and_the_total_counts_what_is_present() {
    let r = with(json!({"completion_rate": null, "quality": null, "survey": null}));
    assert!(!r.complete);
    assert_eq!(r.total, dec("80"));
    assert_eq!(ind(&r, "progress").0, None);
    let paths: Vec<&str> = r.findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["completion_rate", "quality", "survey"]);
    assert!(r.findings.iter().all(|f| !f.is_error()));
    let sec = &r.sections[1];
    assert_eq!((sec.score, sec.complete), (dec("0"), false));
    let r = score(&schema(), &Map::new());
    assert_eq!(r.total, dec("0"));
    assert_eq!(
        r.indicators.values().filter(|i| i.score.is_none()).count(),
        26
    );
}

#[test]
fn result_json_has_plain_numbers_with_one_decimal() {
    let r = with(json!({"completion_rate": 92.5, "ledger_authenticity_findings": 3}));
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["indicators"]["progress"]["score"], json!(4.8));
    assert_eq!(j["indicators"]["ledger_authenticity"]["score"], json!(2.4));
    assert_eq!(j["total"], json!(99.2));
    assert_eq!(j["max"], json!(100));
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains("\"total\":99.2"), "{text}");
    let back: ScoreResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
}
