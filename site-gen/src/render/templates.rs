//! Templates: tera, embedded in the binary, overridable file by file.
//!
//! The defaults live in `site-gen/templates/` and are compiled in with `include_str!`.
//! A `templates/` folder beside `content/` may hold any of the same file names; each
//! one found replaces the embedded default of that name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::fsx::{self, FsError};

/// The embedded defaults (name, source).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("notice.html", include_str!("../../templates/notice.html")),
    ("program.html", include_str!("../../templates/program.html")),
    ("groups.html", include_str!("../../templates/groups.html")),
    ("group.html", include_str!("../../templates/group.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("template error: {0}")]
    Tera(String),
}

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
    /// Which names came from the override folder.
    pub overridden: Vec<PathBuf>,
}

/// HTML escaping for attribute and text content (`&`, `<`, `>`, `"`, `'`); unlike
/// tera's default it leaves `/` alone so URLs stay readable.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Templates {
    /// The embedded defaults only.
    pub fn embedded() -> Result<Self, TemplateError> {
        Self::build(HashMap::new(), Vec::new())
    }

    /// Embedded defaults, each replaced by `<override_dir>/<name>` where that exists.
    pub fn load(override_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut sources = HashMap::new();
        let mut overridden = Vec::new();
        if let Some(dir) = override_dir {
            let names = EMBEDDED
                .iter()
                .chain(crate::forms_page::TEMPLATES.iter())
                .chain(crate::handin_pages::TEMPLATES.iter())
                .map(|(n, _)| *n);
            for name in names {
                let p = dir.join(name);
                if p.is_file() {
                    sources.insert(name.to_string(), fsx::read_to_string(&p)?);
                    overridden.push(p);
                }
            }
        }
        Self::build(sources, overridden)
    }

    /// The override folder for a content folder: `templates/` beside it.
    pub fn override_dir_for(content: &Path) -> Option<PathBuf> {
        content.parent().map(|p| p.join("templates"))
    }

    fn build(
        overrides: HashMap<String, String>,
        overridden: Vec<PathBuf>,
    ) -> Result<Self, TemplateError> {
        let mut tera = Tera::default();
        let all: Vec<(String, String)> = EMBEDDED
            .iter()
            .chain(crate::forms_page::TEMPLATES.iter())
            .chain(crate::handin_pages::TEMPLATES.iter())
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
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        Ok(Templates { tera, overridden })
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, TemplateError> {
        self.tera
            .render(name, ctx)
            .map_err(|e| TemplateError::Tera(format!("{name}: {}", chain(&e))))
    }
}
