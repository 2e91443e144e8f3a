//! Rendering: the validated [`Site`] to the files of the site.
//!
//! No disk access here: each file goes to a [`Sink`] as soon as it is rendered (the
//! build's sink writes it into the output's temporary folder), so a build holds the
//! model and only the pages being rendered, never the whole site. Every page is a folder
//! URL written as `index.html`; plan lists are also written as `.csv` and `.json`;
//! `sitemap.xml`, `atom.xml`, `404.html` and the assets complete the output. Form pages
//! come from [`forms_page`], the hand-in pages from [`handin_pages`]; the offline
//! workers are not made here but by a pass over the rendered files
//! (`output::offline`). Pages render on all cores, one job per page or per
//! notice (a notice with its lists and program pages), the largest jobs first. With a
//! [`Selection`] (`serve` after an edit), the notice and group jobs it does not name
//! only tell the sink which files they would have written ([`Sink::keep`]).

pub mod assets;
pub mod control_ids;
pub mod data;
pub mod describe;
pub mod embedded;
pub mod feeds;
pub mod form_views;
pub mod forms_page;
pub mod handin_pages;
pub mod inline;
pub mod lists;
pub mod markdown;
pub mod order;
pub mod page;
pub mod redirects;
pub mod search;
pub mod templates;
pub mod views;
pub mod years;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use page::{base_context, rebase, Collect, Options, OutputFile, Sink};
pub use templates::{TemplateError, Templates};

use crate::content::model::{Notice, Site};
use crate::urls;

/// Passes files on to `inner`, each HTML page [`rebase`]d under `root`, and counts them.
struct Counting<'a> {
    inner: &'a dyn Sink,
    root: String,
    files: AtomicUsize,
}

impl Counting<'_> {
    fn put(&self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<(), TemplateError> {
        let (path, mut bytes) = crate::render::assets::output(path.into(), bytes.into());
        if self.root != "/" && path.ends_with(".html") {
            if let Ok(html) = std::str::from_utf8(&bytes) {
                bytes = rebase(html, &self.root).into_bytes();
            }
        }
        if path.ends_with(".html") {
            if let Some(html) = std::str::from_utf8(&bytes)
                .ok()
                .and_then(|h| inline::page(h, &self.root))
            {
                bytes = html.into_bytes();
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(self.inner.put(OutputFile::new(path, bytes))?)
    }

    fn keep(&self, path: &str) -> Result<(), TemplateError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(self.inner.keep(path)?)
    }
}

pub use embedded::ASSETS;

/// The live-reload client, written only when serving.
pub const LIVERELOAD_JS: &str = include_str!("../../assets/livereload.js");
/// Where [`LIVERELOAD_JS`] is written (under the output folder).
pub const LIVERELOAD_PATH: &str = "assets/livereload.js";

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
    /// The page of the year `years[i]`.
    Year(usize),
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

/// The notices and groups whose pages an edit changes, for [`render_selected`].
///
/// A notice's own pages (the notice, its plan lists' downloads, its program pages) are
/// made from the notice alone and the site's settings, forms and calendar; an organizer's
/// or category's page from the listing items of its programs, in the order of the
/// notices. So when only notices changed, the pages to render again are those of the
/// notices that differ and of every group whose items differ: when the notices keep
/// their order, the groups where a changed notice's items are not the same as before;
/// otherwise every group a changed notice lists a program in, before or after the edit.
/// Items are compared on what the group pages can show: not on their notice's title and
/// link unless the templates show them ([`Templates::listings_show_notice`]).
/// Everything else that lists notices (the index, the two group overviews, form pages,
/// posters, feeds) is cheap and always rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Slugs of the notices added, removed or changed.
    pub notices: BTreeSet<String>,
    /// Organizer names (0) and category names (1) whose pages change.
    pub groups: [BTreeSet<String>; 2],
}

