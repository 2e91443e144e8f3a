//! A document's paragraphs and tables into the parts of a notice, as 党政机关公文 are laid
//! out (GB/T 9704): 文号 (`温人社发〔2020〕77号`), the title (`关于……的通知`, over one or
//! more lines), 主送 (the line ending in `：`), the body with its numbered headings
//! (`一、` `（一）` `1．`), the 附件 list, 落款 (the issuer, then a date written
//! `2020年7月21日`, or `2020.7.21` below the names of bodies), a 公开方式 line
//! (`（此件公开发布）`), then each attachment under its `附件1` line. A plan-list table (one whose header holds 高研班名称 and 举办单位) is read
//! by the spreadsheet import's [`table::programs`], cell for cell as a sheet would be.
//!
//! Nothing is guessed silently: the numbers a rule could be read from (30 trainees, 2-3
//! days, 10 working days) are returned with their sentence as [`RuleHint`]s, for the
//! clerk to confirm; what is not imported is named in a [`Found`] note.
//!
//! The steps are children of this module: `vocab` (the words they share), `text`
//! (the lines' patterns and tidying), `rules` (the numbers a rule could take), `body`
//! and `attachments`. Each uses only the ones named before it, never this module.

mod attachments;
mod body;
mod rules;
mod text;
mod vocab;

pub use body::escape_markdown;
pub use text::{logical_paragraphs, tidy};
pub use vocab::{table_notes, Attachment, Draft, Found, List, RuleHint, Where};

use chrono::{Datelike, NaiveDate};

use super::say;
use super::xml::{Block, Body, Para};
use crate::import::{table, Imported};
use attachments::{attachment_list, empty_lists, Appendices};
use body::{BodyStart, BodyText};
use text::{
    appendix_re, at_para, body_names, compact, date_re, doc_number_re, heading_re,
    is_bare_appendix, numeric_date_re, ISSUER_SEPARATOR,
};
use vocab::cell_errors;
use wasm_forms::fields::half_width;

/// Full-width digits and signs (`２０２０．５．９`, as typed in a Chinese input method's
/// full-width mode) as ASCII ones, as the form fields read them.
fn ascii_digits(s: &str) -> String {
    half_width(s).0
}

/// Chinese or Arabic digits of a date (`二〇二〇`, `十二`, `2020`).
fn number(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c || (c == '零' && d == '〇'))
    };
    if s.chars().count() == 4 {
        // A year, digit by digit.
        return s
            .chars()
            .try_fold(0u32, |acc, c| digit(c).map(|d| acc * 10 + d as u32));
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => digit(*d).map(|d| 10 + d as u32),
        [t, '十'] => digit(*t).map(|t| t as u32 * 10),
        [t, '十', d] => Some(digit(*t)? as u32 * 10 + digit(*d)? as u32),
        [d] => digit(*d).map(|d| d as u32),
        _ => None,
    }
}

/// `2020年7月21日` (or `二〇二〇年七月二十一日`, or in full-width digits `２０２０年７月２１日`):
/// Ok(None) when not a date line; Err when written as a date but not one.
fn date_line(text: &str) -> Result<Option<NaiveDate>, String> {
    let c = compact(text);
    let ascii = ascii_digits(&c);
    let Some(m) = date_re().captures(&ascii) else {
        return Ok(None);
    };
    match (number(&m[1]), number(&m[2]), number(&m[3])) {
        (Some(y), Some(mo), Some(d)) => calendar_day(&c, y, mo, d).map(Some),
        _ => Ok(None),
    }
}

/// A 落款 date in numbers: `2020.5.9`, `2020.05.09`, `2020/5/9`, `2020-05-09`, in ASCII or
/// full-width digits and separators (`２０２０．５．９`), the same separator twice. Read
/// only on the line below the issuer (a body's line may be such a number). Ok(None) when
/// not such a line; Err when written so but no day of the calendar.
fn numeric_date_line(text: &str) -> Result<Option<NaiveDate>, String> {
    let c = compact(text);
    let ascii = ascii_digits(&c);
    let Some(m) = numeric_date_re().captures(&ascii) else {
        return Ok(None);
    };
    if m[2] != m[4] {
        return Ok(None);
    }
    match (m[1].parse(), m[3].parse(), m[5].parse()) {
        (Ok(y), Ok(mo), Ok(d)) => calendar_day(&c, y, mo, d).map(Some),
        _ => Ok(None),
    }
}

