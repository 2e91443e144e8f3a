//! A sheet's rows into programs: the header row found by its Chinese names, each row
//! read by its column's meaning, every unreadable cell reported with what was expected.
//!
//! The header is the first row holding both 高研班名称 and 举办单位, below any title
//! rows; its columns may come in any order, and spaces or line breaks inside a header
//! (`联 系 人`) do not matter. Below it, blank rows and rows with neither a name nor an
//! organizer (footnotes, totals, pre-numbered empty rows) are skipped, the skip noted
//! unless the row holds only its 序号. Several contacts and numbers in one cell are
//! paired as the Wenzhou seed pairs them (附件1, row 1: two names and two numbers, in
//! order); a pairing the sheet does not fix is noted and written as a comment.

use std::str::FromStr;

use rust_decimal::Decimal;
use wasm_forms::fields;

use super::{Cell, CellError, Contact, Imported, Note, Place, Program, Sheet};

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Index,
    Name,
    Organizer,
    Category,
    Funding,
    Amount,
    Contacts,
    Phones,
}

/// The seeds' column names (附件1 and 附件2 of the Wenzhou notice); 经费形式 (provincial)
/// and 资助类型 (municipal) both hold `funding`.
pub const HEADERS: &[(&str, Field)] = &[
    ("序号", Field::Index),
    ("高研班名称", Field::Name),
    ("举办单位", Field::Organizer),
    ("专业类别", Field::Category),
    ("经费形式", Field::Funding),
    ("资助类型", Field::Funding),
    ("资助金额", Field::Amount),
    ("联系人", Field::Contacts),
    ("联系电话", Field::Phones),
];

fn header_names() -> String {
    HEADERS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header cell's name without spaces, line breaks and a `（万元）` unit.
fn header_key(cell: &Cell) -> Option<String> {
    let Cell::Text(s) = cell else { return None };
    let (s, _) = fields::half_width(s);
    let key: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let key = key
        .strip_suffix("(万元)")
        .or_else(|| key.strip_suffix("（万元）"))
        .unwrap_or(&key)
        .to_string();
    Some(key)
}

fn header_field(cell: &Cell) -> Option<Field> {
    let key = header_key(cell)?;
    HEADERS.iter().find(|(n, _)| *n == key).map(|(_, f)| *f)
}

/// The header row and which column holds which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub row: usize,
    pub cols: Vec<(usize, Field)>,
}

impl Header {
    pub fn col(&self, f: Field) -> Option<usize> {
        self.cols.iter().find(|(_, g)| *g == f).map(|(c, _)| *c)
    }
}

/// The first row with both 高研班名称 and 举办单位, if any.
pub fn find_header(sheet: &Sheet) -> Option<usize> {
    sheet.rows.iter().position(|row| {
        let has = |f| row.iter().any(|c| header_field(c) == Some(f));
        has(Field::Name) && has(Field::Organizer)
    })
}

struct Ctx<'a> {
    file: &'a str,
    sheet: &'a Sheet,
    errors: Vec<CellError>,
    notes: Vec<Note>,
}

impl Ctx<'_> {
    fn place(&self, row: usize, col: usize) -> Place {
        Place {
            file: self.file.to_string(),
            sheet: self.sheet.name.clone(),
            cell: Some((row, col)),
            line: self.sheet.lines.get(row).copied(),
        }
    }
    fn error(&mut self, row: usize, col: usize, message: String) {
        let place = self.place(row, col);
        self.errors.push(CellError { place, message });
    }
    fn note(&mut self, row: usize, col: usize, message: String) {
        let place = self.place(row, col);
        self.notes.push(Note { place, message });
    }
}

