//! Plan lists as tables: the column layout (shared by HTML and CSV), CSV and JSON.
//!
//! Columns follow the seed's order: a list with amounts is laid out like Wenzhou's
//! municipal list (资助类型, 资助金额, 联系人, 联系电话); otherwise like its provincial list
//! (专业类别, 联系人, 联系电话, 经费形式). Columns no program fills are left out.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::content::model::{Notice, PlanList, Program};
use crate::import::xlsx::{self, SheetSpec, XCell};
use crate::urls;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Key {
    Index,
    Name,
    Organizer,
    Category,
    Funding,
    Amount,
    ContactNames,
    ContactPhones,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub key: Key,
    pub label: &'static str,
}

/// The name of a list's funding column, wherever the list's programs show it: 资助类型
/// beside amounts (as the Wenzhou municipal list has it), else 经费形式 (as its provincial
/// list has it).
pub fn funding_label(list: &PlanList) -> &'static str {
    if list.programs.iter().any(|p| p.amount_wan.is_some()) {
        "资助类型"
    } else {
        "经费形式"
    }
}

pub fn columns(list: &PlanList) -> Vec<Column> {
    let any = |f: fn(&Program) -> bool| list.programs.iter().any(f);
    let has_category = any(|p| p.category.is_some());
    let has_funding = any(|p| p.funding.is_some());
    let has_amount = any(|p| p.amount_wan.is_some());
    let has_contacts = any(|p| !p.contacts.is_empty());
    let c = |key, label| Column { key, label };
    let mut cols = vec![
        c(Key::Index, "序号"),
        c(Key::Name, "高研班名称"),
        c(Key::Organizer, "举办单位"),
    ];
    if has_category {
        cols.push(c(Key::Category, "专业类别"));
    }
    if has_amount {
        if has_funding {
            cols.push(c(Key::Funding, funding_label(list)));
        }
        cols.push(c(Key::Amount, "资助金额"));
    }
    if has_contacts {
        cols.push(c(Key::ContactNames, "联系人"));
        cols.push(c(Key::ContactPhones, "联系电话"));
    }
    if has_funding && !has_amount {
        cols.push(c(Key::Funding, funding_label(list)));
    }
    cols
}

/// "3万", "2.5万" as in the seed.
pub fn amount_text(a: Decimal) -> String {
    format!("{}万", a.normalize())
}

/// The text of one cell (for CSV and the filter).
pub fn cell(p: &Program, n: usize, key: Key) -> String {
    match key {
        Key::Index => n.to_string(),
        Key::Name => p.name.clone(),
        Key::Organizer => p.organizer.clone(),
        Key::Category => p.category.clone().unwrap_or_default(),
        Key::Funding => p.funding.clone().unwrap_or_default(),
        Key::Amount => p.amount_wan.map(amount_text).unwrap_or_default(),
        Key::ContactNames => p
            .contacts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        Key::ContactPhones => p
            .contacts
            .iter()
            .flat_map(|c| c.phones.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A cell that a spreadsheet could read as a formula gets a leading `'`.
pub fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_field(s: &str) -> String {
    let s = csv_safe(s);
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// UTF-8 with BOM, CRLF line ends, Chinese headers.
pub fn csv(list: &PlanList) -> Vec<u8> {
    let cols = columns(list);
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = cols.iter().map(|c| csv_field(c.label)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (i, p) in list.programs.iter().enumerate() {
        let row: Vec<String> = cols
            .iter()
            .map(|c| csv_field(&cell(p, i + 1, c.key)))
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The list as a one-sheet workbook: the CSV's columns and cells, 序号 as a number and
/// every other cell as text (phones stay as typed; `3万` as the seed writes it).
pub fn xlsx(list: &PlanList) -> Vec<u8> {
    let cols = columns(list);
    let rows = list
        .programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            cols.iter()
                .map(|c| match c.key {
                    Key::Index => XCell::Number((i + 1) as f64),
                    k => XCell::Text(cell(p, i + 1, k)),
                })
                .collect()
        })
        .collect();
    let widths = cols
        .iter()
        .map(|c| match c.key {
            Key::Index => 6.0,
            Key::Name => 40.0,
            Key::Organizer | Key::Category => 30.0,
            Key::ContactPhones => 24.0,
            _ => 12.0,
        })
        .collect();
    xlsx::workbook(&SheetSpec {
        name: &list.title,
        header: cols.iter().map(|c| c.label.to_string()).collect(),
        rows,
        widths,
    })
}

#[derive(Serialize)]
struct JsonList<'a> {
    notice: &'a str,
    doc_number: &'a str,
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    programs: Vec<JsonProgram<'a>>,
}

#[derive(Serialize)]
struct JsonProgram<'a> {
    index: usize,
    name: &'a str,
    organizer: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    funding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The number as the page shows it, digit for digit (not through an f64).
    amount_wan: Option<Box<serde_json::value::RawValue>>,
    contacts: Vec<JsonContact<'a>>,
    url: String,
}

#[derive(Serialize)]
struct JsonContact<'a> {
    name: &'a str,
    phones: &'a [String],
}

/// `root` is the path the site is served under (`/` or `/zjgyb/`): program URLs are
/// root-absolute paths under it.
pub fn json(notice: &Notice, list: &PlanList, root: &str) -> Vec<u8> {
    let doc = JsonList {
        notice: &notice.slug,
        doc_number: &notice.doc_number,
        id: &list.id,
        title: &list.title,
        note: list.note.as_deref(),
        programs: list
            .programs
            .iter()
            .enumerate()
            .map(|(i, p)| JsonProgram {
                index: i + 1,
                name: &p.name,
                organizer: &p.organizer,
                category: p.category.as_deref(),
                funding: p.funding.as_deref(),
                amount_wan: p.amount_wan.and_then(|a| {
                    serde_json::value::RawValue::from_string(a.normalize().to_string()).ok()
                }),
                contacts: p
                    .contacts
                    .iter()
                    .map(|c| JsonContact {
                        name: &c.name,
                        phones: &c.phones,
                    })
                    .collect(),
                url: format!(
                    "{root}{}",
                    urls::program(&notice.slug, &list.id, i + 1).trim_start_matches('/')
                ),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_prefixed() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("-2"), "'-2");
        assert_eq!(csv_safe("@x"), "'@x");
        assert_eq!(csv_safe("\tx"), "'\tx");
        assert_eq!(csv_safe("温州"), "温州");
    }

    #[test]
    fn csv_quotes_commas_and_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