/// The day `y`-`mo`-`d` of a date line written `c`, or the message that it is no day of
/// the calendar.
fn calendar_day(c: &str, y: u32, mo: u32, d: u32) -> Result<NaiveDate, String> {
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, mo, d))
        .ok_or_else(|| {
            say(
                format!("落款日期“{c}”不是日历上的日期：应写成如 2020年7月21日"),
                format!("the date “{c}” is not a day of the calendar: expected a date such as 2020年7月21日"),
            )
        })
}

/// Plan-list tables of the document: each table whose header row is found, read into
/// programs. Errors name each cell that cannot be read.
pub fn plan_tables(body: &Body, file: &str) -> Result<Vec<(usize, Imported)>, Vec<Found>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for b in &body.blocks {
        let Block::Table(t) = b else { continue };
        match table::programs(file, &t.sheet) {
            Ok(Some(i)) => out.push((t.number, i)),
            Ok(None) => {}
            Err(errs) => errors.extend(cell_errors(t.number, errs)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Notes of invisible characters removed and text boxes passed over.
pub fn cleaning_notes(body: &Body) -> Vec<Found> {
    const MAX: usize = 20;
    let mut out = Vec::new();
    let mut more = 0usize;
    let msg = || {
        say(
            "删除了 Word 中看不见的字符（零宽字符、软连字符或控制字符）".into(),
            "removed Word's invisible characters (zero-width, soft hyphen or control characters)"
                .into(),
        )
    };
    for b in &body.blocks {
        match b {
            Block::Para(p) if p.stripped > 0 => {
                if out.len() < MAX {
                    out.push(Found {
                        place: at_para(p),
                        message: msg(),
                    });
                } else {
                    more += 1;
                }
            }
            Block::Table(t) => {
                for &(r, c) in &t.stripped {
                    if out.len() < MAX {
                        out.push(Found {
                            place: Where::Cell(t.number, r, c),
                            message: msg(),
                        });
                    } else {
                        more += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if more > 0 {
        out.push(Found {
            place: Where::Document,
            message: say(
                format!("另有 {more} 处删除了看不见的字符"),
                format!("and {more} more places had invisible characters removed"),
            ),
        });
    }
    if body.text_boxes > 0 {
        out.push(Found {
            place: Where::Document,
            message: say(
                format!("文中有 {} 个文本框，其中的文字没有导入（如红头、印章）：需要的文字请写进正文", body.text_boxes),
                format!("{} text boxes (a red head, a stamp) were not imported: type any text they hold that the notice needs into its body", body.text_boxes),
            ),
        });
    }
    let numbered = body
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Para(p) if p.auto_numbered))
        .count();
    if numbered > 0 {
        out.push(Found {
            place: Where::Document,
            message: say(
                format!("{numbered} 个段落用了 Word 的自动编号，编号本身不在文字里，没有导入：请核对这些段落的编号"),
                format!("{numbered} paragraphs use Word's automatic numbering, whose numbers are not in the text and were not imported: check their numbers"),
            ),
        });
    }
    out
}

/// Reads the notice the document holds. `file` names the document in messages.
/// Returns the draft and its notes, or every problem found.
pub fn read(body: &Body, file: &str) -> Result<(Draft, Vec<Found>), Vec<Found>> {
    let mut errors: Vec<Found> = Vec::new();
    let mut notes = cleaning_notes(body);
    let blocks = &body.blocks;
    let paras = paragraphs(blocks);
    let first_appendix = first_appendix(blocks);
    let doc_number = find_doc_number(&paras);
    let Some(signed) = find_signed(&paras, first_appendix, &mut errors) else {
        if errors.is_empty() {
            errors.push(Found {
                place: Where::Document,
                message: say(
                    "没有找到落款：应在正文（和附件说明）之后有发文机关一行，下一行是成文日期，如 2020年7月21日".into(),
                    "no 落款 found: expected, after the body (and the 附件 list), a line with the issuer and below it a line with the date, such as 2020年7月21日".into(),
                ),
            });
        }
        return Err(errors);
    };
    let Some((dn_i, doc_number)) = doc_number.filter(|(i, _)| *i < signed.issuer_i) else {
        errors.push(Found {
            place: Where::Document,
            message: say(
                "没有找到文号：应在标题之前有一行文号，如 温人社发〔2020〕77号".into(),
                "no 文号 found: expected a line with the document number above the title, such as 温人社发〔2020〕77号".into(),
            ),
        });
        return Err(errors);
    };

    let heading = find_title(&paras, dn_i, signed.issuer_i);
    let title = title_without_issuer(&heading.parts, &signed.issuer);
    if title.is_empty() {
        errors.push(Found {
            place: Where::Document,
            message: say(
                format!("文号 {doc_number} 之后没有找到标题：应是一行或几行“关于……的通知”"),
                format!("no title found below 文号 {doc_number}: expected one or more lines such as 关于……的通知"),
            ),
        });
    }
    let start = BodyStart {
        block: heading.body_start.unwrap_or(signed.issuer_i),
        first_lines: heading.first_lines,
    };
    let (attachments, body_end) = attachment_list(&paras, &start, signed.issuer_i);

    let mut text = BodyText::new(signed.date.year());
    text.main_part(blocks, &start, body_end, &mut notes);
    // After 落款, the attachments begin at the first `附件N` line, or at `附件` alone
    // (a single attachment).
    let after_end = blocks
        .iter()
        .enumerate()
        .skip(signed.date_i + 1)
        .find(|(_, b)| matches!(b, Block::Para(p) if p.lines.first().is_some_and(|l| is_bare_appendix(l))))
        .map(|(i, _)| i)
        .into_iter()
        .chain(first_appendix)
        .min()
        .unwrap_or(blocks.len());
    let publication = text.after_signature(blocks, signed.date_i + 1, after_end);

    let mut appendices = Appendices::default();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Para(p) => appendices.para(p, i > signed.date_i),
            // A table of the body is the body's (noted above).
            Block::Table(_) if i >= start.block && i < body_end => {}
            Block::Table(t) => appendices.table(t, file, &attachments, &mut notes, &mut errors),
        }
    }
    appendices.close();
    let empty_lists = empty_lists(&attachments, &appendices.lists, &mut notes);
    if doc_number.chars().count() > crate::content::limits::limit("doc_number", false) {
        errors.push(Found {
            place: Where::Document,
            message: "文号 too long".into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        Draft {
            doc_number,
            title,
            issuer: signed.issuer,
            date: signed.date,
            publication,
            body: text.md.join("\n\n") + "\n",
            attachments,
            empty_lists,
            lists: appendices.lists,
            rules: text.rules,
            appendix_titles: appendices.titles,
        },
        notes,
    ))
}

/// The paragraphs among the blocks, each with its block's index.
fn paragraphs(blocks: &[Block]) -> Vec<(usize, &Para)> {
    blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Para(p) => Some((i, p)),
            Block::Table(_) => None,
        })
        .collect()
}

/// The block of the first `附件N` line, where the attachments begin.
fn first_appendix(blocks: &[Block]) -> Option<usize> {
    blocks
        .iter()
        .position(|b| matches!(b, Block::Para(p) if p.lines.first().is_some_and(|l| appendix_re().is_match(l.trim()))))
}

/// 文号: the first paragraph beginning with one, among the first ones; with its block.
/// Its digits are written ASCII (`温人社发〔２０２０〕７７号` → `温人社发〔2020〕77号`).
fn find_doc_number(paras: &[(usize, &Para)]) -> Option<(usize, String)> {
    paras.iter().take(15).find_map(|&(i, p)| {
        doc_number_re()
            .captures(&ascii_digits(&compact(&p.joined())))
            .map(|m| (i, format!("{}〔{}〕{}号", &m[1], &m[2], &m[3])))
    })
}

/// 落款: the date line and the issuer above it, with their blocks.
struct Signed {
    date_i: usize,
    date: NaiveDate,
    issuer_i: usize,
    issuer: String,
}

/// 落款: the first line holding only a date, before the attachments (`2020年7月21日`, or
/// in numbers, `2020.7.21`, right below the names of bodies); the issuer is the
/// paragraph just above it. When that paragraph is the name of a body (or several apart
/// by spaces or line breaks), the paragraphs just above it that are names of bodies too
/// sign with it (a joint notice, each body on its own line); the issuers are joined by
/// [`ISSUER_SEPARATOR`], the lead body first. A date line that is no day of the calendar
/// is an error.
fn find_signed(
    paras: &[(usize, &Para)],
    first_appendix: Option<usize>,
    errors: &mut Vec<Found>,
) -> Option<Signed> {
    for (k, &(i, p)) in paras.iter().enumerate() {
        if first_appendix.is_some_and(|a| i >= a) {
            break;
        }
        let above = k.checked_sub(1).and_then(|k| paras.get(k));
        let date = match date_line(&p.joined()) {
            // A date in numbers only right below the names of bodies.
            Ok(None) if above.is_some_and(|&(_, q)| body_names(&q.lines).is_some()) => {
                numeric_date_line(&p.joined())
            }
            d => d,
        };
        match date {
            Ok(Some(date)) => {
                return above.map(|&(j, q)| {
                    let Some(mut names) = body_names(&q.lines) else {
                        return Signed {
                            date_i: i,
                            date,
                            issuer_i: j,
                            issuer: tidy(&q.joined()),
                        };
                    };
                    let mut issuer_i = j;
                    // At most a few bodies sign one notice.
                    for &(j, q) in paras[..k - 1].iter().rev().take(4) {
                        match body_names(&q.lines) {
                            Some(more) if names.len() + more.len() <= 6 => {
                                names.splice(0..0, more);
                                issuer_i = j;
                            }
                            _ => break,
                        }
                    }
                    Signed {
                        date_i: i,
                        date,
                        issuer_i,
                        issuer: names.join(ISSUER_SEPARATOR),
                    }
                });
            }
            Ok(None) => {}
            Err(m) => {
                errors.push(Found {
                    place: at_para(p),
                    message: m,
                });
                return None;
            }
        }
    }
    None
}

/// The title's lines, and where the body begins.
struct Heading {
    parts: Vec<String>,
    body_start: Option<usize>,
    /// The lines from 主送 on, when it follows the title in one paragraph.
    first_lines: Option<Vec<String>>,
}

/// Title: the lines after 文号 up to 主送 (a line ending in `：`) or the first long
/// one; 主送 opens the body, even in the title's paragraph (after a manual break).
fn find_title(paras: &[(usize, &Para)], dn_i: usize, issuer_i: usize) -> Heading {
    let mut heading = Heading {
        parts: Vec::new(),
        body_start: None,
        first_lines: None,
    };
    for &(i, p) in paras.iter().filter(|(i, _)| *i > dn_i && *i < issuer_i) {
        for (k, line) in p.lines.iter().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if t.ends_with(['：', ':'])
                || t.chars().count() > 80
                || t.contains('。')
                || (1..=2).any(|l| heading_re(l).is_match(t))
            {
                heading.body_start = Some(i);
                if k > 0 {
                    heading.first_lines = Some(p.lines[k..].to_vec());
                }
                return heading;
            }
            heading.parts.push(tidy(t));
        }
        if heading.parts.len() >= 4 {
            heading.body_start = Some(i + 1);
            return heading;
        }
    }
    heading
}

/// The title from its lines; `山东省人力资源和社会保障厅关于……的通知`: the issuer is
/// shown apart (joint issuers written before 关于 with or without a separator too).
fn title_without_issuer(parts: &[String], issuer: &str) -> String {
    let title = tidy(&parts.concat());
    let glued = issuer.replace(ISSUER_SEPARATOR, "");
    [issuer, glued.as_str()]
        .iter()
        .find_map(|i| {
            title
                .strip_prefix(i)
                .filter(|rest| rest.starts_with("关于"))
        })
        .unwrap_or(&title)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(
            date_line("          2020年7月21日").unwrap(),
            NaiveDate::from_ymd_opt(2020, 7, 21)
        );
        assert_eq!(
            date_line("二〇二〇年七月二十一日").unwrap(),
            NaiveDate::from_ymd_opt(2020, 7, 21)
        );
        assert_eq!(
            date_line("２０２０年５月９日").unwrap(),
            NaiveDate::from_ymd_opt(2020, 5, 9)
        );
        assert_eq!(
            date_line("２０２０年０５月０９日").unwrap(),
            NaiveDate::from_ymd_opt(2020, 5, 9)
        );
        for dotted in [
            "2020.5.9",
            "2020.05.09",
            "2020/5/9",
            "2020-05-09",
            "２０２０．５．９",
            " 2020.5.9 ",
        ] {
            assert_eq!(
                numeric_date_line(dotted).unwrap(),
                NaiveDate::from_ymd_opt(2020, 5, 9),
                "{dotted}"
            );
            // Not the 年月日 form: read only below an issuer.
            assert_eq!(date_line(dotted).unwrap(), None, "{dotted}");
        }
        for not_a_date in [
            "2020.5/9",
            "2020.5.9.",
            "20.5.9",
            "2020.5.9日",
            "2020.123.4",
            "3.5.9",
        ] {
            assert_eq!(numeric_date_line(not_a_date).unwrap(), None, "{not_a_date}");
        }
        assert!(numeric_date_line("2020.2.30").is_err());
        assert!(date_line("２０２０年２月３０日").is_err());
        assert!(date_line("2020年2月30日").is_err());
        assert_eq!(date_line("2020年7月21日印发").unwrap(), None);
        assert_eq!(
            tidy("山东省人力资源和社会保障厅 关于公布 2024年度计划"),
            "山东省人力资源和社会保障厅关于公布2024年度计划"
        );
    }
}
