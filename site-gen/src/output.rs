//! Writing the built site: into a temporary folder beside the output, then swapped in.
//!
//! The old output is renamed away, the new one renamed in, and the old one removed; if
//! anything fails before the swap, the previous output stays exactly as it was.

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
    for f in files {
        let rel = safe_relative(&f.path).ok_or_else(|| FsError {
            action: "refusing to write outside the output folder",
            path: PathBuf::from(&f.path),
            source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
        })?;
        let dest = tmp.path().join(rel);
        if let Some(dir) = dest.parent() {
            fsx::create_dir_all(dir)?;
        }
        fsx::write(&dest, &f.bytes)?;
    }
    if out_dir.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if old.exists() {
            fsx::remove_dir_all(&old)?;
        }
        fsx::rename(out_dir, &old)?;
        if let Err(e) = fsx::rename(tmp.path(), out_dir) {
            // Put the previous output back.
            let _ = fsx::rename(&old, out_dir);
            return Err(e);
        }
        fsx::remove_dir_all(&old)?;
    } else {
        fsx::rename(tmp.path(), out_dir)?;
    }
    // `tmp` now names a path that no longer exists; dropping it is a no-op.
    drop(tmp);
    Ok(())
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
