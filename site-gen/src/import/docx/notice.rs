//! A document's paragraphs and tables into the parts of a notice, as 党政机关公文 are laid
//! out (GB/T 9704): 文号 (`温人社发〔2020〕77号`), the title (`关于……的通知`, over one or
//! more lines), 主送 (the line ending in `：`), the body with its numbered headings
//! (`一、` `（一）` `1．`), the 附件 list, 落款 (the issuer, then a date written
//! `2020年7月21日`), a 公开方式 line (`（此件公开发布）`), then each attachment under its
//! `附件1` line. A plan-list table (one whose header holds 高研班名称 and 举办单位) is read
//! by the spreadsheet import's [`table::programs`], cell for cell as a sheet would be.
//!
//! Nothing is guessed silently: the numbers a rule could be read from (30 trainees, 2-3
//! days, 10 working days) are returned with their sentence as [`RuleHint`]s, for the
//! clerk to confirm; what is not imported is named in a [`Found`] note.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::say;
use super::xml::{Block, Body, Para, Table};
use crate::import::{table, CellError, Imported};

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

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("a fixed pattern")))
}

fn doc_number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([\p{Han}A-Za-z]{1,20})[〔\[【（(]((?:19|20)\d\d)[〕\]】）)](\d{1,5})号",
    )
}

fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([0-9〇零一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日$",
    )
}

fn heading_re(level: usize) -> &'static Regex {
    static R1: OnceLock<Regex> = OnceLock::new();
    static R2: OnceLock<Regex> = OnceLock::new();
    static R3: OnceLock<Regex> = OnceLock::new();
    match level {
        1 => re(&R1, r"^[一二三四五六七八九十百]{1,4}、"),
        2 => re(&R2, r"^[（(][一二三四五六七八九十百]{1,4}[）)]"),
        _ => re(&R3, r"^[0-9]{1,3}[．.、](?:[^0-9]|$)"),
    }
}

fn appendix_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^附\s*件\s*([0-9]{1,3})(?:[\s:：]+(.*))?$")
}

fn list_item_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^([0-9]{1,3})\s*[．.、]\s*(.*)$")
}

fn publication_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^[（(](此件[^）)]*)[）)]$")
}

/// Without whitespace (ASCII, ideographic, non-breaking).
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}' | '\u{201c}' | '\u{201d}')
}

/// Spaces beside a Chinese character dropped (a title laid out over lines), others kept.
pub fn tidy(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            if before.is_some_and(is_cjk) || after.is_some_and(is_cjk) {
                continue;
            }
            out.push(' ');
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A paragraph's first characters, for a message.
fn head(s: &str) -> String {
    let n = s.chars().count();
    let h: String = s.chars().take(20).collect();
    if n > 20 {
        format!("{h}…")
    } else {
        h
    }
}

fn at_para(p: &Para) -> Where {
    Where::Para(p.number, head(&p.joined()))
}

/// Whether a line starts a new paragraph after a manual line break: a numbered heading,
/// an `附件` line, or a label such as `地址：`.
fn starts_own_paragraph(line: &str) -> bool {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let label = re(&LABEL, r"^[\p{Han}A-Za-z]{1,8}\s*[：:]");
    (1..=3).any(|l| heading_re(l).is_match(line))
        || line.starts_with("附件")
        || label.is_match(line)
}

/// A paragraph's lines as the paragraphs a reader sees: a manual line break after the
/// end of a sentence (`。` `：` `；` …) or before a heading or a label (`地址：`) ends a
/// paragraph; any other (a line filled up by hand) is joined.
pub fn logical_paragraphs(lines: &[String]) -> Vec<String> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let split = match out.last().and_then(|p| p.last()) {
            None => true,
            Some(prev) => {
                prev.ends_with(['。', '！', '？', '；', '：', ':', ';'])
                    || starts_own_paragraph(line)
            }
        };
        if split {
            out.push(vec![line.to_string()]);
        } else if let Some(p) = out.last_mut() {
            p.push(line.to_string());
        }
    }
    out.iter().map(|p| super::xml::join_lines(p)).collect()
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

