//! Where a build goes and what may be replaced there: the output folder (a symlink
//! resolved), the marked temporary folders beside it, the lock, the manifest of what a
//! build wrote and the check that the output folder holds only that.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::fsx::{self, FsError};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".site-gen";
/// The manifest's first line; the rest are the files of the build, one per line.
pub const MANIFEST_HEADER: &str = "site-gen output 1";
/// The mark inside a temporary folder beside the output: it names the folder and the
/// output, so that only folders a build made are ever cleaned up. Never in the output.
pub const MARK: &str = ".site-gen-build";

/// Why the output was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder holds something site-gen did not make; nothing was touched.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Fs(#[from] FsError),
}

/// Where a build goes: the real folder (a symlink resolved), its parent and its name.
pub struct Target {
    pub dir: PathBuf,
    pub parent: PathBuf,
    pub name: String,
}

impl Target {
    pub fn sibling(&self, kind: &str) -> PathBuf {
        self.parent.join(format!(".{}.site-gen-{kind}", self.name))
    }
    pub fn temp(&self, kind: &str) -> PathBuf {
        self.sibling(&format!("{kind}-{}", std::process::id()))
    }
    /// The text of the mark of the temporary folder `kind-<pid>` (see [`MARK`]).
    pub fn mark_text(&self, kind_pid: &str) -> String {
        format!("site-gen build\n{kind_pid}\n{}\n", self.dir.display())
    }
    /// Creates the temporary folder `kind-<this pid>`, marked as this build's.
    pub fn make_temp(&self, kind: &str) -> Result<PathBuf, OutputError> {
        let dir = self.temp(kind);
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(OutputError::Refused(format!(
                    "refusing to build: {} already exists and was not made by this build; move it away",
                    dir.display()
                )))
            }
            Err(source) => {
                return Err(FsError {
                    action: "cannot create folder",
                    path: dir,
                    source,
                }
                .into())
            }
        }
        write_new(
            &dir.join(MARK),
            self.mark_text(&format!("{kind}-{}", std::process::id()))
                .as_bytes(),
        )?;
        Ok(dir)
    }
    /// Whether `dir` (named `.<name>.site-gen-<kind_pid>`) holds this output's mark.
    pub fn marked(&self, dir: &Path, kind_pid: &str) -> bool {
        let mark = dir.join(MARK);
        fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file())
            && fs::read(&mark).is_ok_and(|b| b == self.mark_text(kind_pid).as_bytes())
    }
}

/// Writes a file that must not exist yet.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    use io::Write;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|source| FsError {
            action: "cannot write",
            path: path.to_path_buf(),
            source,
        })
}

/// Resolves `out` to the folder a build replaces: `out` itself, or the folder a symlink
/// at `out` points to (through any chain of links; the target need not exist yet).
pub fn target(out: &Path) -> Result<Target, OutputError> {
    let mut path = absolute(out);
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&path).map_err(|source| FsError {
                    action: "cannot read the symlink",
                    path: path.clone(),
                    source,
                })?;
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                path = normalise(&base.join(link));
            }
            _ => {
                let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                    return Err(OutputError::Refused(format!(
                        "refusing to use {} as the output folder: it is a filesystem root",
                        out.display()
                    )));
                };
                return Ok(Target {
                    parent: parent.to_path_buf(),
                    name: name.to_string_lossy().into_owned(),
                    dir: path,
                });
            }
        }
    }
    Err(OutputError::Refused(format!(
        "refusing to use {} as the output folder: too many levels of symlinks",
        out.display()
    )))
}

pub fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    normalise(&p)
}

/// `a/./b/../c` → `a/c` without touching the disk (`..` after a symlink is taken
/// lexically, as a shell's `cd` does).
pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The lock serialising builds into one folder, held until dropped.
pub struct Lock(#[allow(dead_code)] File);

pub fn lock(t: &Target) -> Result<Lock, OutputError> {
    let path = t.sibling("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| FsError {
            action: "cannot create the lock file",
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            crate::messages::eprint(format_args!(
                "waiting for another site-gen build into {} to finish …",
                t.dir.display()
            ));
            file.lock().map_err(|source| FsError {
                action: "cannot lock",
                path: path.clone(),
                source,
            })?;
        }
        Err(TryLockError::Error(source)) => {
            return Err(FsError {
                action: "cannot lock",
                path,
                source,
            }
            .into())
        }
    }
    Ok(Lock(file))
}