/// The listing items of a notice's programs, by group kind and name, in page order;
/// without their notice's title and link unless `with_notice`.
fn items_by_group(
    n: &Notice,
    with_notice: bool,
) -> BTreeMap<(usize, &str), Vec<views::ProgramItem>> {
    let mut by: BTreeMap<(usize, &str), Vec<views::ProgramItem>> = BTreeMap::new();
    for l in &n.lists {
        for (i, p) in l.programs.iter().enumerate() {
            let mut item = views::program_item(n, l, i, p);
            if !with_notice {
                item.notice.text.clear();
                item.notice.url.clear();
            }
            if let Some(c) = &p.category {
                by.entry((1, c)).or_default().push(item.clone());
            }
            by.entry((0, &p.organizer)).or_default().push(item);
        }
    }
    by
}

impl Selection {
    /// What differs between two sites whose settings, forms and calendar are the same,
    /// for pages rendered with `templates`.
    pub fn between(old: &Site, new: &Site, templates: &Templates) -> Selection {
        let with_notice = templates.listings_show_notice();
        let by_slug = |s: &'_ Site| -> BTreeMap<String, usize> {
            s.notices
                .iter()
                .enumerate()
                .map(|(i, n)| (n.slug.clone(), i))
                .collect()
        };
        let (o, n) = (by_slug(old), by_slug(new));
        let same_order = old.notices.len() == new.notices.len()
            && old
                .notices
                .iter()
                .zip(&new.notices)
                .all(|(a, b)| a.slug == b.slug);
        let mut sel = Selection::default();
        let touch_all = |sel: &mut Selection, notice: &Notice| {
            sel.notices.insert(notice.slug.clone());
            for p in notice.lists.iter().flat_map(|l| &l.programs) {
                sel.groups[0].insert(p.organizer.clone());
                if let Some(c) = &p.category {
                    sel.groups[1].insert(c.clone());
                }
            }
        };
        for (slug, &i) in &o {
            let (a, b) = match n.get(slug) {
                Some(&j)
                    if Arc::ptr_eq(&old.notices[i], &new.notices[j])
                        || old.notices[i] == new.notices[j] =>
                {
                    continue
                }
                Some(&j) => (&old.notices[i], &new.notices[j]),
                None => {
                    touch_all(&mut sel, &old.notices[i]);
                    continue;
                }
            };
            if !same_order {
                touch_all(&mut sel, a);
                touch_all(&mut sel, b);
                continue;
            }
            sel.notices.insert(slug.clone());
            let (before, after) = (
                items_by_group(a, with_notice),
                items_by_group(b, with_notice),
            );
            for (key, items) in before.iter().chain(&after) {
                if before.get(key) != Some(items) || after.get(key) != Some(items) {
                    sel.groups[key.0].insert(key.1.to_string());
                }
            }
        }
        for (slug, &j) in &n {
            if !o.contains_key(slug) {
                touch_all(&mut sel, &new.notices[j]);
            }
        }
        sel
    }

    fn has_notice(&self, n: &Notice) -> bool {
        self.notices.contains(&n.slug)
    }

    fn has_group(&self, kind: usize, name: &str) -> bool {
        self.groups[kind].contains(name)
    }
}

/// Group pages listing more programs than this render one at a time (see
/// [`render_selected`]).
const BIG_PAGE: usize = 5_000;

/// Renders the whole site into `sink`; returns the number of files.
pub fn render_into(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    sink: &dyn Sink,
) -> Result<usize, TemplateError> {
    render_selected(site, templates, opts, sink, None)
}

