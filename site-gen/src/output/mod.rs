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

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::fsx::{self, FsError};
use crate::render::{OutputFile, Sink};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".site-gen";
/// The manifest's first line; the rest are the files of the build, one per line.
const MANIFEST_HEADER: &str = "site-gen output 1";
/// The mark inside a temporary folder beside the output: it names the folder and the
/// output, so that only folders a build made are ever cleaned up. Never in the output.
pub const MARK: &str = ".site-gen-build";
/// For tests only: a path; before the swap, a build writes a file there and waits until
/// it is removed (so that a test can change the output at that very moment).
const PAUSE_ENV: &str = "SITE_GEN_TEST_PAUSE_BEFORE_SWAP";

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
struct Target {
    dir: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Target {
    fn sibling(&self, kind: &str) -> PathBuf {
        self.parent.join(format!(".{}.site-gen-{kind}", self.name))
    }
    fn temp(&self, kind: &str) -> PathBuf {
        self.sibling(&format!("{kind}-{}", std::process::id()))
    }
    /// The text of the mark of the temporary folder `kind-<pid>` (see [`MARK`]).
    fn mark_text(&self, kind_pid: &str) -> String {
        format!("site-gen build\n{kind_pid}\n{}\n", self.dir.display())
    }
    /// Creates the temporary folder `kind-<this pid>`, marked as this build's.
    fn make_temp(&self, kind: &str) -> Result<PathBuf, OutputError> {
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
    fn marked(&self, dir: &Path, kind_pid: &str) -> bool {
        let mark = dir.join(MARK);
        fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file())
            && fs::read(&mark).is_ok_and(|b| b == self.mark_text(kind_pid).as_bytes())
    }
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
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
fn target(out: &Path) -> Result<Target, OutputError> {
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

fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    normalise(&p)
}

/// `a/./b/../c` → `a/c` without touching the disk (`..` after a symlink is taken
/// lexically, as a shell's `cd` does).
fn normalise(p: &Path) -> PathBuf {
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
struct Lock(#[allow(dead_code)] File);

fn lock(t: &Target) -> Result<Lock, OutputError> {
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
            eprintln!(
                "waiting for another site-gen build into {} to finish …",
                t.dir.display()
            );
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

    /// Writes one file; `path` is relative to the output folder, `/`-separated.
    pub fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), FsError> {
        let rel = safe_relative(path).ok_or_else(|| FsError {
            action: "refusing to write outside the output folder",
            path: PathBuf::from(path),
            source: io::Error::from(io::ErrorKind::InvalidInput),
        })?;
        if let Some(dir) = rel.parent() {
            self.ensure_dir(dir)?;
        }
        let dest = self.root.join(rel);
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
            pause_for_tests();
            // Files may have been added to the output while rendering: they would be lost.
            check_replaceable(&t, out_dir)
        })
        .and_then(|()| swap(&t, &tmp));
    if let Err(e) = finished {
        let _ = remove_tree(&tmp);
        return Err(e.into());
    }
    Ok(filled)
}

/// See [`PAUSE_ENV`].
fn pause_for_tests() {
    let Some(path) = std::env::var_os(PAUSE_ENV) else {
        return;
    };
    let path = PathBuf::from(path);
    if fs::write(&path, "paused before the swap\n").is_err() {
        return;
    }
    let start = std::time::Instant::now();
    while path.exists() && start.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Puts the new tree `tmp` (marked) at the target and removes the old one.
fn swap(t: &Target, tmp: &Path) -> Result<(), OutputError> {
    let unmark = |dir: &Path| {
        fs::remove_file(dir.join(MARK)).map_err(|source| FsError {
            action: "cannot remove",
            path: dir.join(MARK),
            source,
        })
    };
    if fs::symlink_metadata(&t.dir).is_err() {
        unmark(tmp)?;
        fsx::rename(tmp, &t.dir)?;
        return Ok(());
    }
    // The old tree takes the mark (it will bear the temporary folder's name), the new
    // one goes out without it.
    let (tmp_mark, old_mark) = (tmp.join(MARK), t.dir.join(MARK));
    let moved = fs::read(&tmp_mark)
        .and_then(|bytes| {
            write_new(&old_mark, &bytes).map_err(|e| e.source)?;
            fs::remove_file(&tmp_mark)
        })
        .map_err(|source| FsError {
            action: "cannot mark the old output",
            path: old_mark.clone(),
            source,
        });
    if let Err(e) = moved {
        return Err(e.into());
    }
    match exchange(tmp, &t.dir) {
        Ok(()) => {
            // `tmp` now holds the old tree; the new one is in place whatever happens next.
            retire(tmp, &t.dir);
            Ok(())
        }
        Err(e) if exchange_unsupported(&e) => {
            let old = t.temp("old");
            let _ = fs::remove_file(&old_mark);
            write_new(
                &old_mark,
                t.mark_text(&format!("old-{}", std::process::id()))
                    .as_bytes(),
            )?;
            fsx::rename(&t.dir, &old)?;
            if let Err(e) = fsx::rename(tmp, &t.dir) {
                let _ = fsx::rename(&old, &t.dir);
                let _ = fs::remove_file(&old_mark);
                return Err(e.into());
            }
            retire(&old, &t.dir);
            Ok(())
        }
        Err(source) => {
            let _ = fs::remove_file(&old_mark);
            Err(FsError {
                action: "cannot swap in the new output",
                path: t.dir.clone(),
                source,
            }
            .into())
        }
    }
}

/// Removes an old output tree `old` file by file as its manifest lists them. A file it
/// does not list (written into the output during the build) is moved to the same place
/// in `new` when that is free, and said on stderr; what cannot be moved stays in `old`,
/// which then loses its mark (it is never cleaned up by a build) and is named.
fn retire(old: &Path, new: &Path) {
    if let Err(e) = retire_into(old, new) {
        eprintln!(
            "warning: the new output is in place, but the old one could not be removed from {}: {e}",
            old.display()
        );
    }
}

fn retire_into(old: &Path, new: &Path) -> Result<(), OutputError> {
    let manifest = fs::read_to_string(old.join(MANIFEST)).unwrap_or_default();
    let listed: HashSet<&str> = if manifest.lines().next() == Some(MANIFEST_HEADER) {
        manifest.lines().skip(1).collect()
    } else {
        HashSet::new()
    };
    let mut found = Vec::new();
    walk(old, old, &mut found)?;
    let (ours, foreign): (Vec<String>, Vec<String>) = found
        .into_iter()
        .partition(|f| f == MANIFEST || f == MARK || listed.contains(f.as_str()));
    for r in crate::par::map(&ours, 64, |f| {
        let p = old.join(f);
        fs::remove_file(&p).map_err(|source| FsError {
            action: "cannot remove",
            path: p,
            source,
        })
    }) {
        r?;
    }
    let mut stayed = Vec::new();
    for f in foreign {
        let (from, to) = (old.join(&f), new.join(&f));
        let free = fs::symlink_metadata(&to).is_err();
        let moved = free
            && to.parent().is_none_or(|p| fs::create_dir_all(p).is_ok())
            && fs::rename(&from, &to).is_ok();
        if moved {
            eprintln!(
                "note: {f} was written into the output during the build; it is kept in {} (list it under static/ or move it away before the next build)",
                new.display()
            );
        } else {
            stayed.push(f);
        }
    }
    remove_empty_dirs(old);
    if !stayed.is_empty() {
        eprintln!(
            "warning: the old output was kept in {}: it holds {} that the build did not write and that could not be moved into the new output; move them away",
            old.display(),
            examples(&stayed)
        );
    }
    Ok(())
}

/// Removes the empty folders under `dir`, and `dir` if it is then empty.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(rd) = fs::read_dir(dir) {
        for entry in rd.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&entry.path());
            }
        }
    }
    let _ = fs::remove_dir(dir);
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the filesystem has no atomic exchange.
fn exchange_unsupported(e: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// With the lock held: put back an old tree a two-rename swap left without a successor,
/// and clean up the temporary folders of killed builds. Only folders marked as this
/// output's (see [`MARK`]) are touched; anyone else's look-alike is left as it is.
fn recover(t: &Target) -> Result<(), OutputError> {
    let prefix = format!(".{}.site-gen-", t.name);
    let mut leftovers: Vec<(bool, PathBuf)> = Vec::new();
    let rd = match fs::read_dir(&t.parent) {
        Ok(rd) => rd,
        Err(_) => return Ok(()),
    };
    for entry in rd.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|ft| ft.is_dir());
        let old = match rest.split_once('-') {
            Some(("old", pid)) if is_number(pid) => true,
            Some(("tmp", pid)) if is_number(pid) => false,
            _ => continue,
        };
        if is_dir && t.marked(&entry.path(), rest) {
            leftovers.push((old, entry.path()));
        }
    }
    leftovers.sort();
    if fs::symlink_metadata(&t.dir).is_err() {
        if let Some(pos) = leftovers.iter().position(|(old, _)| *old) {
            let (_, old) = leftovers.remove(pos);
            eprintln!(
                "restoring {} from an interrupted build ({})",
                t.dir.display(),
                old.display()
            );
            fsx::rename(&old, &t.dir)?;
            let mark = t.dir.join(MARK);
            fs::remove_file(&mark).map_err(|source| FsError {
                action: "cannot remove",
                path: mark,
                source,
            })?;
        }
    }
    for (_, dir) in leftovers {
        if fs::symlink_metadata(dir.join(MANIFEST)).is_ok() {
            // An old output (or a finished new one): only what its manifest lists.
            retire_leftover(&dir)?;
        } else {
            // Killed while rendering: everything in it was written by that build.
            remove_tree(&dir)?;
        }
    }
    Ok(())
}

