//! Property tests: validation never panics, whatever the input, and its report is
//! consistent (valid exactly when no finding is an error).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

mod core_support;
#[path = "core_support/rules.rs"]
mod rules;

use core_support::*;
use proptest::prelude::*;
use rules::*;
use serde_json::{json, Map, Value};
use wasm_forms::schema::FormSchema;
use wasm_forms::validate::{validate, Context};
use wasm_forms::{NoticeRules, Severity};

#[path = "fixture/forms.rs"]
mod fixture_forms;
use fixture_forms::FORMS;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just(1e300),
            Just(-0.0),
            Just(7.9e28),
            Just(0.1),
            Just(2.5),
            Just(70.0)
        ]
        .prop_map(|f| json!(f)),
        "\\PC{0,24}".prop_map(Value::String),
        "[0-9Xx０-９ -]{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("2024-02-29"),
            Just("9999-12-31"),
            Just("0000-01-01"),
            Just("11010519491231002X"),
            Just("very_satisfied"),
            Just("male"),
            Just("full"),
            Just("99999999999999999999999999999"),
            Just("-5"),
            Just("是"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every key a form knows (fields, columns, scoring inputs, counts rows).
fn keys(s: &FormSchema) -> Vec<String> {
    let mut out = Vec::new();
    for f in s.fields() {
        out.push(f.id.clone());
        out.extend(f.columns.iter().map(|c| c.id.clone()));
        out.extend(f.rows.iter().map(|r| r.id.clone()));
        out.extend(f.options.iter().map(|o| o.id.clone()));
    }
    if let Some(sc) = &s.scoring {
        out.extend(sc.input_keys().into_iter().map(|(k, _)| k));
        out.extend(sc.indicators().map(|i| i.id.clone()));
    }
    out.extend(["forms", "indicators", "amount", "detail", "voucher"].map(String::from));
    out
}

/// A value shaped like a response: objects use the form's own keys.
fn shaped(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let key = prop::sample::select(keys);
    leaf().prop_recursive(4, 96, 10, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..12).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..12)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn contexts() -> Vec<Context> {
    vec![
        ctx(wenzhou_rules()),
        ctx(shandong_rules()),
        Context {
            rules: NoticeRules {
                min_trainees: Some(u32::MAX),
                days: Some([f64::NAN, f64::INFINITY]),
                min_hours: Some(-1e300),
                plan_due_working_days: Some(u32::MAX),
                report_due_working_days: None,
                complete_by: None,
            },
            calendar: None,
            today: chrono::NaiveDate::MIN,
        },
    ]
}

fn check(report: &wasm_forms::validate::Report) -> Result<(), TestCaseError> {
    let has_error = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    prop_assert_eq!(report.valid, !has_error);
    prop_assert!(report.notes.iter().all(|n| n.severity == Severity::Warning));
    // The report serialises (the browser receives it as JSON).
    prop_assert!(serde_json::to_string(report).is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn validate_never_panics_on_arbitrary_json(v in json_value(), form in 0usize..8, c in 0usize..3) {
        let s = schema(FORMS[form]);
        let ctx = &contexts()[c];
        check(&validate(&s, &v, ctx))?;
        let wrapped = json!({"form": FORMS[form], "version": 1, "values": v});
        check(&validate(&s, &wrapped, ctx))?;
    }

    #[test]
    fn validate_never_panics_on_response_shaped_json(
        (form, values) in (0usize..8).prop_flat_map(|f| (Just(f), shaped(keys(&schema(FORMS[f]))))),
        c in 0usize..3,
    ) {
        let s = schema(FORMS[form]);
        let resp = json!({"form": FORMS[form], "version": 1, "values": values});
        check(&validate(&s, &resp, &contexts()[c]))?;
    }

    #[test]
    fn imports_never_panic(text in "\\PC{0,200}", csvish in "[a-z序号姓名身份证号学时数,\"'=\r\n ０-９0-9.-]{0,200}") {
        let _ = wasm_forms::io::import_json(&text);
        for form in ["wenzhou-hours-roster", "shandong-roster", "shandong-filing"] {
            let s = schema(form);
            let _ = wasm_forms::io::import_csv(&s, &text);
            let _ = wasm_forms::io::import_csv(&s, &csvish);
        }
    }
}
