//! Reading `content/`: every file the site is made of, as text, with its path.
//!
//! No parsing happens here, so that [`super::validate`] can report every syntax error
//! of every file together. Nothing outside the content folder is ever read: a file
//! reached through a symlink that leads out of it is a content error naming the file,
//! and every read is bounded by [`fsx::MAX_READ`].

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
    let root = std::fs::canonicalize(dir).map_err(|source| FsError {
        action: "cannot read",
        path: dir.to_path_buf(),
        source,
    })?;
    let mut raw = Raw {
        dir: dir.to_path_buf(),
        ..Raw::default()
    };
    let site = dir.join("site.toml");
    if site.is_file() {
        raw.site = read(&root, Some(&root), &site, &mut raw.unreadable)?;
    }
    for (sub, ext, files) in [
        ("notices", "toml", &mut raw.notices),
        ("notices", "md", &mut raw.bodies),
        ("forms", "toml", &mut raw.forms),
        ("calendar", "toml", &mut raw.calendars),
    ] {
        let paths = fsx::list_files(&dir.join(sub), ext)?;
        // Where the folder really is (it may be a symlink itself): its files that are
        // not symlinks are there, without resolving each one's path.
        let real = paths
            .first()
            .and_then(|_| std::fs::canonicalize(dir.join(sub)).ok());
        for p in paths {
            files.extend(read(&root, real.as_deref(), &p, &mut raw.unreadable)?);
        }
    }
    Ok(raw)
}

/// A problem with a whole file (no line of its own to show).
fn file_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message,
        source_line: None,
    }
}

/// Reads `path`, a file of the folder whose real path is `real_dir` (when known), if it
/// is inside `root`.
fn read(
    root: &Path,
    real_dir: Option<&Path>,
    path: &Path,
    unreadable: &mut Vec<Diagnostic>,
) -> Result<Option<SourceFile>, FsError> {
    let plain = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    let real = match (real_dir, path.file_name()) {
        (Some(dir), Some(name)) if plain => Ok(dir.join(name)),
        _ => std::fs::canonicalize(path),
    };
    let real = match real {
        Ok(real) => real,
        Err(e) => {
            unreadable.push(file_error(
                path,
                format!("this file cannot be read ({e}): a symlink to a missing file?"),
            ));
            return Ok(None);
        }
    };
    if !real.starts_with(root) {
        unreadable.push(file_error(
            path,
            format!(
                "this file is a symlink to {}, outside the content folder: nothing outside content/ is read into the site; copy the file into the content folder instead",
                real.display()
            ),
        ));
        return Ok(None);
    }
    let bytes = match fsx::read(path) {
        Ok(b) => b,
        Err(e) if e.source.kind() == std::io::ErrorKind::InvalidData => {
            unreadable.push(file_error(path, e.source.to_string()));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
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