/// [`retire`] of a killed build's folder, with no new tree to move anything into.
fn retire_leftover(dir: &Path) -> Result<(), OutputError> {
    let manifest = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let listed: HashSet<&str> = manifest.lines().skip(1).collect();
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    let mut stayed = Vec::new();
    for f in found {
        if f == MANIFEST || f == MARK || listed.contains(f.as_str()) {
            let p = dir.join(&f);
            fs::remove_file(&p).map_err(|source| FsError {
                action: "cannot remove",
                path: p,
                source,
            })?;
        } else {
            stayed.push(f);
        }
    }
    remove_empty_dirs(dir);
    if !stayed.is_empty() {
        eprintln!(
            "warning: {} is left from an interrupted build and holds {} that no build wrote; it is kept, move those files away",
            dir.display(),
            examples(&stayed)
        );
    }
    Ok(())
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Refuses a target that is not absent, an empty folder, or an earlier output whose
/// manifest lists every file in it.
fn check_replaceable(t: &Target, out: &Path) -> Result<(), OutputError> {
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

fn examples(files: &[String]) -> String {
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
fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), OutputError> {
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
fn remove_tree(dir: &Path) -> Result<(), FsError> {
    let entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
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
    fsx::remove_dir_all(dir)
}

/// `a/b/c.html` as a relative path with only normal components.
fn safe_relative(p: &str) -> Option<PathBuf> {
    let path = Path::new(p);
    let ok = !p.is_empty()
        && p != MANIFEST
        && p != MARK
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

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
