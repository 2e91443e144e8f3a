//! The main part of a .docx (`word/document.xml`) as [`Block`]s: its paragraphs and
//! tables in order, as Word shows them.
//!
//! One pass over the XML events with an explicit state (no recursion, so a deeply nested
//! file cannot exhaust the stack). What Word shows is kept: the text of runs, tabs as a
//! space, manual line breaks (`<w:br/>`, `<w:cr/>`) as the lines of a paragraph, a
//! non-breaking hyphen as `-`. What Word does not show is left out: deleted and moved-away
//! text of tracked changes, field codes, the fallback copy of alternate content. Text
//! boxes (a red-head banner, a stamp) are counted, not read. Invisible characters are
//! stripped and counted per paragraph or cell, for a note. A table's merged cells are
//! laid out on its grid: a cell spanning columns holds its text in its first column, a
//! cell merged down (`<w:vMerge/>`, an organizer spanning rows) repeats the text of the
//! cell it continues, as a spreadsheet's merged cells are filled down on import.
//!
//! Every paragraph, table cell and byte of text is counted against the spreadsheet
//! reader's limits before it is stored.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use wasm_forms::limits::{Exceeded, SheetLimits, UsedRange};

use crate::import::{Cell, Sheet};

/// A paragraph as Word shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Para {
    /// Its lines, split at manual line breaks; each trimmed.
    pub lines: Vec<String>,
    /// A heading style's level (`Heading 1`, `标题 2`), if any.
    pub heading: Option<u8>,
    /// Numbered by Word's automatic numbering (the number is not in the text) and not
    /// resolved by [`super::numbering`].
    pub auto_numbered: bool,
    /// Its automatic numbering: the list (`numId`) and level (`ilvl`).
    pub num: Option<(String, u8)>,
    /// 1-based number among the document's non-empty paragraphs outside tables.
    pub number: usize,
    /// Invisible characters removed from it.
    pub stripped: usize,
}

impl Para {
    /// The lines joined as one text (line breaks dropped, a space kept between two
    /// ASCII letters or digits).
    pub fn joined(&self) -> String {
        join_lines(&self.lines)
    }
}

/// A table: its rows of cells on the table's grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// 1-based number among the document's tables (表1, 表2 …).
    pub number: usize,
    pub sheet: Sheet,
    /// Cells (0-based row, column) whose invisible characters were removed.
    pub stripped: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Para),
    Table(Table),
}

/// What the main part holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    /// Text boxes (drawing or VML) whose text is not imported.
    pub text_boxes: usize,
}

/// Why the XML cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed XML, at this byte offset.
    Syntax { at: u64, message: String },
    /// Beyond a limit: more paragraphs than a sheet's rows, or text, or a table's cells.
    Limit(LimitHit),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitHit {
    Paragraphs(u32),
    Text,
    /// Table number, and the 0-based cell that made it too large.
    Table {
        table: usize,
        row: u64,
        col: u64,
    },
}

impl LimitHit {
    pub fn exceeded(&self) -> Option<Exceeded> {
        match *self {
            LimitHit::Text => Some(Exceeded::Text),
            LimitHit::Table { row, col, .. } => Some(Exceeded::Range { row, col }),
            LimitHit::Paragraphs(_) => None,
        }
    }
}

/// Whether Word's text loses `c` on import: the spreadsheet import's characters
/// ([`crate::import::read::is_stripped`]) and the soft hyphen and Mongolian vowel
/// separator, which are invisible too.
pub fn is_invisible(c: char) -> bool {
    crate::import::read::is_stripped(c) || c == '\u{ad}' || c == '\u{180e}'
}

/// Lines joined as one text ([`crate::import::table::join_lines`]).
pub fn join_lines(lines: &[String]) -> String {
    crate::import::table::join_lines(lines.iter().map(String::as_str))
}

#[derive(Default)]
struct ParaBuild {
    lines: Vec<String>,
    heading: Option<u8>,
    auto_numbered: bool,
    num: Option<(String, u8)>,
    stripped: usize,
}

impl ParaBuild {
    fn push_char(&mut self, c: char) {
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        if is_invisible(c) {
            self.stripped += 1;
            return;
        }
        let c = if c == '\t' || c == '\n' || c == '\r' {
            ' '
        } else {
            c
        };
        if let Some(l) = self.lines.last_mut() {
            l.push(c);
        }
    }
    fn line_break(&mut self) {
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.push(String::new());
    }
}

