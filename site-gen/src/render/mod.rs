//! Rendering: the validated [`Site`] to the files of the site.
//!
//! No disk access here: each file goes to a [`Sink`] as soon as it is rendered (the
//! build's sink writes it into the output's temporary folder), so a build holds the
//! model and only the pages being rendered, never the whole site. Every page is a folder
//! URL written as `index.html`; plan lists are also written as `.csv` and `.json`;
//! `sitemap.xml`, `atom.xml`, `404.html` and the assets complete the output. Form pages
//! come from [`crate::forms_page`]. Pages render on all cores, one job per page or per
//! notice (a notice with its lists and program pages), the largest jobs first.

pub mod feeds;
pub mod lists;
pub mod markdown;
pub mod order;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tera::Context;

pub use templates::{TemplateError, Templates};

use crate::content::model::{Notice, Site};
use crate::fsx::FsError;
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

/// Where rendered files go, one at a time, from any rendering thread.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), FsError>;
}

/// A sink that keeps every file in memory (tests, `check`).
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(file);
        Ok(())
    }
}

/// Passes files on to `inner`, each HTML page [`rebase`]d under `root`, and counts them.
struct Counting<'a> {
    inner: &'a dyn Sink,
    root: String,
    files: AtomicUsize,
}

impl Counting<'_> {
    fn put(&self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<(), TemplateError> {
        let (path, mut bytes) = (path.into(), bytes.into());
        if self.root != "/" && path.ends_with(".html") {
            if let Ok(html) = std::str::from_utf8(&bytes) {
                bytes = rebase(html, &self.root).into_bytes();
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(self.inner.put(OutputFile::new(path, bytes))?)
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

/// Renders the whole site (without live reload) into memory, sorted by path.
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, TemplateError> {
    render_with(site, templates, &Options::default())
}

/// Renders the whole site into memory, sorted by path.
pub fn render_with(
    site: &Site,
    templates: &Templates,
    opts: &Options,
) -> Result<Vec<OutputFile>, TemplateError> {
    let sink = Collect::default();
    render_into(site, templates, opts, &sink)?;
    Ok(sink.into_files())
}

/// Where a program is: indices of its notice, list and position.
type ProgramAt = (usize, usize, usize);

/// The organizers or the categories: each name with where its programs are.
type Groups<'a> = Vec<(&'a str, Vec<ProgramAt>)>;

/// One unit of rendering work.
enum Job<'a> {
    Index,
    Notice(&'a Notice),
    GroupsRoot(usize),
    Group(usize, &'a str, &'a [ProgramAt]),
}

/// The two kinds of group pages: kind, title, root path, page path of a name.
type GroupKind = (&'static str, &'static str, &'static str, fn(&str) -> String);
const GROUP_KINDS: [GroupKind; 2] = [
    ("organizers", "举办单位", "/organizers/", urls::organizer),
    ("categories", "专业类别", "/categories/", urls::category),
];

/// Renders the whole site into `sink`; returns the number of files.
pub fn render_into(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    sink: &dyn Sink,
) -> Result<usize, TemplateError> {
    let out = Counting {
        inner: sink,
        root: opts.root_path(site),
        files: AtomicUsize::new(0),
    };

    // The organizer and category pages list programs by position; their views are
    // made only while the page renders.
    let mut by_name: [BTreeMap<&str, Vec<ProgramAt>>; 2] = Default::default();
    for (ni, n) in site.notices.iter().enumerate() {
        for (li, l) in n.lists.iter().enumerate() {
            for (pi, p) in l.programs.iter().enumerate() {
                by_name[0]
                    .entry(&p.organizer)
                    .or_default()
                    .push((ni, li, pi));
                if let Some(c) = &p.category {
                    by_name[1].entry(c).or_default().push((ni, li, pi));
                }
            }
        }
    }

    // Each kind in pinyin order of the names.
    let groups: [Groups; 2] = by_name.map(|m| {
        let mut g: Groups = m.into_iter().collect();
        order::sort_by_pinyin(&mut g, &site.config.readings, |(name, _)| name);
        g
    });

    let mut jobs = vec![Job::Index];
    jobs.extend(site.notices.iter().map(Job::Notice));
    for (k, g) in groups.iter().enumerate() {
        jobs.push(Job::GroupsRoot(k));
        jobs.extend(g.iter().map(|(name, at)| Job::Group(k, name, at)));
    }
    // Largest first, so that the last job to finish is a small one; the page order of
    // the sitemap is the order of `jobs` before this sort.
    let cost = |j: &Job| match j {
        Job::Index | Job::GroupsRoot(_) => site.notices.len(),
        Job::Notice(n) => n.lists.iter().map(|l| l.programs.len() * 2 + 1).sum(),
        Job::Group(_, _, at) => at.len(),
    };
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&jobs[i])));
    let done = crate::par::map_dynamic(&order, |&i| {
        render_job(site, templates, opts, &groups, &jobs[i], &out)
    });
    let mut pages: Vec<Vec<String>> = std::iter::repeat_with(Vec::new).take(jobs.len()).collect();
    for (&i, r) in order.iter().zip(done) {
        pages[i] = r?;
    }
    let mut pages: Vec<String> = pages.into_iter().flatten().collect();

    // Forms (owned by forms_page).
    for f in crate::forms_page::render_all(site, templates, opts)? {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.put(f.path, f.bytes)?;
    }

    // Survey hand-in: posters and the collection page (owned by handin_pages).
    crate::handin_pages::render_all(site, templates, opts, &mut |f| {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.put(f.path, f.bytes)
    })?;

    // 404, feeds, assets.
    let ctx = base_context(site, opts, "/404.html");
    out.put("404.html", templates.render_bytes("404.html", &ctx)?)?;
    out.put("sitemap.xml", feeds::sitemap(site, &pages))?;
    out.put("atom.xml", feeds::atom(site))?;
    for (name, src) in ASSETS {
        out.put(format!("assets/{name}"), *src)?;
    }
    if opts.livereload {
        out.put("assets/livereload.js", LIVERELOAD_JS)?;
    }
    Ok(out.files.load(Ordering::Relaxed))
}

/// Renders one job into `out`; returns the page paths it wrote.
fn render_job(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    groups: &[Groups; 2],
    job: &Job,
    out: &Counting,
) -> Result<Vec<String>, TemplateError> {
    match *job {
        Job::Index => {
            let mut ctx = base_context(site, opts, "/");
            let summaries: Vec<_> = site.notices.iter().map(views::notice_summary).collect();
            ctx.insert("notices", &summaries);
            out.put("index.html", templates.render_bytes("index.html", &ctx)?)?;
            Ok(vec!["/".into()])
        }
        Job::Notice(n) => render_notice(site, templates, opts, n, out),
        Job::GroupsRoot(k) => {
            let (kind, title, root, to_url) = GROUP_KINDS[k];
            let summaries: Vec<views::GroupSummary> = groups[k]
                .iter()
                .map(|(name, at)| views::GroupSummary {
                    name: name.to_string(),
                    url: to_url(name),
                    count: at.len(),
                })
                .collect();
            let mut ctx = base_context(site, opts, root);
            ctx.insert("kind", kind);
            ctx.insert("title", title);
            ctx.insert("groups", &summaries);
            out.put(
                urls::file_for(root),
                templates.render_bytes("groups.html", &ctx)?,
            )?;
            Ok(vec![root.to_string()])
        }
        Job::Group(k, name, at) => {
            let (kind, title, root, to_url) = GROUP_KINDS[k];
            let programs = at
                .iter()
                .map(|&(ni, li, pi)| {
                    let n = &site.notices[ni];
                    let l = &n.lists[li];
                    views::program_item(n, l, pi, &l.programs[pi])
                })
                .collect();
            let group = views::GroupView::new(kind, name.to_string(), to_url(name), programs);
            let path = format!("{root}{}/", urls::segment(name));
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("kind", kind);
            ctx.insert("title", title);
            ctx.insert("group", &group);
            drop(group);
            out.put(
                urls::file_for(&path),
                templates.render_bytes("group.html", &ctx)?,
            )?;
            Ok(vec![path])
        }
    }
}

/// Renders a notice, its lists' downloads and its program pages into `out`; returns
/// the page paths.
fn render_notice(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    n: &Notice,
    out: &Counting,
) -> Result<Vec<String>, TemplateError> {
    let mut pages = Vec::new();
    let path = urls::notice(&n.slug);
    let mut ctx = base_context(site, opts, &path);
    ctx.insert("notice", &views::notice(site, n));
    out.put(
        urls::file_for(&path),
        templates.render_bytes("notice.html", &ctx)?,
    )?;
    pages.push(path);
    for l in &n.lists {
        out.put(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "csv")),
            lists::csv(l),
        )?;
        out.put(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "json")),
            lists::json(n, l, &out.root),
        )?;
        out.put(
            urls::file_for(&urls::list_file(&n.slug, &l.id, "xlsx")),
            lists::xlsx(l),
        )?;
        for (i, p) in l.programs.iter().enumerate() {
            let path = urls::program(&n.slug, &l.id, i + 1);
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("program", &views::program(n, l, i, p));
            ctx.insert(
                "survey",
                &crate::handin_pages::survey_link(site, n, &l.id, i + 1),
            );
            out.put(
                urls::file_for(&path),
                templates.render_bytes("program.html", &ctx)?,
            )?;
            pages.push(path);
        }
    }
    Ok(pages)
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
