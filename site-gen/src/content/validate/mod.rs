//! Parsing and checking content: from [`Raw`] text to a [`Site`], or every problem.
//!
//! Each file is parsed on its own (one TOML error stops only that file); then the checks
//! that cross files run: unknown forms and lists in attachments, duplicate slugs and
//! program names, missing calendar years and broken internal links. Nothing here panics,
//! whatever the content.
//!
//! One module for each thing checked: `site` (site.toml), `forms`, `calendar`,
//! `notice` (a notice file, its body and rules) with `lists` (its lists and programs)
//! and `spliced` (a notice as `import` writes it, checked by parts),
//! `rules`, `attachment` and `values` (dates, amounts); `md_links` (the Markdown's
//! links), `syntax` (TOML errors) and `cache` (what `serve` keeps between checks).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::diag::Diagnostics;
use super::load::{Raw, SourceFile};
use super::model::{Site, SiteConfig};

mod attachment;
mod cache;
mod calendar;
mod forms;
mod lists;
mod md_links;
mod notice;
mod rules;
mod site;
mod spliced;
mod syntax;
mod values;

pub use cache::ParseCache;
pub use notice::is_slug;
pub use site::{check_base_url, warnings};
pub use spliced::Spliced;
pub use syntax::toml_diag;

/// Parses and checks everything; all problems together.
pub fn validate(raw: &Raw) -> Result<Site, Diagnostics> {
    validate_with(raw, None)
}

/// [`validate`] of content where one notice holds a list as [`Spliced`] describes it:
/// the same checks, the same findings at the same places, but that notice is parsed
/// as its other parts in one document and each program's table alone, so that a list
/// of 50,000 programs is never one document tree beside the site.
pub fn validate_spliced(raw: &Raw, spliced: &Spliced) -> Result<Site, Diagnostics> {
    check(raw, None, Some(spliced))
}

/// [`validate`], taking the notice files that are unchanged from `cache` as they were
/// checked (and keeping the others there for the next time).
pub fn validate_with(raw: &Raw, cache: Option<&ParseCache>) -> Result<Site, Diagnostics> {
    check(raw, cache, None)
}

fn check(
    raw: &Raw,
    cache: Option<&ParseCache>,
    spliced: Option<&Spliced>,
) -> Result<Site, Diagnostics> {
    if let Some(cache) = cache {
        cache.set_context(raw);
    }
    let mut d = Diagnostics::default();
    for u in &raw.unreadable {
        d.push(u.clone());
    }
    let config = site::site_config(raw, &mut d);

    // Forms: the ids are the file stems, known even when a schema has errors.
    let form_ids: BTreeSet<String> = raw.forms.iter().map(SourceFile::stem).collect();
    let forms = forms::forms(raw, &mut d);
    let form_titles: HashMap<&str, &str> = forms
        .iter()
        .map(|f| (f.id.as_str(), f.schema.title.as_str()))
        .collect();

    let calendar = calendar::calendars(raw, &mut d);

    // The characters and lengths of every text, checked before the notices are parsed
    // into the site (reported after their findings, as before): each file's walk holds
    // its parsed document and nothing of the site, so a list of 50,000 programs is not
    // held twice at once.
    let limit_findings = limits(raw, spliced);

    // Duplicate slugs need every file name; the files themselves are then parsed and
    // checked on all cores, each into its own diagnostics, merged in file order.
    let mut slugs: HashMap<String, PathBuf> = HashMap::new();
    let duplicate_of: Vec<Option<PathBuf>> = raw
        .notices
        .iter()
        .map(|file| slugs.insert(file.stem().to_lowercase(), file.path.clone()))
        .collect();
    let files: Vec<(&SourceFile, Option<PathBuf>)> = raw.notices.iter().zip(duplicate_of).collect();
    let checked = crate::par::map(&files, 8, |(file, first)| {
        let mut d = Diagnostics::default();
        let mut md_sources = Vec::new();
        let n = notice::notice_file(
            raw,
            file,
            first.as_deref(),
            cache,
            Spliced::of(spliced, raw, file),
            &form_ids,
            &form_titles,
            calendar.as_ref(),
            &mut d,
            &mut md_sources,
        );
        (n, d, md_sources)
    });
    if let Some(cache) = cache {
        cache.retain(&raw.notices);
    }
    let mut notices = Vec::new();
    let mut md_sources = Vec::new();
    for (n, nd, md) in checked {
        notices.extend(n);
        for x in nd.0 {
            d.push(x);
        }
        md_sources.extend(md);
    }
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));

    d.0.extend(limit_findings);

    let warnings = md_links::unsafe_links(&md_sources);
    let site = Site {
        dir: raw.dir.clone(),
        config: config.unwrap_or_else(SiteConfig::default_for_test),
        notices,
        forms,
        calendar,
        warnings,
    };

    md_links::broken_links(&site, &md_sources, &mut d);

    if d.is_empty() {
        Ok(site)
    } else {
        Err(d)
    }
}

/// The characters and lengths of every text (see `limits`).
fn limits(raw: &Raw, spliced: Option<&Spliced>) -> Vec<super::diag::Diagnostic> {
    let mut d = Vec::new();
    let tomls: Vec<&SourceFile> = raw
        .site
        .iter()
        .chain(&raw.notices)
        .chain(&raw.forms)
        .chain(&raw.calendars)
        .collect();
    for found in crate::par::map(&tomls, 8, |f| match Spliced::of(spliced, raw, f) {
        Some(s) => {
            crate::content::limits::check_toml_parts(f, &s.skeleton(&f.text), &s.all_tables())
        }
        None => crate::content::limits::check_toml(f),
    }) {
        d.extend(found);
    }
    for f in &raw.bodies {
        d.extend(crate::content::limits::check_markdown(f));
    }
    for f in &raw.notices {
        d.extend(crate::content::limits::check_slug(f));
    }
    d.extend(crate::content::redirects::check(&raw.notices));
    d
}
