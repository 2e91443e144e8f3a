//! The output paths the site's names become, checked before anything is written.
//!
//! Organizer and category names become folder names (`/organizers/<name>/`) through
//! [`urls::segment`], which maps `/` to `／` and trims spaces: two different names that
//! come out as one folder (`甲/乙` and `甲／乙`) would have one page overwrite the other,
//! so that is a content error naming both. A path segment longer than a filesystem
//! allows (255 bytes on Linux) is one too, and so is any other pair of rendered files
//! with one path, a page's file that is another page's folder (an organizer named
//! `index.html` and the page `organizers/index.html`), and two paths that differ only in
//! letter case or Unicode normalisation (NFC/NFD): a case-insensitive disk (Windows,
//! macOS) would make them one. `check` runs this as `build` does, so it finds all of it. The paths are
//! those of the files rendered, checked once rendering has finished: a build writes into
//! a temporary folder that is dropped when this finds anything.

use std::collections::BTreeMap;
use std::path::Path;

use super::diag::{Diagnostic, Diagnostics};
use super::load::Raw;
use super::model::Site;
use super::toml_errors::{find_value, Pat};
use crate::urls;

/// The longest file or folder name, in bytes (Linux's `NAME_MAX`, and most others').
pub const MAX_SEGMENT: usize = 255;

/// Every collision and over-long name of the site's output paths.
pub fn check(raw: &Raw, site: &Site, paths: &[String]) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut reported = std::collections::BTreeSet::new();
    for (kind, root, names) in [
        (
            "organizer",
            "organizers",
            names(site, |p| Some(p.organizer.as_str())),
        ),
        (
            "category",
            "categories",
            names(site, |p| p.category.as_deref()),
        ),
    ] {
        // Where a program's name of this kind is written.
        let pattern = [
            Pat::Key("lists"),
            Pat::Each,
            Pat::Key("programs"),
            Pat::Each,
            Pat::Key(kind),
        ];
        let mut by_segment: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
        let mut seen = std::collections::HashSet::new();
        for (name, slug) in names {
            // Each name once, with the first notice that has it.
            if seen.insert(name) {
                by_segment
                    .entry(urls::segment(name))
                    .or_default()
                    .push((name, slug));
            }
        }
        for (seg, group) in by_segment {
            let path = format!("{root}/{seg}/index.html");
            if seg.len() > MAX_SEGMENT {
                let (name, slug) = group[0];
                d.push(at_value(
                    raw,
                    slug,
                    &pattern,
                    name,
                    format!(
                        "{kind} name is {} bytes as a folder name ({root}/…/), more than the {MAX_SEGMENT} a filesystem allows: shorten it",
                        seg.len()
                    ),
                ));
                reported.insert(path);
                continue;
            }
            if let [(first, first_slug), rest @ ..] = group.as_slice() {
                for (name, slug) in rest {
                    d.push(at_value(
                        raw,
                        slug,
                        &pattern,
                        name,
                        format!(
                            "{kind} “{name}” and “{first}” (notices/{first_slug}.toml) become the same page /{root}/{seg}/ (`/` is written `／`, spaces around are dropped): write them the same way, or tell them apart"
                        ),
                    ));
                }
                if !rest.is_empty() {
                    reported.insert(path);
                }
            }
        }
    }

    // Everything else: one path per file, every name within the limit.
    let mut seen: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(paths.len());
    for p in paths {
        *seen.entry(p.as_str()).or_default() += 1;
    }
    // Only the paths with a problem, in path order.
    let seen: BTreeMap<&str, usize> = seen
        .into_iter()
        .filter(|&(path, n)| {
            n > 1 || (path.len() > MAX_SEGMENT && path.split('/').any(|s| s.len() > MAX_SEGMENT))
        })
        .collect();
    for (path, n) in seen {
        if reported.contains(path) {
            continue;
        }
        let notice = path
            .strip_prefix("notices/")
            .and_then(|p| p.split('/').next());
        if n > 1 {
            d.push(at_output(
                raw,
                notice,
                path,
                format!("{n} pages of the site would be written to {path}: rename one of them"),
            ));
        }
        if let Some(long) = path.split('/').find(|s| s.len() > MAX_SEGMENT) {
            let head: String = long.chars().take(20).collect();
            d.push(at_output(
                raw,
                notice,
                long,
                format!(
                    "the output path {path} has a name of {} bytes (“{head}…”), more than the {MAX_SEGMENT} a filesystem allows: shorten the name or id it is made from",
                    long.len()
                ),
            ));
        }
    }
    look_alikes(raw, site, paths, &reported, &mut d);
    d
}

/// A path folded as a case-insensitive disk compares names: NFC, lower case.
fn fold(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    path.nfc().flat_map(char::to_lowercase).collect()
}