#[derive(Default)]
struct CellBuild {
    lines: Vec<String>,
    span: usize,
    /// `<w:vMerge/>` without `restart`: continues the cell above.
    continues: bool,
    stripped: usize,
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<CellBuild>>,
    /// Grid columns skipped before the row's first cell (`<w:gridBefore>`).
    before: Vec<usize>,
    row: Option<Vec<CellBuild>>,
    row_before: usize,
    cell: Option<CellBuild>,
}

fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// An attribute's value, entities resolved.
pub(crate) fn attr_value(a: &quick_xml::events::attributes::Attribute<'_>) -> String {
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| v.into_owned())
        .unwrap_or_default()
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find_map(|a| (local(a.key.as_ref()) == key).then(|| attr_value(&a)))
}

/// The level of a heading style id (`Heading1`, `heading 2`, `1`, `标题2`), 1–6.
fn heading_level(style: &str) -> Option<u8> {
    let s: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.to_ascii_lowercase();
    let rest = s
        .strip_prefix("heading")
        .or_else(|| s.strip_prefix("标题"))?;
    let n: u8 = rest.parse().ok()?;
    (1..=6).contains(&n).then_some(n)
}

/// Elements whose whole content Word does not show as the document's text.
const SKIPPED: &[&str] = &[
    "Fallback",
    "moveFrom",
    "del",
    "instrText",
    "delInstrText",
    "txbxContent",
    "footnoteReference",
    "commentReference",
];