/// `2020年7月21日` (or `二〇二〇年七月二十一日`): Ok(None) when not a date line; Err when
/// written as a date but not one.
fn date_line(text: &str) -> Result<Option<NaiveDate>, String> {
    let c = compact(text);
    let Some(m) = date_re().captures(&c) else {
        return Ok(None);
    };
    let (y, mo, d) = (number(&m[1]), number(&m[2]), number(&m[3]));
    match (y, mo, d) {
        (Some(y), Some(mo), Some(d)) => NaiveDate::from_ymd_opt(y as i32, mo, d)
            .map(Some)
            .ok_or_else(|| {
                say(
                    format!("落款日期“{c}”不是日历上的日期：应写成如 2020年7月21日"),
                    format!("the date “{c}” is not a day of the calendar: expected a date such as 2020年7月21日"),
                )
            }),
        _ => Ok(None),
    }
}

/// The Markdown of one body paragraph: a short numbered line (`一、省级高研班`, no `。`)
/// or a Word heading style as a heading, any other as a paragraph with what Markdown
/// would read as markup escaped.
fn markdown(text: &str, style: Option<u8>) -> String {
    let short = text.chars().count() <= 40 && !text.contains('。');
    let level = (1..=3)
        .find(|&l| heading_re(l).is_match(text))
        .filter(|_| short)
        .or(style.map(|s| usize::from(s.min(3))));
    let body = escape_markdown(text);
    match level {
        Some(l) => format!("{} {body}", "#".repeat(l + 1)),
        None => body,
    }
}

/// Text as Markdown shows it as written: bare web addresses as links (`<http://…>`),
/// markup characters escaped.
pub fn escape_markdown(text: &str) -> String {
    static URL: OnceLock<Regex> = OnceLock::new();
    let url = re(&URL, r"<?https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+>?");
    let mut out = String::new();
    let mut last = 0;
    for m in url.find_iter(text) {
        out.push_str(&escape_plain(&text[last..m.start()], last == 0));
        let u = m.as_str();
        if u.starts_with('<') && u.ends_with('>') {
            out.push_str(u);
        } else {
            let inner = u.trim_start_matches('<').trim_end_matches('>');
            out.push('<');
            out.push_str(inner);
            out.push('>');
            // A `>` or `<` cut off the address stays as text.
            if u.ends_with('>') {
                out.push_str("&gt;");
            }
        }
        last = m.end();
    }
    out.push_str(&escape_plain(&text[last..], last == 0));
    out
}

