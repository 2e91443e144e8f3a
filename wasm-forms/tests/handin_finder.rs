//! The hand-in code finder as an attacker feeds it: random text never makes it panic and
//! every code it reports is a piece of the text at the line it names; real codes
//! embedded in random text are found exactly, each decoding to the response it was made
//! from; one random change anywhere loses only the code it touched and never invents a
//! response. Also: quoting the lines of many bad codes spread over a large text is
//! linear (it read the text from its start for every bad code).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use wasm_forms::handin::code::is_body_char;
use wasm_forms::handin::collect::read;
use wasm_forms::handin::{decode, encode, extract, Found, PREFIX};
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

/// Every code found is the text at its place: the prefix (or four characters differing
/// from it in one place) and a run of body characters, at the line it names.
fn check_found(text: &str, found: &[Found]) -> Result<(), TestCaseError> {
    let mut from = 0;
    for f in found {
        let at = from
            + text[from..]
                .find(&f.text)
                .expect("a found code is in the text");
        let line = 1 + text[..at].bytes().filter(|&b| b == b'\n').count();
        prop_assert_eq!(f.line, line, "{:?}", f.text);
        let head: String = f.text.chars().take(PREFIX.chars().count()).collect();
        let diff = head
            .chars()
            .zip(PREFIX.chars())
            .filter(|(a, b)| a != b)
            .count();
        prop_assert_eq!(diff, usize::from(f.damaged_prefix), "{:?}", f.text);
        prop_assert!(
            f.text[head.len()..].chars().all(is_body_char),
            "{:?}",
            f.text
        );
        from = at + f.text.len();
    }
    Ok(())
}

fn arb_response() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(0usize..4, 10),
        proptest::option::of("[\\u{4e00}-\\u{9fa5}，。a-z0-9 ]{0,60}"),
        proptest::option::of("[0-9a-f]{16}"),
    )
        .prop_map(|(levels, reflections, rid)| {
            let mut values = Map::new();
            for (id, l) in IDS.iter().zip(levels) {
                values.insert((*id).into(), LEVELS[l].into());
            }
            if let Some(t) = reflections {
                values.insert("reflections".into(), t.into());
            }
            let mut r = json!({"form": "wenzhou-survey", "version": 1, "values": values,
                "program": "wenzhou-2020/municipal-3"});
            if let Some(id) = rid {
                r["response_id"] = id.into();
            }
            r
        })
}

/// Text between codes: random characters, chat-like Chinese, or base64url-like runs
/// with pieces of the prefix, each closed on both sides by two characters that cannot
/// belong to a code (so that a code's end and the next text's start stay apart). Text
/// that holds a code, or a damaged one, of its own is left out: it is the codes put in
/// that must come out.
fn filler() -> impl Strategy<Value = String> {
    let inner = prop_oneof![
        any::<String>(),
        "[\\u{4e00}-\\u{9fa5}，。！？：a-z0-9 \n]{0,80}",
        "([A-Za-z0-9_-]{0,6}(GYB|GY|YB~|B~|~)?){0,6}",
    ];
    let sep = prop_oneof![
        Just(' '),
        Just('\n'),
        Just('，'),
        Just('：'),
        Just('('),
        Just('.')
    ];
    (sep, inner)
        .prop_map(|(s, t)| format!("{s}{s}{t}{s}{s}"))
        .prop_filter("holds a code of its own", |t| extract(t).is_empty())
}