/// Reads the main part's XML within `limits`. Never panics, whatever the text.
pub fn read(xml: &str, limits: &SheetLimits) -> Result<Body, XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut state = Reading::new(limits);
    // The depth inside an element whose content is skipped.
    let mut skip = 0usize;
    loop {
        let ev = reader.read_event().map_err(|e| XmlError::Syntax {
            at: reader.error_position(),
            message: e.to_string(),
        })?;
        if skip > 0 {
            match &ev {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match &ev {
            // An element whose content Word does not show: skipped to its end.
            Event::Start(e) if state.start(e, false) => skip = 1,
            Event::Empty(e) => {
                state.start(e, true);
            }
            Event::Text(t) if state.in_t => state.text(&t.xml10_content())?,
            Event::CData(t) if state.in_t => state.text(t)?,
            Event::GeneralRef(r) if state.in_t => state.reference(r),
            Event::End(e) => state.end(local(e.name().as_ref()))?,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.body)
}

/// One pass over the XML: where it is, what is being built, and what is counted
/// against the limits.
struct Reading<'a> {
    limits: &'a SheetLimits,
    body: Body,
    /// Inside a run's text (`<w:t>`), inside a paragraph's properties (`<w:pPr>`).
    in_t: bool,
    in_ppr: bool,
    para: Option<ParaBuild>,
    table: Option<TableBuild>,
    /// Tables inside a table's cell: their paragraphs go into the outer cell.
    nested: usize,
    tables: usize,
    paras: usize,
    text_bytes: u64,
    cells_total: u64,
}

impl<'a> Reading<'a> {
    fn new(limits: &'a SheetLimits) -> Self {
        Reading {
            limits,
            body: Body::default(),
            in_t: false,
            in_ppr: false,
            para: None,
            table: None,
            nested: 0,
            tables: 0,
            paras: 0,
            text_bytes: 0,
            cells_total: 0,
        }
    }

    /// An element opens (`empty`: and closes at once). Returns whether its content is
    /// to be skipped.
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> bool {
        let name = e.name();
        let name = local(name.as_ref());
        if SKIPPED.contains(&name) {
            if name == "txbxContent" {
                self.body.text_boxes += 1;
            }
            return !empty;
        }
        match name {
            // An empty paragraph: nothing to store.
            "p" if !empty => self.para = Some(ParaBuild::default()),
            "pPr" if !empty => self.in_ppr = true,
            "pStyle" | "numPr" | "numId" | "ilvl" if self.in_ppr => self.para_property(name, e),
            "t" if !empty && !self.in_ppr => self.in_t = true,
            "tab" | "br" | "cr" | "noBreakHyphen" | "softHyphen" if !self.in_ppr => {
                self.run_content(name, e)
            }
            "tbl" => {
                if self.table.is_some() {
                    self.nested += usize::from(!empty);
                } else if !empty {
                    self.table = Some(TableBuild::default());
                }
            }
            "tr" | "gridBefore" | "tc" | "gridSpan" | "vMerge" if self.nested == 0 => {
                self.table_part(name, e, empty)
            }
            _ => {}
        }
        false
    }

    /// A paragraph's style (a heading's level) or automatic numbering.
    fn para_property(&mut self, name: &str, e: &BytesStart<'_>) {
        let Some(p) = self.para.as_mut() else { return };
        match name {
            "pStyle" => {
                if let Some(v) = attr(e, "val") {
                    p.heading = heading_level(&v);
                }
            }
            "numPr" => p.auto_numbered = true,
            "numId" => {
                if let Some(v) = attr(e, "val") {
                    let level = p.num.as_ref().map_or(0, |n| n.1);
                    // numId 0: numbering switched off.
                    p.auto_numbered = v != "0";
                    p.num = (v != "0").then_some((v, level));
                }
            }
            _ => {
                if let Some(v) = attr(e, "val") {
                    let level = v.parse::<u8>().unwrap_or(0).min(8);
                    match p.num.as_mut() {
                        Some(n) => n.1 = level,
                        None => p.num = Some((String::new(), level)),
                    }
                }
            }
        }
    }

    /// What a run holds besides its text: a tab, a break, a hyphen.
    fn run_content(&mut self, name: &str, e: &BytesStart<'_>) {
        let Some(p) = self.para.as_mut() else { return };
        match name {
            "tab" => p.push_char(' '),
            "br" | "cr" => {
                let kind = attr(e, "type").unwrap_or_default();
                // A page or column break continues the paragraph's text.
                if kind.is_empty() || kind == "textWrapping" || name == "cr" {
                    p.line_break();
                }
            }
            "noBreakHyphen" => p.push_char('-'),
            _ => p.stripped += 1,
        }
    }

    /// A row or cell of the (outer) table opens, or states its grid or merging.
    fn table_part(&mut self, name: &str, e: &BytesStart<'_>, empty: bool) {
        let Some(t) = self.table.as_mut() else { return };
        match name {
            "tr" => {
                t.row = Some(Vec::new());
                t.row_before = 0;
                if empty {
                    t.rows.push(Vec::new());
                    t.before.push(0);
                    t.row = None;
                }
            }
            "gridBefore" => {
                if let Some(v) = attr(e, "val") {
                    t.row_before = v.parse::<usize>().unwrap_or(0).min(64);
                }
            }
            "tc" if !empty => {
                t.cell = Some(CellBuild {
                    span: 1,
                    ..CellBuild::default()
                });
            }
            "gridSpan" => {
                if let Some(c) = t.cell.as_mut() {
                    let n = attr(e, "val")
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(1);
                    c.span = n.clamp(1, 1024);
                }
            }
            "vMerge" => {
                if let Some(c) = t.cell.as_mut() {
                    c.continues = attr(e, "val").is_none_or(|v| v == "continue");
                }
            }
            _ => {}
        }
    }

    /// A run's text, counted against the limit on text.
    fn text(&mut self, s: &str) -> Result<(), XmlError> {
        if let Some(p) = self.para.as_mut() {
            self.text_bytes += s.len() as u64;
            if self.text_bytes > self.limits.text_bytes {
                return Err(XmlError::Limit(LimitHit::Text));
            }
            for c in s.chars() {
                p.push_char(c);
            }
        }
        Ok(())
    }

    /// A character or entity reference in a run's text (`&#x4E00;`, `&amp;`).
    fn reference(&mut self, r: &BytesRef<'_>) {
        let c = match r.resolve_char_ref() {
            Ok(Some(c)) => Some(c),
            Ok(None) => match &**r {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "quot" => Some('"'),
                _ => None,
            },
            Err(_) => None,
        };
        if let (Some(p), Some(c)) = (self.para.as_mut(), c) {
            self.text_bytes += c.len_utf8() as u64;
            p.push_char(c);
        }
    }

    /// An element closes.
    fn end(&mut self, name: &str) -> Result<(), XmlError> {
        match name {
            "t" => self.in_t = false,
            "pPr" => self.in_ppr = false,
            "p" => self.end_para()?,
            "tc" if self.nested == 0 => {
                if let Some(t) = self.table.as_mut() {
                    if let (Some(c), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                        row.push(c);
                    }
                }
            }
            "tr" if self.nested == 0 => {
                if let Some(t) = self.table.as_mut() {
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                        t.before.push(t.row_before);
                    }
                }
            }
            "tbl" => {
                if self.nested > 0 {
                    self.nested -= 1;
                } else if let Some(t) = self.table.take() {
                    self.tables += 1;
                    let done = lay_out(t, self.tables, self.limits, &mut self.cells_total)?;
                    self.body.blocks.push(Block::Table(done));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A paragraph ends: into the table's cell it is in, or into the body (counted
    /// against the limit on rows) when it has text or had invisible characters.
    fn end_para(&mut self) -> Result<(), XmlError> {
        let Some(p) = self.para.take() else {
            return Ok(());
        };
        let lines: Vec<String> = p.lines.iter().map(|l| l.trim().to_string()).collect();
        let has_text = lines.iter().any(|l| !l.is_empty());
        if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            c.stripped += p.stripped;
            if has_text {
                c.lines.extend(lines.into_iter().filter(|l| !l.is_empty()));
            }
        } else if self.table.is_none() && (has_text || p.stripped > 0) {
            self.paras += 1;
            if self.paras > self.limits.rows as usize {
                return Err(XmlError::Limit(LimitHit::Paragraphs(self.limits.rows)));
            }
            // Trailing and leading empty lines go; inner ones stay.
            let mut lines = lines;
            while lines.last().is_some_and(String::is_empty) {
                lines.pop();
            }
            let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
            lines.drain(..first);
            self.body.blocks.push(Block::Para(Para {
                lines,
                heading: p.heading,
                auto_numbered: p.auto_numbered,
                num: p.num.filter(|n| !n.0.is_empty()),
                number: self.paras,
                stripped: p.stripped,
            }));
        }
        Ok(())
    }
}

/// A table's cells on its grid, merged cells laid out, within the limits.
fn lay_out(
    t: TableBuild,
    number: usize,
    limits: &SheetLimits,
    cells_total: &mut u64,
) -> Result<Table, XmlError> {
    let mut used = UsedRange::default();
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(t.rows.len().min(1024));
    let mut stripped = Vec::new();
    for (r, row) in t.rows.into_iter().enumerate() {
        let mut out: Vec<Cell> = Vec::new();
        let mut col = t.before.get(r).copied().unwrap_or(0);
        for cell in row {
            let limit = |col: usize| {
                XmlError::Limit(LimitHit::Table {
                    table: number,
                    row: r as u64,
                    col: col as u64,
                })
            };
            let last = col.saturating_add(cell.span - 1);
            used.add(limits, r as u64, last as u64)
                .map_err(|_| limit(last))?;
            *cells_total += cell.span as u64;
            if *cells_total > limits.cells {
                return Err(limit(last));
            }
            if out.len() < col {
                out.resize(col, Cell::Empty);
            }
            let value = if cell.continues {
                rows.get(r.wrapping_sub(1))
                    .and_then(|above| above.get(col))
                    .cloned()
                    .unwrap_or(Cell::Empty)
            } else if cell.lines.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(cell.lines.join("\n"))
            };
            if cell.stripped > 0 {
                stripped.push((r, col));
            }
            out.push(value);
            for _ in 1..cell.span {
                out.push(Cell::Empty);
            }
            col = last + 1;
        }
        while out.last().is_some_and(Cell::is_blank) {
            out.pop();
        }
        rows.push(out);
    }
    Ok(Table {
        number,
        sheet: Sheet {
            name: format!("表{number}"),
            rows,
            lines: Vec::new(),
        },
        stripped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(inner: &str) -> String {
        format!("<w:document {W}><w:body>{inner}</w:body></w:document>")
    }

    #[test]
    fn runs_breaks_and_invisible_characters() {
        let b = read(
            &doc(r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs></w:pPr><w:r><w:t>一、</w:t></w:r><w:r><w:t xml:space="preserve">总&amp;则&#x200B;</w:t><w:br/><w:t>下一行</w:t><w:softHyphen/></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p><w:p/>"#),
            &wasm_forms::limits::SHEET,
        )
        .unwrap();
        assert_eq!(b.blocks.len(), 1);
        let Block::Para(p) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(p.lines, ["一、总&则", "下一行"]);
        assert_eq!(p.heading, Some(2));
        assert_eq!(p.stripped, 2);
    }

    #[test]
    fn merged_cells_on_the_grid() {
        let b = read(
            &doc(r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>标题</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>org</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#),
            &wasm_forms::limits::SHEET,
        )
        .unwrap();
        let Block::Table(t) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(t.sheet.cell(0, 0), &Cell::Text("标题".into()));
        assert_eq!(t.sheet.cell(0, 1), &Cell::Empty);
        assert_eq!(t.sheet.cell(2, 1), &Cell::Text("org".into()));
    }
}
