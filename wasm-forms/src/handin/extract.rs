//! Finding hand-in codes in any text: a pasted chat log, a saved text file.
//!
//! A code is [`PREFIX`] and the longest run of base64url characters after it; any other
//! text is ignored. A run whose four characters before it differ from the prefix in
//! exactly one place (one character of the prefix changed) is reported too, so that a
//! damaged code is listed as bad instead of silently missing.

use super::code::{is_body_char, PREFIX};

/// Fewest body characters after a damaged prefix for the run to be reported.
const MIN_DAMAGED_RUN: usize = 8;

/// One code found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The code as written (prefix included; for a damaged prefix, as found).
    pub text: String,
    /// 1-based line of the text where it starts.
    pub line: usize,
    /// The four characters before the run differ from the prefix in one place.
    pub damaged_prefix: bool,
}

/// Every code in `text`, in order.
pub fn extract(text: &str) -> Vec<Found> {
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
            if diff == 0 || (diff == 1 && run >= MIN_DAMAGED_RUN) {
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

/// Length of the body after a prefix: base64url characters up to the next prefix.
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