/// Like [`render_into`], but with a [`Selection`] the notice and group pages outside it
/// are not rendered: the sink is told to [`Sink::keep`] them.
pub fn render_selected(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    sink: &dyn Sink,
    only: Option<&Selection>,
) -> Result<usize, TemplateError> {
    let out = Counting {
        inner: sink,
        root: opts.root_path(site),
        files: AtomicUsize::new(0),
    };

    // The organizer and category pages list programs by position; their views are
    // made only while the page renders.
    // (Hashed, not ordered: the pinyin order below is a total order of the names.)
    let mut by_name: [HashMap<&str, Vec<ProgramAt>>; 2] = Default::default();
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

    let years = years::by_year(site);
    let mut jobs = vec![Job::Index];
    jobs.extend(
        (0..years.len())
            .filter(|&i| years::has_page(years[i].1.len()))
            .map(Job::Year),
    );
    jobs.extend(site.notices.iter().map(|n| Job::Notice(n)));
    for (k, g) in groups.iter().enumerate() {
        jobs.push(Job::GroupsRoot(k));
        jobs.extend(g.iter().map(|(name, at)| Job::Group(k, name, at)));
    }
    // Largest first, so that the last job to finish is a small one; the page order of
    // the sitemap is the order of `jobs` before this sort.
    let cost = |j: &Job| match j {
        Job::Index | Job::GroupsRoot(_) => site.notices.len(),
        Job::Year(i) => years[*i].1.len(),
        Job::Notice(n) => n.lists.iter().map(|l| l.programs.len() * 2 + 1).sum(),
        Job::Group(_, _, at) => at.len(),
    };
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&jobs[i])));
    // At most one page of more than BIG_PAGE programs renders at a time: such a page's
    // context and text are the largest things a build holds besides the model.
    // The search index is built beside the pages, on a thread of its own, and written
    // from there too, so that the pages never wait for it.
    let (done, version) = std::thread::scope(|scope| {
        let index = (!opts.without_search).then(|| {
            scope.spawn(|| -> Result<String, TemplateError> {
                let t = std::time::Instant::now();
                let index = crate::render::search::build(&crate::render::search::Corpus::of(site));
                let built = t.elapsed();
                // The index goes under a folder named by its content, which the search page
                // names: a page never reads the shards of another deploy.
                let version = crate::render::search::version(&index);
                let dir = format!("search/{version}/");
                for f in index {
                    let path = f.path.replacen("search/", &dir, 1);
                    out.put(path, f.bytes)?;
                }
                if std::env::var_os("SITE_GEN_TIMINGS").is_some() {
                    eprintln!(
                        "timings: search index built {built:?}, written {:?}, on its own thread",
                        t.elapsed() - built
                    );
                }
                Ok(version)
            })
        });
        let done = crate::par::map_dynamic_one_big(
            &order,
            |&i| matches!(jobs[i], Job::Group(..)) && cost(&jobs[i]) > BIG_PAGE,
            |&i| render_job(site, templates, opts, &groups, &jobs[i], &out, only),
        );
        let version = index.map_or(Ok(String::new()), |index| {
            index
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (done, version)
    });
    let version = version?;
    let mut pages: Vec<Vec<String>> = std::iter::repeat_with(Vec::new).take(jobs.len()).collect();
    for (&i, r) in order.iter().zip(done) {
        pages[i] = r?;
    }
    let mut pages: Vec<String> = pages.into_iter().flatten().collect();
    templates.trim_rows(site);

    // The pages left at notices' former addresses (not in the sitemap).
    for (path, html) in redirects::pages(site) {
        out.put(path, html)?;
    }

    // Forms (owned by forms_page).
    for f in forms_page::render_all(site, templates, opts)? {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.put(f.path, f.bytes)?;
    }

    // Survey hand-in: posters and the collection page (owned by handin_pages).
    handin_pages::render_all(site, templates, opts, &mut |f| {
        if f.path.ends_with("index.html") {
            pages.push(format!("/{}", f.path.trim_end_matches("index.html")));
        }
        out.put(f.path, f.bytes)
    })?;

    // The search page (crate::search), which reads the index above.
    let mut ctx = base_context(site, opts, crate::render::search::PAGE);
    ctx.insert("description", &describe::search(site));
    ctx.insert(
        "search_index",
        &format!("{}{version}/meta.json", crate::render::search::PAGE),
    );
    let page = templates.render_bytes("search.html", &ctx)?;
    out.put(urls::file_for(crate::render::search::PAGE), page)?;

    // 404, feeds, assets.
    let mut ctx = base_context(site, opts, "/404.html");
    ctx.insert("description", &describe::not_found(site));
    out.put("404.html", templates.render_bytes("404.html", &ctx)?)?;
    out.put("sitemap.xml", feeds::sitemap(site, &pages))?;
    out.put("atom.xml", feeds::atom(site))?;
    for (name, src) in ASSETS {
        out.put(format!("assets/{name}"), *src)?;
    }
    if opts.livereload {
        out.put(LIVERELOAD_PATH, LIVERELOAD_JS)?;
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
    only: Option<&Selection>,
) -> Result<Vec<String>, TemplateError> {
    match *job {
        Job::Index => {
            let mut ctx = base_context(site, opts, "/");
            let years = years::by_year(site);
            ctx.insert("years", &years::home(&years));
            ctx.insert("year_links", &years::links(&years, None));
            ctx.insert("description", &describe::home(site));
            out.put("index.html", templates.render_bytes("index.html", &ctx)?)?;
            Ok(vec!["/".into()])
        }
        Job::Year(i) => {
            // Grouping the notices by year is one pass over them: cheaper than a
            // parameter more for every job.
            let years = years::by_year(site);
            let (year, list) = &years[i];
            let path = urls::year(year);
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("year", &years::page(year, list));
            ctx.insert("year_links", &years::links(&years, Some(year)));
            ctx.insert("description", &describe::year(site, year, list.len()));
            out.put(
                urls::file_for(&path),
                templates.render_bytes("year.html", &ctx)?,
            )?;
            Ok(vec![path])
        }
        Job::Notice(n) if only.is_some_and(|sel| !sel.has_notice(n)) => {
            let (files, pages) = notice_files(n);
            for f in &files {
                out.keep(f)?;
            }
            Ok(pages)
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
            ctx.insert(
                "description",
                &describe::groups(title, summaries.iter().map(|g| g.name.as_str())),
            );
            out.put(
                urls::file_for(root),
                templates.render_bytes("groups.html", &ctx)?,
            )?;
            Ok(vec![root.to_string()])
        }
        Job::Group(k, name, _) if only.is_some_and(|sel| !sel.has_group(k, name)) => {
            let path = format!("{}{}/", GROUP_KINDS[k].2, urls::segment(name));
            out.keep(&urls::file_for(&path))?;
            Ok(vec![path])
        }
        Job::Group(k, name, at) => {
            let root = GROUP_KINDS[k].2;
            let path = format!("{root}{}/", urls::segment(name));
            let splice = templates.splices_rows();
            let page = group_page(site, templates, opts, k, name, at, &path, splice)?;
            out.put(urls::file_for(&path), page)?;
            Ok(vec![path])
        }
    }
}

/// An organizer's or category's page. Its rows are rendered one by one (or taken from
/// those kept, see [`Templates::render_row`]); with the embedded templates the page is
/// then rendered around two placeholder rows and the real rows put in their place
/// ([`splice_rows`]), so that a page of 2,000 rows costs 2,000 copies of their text,
/// not a template context holding all of them (`splice`, [`Templates::splices_rows`]).
/// The bytes are the same either way.
#[allow(clippy::too_many_arguments)]
fn group_page(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    k: usize,
    name: &str,
    at: &[ProgramAt],
    path: &str,
    splice: bool,
) -> Result<Vec<u8>, TemplateError> {
    let (kind, title, _, to_url) = GROUP_KINDS[k];
    let program = |&(ni, li, pi): &ProgramAt| &site.notices[ni].lists[li].programs[pi];
    let columns = views::GroupColumns::new(kind, at.iter().map(program));
    let rows = group_rows(site, templates, at, &columns)?;
    let render = |rows: Vec<&str>| {
        let group = views::GroupView {
            name: name.to_string(),
            url: to_url(name),
            count: at.len(),
            rows,
            columns,
        };
        let mut ctx = base_context(site, opts, path);
        ctx.insert("kind", kind);
        ctx.insert("title", title);
        ctx.insert("group", &group);
        drop(group);
        ctx.insert(
            "description",
            &describe::group(kind, name, at.len(), at.iter().map(|a| &*program(a).name)),
        );
        templates.render_bytes("group.html", &ctx)
    };
    if splice {
        let frame = render(ROW_PLACEHOLDERS.to_vec())?;
        if let Some(page) = splice_rows(&frame, &rows) {
            return Ok(page);
        }
    }
    render(rows.iter().map(|r| &**r).collect())
}

/// The two rows a group page is rendered with before [`splice_rows`]: text that no
/// escaped name can contain (`<` is always escaped in text).
const ROW_PLACEHOLDERS: [&str; 2] = ["<!--site-gen row 1-->", "<!--site-gen row 2-->"];

/// `frame`, a page rendered with the rows [`ROW_PLACEHOLDERS`], with `rows` in their
/// place: what comes before the first placeholder, then each row followed by what
/// follows each placeholder in the table (the text between the two), then the rest.
/// `None` unless each placeholder is in `frame` exactly once, in order, and the second
/// is followed by the same text as the first.
fn splice_rows(frame: &[u8], rows: &[Arc<str>]) -> Option<Vec<u8>> {
    let [one, two] = ROW_PLACEHOLDERS.map(str::as_bytes);
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let a = find(frame, one)?;
    let after_one = a + one.len();
    let b = after_one + find(&frame[after_one..], two)?;
    let after_two = b + two.len();
    let sep = &frame[after_one..b];
    let rest = frame[after_two..].strip_prefix(sep)?;
    let again = |part: &[u8]| find(part, one).is_some() || find(part, two).is_some();
    if again(&frame[..a]) || again(rest) {
        return None;
    }
    let size = a + rest.len() + rows.iter().map(|r| r.len() + sep.len()).sum::<usize>();
    let mut page = Vec::with_capacity(size);
    page.extend_from_slice(&frame[..a]);
    for r in rows {
        page.extend_from_slice(r.as_bytes());
        page.extend_from_slice(sep);
    }
    page.extend_from_slice(rest);
    Some(page)
}

/// The table rows of a group page, each rendered from `program-row.html` with its
/// program's listing item (made only for that row) unless the templates kept it from
/// before; a large page's rows on all cores.
fn group_rows(
    site: &Site,
    templates: &Templates,
    at: &[ProgramAt],
    columns: &views::GroupColumns,
) -> Result<Vec<Arc<str>>, TemplateError> {
    let row = |&(ni, li, pi): &ProgramAt| templates.render_row(&site.notices[ni], li, pi, columns);
    crate::par::map(at, ROWS_IN_PARALLEL, row)
        .into_iter()
        .collect()
}

/// A group page with at least this many rows renders them on all cores.
const ROWS_IN_PARALLEL: usize = 1_000;

/// The files [`render_notice`] writes for `n`, and its page paths, in its order.
fn notice_files(n: &Notice) -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    let mut pages = vec![urls::notice(&n.slug)];
    files.push(urls::file_for(&pages[0]));
    for l in &n.lists {
        for ext in LIST_FORMATS {
            for slug in std::iter::once(&n.slug).chain(&n.former_slugs) {
                files.push(urls::file_for(&urls::list_file(slug, &l.id, ext)));
            }
        }
        for i in 0..l.programs.len() {
            let path = urls::program(&n.slug, &l.id, i + 1);
            files.push(urls::file_for(&path));
            pages.push(path);
        }
    }
    (files, pages)
}

/// The downloads of each plan list, as file extensions.
const LIST_FORMATS: [&str; 3] = ["csv", "json", "xlsx"];

/// Renders a notice, its lists' downloads and its program pages into `out`; returns
/// the page paths. Each download is also written, the same bytes, at its address under
/// each of the notice's former slugs: a static host cannot send a `.csv` on as a page
/// does (render::redirects), and a copy works on every host.
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
    ctx.insert("description", &describe::notice(n));
    out.put(
        urls::file_for(&path),
        templates.render_bytes("notice.html", &ctx)?,
    )?;
    pages.push(path);
    for l in &n.lists {
        for ext in LIST_FORMATS {
            let bytes = match ext {
                "csv" => lists::csv(l),
                "json" => lists::json(n, l, &out.root),
                _ => lists::xlsx(l),
            };
            for old in &n.former_slugs {
                out.put(
                    urls::file_for(&urls::list_file(old, &l.id, ext)),
                    bytes.clone(),
                )?;
            }
            out.put(urls::file_for(&urls::list_file(&n.slug, &l.id, ext)), bytes)?;
        }
        for (i, p) in l.programs.iter().enumerate() {
            let path = urls::program(&n.slug, &l.id, i + 1);
            let mut ctx = base_context(site, opts, &path);
            ctx.insert("program", &views::program(n, l, i, p));
            ctx.insert("description", &describe::program(n, l, i, p));
            ctx.insert("survey", &handin_pages::survey_link(site, n, &l.id, i + 1));
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
    use super::*;

    #[test]
    fn a_group_page_put_together_from_its_rows_is_the_page_rendered_with_them() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::generate(dir.path(), 3, 12).unwrap();
        let site = crate::content::validate(&crate::content::load(dir.path()).unwrap()).unwrap();
        let templates = Templates::embedded().unwrap();
        assert!(templates.splices_rows());
        let opts = Options::default();
        let mut pages = 0;
        for (k, (_, _, root, _)) in GROUP_KINDS.iter().enumerate() {
            let mut by_name: BTreeMap<&str, Vec<ProgramAt>> = BTreeMap::new();
            for (ni, n) in site.notices.iter().enumerate() {
                for (li, l) in n.lists.iter().enumerate() {
                    for (pi, p) in l.programs.iter().enumerate() {
                        let name = if k == 0 {
                            Some(&p.organizer)
                        } else {
                            p.category.as_ref()
                        };
                        if let Some(name) = name {
                            by_name.entry(name).or_default().push((ni, li, pi));
                        }
                    }
                }
            }
            for (name, at) in by_name {
                let path = format!("{root}{}/", urls::segment(name));
                let page = |splice| {
                    group_page(&site, &templates, &opts, k, name, &at, &path, splice).unwrap()
                };
                let (spliced, rendered) = (page(true), page(false));
                assert_eq!(
                    String::from_utf8(spliced).unwrap(),
                    String::from_utf8(rendered).unwrap(),
                    "{path}"
                );
                pages += 1;
            }
        }
        assert!(pages > 30, "{pages}");
    }

    #[test]
    fn rows_are_not_spliced_into_a_frame_that_does_not_hold_each_placeholder_once() {
        let rows: Vec<Arc<str>> = vec!["<tr>1</tr>".into(), "<tr>2</tr>".into()];
        let [one, two] = ROW_PLACEHOLDERS;
        let ok = format!("<t>{one}\n{two}\n</t>");
        assert_eq!(
            splice_rows(ok.as_bytes(), &rows).unwrap(),
            b"<t><tr>1</tr>\n<tr>2</tr>\n</t>"
        );
        for bad in [
            format!("<t>{one}\n</t>"),
            format!("<t>{two}\n{one}\n</t>"),
            format!("<t>{one}\n{two}</t>"),
            format!("<t>{one}\n{two}\n</t>{one}"),
            format!("{two}<t>{one}\n{two}\n</t>"),
        ] {
            assert_eq!(splice_rows(bad.as_bytes(), &rows), None, "{bad}");
        }
    }

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
