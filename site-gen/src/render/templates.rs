//! Templates: tera, embedded in the binary, overridable file by file.
//!
//! The defaults live in `site-gen/templates/` and are compiled in with `include_str!`.
//! A `templates/` folder beside `content/` may hold any of the same file names; each
//! one found replaces the embedded default of that name. Override files get the rules
//! of content files: a symlink leading out of the site's folder (the one holding
//! `content/` and `templates/`), a dangling link, or anything that is not a plain file
//! (a FIFO, a device, a folder) is an error naming the file. Templates see only what
//! the site gives them: tera's `get_env` is not available to them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tera::{Context, Tera};

use super::views::{self, GroupColumns, GroupRowView};
use crate::content::model::{Notice, Site};
use crate::fsx::{self, FsError};

/// The embedded defaults (name, source).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("notice.html", include_str!("../../templates/notice.html")),
    ("program.html", include_str!("../../templates/program.html")),
    ("groups.html", include_str!("../../templates/groups.html")),
    ("group.html", include_str!("../../templates/group.html")),
    (
        "program-row.html",
        include_str!("../../templates/program-row.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The form pages' templates (`forms_page`).
pub const FORM_TEMPLATES: &[(&str, &str)] = &[
    ("forms.html", include_str!("../../templates/forms.html")),
    ("form.html", include_str!("../../templates/form.html")),
    (
        "form-field.html",
        include_str!("../../templates/form-field.html"),
    ),
    (
        "form-table.html",
        include_str!("../../templates/form-table.html"),
    ),
    (
        "form-matrix.html",
        include_str!("../../templates/form-matrix.html"),
    ),
    (
        "form-counts.html",
        include_str!("../../templates/form-counts.html"),
    ),
    (
        "form-scoring.html",
        include_str!("../../templates/form-scoring.html"),
    ),
];

/// The hand-in pages' templates (`handin_pages`).
pub const HANDIN_TEMPLATES: &[(&str, &str)] = &[
    ("collect.html", include_str!("../../templates/collect.html")),
    ("poster.html", include_str!("../../templates/poster.html")),
];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("template error: {0}")]
    Tera(String),
}

/// The tera functions templates may not call, and why.
const REFUSED_FUNCTIONS: &[(&str, &str)] = &[(
    "get_env",
    "reading the environment could put secrets of the machine that builds the site into its pages",
)];

/// Formats a tera error with its whole chain (tera puts the useful part in `source`).
pub fn chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

pub struct Templates {
    tera: Tera,
    /// The names of the templates replaced by files of the override folder.
    overridden: Vec<String>,
    /// Per template name, the largest page rendered so far: the next buffer starts at
    /// that size instead of growing from nothing.
    sizes: Mutex<HashMap<String, usize>>,
    /// With [`Templates::keeping_rows`]: the group-page rows rendered so far.
    rows: Option<RowCache>,
}

/// Rows of group pages rendered with one set of templates, by notice slug: the notice
/// they were rendered from, and its rows by the table's columns, the list and the
/// program's position in it. A row is made from its program's listing item, which is
/// made from the notice alone, so a row is reused only for the very notice (the same
/// shared [`Notice`], which `serve` keeps for a file that did not change) it was
/// rendered from.
type RowCache = Mutex<HashMap<String, NoticeRows>>;

/// The rows of one notice's programs (see [`RowCache`]).
type NoticeRows = (Arc<Notice>, HashMap<(GroupColumns, usize, usize), Arc<str>>);

/// The kept rows (a panic while rendering elsewhere leaves those there valid).
fn lock_rows(c: &RowCache) -> std::sync::MutexGuard<'_, HashMap<String, NoticeRows>> {
    c.lock().unwrap_or_else(|p| p.into_inner())
}

