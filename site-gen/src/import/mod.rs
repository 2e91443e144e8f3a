//! `site-gen import`: a plan list from a spreadsheet as a bureau keeps it, into a notice.
//!
//! One way through: [`read::read_file`] turns a `.xlsx`, `.xls`, `.ods` or `.csv` file
//! into [`Sheet`]s of typed [`Cell`]s (merged cells filled down, CSV decoded from UTF-8,
//! GBK/GB18030 or UTF-16) → [`table::programs`] finds the header row by its Chinese
//! names and reads each row into a [`Program`] (every unreadable cell an [`CellError`]
//! naming `FILE:SHEET!B7`, every guess a [`Note`]) → [`write::replace_list`] rewrites that
//! one list of the notice's TOML with `toml_edit`, keeping every other byte (table by
//! table where [`layout`] finds the programs' tables: [`split`]; the parts both ways share
//! are in [`program_text`]). The command (`cmd::import`) validates the rewritten site
//! before it writes anything.

pub mod bounds;
pub mod decode;
pub mod docx;
pub mod layout;
pub mod program_text;
pub mod read;
pub mod split;
pub mod table;
pub mod write;
pub mod xlsx;

/// A program row as the rewrites' tests import it: 温州技师学院's, one contact, no note.
#[cfg(test)]
pub(crate) fn sample_program(
    name: &str,
    amount_wan: rust_decimal::Decimal,
    phones: &[&str],
) -> Program {
    Program {
        row: 3,
        program: crate::content::model::Program {
            name: name.into(),
            organizer: "温州技师学院".into(),
            category: None,
            funding: Some("一般类".into()),
            amount_wan: Some(amount_wan),
            contacts: vec![Contact {
                name: "陈朝晖".into(),
                phones: phones.iter().map(|p| p.to_string()).collect(),
            }],
            description: None,
        },
        notes: Vec::new(),
    }
}

use std::fmt;

/// One cell as the spreadsheet stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or time cell, as the reader renders it (`2020-07-21`).
    Date(String),
    /// An error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One worksheet: `rows[0]` is the sheet's row 1, `rows[r][0]` its column A.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// For a CSV, the 1-based line of the file each row starts on (a cell holding line
    /// breaks spans several lines): messages name it, as an editor shows it. Empty for a
    /// workbook, whose places are its cells.
    pub lines: Vec<usize>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// A cell's address as a spreadsheet shows it: 0-based (row 4, column 1) is `B5`.
pub fn cell_ref(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Where in the spreadsheet: the file as named on the command line, the sheet, a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub sheet: String,
    /// 0-based row and column; `None` for the sheet as a whole.
    pub cell: Option<(usize, usize)>,
    /// For a CSV, the file's line of the cell's row ([`Sheet::lines`]).
    pub line: Option<usize>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.cell, self.line) {
            (Some((_, c)), Some(line)) => {
                let col = cell_ref(0, c);
                write!(
                    f,
                    "{}: line {line}, column {}",
                    self.file,
                    col.trim_end_matches('1')
                )
            }
            (Some((r, c)), None) => write!(f, "{}:{}!{}", self.file, self.sheet, cell_ref(r, c)),
            (None, _) if self.sheet.is_empty() => write!(f, "{}", self.file),
            (None, _) => write!(f, "{}:{}", self.file, self.sheet),
        }
    }
}

/// A cell (or sheet) that cannot be read, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub place: Place,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Something the import decided that a person should look at (a guessed pairing of
/// contacts and numbers, a skipped row, a column not imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub place: Place,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// One program read from a row: the site's own program (with no description: a sheet
/// has none), the row it came from and the guesses made for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The row it came from (0-based).
    pub row: usize,
    pub program: crate::content::model::Program,
    /// Guesses made for this program, written as a comment above it.
    pub notes: Vec<String>,
}

/// A contact as the site's model has it: one name, its phone numbers.
pub use crate::content::model::Contact;

/// What a sheet gave: its programs, the guesses and skips to report, and where the
/// header was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub sheet: String,
    /// 0-based row of the header.
    pub header_row: usize,
    pub programs: Vec<Program>,
    pub notes: Vec<Note>,
}