/// Reads the plan list of `sheet`. `file` names the file in messages. `Ok(None)`: the
/// sheet has no header row. Never panics, whatever the cells.
pub fn programs(file: &str, sheet: &Sheet) -> Result<Option<Imported>, Vec<CellError>> {
    let Some(header_row) = find_header(sheet) else {
        return Ok(None);
    };
    let mut cx = Ctx {
        file,
        sheet,
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let header = read_header(&mut cx, header_row);
    let mut programs = Vec::new();
    for r in header_row + 1..sheet.rows.len() {
        if sheet.rows[r].iter().all(Cell::is_blank) {
            continue;
        }
        if let Some(p) = read_row(&mut cx, &header, r) {
            programs.push(p);
        }
    }
    if programs.is_empty() && cx.errors.is_empty() {
        cx.errors.push(CellError {
            place: Place {
                file: file.to_string(),
                sheet: sheet.name.clone(),
                cell: Some((header_row, header.col(Field::Name).unwrap_or(0))),
                line: sheet.lines.get(header_row).copied(),
            },
            message: "no program below this header row: expected one row per program, each \
                      with its 高研班名称 and 举办单位"
                .to_string(),
        });
    }
    if cx.errors.is_empty() {
        Ok(Some(Imported {
            sheet: sheet.name.clone(),
            header_row,
            programs,
            notes: cx.notes,
        }))
    } else {
        Err(cx.errors)
    }
}

fn read_header(cx: &mut Ctx, row: usize) -> Header {
    let mut cols: Vec<(usize, Field)> = Vec::new();
    let cells = cx.sheet.rows[row].clone();
    for (c, cell) in cells.iter().enumerate() {
        if cell.is_blank() {
            continue;
        }
        match header_field(cell) {
            Some(f) => {
                if let Some(&(first, _)) = cols.iter().find(|(_, g)| *g == f) {
                    cx.error(
                        row,
                        c,
                        format!(
                            "column {} repeats the column {} of {}: expected each of {} at most once \
                             (经费形式 and 资助类型 are the same column)",
                            display(cell),
                            super::cell_ref(row, first),
                            display(&cells[first]),
                            header_names()
                        ),
                    );
                } else {
                    cols.push((c, f));
                }
            }
            None => cx.note(
                row,
                c,
                format!(
                    "column {} is not imported (the list's columns are {})",
                    display(cell),
                    header_names()
                ),
            ),
        }
    }
    Header { row, cols }
}

/// A cell as quoted in a message.
fn display(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "(empty)".to_string(),
        Cell::Text(s) => format!("{s:?}"),
        Cell::Number(n) => format!("the number {}", number_text(*n)),
        Cell::Bool(b) => format!("the value {}", if *b { "TRUE" } else { "FALSE" }),
        Cell::Date(d) => format!("the date {d}"),
        Cell::Error(e) => format!("the error value {e}"),
    }
}

/// A number as a spreadsheet shows it in General format, integers in full (13567739185,
/// never 1.3567739185E10).
fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The text of a text column; line breaks inside (a long name wrapped with Alt+Enter)
/// are joined.
fn text(cell: &Cell) -> Result<Option<String>, String> {
    let s = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(_) | Cell::Date(_) | Cell::Error(_) => {
            return Err(format!("holds {}: expected text", display(cell)))
        }
    };
    let joined = join_lines(s.lines());
    Ok(if joined.is_empty() {
        None
    } else {
        Some(joined)
    })
}

/// Lines joined as one text, the way a cell or a paragraph broken by hand reads: empty
/// lines dropped, and a space only between two ASCII letters or digits (Chinese text
/// runs on).
pub(crate) fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
        let ascii_seam = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if ascii_seam {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn field_label(f: Field) -> &'static str {
    HEADERS
        .iter()
        .find(|(_, g)| *g == f)
        .map_or("", |(n, _)| *n)
}

