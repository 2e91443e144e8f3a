//! The body of a notice, from 主送 to the 附件 list (and what follows 落款 before the
//! attachments), in Markdown: numbered lines as headings, markup escaped, and the rule
//! numbers its sentences hold.

use std::sync::OnceLock;

use regex::Regex;

use super::rules::{rule_hints, Section};
use super::text::{compact, heading_re, logical_paragraphs, publication_re, re};
use super::vocab::{Found, RuleHint, Where};
use crate::import::docx::say;
use crate::import::docx::xml::{Block, Para};
use crate::import::table;

/// Where the body begins: its first block and, when 主送 follows the title in one
/// paragraph, that paragraph's lines from 主送 on.
pub(super) struct BodyStart {
    pub(super) block: usize,
    pub(super) first_lines: Option<Vec<String>>,
}

impl BodyStart {
    /// The lines of paragraph `p` (block `i`) that belong to the body.
    pub(super) fn lines_of(&self, i: usize, p: &Para) -> Vec<String> {
        match &self.first_lines {
            Some(l) if i == self.block => l.clone(),
            _ => p.lines.clone(),
        }
    }
}

/// The body in Markdown, and the rule numbers its sentences hold.
pub(super) struct BodyText {
    pub(super) md: Vec<String>,
    section: Section,
    pub(super) rules: Vec<RuleHint>,
    /// The notice's year, for dates written without one (`11月底前`).
    year: i32,
}

impl BodyText {
    pub(super) fn new(year: i32) -> Self {
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
    pub(super) fn main_part(
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
    pub(super) fn after_signature(
        &mut self,
        blocks: &[Block],
        from: usize,
        to: usize,
    ) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