/// Fillers and codes alternating: the text, the codes in order and the responses.
fn embedded() -> impl Strategy<Value = (String, Vec<String>, Vec<Value>)> {
    (
        filler(),
        proptest::collection::vec((arb_response(), filler()), 0..6),
    )
        .prop_map(|(first, rest)| {
            let s = schema();
            let mut text = first;
            let mut codes = Vec::new();
            let mut responses = Vec::new();
            for (r, f) in rest {
                let code = encode(&s, &r);
                text.push_str(&code);
                text.push_str(&f);
                codes.push(code);
                responses.push(r);
            }
            (text, codes, responses)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic_and_every_code_found_is_in_the_text(
        bytes in proptest::collection::vec(
            prop_oneof![any::<u8>(), Just(b'G'), Just(b'Y'), Just(b'B'), Just(b'~'), Just(b'a')],
            0..600,
        ),
    ) {
        let text = String::from_utf8_lossy(&bytes);
        let found = extract(&text);
        check_found(&text, &found)?;
        let items = read(&schema(), &ctx(), "t", &text);
        prop_assert!(!items.is_empty());
    }

    #[test]
    fn codes_embedded_in_any_text_are_found_exactly((text, codes, responses) in embedded()) {
        let s = schema();
        let found = extract(&text);
        check_found(&text, &found)?;
        let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
        prop_assert_eq!(&texts, &codes);
        prop_assert!(found.iter().all(|f| !f.damaged_prefix));
        for (f, r) in found.iter().zip(&responses) {
            prop_assert_eq!(&decode(&s, &f.text), &Ok(r.clone()));
        }
    }

    #[test]
    fn one_random_change_loses_at_most_the_code_it_touched(
        (text, codes, responses) in embedded(),
        at in any::<prop::sample::Index>(),
        how in 0u8..3,
        with in prop_oneof![
            Just('G'), Just('Y'), Just('B'), Just('~'), Just('a'), Just('-'), Just(' '),
            Just('\n'), Just('中'), any::<char>(),
        ],
    ) {
        let s = schema();
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len() + 1);
        match how {
            0 if i < chars.len() => chars[i] = with,
            1 if i < chars.len() => {
                chars.remove(i);
            }
            _ => chars.insert(i, with),
        }
        let changed: String = chars.into_iter().collect();
        let found = extract(&changed);
        check_found(&changed, &found)?;
        // The byte range of each code in the original text, and where the change fell.
        let cut: usize = text.chars().take(i).map(char::len_utf8).sum();
        let mut from = 0;
        let mut untouched = Vec::new();
        for c in &codes {
            let start = from + text[from..].find(c.as_str()).unwrap();
            let end = start + c.len();
            // Two characters of separator each side: a change there may join a code to
            // its neighbour, anything farther leaves it whole.
            if cut + 2 < start || cut > end + 2 {
                untouched.push(c.as_str());
            }
            from = end;
        }
        let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
        for c in &untouched {
            prop_assert!(texts.contains(c), "{c} lost by a change at byte {cut}");
        }
        // Whatever is read, no response comes out that was not handed in.
        for (_, r) in read(&s, &ctx(), "t", &changed) {
            if let Ok(r) = r {
                prop_assert!(responses.contains(&r), "invented {r}");
            }
        }
    }
}

/// 20,000 bad codes, each on its own line after a line of 1,000 characters (20 MB):
/// each is reported with its line quoted, in a generous time. Quoting read the text from
/// its start for every bad code (200 GB of reading here); it reads the text once now.
#[test]
fn bad_codes_spread_over_a_large_text_are_quoted_in_one_pass() {
    let filler = "聊".repeat(333);
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&filler);
        text.push('\n');
        text.push_str(&format!("学员{i} GYB~abc{i}\n"));
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let items = read(&schema(), &ctx(), "chat.txt", &text);
        let _ = tx.send(items);
    });
    let items = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("20,000 bad codes are reported within two minutes");
    assert_eq!(items.len(), 20_000);
    for (i, (source, r)) in items.iter().enumerate().step_by(997) {
        assert_eq!(source, &format!("chat.txt 第 {} 行", 2 * i + 2));
        let msg = &r.as_ref().unwrap_err()[0].message;
        assert!(
            msg.ends_with(&format!("（该行原文：学员{i} GYB~abc{i}）")),
            "{msg}"
        );
    }
}

/// Many bad codes on one long line: the line is cut once, and each message quotes it.
#[test]
fn bad_codes_on_one_long_line_quote_its_ends() {
    let mut line = String::from("开头");
    for i in 0..5_000 {
        line.push_str(&format!(" GYB~bad{i} {}", "字".repeat(200)));
    }
    line.push_str("结尾。");
    let text = format!("{line}\n");
    let items = read(&schema(), &ctx(), "chat.txt", &text);
    assert_eq!(items.len(), 5_000);
    let head: String = line.chars().take(30).collect();
    let tail: String = {
        let c: Vec<char> = line.chars().collect();
        c[c.len() - 10..].iter().collect()
    };
    for (source, r) in &items {
        assert_eq!(source, "chat.txt 第 1 行");
        let msg = &r.as_ref().unwrap_err()[0].message;
        assert!(
            msg.ends_with(&format!("（该行原文：{head}…{tail}）")),
            "{msg}"
        );
    }
}
