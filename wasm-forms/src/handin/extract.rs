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
    codes(text).collect()
}

/// The codes in `text` one at a time, in order: a caller that stops early (a limit on
/// codes) reads no further.
///
/// One pass: at each character the four characters from there are compared with the
/// prefix, and the run of body characters after them is measured only where they differ
/// from it in at most one place. A run is measured once and the scan moves past it, so
/// the work is linear in the text's length however long its runs of base64url
/// characters are (a 10 MB line of them included).
pub fn codes(text: &str) -> Codes<'_> {
    Codes {
        text,
        at: 0,
        line: 1,
    }
}

/// The iterator of [`codes`].
#[derive(Debug, Clone)]
pub struct Codes<'a> {
    text: &'a str,
    /// Byte offset of the next character to look at.
    at: usize,
    /// 1-based line of `at`.
    line: usize,
}

impl Iterator for Codes<'_> {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        let prefix = PREFIX.as_bytes();
        while let Some(ch) = self.text[self.at..].chars().next() {
            let rest = &self.text[self.at..];
            if let Some((diff, window)) = prefix_diff(rest, prefix) {
                if diff <= 1 {
                    let run = body_run(&rest[window..], prefix);
                    if diff == 0 || run >= MIN_DAMAGED_RUN {
                        // Body characters are ASCII: the run is `run` bytes long.
                        let code = &rest[..window + run];
                        let found = Found {
                            text: code.to_owned(),
                            line: self.line,
                            damaged_prefix: diff == 1,
                        };
                        self.line += code.bytes().filter(|&b| b == b'\n').count();
                        self.at += code.len();
                        return Some(found);
                    }
                }
            }
            if ch == '\n' {
                self.line += 1;
            }
            self.at += ch.len_utf8();
        }
        None
    }
}

/// How many of the first four characters of `s` differ from the (ASCII) prefix, and
/// their length in bytes; `None` when `s` has fewer characters than the prefix.
fn prefix_diff(s: &str, prefix: &[u8]) -> Option<(usize, usize)> {
    let mut diff = 0;
    let mut len = 0;
    let mut chars = s.chars();
    for &p in prefix {
        let c = chars.next()?;
        if c != char::from(p) {
            diff += 1;
        }
        len += c.len_utf8();
    }
    Some((diff, len))
}

/// Length of the body after a prefix: base64url characters up to the next prefix.
fn body_run(s: &str, prefix: &[u8]) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    while n < b.len() && is_body_char(char::from(b[n])) {
        if b[n..].starts_with(prefix) {
            break;
        }
        n += 1;
    }
    n
}
