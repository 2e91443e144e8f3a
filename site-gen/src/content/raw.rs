//! Serde mirrors of the content files, exactly as written (`deny_unknown_fields`).
//!
//! Values a publisher may write in more than one way (`date`, `amount_wan`,
//! `attachments`, `complete_by`) are kept as spanned TOML values and interpreted by
//! [`super::validate`], which can then point at them.

use serde::Deserialize;
use toml::Spanned;

/// `content/site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteToml {
    pub title: String,
    pub base_url: Spanned<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub footer: Option<String>,
    /// The home page's lead text, in place of the built-in one.
    #[serde(default)]
    pub intro: Option<String>,
    /// Word → its pinyin, for ordering names (e.g. `乐清 = "yue4 qing1"`).
    #[serde(default)]
    pub readings: std::collections::BTreeMap<String, Spanned<String>>,
}

/// `content/notices/<slug>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeToml {
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    pub date: Spanned<toml::Value>,
    pub region: String,
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    #[serde(default)]
    pub body_file: Option<Spanned<String>>,
    #[serde(default)]
    pub publication: Option<String>,
    /// The notice's earlier slugs, each kept as a page leading here (content::redirects).
    #[serde(default)]
    pub former_slugs: Vec<Spanned<String>>,
    #[serde(default)]
    pub attachments: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    pub rules: Option<RulesToml>,
    #[serde(default)]
    pub lists: Vec<ListToml>,
}

wasm_forms::notice_rules! {
    /// `[rules]`: the keys of `wasm_forms::NoticeRules`, with the days and the date as
    /// written (spanned), for validate to check and point at.
    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RulesToml {
        /// Exactly `[min, max]` (checked in validate: a fixed-size array would let `[1, 2, 3]` through).
        #[serde(default)]
        days: Spanned<Vec<f64>>,
        #[serde(default)]
        complete_by: Spanned<toml::Value>,
    }
}

/// `[[lists]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListToml {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub note: Option<Spanned<String>>,
    /// The list's own rules; without them the notice's `[rules]` apply.
    #[serde(default)]
    pub rules: Option<RulesToml>,
    /// Where the notice says this list's rules are, when it does not state them itself.
    #[serde(default)]
    pub rules_note: Option<Spanned<String>>,
    /// Forms that belong to this list only (form ids or `{ title, form }` tables).
    #[serde(default)]
    pub attachments: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    pub programs: Option<Vec<ProgramToml>>,
}

/// `[[lists.programs]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramToml {
    pub name: Spanned<String>,
    pub organizer: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub funding: Option<String>,
    #[serde(default)]
    pub amount_wan: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub contacts: Vec<ContactToml>,
    #[serde(default)]
    pub description: Option<Spanned<String>>,
}

/// `contacts = [{ name, phones }]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactToml {
    pub name: String,
    #[serde(default)]
    pub phones: Vec<String>,
}
