//! Content diagnostics: `path:line:column: message`, the offending line and a caret.
//!
//! Every content problem becomes one [`Diagnostic`]; a run collects them all in
//! [`Diagnostics`] and prints them together, the way rustc does.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One content problem with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    /// The text of the offending line, if known.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem at a byte range of a file's text (only the start is used).
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::placed(path, position(text, span.start), message)
    }

    /// [`Diagnostic::at`] for one of many problems in the same text, placed through the
    /// text's [`LineStarts`]: each costs the length of its line, not of the text before.
    pub fn at_in(
        path: &Path,
        text: &str,
        lines: &LineStarts,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::placed(path, lines.position(text, span.start), message)
    }

    /// A problem at a (line, column, line's text) that [`position`] gave.
    fn placed(
        path: &Path,
        (line, column, source_line): (usize, usize, String),
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            source_line: Some(source_line),
        }
    }

    /// A problem at a known line and column of a file's text.
    pub fn at_line(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column: column.max(1),
            message: message.into(),
            source_line: text.lines().nth(line - 1).map(str::to_string),
        }
    }
}

/// 1-based line and character column of a byte offset, and the line's text.
pub fn position(text: &str, offset: usize) -> (usize, usize, String) {
    let offset = char_start(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    place(text, line, line_start, offset)
}

/// Where each line of a text starts, so that many offsets of one text (a problem in each
/// of 50,000 imported programs) are placed without counting lines from the start each
/// time. [`LineStarts::position`] gives what [`position`] gives.
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// 1-based line and character column of a byte offset, and the line's text.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize, String) {
        let offset = char_start(text, offset);
        // The lines starting at or before `offset`: the last of them holds it.
        let line = self.0.partition_point(|&start| start <= offset).max(1);
        place(text, line, self.0[line - 1], offset)
    }
}

/// `offset` moved back to the start of its character, within `text`.
fn char_start(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The line, the character column of `offset` on the line starting at `line_start`,
/// and the line's text.
fn place(text: &str, line: usize, line_start: usize, offset: usize) -> (usize, usize, String) {
    let column = text[line_start..offset].chars().count() + 1;
    let line_text = text[line_start..]
        .split('\n')
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string();
    (line, column, line_text)
}

/// The starts of a text's lines, for the positions of many findings in one file: each
/// costs a binary search and its own line, not a scan from the file's start.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    /// The same as [`Diagnostic::at`] at `offset`.
    pub fn diagnostic(
        &self,
        path: &Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let offset = char_start(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset);
        let (line, column, source_line) = place(text, line, self.starts[line - 1], offset);
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            source_line: Some(source_line),
        }
    }
}

/// At most `max` characters of `s`, with `…` and the number of characters left out
/// when it is longer: a value echoed in a message is never a whole 200 KB line.
pub fn cut(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let kept: String = s.chars().take(max).collect();
    format!("{kept}… ({} more characters)", n - max)
}

/// Display width of a character: East Asian wide characters take two columns.
fn width(c: char) -> usize {
    let u = c as u32;
    if (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
    {
        2
    } else {
        1
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            // A message quoting a whole value (a 200 KB line) is cut, not echoed.
            cut(&self.message, MAX_MESSAGE)
        )?;
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // A long line is shown around the column only, never whole.
            let (src, column) = window(src, self.column);
            let src = src.as_str();
            let caret: usize = src
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { 1 } else { width(c) })
                .sum();
            write!(
                f,
                "\n{pad} |\n{num} | {src}\n{pad} | {}^",
                " ".repeat(caret)
            )?;
        }
        Ok(())
    }
}

/// The most characters of a message shown.
const MAX_MESSAGE: usize = 1_000;

/// The most characters of a line a message shows.
const SHOWN: usize = 120;

/// `line` cut to at most [`SHOWN`] characters around `column` (1-based), with `…` where
/// it is cut and control characters shown as `�`; and the column in what is shown.
fn window(line: &str, column: usize) -> (String, usize) {
    let clean = |c: char| {
        if c.is_control() && c != '\t' {
            '\u{FFFD}'
        } else {
            c
        }
    };
    let n = line.chars().count();
    if n <= SHOWN {
        return (line.chars().map(clean).collect(), column);
    }
    let start = column
        .saturating_sub(1)
        .saturating_sub(SHOWN / 2)
        .min(n - SHOWN);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(start).take(SHOWN).map(clean));
    if start + SHOWN < n {
        out.push('…');
    }
    (out, column - start + usize::from(start > 0))
}

/// Every problem of a run, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} content error{} found",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_place_every_offset_as_position_does() {
        for text in [
            "",
            "a",
            "\n",
            "名称 = \"x\"\r\n\n  组织 = 1\n末",
            "x\n\n\ny\n",
        ] {
            let lines = LineStarts::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    lines.position(text, offset),
                    position(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn a_message_quoting_a_long_value_is_cut() {
        let d = Diagnostic::at_line(
            Path::new("n.toml"),
            "x",
            1,
            1,
            format!("broken internal link `/{}`", "a".repeat(200_000)),
        );
        let shown = d.to_string();
        assert!(shown.len() < 1_500, "{} bytes", shown.len());
        assert!(shown.contains("more characters"), "{shown}");
    }

    #[test]
    fn a_long_line_is_shown_around_its_column_only() {
        let line = format!("doc_number = \"{}\"", "x".repeat(200_000));
        let d = Diagnostic::at_line(Path::new("n.toml"), &line, 1, 100_000, "too long");
        let shown = d.to_string();
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
        assert!(shown.contains('…'), "{shown}");
        let caret = shown.lines().last().unwrap();
        let src = shown.lines().nth(2).unwrap();
        let col = caret.chars().position(|c| c == '^').unwrap();
        assert_eq!(src.chars().nth(col), Some('x'), "{shown}");
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "a = 1\n标题 = x\n";
        let off = text.find('x').unwrap();
        let (line, col, src) = position(text, off);
        assert_eq!((line, col, src.as_str()), (2, 6, "标题 = x"));
    }

    #[test]
    fn lines_place_a_finding_where_position_does() {
        let text = "a = 1\r\n标题 = x\n\nlast";
        let lines = Lines::new(text);
        for off in 0..=text.len() + 2 {
            let d = lines.diagnostic(Path::new("f"), text, off, "m");
            let (line, column, src) = position(text, off);
            assert_eq!(
                (d.line, d.column, d.source_line),
                (line, column, Some(src)),
                "{off}"
            );
        }
    }

    #[test]
    fn display_shows_line_and_caret_under_wide_text() {
        let d = Diagnostic::at(Path::new("c/n.toml"), "标题 = x\n", 9..10, "bad");
        let s = d.to_string();
        assert!(s.starts_with("c/n.toml:1:6: bad\n"), "{s}");
        assert!(s.ends_with(&format!("\n  |{}^", " ".repeat(8))), "{s:?}");
    }
}