fn read_row(cx: &mut Ctx, h: &Header, r: usize) -> Option<Program> {
    let sheet = cx.sheet;
    let at = |f: Field| h.col(f).map(|c| (c, sheet.cell(r, c)));
    let blank = |f: Field| at(f).is_none_or(|(_, c)| c.is_blank());
    if blank(Field::Name) && blank(Field::Organizer) {
        skip_note(cx, h, r);
        return None;
    }
    let errors_before = cx.errors.len();
    let text_of = |cx: &mut Ctx, f: Field, required: bool| -> Option<String> {
        let (c, cell) = at(f)?;
        match text(cell) {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                if required {
                    cx.error(
                        r,
                        c,
                        format!(
                            "{} is empty: expected the program's {} (every row with a program needs it)",
                            field_label(f),
                            field_label(f)
                        ),
                    );
                }
                None
            }
            Err(why) => {
                cx.error(r, c, format!("{} {why}", field_label(f)));
                None
            }
        }
    };
    let name = text_of(cx, Field::Name, true);
    let organizer = text_of(cx, Field::Organizer, true);
    let category = text_of(cx, Field::Category, false);
    let funding = text_of(cx, Field::Funding, false);
    let amount_wan = at(Field::Amount).and_then(|(c, cell)| match amount(cell) {
        Ok(a) => a,
        Err(why) => {
            cx.error(r, c, format!("资助金额 {why}"));
            None
        }
    });
    let names = at(Field::Contacts).and_then(|(c, cell)| match cell {
        Cell::Empty => None,
        _ => match text(cell) {
            Ok(_) => Some((c, contact_names(cell))),
            Err(why) => {
                cx.error(r, c, format!("联系人 {why}"));
                None
            }
        },
    });
    let phones = at(Field::Phones).and_then(|(c, cell)| match phones(cell) {
        Ok(p) => Some((c, p)),
        Err(why) => {
            cx.error(r, c, format!("联系电话 {why}"));
            None
        }
    });
    let names_v = names.as_ref().map(|(_, n)| n.clone()).unwrap_or_default();
    let phones_v = phones.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
    let mut notes = Vec::new();
    let contacts = if names_v.is_empty() && !phones_v.is_empty() {
        let col = h.col(Field::Contacts).or(phones.as_ref().map(|(c, _)| *c));
        cx.error(
            r,
            col.unwrap_or(0),
            format!(
                "联系人 is empty but 联系电话 holds {}: expected the name of the person to call",
                phones_v.join(" ")
            ),
        );
        Vec::new()
    } else {
        let (contacts, note) = pair(&names_v, &phones_v);
        if let Some(n) = note {
            let col = phones.as_ref().map_or(0, |(c, _)| *c);
            let ncol = names.as_ref().map_or(col, |(c, _)| *c);
            let msg = format!(
                "{} {} and {} {}: {n}",
                super::cell_ref(r, ncol),
                names_v.join("、"),
                super::cell_ref(r, col),
                phones_v.join(" ")
            );
            cx.note(r, col, n.clone());
            notes.push(msg);
        }
        contacts
    };
    if cx.errors.len() > errors_before {
        return None;
    }
    Some(Program {
        row: r,
        program: crate::content::model::Program {
            name: name?,
            organizer: organizer?,
            category,
            funding,
            amount_wan,
            contacts,
            description: None,
        },
        notes,
    })
}

/// Notes a skipped row unless it holds nothing but a 序号.
fn skip_note(cx: &mut Ctx, h: &Header, r: usize) {
    let index_col = h.col(Field::Index);
    let row = &cx.sheet.rows[r];
    let first = row
        .iter()
        .enumerate()
        .find(|(c, cell)| !cell.is_blank() && (Some(*c) != index_col || !is_number(cell)));
    if let Some((c, cell)) = first {
        let shown = display(cell);
        cx.note(
            r,
            c,
            format!(
                "row {} skipped: it has no 高研班名称 and no 举办单位 (it holds {shown})",
                r + 1
            ),
        );
    }
}

fn is_number(cell: &Cell) -> bool {
    match cell {
        Cell::Number(_) => true,
        Cell::Text(s) => s.trim().chars().all(|c| c.is_ascii_digit() || c == '.'),
        _ => false,
    }
}

