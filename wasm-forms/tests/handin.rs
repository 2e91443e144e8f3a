//! Hand-in codes (shared/spec/handin.md): encode → decode is the identity, any single
//! changed character or truncation is rejected (never decoded into other answers),
//! codes are found inside any text, and batches add up with the duplicate rule.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use wasm_forms::aggregate::{aggregate, summary_csv, SurveyLayout};
use wasm_forms::handin::code::{b64_decode, b64_encode, crc32};
use wasm_forms::handin::collect::{add_batch, read, summarize, Entry};
use wasm_forms::handin::{decode, encode, extract, CodeError, PREFIX};
use wasm_forms::schema::{parse_toml, FormSchema};
use wasm_forms::validate::Context;

#[path = "fixture/survey.rs"]
mod survey_fixture;
use survey_fixture::RATINGS as IDS;
const LEVELS: [&str; 4] = ["very_satisfied", "satisfied", "average", "dissatisfied"];

fn schema() -> FormSchema {
    let p = format!(
        "{}/../content/forms/wenzhou-survey.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_toml(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn ctx() -> Context {
    Context {
        rules: Default::default(),
        calendar: None,
        today: chrono::NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
    }
}

/// 100 Chinese characters of comments, as a trainee might write them.
const COMMENT_100: &str = "本次研修班课程安排紧凑合理，授课专家理论功底深厚，结合温州产业实际讲解了智能制造和数字化转型的最新进展。现场教学环节让我们看到了企业的真实做法，收获大。建议今后适当增加分组讨论和交流时间，并提供课件。";

fn response(levels: [usize; 10], texts: &[(&str, &str)], rid: Option<&str>) -> Value {
    let mut values = Map::new();
    for (id, l) in IDS.iter().zip(levels) {
        values.insert((*id).into(), LEVELS[l].into());
    }
    for (k, v) in texts {
        values.insert((*k).into(), (*v).into());
    }
    let mut r = json!({"form": "wenzhou-survey", "version": 1, "values": values,
        "program": "wenzhou-2020/municipal-3"});
    if let Some(rid) = rid {
        r["response_id"] = rid.into();
    }
    r
}

#[test]
fn a_typical_response_fits_in_400_characters() {
    assert_eq!(COMMENT_100.chars().count(), 100);
    let s = schema();
    let r = response(
        [0, 1, 0, 0, 1, 2, 0, 1, 0, 3],
        &[("suggestions", COMMENT_100)],
        Some("3f9a0c1de2b47a55"),
    );
    let code = encode(&s, &r);
    println!("typical hand-in code: {} characters", code.len());
    assert!(code.len() <= 400, "{} characters: {code}", code.len());
    assert!(code.starts_with(PREFIX));
    assert!(code
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)));
    assert_eq!(decode(&s, &code).unwrap(), r);
    // Ratings only: short enough to type.
    let short = encode(&s, &response([1; 10], &[], Some("3f9a0c1de2b47a55")));
    println!("ratings-only hand-in code: {} characters", short.len());
    assert!(short.len() < 80, "{short}");
}

#[test]
fn base64url_and_crc_agree_with_the_crates() {
    use base64::Engine as _;
    for n in 0..200usize {
        let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + n * 11) as u8).collect();
        let ours = b64_encode(&bytes);
        assert_eq!(
            ours,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
        );
        assert_eq!(b64_decode(&ours).unwrap(), bytes);
        assert_eq!(crc32(&[&bytes]), crc32fast::hash(&bytes));
    }
    // Non-canonical last character (unused bits set) is refused, as the crate does.
    assert!(b64_decode("AB").is_none());
    assert!(base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode("AB")
        .is_err());
    assert!(b64_decode("A").is_none());
}

#[test]
fn every_code_is_found_in_a_chat_log() {
    let s = schema();
    let a = encode(&s, &response([0; 10], &[], Some("00000000000000a1")));
    let b = encode(
        &s,
        &response(
            [1; 10],
            &[("reflections", "很好")],
            Some("00000000000000b2"),
        ),
    );
    let c = encode(&s, &response([2; 10], &[], None));
    let log = format!(
        "王老师 10:02\n{a}\n李明 10:03\n我的提交码：{b}，收到请回复~\n\
         张三 10:04 https://example.org/s/AbCdEf123456?x=1 ({a})\n{b}{c}\nGYB 不是码 ~GYB\n"
    );
    let found: Vec<String> = extract(&log).into_iter().map(|f| f.text).collect();
    assert_eq!(found, vec![a.clone(), b.clone(), a, b, c]);
}

