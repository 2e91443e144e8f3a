//! The text of a notice as it is written: the patterns of its lines (文号, 落款's date,
//! numbered headings, `附件N`, the 附件 list's items, 公开方式) and the tidying of its
//! lines into the paragraphs a reader sees.

use std::sync::OnceLock;

use regex::Regex;

use super::vocab::Where;
use crate::import::docx::xml::Para;

pub(super) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("a fixed pattern")))
}

/// 文号 (`温人社发〔2020〕77号`), in ASCII digits: the caller makes full-width ones
/// (`２０２０`) ASCII first, and no other digit is taken for one.
pub(super) fn doc_number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([\p{Han}A-Za-z]{1,20})[〔\[【（(]((?:19|20)[0-9]{2})[〕\]】）)]([0-9]{1,5})号",
    )
}

pub(super) fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([0-9〇零一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日$",
    )
}

/// A date in numbers apart by dots, slashes or hyphens (`2020.5.9`, `2020.05.09`,
/// `2020/5/9`, `2020-05-09`), its separators made ASCII first; the caller checks that
/// both are the same. A body's line may be such a number too: it is read as a date only
/// where a 落款 date is expected.
pub(super) fn numeric_date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^((?:19|20)[0-9]{2})([./-])([0-9]{1,2})([./-])([0-9]{1,2})$",
    )
}

pub(super) fn heading_re(level: usize) -> &'static Regex {
    static R1: OnceLock<Regex> = OnceLock::new();
    static R2: OnceLock<Regex> = OnceLock::new();
    static R3: OnceLock<Regex> = OnceLock::new();
    match level {
        1 => re(&R1, r"^[一二三四五六七八九十百]{1,4}、"),
        2 => re(&R2, r"^[（(][一二三四五六七八九十百]{1,4}[）)]"),
        _ => re(&R3, r"^[0-9]{1,3}[．.、](?:[^0-9]|$)"),
    }
}

pub(super) fn appendix_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^附\s*件\s*([0-9]{1,3})(?:[\s:：]+(.*))?$")
}

/// `附件` alone on its line: the heading of the attachment page of a notice with a single
/// attachment (GB/T 9704 numbers attachments only when there are several).
pub(super) fn is_bare_appendix(line: &str) -> bool {
    compact(line) == "附件"
}

pub(super) fn list_item_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^([0-9]{1,3})\s*[．.、]\s*(.*)$")
}

pub(super) fn publication_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^[（(](此件[^）)]*)[）)]$")
}

/// Without whitespace (ASCII, ideographic, non-breaking).
pub(super) fn compact(s: &str) -> String {
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

/// Whether `s` is the name of an issuing body (`温州市财政局`, `财政部`): Chinese characters
/// only, ending as the names of government bodies end, with more than that ending.
pub(super) fn is_body_name(s: &str) -> bool {
    const ENDS: &[&str] = &[
        "局",
        "厅",
        "部",
        "委",
        "会",
        "办公室",
        "办",
        "政府",
        "院",
        "中心",
        "署",
        "处",
        "所",
        "站",
        "社",
        "团",
        "联",
        "馆",
        "司",
        "校",
    ];
    let n = s.chars().count();
    (3..=40).contains(&n)
        && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && ENDS
            .iter()
            .any(|e| s.ends_with(e) && n >= e.chars().count() + 2)
}

/// The issuing bodies a 落款 paragraph names, when each of its lines is one body's name
/// or several apart by spaces (a joint notice: `温州市人力资源和社会保障局 温州市财政局`);
/// `None` when it is not only bodies' names.
pub(super) fn body_names(lines: &[String]) -> Option<Vec<String>> {
    let names: Vec<String> = lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(str::to_string)
        .collect();
    (!names.is_empty() && names.iter().all(|n| is_body_name(n))).then_some(names)
}

/// 落款's issuers as one text: a joint notice's bodies apart by `、`, as the notice's
/// pages show them on one line.
pub(super) const ISSUER_SEPARATOR: &str = "、";

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

pub(super) fn at_para(p: &Para) -> Where {
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
    out.iter()
        .map(|p| crate::import::docx::xml::join_lines(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_bodies_a_signature_names() {
        assert_eq!(
            body_names(&s(&["温州市人力资源和社会保障局 温州市财政局"])),
            Some(s(&["温州市人力资源和社会保障局", "温州市财政局"]))
        );
        assert_eq!(
            body_names(&s(&["人力资源社会保障部", "财政部"])),
            Some(s(&["人力资源社会保障部", "财政部"]))
        );
        // Not bodies: an attachment's title, a line cut inside a name, an office alone.
        assert_eq!(body_names(&s(&["市级高研班质量评估表（学员填报）"])), None);
        assert_eq!(body_names(&s(&["温州市人力资源和", "社会保障局"])), None);
        assert_eq!(body_names(&s(&["温州市人力资源和社会保障局 办公室"])), None);
        assert_eq!(body_names(&s(&["特此通知"])), None);
        assert!(is_bare_appendix("附 件"));
        assert!(!is_bare_appendix("附件：项目名单"));
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
}
