//! Offline workers (shared/spec/handin.md's classrooms with poor Wi-Fi): the survey page
//! and its collection page each get a service worker, `sw.js` in the page's folder, so
//! that once visited they open and work with no connection.
//!
//! What a worker keeps is found from the built files themselves, not listed by hand: the
//! page's own stylesheets and scripts (`href`/`src` of the site), the engine bundle its
//! `data-engine` attribute names, and, followed file by file, every `.js`, `.wasm`,
//! `.css` or `.svg` of the site that a script or stylesheet names in a string or `url()`
//! (static and dynamic imports, wasm-bindgen's `new URL('…_bg.wasm', import.meta.url)`).
//! The worker script ([`WORKER_JS`]) is the same for every page; one line before it sets
//! the page's version (a CRC-32 of every file listed, so a new build with any changed
//! file installs afresh) and the files, relative to the worker, so that the site works
//! under any `base_url` path. The worker answers from the network first and from its copy
//! only when the network fails, so a page online (a `serve` preview included) is always
//! the latest build.
//!
//! The workers are made by a pass over the files a build writes ([`Pass`], a sink the
//! build puts in front of its output), once they are all rendered: rendering knows only
//! which pages register one ([`crate::content::handin::has_offline_worker`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use crate::content::handin::offline_pages;
use crate::content::model::Site;
use crate::fsx::FsError;
use crate::render::{OutputFile, Sink, LIVERELOAD_PATH};
use crate::urls::{self, resolve};

/// The worker's logic (site-gen/assets/offline-worker.js, as [`site_scripts`] serves it).
pub const WORKER_JS: &str = site_scripts::OFFLINE_WORKER_JS;

/// The registration script the two pages load (`assets/offline.js`, as served).
pub const REGISTER_JS: &str = site_scripts::OFFLINE_JS;

/// The extensions a page's worker keeps when a file names them.
const KEPT: &[&str] = &[".js", ".wasm", ".css", ".svg"];

/// The pass over a build's files that writes the offline workers: a [`Sink`] that hands
/// every file on to the sink it wraps and keeps what the workers need (the pages that
/// get one, [`offline_pages`], and every file under `assets/`); [`Pass::finish`] then
/// writes the registration script and a worker per page seen. Rendering never calls it.
pub struct Pass<'a> {
    inner: &'a dyn Sink,
    /// The folder the site's links are under (`/` or `base_url`'s path, see
    /// [`crate::render::rebase`]).
    root: String,
    pages: Vec<String>,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    html: Vec<(String, Vec<u8>)>,
    assets: BTreeMap<String, Vec<u8>>,
}

impl<'a> Pass<'a> {
    /// For the pages of `site` that get a worker, whose links are under `root`; the files
    /// go on to `inner`.
    pub fn new(site: &Site, root: &str, inner: &'a dyn Sink) -> Self {
        Pass {
            inner,
            root: root.to_string(),
            pages: offline_pages(site),
            seen: Mutex::default(),
        }
    }

    /// A file the build writes (path under `dist/`).
    fn see(&self, path: &str, bytes: &[u8]) {
        // serve's live-reload client is never kept: offline there is nothing to reload.
        if self.pages.is_empty() || path == LIVERELOAD_PATH {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if path.starts_with("assets/") {
            seen.assets.insert(path.to_string(), bytes.to_vec());
        } else if let Some(page) = self.pages.iter().find(|p| urls::file_for(p) == path) {
            seen.html.push((page.clone(), bytes.to_vec()));
        }
    }

    /// Writes `assets/offline.js` and a worker per page seen into the wrapped sink
    /// (nothing when no page has one); returns the number of files written.
    pub fn finish(self) -> Result<usize, FsError> {
        let mut seen = self.seen.into_inner().unwrap_or_else(|p| p.into_inner());
        if seen.html.is_empty() {
            return Ok(0);
        }
        // The registration script under its hashed name, as the pages link it.
        let (register, bytes) = crate::render::assets::output(
            "assets/offline.js".into(),
            REGISTER_JS.as_bytes().to_vec(),
        );
        seen.assets.insert(register.clone(), bytes.clone());
        let files: BTreeMap<String, &[u8]> = seen
            .assets
            .iter()
            .map(|(p, b)| (p.clone(), b.as_slice()))
            .collect();
        self.inner.put(OutputFile::new(register, bytes))?;
        for (page, html) in &seen.html {
            self.inner.put(worker(page, &self.root, html, &files))?;
        }
        Ok(1 + seen.html.len())
    }
}

impl Sink for Pass<'_> {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.see(&file.path, &file.bytes);
        self.inner.put(file)
    }

    fn keep(&self, path: &str) -> Result<(), FsError> {
        self.inner.keep(path)
    }
}

