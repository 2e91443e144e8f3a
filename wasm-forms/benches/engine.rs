//! Engine benchmarks: aggregate 10,000 `wenzhou-survey` responses; validate a
//! 10,000-row `wenzhou-hours-roster`; score one evaluation. Schemas come from
//! `content/forms/`. Run with `cargo bench -p wasm-forms --bench engine`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Map, Value};
use wasm_forms::aggregate::aggregate;
use wasm_forms::schema::{parse_toml, FormSchema};
use wasm_forms::score::score;
use wasm_forms::validate::{validate, Context};
use wasm_forms::NoticeRules;

fn load(form: &str) -> FormSchema {
    let p = format!(
        "{}/../content/forms/{form}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let src = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    parse_toml(&src).unwrap_or_else(|e| panic!("{p}: {e:?}"))
}

fn ctx() -> Context {
    Context {
        rules: NoticeRules {
            min_trainees: Some(30),
            days: Some([2.0, 3.0]),
            ..NoticeRules::default()
        },
        calendar: None,
        today: NaiveDate::from_ymd_opt(2020, 12, 1).unwrap_or_default(),
    }
}

const LEVELS: [&str; 4] = ["very_satisfied", "satisfied", "average", "dissatisfied"];
#[path = "../tests/fixture/survey.rs"]
mod survey_fixture;
use survey_fixture::RATINGS as IDS;

fn surveys(n: usize) -> Vec<(String, Result<Value, String>)> {
    (0..n)
        .map(|i| {
            let mut values = Map::new();
            for (j, id) in IDS.iter().enumerate() {
                values.insert((*id).into(), json!(LEVELS[(i * 7 + j * 3) % 4]));
            }
            values.insert(
                "suggestions".into(),
                json!("课程安排紧凑，希望增加案例教学。"),
            );
            (
                format!("{i}.json"),
                Ok(json!({"form": "wenzhou-survey", "version": 1, "values": values})),
            )
        })
        .collect()
}

/// A valid 18-character id number (GB 11643-1999 check character) for row `i`.
fn id_number(i: usize) -> String {
    let body = format!(
        "330302{}{:02}{:02}{:03}",
        1960 + i % 40,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn roster(n: usize) -> Value {
    // Distinct id numbers: vary the birth date and the sequence digits together.
    let rows: Vec<Value> = (0..n)
        .map(|i| {
            let body_i = i; // 40 years × 12 × 28 × 1000 combinations, far above n.
            json!({
                "seq": i + 1,
                "certificate_no": format!("WZ2020-{:05}", i + 1),
                "name": "张三",
                "id_number": id_number(body_i),
                "title": "高级工程师",
                "employer": "温州市工业科学研究院",
                "start_date": "2020-10-12",
                "end_date": "2020-10-14",
                "host": "温州市工业科学研究院",
                "course": "高端轻工装备与智能制造协同创新",
                "days": 3,
            })
        })
        .collect();
    json!({"form": "wenzhou-hours-roster", "version": 1, "values": {"trainees": rows}})
}

fn evaluation_values() -> Map<String, Value> {
    let mut ind = Map::new();
    for id in IDS {
        ind.insert(
            id.into(),
            json!({"very_satisfied": 20, "satisfied": 9, "average": 3, "dissatisfied": 0}),
        );
    }
    let v = json!({
        "basis_sufficiency": 1, "goal_rationality": 0.5, "goal_clarity": 1, "plan_rationality": 2,
        "completion_rate": 92.5, "quality": 3, "org_support": 5,
        "mgmt_established": true, "mgmt_defects": true, "mgmt_execution": "partial",
        "approval": 4, "supervision": 3,
        "ledger_authenticity_findings": 3, "ledger_completeness_findings": 0,
        "faculty": 3, "curriculum": 2, "teaching": 4,
        "service_improvement": 5, "content_fit": 4, "teaching_quality": 5, "effect_recognition": 4,
        "funds_received": 3, "funds_spent": 2.9,
        "spending_consistency_findings": 1, "spending_compliance_findings": 0,
        "accounting_standard_findings": 0, "accounting_truth_findings": 2,
        "finance_established": true, "finance_defects": false, "finance_execution": "full",
        "survey": {"forms": 32, "indicators": ind},
    });
    v.as_object().cloned().unwrap_or_default()
}

fn benches(c: &mut Criterion) {
    let ctx = ctx();

    let survey = load("wenzhou-survey");
    let inputs = surveys(10_000);
    let check = aggregate(&survey, &inputs, &ctx, None);
    assert_eq!(check.forms, 10_000, "{:?}", check.rejected.first());
    c.bench_function("aggregate 10,000 survey responses", |b| {
        b.iter(|| aggregate(black_box(&survey), black_box(&inputs), &ctx, None))
    });

    // The share of validation in the aggregation above.
    c.bench_function("validate 10,000 survey responses", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .filter(|v| validate(&survey, v, &ctx).valid)
                .count()
        })
    });

    let hours = load("wenzhou-hours-roster");
    let response = roster(10_000);
    let report = validate(&hours, &response, &ctx);
    assert!(report.valid, "{:?}", report.findings.first());
    c.bench_function("validate 10,000-row wenzhou-hours-roster", |b| {
        b.iter(|| validate(black_box(&hours), black_box(&response), &ctx))
    });

    let eval = load("wenzhou-evaluation");
    let values = evaluation_values();
    let r = score(&eval, &values);
    assert!(r.complete, "{:?}", r.findings);
    c.bench_function("score one wenzhou-evaluation", |b| {
        b.iter(|| score(black_box(&eval), black_box(&values)))
    });
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(engine);
