//! Reading `content/`: every file the site is made of, as text, with its path.
//!
//! No parsing happens here, so that [`super::validate`] can report every syntax error
//! of every file together. Nothing outside the content folder is ever read: a file
//! reached through a symlink that leads out of it is a content error naming the file,
//! and every read is bounded by [`fsx::MAX_READ`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    load_with(dir, None)
}

/// The text of files read before, with what their metadata said then (`serve` loads
/// the content after every edit): a file whose metadata is the same is not read again.
/// Only a file last changed well before it was read is kept, so that a change made in
/// the same instant as the read (timestamps have a coarse granularity) is never missed.
#[derive(Debug, Default)]
pub struct LoadCache(Mutex<HashMap<PathBuf, (Stamp, String)>>);

/// What identifies one version of a file: its inode, length, and the times of its last
/// change of content and of metadata (the latter cannot be set back by any tool).
type Stamp = (u64, u64, i64, i64, i64, i64);

/// How long before a read a file must have last changed for [`LoadCache`] to keep it.
const SETTLED: i64 = 2;

#[cfg(unix)]
fn stamp_of(m: &std::fs::Metadata) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    Some((
        m.ino(),
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ))
}

/// Elsewhere there is no change time that tools cannot set: nothing is kept.
#[cfg(not(unix))]
fn stamp_of(_: &std::fs::Metadata) -> Option<Stamp> {
    None
}

impl LoadCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (Stamp, String)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// [`load`], taking the text of files that have not changed from `cache` (and keeping
/// the others there for the next time).
pub fn load_with(dir: &Path, cache: Option<&LoadCache>) -> Result<Raw, LoadError> {
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
    // Whatever it is: a FIFO or a dangling link named site.toml gets a message of its own.
    if std::fs::symlink_metadata(&site).is_ok() {
        raw.site = read(&root, Some(&root), &site, cache, &mut raw.unreadable)?;
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
            files.extend(read(
                &root,
                real.as_deref(),
                &p,
                cache,
                &mut raw.unreadable,
            )?);
        }
    }
    if let Some(cache) = cache {
        let all: std::collections::HashSet<&Path> = raw
            .site
            .iter()
            .chain(&raw.notices)
            .chain(&raw.bodies)
            .chain(&raw.forms)
            .chain(&raw.calendars)
            .map(|f| f.path.as_path())
            .collect();
        cache.lock().retain(|p, _| all.contains(p.as_path()));
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
    cache: Option<&LoadCache>,
    unreadable: &mut Vec<Diagnostic>,
) -> Result<Option<SourceFile>, FsError> {
    let meta = std::fs::symlink_metadata(path).ok();
    let plain = meta.as_ref().is_some_and(|m| m.is_file());
    let real = match (real_dir, path.file_name()) {
        (Some(dir), Some(name)) if plain => Ok(dir.join(name)),
        _ => std::fs::canonicalize(path),
    };
    let real = match real {
        Ok(real) => real,
        Err(e) => {
            let message = match std::fs::read_link(path) {
                Ok(to) => format!(
                    "this file is a symlink to {}, which does not exist: expected a text file; remove the link or put the file there",
                    to.display()
                ),
                Err(_) => format!("this file cannot be read ({e})"),
            };
            unreadable.push(file_error(path, message));
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
    // A FIFO would block the read, a device never end: neither is a content file.
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(m) => {
            unreadable.push(file_error(
                path,
                format!(
                    "this is {}, not a file: expected a text file saved as UTF-8",
                    fsx::kind_of(&m)
                ),
            ));
            return Ok(None);
        }
        Err(e) => {
            unreadable.push(file_error(path, format!("this file cannot be read ({e})")));
            return Ok(None);
        }
    }
    // Only plain files are kept: a symlink's target may change without the link.
    let stamp = meta
        .as_ref()
        .filter(|_| plain && cache.is_some())
        .and_then(stamp_of);
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some((_, text)) = cache.lock().get(path).filter(|(s, _)| *s == stamp) {
            return Ok(Some(SourceFile {
                path: path.to_path_buf(),
                text: text.clone(),
            }));
        }
    }
    let read_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let bytes = match fsx::read(path) {
        Ok(b) => b,
        Err(e) if e.source.kind() == std::io::ErrorKind::InvalidData => {
            unreadable.push(file_error(path, e.source.to_string()));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            // Kept only when its metadata is still what it was before the read (it was
            // not written meanwhile) and it last changed well before.
            if let (Some(cache), Some(stamp)) = (cache, stamp) {
                let settled = stamp.2.max(stamp.4) + SETTLED <= read_at;
                let after = std::fs::symlink_metadata(path)
                    .ok()
                    .and_then(|m| stamp_of(&m));
                if settled && after == Some(stamp) {
                    cache
                        .lock()
                        .insert(path.to_path_buf(), (stamp, text.clone()));
                } else {
                    cache.lock().remove(path);
                }
            }
            Ok(Some(SourceFile {
                path: path.to_path_buf(),
                text,
            }))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_is_read_again_once_it_changes_even_at_the_same_length() {
        let dir = tempfile::tempdir().unwrap();
        let notices = dir.path().join("notices");
        std::fs::create_dir(&notices).unwrap();
        let (a, b) = (notices.join("a.toml"), notices.join("b.toml"));
        std::fs::write(&a, "title = \"一\"\n").unwrap();
        std::fs::write(&b, "title = \"乙\"\n").unwrap();
        let cache = LoadCache::default();
        let texts = |raw: &Raw| {
            raw.notices
                .iter()
                .map(|f| f.text.clone())
                .collect::<Vec<_>>()
        };

        // Just written: read, not kept (it may change again within the same tick).
        let raw = load_with(dir.path(), Some(&cache)).unwrap();
        assert_eq!(texts(&raw), ["title = \"一\"\n", "title = \"乙\"\n"]);
        assert!(cache.lock().is_empty());
        std::fs::write(&a, "title = \"二\"\n").unwrap();
        let raw = load_with(dir.path(), Some(&cache)).unwrap();
        assert_eq!(texts(&raw)[0], "title = \"二\"\n");

        // Settled: kept; then changed at the same length, and read again.
        std::thread::sleep(std::time::Duration::from_millis(
            1000 * SETTLED as u64 + 200,
        ));
        let raw = load_with(dir.path(), Some(&cache)).unwrap();
        assert_eq!(texts(&raw), ["title = \"二\"\n", "title = \"乙\"\n"]);
        assert_eq!(cache.lock().len(), 2);
        std::fs::write(&a, "title = \"三\"\n").unwrap();
        let raw = load_with(dir.path(), Some(&cache)).unwrap();
        assert_eq!(texts(&raw), ["title = \"三\"\n", "title = \"乙\"\n"]);
        assert_eq!(texts(&raw), texts(&load(dir.path()).unwrap()));

        // A file removed is forgotten.
        std::fs::remove_file(&b).unwrap();
        let raw = load_with(dir.path(), Some(&cache)).unwrap();
        assert_eq!(texts(&raw), ["title = \"三\"\n"]);
        assert!(!cache.lock().contains_key(&b));
    }
}
