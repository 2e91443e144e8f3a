//! Finding hand-in codes in text: the one-pass scan against the scan it replaced (which
//! measured the run of body characters at every position and so took quadratic time on
//! long runs), on small texts of the characters that matter; and a 10 MB line of
//! base64url characters, which the old scan could not finish in days.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use wasm_forms::handin::code::is_body_char;
use wasm_forms::handin::{codes, extract, Found, PREFIX};

/// The scan as it was before it became linear: the oracle.
fn old_extract(text: &str) -> Vec<Found> {
    fn body_run(chars: &[char], prefix: &[char]) -> usize {
        let mut n = 0;
        while n < chars.len() && is_body_char(chars[n]) {
            if chars[n..].starts_with(prefix) {
                break;
            }
            n += 1;
        }
        n
    }
    let chars: Vec<char> = text.chars().collect();
    let prefix: Vec<char> = PREFIX.chars().collect();
    let p = prefix.len();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        if let Some(window) = chars.get(i..i + p) {
            let diff = window.iter().zip(&prefix).filter(|(a, b)| a != b).count();
            let run = body_run(&chars[i + p..], &prefix);
            if diff == 0 || (diff == 1 && run >= 8) {
                let text: String = chars[i..i + p + run].iter().collect();
                out.push(Found {
                    text,
                    line,
                    damaged_prefix: diff == 1,
                });
                line += chars[i..i + p + run].iter().filter(|c| **c == '\n').count();
                i += p + run;
                continue;
            }
        }
        if chars[i] == '\n' {
            line += 1;
        }
        i += 1;
    }
    out
}

/// Texts made of prefix pieces, body characters, line ends and wide characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("GYB~".to_string()),
        Just("GYB".to_string()),
        Just("GxB~".to_string()),
        Just("中B~".to_string()),
        Just("~".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just("é".to_string()),
        "[A-Za-z0-9_-]{0,12}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_linear_scan_finds_what_the_old_one_found(t in text()) {
        prop_assert_eq!(extract(&t), old_extract(&t));
    }

    #[test]
    fn any_text_is_scanned_without_panic(t in "\\PC{0,200}") {
        prop_assert_eq!(extract(&t), old_extract(&t));
    }
}

#[test]
fn stopping_early_reads_no_further() {
    let t = "GYB~aaaa GYB~bbbb GYB~cccc";
    let first: Vec<String> = codes(t).take(2).map(|f| f.text).collect();
    assert_eq!(first, ["GYB~aaaa", "GYB~bbbb"]);
}

/// A 10 MB line of base64url characters holding one prefix in the middle and a damaged
/// one near the start: both found, in a generous time (the old scan took 17 s on 100 KB
/// and would take days here; the benchmark `handin_extract` gives the figure).
#[test]
fn a_10_mb_line_of_base64url_characters_is_scanned() {
    let mut line = "AbC-_9".repeat(10_000_000 / 6);
    line.insert_str(1000, "GYB!");
    line.insert_str(5_000_000, "GYB~");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let found = extract(&line);
        let _ = tx.send(found);
    });
    let found = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("a 10 MB line is scanned within two minutes");
    assert_eq!(
        found.len(),
        2,
        "{:?}",
        found.iter().map(|f| f.text.len()).collect::<Vec<_>>()
    );
    assert!(found[0].damaged_prefix && found[0].text.starts_with("GYB!"));
    assert!(!found[1].damaged_prefix && found[1].text.starts_with("GYB~"));
    assert_eq!(
        found[0].text.len() + found[1].text.len(),
        10_000_000 / 6 * 6 + 8 - 1000
    );
}

/// A code too short to say its own length is "too short", never "about 0 missing".
#[test]
fn a_code_too_short_to_measure_says_so() {
    use wasm_forms::handin::CodeError;
    let m = CodeError::Truncated { missing_chars: 0 }.message(1);
    assert!(m.contains("太短") && !m.contains("约缺 0"), "{m}");
    let m = CodeError::Truncated { missing_chars: 7 }.message(1);
    assert!(m.contains("约缺 7 个字符"), "{m}");
}
