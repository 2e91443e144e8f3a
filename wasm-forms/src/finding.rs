//! Findings: what validation, scoring and aggregation report about a response.
//!
//! A finding names the field path (`trainees[3].id_number`), a severity and a message in
//! Chinese that says what is wrong and what is expected. Findings are data, never panics
//! or exceptions: invalid input is a report.
//!
//! A message quotes what was given (`日期“…”无法识别`), and what was given may be a
//! 200 KB line: every finding is made through [`Finding::error`] or [`Finding::warning`],
//! which cut a long quoted value to its first and last characters, and a message or path
//! still too long to read to its two ends.

use serde::{Deserialize, Serialize};

/// `Error` makes a response invalid; `Warning` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem (or normalisation note) found in a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Field path: `goal_setting`, `trainees[3].id_number`, `survey.indicators.faculty`;
    /// empty for the response as a whole.
    pub path: String,
    pub severity: Severity,
    /// Chinese, says what is wrong and what is expected.
    pub message: String,
}

impl Finding {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            path: shorten_path(path.into()),
            severity: Severity::Error,
            message: shorten(message.into()),
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            path: shorten_path(path.into()),
            severity: Severity::Warning,
            message: shorten(message.into()),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when none of the findings is an error.
pub fn all_valid(findings: &[Finding]) -> bool {
    !findings.iter().any(Finding::is_error)
}

/// Most characters of a quoted value (between “ and ”) a message keeps whole.
pub const QUOTE_MAX: usize = 80;
/// Most characters of a whole message, or of a path, kept whole.
pub const MESSAGE_MAX: usize = 1_000;

/// `s` when it has at most `max` characters, else its first `head` and last `tail`
/// characters around `…`.
fn ends(s: &str, max: usize, head: usize, tail: usize) -> Option<String> {
    s.chars().nth(max)?;
    let h: String = s.chars().take(head).collect();
    let at = s.char_indices().rev().nth(tail - 1).map_or(0, |(i, _)| i);
    let left = s[h.len()..at].chars().count();
    Some(format!("{h}…（略去 {left} 字）…{}", &s[at..]))
}

/// A message with each quoted value longer than [`QUOTE_MAX`] cut to its first 30 and
/// last 10 characters, and the whole kept to about [`MESSAGE_MAX`] characters (its start
/// and its end, which says what was expected).
pub fn shorten(message: String) -> String {
    if message.chars().nth(QUOTE_MAX).is_none() {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(4 * MESSAGE_MAX));
    let mut rest = message.as_str();
    while let Some(open) = rest.find('“') {
        let (before, after) = rest.split_at(open + '“'.len_utf8());
        out.push_str(before);
        let Some(close) = after.find('”') else {
            rest = after;
            break;
        };
        let quoted = &after[..close];
        match ends(quoted, QUOTE_MAX, 30, 10) {
            Some(cut) => out.push_str(&cut),
            None => out.push_str(quoted),
        }
        rest = &after[close..];
    }
    out.push_str(rest);
    ends(&out, MESSAGE_MAX, 600, 300).unwrap_or(out)
}

fn shorten_path(path: String) -> String {
    match ends(&path, QUOTE_MAX * 2, 60, 20) {
        Some(cut) => cut,
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_are_kept_as_they_are() {
        let m = "日期“2020-13-01”不存在：月份应为 1-12";
        assert_eq!(Finding::error("a", m).message, m);
        let label = "字".repeat(QUOTE_MAX);
        let m = format!("“{label}”为必填项");
        assert_eq!(shorten(m.clone()), m);
    }

    #[test]
    fn a_long_quoted_value_keeps_its_ends_and_the_message_its_expectation() {
        let v = format!("开头{}结尾", "x".repeat(200_000));
        let f = Finding::error(v.clone(), format!("日期“{v}”无法识别：应为年、月、日"));
        assert_eq!(
            f.message,
            format!(
                "日期“开头{}…（略去 199964 字）…{}结尾”无法识别：应为年、月、日",
                "x".repeat(28),
                "x".repeat(8)
            )
        );
        assert!(f.path.chars().count() < 200, "{}", f.path);
        assert!(f.path.starts_with("开头") && f.path.ends_with("结尾"));
    }

    #[test]
    fn a_value_breaking_out_of_its_quotes_still_gives_a_short_message() {
        let v = format!("a”{}", "y".repeat(100_000));
        let m = shorten(format!("“{v}”不是可选项：应为 男、女"));
        assert!(m.chars().count() < MESSAGE_MAX + 40, "{}", m.len());
        assert!(m.starts_with("“a”yyy") && m.ends_with("”不是可选项：应为 男、女"));
        // An unclosed quote, and quotes only, never panic.
        assert!(shorten(format!("“{}", "z".repeat(5_000))).contains("…（略去"));
        assert_eq!(shorten("“”".repeat(50)), "“”".repeat(50));
    }
}
