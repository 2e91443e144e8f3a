//! Reading `content/`: every file the site is made of, as text, with its path.
//!
//! No parsing happens here, so that [`super::validate`] can report every syntax error
//! of every file together.

use std::path::{Path, PathBuf};

use super::diag::Diagnostic;
use crate::fsx::{self, FsError};

/// One file of content: the path used in messages and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// The file's stem (a notice's slug, a form's id, a calendar's year).
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Everything read from a content folder.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub dir: PathBuf,
    pub site: Option<SourceFile>,
    pub notices: Vec<SourceFile>,
    /// Markdown files beside the notices (`body_file` targets), by file name.
    pub bodies: Vec<SourceFile>,
    pub forms: Vec<SourceFile>,
    pub calendars: Vec<SourceFile>,
    /// Files that exist but are not UTF-8.
    pub unreadable: Vec<Diagnostic>,
}

/// The content folder itself cannot be read (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("content folder {0} does not exist or is not a folder")]
    NotAFolder(PathBuf),
    #[error(transparent)]
    Fs(#[from] FsError),
}

/// Reads `site.toml`, `notices/*.toml`, `notices/*.md`, `forms/*.toml`,
/// `calendar/*.toml` under `dir`.
pub fn load(dir: &Path) -> Result<Raw, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NotAFolder(dir.to_path_buf()));
    }
    let mut raw = Raw {
        dir: dir.to_path_buf(),
        ..Raw::default()
    };
    let site = dir.join("site.toml");
    if site.is_file() {
        raw.site = read(&site, &mut raw.unreadable)?;
    }
    for p in fsx::list_files(&dir.join("notices"), "toml")? {
        raw.notices.extend(read(&p, &mut raw.unreadable)?);
    }
    for p in fsx::list_files(&dir.join("notices"), "md")? {
        raw.bodies.extend(read(&p, &mut raw.unreadable)?);
    }
    for p in fsx::list_files(&dir.join("forms"), "toml")? {
        raw.forms.extend(read(&p, &mut raw.unreadable)?);
    }
    for p in fsx::list_files(&dir.join("calendar"), "toml")? {
        raw.calendars.extend(read(&p, &mut raw.unreadable)?);
    }
    Ok(raw)
}

fn read(path: &Path, unreadable: &mut Vec<Diagnostic>) -> Result<Option<SourceFile>, FsError> {
    let bytes = fsx::read(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(SourceFile {
            path: path.to_path_buf(),
            text,
        })),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            unreadable.push(Diagnostic::at(
                path,
                &text,
                good..good,
                "file is not valid UTF-8 (content files must be saved as UTF-8)",
            ));
            Ok(None)
        }
    }
}