/// Pages whose file is another page's folder, and paths that one disk or another would
/// take for the same (see the module's opening), each once, naming both.
fn look_alikes(
    raw: &Raw,
    site: &Site,
    paths: &[String],
    reported: &std::collections::BTreeSet<String>,
    d: &mut Diagnostics,
) {
    let files: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut folders_reported = std::collections::BTreeSet::new();
    for p in paths {
        for (i, _) in p.match_indices('/') {
            let folder = &p[..i];
            if files.contains(folder) && folders_reported.insert(folder) {
                d.push(at_path(
                    raw,
                    site,
                    p,
                    format!(
                        "the page /{folder}/ would be written into a folder named {folder}, which is already the file of another page: rename the name or id it is made from"
                    ),
                ));
            }
        }
    }
    let mut by_fold: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in paths {
        by_fold.entry(fold(p)).or_default().push(p.as_str());
    }
    for group in by_fold.values_mut() {
        group.sort_unstable();
        group.dedup();
        if let [first, rest @ ..] = group.as_slice() {
            for other in rest {
                if reported.contains(*other) || reported.contains(*first) {
                    continue;
                }
                // The first segment where they differ names the two look-alikes.
                let (a, b) = first
                    .split('/')
                    .zip(other.split('/'))
                    .find(|(a, b)| a != b)
                    .unwrap_or((first, other));
                d.push(at_path(
                    raw,
                    site,
                    other,
                    format!(
                        "“{b}” and “{a}” differ only in letter case or in how their characters are composed (NFC/NFD): /{other} and /{first} would be one file on Windows and macOS; write both names the same way, or tell them apart"
                    ),
                ));
            }
        }
    }
}

/// A diagnostic for an output path: at the organizer or category name it is made from,
/// else as [`at_output`] finds it.
fn at_path(raw: &Raw, site: &Site, path: &str, message: String) -> Diagnostic {
    let mut parts = path.split('/');
    let (root, seg) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let kind = match root {
        "organizers" => "organizer",
        "categories" => "category",
        _ => {
            let notice = path
                .strip_prefix("notices/")
                .and_then(|p| p.split('/').next());
            return at_output(raw, notice, path, message);
        }
    };
    let named = names(site, |p| {
        if kind == "organizer" {
            Some(p.organizer.as_str())
        } else {
            p.category.as_deref()
        }
    })
    .into_iter()
    .find(|(name, _)| urls::segment(name) == seg);
    match named {
        Some((name, slug)) => {
            let pattern = [
                Pat::Key("lists"),
                Pat::Each,
                Pat::Key("programs"),
                Pat::Each,
                Pat::Key(kind),
            ];
            at_value(raw, slug, &pattern, name, message)
        }
        None => whole(&raw.dir, message),
    }
}

/// (name, notice slug) of every program, in site order.
fn names<'a>(
    site: &'a Site,
    pick: impl Fn(&'a super::model::Program) -> Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for n in &site.notices {
        for l in &n.lists {
            for p in &l.programs {
                if let Some(name) = pick(p) {
                    out.push((name, n.slug.as_str()));
                }
            }
        }
    }
    out
}

/// A diagnostic at the first value at `pattern` in notice `slug`'s file that is `value`
/// (trimmed, as the site uses it), found in the parsed file; its first line when none is
/// (a program read from a spreadsheet).
fn at_value(raw: &Raw, slug: &str, pattern: &[Pat], value: &str, message: String) -> Diagnostic {
    match raw.notices.iter().find(|f| f.stem() == slug) {
        Some(f) => {
            let span = find_value(&f.text, pattern, &|v| v.trim() == value).unwrap_or(0..0);
            Diagnostic::at(&f.path, &f.text, span, message)
        }
        None => whole(&raw.dir, message),
    }
}

/// A diagnostic for an output path: in the notice it belongs to where there is one, at
/// the id of the list the path is made from (`main` of `main-3/`, `main.csv`).
fn at_output(raw: &Raw, notice: Option<&str>, needle: &str, message: String) -> Diagnostic {
    // `notices/<slug>/main-3/index.html` → `main-3`; a single segment stays.
    let seg = needle
        .strip_prefix("notices/")
        .and_then(|p| p.split('/').nth(1))
        .unwrap_or(needle);
    let stem = seg
        .rsplit_once('.')
        .map_or(needle, |(s, _)| s)
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('-');
    match notice {
        Some(slug) if raw.notices.iter().any(|f| f.stem() == slug) => {
            let list_id = [Pat::Key("lists"), Pat::Each, Pat::Key("id")];
            at_value(raw, slug, &list_id, stem, message)
        }
        _ => whole(&raw.dir, message),
    }
}

fn whole(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message,
        source_line: None,
    }
}