/// The worker of the page at `page` (a folder path such as `/forms/wenzhou-survey/`)
/// whose HTML is `html`, with the site's links under `root`; `files` are the site's
/// built files by path under `dist/`.
pub fn worker(page: &str, root: &str, html: &[u8], files: &BTreeMap<String, &[u8]>) -> OutputFile {
    let dir = page.trim_start_matches('/');
    let listed = reachable(&String::from_utf8_lossy(html), root, files);
    let mut crc = wasm_forms::crc32::Crc32::new();
    crc.update(html);
    crc.update(WORKER_JS.as_bytes());
    let mut rel = vec!["./".to_string()];
    for path in &listed {
        crc.update(path.as_bytes());
        if let Some(bytes) = files.get(path) {
            crc.update(bytes);
        }
        rel.push(relative(dir, path));
    }
    let config = serde_json::json!({
        "version": format!("{:08x}", crc.finalize()),
        "files": rel,
    });
    OutputFile::new(
        format!("{dir}sw.js"),
        format!("self.OFFLINE = {config};\n{WORKER_JS}"),
    )
}

/// The site files (paths under `dist/`) the page, whose links are under `root`, can
/// load, in path order.
fn reachable(html: &str, root: &str, files: &BTreeMap<String, &[u8]>) -> BTreeSet<String> {
    let mut todo: Vec<String> = Vec::new();
    for attr in ["src", "href"] {
        for value in attribute_values(html, attr) {
            if let Some(path) = value.strip_prefix(root) {
                todo.push(path.to_string());
            }
        }
    }
    // forms.js loads `assets/wasm/<data-engine>.js`, the bundle the page names.
    for engine in attribute_values(html, "data-engine") {
        todo.push(format!("assets/wasm/{engine}.js"));
    }
    let mut seen = BTreeSet::new();
    while let Some(path) = todo.pop() {
        if !KEPT.iter().any(|ext| path.ends_with(ext)) || !files.contains_key(&path) {
            continue;
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        if path.ends_with(".js") || path.ends_with(".css") {
            let dir = path.rfind('/').map_or("", |i| &path[..=i]);
            let text = String::from_utf8_lossy(files[&path]);
            for name in named_files(&text) {
                todo.push(resolve(dir, name));
            }
        }
    }
    seen
}

/// The values of `attr="…"` in `html` (attribute names are preceded by a space).
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The file names a script or stylesheet names: quoted strings and `url(…)` values that
/// end in one of [`KEPT`]'s extensions and contain no space or template placeholder.
fn named_files(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        let close = match c {
            '"' | '\'' | '`' => c,
            '(' if text[..i].ends_with("url") => ')',
            _ => continue,
        };
        let rest = &text[i + 1..];
        let Some(end) = rest.find([close, '\n']) else {
            continue;
        };
        let name = rest[..end].trim_matches(['"', '\'']);
        if KEPT.iter().any(|ext| name.ends_with(ext))
            && !name.contains([' ', '$', '{', '\\'])
            && !name.contains("://")
        {
            out.push(name);
        }
    }
    out
}

