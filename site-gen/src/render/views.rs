//! Views: the serialisable structs handed to templates, kept apart from the model.
//!
//! Templates see ready-made text and URLs (dates in Chinese, rules in words, links
//! percent-encoded) so that they never compute anything and never shape the model.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::lists::{self, Column, Key};
use super::markdown;
use crate::content::model::{AttachmentTarget, Due, Notice, PlanList, Program, Site};
use crate::urls;
use wasm_forms::NoticeRules;

#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub language: String,
    pub footer: Option<String>,
    pub intro: String,
    pub base_url: String,
    /// When `base_url`'s host is a placeholder: what pages with a QR code or a printed
    /// address of the site say about it, on screen and on paper.
    pub address_unset: Option<String>,
}

pub fn site(s: &Site) -> SiteView {
    SiteView {
        title: s.config.title.clone(),
        language: s.config.language.clone(),
        footer: s.config.footer.clone(),
        intro: s.config.intro.clone(),
        base_url: s.config.base_url.clone(),
        address_unset: s.config.placeholder_host().map(|host| {
            format!(
                "本站的网址还没有设置：二维码和下面的网址指向占位地址 {host}，扫码打不开。请在 content/site.toml 中把 base_url 改为本站的正式网址，重新生成网站后再打印、张贴。"
            )
        }),
    }
}

/// 2020年7月21日.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    pub text: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct NoticeSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    pub region: String,
    pub date: String,
    pub date_iso: String,
    /// The year of its date: the home page groups notices by it.
    pub year: String,
    pub programs: usize,
}

pub fn notice_summary(n: &Notice) -> NoticeSummary {
    NoticeSummary {
        slug: n.slug.clone(),
        url: urls::notice(&n.slug),
        title: n.title.clone(),
        doc_number: n.doc_number.clone(),
        issuer: n.issuer.clone(),
        region: n.region.clone(),
        date: date_zh(n.date),
        date_iso: n.date.to_string(),
        year: n.date.format("%Y").to_string(),
        programs: n.lists.iter().map(|l| l.programs.len()).sum(),
    }
}

#[derive(Debug, Serialize)]
pub struct AttachmentView {
    pub n: usize,
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    /// The lists a form belongs to (empty: the whole notice).
    pub lists: Vec<Link>,
}

/// One block of the notice's summary of rules: the rules and the lists they are for.
#[derive(Debug, Serialize)]
pub struct RulesBlock {
    /// The lists these rules are for (empty when the notice has no lists).
    pub lists: Vec<Link>,
    pub items: Vec<String>,
    /// Where the notice says the rules are, when it does not state them.
    pub note_html: Option<String>,
}

fn list_link(n: &Notice, l: &PlanList) -> Link {
    Link {
        text: l.title.clone(),
        url: format!("{}#list-{}", urls::notice(&n.slug), l.id),
    }
}

/// The notice's rules by list: one block when every list follows the same rules, else
/// one per list that has rules or says where they are.
pub fn rules_blocks(n: &Notice) -> Vec<RulesBlock> {
    if n.rules_are_uniform() {
        let (rules, note) = match n.lists.first() {
            Some(l) => (&l.rules, l.rules_note.as_deref()),
            None => (&n.rules, None),
        };
        let items = rules_in_words(rules);
        if items.is_empty() && note.is_none() {
            return Vec::new();
        }
        return vec![RulesBlock {
            lists: n.lists.iter().map(|l| list_link(n, l)).collect(),
            items,
            note_html: note.map(markdown::to_html),
        }];
    }
    n.lists
        .iter()
        .map(|l| RulesBlock {
            lists: vec![list_link(n, l)],
            items: rules_in_words(&l.rules),
            note_html: l.rules_note.as_deref().map(markdown::to_html),
        })
        .filter(|b| !b.items.is_empty() || b.note_html.is_some())
        .collect()
}

#[derive(Debug, Serialize)]
pub struct NoticeView {
    #[serde(flatten)]
    pub summary: NoticeSummary,
    pub body_html: String,
    pub publication: Option<String>,
    pub attachments: Vec<AttachmentView>,
    pub lists: Vec<ListView>,
    pub rules: Vec<RulesBlock>,
}

