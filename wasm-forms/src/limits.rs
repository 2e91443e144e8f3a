//! The limits on what a spreadsheet may hold to be read: one definition for every
//! reader (`site-gen import`, `site-gen form validate` of an `.xlsx`, the form pages'
//! spreadsheet import, which asks the engine for them), so a file refused in one place
//! is refused in all, with the same numbers.
//!
//! They bound memory whatever the file: a spreadsheet is a zip of XML, and a few KB can
//! claim a cell at `XFD1048576` (a used range of 17 billion cells) or unpack to
//! gigabytes. The readers check each cell's place against [`UsedRange`] before storing
//! it and count the bytes they unpack; nothing is allocated from a size a file
//! declares. A roster or a plan list is far inside them (a few hundred rows of a few
//! dozen columns).

/// Limits of one sheet and of a workbook's unpacked parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Rows of a sheet's used range (row 1 to its last row holding a value).
    pub rows: u32,
    /// Columns of a sheet's used range.
    pub columns: u32,
    /// Cells of a sheet's used range: its rows × columns, as the readers lay it out.
    pub cells: u64,
    /// Bytes of all parts of a workbook once unpacked (sheets, shared strings, styles).
    pub unpacked_bytes: u64,
    /// Bytes of the cells' text as read (a shared string counts at every cell using it).
    pub text_bytes: u64,
}

/// The limits every reader applies.
pub const SHEET: SheetLimits = SheetLimits {
    rows: 50_000,
    columns: 16_384,
    cells: 2_000_000,
    unpacked_bytes: 64 * 1024 * 1024,
    text_bytes: 64 * 1024 * 1024,
};

/// The most any one file given to a reader may hold (the command line's reads, the form
/// pages' imports): far above any roster (a 20,000-row roster is about 6 MB), low enough
/// that a mistaken disk image stops at once with a message.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The message for a file larger than [`MAX_FILE_BYTES`] given to a page that reads
/// text (hand-in codes, chat logs, exported responses and drafts).
pub fn text_file_too_large_chinese() -> String {
    format!(
        "文件大于 {} MiB，超出可导入的范围：请检查选择的文件是否正确，或把它分成几个文件后再导入",
        mib(MAX_FILE_BYTES)
    )
}

/// Most hand-in codes read from one text, and collected in one `form aggregate` run.
pub const MAX_CODES: usize = 100_000;

/// What went beyond a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// A cell at this 0-based (row, column) makes the used range too large.
    Range { row: u64, col: u64 },
    /// The workbook's parts unpack to more than the limit.
    Unpacked,
    /// The cells' text is longer than the limit.
    Text,
    /// The file is larger than [`MAX_FILE_BYTES`].
    File,
}

/// A sheet's used range as its cells are read: the bounding box of the cells seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsedRange {
    /// Rows and columns of the box (row 1 and column A to the farthest cell).
    pub rows: u64,
    pub columns: u64,
}

impl UsedRange {
    /// Takes in a cell at 0-based (`row`, `col`), or says it makes the range exceed the
    /// limits (the range is then unchanged). Called before the cell is stored.
    pub fn add(&mut self, limits: &SheetLimits, row: u64, col: u64) -> Result<(), Exceeded> {
        let rows = self.rows.max(row.saturating_add(1));
        let columns = self.columns.max(col.saturating_add(1));
        if rows > u64::from(limits.rows)
            || columns > u64::from(limits.columns)
            || rows.saturating_mul(columns) > limits.cells
        {
            return Err(Exceeded::Range { row, col });
        }
        self.rows = rows;
        self.columns = columns;
        Ok(())
    }
}

/// A cell's address as a spreadsheet shows it: 0-based (4, 1) is `B5`.
pub fn cell_ref(row: u64, col: u64) -> String {
    let mut letters = Vec::new();
    let mut n = col.saturating_add(1);
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    let mut s: String = letters.into_iter().map(char::from).collect();
    s.push_str(&row.saturating_add(1).to_string());
    s
}

fn mib(n: u64) -> u64 {
    n / (1024 * 1024)
}

impl Exceeded {
    /// The message in Chinese (the form pages, `site-gen form validate`).
    pub fn chinese(&self, limits: &SheetLimits) -> String {
        match *self {
            Exceeded::Range { row, col } => format!(
                "表格用到了 {} 单元格（第 {} 行第 {} 列），超出可导入的范围：最多 {} 行、{} 列、{} 个单元格（行数 × 列数）。请删除表格以外的单元格，或把表格分成几个文件后再导入",
                cell_ref(row, col),
                row.saturating_add(1),
                col.saturating_add(1),
                limits.rows,
                limits.columns,
                limits.cells
            ),
            Exceeded::Unpacked => format!(
                "文件解压后超过 {} MiB，超出可导入的范围：请检查文件是否正确，或把表格分成几个文件后再导入",
                mib(limits.unpacked_bytes)
            ),
            Exceeded::Text => format!(
                "单元格中的文字合计超过 {} MiB，超出可导入的范围：请检查文件是否正确，或把表格分成几个文件后再导入",
                mib(limits.text_bytes)
            ),
            Exceeded::File => format!(
                "文件大于 {} MiB，超出可导入的范围：请检查选择的文件是否正确，或把表格分成几个文件后再导入",
                mib(MAX_FILE_BYTES)
            ),
        }
    }

    /// The message in English (`site-gen import`).
    pub fn english(&self, limits: &SheetLimits) -> String {
        match *self {
            Exceeded::Range { row, col } => format!(
                "a value at {} (row {}, column {}) makes the sheet larger than is read: at most {} rows, {} columns and {} cells (rows × columns of the used range); delete the cells outside the table or split the sheet",
                cell_ref(row, col),
                row.saturating_add(1),
                col.saturating_add(1),
                limits.rows,
                limits.columns,
                limits.cells
            ),
            Exceeded::Unpacked => format!(
                "the workbook unpacks to more than {} MiB, more than is read (a spreadsheet of this size is not a plan list or a roster): check the file, or split it",
                mib(limits.unpacked_bytes)
            ),
            Exceeded::Text => format!(
                "the cells hold more than {} MiB of text, more than is read: check the file, or split it",
                mib(limits.text_bytes)
            ),
            Exceeded::File => format!(
                "the file is larger than {} MiB, more than is read: check the file, or split it",
                mib(MAX_FILE_BYTES)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_far_cell_is_refused_before_it_is_stored() {
        let mut u = UsedRange::default();
        u.add(&SHEET, 0, 0).unwrap();
        u.add(&SHEET, 9, 16_383).unwrap();
        assert_eq!(
            u.add(&SHEET, 1_048_575, 16_383),
            Err(Exceeded::Range {
                row: 1_048_575,
                col: 16_383
            })
        );
        assert_eq!(
            u,
            UsedRange {
                rows: 10,
                columns: 16_384
            }
        );
        // 200 rows × 16,384 columns is 3.3 million cells.
        assert!(u.add(&SHEET, 199, 16_383).is_err());
        let mut tall = UsedRange::default();
        assert!(tall.add(&SHEET, 49_999, 39).is_ok());
        assert!(tall.add(&SHEET, 50_000, 0).is_err());
    }

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(4, 1), "B5");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
        assert_eq!(cell_ref(0, 26), "AA1");
    }
}
