//! Writing the built site: into a temporary folder beside the output, then swapped in.
//!
//! A build only ever replaces a folder that is absent, empty, or marked as an earlier
//! build's output by its manifest `.site-gen` (a version line, then every file written,
//! one per line) and holding nothing else: a folder with anyone else's files is refused
//! and left untouched. `--out` naming a symlink (`dist -> /var/www/site`) builds beside
//! the link's target, on the same filesystem, and replaces the target, never the link.
//!
//! The swap is one step: on Linux `renameat2(RENAME_EXCHANGE)` trades the new tree and
//! the old one, so a crash at any instant leaves the output path holding either the
//! whole old or the whole new tree. Where that call is unsupported (another OS, a
//! filesystem without it) two renames are used: old → `.<name>.site-gen-old-<pid>`, then
//! new → output; the next build, finding no output and such a folder, puts it back
//! before anything else. Builds into one folder are serialised by an advisory lock on
//! `.<name>.site-gen-lock` beside it; holding that lock, a build cleans up the temporary
//! folders (`.<name>.site-gen-tmp-<pid>`, `-old-<pid>`) left by builds that were killed.
//! Only a folder holding the mark [`MARK`] that names it and the output it was made for
//! is ever touched that way: a look-alike folder of someone else's is left alone.
//!
//! The swap never removes a file the build did not write: the output is checked for
//! foreign files again after rendering (a build refuses, exit 2, when one appeared
//! meanwhile), and the old tree is removed file by file as its manifest lists them, so
//! that a file written into it in the last instant is moved into the new tree instead.
//!
//! [`write_with`] hands the temporary folder to the renderer as a [`DirSink`], which
//! writes each file the moment it is rendered, from whichever thread rendered it, so the
//! pages of a build are never all in memory at once.
//!
//! [`update_with`] (used by `serve` after an edit) changes an earlier build's output in
//! place instead: it takes only the files that were rendered again, holds them until
//! rendering has succeeded, then replaces each one whose bytes differ by a rename from
//! the temporary folder (so a reader sees the old file or the new one, never part of
//! one), removes the files the site no longer has, and rewrites the manifest. The
//! result is what a full build writes.

pub mod offline;
pub mod precompress;
pub mod static_dir;
mod swap;
mod target;

pub use target::{OutputError, MANIFEST, MARK};

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::fsx::{self, FsError};
use crate::render::{OutputFile, Sink};
use swap::{pause_for_tests, recover, swap, PAUSE_AFTER_CHECK_ENV, PAUSE_ENV};
use target::{check_replaceable, lock, remove_tree, safe_relative, target, MANIFEST_HEADER};

/// The checks of [`write`] that need no lock, so that a build refuses a foreign output
/// folder before rendering anything.
pub fn preflight(out_dir: &Path) -> Result<(), OutputError> {
    let t = target(out_dir)?;
    check_replaceable(&t, out_dir)
}

/// Writes files into a new output folder as they arrive, and lists them for the
/// manifest.
pub struct DirSink {
    root: PathBuf,
    /// Folders known to exist, relative to `root` (each is created once).
    dirs: Mutex<HashSet<PathBuf>>,
    written: Mutex<Vec<String>>,
}

impl DirSink {
    fn new(root: &Path) -> Self {
        DirSink {
            root: root.to_path_buf(),
            dirs: Mutex::new(HashSet::from([PathBuf::new()])),
            written: Mutex::default(),
        }
    }

    /// Creates the folder `rel` (relative to the root) and those above it that do not
    /// exist yet.
    fn ensure_dir(&self, rel: &Path) -> Result<(), FsError> {
        let known = |d: &Path| {
            self.dirs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(d)
        };
        if known(rel) {
            return Ok(());
        }
        if let Some(up) = rel.parent() {
            self.ensure_dir(up)?;
        }
        let dir = self.root.join(rel);
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(source) => {
                return Err(FsError {
                    action: "cannot create folder",
                    path: dir,
                    source,
                })
            }
        }
        self.dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_path_buf());
        Ok(())
    }

    /// Where `path` (relative to the output folder, `/`-separated) goes, its folder made;
    /// a path leading outside the folder is refused.
    fn destination(&self, path: &str) -> Result<PathBuf, FsError> {
        let rel = safe_relative(path).ok_or_else(|| FsError {
            action: "refusing to write outside the output folder",
            path: PathBuf::from(path),
            source: io::Error::from(io::ErrorKind::InvalidInput),
        })?;
        if let Some(dir) = rel.parent() {
            self.ensure_dir(dir)?;
        }
        let dest = self.root.join(rel);
        Ok(dest)
    }

    /// Writes one file; `path` is relative to the output folder, `/`-separated.
    pub fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), FsError> {
        let dest = self.destination(path)?;
        fsx::write(&dest, bytes)?;
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        Ok(())
    }

    /// The manifest: its header, then every file written, sorted.
    fn manifest(&self) -> String {
        let mut files =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|p| p.into_inner()));
        files.sort_unstable();
        files.dedup();
        let mut manifest =
            String::with_capacity(files.iter().map(|f| f.len() + 1).sum::<usize>() + 32);
        manifest.push_str(MANIFEST_HEADER);
        manifest.push('\n');
        for f in files {
            manifest.push_str(&f);
            manifest.push('\n');
        }
        manifest
    }
}