pub fn notice(site: &Site, n: &Notice) -> NoticeView {
    NoticeView {
        summary: notice_summary(n),
        body_html: markdown::to_html(&n.body),
        publication: n.publication.clone(),
        attachments: n
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| match &a.target {
                AttachmentTarget::Form(id) => AttachmentView {
                    n: i + 1,
                    title: a.title.clone(),
                    url: format!("{}{}", urls::form(id), urls::query(&[("notice", &n.slug)])),
                    kind: "form",
                    lists: a
                        .lists
                        .iter()
                        .filter_map(|id| n.list(id))
                        .map(|l| Link {
                            text: l.title.clone(),
                            url: format!("#list-{}", l.id),
                        })
                        .collect(),
                },
                AttachmentTarget::List(id) => AttachmentView {
                    n: i + 1,
                    title: a.title.clone(),
                    url: format!("#list-{id}"),
                    kind: "list",
                    lists: Vec::new(),
                },
            })
            .collect(),
        lists: n.lists.iter().map(|l| list(site, n, l)).collect(),
        rules: rules_blocks(n),
    }
}

#[derive(Debug, Serialize)]
pub struct CellLine {
    pub text: String,
    pub tel: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct Cell {
    pub key: Key,
    pub text: String,
    pub url: Option<String>,
    /// Contacts: one line per contact.
    pub lines: Vec<CellLine>,
}

#[derive(Debug, Serialize)]
pub struct RowView {
    pub url: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
pub struct ListView {
    pub id: String,
    pub title: String,
    pub note_html: Option<String>,
    pub csv_url: String,
    pub json_url: String,
    pub xlsx_url: String,
    pub columns: Vec<Column>,
    pub rows: Vec<RowView>,
}

pub fn tel(phone: &str) -> Link {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    Link {
        text: phone.to_string(),
        url: format!("tel:{digits}"),
    }
}

fn list(_site: &Site, n: &Notice, l: &PlanList) -> ListView {
    let columns = lists::columns(l);
    let rows = l
        .programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let url = urls::program(&n.slug, &l.id, i + 1);
            let cells = columns
                .iter()
                .map(|c| {
                    let text = lists::cell(p, i + 1, c.key);
                    let (url, lines) = match c.key {
                        Key::Name => (Some(url.clone()), vec![]),
                        Key::Organizer => (Some(urls::organizer(&p.organizer)), vec![]),
                        Key::Category => (p.category.as_deref().map(urls::category), vec![]),
                        Key::ContactNames => (
                            None,
                            p.contacts
                                .iter()
                                .map(|c| CellLine {
                                    text: c.name.clone(),
                                    tel: vec![],
                                })
                                .collect(),
                        ),
                        Key::ContactPhones => (
                            None,
                            p.contacts
                                .iter()
                                .map(|c| CellLine {
                                    text: String::new(),
                                    tel: c.phones.iter().map(|ph| tel(ph)).collect(),
                                })
                                .collect(),
                        ),
                        _ => (None, vec![]),
                    };
                    Cell {
                        key: c.key,
                        text,
                        url,
                        lines,
                    }
                })
                .collect();
            RowView { url, cells }
        })
        .collect();
    ListView {
        id: l.id.clone(),
        title: l.title.clone(),
        note_html: l.note.as_deref().map(markdown::to_html),
        csv_url: urls::list_file(&n.slug, &l.id, "csv"),
        json_url: urls::list_file(&n.slug, &l.id, "json"),
        xlsx_url: urls::list_file(&n.slug, &l.id, "xlsx"),
        columns,
        rows,
    }
}

fn num(x: f64) -> String {
    format!("{x}")
}

