//! One notice file: its name as a slug, its TOML, its body and rules; its lists
//! (`lists.rs`) and attachments (`attachment.rs`) are checked apart.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use wasm_forms::calendar::{Calendar, Step};

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::{Raw, SourceFile};
use crate::content::model::Notice;
use crate::content::raw::{NoticeToml, ProgramToml};

use super::attachment::attachments;
use super::cache::ParseCache;
use super::calendar::calendar_of;
use super::lists::{lists, NoticeContext};
use super::md_links::MdSource;
use super::rules::rules_value;
use super::spliced::Spliced;
use super::syntax::{toml_diag, toml_diag_at};
use super::values::date_value;

/// One notice file: its name as a slug, its TOML, then [`notice`]'s checks.
#[allow(clippy::too_many_arguments)]
pub(super) fn notice_file<'a>(
    raw: &'a Raw,
    file: &'a SourceFile,
    duplicate_of: Option<&Path>,
    cache: Option<&ParseCache>,
    spliced: Option<&Spliced>,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    calendar: Option<&Calendar>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> Option<Arc<Notice>> {
    let slug = file.stem();
    if !is_slug(&slug) {
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            0..0,
            format!("notice file name `{}` is not a valid slug: use lowercase letters, digits and `-` (e.g. wenzhou-2020.toml)", file.file_name()),
        ));
    }
    if let Some(first) = duplicate_of {
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            0..0,
            format!(
                "duplicate notice slug `{slug}`: {} has the same slug",
                first.display()
            ),
        ));
    }
    if let Some((notice, md)) = cache.and_then(|c| c.get(raw, file)) {
        md_sources.extend(md);
        return Some(notice);
    }
    let parsed = match spliced {
        Some(s) => parse_spliced(file, s),
        None => {
            toml::from_str::<NoticeToml>(&file.text).map_err(|e| all_errors(file, &file.text, &e))
        }
    };
    let parsed = match parsed {
        Ok(n) => n,
        Err(all) => {
            for x in all {
                d.push(x);
            }
            return None;
        }
    };
    let first_md = md_sources.len();
    let n = Arc::new(notice(
        raw,
        file,
        slug,
        parsed,
        form_ids,
        form_titles,
        calendar,
        d,
        md_sources,
    )?);
    if let Some(c) = cache {
        c.put(file, &n, &md_sources[first_md..]);
    }
    Some(n)
}

/// A notice's first TOML error, then those of the file's other tables; `text` is the
/// text parsed (the file's, or its [`Spliced::skeleton`], whose places are the file's).
fn all_errors(file: &SourceFile, text: &str, e: &toml::de::Error) -> Vec<Diagnostic> {
    let first = e.span().map(|s| s.start);
    let mut all = vec![toml_diag(&file.path, &file.text, e)];
    for (span, message) in crate::content::toml_errors::notice(text) {
        if Some(span.start) != first {
            all.push(Diagnostic::at(&file.path, &file.text, span, message));
        }
    }
    all.sort_by_key(|x| (x.line, x.column));
    all
}

/// One `[[lists.programs]]` table parsed alone.
#[derive(serde::Deserialize)]
struct ProgramTable {
    lists: ProgramsOf,
}

#[derive(serde::Deserialize)]
struct ProgramsOf {
    programs: Vec<ProgramToml>,
}

/// A spliced notice ([`Spliced`]): the document without the list's programs, then each
/// program's table alone (its places moved to the file's), put into the list in order.
fn parse_spliced(file: &SourceFile, s: &Spliced) -> Result<NoticeToml, Vec<Diagnostic>> {
    let skeleton = s.skeleton(&file.text);
    let parsed =
        toml::from_str::<NoticeToml>(&skeleton).map_err(|e| all_errors(file, &skeleton, &e));
    drop(skeleton);
    let mut errors = Vec::new();
    let programs = programs_of(file, &s.tables, &mut errors);
    let mut others = Vec::with_capacity(s.others.len());
    for (i, tables) in &s.others {
        others.push((*i, programs_of(file, tables, &mut errors)));
    }
    // The other parts' errors and the tables', in the file's order, as the whole check
    // finds them all.
    let mut n = match parsed {
        Ok(n) => n,
        Err(mut all) => {
            all.extend(errors);
            all.sort_by_key(|x| (x.line, x.column));
            return Err(all);
        }
    };
    if !errors.is_empty() {
        errors.sort_by_key(|x| (x.line, x.column));
        return Err(errors);
    }
    let no_list = |what: String| {
        vec![Diagnostic::at(
            &file.path,
            &file.text,
            0..0,
            format!("no list {what} to hold the programs"),
        )]
    };
    let Some(list) = n.lists.iter_mut().find(|l| l.id.get_ref() == &s.list) else {
        return Err(no_list(format!("`{}`", s.list)));
    };
    // No tables: the list as the skeleton has it (no programs, or written inline).
    if !s.tables.is_empty() {
        list.programs = Some(programs);
    }
    for (i, programs) in others {
        match n.lists.get_mut(i) {
            Some(l) if l.programs.is_none() => l.programs = Some(programs),
            _ => return Err(no_list(format!("number {}", i + 1))),
        }
    }
    Ok(n)
}

