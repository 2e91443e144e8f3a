//! Rendering: the validated [`Site`] to the files of the site, in memory.
//!
//! Pure: no disk access. Every page is a folder URL written as `index.html`; plan lists
//! are also written as `.csv` and `.json`; `sitemap.xml`, `atom.xml`, `404.html` and the
//! assets complete the output. Form pages come from [`crate::forms_page`].

pub mod feeds;
pub mod lists;
pub mod markdown;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use tera::Context;

pub use templates::{TemplateError, Templates};

use crate::content::model::Site;
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
    /// Add the live-reload script (only `site-gen serve` sets this).
    pub livereload: bool,
}

/// Embedded assets (path under `assets/`, bytes).
pub const ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../assets/style.css")),
    ("filter.js", include_str!("../../assets/filter.js")),
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
    let mut page = |out: &mut Vec<OutputFile>, path: String, name: &str, ctx: &Context| {
        let html = templates.render(name, ctx)?;
        out.push(OutputFile::new(urls::file_for(&path), html));
        pages.push(path);
        Ok::<(), TemplateError>(())
    };

    // Index.
    let mut ctx = base_context(site, opts, "/");
    let summaries: Vec<_> = site.notices.iter().map(views::notice_summary).collect();
    ctx.insert("notices", &summaries);
    page(&mut out, "/".into(), "index.html", &ctx)?;

    // Notices, lists, programs.
    let mut organizers: BTreeMap<String, Vec<views::ProgramItem>> = BTreeMap::new();
    let mut categories: BTreeMap<String, Vec<views::ProgramItem>> = BTreeMap::new();
    for n in &site.notices {
        let path = urls::notice(&n.slug);
        let mut ctx = base_context(site, opts, &path);
        ctx.insert("notice", &views::notice(site, n));
        page(&mut out, path, "notice.html", &ctx)?;
        for l in &n.lists {
            out.push(OutputFile::new(
                urls::file_for(&urls::list_file(&n.slug, &l.id, "csv")),
                lists::csv(l),
            ));
            out.push(OutputFile::new(
                urls::file_for(&urls::list_file(&n.slug, &l.id, "json")),
                lists::json(n, l),
            ));
            for (i, p) in l.programs.iter().enumerate() {
                let path = urls::program(&n.slug, &l.id, i + 1);
                let mut ctx = base_context(site, opts, &path);
                ctx.insert("program", &views::program(n, l, i, p));
                page(&mut out, path, "program.html", &ctx)?;
                organizers
                    .entry(p.organizer.clone())
                    .or_default()
                    .push(views::program_item(n, l, i, p));
                if let Some(c) = &p.category {
                    categories
                        .entry(c.clone())
                        .or_default()
                        .push(views::program_item(n, l, i, p));
                }
            }
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
        let views: Vec<views::GroupView> = groups
            .into_iter()
            .map(|(name, programs)| views::GroupView {
                url: to_url(&name),
                name,
                programs,
            })
            .collect();
        let mut ctx = base_context(site, opts, root);
        ctx.insert("kind", kind);
        ctx.insert("title", title);
        ctx.insert("groups", &views);
        page(&mut out, root.to_string(), "groups.html", &ctx)?;
        for g in &views {
            let path = format!("{root}{}/", urls::segment(&g.name));
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("kind", kind);
            ctx.insert("title", title);
            ctx.insert("group", g);
            page(&mut out, path, "group.html", &ctx)?;
        }
    }

    // Forms (owned by forms_page).
    for f in crate::forms_page::render_all(site, templates, opts)? {
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