impl Sink for DirSink {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.write_file(&file.path, &file.bytes)
    }

    /// A hard link to the previous output's file (beside this folder, so on the same
    /// filesystem; a copy where a link cannot be made). The old tree is removed file by
    /// file after the swap, so the file then lives on in the new tree alone.
    fn reuse(&self, path: &str, from: &Path) -> Result<bool, FsError> {
        let dest = self.destination(path)?;
        if fs::hard_link(from, &dest).is_err() {
            fs::copy(from, &dest).map_err(|source| FsError {
                action: "cannot copy",
                path: from.to_path_buf(),
                source,
            })?;
        }
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        Ok(true)
    }
}

/// The files of one [`update_with`]: those rendered, held until the update is applied
/// (a content error found after rendering then writes nothing), and those kept.
#[derive(Debug, Default)]
pub struct Pending {
    rendered: Mutex<Vec<OutputFile>>,
    kept: Mutex<Vec<String>>,
}

impl Sink for Pending {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.rendered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file);
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<(), FsError> {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        Ok(())
    }

    /// An update's previous output is the output itself: the file at `path` stays.
    fn reuse(&self, path: &str, _from: &Path) -> Result<bool, FsError> {
        self.keep(path)?;
        Ok(true)
    }
}

/// What an [`update_with`] changed on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    /// Files written (new, or with different bytes).
    pub written: usize,
    /// Files removed (the site no longer has them).
    pub removed: usize,
}

/// Updates the output of an earlier build in place (see the module's opening) with what
/// `fill` puts into the [`Pending`] it is given. Refused (nothing written) when
/// `out_dir` is not an earlier build's output; if `fill` fails, nothing is written.
pub fn update_with<T, E: From<OutputError>>(
    out_dir: &Path,
    fill: impl FnOnce(&Pending) -> Result<T, E>,
) -> Result<(T, Updated), E> {
    let t = target(out_dir)?;
    let _lock = lock(&t)?;
    recover(&t)?;
    let manifest = match fs::read_to_string(t.dir.join(MANIFEST)) {
        Ok(m) if m.lines().next() == Some(MANIFEST_HEADER) => m,
        _ => {
            return Err(OutputError::Refused(format!(
                "{} is not the output of an earlier build (it has no {MANIFEST} manifest)",
                out_dir.display()
            ))
            .into())
        }
    };
    let pending = Pending::default();
    let filled = fill(&pending)?;
    let rendered = pending
        .rendered
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    let kept = pending.kept.into_inner().unwrap_or_else(|p| p.into_inner());

    let mut files: Vec<&str> = kept.iter().map(String::as_str).collect();
    for f in &rendered {
        if safe_relative(&f.path).is_none() {
            return Err(OutputError::from(FsError {
                action: "refusing to write outside the output folder",
                path: PathBuf::from(&f.path),
                source: io::Error::from(io::ErrorKind::InvalidInput),
            })
            .into());
        }
        files.push(&f.path);
    }
    files.sort_unstable();
    files.dedup();

    let tmp = t.make_temp("tmp")?;
    let applied = apply(&t.dir, &tmp, &rendered, &files, &manifest);
    let _ = remove_tree(&tmp);
    Ok((filled, applied?))
}