/// The programs of `tables`, each parsed alone; their errors into `errors`.
fn programs_of(
    file: &SourceFile,
    tables: &[Range<usize>],
    errors: &mut Vec<Diagnostic>,
) -> Vec<ProgramToml> {
    let mut programs = Vec::with_capacity(tables.len());
    for r in tables {
        let text = file.text.get(r.clone()).unwrap_or("");
        match toml::from_str::<ProgramTable>(text) {
            Ok(t) => programs.extend(t.lists.programs.into_iter().map(|p| moved(p, r.start))),
            Err(e) => {
                let span = e
                    .span()
                    .map_or(r.start..r.start, |x| x.start + r.start..x.end + r.start);
                errors.push(toml_diag_at(&file.path, &file.text, span, &e));
            }
        }
    }
    programs
}

/// A program parsed from a part of the file starting at `by`, its places the file's.
fn moved(p: ProgramToml, by: usize) -> ProgramToml {
    fn at<T>(s: toml::Spanned<T>, by: usize) -> toml::Spanned<T> {
        let r = s.span();
        toml::Spanned::new(r.start + by..r.end + by, s.into_inner())
    }
    ProgramToml {
        name: at(p.name, by),
        amount_wan: p.amount_wan.map(|a| at(a, by)),
        description: p.description.map(|a| at(a, by)),
        ..p
    }
}

#[allow(clippy::too_many_arguments)]
fn notice<'a>(
    raw: &'a Raw,
    file: &'a SourceFile,
    slug: String,
    n: NoticeToml,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    calendar: Option<&Calendar>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> Option<Notice> {
    let before = d.len();
    // The head of every page of the notice: never blank.
    if n.title.trim().is_empty() {
        let at = wasm_forms::schema::Path::root().key("title");
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            wasm_forms::schema::span_of(&file.text, &at).unwrap_or(0..0),
            "title is empty: expected the notice's title (关于…的通知)".to_string(),
        ));
    }
    let date = date_value(&n.date, "date", file, d);
    let body = body(raw, file, &slug, &n, d, md_sources);

    // Rules: the notice's, then each list's own.
    let cal = calendar_of(raw, calendar);
    let rules = n
        .rules
        .as_ref()
        .map(|r| rules_value(r, &[Step::Key("rules")], date, n.date.span(), file, cal, d))
        .unwrap_or_default();

    let context = NoticeContext {
        file,
        slug: &slug,
        rules: &rules,
        date,
        date_span: n.date.span(),
        calendar: cal,
        lines: std::sync::OnceLock::new(),
    };
    let (lists, list_forms) = lists(&context, n.lists, d, md_sources);
    let attachments = attachments(
        &n.attachments,
        &list_forms,
        form_ids,
        form_titles,
        &lists,
        file,
        d,
    );

    if d.len() > before {
        return None;
    }
    Some(Notice {
        slug,
        title: n.title,
        doc_number: n.doc_number,
        issuer: n.issuer,
        date: date?,
        region: n.region,
        body,
        publication: n.publication,
        former_slugs: n
            .former_slugs
            .into_iter()
            .map(|s| s.into_inner().trim().to_string())
            .collect(),
        attachments,
        rules,
        lists,
    })
}

/// The notice's text: exactly one of `body` and `body_file`.
fn body<'a>(
    raw: &'a Raw,
    file: &'a SourceFile,
    slug: &str,
    n: &NoticeToml,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> String {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    match (&n.body, &n.body_file) {
        (Some(b), None) => {
            md_sources.push(MdSource {
                path: &file.path,
                text: &file.text,
                toml_token: Some(b.span().start),
                md: b.get_ref().clone(),
                pages: vec![crate::urls::notice(slug)],
            });
            b.get_ref().clone()
        }
        (None, Some(bf)) => {
            let name = bf.get_ref();
            let want = file.path.parent().map(|p| p.join(name));
            match raw.bodies.iter().find(|s| Some(&s.path) == want.as_ref()) {
                Some(src) => {
                    md_sources.push(MdSource {
                        path: &src.path,
                        text: &src.text,
                        toml_token: None,
                        md: src.text.clone(),
                        pages: vec![crate::urls::notice(slug)],
                    });
                    src.text.clone()
                }
                None => {
                    d.push(at(
                        bf.span(),
                        format!("body_file `{name}` not found: expected a Markdown file beside this notice (notices/{name})"),
                    ));
                    String::new()
                }
            }
        }
        (Some(b), Some(_)) => {
            d.push(at(
                b.span(),
                "give either `body` or `body_file`, not both".into(),
            ));
            String::new()
        }
        (None, None) => {
            d.push(at(
                0..0,
                "missing field `body` (or `body_file`): the notice's text in Markdown".into(),
            ));
            String::new()
        }
    }
}

/// Whether `s` may name a notice (its file's stem, its pages' folder): lowercase ASCII
/// letters, digits and `-`, not empty.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