/// HTML escaping for attribute and text content (`&`, `<`, `>`, `"`, `'`); unlike
/// tera's default it leaves `/` alone so URLs stay readable.
pub fn escape(s: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // Most values have nothing to escape: one scan, one copy.
    let Some(first) = s.bytes().position(|b| special(&b)) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    // The special characters are ASCII, so every split is on a char boundary.
    let mut rest = &s[first..];
    while let Some(i) = rest.bytes().position(|b| special(&b)) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

/// The largest starting buffer of [`Templates::render_bytes`].
const MAX_HINT: usize = 256 * 1024;

impl Templates {
    /// The embedded defaults only.
    pub fn embedded() -> Result<Self, TemplateError> {
        Self::build(HashMap::new())
    }

    /// Embedded defaults, each replaced by `<override_dir>/<name>` where that exists.
    /// The site's folder is the override folder's parent: no override is read from
    /// outside it (see the module's opening).
    pub fn load(override_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut sources = HashMap::new();
        if let Some(dir) = override_dir {
            let site = dir.parent().and_then(|p| std::fs::canonicalize(p).ok());
            let names = EMBEDDED
                .iter()
                .chain(FORM_TEMPLATES.iter())
                .chain(HANDIN_TEMPLATES.iter())
                .map(|(n, _)| *n);
            for name in names {
                let p = dir.join(name);
                if let Some(text) = read_override(&p, site.as_deref())? {
                    refuse_functions(&p, &text)?;
                    sources.insert(name.to_string(), text);
                }
            }
        }
        Self::build(sources)
    }

    /// The override folder for a content folder: `templates/` beside it.
    pub fn override_dir_for(content: &Path) -> Option<PathBuf> {
        content.parent().map(|p| p.join("templates"))
    }

    fn build(overrides: HashMap<String, String>) -> Result<Self, TemplateError> {
        let mut overridden: Vec<String> = overrides.keys().cloned().collect();
        overridden.sort();
        let mut tera = Tera::default();
        let all: Vec<(String, String)> = EMBEDDED
            .iter()
            .chain(FORM_TEMPLATES.iter())
            .chain(HANDIN_TEMPLATES.iter())
            .map(|(name, src)| {
                let src = overrides
                    .get(*name)
                    .cloned()
                    .unwrap_or_else(|| src.to_string());
                (name.to_string(), src)
            })
            .collect();
        tera.add_raw_templates(all)
            .map_err(|e| TemplateError::Tera(chain(&e)))?;
        for (name, why) in REFUSED_FUNCTIONS {
            let message = format!("{name} is not available to templates: {why}");
            tera.register_function(name, move |_: &HashMap<String, tera::Value>| {
                Err(tera::Error::msg(&message))
            });
        }
        tera.register_function("asset_url", crate::render::assets::tera_function);
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        Ok(Templates {
            tera,
            overridden,
            sizes: Mutex::default(),
            rows: None,
        })
    }

    /// These templates, keeping every group-page row they render for the next time the
    /// same row is wanted (`serve`: after an edit, a category page of 2,000 programs is
    /// 2,000 rows of which one or two changed). A build renders each row once and keeps
    /// none.
    pub fn keeping_rows(mut self) -> Self {
        self.rows = Some(Mutex::default());
        self
    }

    /// One row of a group page's table: `program-row.html` with the listing item of
    /// program `pi` of list `li` of `n`, and `group`, without the whitespace around it
    /// (the table puts each row on a line of its own).
    pub fn render_row(
        &self,
        n: &Arc<Notice>,
        li: usize,
        pi: usize,
        group: &GroupColumns,
    ) -> Result<Arc<str>, TemplateError> {
        let key = (*group, li, pi);
        if let Some(c) = &self.rows {
            let c = lock_rows(c);
            let kept = c.get(&n.slug).filter(|(from, _)| Arc::ptr_eq(from, n));
            if let Some(html) = kept.and_then(|(_, rows)| rows.get(&key)) {
                return Ok(Arc::clone(html));
            }
        }
        let l = &n.lists[li];
        let item = views::program_item(n, l, pi, &l.programs[pi]);
        let ctx = Context::from_serialize(GroupRowView { p: &item, group })
            .map_err(|e| TemplateError::Tera(format!("program-row.html: {}", chain(&e))))?;
        let html = self.render("program-row.html", &ctx)?;
        let html: Arc<str> = Arc::from(html.trim());
        if let Some(c) = &self.rows {
            let mut c = lock_rows(c);
            let entry = c
                .entry(n.slug.clone())
                .or_insert_with(|| (Arc::clone(n), HashMap::new()));
            if !Arc::ptr_eq(&entry.0, n) {
                *entry = (Arc::clone(n), HashMap::new());
            }
            entry.1.insert(key, Arc::clone(&html));
        }
        Ok(html)
    }

    /// Forgets the kept rows of notices that `site` no longer has as they were.
    pub fn trim_rows(&self, site: &Site) {
        if let Some(c) = &self.rows {
            let now: HashMap<&str, &Arc<Notice>> =
                site.notices.iter().map(|n| (n.slug.as_str(), n)).collect();
            lock_rows(c).retain(|slug, (from, _)| {
                now.get(slug.as_str()).is_some_and(|n| Arc::ptr_eq(n, from))
            });
        }
    }

    /// Whether a group page can be put together from its rows and the page rendered
    /// around two placeholder rows (see `render::group_page`): true unless one of the
    /// templates that place the rows (`group.html`, the `program_table` macro of
    /// `macros.html`, `base.html`) is overridden, in which case the page is rendered
    /// with all its rows, whatever the override does with them.
    pub fn splices_rows(&self) -> bool {
        !self
            .overridden
            .iter()
            .any(|n| matches!(n.as_str(), "base.html" | "macros.html" | "group.html"))
    }

    /// Whether the organizer and category pages may show the notice of a program they
    /// list (its title and link, `p.notice` of the listing item). Only the rows of
    /// their tables see the items (`program-row.html`), and the embedded one does not
    /// (a row shows the program's plan list and document number): only an override of
    /// it can, so only then does an edit of a notice's title change those pages.
    pub fn listings_show_notice(&self) -> bool {
        self.overridden.iter().any(|n| n == "program-row.html")
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, TemplateError> {
        self.tera
            .render(name, ctx)
            .map_err(|e| TemplateError::Tera(format!("{name}: {}", chain(&e))))
    }

    /// [`Self::render`] as bytes, into a buffer sized from earlier pages of `name`.
    pub fn render_bytes(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, TemplateError> {
        let sizes = || self.sizes.lock().unwrap_or_else(|p| p.into_inner());
        let hint = sizes().get(name).copied().unwrap_or(4096);
        let mut out = Vec::with_capacity(hint);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| TemplateError::Tera(format!("{name}: {}", chain(&e))))?;
        // Capped, so that one very large page does not make every later page of the
        // same template reserve as much.
        if out.len() > hint && hint < MAX_HINT {
            sizes().insert(name.to_string(), out.len().min(MAX_HINT));
        }
        Ok(out)
    }
}

/// The text of the override file `path`, if there is one; an error when it is not a
/// plain file inside `site` (the site's real folder) or cannot be read.
fn read_override(path: &Path, site: Option<&Path>) -> Result<Option<String>, TemplateError> {
    let refuse = |why: String| Err(TemplateError::Tera(format!("{}: {why}", path.display())));
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return refuse(format!("cannot read this template override ({e})")),
    };
    let real = match std::fs::canonicalize(path) {
        Ok(r) => r,
        Err(_) => {
            let to =
                std::fs::read_link(path).map_or_else(|_| "?".into(), |l| l.display().to_string());
            return refuse(format!(
                "this template override is a symlink to {to}, which does not exist; remove the link or copy the template there"
            ));
        }
    };
    if site.is_none_or(|s| !real.starts_with(s)) {
        return refuse(format!(
            "this template override {}leads to {}, outside the site's folder: nothing outside it is read into the site; copy the template into templates/ instead",
            if meta.file_type().is_symlink() { "is a symlink that " } else { "" },
            real.display()
        ));
    }
    let meta = std::fs::metadata(path).map_err(|e| {
        TemplateError::Tera(format!(
            "{}: cannot read this template override ({e})",
            path.display()
        ))
    })?;
    if !meta.is_file() {
        return refuse(format!(
            "this template override is {}, not a file: expected a tera template saved as UTF-8 text",
            crate::fsx::kind_of(&meta)
        ));
    }
    fsx::read_to_string(path)
        .map(Some)
        .map_err(TemplateError::Fs)
}

/// An override that calls a function of [`REFUSED_FUNCTIONS`] is refused, naming the
/// line, whether or not the call would be reached while rendering.
fn refuse_functions(path: &Path, text: &str) -> Result<(), TemplateError> {
    for (name, why) in REFUSED_FUNCTIONS {
        let found = text.match_indices(name).find(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + name.len()..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
        });
        if let Some((i, _)) = found {
            let (line, column, _) = crate::content::diag::position(text, i);
            return Err(TemplateError::Tera(format!(
                "{}:{line}:{column}: {name} is not available to templates: {why}",
                path.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape("测试/a-b"), "测试/a-b");
        assert_eq!(
            escape("<a href=\"x\">'李'&王</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;李&#39;&amp;王&lt;/a&gt;"
        );
        assert_eq!(escape("&"), "&amp;");
        assert_eq!(escape(""), "");
    }
}
