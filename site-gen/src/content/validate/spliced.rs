//! A notice as `site-gen import` writes it: one list's programs as tables at known
//! places of the file, so that the file is checked by parts (its other parts, then each
//! program's table alone) and never parsed as one document of the whole list.

use std::ops::Range;

use crate::content::load::{Raw, SourceFile};

/// A notice file whose text holds one list's programs as `[[lists.programs]]` tables at
/// known places, end to end, the list's last tables (as `site-gen import` writes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    /// The file: its index in [`Raw::notices`].
    pub notice: usize,
    /// The list's id (the first list of this id holds the programs).
    pub list: String,
    /// Each program's table (with the comments above it), a byte range of the file's
    /// text, in order.
    pub tables: Vec<Range<usize>>,
    /// Other lists' programs as tables at known places too: each list by its place
    /// among the notice's `[[lists]]` (0-based), with its tables (in order).
    pub others: Vec<(usize, Vec<Range<usize>>)>,
}

impl Spliced {
    /// The file's text with the programs' tables blanked (every character but a line
    /// break a space): the rest of the notice, each part at its place.
    pub(super) fn skeleton(&self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for r in self
            .tables
            .iter()
            .chain(self.others.iter().flat_map(|(_, t)| t))
        {
            if let Some(part) = bytes.get_mut(r.clone()) {
                for b in part.iter_mut().filter(|b| **b != b'\n') {
                    *b = b' ';
                }
            }
        }
        // Whole characters were blanked (the ranges start and end at characters).
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Every program's table, the list's and the other lists', in the file's order.
    pub(super) fn all_tables(&self) -> Vec<Range<usize>> {
        let mut all: Vec<Range<usize>> = self.tables.clone();
        all.extend(self.others.iter().flat_map(|(_, t)| t.iter().cloned()));
        all.sort_by_key(|r| r.start);
        all
    }

    pub(super) fn of<'a>(
        spliced: Option<&'a Spliced>,
        raw: &Raw,
        file: &SourceFile,
    ) -> Option<&'a Spliced> {
        spliced.filter(|s| {
            raw.notices
                .get(s.notice)
                .is_some_and(|f| std::ptr::eq(f, file))
        })
    }
}
