//! Internal links in Markdown: extraction with positions, and the site's known paths.
//!
//! A link is internal when it starts with `/` (the site's root, wherever `base_url` puts
//! it) or is relative (`../shandong-2024/`, `provincial.csv`: no scheme, not `//…`, not
//! only `#…` or `?…`). It must name a page or file the build produces (query and
//! fragment ignored, percent-escapes decoded); a relative one from every page showing it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::model::Site;
use crate::urls;

/// Markdown options used everywhere (rendering and link checks see the same links).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Root-absolute and relative links, with the byte range of the link in `md`.
pub fn internal_links(md: &str) -> Vec<(String, Range<usize>)> {
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if is_internal(&dest_url) =>
            {
                Some((dest_url.to_string(), range))
            }
            _ => None,
        })
        .collect()
}

/// Links and images whose target is not a safe URL (see [`safe_url`]): (target, whether
/// it is an image, the byte range in `md`). Rendering makes such a link point nowhere
/// and shows such an image as its text; `check` and `build` warn about each.
pub fn unsafe_urls(md: &str) -> Vec<(String, bool, Range<usize>)> {
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::Link { dest_url, .. }) if !safe_url(&dest_url) => {
                Some((dest_url.to_string(), false, range))
            }
            Event::Start(Tag::Image { dest_url, .. }) if !safe_url(&dest_url) => {
                Some((dest_url.to_string(), true, range))
            }
            _ => None,
        })
        .collect()
}

/// Relative links and the http(s), mailto and tel schemes; never `javascript:`,
/// `data:` or any other scheme. Control characters and spaces, which browsers drop
/// (`java\tscript:`), do not hide a scheme.
pub fn safe_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(i) if lower[..i].contains(['/', '?', '#']) => true,
        Some(_) => ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s)),
    }
}

/// Whether a link target names something of this site.
fn is_internal(url: &str) -> bool {
    if url.is_empty() || url.starts_with("//") || url.starts_with(['#', '?']) {
        return false;
    }
    if url.starts_with('/') {
        return true;
    }
    // A scheme (`https:`, `mailto:`, `tel:`) comes before any `/`, `?` or `#`.
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':')
}

/// Every path (unencoded, root-absolute) a build of `site` produces, except assets:
/// the program pages (most of them) as the number of programs of each plan list, the
/// rest as they are.
#[derive(Debug, Default)]
pub struct Known {
    paths: HashSet<String>,
    /// (notice slug, list id) → how many programs the list has: its program pages are
    /// [`urls::program`] 1 to that.
    lists: HashMap<(String, String), usize>,
}

impl Known {
    fn contains(&self, path: &str) -> bool {
        self.paths.contains(path) || self.is_program(path)
    }

    /// Whether `path` is `urls::program(slug, list, n)` of one of the lists.
    fn is_program(&self, path: &str) -> bool {
        let Some((slug, rest)) = path
            .strip_prefix("/notices/")
            .and_then(|p| p.strip_suffix('/'))
            .and_then(|p| p.split_once('/'))
        else {
            return false;
        };
        let Some((list, n)) = rest.rsplit_once('-') else {
            return false;
        };
        let Some(count) = self.lists.get(&(slug.to_string(), list.to_string())) else {
            return false;
        };
        // `n` as `urls::program` writes it: digits, no leading zero, 1 to count.
        n.parse::<usize>()
            .is_ok_and(|i| (1..=*count).contains(&i) && i.to_string() == n)
    }
}

/// The [`Known`] paths of `site`.
pub fn known_paths(site: &Site) -> Known {
    let mut known = Known::default();
    let set = &mut known.paths;
    let mut names: [HashSet<&str>; 2] = Default::default();
    for p in [
        "/",
        "/organizers/",
        "/categories/",
        "/forms/",
        "/sitemap.xml",
        "/atom.xml",
        "/404.html",
    ] {
        set.insert(p.to_string());
    }
    for n in &site.notices {
        set.insert(urls::notice(&n.slug));
        for l in &n.lists {
            set.insert(urls::list_file(&n.slug, &l.id, "csv"));
            set.insert(urls::list_file(&n.slug, &l.id, "json"));
            // A slug never holds `/`; a list id that does (an error of its own) is
            // listed page by page, so that [`Known::is_program`]'s split stays exact.
            if l.id.contains('/') || n.slug.contains('/') {
                set.extend((1..=l.programs.len()).map(|i| urls::program(&n.slug, &l.id, i)));
            } else {
                let count = known
                    .lists
                    .entry((n.slug.clone(), l.id.clone()))
                    .or_default();
                *count = (*count).max(l.programs.len());
            }
            for p in &l.programs {
                if names[0].insert(&p.organizer) {
                    set.insert(format!("/organizers/{}/", urls::segment(&p.organizer)));
                }
                if let Some(c) = p.category.as_deref().filter(|c| names[1].insert(c)) {
                    set.insert(format!("/categories/{}/", urls::segment(c)));
                }
            }
        }
    }
    for f in &site.forms {
        set.insert(urls::form(&f.id));
    }
    known
}

/// Whether an internal link target is one of `known` (or an asset under `/assets/`).
pub fn resolves(target: &str, known: &Known) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or(target);
    let path = urls::decode(path);
    if path.starts_with("/assets/") {
        return true;
    }
    if known.contains(&path) {
        return true;
    }
    if let Some(dir) = path.strip_suffix("index.html") {
        if known.contains(dir) {
            return true;
        }
    }
    // `/notices/x` for `/notices/x/`.
    !path.ends_with('/') && known.contains(&format!("{path}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_pages_are_known_by_their_list_and_position_only() {
        let mut known = Known::default();
        known.paths.insert("/notices/a-2024/".into());
        known.lists.insert(("a-2024".into(), "main-x".into()), 12);
        for yes in [
            "/notices/a-2024/",
            "/notices/a-2024/main-x-1/",
            "/notices/a-2024/main-x-12/",
        ] {
            assert!(resolves(yes, &known), "{yes}");
        }
        for no in [
            "/notices/a-2024/main-x-0/",
            "/notices/a-2024/main-x-13/",
            "/notices/a-2024/main-x-01/",
            "/notices/a-2024/main-x-+1/",
            "/notices/a-2024/main-1/",
            "/notices/b-2024/main-x-1/",
            "/notices/a-2024/sub/main-x-1/",
        ] {
            assert!(!resolves(no, &known), "{no}");
        }
        assert!(resolves("/notices/a-2024/main-x-3", &known));
        assert!(resolves("/notices/a-2024/main-x-3/index.html#top", &known));
    }
}
