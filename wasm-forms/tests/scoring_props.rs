//! Properties: scoring and aggregation never panic, scores stay within 0 and their
//! maximum and are multiples of 0.1, percentages sum to exactly 100.0.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use wasm_forms::aggregate::{
    aggregate, largest_remainder_tenths, summary_from_counts, SurveyCounts, SurveyLayout,
};
use wasm_forms::calendar::{parse_year, Calendar};
use wasm_forms::schema::{parse_toml, FieldType, FormSchema};
use wasm_forms::score::{score, ChoiceOption, Indicator, RateRule, Rule, Scoring, Section, Tier};
use wasm_forms::validate::Context;

fn load(form: &str) -> FormSchema {
    let p = format!(
        "{}/../content/forms/{form}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_toml(&std::fs::read_to_string(&p).unwrap()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        (-1e30f64..1e30).prop_map(|f| json!(f)),
        (0u32..200).prop_map(|i| json!(i)),
        (0u32..2000).prop_map(|i| json!(f64::from(i) / 10.0)),
        "[0-9.\\-e ]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("full"),
            Just("partial"),
            Just("none"),
            Just("true"),
            Just("very_satisfied")
        ]
        .prop_map(|s| Value::String(s.into())),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn survey_value() -> impl Strategy<Value = Value> {
    (0u64..50, prop::collection::vec(prop::array::uniform4(0u64..20), 10)).prop_map(|(forms, rows)| {
        let ids = [
            "goal_setting", "course_design", "faculty", "teaching_content", "teaching_method",
            "teaching_level", "trainee_management", "service_quality", "work_help", "growth_help",
        ];
        let ind: Map<String, Value> = ids
            .iter()
            .zip(rows)
            .map(|(id, r)| {
                (id.to_string(), json!({"very_satisfied": r[0], "satisfied": r[1], "average": r[2], "dissatisfied": r[3]}))
            })
            .collect();
        json!({"forms": forms, "indicators": ind})
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_score_within_zero_and_max(
        picks in prop::collection::vec(any_json(), 40),
        survey in survey_value(),
    ) {
        let schema = load("wenzhou-evaluation");
        let sc = schema.scoring.as_ref().unwrap();
        let mut values = Map::new();
        for ((key, _), v) in sc.input_keys().into_iter().zip(picks.iter().cycle()) {
            values.insert(key, v.clone());
        }
        values.insert("survey".into(), survey);
        let r = score(&schema, &values);
        let tenth = Decimal::new(1, 1);
        let mut sum = Decimal::ZERO;
        for ind in sc.indicators() {
            let got = &r.indicators[&ind.id];
            if let Some(s) = got.score {
                prop_assert!(s >= Decimal::ZERO && s <= ind.max, "{} {s}", ind.id);
                prop_assert!((s / tenth).fract().is_zero(), "{} {s}", ind.id);
                sum += s;
            }
            prop_assert!(!got.reason.is_empty());
        }
        prop_assert_eq!(r.total, sum);
        prop_assert!(r.total <= Decimal::ONE_HUNDRED);
        serde_json::to_string(&r).unwrap();
    }

    #[test]
    fn scoring_arbitrary_values_never_panics(values in prop::collection::btree_map("[a-z_]{1,30}", any_json(), 0..30)) {
        let schema = load("wenzhou-evaluation");
        let values: Map<String, Value> = values.into_iter().collect();
        let r = score(&schema, &values);
        prop_assert!(r.total >= Decimal::ZERO && r.total <= Decimal::ONE_HUNDRED);
    }

    #[test]
    fn percentages_sum_to_100(counts in prop::collection::vec(0u64..1_000_000, 1..8)) {
        let t = largest_remainder_tenths(&counts);
        let total: u64 = t.iter().sum();
        if counts.iter().all(|&c| c == 0) {
            prop_assert_eq!(total, 0);
        } else {
            prop_assert_eq!(total, 1000);
            // Each is its exact share rounded down or up by at most one tenth.
            let n: u128 = counts.iter().map(|&c| u128::from(c)).sum();
            for (c, p) in counts.iter().zip(&t) {
                let floor = u128::from(*c) * 1000 / n;
                prop_assert!(u128::from(*p) == floor || u128::from(*p) == floor + 1);
            }
        }
    }

    #[test]
    fn summary_percentages_sum_to_100_for_every_indicator(survey in survey_value()) {
        let counts: SurveyCounts = serde_json::from_value(survey).unwrap();
        let s = summary_from_counts(&load("wenzhou-evaluation"), &counts);
        for (id, levels) in &s.indicators {
            let sum: Decimal = levels.values().map(|l| l.percent).sum();
            let n: u64 = levels.values().map(|l| l.count).sum();
            let want = if n == 0 { Decimal::ZERO } else { Decimal::ONE_HUNDRED };
            prop_assert_eq!(sum, want, "{}", id);
        }
        if let Some(score) = s.satisfaction_score {
            prop_assert!([4, 6, 8, 10].contains(&i64::try_from(score).unwrap()));
        }
    }

    #[test]
    fn aggregating_arbitrary_files_never_panics(files in prop::collection::vec(any_json(), 0..12)) {
        let schema = load("wenzhou-survey");
        let ctx = Context { rules: Default::default(), calendar: None, today: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() };
        let inputs: Vec<(String, Result<Value, String>)> = files
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("{i}.json"), if i % 5 == 4 { Err("unreadable".into()) } else { Ok(v) }))
            .collect();
        let eval = load("wenzhou-evaluation");
        let s = aggregate(&schema, &inputs, &ctx, RateRule::of(&eval));
        prop_assert_eq!(s.forms as usize + s.rejected.len(), inputs.len());
    }

    #[test]
    fn working_day_walks_never_panic(days in -40_000i64..40_000, n in 0u32..400) {
        let years = [2020, 2024, 2025, 2026].into_iter().map(|y| {
            let p = format!("{}/../content/calendar/{y}.toml", env!("CARGO_MANIFEST_DIR"));
            parse_year(&std::fs::read_to_string(&p).unwrap()).unwrap()
        }).collect();
        let cal = Calendar::from_years(years).unwrap();
        let base = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let d = base + chrono::Duration::days(days);
        if let Ok(after) = cal.nth_working_day_after(d, n) {
            prop_assert!(after >= d);
            if n > 0 {
                prop_assert!(after > d && cal.is_working_day(after).unwrap());
                prop_assert_eq!(cal.working_days_between(d.succ_opt().unwrap(), after).unwrap(), n);
            }
        }
        if let Ok(before) = cal.nth_working_day_before(d, n) {
            prop_assert!(before <= d);
        }
    }
}

fn any_dec() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-50i64..200).prop_map(|i| Decimal::new(i, 1)),
        any::<i64>().prop_map(|i| Decimal::new(i, 0)),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
    ]
}

