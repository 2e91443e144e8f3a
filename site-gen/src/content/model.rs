//! The validated site: what rendering and the form commands work from.
//!
//! Everything here has been checked; no field needs re-validating downstream.

use std::path::PathBuf;
use std::sync::Arc;

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
    /// Newest first (by date, then slug). Shared: `serve` keeps a notice whose file did
    /// not change from one update to the next without copying it.
    pub notices: Vec<Arc<Notice>>,
    /// Sorted by id.
    pub forms: Vec<Form>,
    /// All calendar years of `content/calendar/`; `None` when there are none.
    pub calendar: Option<Calendar>,
    /// What `check` and `build` warn about without refusing the site (unsafe link and
    /// image URLs in Markdown), at their place in the content.
    pub warnings: Vec<super::diag::Diagnostic>,
}

/// The home page's lead text when site.toml has no `intro`.
pub const DEFAULT_INTRO: &str =
    "各地人力资源和社会保障部门公布的专业技术人员高级研修班（高研班）计划通知，按发文日期由新到旧排列。";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub footer: Option<String>,
    /// The home page's lead text (`intro` of site.toml, or [`DEFAULT_INTRO`]).
    pub intro: String,
    /// Readings of words whose usual per-character pinyin is not how they are read
    /// (`[readings]` of site.toml), used to order organizer and category names.
    pub readings: Vec<Reading>,
}

/// A word and how it is read: one (plain pinyin, tone) a character; tone 0 is neutral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub word: String,
    pub syllables: Vec<(String, u8)>,
}

impl Reading {
    /// Reads `"yue4 qing1"` for `"乐清"`: syllables separated by spaces, one a
    /// character, each Latin letters (ü written `v` or `ü`) with an optional tone
    /// number 1–4 at the end (none, or 5, for the neutral tone).
    pub fn parse(word: &str, reading: &str) -> Result<Reading, String> {
        let chars = word.chars().count();
        if chars == 0 {
            return Err("a reading needs a word of one or more characters".into());
        }
        let mut syllables = Vec::new();
        for s in reading.split_whitespace() {
            let (letters, tone) = match s.char_indices().last() {
                Some((i, d @ '1'..='5')) => (&s[..i], if d == '5' { 0 } else { d as u8 - b'0' }),
                _ => (s, 0),
            };
            let letters = letters.to_lowercase().replace('ü', "v");
            if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_lowercase()) {
                return Err(format!(
                    "`{s}` is not a pinyin syllable: expected Latin letters with an optional tone number, e.g. \"yue4\""
                ));
            }
            syllables.push((letters, tone));
        }
        if syllables.len() != chars {
            return Err(format!(
                "the reading of `{word}` has {} syllable(s) for {chars} character(s): give one a character, e.g. \"yue4 qing1\" for 乐清",
                syllables.len()
            ));
        }
        Ok(Reading {
            word: word.to_string(),
            syllables,
        })
    }
}

impl SiteConfig {
    /// The path part of `base_url` (`/` or e.g. `/zjgyb/`): where `dist/` is served on
    /// its host. Always starts and ends with `/`.
    pub fn root_path(&self) -> String {
        root_path_of(&self.base_url)
    }

    /// The host of `base_url` when it is a placeholder that is nobody's published site:
    /// `example.org`, `example.com`, `example.net` or a name under them, `localhost`,
    /// `127.0.0.1`. Pages with a QR code or a printed address then say the address is
    /// not set yet, and `check` and `build` warn.
    pub fn placeholder_host(&self) -> Option<String> {
        placeholder_host(&self.base_url)
    }

    pub fn default_for_test() -> Self {
        SiteConfig {
            title: "测试站点".into(),
            base_url: "https://example.org/".into(),
            language: "zh-CN".into(),
            footer: None,
            intro: DEFAULT_INTRO.into(),
            readings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub id: String,
    pub schema: FormSchema,
}

#[derive(Debug, Clone, PartialEq)]
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
    /// Earlier slugs, each kept as a page that leads to this notice (checked by
    /// `content::redirects`).
    pub former_slugs: Vec<String>,
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

    pub fn list(&self, id: &str) -> Option<&PlanList> {
        self.lists.iter().find(|l| l.id == id)
    }

    /// The forms a program of list `list_id` fills: the notice's forms that belong to
    /// the whole notice or to this list, in the notice's order.
    pub fn forms_of_list<'a>(&'a self, list_id: &'a str) -> impl Iterator<Item = &'a Attachment> {
        self.attachments.iter().filter(move |a| {
            matches!(a.target, AttachmentTarget::Form(_))
                && (a.lists.is_empty() || a.lists.iter().any(|l| l == list_id))
        })
    }

    /// The rules a form of this notice is checked against: those of the list it belongs
    /// to (when all the lists it belongs to agree), else the notice's.
    pub fn rules_for_form(&self, form_id: &str) -> &NoticeRules {
        let Some(a) = self
            .attachments
            .iter()
            .find(|a| matches!(&a.target, AttachmentTarget::Form(id) if id == form_id))
        else {
            return &self.rules;
        };
        let mut rules = a
            .lists
            .iter()
            .filter_map(|id| self.list(id))
            .map(|l| &l.rules);
        match rules.next() {
            Some(first) if rules.all(|r| r == first) => first,
            _ => &self.rules,
        }
    }

    /// Whether every list follows the same rules (then the notice has one set of rules).
    pub fn rules_are_uniform(&self) -> bool {
        let mut it = self.lists.iter();
        match it.next() {
            None => true,
            Some(first) => it.all(|l| l.rules == first.rules && l.rules_note == first.rules_note),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// As written; for a bare form id, the form's own title.
    pub title: String,
    pub target: AttachmentTarget,
    /// The lists this form belongs to (named in their `attachments`); empty: the whole
    /// notice.
    pub lists: Vec<String>,
    /// Who fills the form, as the notice says (`filled_by`).
    pub filled_by: Option<String>,
    /// When it is due: the notice's working-day rule it follows (`due`).
    pub due: Option<Due>,
    /// When it is filled, in the notice's words, where no rule gives a number (`when`).
    pub when: Option<String>,
}

/// `due = "plan" | "report"`: a form filed with the plan (`plan_due_working_days`
/// before the start) or with the report (`report_due_working_days` after the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Plan,
    Report,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentTarget {
    Form(String),
    List(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanList {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub note: Option<String>,
    /// The rules of this list's programs: its own, else the notice's.
    pub rules: NoticeRules,
    /// Whether `rules` are the list's own (`[lists.rules]`).
    pub own_rules: bool,
    /// Markdown: where the notice says this list's rules are.
    pub rules_note: Option<String>,
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

/// The host of `base_url` when it is a placeholder (see [`SiteConfig::placeholder_host`]).
pub fn placeholder_host(base_url: &str) -> Option<String> {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let authority = after_scheme.split('/').next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let placeholder = ["example.org", "example.com", "example.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || host == "localhost"
        || host == "127.0.0.1";
    placeholder.then_some(host)
}

/// The path part of a site's address, with its final `/` (`https://x.gov.cn/zjgyb` →
/// `/zjgyb/`): where the site is served from.
pub fn root_path_of(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}