/// Refuses a target that is not absent, an empty folder, or an earlier output whose
/// manifest lists every file in it.
pub fn check_replaceable(t: &Target, out: &Path) -> Result<(), OutputError> {
    let shown = if t.dir == absolute(out) {
        out.display().to_string()
    } else {
        format!(
            "{} (the symlink {} points there)",
            t.dir.display(),
            out.display()
        )
    };
    let meta = match fs::symlink_metadata(&t.dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(FsError {
                action: "cannot read",
                path: t.dir.clone(),
                source,
            }
            .into())
        }
    };
    if !meta.is_dir() {
        return Err(OutputError::Refused(format!(
            "refusing to build into {shown}: it is a file, not a folder; choose another --out"
        )));
    }
    let mut found = Vec::new();
    walk(&t.dir, &t.dir, &mut found)?;
    if found.is_empty() {
        return Ok(());
    }
    let how = "choose an empty or new folder with --out, or move those files away first";
    let manifest = match fs::read_to_string(t.dir.join(MANIFEST)) {
        Ok(m) if m.lines().next() == Some(MANIFEST_HEADER) => m,
        Ok(_) | Err(_) => {
            return Err(OutputError::Refused(format!(
                "refusing to replace {shown}: it is not empty and was not written by site-gen (it has no {MANIFEST} manifest), so a build would delete its files (for example {}); {how}",
                examples(&found)
            )));
        }
    };
    let listed: BTreeSet<&str> = manifest.lines().skip(1).collect();
    let foreign: Vec<String> = found
        .into_iter()
        .filter(|f| f != MANIFEST && !listed.contains(f.as_str()))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(OutputError::Refused(format!(
            "refusing to replace {shown}: it holds {} file{} that the last build did not write ({}), which a build would delete; {how}",
            foreign.len(),
            if foreign.len() == 1 { "" } else { "s" },
            examples(&foreign)
        )))
    }
}

pub fn examples(files: &[String]) -> String {
    let mut s = files
        .iter()
        .take(3)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > 3 {
        s.push_str(&format!(" and {} more", files.len() - 3));
    }
    s
}

/// Every non-folder entry under `dir` (symlinks not followed), relative, `/`-separated.
pub fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), OutputError> {
    let rd = fs::read_dir(dir).map_err(|source| FsError {
        action: "cannot list",
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in rd {
        let entry = entry.map_err(|source| FsError {
            action: "cannot list",
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if entry.file_type().is_ok_and(|ft| ft.is_dir()) {
            walk(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Removes a folder tree, its top-level entries on all cores.
pub fn remove_tree(dir: &Path) -> Result<(), FsError> {
    // The mark goes last: a build killed meanwhile leaves a folder the next one still
    // knows as a build's, and removes.
    let mark = dir.join(MARK);
    let entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| *p != mark)
            .collect(),
        Err(_) => Vec::new(),
    };
    for r in crate::par::map(&entries, 64, |p| {
        let is_dir = fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        if is_dir {
            fsx::remove_dir_all(p)
        } else {
            fs::remove_file(p).map_err(|source| FsError {
                action: "cannot remove",
                path: p.clone(),
                source,
            })
        }
    }) {
        r?;
    }
    match fs::remove_file(&mark) {
        Err(source) if source.kind() != io::ErrorKind::NotFound => Err(FsError {
            action: "cannot remove",
            path: mark,
            source,
        }),
        _ => fsx::remove_dir_all(dir),
    }
}

/// `a/b/c.html` as a relative path with only normal components.
pub fn safe_relative(p: &str) -> Option<PathBuf> {
    let path = Path::new(p);
    let ok = !p.is_empty()
        && p != MANIFEST
        && p != MARK
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| path.to_path_buf())
}