/// 资助金额 in 万元: a number, or text such as `3万`, `2.5万元`, `3`.
fn amount(cell: &Cell) -> Result<Option<Decimal>, String> {
    const EXPECTED: &str = "expected an amount in 万元 such as 3万, 2.5万元 or 3";
    let parsed = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) if n.is_finite() => Decimal::from_str(&format!("{n}")).ok(),
        Cell::Text(s) => {
            let (s, _) = fields::half_width(s);
            let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            if t.is_empty() {
                return Ok(None);
            }
            let t = t
                .strip_suffix("万元")
                .or_else(|| t.strip_suffix('万'))
                .unwrap_or(&t);
            Decimal::from_str(t).ok()
        }
        _ => None,
    };
    match parsed {
        Some(d) if d >= Decimal::ZERO => Ok(Some(d.normalize())),
        Some(_) => Err(format!("holds {}: {EXPECTED}, not negative", display(cell))),
        None => Err(format!("holds {}: {EXPECTED}", display(cell))),
    }
}

const LIST_SEPARATORS: &[char] = &['\n', '\r', '、', '，', ',', ';', '；', '/'];

/// The names in a 联系人 cell: one a line, or separated by 、，,;；/; a space separates
/// names only when every part is at least two characters (`陈 强` is one name spaced
/// out, as the seed writes it).
fn contact_names(cell: &Cell) -> Vec<String> {
    let s = match cell {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => number_text(*n),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for part in s
        .split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|w| w.chars().count() >= 2) {
            out.extend(words.iter().map(|w| w.to_string()));
        } else {
            out.push(part.to_string());
        }
    }
    out
}

const PHONE_EXPECTED: &str = "expected phone numbers: mobiles (11 digits starting 13-19) or \
     landlines (such as 88879706 or 0577-88888888), several separated by spaces, commas, 、 or /";

/// The numbers in a 联系电话 cell. A number cell is read as its digits (13567739185,
/// never 1.3567739185E10); a text cell may hold several numbers, one a line or separated
/// as the form contract's `phone` type allows. Each must be a phone by that rule.
fn phones(cell: &Cell) -> Result<Vec<String>, String> {
    match cell {
        Cell::Empty => Ok(Vec::new()),
        Cell::Number(n) => {
            let digits = number_text(*n);
            if n.fract() == 0.0 && *n > 0.0 && fields::phone(&digits).is_ok() {
                Ok(vec![digits])
            } else {
                Err(format!(
                    "holds {}, which is not a phone number (a number cell drops a leading 0; format \
                     the column as text): {PHONE_EXPECTED}",
                    display(cell)
                ))
            }
        }
        Cell::Text(s) => {
            let (s, _) = fields::half_width(s);
            let mut out = Vec::new();
            for seg in s
                .split(LIST_SEPARATORS)
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                if seg.contains(char::is_whitespace) {
                    if let Ok(m) = fields::mobile(seg) {
                        out.push(m.value);
                        continue;
                    }
                }
                match fields::phone(seg) {
                    Ok(_) => out.extend(seg.split_whitespace().map(str::to_string)),
                    Err(_) => {
                        return Err(format!(
                            "{:?} is not a phone number: {PHONE_EXPECTED}",
                            first_bad_phone(seg)
                        ))
                    }
                }
            }
            Ok(out)
        }
        _ => Err(format!("holds {}: {PHONE_EXPECTED}", display(cell))),
    }
}

fn first_bad_phone(seg: &str) -> &str {
    seg.split_whitespace()
        .find(|t| fields::phone(t).is_err())
        .unwrap_or(seg)
}

