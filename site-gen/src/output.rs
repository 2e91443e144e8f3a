//! Writing the built site: into a temporary folder beside the output, then swapped in.
//!
//! The old output is renamed away, the new one renamed in, and the old one removed; if
//! anything fails before the swap, the previous output stays exactly as it was.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::fsx::{self, FsError};
use crate::render::OutputFile;

/// Writes `files` to `out_dir`, replacing it whole.
pub fn write(files: &[OutputFile], out_dir: &Path) -> Result<(), FsError> {
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
    // Folders first (each once), then the files on all cores.
    let mut dests = Vec::with_capacity(files.len());
    let mut dirs = BTreeSet::new();
    for f in files {
        let rel = safe_relative(&f.path).ok_or_else(|| FsError {
            action: "refusing to write outside the output folder",
            path: PathBuf::from(&f.path),
            source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
        })?;
        let dest = tmp.path().join(rel);
        if let Some(dir) = dest.parent() {
            dirs.insert(dir.to_path_buf());
        }
        dests.push((dest, f.bytes.as_slice()));
    }
    for dir in &dirs {
        fsx::create_dir_all(dir)?;
    }
    for r in crate::par::map(&dests, 64, |(dest, bytes)| fsx::write(dest, bytes)) {
        r?;
    }
    if out_dir.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if old.exists() {
            remove_tree(&old)?;
        }
        fsx::rename(out_dir, &old)?;
        if let Err(e) = fsx::rename(tmp.path(), out_dir) {
            // Put the previous output back.
            let _ = fsx::rename(&old, out_dir);
            return Err(e);
        }
        remove_tree(&old)?;
    } else {
        fsx::rename(tmp.path(), out_dir)?;
    }
    // `tmp` now names a path that no longer exists; dropping it is a no-op.
    drop(tmp);
    Ok(())
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