fn any_rule() -> impl Strategy<Value = Rule> {
    let tiers = || {
        prop::collection::vec(
            (any_dec(), any_dec()).prop_map(|(at_least, score)| Tier { at_least, score }),
            0..4,
        )
    };
    prop_oneof![
        prop::collection::vec(any_dec(), 0..4).prop_map(|s| Rule::Choice {
            options: s
                .into_iter()
                .map(|score| ChoiceOption {
                    score,
                    label: "x".into()
                })
                .collect()
        }),
        (any_dec(), any_dec(), any_dec()).prop_map(|(full_at, step, deduct)| Rule::StepRate {
            input: "completion_rate".into(),
            full_at,
            step,
            deduct
        }),
        any_dec().prop_map(|deduct| Rule::PerFinding { deduct }),
        tiers().prop_map(|tiers| Rule::Tiers {
            numerator: "funds_spent".into(),
            denominator: "funds_received".into(),
            tiers
        }),
        (tiers(), any_dec()).prop_map(|(tiers, below)| Rule::SurveyRate {
            input: "survey".into(),
            tiers,
            below
        }),
        (any_dec(), any_dec(), any_dec()).prop_map(|(defects, partial, none)| Rule::Established {
            prefix: "mgmt".into(),
            defects,
            partial,
            none
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A schema received as JSON is not trusted: checking and scoring with any numbers
    /// in it never panic, and scores still stay within 0 and the maximum.
    #[test]
    fn arbitrary_scoring_schemas_never_panic(
        rules in prop::collection::vec((any_rule(), any_dec()), 1..6),
        picks in prop::collection::vec(any_json(), 8),
        survey in survey_value(),
    ) {
        let indicators: Vec<Indicator> = rules
            .into_iter()
            .enumerate()
            .map(|(i, (rule, max))| Indicator {
                id: format!("i{i}"),
                label: "x".into(),
                max,
                criteria: String::new(),
                note: None,
                rule,
            })
            .collect();
        let sc = Scoring {
            total: Decimal::MAX,
            pass_mark: None,
            caption: String::new(),
            headers: Default::default(),
            inputs: Default::default(),
            sections: vec![Section { label: "s".into(), max: Decimal::MIN, indicators }],
        };
        let _ = sc.check();
        let mut values = Map::new();
        for ((key, _), v) in sc.input_keys().into_iter().zip(picks.iter().cycle()) {
            values.insert(key, v.clone());
        }
        values.insert("survey".into(), survey);
        let eval = load("wenzhou-evaluation");
        let counts = eval.fields().find(|f| f.kind == FieldType::Counts).unwrap();
        let r = sc.score_with(&values, &SurveyLayout::from_counts_field(counts));
        for ind in sc.indicators() {
            if let Some(s) = r.indicators[&ind.id].score {
                prop_assert!(s >= Decimal::ZERO && s <= ind.max.max(Decimal::ZERO));
            }
        }
        let _ = serde_json::to_string(&r);
    }
}