/// The notice's rules as a reader would say them.
pub fn rules_in_words(r: &NoticeRules) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = r.min_trainees {
        out.push(format!("每期学员不少于{n}名"));
    }
    if let Some([a, b]) = r.days {
        if a == b {
            out.push(format!("研修时间{}天", num(a)));
        } else {
            out.push(format!("研修时间{}-{}天", num(a), num(b)));
        }
    }
    if let Some(h) = r.min_hours {
        out.push(format!("不少于{}学时", num(h)));
    }
    if let Some(n) = r.plan_due_working_days {
        out.push(format!("办班前{n}个工作日报送办班方案"));
    }
    if let Some(n) = r.report_due_working_days {
        out.push(format!("结束后{n}个工作日内提交总结等材料"));
    }
    if let Some(d) = r.complete_by {
        out.push(format!("{}前完成", date_zh(d)));
    }
    out
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct ContactView {
    pub name: String,
    pub phones: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct ProgramView {
    pub n: usize,
    pub name: String,
    pub url: String,
    pub organizer: Link,
    pub category: Option<Link>,
    pub funding: Option<String>,
    /// The name of the funding column of the program's list (资助类型 or 经费形式).
    pub funding_label: &'static str,
    pub amount: Option<String>,
    pub contacts: Vec<ContactView>,
    pub description_html: Option<String>,
    pub list: Link,
    pub notice: NoticeSummary,
    /// The rules of the program's own list.
    pub rules: Vec<String>,
    /// Where the notice says the list's rules are, when it does not state them.
    pub rules_note_html: Option<String>,
    /// The forms of the program's own list, pre-filled for it.
    pub forms: Vec<Link>,
}

/// The query string with which every form is opened for a program (`pos` counts from
/// 1): the notice and list whose rules apply, the program's name and organizer to
/// pre-fill, and the program itself (`<notice-slug>/<list-id>-<pos>`, the key a survey
/// response carries, shared/spec/handin.md).
pub fn program_query(n: &Notice, l: &PlanList, pos: usize, p: &Program) -> String {
    urls::query(&[
        ("notice", &n.slug),
        ("list", &l.id),
        ("project_name", &p.name),
        ("organizer", &p.organizer),
        (
            "program",
            &crate::content::handin::program_key(n, &l.id, pos),
        ),
    ])
}

pub fn program(n: &Notice, l: &PlanList, i: usize, p: &Program) -> ProgramView {
    ProgramView {
        n: i + 1,
        name: p.name.clone(),
        url: urls::program(&n.slug, &l.id, i + 1),
        organizer: Link {
            text: p.organizer.clone(),
            url: urls::organizer(&p.organizer),
        },
        category: p.category.as_ref().map(|c| Link {
            text: c.clone(),
            url: urls::category(c),
        }),
        funding: p.funding.clone(),
        funding_label: lists::funding_label(l),
        amount: p.amount_wan.map(|a| format!("{}万元", a.normalize())),
        contacts: contacts(p),
        description_html: p.description.as_deref().map(markdown::to_html),
        list: list_link(n, l),
        notice: notice_summary(n),
        rules: rules_in_words(&l.rules),
        rules_note_html: l.rules_note.as_deref().map(markdown::to_html),
        forms: n
            .forms_of_list(&l.id)
            .filter_map(|a| match &a.target {
                AttachmentTarget::Form(id) => Some(Link {
                    text: format!("填写{}", a.title),
                    url: format!("{}{}", urls::form(id), program_query(n, l, i + 1, p)),
                }),
                AttachmentTarget::List(_) => None,
            })
            .collect(),
    }
}

/// A program in a listing (organizer and category pages).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct ProgramItem {
    pub name: String,
    pub url: String,
    pub organizer: Link,
    pub category: Option<Link>,
    pub notice: Link,
    pub doc_number: String,
    pub list: Link,
    pub list_title: String,
    pub funding: Option<String>,
    /// "3万" as in the seeds.
    pub amount: Option<String>,
    pub contacts: Vec<ContactView>,
}

pub fn program_item(n: &Notice, l: &PlanList, i: usize, p: &Program) -> ProgramItem {
    ProgramItem {
        name: p.name.clone(),
        url: urls::program(&n.slug, &l.id, i + 1),
        organizer: Link {
            text: p.organizer.clone(),
            url: urls::organizer(&p.organizer),
        },
        category: p.category.as_ref().map(|c| Link {
            text: c.clone(),
            url: urls::category(c),
        }),
        notice: Link {
            text: n.title.clone(),
            url: urls::notice(&n.slug),
        },
        doc_number: n.doc_number.clone(),
        list: list_link(n, l),
        list_title: l.title.clone(),
        funding: p.funding.clone(),
        amount: p.amount_wan.map(lists::amount_text),
        contacts: contacts(p),
    }
}