fn escape_plain(s: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let esc = match c {
            '\\' | '`' | '*' | '[' | ']' | '|' => true,
            '_' => {
                !(prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_some_and(|n| n.is_alphanumeric()))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '#' | '>' | '+' | '-' | '=' if i == 0 && line_start => true,
            '.' | ')' if line_start && i > 0 && chars[..i].iter().all(|c| c.is_ascii_digit()) => {
                true
            }
            _ => false,
        };
        if esc {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    let after_end = first_appendix.unwrap_or(blocks.len());
    let publication = text.after_signature(blocks, signed.date_i + 1, after_end);

    let mut appendices = Appendices::default();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Para(p) => appendices.para(p),
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
fn find_doc_number(paras: &[(usize, &Para)]) -> Option<(usize, String)> {
    paras.iter().take(15).find_map(|&(i, p)| {
        doc_number_re()
            .captures(&compact(&p.joined()))
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

/// 落款: the first line holding only a date, before the attachments; the issuer is the
/// paragraph just above it. A date line that is no day of the calendar is an error.
fn find_signed(
    paras: &[(usize, &Para)],
    first_appendix: Option<usize>,
    errors: &mut Vec<Found>,
) -> Option<Signed> {
    for (k, &(i, p)) in paras.iter().enumerate() {
        if first_appendix.is_some_and(|a| i >= a) {
            break;
        }
        match date_line(&p.joined()) {
            Ok(Some(date)) => {
                let above = k.checked_sub(1).and_then(|k| paras.get(k));
                return above.map(|&(j, q)| Signed {
                    date_i: i,
                    date,
                    issuer_i: j,
                    issuer: tidy(&q.joined()),
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
/// shown apart.
fn title_without_issuer(parts: &[String], issuer: &str) -> String {
    let title = tidy(&parts.concat());
    match title.strip_prefix(issuer) {
        Some(rest) if rest.starts_with("关于") => rest.to_string(),
        _ => title,
    }
}

/// Where the body begins: its first block and, when 主送 follows the title in one
/// paragraph, that paragraph's lines from 主送 on.
struct BodyStart {
    block: usize,
    first_lines: Option<Vec<String>>,
}

impl BodyStart {
    /// The lines of paragraph `p` (block `i`) that belong to the body.
    fn lines_of(&self, i: usize, p: &Para) -> Vec<String> {
        match &self.first_lines {
            Some(l) if i == self.block => l.clone(),
            _ => p.lines.clone(),
        }
    }
}

/// The body in Markdown, and the rule numbers its sentences hold.
struct BodyText {
    md: Vec<String>,
    section: Section,
    rules: Vec<RuleHint>,
    /// The notice's year, for dates written without one (`11月底前`).
    year: i32,
}

impl BodyText {
    fn new(year: i32) -> Self {
        BodyText {
            md: Vec::new(),
            section: Section::default(),
            rules: Vec::new(),
            year,
        }
    }

    /// One paragraph of the document, as the paragraphs a reader sees.
    fn push_para(&mut self, lines: &[String], heading: Option<u8>) {
        for text in logical_paragraphs(lines) {
            self.section.enter(&text);
            rule_hints(&text, &self.section.path(), self.year, &mut self.rules);
            self.md.push(markdown(&text, heading));
        }
    }

    /// 主送 to the 附件 list (or 落款). A table there that is no plan list is noted as
    /// not imported.
    fn main_part(
        &mut self,
        blocks: &[Block],
        start: &BodyStart,
        end: usize,
        notes: &mut Vec<Found>,
    ) {
        for (i, b) in blocks.iter().enumerate().take(end).skip(start.block) {
            match b {
                Block::Para(p) => self.push_para(&start.lines_of(i, p), p.heading),
                Block::Table(t) => {
                    if table::find_header(&t.sheet).is_none() {
                        notes.push(Found {
                            place: Where::Table(t.number),
                            message: say("正文中的这个表格没有导入：请把它的内容写进正文".into(), "this table of the body was not imported: write what it says into the body".into()),
                        });
                    }
                }
            }
        }
    }

    /// What follows 落款 before the attachments (a 联系单位 line), less the 公开方式
    /// line, which is returned.
    fn after_signature(&mut self, blocks: &[Block], from: usize, to: usize) -> Option<String> {
        let mut publication = None;
        for b in blocks.iter().take(to).skip(from) {
            if let Block::Para(p) = b {
                let t = compact(&p.joined());
                if let Some(m) = publication_re().captures(&t) {
                    publication = Some(m[1].to_string());
                } else {
                    self.push_para(&p.lines, p.heading);
                }
            }
        }
        publication
    }
}

/// The errors of a table's cells, placed in the document.
fn cell_errors(t: usize, errs: Vec<CellError>) -> impl Iterator<Item = Found> {
    errs.into_iter().map(move |e| Found {
        place: match e.place.cell {
            Some((r, c)) => Where::Cell(t, r, c),
            None => Where::Table(t),
        },
        message: e.message,
    })
}

// ---------- the attachments: the 附件 list, then each attachment under its 附件N line

/// The 附件 list, between the body and 落款: its attachments, and the block where the
/// body ends (the list's, or `issuer_i` when there is no list).
fn attachment_list(
    paras: &[(usize, &Para)],
    start: &BodyStart,
    issuer_i: usize,
) -> (Vec<Attachment>, usize) {
    let mut attachments: Vec<Attachment> = Vec::new();
    let mut body_end = issuer_i;
    for &(i, p) in paras
        .iter()
        .filter(|(i, _)| *i >= start.block && *i < issuer_i)
    {
        for line in logical_paragraphs(&start.lines_of(i, p)) {
            let c = line.trim();
            if attachments.is_empty() && body_end == issuer_i {
                // The list's first line: `附件：1．…` (or a single attachment, unnumbered).
                let Some(rest) = c.strip_prefix("附件").map(str::trim_start) else {
                    continue;
                };
                let Some(rest) = rest.strip_prefix(['：', ':']) else {
                    continue;
                };
                body_end = i;
                let rest = rest.trim();
                match list_item_re().captures(rest) {
                    Some(m) => attachments.push(Attachment {
                        number: m[1].parse().unwrap_or(1),
                        title: tidy(&m[2]),
                    }),
                    None if !rest.is_empty() => attachments.push(Attachment {
                        number: 1,
                        title: tidy(rest),
                    }),
                    None => {}
                }
            } else if body_end != issuer_i {
                // Its next lines: a numbered item, or the rest of the last one's title.
                match list_item_re().captures(c) {
                    Some(m) => attachments.push(Attachment {
                        number: m[1].parse().unwrap_or(0),
                        title: tidy(&m[2]),
                    }),
                    None => {
                        if let Some(a) = attachments.last_mut() {
                            a.title = tidy(&format!("{}{c}", a.title));
                        }
                    }
                }
            }
        }
    }
    // Attachment titles written over several lines of one paragraph were joined above
    // by logical_paragraphs only at sentence ends: join what remains.
    for a in &mut attachments {
        a.title = tidy(&a.title);
    }
    (attachments, body_end)
}

/// The attachment being read, under its `附件N` line.
struct Appendix {
    number: usize,
    /// Its title from the lines under the `附件N` line.
    title: String,
    /// Whether it still takes title lines, and how many it took.
    open: bool,
    taken: usize,
}

/// The attachments: each `附件N` line, its title lines, and the tables below it.
#[derive(Default)]
struct Appendices {
    current: Option<Appendix>,
    lists: Vec<List>,
    /// Each attachment's title as written under its `附件N` line.
    titles: Vec<(usize, String)>,
}

impl Appendices {
    /// A paragraph: an `附件N` line opens an attachment; a few short lines after it,
    /// before any label (填报时间：), are its title.
    fn para(&mut self, p: &Para) {
        for line in p.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            if let Some(m) = appendix_re().captures(line) {
                self.close();
                self.current = Some(Appendix {
                    number: m[1].parse().unwrap_or(0),
                    title: m.get(2).map(|x| tidy(x.as_str())).unwrap_or_default(),
                    open: true,
                    taken: 0,
                });
            } else if let Some(a) = self.current.as_mut() {
                if a.open
                    && a.taken < 3
                    && !line.contains(['：', ':', '\t'])
                    && a.title.chars().count() < 100
                {
                    a.title.push_str(&tidy(line));
                    a.taken += 1;
                } else {
                    a.open = false;
                }
            }
        }
    }

    /// A table below the body: a plan list is read, titled as the 附件 list names its
    /// attachment (else as under its `附件N` line, else by its number).
    fn table(
        &mut self,
        t: &Table,
        file: &str,
        attachments: &[Attachment],
        notes: &mut Vec<Found>,
        errors: &mut Vec<Found>,
    ) {
        if let Some(a) = self.current.as_mut() {
            a.open = false;
        }
        match table::programs(file, &t.sheet) {
            Ok(Some(imported)) => {
                let n = self.current.as_ref().map(|a| a.number);
                let title = n
                    .and_then(|n| attachments.iter().find(|a| a.number == n))
                    .map(|a| a.title.clone())
                    .or_else(|| {
                        self.current
                            .as_ref()
                            .map(|a| a.title.clone())
                            .filter(|t| !t.is_empty())
                    })
                    .unwrap_or_else(|| {
                        say(format!("表{}", t.number), format!("table {}", t.number))
                    });
                notes.extend(table_notes(t.number, &imported));
                self.lists.push(List {
                    attachment: n,
                    title,
                    table: t.number,
                    imported,
                });
            }
            Ok(None) => {}
            Err(errs) => errors.extend(cell_errors(t.number, errs)),
        }
    }

    /// The attachment read so far ends.
    fn close(&mut self) {
        if let Some(a) = self.current.take() {
            self.titles.push((a.number, a.title));
        }
    }
}

/// A 附件 line titled as a plan list with no table: an empty list, said so.
fn empty_lists(
    attachments: &[Attachment],
    lists: &[List],
    notes: &mut Vec<Found>,
) -> Vec<Attachment> {
    let plan_like = |t: &str| {
        ["项目名单", "项目计划", "研修班计划", "计划表"]
            .iter()
            .any(|k| t.contains(k))
    };
    let empty: Vec<Attachment> = attachments
        .iter()
        .filter(|a| plan_like(&a.title) && !lists.iter().any(|l| l.attachment == Some(a.number)))
        .cloned()
        .collect();
    for a in &empty {
        notes.push(Found {
            place: Where::Document,
            message: say(
                format!("附件{} {} 没有项目表格：名单先留空，可以之后用 site-gen import 表格 --notice … --list … 导入", a.number, a.title),
                format!("附件{} {} has no table of programs in the document: its list is left empty; import it later from a spreadsheet with --notice and --list", a.number, a.title),
            ),
        });
    }
    empty
}

// ---------- the numbers a rule could be read from, with their headings' numbers

/// The rule numbers of one body paragraph, with their sentence.
fn rule_hints(text: &str, section: &str, year: i32, out: &mut Vec<RuleHint>) {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            (
                "min_trainees",
                r"学员(?:人数)?\s*(?:不少于|不得少于|不低于|至少)\s*([0-9]+)\s*[名人]",
            ),
            (
                "days",
                r"([0-9]+(?:\.5)?)\s*[-－—–~～至到]\s*([0-9]+(?:\.5)?)\s*天",
            ),
            ("min_hours", r"不少于\s*([0-9]+)\s*学时"),
            (
                "plan_due_working_days",
                r"(?:办班|开班|举办)前\s*([0-9]+)\s*个工作日",
            ),
            ("report_due_working_days", r"结束后\s*([0-9]+)\s*个工作日内"),
            ("complete_by", r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日前"),
            ("complete_by", r"在?([0-9]{1,2})月底前"),
        ]
        .into_iter()
        .filter_map(|(k, p)| Regex::new(p).ok().map(|r| (k, r)))
        .collect()
    });
    for sentence in text.split_inclusive(['。', '；', '！']) {
        for (key, r) in patterns {
            for m in r.captures_iter(sentence) {
                let value = match *key {
                    "days" => format!("[{}, {}]", &m[1], &m[2]),
                    "complete_by" if m.len() == 4 => {
                        let (y, mo, d) = (m[1].parse().ok(), m[2].parse().ok(), m[3].parse().ok());
                        match (y, mo, d) {
                            (Some(y), Some(mo), Some(d)) => match NaiveDate::from_ymd_opt(y, mo, d)
                            {
                                Some(date) => date.to_string(),
                                None => continue,
                            },
                            _ => continue,
                        }
                    }
                    "complete_by" => {
                        // 11月底: the last day of that month of the notice's year.
                        let Some(mo) = m[1].parse::<u32>().ok().filter(|m| (1..=12).contains(m))
                        else {
                            continue;
                        };
                        let next = if mo == 12 {
                            NaiveDate::from_ymd_opt(year + 1, 1, 1)
                        } else {
                            NaiveDate::from_ymd_opt(year, mo + 1, 1)
                        };
                        match next.and_then(|d| d.pred_opt()) {
                            Some(d) => d.to_string(),
                            None => continue,
                        }
                    }
                    _ => m[1].to_string(),
                };
                let hint = RuleHint {
                    key,
                    value,
                    section: section.to_string(),
                    sentence: sentence.trim().to_string(),
                };
                if !out
                    .iter()
                    .any(|h| h.key == hint.key && h.value == hint.value)
                {
                    out.push(hint);
                }
            }
        }
    }
}

/// The numbers of the headings a paragraph is under (`二（三）`).
#[derive(Default)]
struct Section {
    levels: [String; 3],
}

impl Section {
    fn enter(&mut self, text: &str) {
        for l in 1..=3 {
            if let Some(m) = heading_re(l).find(text) {
                let n: String = if l == 3 {
                    m.as_str()
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect()
                } else {
                    m.as_str().trim_end_matches('、').to_string()
                };
                self.levels[l - 1] = n;
                for deeper in l..3 {
                    self.levels[deeper].clear();
                }
                return;
            }
        }
    }
    fn path(&self) -> String {
        self.levels.concat()
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    #[test]
    fn a_section_is_named_by_its_numbers() {
        let mut s = Section::default();
        s.enter("二、市级高研班");
        s.enter("（四）工作要求");
        s.enter("1．按时完成任务。各有关单位");
        assert_eq!(s.path(), "二（四）1");
        s.enter("三、联系方式");
        assert_eq!(s.path(), "三");
    }

    #[test]
    fn rules_are_found_with_their_sentence() {
        let mut out = Vec::new();
        rule_hints(
            "市级高研班要面向全市相关行业领域专业技术人才，每期学员不少于30名，研修时间为2-3天。",
            "二（二）",
            2020,
            &mut out,
        );
        rule_hints(
            "各单位要认真组织实施，在11月底前完成研修任务，并确保研修质量。",
            "二（四）1",
            2020,
            &mut out,
        );
        let kv: Vec<(&str, &str)> = out.iter().map(|h| (h.key, h.value.as_str())).collect();
        assert_eq!(
            kv,
            [
                ("min_trainees", "30"),
                ("days", "[2, 3]"),
                ("complete_by", "2020-11-30")
            ]
        );
        assert!(out[0].sentence.starts_with("市级高研班要面向全市"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn manual_breaks_end_a_paragraph_only_where_a_reader_sees_one() {
        assert_eq!(
            logical_paragraphs(&s(&[
                "关于公布2020年度省级和市级专业技术人员",
                "高级研修班计划的通知"
            ])),
            ["关于公布2020年度省级和市级专业技术人员高级研修班计划的通知"]
        );
        assert_eq!(
            logical_paragraphs(&s(&["厉行勤俭节约。", "三、联系方式"])),
            ["厉行勤俭节约。", "三、联系方式"]
        );
        assert_eq!(
            logical_paragraphs(&s(&["电子信箱：zjc_3303@163.com", "地址：学院中路303号"])),
            ["电子信箱：zjc_3303@163.com", "地址：学院中路303号"]
        );
    }

    #[test]
    fn headings_and_escapes() {
        assert_eq!(markdown("一、省级高研班", None), "## 一、省级高研班");
        assert_eq!(
            markdown("（一）项目计划、资助标准", None),
            "### （一）项目计划、资助标准"
        );
        assert!(!markdown("（一）研修组织。各申报单位要明确", None).starts_with('#'));
        assert_eq!(
            escape_markdown("（网址http://reward.wenzhou.gov.cn/app），搜索"),
            "（网址<http://reward.wenzhou.gov.cn/app>），搜索"
        );
        assert_eq!(
            escape_markdown("（<https://a.cn/login>）"),
            "（<https://a.cn/login>）"
        );
        assert_eq!(
            escape_markdown("zjc_3303@163.com *x* <b>"),
            "zjc_3303@163.com \\*x\\* \\<b>"
        );
        assert_eq!(
            escape_markdown("转发市财政局<温州市规定>"),
            "转发市财政局<温州市规定>"
        );
    }

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
        assert!(date_line("2020年2月30日").is_err());
        assert_eq!(date_line("2020年7月21日印发").unwrap(), None);
        assert_eq!(
            tidy("山东省人力资源和社会保障厅 关于公布 2024年度计划"),
            "山东省人力资源和社会保障厅关于公布2024年度计划"
        );
    }
}
