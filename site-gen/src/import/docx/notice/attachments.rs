//! The attachments: the 附件 list between the body and 落款, then each attachment under
//! its `附件N` line with its title and the plan-list tables below it; an attachment
//! titled as a plan list with no table is said to be empty.

use super::body::BodyStart;
use super::text::{appendix_re, is_bare_appendix, list_item_re, logical_paragraphs, tidy};
use super::vocab::{cell_errors, table_notes, Attachment, Found, List, Where};
use crate::import::docx::say;
use crate::import::docx::xml::{Para, Table};
use crate::import::table;

/// The 附件 list, between the body and 落款: its attachments, and the block where the
/// body ends (the list's, or `issuer_i` when there is no list).
pub(super) fn attachment_list(
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
pub(super) struct Appendices {
    current: Option<Appendix>,
    pub(super) lists: Vec<List>,
    /// Each attachment's title as written under its `附件N` line.
    pub(super) titles: Vec<(usize, String)>,
}

impl Appendices {
    /// A paragraph: an `附件N` line opens an attachment; a few short lines after it,
    /// before any label (填报时间：), are its title. With `bare` (a paragraph after 落款),
    /// `附件` alone opens the single attachment, 附件1 as the 附件 list numbers it.
    pub(super) fn para(&mut self, p: &Para, bare: bool) {
        for line in p.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let opened = match appendix_re().captures(line) {
                Some(m) => Some((
                    m[1].parse().unwrap_or(0),
                    m.get(2).map(|x| tidy(x.as_str())).unwrap_or_default(),
                )),
                None if bare && is_bare_appendix(line) => Some((1, String::new())),
                None => None,
            };
            if let Some((number, title)) = opened {
                self.close();
                self.current = Some(Appendix {
                    number,
                    title,
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
    pub(super) fn table(
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
    pub(super) fn close(&mut self) {
        if let Some(a) = self.current.take() {
            self.titles.push((a.number, a.title));
        }
    }
}

/// A 附件 line titled as a plan list with no table: an empty list, said so.
pub(super) fn empty_lists(
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
