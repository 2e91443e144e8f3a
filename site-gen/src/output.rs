//! Writing the built site: into a temporary folder beside the output, then swapped in.
//!
//! The old output is renamed away, the new one renamed in, and the old one removed; if
//! anything fails before the swap, the previous output stays exactly as it was.
//! [`write_with`] hands the temporary folder to the renderer as a [`DirSink`], which
//! writes each file the moment it is rendered, from whichever thread rendered it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::fsx::{self, FsError};
use crate::render::{OutputFile, Sink};

/// Writes files into a new output folder as they arrive.
pub struct DirSink {
    root: PathBuf,
    /// Folders known to exist (each is created once).
    dirs: Mutex<HashSet<PathBuf>>,
}

impl DirSink {
    fn new(root: &Path) -> Self {
        DirSink {
            root: root.to_path_buf(),
            dirs: Mutex::new(HashSet::from([root.to_path_buf()])),
        }
    }

    /// Creates `dir` and the folders above it that do not exist yet.
    fn ensure_dir(&self, dir: &Path) -> Result<(), FsError> {
        let known = |d: &Path| {
            self.dirs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(d)
        };
        if known(dir) {
            return Ok(());
        }
        match dir.parent() {
            Some(up) if up.starts_with(&self.root) => self.ensure_dir(up)?,
            _ => {}
        }
        match std::fs::create_dir(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(source) => {
                return Err(FsError {
                    action: "cannot create folder",
                    path: dir.to_path_buf(),
                    source,
                })
            }
        }
        self.dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
    }

    /// Writes one file; `path` is relative to the output folder, `/`-separated.
    pub fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), FsError> {
        let rel = safe_relative(path).ok_or_else(|| FsError {
            action: "refusing to write outside the output folder",
            path: PathBuf::from(path),
            source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
        })?;
        let dest = self.root.join(rel);
        if let Some(dir) = dest.parent() {
            self.ensure_dir(dir)?;
        }
        fsx::write(&dest, bytes)
    }
}

impl Sink for DirSink {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.write_file(&file.path, &file.bytes)
    }
}

/// Writes `files` to `out_dir`, replacing it whole.
pub fn write(files: &[OutputFile], out_dir: &Path) -> Result<(), FsError> {
    write_with(out_dir, |sink| {
        for r in crate::par::map(files, 64, |f| sink.write_file(&f.path, &f.bytes)) {
            r?;
        }
        Ok(())
    })
}

/// Replaces `out_dir` whole with what `fill` puts into the sink it is given; if `fill`
/// fails, the previous output stays as it was and the temporary folder is removed.
pub fn write_with<T, E: From<FsError>>(
    out_dir: &Path,
    fill: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<T, E> {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fsx::create_dir_all(&parent)?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dist".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .map_err(|source| FsError {
            action: "cannot create a temporary folder in",
            path: parent.clone(),
            source,
        })?;
    // On failure `tmp` is dropped, which removes it.
    let filled = fill(&DirSink::new(tmp.path()))?;
    if out_dir.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if old.exists() {
            remove_tree(&old)?;
        }
        fsx::rename(out_dir, &old)?;
        if let Err(e) = fsx::rename(tmp.path(), out_dir) {
            // Put the previous output back.
            let _ = fsx::rename(&old, out_dir);
            return Err(e.into());
        }
        remove_tree(&old)?;
    } else {
        fsx::rename(tmp.path(), out_dir)?;
    }
    // `tmp` now names a path that no longer exists; dropping it is a no-op.
    drop(tmp);
    Ok(filled)
}

/// Removes a folder tree, its top-level entries on all cores.
fn remove_tree(dir: &Path) -> Result<(), FsError> {
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    for r in crate::par::map(&entries, 64, |p| {
        if p.is_dir() {
            fsx::remove_dir_all(p)
        } else {
            std::fs::remove_file(p).map_err(|source| FsError {
                action: "cannot remove",
                path: p.clone(),
                source,
            })
        }
    }) {
        r?;
    }
    fsx::remove_dir_all(dir)
}

/// `a/b/c.html` as a relative path with only normal components.
fn safe_relative(p: &str) -> Option<PathBuf> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside() {
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/x").is_none());
        assert!(safe_relative("a/b.html").is_some());
    }

    #[test]
    fn replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&[OutputFile::new("a/index.html", "one")], &out).unwrap();
        write(&[OutputFile::new("b.txt", "two")], &out).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary folders left behind");
    }
}
