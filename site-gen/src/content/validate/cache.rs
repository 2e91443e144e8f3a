//! The notice files as checked, kept from one validation to the next (`serve` re-validates
//! after every edit).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::content::load::{Raw, SourceFile};
use crate::content::model::Notice;

use super::md_links::MdSource;

/// The notice files as checked, kept from one validation to the next (`serve`
/// validates after every edit): a file whose text, body file, and the forms and
/// calendars it was checked against have not changed is neither parsed nor checked
/// again, and its [`Notice`] is shared with the site validated before. The checks that
/// span files (duplicate slugs, internal links, output paths) run every time.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// The form and calendar files (path, text) that `files` were checked against.
    context: Mutex<Vec<(PathBuf, String)>>,
    files: Mutex<HashMap<PathBuf, Checked>>,
}

/// One notice file that passed its own checks.
#[derive(Debug)]
struct Checked {
    text: String,
    /// The `body_file` it read (path, text), if any.
    body: Option<(PathBuf, String)>,
    notice: Arc<Notice>,
    /// Its Markdown for the link checks: whether from the body file, the TOML string
    /// token, the Markdown, the pages showing it.
    md: Vec<(bool, Option<usize>, String, Vec<String>)>,
}

impl ParseCache {
    fn lock_files(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Checked>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every file when the forms or calendars differ from those it was
    /// checked against.
    pub(super) fn set_context(&self, raw: &Raw) {
        let now: Vec<(PathBuf, String)> = raw
            .forms
            .iter()
            .chain(&raw.calendars)
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        let mut context = self.context.lock().unwrap_or_else(|p| p.into_inner());
        if *context != now {
            self.lock_files().clear();
            *context = now;
        }
    }

    /// The notice of `file` and its Markdown, when checked before with the same text
    /// and body file.
    pub(super) fn get<'a>(
        &self,
        raw: &'a Raw,
        file: &'a SourceFile,
    ) -> Option<(Arc<Notice>, Vec<MdSource<'a>>)> {
        let files = self.lock_files();
        let hit = files.get(&file.path).filter(|c| c.text == file.text)?;
        let body = match &hit.body {
            None => None,
            Some((path, text)) => Some(
                raw.bodies
                    .iter()
                    .find(|b| b.path == *path && b.text == *text)?,
            ),
        };
        let mut md = Vec::with_capacity(hit.md.len());
        for (in_body, toml_token, text, pages) in &hit.md {
            let src = if *in_body { body? } else { file };
            md.push(MdSource {
                path: &src.path,
                text: &src.text,
                toml_token: *toml_token,
                md: text.clone(),
                pages: pages.clone(),
            });
        }
        Some((Arc::clone(&hit.notice), md))
    }

    pub(super) fn put(&self, file: &SourceFile, notice: &Arc<Notice>, md: &[MdSource<'_>]) {
        let body = md
            .iter()
            .find(|m| m.path != file.path)
            .map(|m| (m.path.to_path_buf(), m.text.to_string()));
        let checked = Checked {
            text: file.text.clone(),
            body,
            notice: Arc::clone(notice),
            md: md
                .iter()
                .map(|m| {
                    (
                        m.path != file.path,
                        m.toml_token,
                        m.md.clone(),
                        m.pages.clone(),
                    )
                })
                .collect(),
        };
        self.lock_files().insert(file.path.clone(), checked);
    }

    /// Forgets the files that are gone.
    pub(super) fn retain(&self, files: &[SourceFile]) {
        let keep: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
        self.lock_files()
            .retain(|path, _| keep.contains(path.as_path()));
    }
}
