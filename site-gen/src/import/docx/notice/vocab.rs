//! The words every step of a notice's reading uses: where in the document something is
//! ([`Where`]), what was found there ([`Found`]), and the parts of the notice read so far
//! ([`Draft`] with its attachments, plan lists and rule hints); a table's cell errors and
//! notes placed in the document.

use chrono::NaiveDate;

use crate::import::docx::say;
use crate::import::{CellError, Imported};

/// Where in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    Document,
    /// A paragraph: its number and its first characters.
    Para(usize, String),
    /// A table, as a whole.
    Table(usize),
    /// A table's cell: table number, 0-based row and column.
    Cell(usize, usize, usize),
}

/// Something found at a place: an error (nothing is written) or a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub place: Where,
    pub message: String,
}

impl Found {
    /// `notice.docx: 表2 第4行第7列：…` (or `table 2, row 4, column 7: …`).
    pub fn render(&self, file: &str) -> String {
        let (zh, en) = match &self.place {
            Where::Document => (String::new(), String::new()),
            Where::Para(n, head) => (
                format!("第{n}段（“{head}”）"),
                format!("paragraph {n} (“{head}”)"),
            ),
            Where::Table(t) => (format!("表{t}"), format!("table {t}")),
            Where::Cell(t, r, c) => (
                format!("表{t} 第{}行第{}列", r + 1, c + 1),
                format!("table {t}, row {}, column {}", r + 1, c + 1),
            ),
        };
        let at = say(zh, en);
        if at.is_empty() {
            format!("{file}: {}", self.message)
        } else {
            format!(
                "{file}: {at}{}{}",
                say("：".into(), ": ".into()),
                self.message
            )
        }
    }
}

/// An attachment of the 附件 list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub number: usize,
    pub title: String,
}

/// A plan list read from a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// The attachment it is (its number in the 附件 list), if under a `附件N` line.
    pub attachment: Option<usize>,
    pub title: String,
    pub table: usize,
    pub imported: Imported,
}

/// A sentence of the body holding a number a rule could take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHint {
    /// The key of `[rules]` (`min_trainees`, `days`, …).
    pub key: &'static str,
    /// Its value as TOML (`30`, `[2, 3]`, `2020-11-30`).
    pub value: String,
    /// The section's numbers (`二（三）`) and the sentence.
    pub section: String,
    pub sentence: String,
}

/// The notice the document holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub doc_number: String,
    pub title: String,
    pub issuer: String,
    pub date: NaiveDate,
    /// 公开方式 (`此件公开发布`), if stated.
    pub publication: Option<String>,
    /// The body in Markdown, from 主送 to the last paragraph before 附件 and 落款.
    pub body: String,
    pub attachments: Vec<Attachment>,
    /// Attachments titled like a plan list (项目名单, 项目计划) with no table under them.
    pub empty_lists: Vec<Attachment>,
    pub lists: Vec<List>,
    pub rules: Vec<RuleHint>,
    /// Each attachment's title as written under its `附件N` line.
    pub appendix_titles: Vec<(usize, String)>,
}

/// The errors of a table's cells, placed in the document.
pub(super) fn cell_errors(t: usize, errs: Vec<CellError>) -> impl Iterator<Item = Found> {
    errs.into_iter().map(move |e| Found {
        place: match e.place.cell {
            Some((r, c)) => Where::Cell(t, r, c),
            None => Where::Table(t),
        },
        message: e.message,
    })
}

/// The notes of an imported table (columns not imported, skipped rows, guessed pairings),
/// placed by cell.
pub fn table_notes(t: usize, imported: &Imported) -> Vec<Found> {
    imported
        .notes
        .iter()
        .map(|n| Found {
            place: match n.place.cell {
                Some((r, c)) => Where::Cell(t, r, c),
                None => Where::Table(t),
            },
            message: n.message.clone(),
        })
        .collect()
}
