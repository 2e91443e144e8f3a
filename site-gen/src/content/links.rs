//! Internal links in Markdown: extraction with positions, and the site's known paths.
//!
//! A link is internal when it starts with `/` (the site's root, wherever `base_url` puts
//! it) or is relative (`../shandong-2024/`, `provincial.csv`: no scheme, not `//…`, not
//! only `#…` or `?…`). It must name a page or file the build produces (query and
//! fragment ignored, percent-escapes decoded); a relative one from every page showing it.

use std::collections::HashSet;
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

/// Every path (unencoded, root-absolute) a build of `site` produces, except assets.
pub fn known_paths(site: &Site) -> HashSet<String> {
    let programs: usize = site
        .notices
        .iter()
        .flat_map(|n| &n.lists)
        .map(|l| l.programs.len() + 2)
        .sum();
    let mut set = HashSet::with_capacity(programs + 64);
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
            for (i, p) in l.programs.iter().enumerate() {
                set.insert(urls::program(&n.slug, &l.id, i + 1));
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
    set
}

/// Whether an internal link target is one of `known` (or an asset under `/assets/`).
pub fn resolves(target: &str, known: &HashSet<String>) -> bool {
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
