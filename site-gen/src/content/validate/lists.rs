//! A notice's plan lists and their programs: ids, names, organizers, amounts, each
//! list's own rules, and the Markdown they show.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use wasm_forms::calendar::Step;
use wasm_forms::NoticeRules;

use crate::content::diag::{self, Diagnostic, Diagnostics};
use crate::content::load::SourceFile;
use crate::content::model::{Contact, PlanList, Program};
use crate::content::raw::{ListToml, ProgramToml};

use super::calendar::CalendarRead;
use super::md_links::MdSource;
use super::rules::rules_value;
use super::values::amount_value;

/// What a notice's lists are checked in: its file, slug, rules, date and calendar.
pub(super) struct NoticeContext<'a, 'c> {
    pub file: &'a SourceFile,
    pub slug: &'c str,
    /// The notice's rules: those of a list without its own.
    pub rules: &'c NoticeRules,
    pub date: Option<NaiveDate>,
    pub date_span: Range<usize>,
    pub calendar: CalendarRead<'c>,
    /// The file's line starts, made at the first problem found.
    pub lines: std::sync::OnceLock<diag::LineStarts>,
}

impl<'a> NoticeContext<'a, '_> {
    fn at(&self, span: Range<usize>, msg: String) -> Diagnostic {
        Diagnostic::at_in(
            &self.file.path,
            &self.file.text,
            self.line_starts(),
            span,
            msg,
        )
    }

    /// The 1-based line of a byte offset of the notice's file.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts().position(&self.file.text, offset).0
    }

    fn line_starts(&self) -> &diag::LineStarts {
        self.lines
            .get_or_init(|| diag::LineStarts::new(&self.file.text))
    }

    /// Markdown of this notice's file, from the TOML string at `token`, shown on `pages`.
    fn md(&self, token: usize, md: &str, pages: Vec<String>) -> MdSource<'a> {
        MdSource {
            path: &self.file.path,
            text: &self.file.text,
            toml_token: Some(token),
            md: md.to_string(),
            pages,
        }
    }
}

/// The lists of a notice, and the forms each names (list id, the attachment as
/// written).
pub(super) fn lists<'a>(
    cx: &NoticeContext<'a, '_>,
    raw_lists: Vec<ListToml>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> (Vec<PlanList>, Vec<(String, Spanned<toml::Value>)>) {
    let file = cx.file;
    let mut lists = Vec::new();
    let mut list_ids: HashMap<String, usize> = HashMap::new();
    let mut program_names: HashMap<String, usize> = HashMap::new();
    // (list id, attachment as written) of the lists' own forms.
    let mut list_forms: Vec<(String, Spanned<toml::Value>)> = Vec::new();
    for (li, l) in raw_lists.into_iter().enumerate() {
        let id = l.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            d.push(cx.at(
                l.id.span(),
                format!(
                    "list id `{id}` must be letters, digits, `-` or `_` (it becomes a file name)"
                ),
            ));
        }
        if let Some(first) = list_ids.insert(id.clone(), l.id.span().start) {
            let first = cx.line_of(first);
            d.push(cx.at(
                l.id.span(),
                format!("duplicate list id `{id}` (first at line {first})"),
            ));
        }
        if let Some(note) = &l.note {
            md_sources.push(cx.md(
                note.span().start,
                note.get_ref(),
                vec![crate::urls::notice(cx.slug)],
            ));
        }
        let own_rules = l.rules.as_ref().map(|r| {
            let place = [Step::Key("lists"), Step::Index(li), Step::Key("rules")];
            rules_value(
                r,
                &place,
                cx.date,
                cx.date_span.clone(),
                file,
                cx.calendar,
                d,
            )
        });
        for a in &l.attachments {
            list_forms.push((id.clone(), a.clone()));
        }
        let mut programs = Vec::new();
        for p in l.programs.unwrap_or_default() {
            let index = programs.len() + 1;
            programs.push(program(
                cx,
                &id,
                index,
                p,
                &mut program_names,
                d,
                md_sources,
            ));
        }
        // The rules note shows on the notice page and on each program page of the list.
        if let Some(note) = &l.rules_note {
            let mut pages = vec![crate::urls::notice(cx.slug)];
            pages.extend((1..=programs.len()).map(|i| crate::urls::program(cx.slug, &id, i)));
            md_sources.push(cx.md(note.span().start, note.get_ref(), pages));
        }
        lists.push(PlanList {
            id,
            title: l.title,
            note: l.note.map(Spanned::into_inner),
            own_rules: own_rules.is_some(),
            rules: own_rules.unwrap_or_else(|| cx.rules.clone()),
            rules_note: l.rules_note.map(Spanned::into_inner),
            programs,
        });
    }
    (lists, list_forms)
}

/// Program number `index` (from 1) of list `list_id`; `names` holds the names of the
/// notice's programs so far, each with where it is.
fn program<'a>(
    cx: &NoticeContext<'a, '_>,
    list_id: &str,
    index: usize,
    p: ProgramToml,
    names: &mut HashMap<String, usize>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> Program {
    let file = cx.file;
    let name = p.name.get_ref().trim().to_string();
    if name.is_empty() {
        d.push(cx.at(p.name.span(), "program name is empty".into()));
    }
    if let Some(first) = names.insert(name.clone(), p.name.span().start) {
        let first = cx.line_of(first);
        d.push(cx.at(
            p.name.span(),
            format!("duplicate program name `{name}` in this notice (first at line {first})"),
        ));
    }
    if p.organizer.trim().is_empty() {
        d.push(cx.at(
            p.name.span(),
            format!("program `{name}` has an empty organizer"),
        ));
    }
    let amount_wan = p.amount_wan.as_ref().and_then(|a| amount_value(a, file, d));
    if let Some(desc) = &p.description {
        md_sources.push(cx.md(
            desc.span().start,
            desc.get_ref(),
            vec![crate::urls::program(cx.slug, list_id, index)],
        ));
    }
    Program {
        name,
        organizer: p.organizer.trim().to_string(),
        category: p
            .category
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        funding: p
            .funding
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        amount_wan,
        contacts: p
            .contacts
            .into_iter()
            .map(|c| Contact {
                name: c.name.trim().to_string(),
                phones: c.phones.into_iter().map(|p| p.trim().to_string()).collect(),
            })
            .collect(),
        description: p.description.map(Spanned::into_inner),
    }
}