/// `path` (under `dist/`) relative to the folder `dir` (`forms/x/`).
fn relative(dir: &str, path: &str) -> String {
    let depth = dir.split('/').filter(|p| !p.is_empty()).count();
    format!("{}{path}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site<'a>(files: &[(&str, &'a str)]) -> BTreeMap<String, &'a [u8]> {
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes()))
            .collect()
    }

    #[test]
    fn follows_the_page_its_scripts_and_their_wasm() {
        let files = site(&[
            ("assets/style.css", "body{background:url(\"bg.svg\")}"),
            ("assets/bg.svg", "<svg/>"),
            (
                "assets/forms.js",
                "import { el } from \"./dom.js\"; const m = await import(`./wasm/${app.dataset.engine || \"x\"}.js`); import(\"./later.js\");",
            ),
            ("assets/dom.js", "export function el() {}"),
            ("assets/later.js", "// nothing"),
            (
                "assets/wasm/eng.js",
                "module_or_path = new URL('eng_bg.wasm', import.meta.url);",
            ),
            ("assets/wasm/eng_bg.wasm", "\0asm"),
            ("assets/wasm/other.js", "unused"),
            ("assets/unused.js", "never named"),
        ]);
        let html = r#"<link rel="stylesheet" href="/assets/style.css"><script type="module" src="/assets/forms.js"></script><div data-engine="eng"></div><a href="/notices/">x</a><img src="https://e.org/a.svg">"#;
        let got: Vec<String> = reachable(html, "/", &files).into_iter().collect();
        assert_eq!(
            got,
            [
                "assets/bg.svg",
                "assets/dom.js",
                "assets/forms.js",
                "assets/later.js",
                "assets/style.css",
                "assets/wasm/eng.js",
                "assets/wasm/eng_bg.wasm",
            ]
        );
    }

    #[test]
    fn the_worker_lists_files_relative_to_its_folder_and_versions_them() {
        let js = "x";
        let files = site(&[("assets/a.js", js)]);
        let html = br#"<script src="/assets/a.js"></script>"#;
        let w = worker("/forms/s/", "/", html, &files);
        assert_eq!(w.path, "forms/s/sw.js");
        let text = String::from_utf8(w.bytes).unwrap();
        let first = text.lines().next().unwrap();
        assert!(
            first.contains(r#""files":["./","../../assets/a.js"]"#),
            "{first}"
        );
        assert!(text.ends_with(WORKER_JS));

        // Any change of a listed file changes the version; the same input keeps it.
        let again = worker("/forms/s/", "/", html, &files);
        assert_eq!(again.bytes, text.as_bytes());
        let changed = site(&[("assets/a.js", "y")]);
        let other = String::from_utf8(worker("/forms/s/", "/", html, &changed).bytes).unwrap();
        assert_ne!(other.lines().next(), Some(first));
    }

    #[test]
    fn resolves_names_from_a_folder() {
        assert_eq!(resolve("assets/", "./wasm/x.js"), "assets/wasm/x.js");
        assert_eq!(resolve("assets/wasm/", "../dom.js"), "assets/dom.js");
        assert_eq!(
            resolve("assets/wasm/", "x_bg.wasm"),
            "assets/wasm/x_bg.wasm"
        );
        assert_eq!(resolve("assets/", "/assets/y.css"), "assets/y.css");
        assert_eq!(
            relative("forms/s/collect/", "assets/a.js"),
            "../../../assets/a.js"
        );
    }

    #[test]
    fn a_served_script_names_the_files_its_readable_source_names() {
        // The worker's list is read from the scripts as served: minifying one must not
        // hide a file of the site it loads (or invent one). Comments of the sources name
        // files too (`sw.js`), so only the site's own files are compared.
        let mut site: BTreeSet<String> = crate::render::forms_page::assets()
            .into_iter()
            .map(|(path, _)| path.to_string())
            .collect();
        site.extend(
            crate::render::ASSETS
                .iter()
                .map(|(n, _)| format!("assets/{n}")),
        );
        let named = |text: &str| -> BTreeSet<String> {
            named_files(text)
                .into_iter()
                .map(|name| resolve("assets/", name))
                .filter(|path| site.contains(path))
                .collect()
        };
        let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let mut seen = 0;
        for (name, served, _) in site_scripts::SERVED {
            let source = site_scripts::bundle::source(&assets, name).unwrap();
            let source = String::from_utf8(source).unwrap();
            let want = named(&source);
            assert_eq!(named(served), want, "{name}");
            seen += want.len();
        }
        // forms.js alone names dom.js, forms-score.js and the spreadsheet modules.
        assert!(seen >= 4, "{seen}");
    }
}