#[test]
fn batches_add_up_and_duplicates_count_once() {
    let s = schema();
    let ctx = ctx();
    let r1 = response([0; 10], &[], Some("00000000000000a1"));
    let r2 = response([1; 10], &[], Some("00000000000000b2"));
    let anon = response([2; 10], &[], None);
    let (c1, c2, c3) = (encode(&s, &r1), encode(&s, &r2), encode(&s, &anon));
    let mut entries: Vec<Entry> = Vec::new();
    let rep = add_batch(
        &s,
        &ctx,
        &mut entries,
        &[("粘贴的文字".into(), format!("{c1}\n{c2}\n{c1}\n{c3}\n{c3}"))],
    );
    assert_eq!(rep.added.len(), 4, "{rep:?}");
    assert_eq!(rep.duplicates.len(), 1);
    assert_eq!(rep.duplicates[0].first_source, "粘贴的文字 第 1 行");
    assert_eq!(rep.duplicates[0].source, "粘贴的文字 第 3 行");
    // A second batch: the same response as a JSON file, renamed, counts once.
    let file = serde_json::to_string_pretty(&r2).unwrap();
    let rep = add_batch(&s, &ctx, &mut entries, &[("copy (2).json".into(), file)]);
    assert!(rep.added.is_empty());
    assert_eq!(rep.duplicates.len(), 1);
    assert_eq!(entries.len(), 4);
    let sum = summarize(&s, &ctx, &entries, Some("wenzhou-2020/municipal-3"), None);
    assert_eq!(sum.summary.forms, 4);
    assert_eq!(sum.without_id, 2);
    // The CSV is the aggregation's CSV of the same responses.
    let inputs: Vec<(String, Result<Value, String>)> = entries
        .iter()
        .map(|e| (e.source.clone(), Ok(e.response.clone())))
        .collect();
    let direct = aggregate(&s, &inputs, &ctx, None);
    assert_eq!(
        sum.csv,
        summary_csv(&direct, &SurveyLayout::from_schema(&s).unwrap())
    );
    // Another program is kept apart.
    let mut other = response([3; 10], &[], Some("00000000000000c3"));
    other["program"] = "wenzhou-2020/municipal-9".into();
    add_batch(&s, &ctx, &mut entries, &[("x".into(), encode(&s, &other))]);
    let sum = summarize(&s, &ctx, &entries, Some("wenzhou-2020/municipal-3"), None);
    assert_eq!(sum.counted, 4);
    assert_eq!(sum.other_programs["wenzhou-2020/municipal-9"], 1);
}

#[test]
fn bad_codes_are_listed_with_their_reason() {
    let s = schema();
    let ctx = ctx();
    let code = encode(
        &s,
        &response(
            [0; 10],
            &[("suggestions", COMMENT_100)],
            Some("00000000000000a1"),
        ),
    );
    let cut = &code[..code.len() - 10];
    let items = read(&s, &ctx, "t.txt", cut);
    let msg = &items[0].1.as_ref().unwrap_err()[0].message;
    assert!(
        msg.contains("不完整") && msg.contains("约缺 10 个字符"),
        "{msg}"
    );
    let mut altered = code.clone().into_bytes();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let items = read(&s, &ctx, "t.txt", std::str::from_utf8(&altered).unwrap());
    assert!(items[0].1.as_ref().unwrap_err()[0]
        .message
        .contains("校验不符"));
    let items = read(&s, &ctx, "聊天记录.txt", "没有码的一段话");
    assert!(items[0].1.as_ref().unwrap_err()[0]
        .message
        .contains("没有找到提交码"));
    // A code of a ratings-incomplete response decodes but is rejected by validation.
    let mut partial = response([0; 10], &[], None);
    partial["values"].as_object_mut().unwrap().remove("faculty");
    let items = read(&s, &ctx, "p", &encode(&s, &partial));
    assert!(items[0].1.is_err());
}

#[test]
fn a_bad_code_in_a_chat_log_quotes_its_line() {
    // The pasted text is gone from the page once read: the reason quotes the line, so
    // that the organizer sees whose code it was.
    let s = schema();
    let code = encode(&s, &response([0; 10], &[], Some("00000000000000a1")));
    let cut = &code[..code.len() - 10];
    let log = format!("王老师：请发提交码\n李明 09:13 {cut}\n{code}\n");
    let items = read(&s, &ctx(), "粘贴的文字", &log);
    assert_eq!(items[0].0, "粘贴的文字 第 2 行");
    let msg = &items[0].1.as_ref().unwrap_err()[0].message;
    let head: String = format!("李明 09:13 {cut}").chars().take(30).collect();
    let tail: String = {
        let c: Vec<char> = cut.chars().collect();
        c[c.len() - 10..].iter().collect()
    };
    assert!(
        msg.contains("不完整") && msg.contains(&format!("（该行原文：{head}…{tail}）")),
        "{msg}"
    );
    assert!(items[1].1.is_ok(), "the good code of line 3 is read");
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u{4e00}-\\u{9fa5}，。！？a-z0-9 ]{0,150}",
        any::<String>(),
        Just(String::new()),
    ]
}