fn contacts(p: &Program) -> Vec<ContactView> {
    p.contacts
        .iter()
        .map(|c| ContactView {
            name: c.name.clone(),
            phones: c.phones.iter().map(|ph| tel(ph)).collect(),
        })
        .collect()
}

/// Which columns an organizer's or category's table has: an organizer page does not
/// repeat its organizer on every row; columns no program fills are left out.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
pub struct GroupColumns {
    pub show_organizer: bool,
    pub show_category: bool,
    pub show_funding: bool,
    pub show_amount: bool,
    pub show_contacts: bool,
}

impl GroupColumns {
    pub fn new<'a>(kind: &str, programs: impl Iterator<Item = &'a Program> + Clone) -> Self {
        let any = |f: fn(&Program) -> bool| programs.clone().any(f);
        GroupColumns {
            show_organizer: kind != "organizers",
            show_category: kind != "categories" && any(|p| p.category.is_some()),
            show_funding: any(|p| p.funding.is_some()),
            show_amount: any(|p| p.amount_wan.is_some()),
            show_contacts: any(|p| !p.contacts.is_empty()),
        }
    }
}

/// What `program-row.html` renders one row of a group page's table from.
#[derive(Debug, Serialize)]
pub struct GroupRowView<'a> {
    pub p: &'a ProgramItem,
    pub group: &'a GroupColumns,
}

/// An organizer or category with its programs, each as the HTML of its table row
/// (rendered from `program-row.html`, so that a page of 20,000 programs holds 20,000
/// short strings rather than 20,000 listing items for the template).
#[derive(Debug, Serialize)]
pub struct GroupView<'a> {
    pub name: String,
    pub url: String,
    /// How many programs the page lists.
    pub count: usize,
    pub rows: Vec<&'a str>,
    #[serde(flatten)]
    pub columns: GroupColumns,
}

/// An organizer or category in the list of all of them.
#[derive(Debug, Serialize)]
pub struct GroupSummary {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// A form on the forms index: who fills it and when, as its notice says.
#[derive(Debug, Serialize)]
pub struct FormEntry {
    /// `附件N` of the notice.
    pub n: usize,
    pub title: String,
    pub url: String,
    pub filled_by: Option<String>,
    /// When it is due: the notice's working-day rule in words, then its own words.
    pub when: Vec<String>,
    /// The lists whose programs fill it (empty: every program of the notice).
    pub lists: Vec<Link>,
}

/// The forms of one notice, in its order of attachments.
#[derive(Debug, Serialize)]
pub struct FormsOfNotice {
    pub notice: NoticeSummary,
    pub forms: Vec<FormEntry>,
}

/// The forms index: the forms of each notice (newest first).
pub fn forms_index(site: &Site) -> Vec<FormsOfNotice> {
    site.notices
        .iter()
        .map(|n| FormsOfNotice {
            notice: notice_summary(n),
            forms: n
                .attachments
                .iter()
                .enumerate()
                .filter_map(|(i, a)| {
                    let AttachmentTarget::Form(id) = &a.target else {
                        return None;
                    };
                    let rules = n.rules_for_form(id);
                    let mut when = Vec::new();
                    match a.due {
                        Some(Due::Plan) => {
                            if let Some(d) = rules.plan_due_working_days {
                                when.push(format!("办班前{d}个工作日报送"));
                            }
                        }
                        Some(Due::Report) => {
                            if let Some(d) = rules.report_due_working_days {
                                when.push(format!("结束后{d}个工作日内提交"));
                            }
                        }
                        None => {}
                    }
                    when.extend(a.when.clone());
                    Some(FormEntry {
                        n: i + 1,
                        title: a.title.clone(),
                        url: format!("{}{}", urls::form(id), urls::query(&[("notice", &n.slug)])),
                        filled_by: a.filled_by.clone(),
                        when,
                        lists: a
                            .lists
                            .iter()
                            .filter_map(|l| n.list(l))
                            .map(|l| list_link(n, l))
                            .collect(),
                    })
                })
                .collect(),
        })
        .filter(|g| !g.forms.is_empty())
        .collect()
}
