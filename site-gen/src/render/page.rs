//! What every page shares: the files rendering gives out and where they go ([`Sink`]),
//! the rendering switches, the context every page starts from and the one place that
//! puts links under the site's folder ([`rebase`]).

use std::sync::Mutex;

use tera::Context;

use super::{templates, views};
use crate::content::handin::has_offline_worker;
use crate::content::model::Site;
use crate::fsx::FsError;

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

    /// A file of the site that [`render_selected`](super::render_selected) did not render because nothing it is
    /// made from changed: the sink's earlier copy stays as it is.
    fn keep(&self, _path: &str) -> Result<(), FsError> {
        Ok(())
    }

    /// Puts the file `from` of the output this one replaces or updates at `path`, without
    /// reading it (the compressed copies of a page that did not change); false, and
    /// nothing done, when this sink cannot.
    fn reuse(&self, _path: &str, _from: &std::path::Path) -> Result<bool, FsError> {
        Ok(false)
    }
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

/// Rendering switches.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Add the live-reload script (only `site-gen serve` sets this). Serving previews the
    /// site at the root of 127.0.0.1, so links are then not put under `base_url`'s path.
    pub livereload: bool,
    /// Leave the search index out (only to measure what it costs: `bench_search` times
    /// the render with and without it).
    pub without_search: bool,
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
    // `base_url` is checked to need no escaping; escaped all the same, as it goes into
    // attributes.
    let root = templates::escape(root);
    let root = root.as_str();
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

/// The context every page starts from: `site`, `livereload`, `page_path`.
pub fn base_context(site: &Site, opts: &Options, page_path: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &views::site(site));
    ctx.insert("livereload", &opts.livereload);
    ctx.insert("page_path", page_path);
    ctx.insert("offline_worker", &has_offline_worker(site, page_path));
    ctx
}