/// Writes the `rendered` files that differ from those in `dir` (each through `tmp`),
/// removes the files of `old_manifest` not in `files` (sorted), and writes the new
/// manifest.
fn apply(
    dir: &Path,
    tmp: &Path,
    rendered: &[OutputFile],
    files: &[&str],
    old_manifest: &str,
) -> Result<Updated, OutputError> {
    let indexed: Vec<(usize, &OutputFile)> = rendered.iter().enumerate().collect();
    let written = crate::par::map(&indexed, 64, |&(i, f)| -> Result<bool, FsError> {
        let dest = dir.join(&f.path);
        // A file of another length differs: no need to read it.
        let same_length = fs::metadata(&dest).is_ok_and(|m| m.len() == f.bytes.len() as u64);
        if same_length && fs::read(&dest).is_ok_and(|old| old == f.bytes) {
            return Ok(false);
        }
        replace(&tmp.join(i.to_string()), &dest, &f.bytes)?;
        Ok(true)
    });
    let mut done = Updated::default();
    for w in written {
        done.written += usize::from(w?);
    }

    // Both lists are sorted (a manifest is written sorted): one walk finds the old files
    // that are still there; the others are looked up before being removed, in case.
    let mut new_files = files.iter().peekable();
    for old in old_manifest.lines().skip(1) {
        while new_files.next_if(|f| **f < old).is_some() {}
        let kept =
            new_files.peek().is_some_and(|f| **f == old) || files.binary_search(&old).is_ok();
        if kept || safe_relative(old).is_none() {
            continue;
        }
        let path = dir.join(old);
        match fs::remove_file(&path) {
            Ok(()) => done.removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(FsError {
                    action: "cannot remove",
                    path,
                    source,
                }
                .into())
            }
        }
        // A full build makes no empty folders: remove those this left.
        let mut up = path.parent();
        while let Some(d) = up.filter(|d| *d != dir) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            up = d.parent();
        }
    }

    let mut manifest = String::with_capacity(old_manifest.len() + 256);
    manifest.push_str(MANIFEST_HEADER);
    manifest.push('\n');
    for f in files {
        manifest.push_str(f);
        manifest.push('\n');
    }
    if manifest != old_manifest {
        replace(
            &tmp.join(MANIFEST),
            &dir.join(MANIFEST),
            manifest.as_bytes(),
        )?;
    }
    Ok(done)
}

/// Writes `bytes` to `staging`, then renames it to `dest` (its folders made first when
/// they are not there).
fn replace(staging: &Path, dest: &Path, bytes: &[u8]) -> Result<(), FsError> {
    fsx::write(staging, bytes)?;
    if fs::rename(staging, dest).is_ok() {
        return Ok(());
    }
    if let Some(parent) = dest.parent() {
        fsx::create_dir_all(parent)?;
    }
    fsx::rename(staging, dest)
}

/// Writes `files` to `out_dir`, replacing it whole (see the module's opening).
pub fn write(files: &[OutputFile], out_dir: &Path) -> Result<(), OutputError> {
    write_with(out_dir, |sink| {
        for r in crate::par::map(files, 64, |f| sink.write_file(&f.path, &f.bytes)) {
            r?;
        }
        Ok(())
    })
}

