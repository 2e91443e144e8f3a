//! The validated site: what rendering and the form commands work from.
//!
//! Everything here has been checked; no field needs re-validating downstream.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use wasm_forms::calendar::Calendar;
use wasm_forms::schema::FormSchema;
use wasm_forms::NoticeRules;

#[derive(Debug, Clone)]
pub struct Site {
    /// The content folder this site was read from.
    pub dir: PathBuf,
    pub config: SiteConfig,
    /// Newest first (by date, then slug).
    pub notices: Vec<Notice>,
    /// Sorted by id.
    pub forms: Vec<Form>,
    /// All calendar years of `content/calendar/`; `None` when there are none.
    pub calendar: Option<Calendar>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub footer: Option<String>,
}

impl SiteConfig {
    pub fn default_for_test() -> Self {
        SiteConfig {
            title: "测试站点".into(),
            base_url: "https://example.org/".into(),
            language: "zh-CN".into(),
            footer: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub id: String,
    pub schema: FormSchema,
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub slug: String,
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    pub date: NaiveDate,
    pub region: String,
    /// Markdown.
    pub body: String,
    pub publication: Option<String>,
    pub attachments: Vec<Attachment>,
    pub rules: NoticeRules,
    pub lists: Vec<PlanList>,
}

impl Notice {
    /// Form ids attached, in order.
    pub fn form_ids(&self) -> impl Iterator<Item = &str> {
        self.attachments.iter().filter_map(|a| match &a.target {
            AttachmentTarget::Form(id) => Some(id.as_str()),
            AttachmentTarget::List(_) => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// As written; for a bare form id, the form's own title.
    pub title: String,
    pub target: AttachmentTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentTarget {
    Form(String),
    List(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanList {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub note: Option<String>,
    pub programs: Vec<Program>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub name: String,
    pub organizer: String,
    pub category: Option<String>,
    pub funding: Option<String>,
    pub amount_wan: Option<Decimal>,
    pub contacts: Vec<Contact>,
    /// Markdown.
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phones: Vec<String>,
}
