//! Rendering: the validated [`Site`] to the files of the site, in memory.
//!
//! Pure: no disk access. Every page is a folder URL written as `index.html`; plan lists
//! are also written as `.csv` and `.json`; `sitemap.xml`, `atom.xml`, `404.html` and the
//! assets complete the output. Form pages come from [`crate::forms_page`].

pub mod feeds;
pub mod lists;
pub mod markdown;
pub mod order;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use tera::Context;

pub use templates::{TemplateError, Templates};

use crate::content::model::{Notice, Site};
use crate::urls;

/// One file of the built site; `path` is relative to the output folder, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Rendering switches.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Add the live-reload script (only `site-gen serve` sets this). Serving previews the
    /// site at the root of 127.0.0.1, so links are then not put under `base_url`'s path.
    pub livereload: bool,
}

impl Options {
    /// The path pages link under: `base_url`'s path, or `/` when serving locally.
    pub fn root_path(&self, site: &Site) -> String {
        if self.livereload {
            "/".into()
        } else {
            site.config.root_path()
        }
    }
}

/// Puts the root-absolute links of a page (`href="/…"`, `src="/…"`, `action="/…"`) under
/// `root` (`/zjgyb/`), so that the site works when served from that folder of its host.
/// Templates, Markdown and form pages all write site paths from `/`; this is the one
/// place that knows where the site really lives. Protocol-relative `//host` links and
/// text (where `"` is always escaped) are left alone.
pub fn rebase(html: &str, root: &str) -> String {
    if root == "/" {
        return html.to_string();
    }
    let extra = root.len() - 1;
    let mut out = String::with_capacity(html.len() + extra * 64);
    let mut rest = html;
    while let Some(i) = rest.find("=\"/") {
        let (before, after) = rest.split_at(i + 2);
        out.push_str(before);
        let attr = before[..i]
            .rsplit([' ', '\n', '\t', '<'])
            .next()
            .unwrap_or("");
        let is_link = matches!(attr, "href" | "src" | "action");
        if is_link && !after.starts_with("//") {
            out.push_str(root);
            rest = &after[1..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Embedded assets (path under `assets/`, bytes).
pub const ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../assets/style.css")),
    ("filter.js", include_str!("../../assets/filter.js")),
    ("prefs.js", include_str!("../../assets/prefs.js")),
    ("favicon.svg", include_str!("../../assets/favicon.svg")),
    (
        "chart-patterns.svg",
        include_str!("../../assets/chart-patterns.svg"),
    ),
];

/// The live-reload client, written only when serving.
pub const LIVERELOAD_JS: &str = include_str!("../../assets/livereload.js");

/// The context every page starts from: `site`, `livereload`, `page_path`.
pub fn base_context(site: &Site, opts: &Options, page_path: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &views::site(site));
    ctx.insert("livereload", &opts.livereload);
    ctx.insert("page_path", page_path);
    ctx
}

/// Renders the whole site (without live reload).
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, TemplateError> {
    render_with(site, templates, &Options::default())
}

pub fn render_with(
    site: &Site,
    templates: &Templates,
    opts: &Options,
) -> Result<Vec<OutputFile>, TemplateError> {
    let mut out = Vec::new();
    let mut pages: Vec<String> = Vec::new();

    // Index.
    let mut ctx = base_context(site, opts, "/");
    let summaries: Vec<_> = site.notices.iter().map(views::notice_summary).collect();
    ctx.insert("notices", &summaries);
    out.push(OutputFile::new(
        "index.html",
        templates.render("index.html", &ctx)?,
    ));
    pages.push("/".into());

    // Notices, lists, programs: one job per notice, on all cores, merged in order.
    let mut organizers: BTreeMap<String, Vec<views::ProgramItem>> = BTreeMap::new();
    let mut categories: BTreeMap<String, Vec<views::ProgramItem>> = BTreeMap::new();
    for done in crate::par::map(&site.notices, 2, |n| {
        render_notice(site, templates, opts, n)
    }) {
        let done = done?;
        out.extend(done.files);
        pages.extend(done.pages);
        for (organizer, category, item) in done.items {
            if let Some(c) = category {
                categories.entry(c).or_default().push(item.clone());
            }
            organizers.entry(organizer).or_default().push(item);
        }
    }

    // Organizers and categories.
    for (kind, title, root, groups, to_url) in [
        (
            "organizers",
            "举办单位",
            "/organizers/",
            organizers,
            urls::organizer as fn(&str) -> String,
        ),
        (
            "categories",
            "专业类别",
            "/categories/",
            categories,
            urls::category as fn(&str) -> String,
        ),
    ] {
        let mut views: Vec<views::GroupView> = groups
            .into_iter()
            .map(|(name, programs)| {
                let url = to_url(&name);
                views::GroupView::new(kind, name, url, programs)
            })
            .collect();
        views.sort_by(|a, b| order::by_pinyin(&a.name, &b.name));
        let mut ctx = base_context(site, opts, root);
        ctx.insert("kind", kind);
        ctx.insert("title", title);
        let summaries: Vec<views::GroupSummary> = views
            .iter()
            .map(|g| views::GroupSummary {
                name: g.name.clone(),
                url: g.url.clone(),
                count: g.programs.len(),
            })
            .collect();
        ctx.insert("groups", &summaries);
        out.push(OutputFile::new(
            urls::file_for(root),
            templates.render("groups.html", &ctx)?,
        ));
        pages.push(root.to_string());
        let rendered = crate::par::map(&views, 2, |g| {
            let path = format!("{root}{}/", urls::segment(&g.name));
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("kind", kind);
            ctx.insert("title", title);
            ctx.insert("group", g);
            templates
                .render("group.html", &ctx)
                .map(|html| (path, html))
        });
        for r in rendered {
            let (path, html) = r?;
            out.push(OutputFile::new(urls::file_for(&path), html));
            pages.push(path);
        }
    }

    // Forms (owned by forms_page).
    for f in crate::forms_page::render_all(site, templates, opts)? {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.push(f);
    }

    // Survey hand-in: posters and the collection page (owned by handin_pages).
    for f in crate::handin_pages::render_all(site, templates, opts)? {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.push(f);
    }

    // 404, feeds, assets.
    let ctx = base_context(site, opts, "/404.html");
    out.push(OutputFile::new(
        "404.html",
        templates.render("404.html", &ctx)?,
    ));
    let root = opts.root_path(site);
    if root != "/" {
        for f in &mut out {
            if f.path.ends_with(".html") {
                if let Ok(html) = std::str::from_utf8(&f.bytes) {
                    f.bytes = rebase(html, &root).into_bytes();
                }
            }
        }
    }
    out.push(OutputFile::new("sitemap.xml", feeds::sitemap(site, &pages)));
    out.push(OutputFile::new("atom.xml", feeds::atom(site)));
    for (name, src) in ASSETS {
        out.push(OutputFile::new(format!("assets/{name}"), *src));
    }
    if opts.livereload {
        out.push(OutputFile::new("assets/livereload.js", LIVERELOAD_JS));
    }
    Ok(out)
}

/// What one notice contributes: its files, its page paths, and its programs for the
/// organizer and category pages.
struct NoticeOutput {
    files: Vec<OutputFile>,
    pages: Vec<String>,
    items: Vec<(String, Option<String>, views::ProgramItem)>,
}

fn render_notice(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    n: &Notice,
) -> Result<NoticeOutput, TemplateError> {
    let mut o = NoticeOutput {
        files: Vec::new(),
        pages: Vec::new(),
        items: Vec::new(),
    };
    let path = urls::notice(&n.slug);
    let mut ctx = base_context(site, opts, &path);
    ctx.insert("notice", &views::notice(site, n));
    o.files.push(OutputFile::new(
        urls::file_for(&path),
        templates.render("notice.html", &ctx)?,
    ));
    o.pages.push(path);
    for l in &n.lists {
        o.files.push(OutputFile::new(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "csv")),
            lists::csv(l),
        ));
        o.files.push(OutputFile::new(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "json")),
            lists::json(n, l, &opts.root_path(site)),
        ));
        o.files.push(OutputFile::new(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "xlsx")),
            lists::xlsx(l),
        ));
        for (i, p) in l.programs.iter().enumerate() {
            let path = urls::program(&n.slug, &l.id, i + 1);
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("program", &views::program(n, l, i, p));
            ctx.insert(
                "survey",
                &crate::handin_pages::survey_link(site, n, &l.id, i + 1),
            );
            o.files.push(OutputFile::new(
                urls::file_for(&path),
                templates.render("program.html", &ctx)?,
            ));
            o.pages.push(path);
            o.items.push((
                p.organizer.clone(),
                p.category.clone(),
                views::program_item(n, l, i, p),
            ));
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::rebase;

    #[test]
    fn rebase_puts_root_absolute_links_under_the_root_only() {
        let html = r##"<a href="/">首页</a><link rel="icon" href="/assets/favicon.svg"><script src="/assets/filter.js"></script><a href="//cdn.example/x">x</a><a href="https://e.org/y">y</a><a href="#list-main">l</a><meta content="/not-a-link"><p>href="/text"</p>"##;
        let out = rebase(html, "/zjgyb/");
        assert!(out.contains(r##"<a href="/zjgyb/">首页</a>"##));
        assert!(out.contains(r##"href="/zjgyb/assets/favicon.svg""##));
        assert!(out.contains(r##"src="/zjgyb/assets/filter.js""##));
        assert!(out.contains(r##"href="//cdn.example/x""##));
        assert!(out.contains(r##"href="https://e.org/y""##));
        assert!(out.contains(r##"href="#list-main""##));
        assert!(out.contains(r##"content="/not-a-link""##));
        assert_eq!(rebase(html, "/"), html);
    }
}