/// Replaces `out_dir` whole (see the module's opening) with what `fill` puts into the
/// sink it is given, then the manifest. If `fill` fails, the temporary folder is
/// removed and the previous output stays as it was.
pub fn write_with<T, E: From<OutputError>>(
    out_dir: &Path,
    fill: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<T, E> {
    let t = target(out_dir)?;
    fsx::create_dir_all(&t.parent).map_err(OutputError::from)?;
    let _lock = lock(&t)?;
    recover(&t)?;
    check_replaceable(&t, out_dir)?;

    let tmp = t.make_temp("tmp")?;
    let sink = DirSink::new(&tmp);
    let filled = match fill(&sink) {
        Ok(v) => v,
        Err(e) => {
            let _ = remove_tree(&tmp);
            return Err(e);
        }
    };
    let finished = fsx::write(&tmp.join(MANIFEST), sink.manifest().as_bytes())
        .map_err(OutputError::from)
        .and_then(|()| {
            pause_for_tests(PAUSE_ENV);
            // Files may have been added to the output while rendering: they would be lost.
            check_replaceable(&t, out_dir)
        })
        .and_then(|()| {
            // One written after this check is in the old tree after the exchange, where
            // `retire` moves it into the new one (or keeps the old tree, naming it).
            pause_for_tests(PAUSE_AFTER_CHECK_ENV);
            swap(&t, &tmp)
        });
    if let Err(e) = finished {
        let _ = remove_tree(&tmp);
        return Err(e.into());
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use target::normalise;

    #[test]
    fn refuses_paths_outside() {
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/x").is_none());
        assert!(safe_relative(MANIFEST).is_none());
        assert!(safe_relative("a/b.html").is_some());
    }

    #[test]
    fn replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&[OutputFile::new("a/index.html", "one")], &out).unwrap();
        write(&[OutputFile::new("b.txt", "two")], &out).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        assert_eq!(
            fs::read_to_string(out.join(MANIFEST)).unwrap(),
            format!("{MANIFEST_HEADER}\nb.txt\n")
        );
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".dist.site-gen-lock", "dist"],
            "temporary folders left"
        );
    }

    #[test]
    fn the_two_rename_fallback_is_undone_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&[OutputFile::new("a.txt", "old")], &out).unwrap();
        // A build killed between its two renames: the old tree moved away, no new one.
        let t = target(&out).unwrap();
        fs::write(out.join(MARK), t.mark_text("old-999999")).unwrap();
        fs::rename(&out, dir.path().join(".dist.site-gen-old-999999")).unwrap();
        fs::create_dir(dir.path().join(".dist.site-gen-tmp-999998")).unwrap();
        fs::write(
            dir.path().join(".dist.site-gen-tmp-999998").join(MARK),
            t.mark_text("tmp-999998"),
        )
        .unwrap();
        recover(&t).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "old");
        assert!(!out.join(MARK).exists());
        assert!(!dir.path().join(".dist.site-gen-tmp-999998").exists());
        assert!(!dir.path().join(".dist.site-gen-old-999999").exists());
    }

    #[test]
    fn an_update_replaces_changed_files_removes_gone_ones_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        // Not an earlier build's output: refused, nothing written.
        let refused = update_with(&out, |_: &Pending| Ok::<(), OutputError>(()));
        assert!(
            matches!(refused, Err(OutputError::Refused(_))),
            "{refused:?}"
        );
        assert!(!out.exists());

        let files = [
            OutputFile::new("index.html", "home"),
            OutputFile::new("a/b/index.html", "old"),
            OutputFile::new("gone/deep/index.html", "bye"),
            OutputFile::new("same.txt", "same"),
        ];
        write(&files, &out).unwrap();
        let same_before = fs::metadata(out.join("same.txt"))
            .unwrap()
            .modified()
            .unwrap();
        let ((), done) = update_with(&out, |p: &Pending| {
            p.put(OutputFile::new("a/b/index.html", "new"))?;
            p.put(OutputFile::new("same.txt", "same"))?;
            p.put(OutputFile::new("c/index.html", "added"))?;
            p.keep("index.html")?;
            Ok::<(), OutputError>(())
        })
        .unwrap();
        assert_eq!(
            done,
            Updated {
                written: 2,
                removed: 1
            }
        );
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_to_string(out.join("c/index.html")).unwrap(),
            "added"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
        let same_after = fs::metadata(out.join("same.txt"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(same_before, same_after, "an unchanged file was rewritten");
        assert!(!out.join("gone").exists(), "the emptied folders were left");
        assert_eq!(
            fs::read_to_string(out.join(MANIFEST)).unwrap(),
            format!("{MANIFEST_HEADER}\na/b/index.html\nc/index.html\nindex.html\nsame.txt\n")
        );
        let left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!left.iter().any(|n| n.contains("-tmp-")), "{left:?}");

        // A failing fill writes nothing.
        let failed = update_with(&out, |p: &Pending| {
            p.put(OutputFile::new("index.html", "half"))?;
            Err::<(), OutputError>(OutputError::Refused("content error".into()))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
    }

    #[test]
    fn a_file_written_into_the_old_tree_after_the_last_check_is_moved_into_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&[OutputFile::new("a/index.html", "old")], &out).unwrap();
        let t = target(&out).unwrap();
        let tmp = t.make_temp("tmp").unwrap();
        fs::write(tmp.join("b.html"), "new").unwrap();
        fs::write(tmp.join(MANIFEST), format!("{MANIFEST_HEADER}\nb.html\n")).unwrap();
        // Written after `check_replaceable`, just before the exchange.
        fs::write(out.join("CNAME"), "training.example.gov.cn").unwrap();
        fs::write(out.join("a/notes.txt"), "mine").unwrap();
        swap(&t, &tmp).unwrap();
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "training.example.gov.cn"
        );
        assert_eq!(fs::read_to_string(out.join("a/notes.txt")).unwrap(), "mine");
        assert!(!out.join("a/index.html").exists());
        assert!(!out.join(MARK).exists());
        assert!(!tmp.exists());
    }

    #[test]
    fn normalise_drops_dots() {
        assert_eq!(normalise(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