/// Pairs the names and numbers of one row, as the Wenzhou seed's 附件1 row 1 is read
/// (two names, two numbers: in order). The note says what the sheet did not fix.
fn pair(names: &[String], phones: &[String]) -> (Vec<Contact>, Option<String>) {
    let contact = |name: &String, phones: &[String]| Contact {
        name: name.clone(),
        phones: phones.to_vec(),
    };
    match (names.len(), phones.len()) {
        (0, _) => (Vec::new(), None),
        (1, _) | (_, 0) => (
            names
                .iter()
                .enumerate()
                .map(|(i, n)| contact(n, if i == 0 { phones } else { &[] }))
                .collect(),
            None,
        ),
        (n, m) if n == m => (
            names
                .iter()
                .zip(phones)
                .map(|(n, p)| contact(n, std::slice::from_ref(p)))
                .collect(),
            Some(format!(
                "{n} contacts and {m} numbers in one row: paired in order, a guess (the sheet does \
                 not say whose number is whose)"
            )),
        ),
        (n, 1) => (
            names.iter().map(|name| contact(name, phones)).collect(),
            Some(format!(
                "{n} contacts and one number: the number is given to each, a guess"
            )),
        ),
        (n, m) if m > n => {
            let mut v: Vec<Contact> = names[..n - 1]
                .iter()
                .zip(phones)
                .map(|(n, p)| contact(n, std::slice::from_ref(p)))
                .collect();
            v.push(contact(&names[n - 1], &phones[n - 1..]));
            (
                v,
                Some(format!(
                    "{n} contacts and {m} numbers: paired in order, the last contact given the rest, a guess"
                )),
            )
        }
        (n, m) => (
            names
                .iter()
                .enumerate()
                .map(|(i, name)| contact(name, phones.get(i).map(std::slice::from_ref).unwrap_or(&[])))
                .collect(),
            Some(format!(
                "{n} contacts and {m} numbers: paired in order, the last contacts without a number, a guess"
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn numbers_in_full() {
        assert_eq!(number_text(13567739185.0), "13567739185");
        assert_eq!(number_text(2.5), "2.5");
    }

    #[test]
    fn amounts_as_offices_write_them() {
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(amount(&t("3万")).unwrap(), d("3"));
        assert_eq!(amount(&t(" 2.5 万元")).unwrap(), d("2.5"));
        assert_eq!(amount(&t("３万")).unwrap(), d("3"));
        assert_eq!(amount(&Cell::Number(3.0)).unwrap(), d("3"));
        assert_eq!(amount(&t("")).unwrap(), None);
        assert!(amount(&t("三万"))
            .unwrap_err()
            .contains("expected an amount in 万元"));
        assert!(amount(&t("-2万")).is_err());
    }

    #[test]
    fn names_split_on_lines_but_not_on_a_spaced_out_name() {
        assert_eq!(contact_names(&t("顾雪萍\n\n姜扬丰")), ["顾雪萍", "姜扬丰"]);
        assert_eq!(contact_names(&t("陈 强")), ["陈 强"]);
        assert_eq!(contact_names(&t("顾雪萍 姜扬丰")), ["顾雪萍", "姜扬丰"]);
        assert_eq!(contact_names(&t("钱素珍、吴坚")), ["钱素珍", "吴坚"]);
    }

    #[test]
    fn phones_from_numbers_and_text() {
        assert_eq!(
            phones(&Cell::Number(13567739185.0)).unwrap(),
            ["13567739185"]
        );
        assert_eq!(
            phones(&t("88526559 88505434")).unwrap(),
            ["88526559", "88505434"]
        );
        assert_eq!(phones(&t("135 6773 9185")).unwrap(), ["13567739185"]);
        assert_eq!(
            phones(&t("0577-88888888\n13868617790")).unwrap(),
            ["0577-88888888", "13868617790"]
        );
        assert!(phones(&Cell::Number(57788526559.0))
            .unwrap_err()
            .contains("leading 0"));
        assert!(phones(&t("88526559 见官网"))
            .unwrap_err()
            .contains("\"见官网\""));
    }

    #[test]
    fn pairing_as_the_seed_pairs() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (c, note) = pair(&s(&["顾雪萍", "姜扬丰"]), &s(&["88526559", "88505434"]));
        assert_eq!(c[0].phones, ["88526559"]);
        assert_eq!(c[1].phones, ["88505434"]);
        assert!(note.unwrap().contains("paired in order"));
        let (c, note) = pair(&s(&["钱素珍"]), &s(&["1", "2"]));
        assert_eq!(c[0].phones, ["1", "2"]);
        assert!(note.is_none());
        let (c, _) = pair(&s(&["a", "b"]), &s(&["1", "2", "3"]));
        assert_eq!(c[1].phones, ["2", "3"]);
        let (c, _) = pair(&s(&["a", "b", "c"]), &s(&["1", "2"]));
        assert!(c[2].phones.is_empty());
    }
}