fn arb_response() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(proptest::option::of(0usize..4), 10),
        proptest::option::of(arb_text()),
        proptest::option::of(arb_text()),
        proptest::option::of("[a-z0-9-]{1,20}/[a-z0-9-]{1,20}"),
        prop_oneof![
            Just(None),
            "[0-9a-f]{16}".prop_map(Some),
            "[A-Za-z0-9_-]{1,64}".prop_map(Some)
        ],
        proptest::option::of(("[a-z_]{1,12}", any::<i64>())),
    )
        .prop_map(|(levels, refl, sugg, program, rid, extra)| {
            let mut values = Map::new();
            for (id, l) in IDS.iter().zip(levels) {
                if let Some(l) = l {
                    values.insert((*id).into(), LEVELS[l].into());
                }
            }
            if let Some(t) = refl {
                values.insert("reflections".into(), t.into());
            }
            if let Some(t) = sugg {
                values.insert("suggestions".into(), t.into());
            }
            // A value outside the layout: the code carries the values as JSON.
            if let Some((k, v)) = extra {
                values.insert(format!("x_{k}"), v.into());
            }
            let mut r = json!({"form": "wenzhou-survey", "version": 1, "values": values});
            if let Some(p) = program {
                r["program"] = p.into();
            }
            if let Some(id) = rid {
                r["response_id"] = id.into();
            }
            r
        })
}

/// No valid response comes out of `text`, and something is reported.
fn rejected(s: &FormSchema, text: &str) -> bool {
    let items = read(s, &ctx(), "t", text);
    !items.is_empty() && items.iter().all(|(_, r)| r.is_err())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_then_decode_is_the_identity(r in arb_response()) {
        let s = schema();
        let code = encode(&s, &r);
        prop_assert!(code.starts_with(PREFIX));
        prop_assert!(code[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(decode(&s, &code), Ok(r));
        // Found again inside surrounding text.
        let found = extract(&format!("收到：{code}。谢谢"));
        prop_assert_eq!(found.len(), 1);
        prop_assert_eq!(&found[0].text, &code);
    }

    #[test]
    fn any_single_changed_character_is_rejected(
        r in arb_response(),
        pos in any::<prop::sample::Index>(),
        with in prop_oneof![
            proptest::char::range('0', 'z'),
            Just('-'), Just('_'), Just('~'), Just('.'), Just(' '), Just('中'), Just('\n'),
        ],
    ) {
        let s = schema();
        let code = encode(&s, &r);
        let chars: Vec<char> = code.chars().collect();
        let i = pos.index(chars.len());
        prop_assume!(chars[i] != with);
        let mut changed = chars.clone();
        changed[i] = with;
        let text: String = changed.into_iter().collect();
        prop_assert!(rejected(&s, &text), "accepted {text} (from {code})");
    }

    #[test]
    fn any_truncation_is_rejected(r in arb_response(), cut in any::<prop::sample::Index>()) {
        let s = schema();
        let code = encode(&s, &r);
        let keep = PREFIX.len() + cut.index(code.len() - PREFIX.len());
        let text = &code[..keep];
        prop_assert!(rejected(&s, text), "accepted {text}");
        if keep > PREFIX.len() + 8 {
            let is_truncated = matches!(decode(&s, text), Err(CodeError::Truncated { .. }));
            prop_assert!(is_truncated);
        }
    }

    #[test]
    fn decoding_any_text_never_panics(t in "GYB~[A-Za-z0-9_-]{0,80}") {
        let _ = decode(&schema(), &t);
        let _ = read(&schema(), &ctx(), "t", &t);
    }
}

#[test]
fn an_exported_collection_reads_back_the_same_responses() {
    let s = schema();
    let ctx = ctx();
    let mut entries = Vec::new();
    let codes: Vec<String> = (0..5)
        .map(|i| {
            encode(
                &s,
                &response(
                    [i % 4; 10],
                    &[("reflections", "收获很大")],
                    Some(&format!("{i:016x}")),
                ),
            )
        })
        .collect();
    add_batch(&s, &ctx, &mut entries, &[("log".into(), codes.join("\n"))]);
    let text = wasm_forms::handin::collect::export_codes(&s, &entries);
    let mut again = Vec::new();
    let rep = add_batch(&s, &ctx, &mut again, &[("export.txt".into(), text.clone())]);
    assert_eq!(rep.added.len(), 5, "{text}");
    let responses = |e: &[Entry]| e.iter().map(|x| x.response.clone()).collect::<Vec<_>>();
    assert_eq!(responses(&again), responses(&entries));
    // Merged into the first collection: all duplicates, nothing replaced.
    let rep = add_batch(&s, &ctx, &mut entries, &[("export.txt".into(), text)]);
    assert_eq!((rep.added.len(), rep.duplicates.len()), (0, 5));
}
