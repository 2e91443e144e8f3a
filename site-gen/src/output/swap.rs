//! The swap: the new output folder exchanged with the old one in one step
//! (renameat2's RENAME_EXCHANGE on Linux, two renames elsewhere), the old one retired,
//! and what an interrupted swap left behind recovered by the next build.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::target::{
    examples, remove_tree, walk, write_new, OutputError, Target, MANIFEST, MANIFEST_HEADER, MARK,
};
use crate::fsx::{self, FsError};

/// For tests only: a path; before the swap's last check of the output, a build writes a
/// file there and waits until it is removed (so that a test can change the output at
/// that very moment).
pub const PAUSE_ENV: &str = "SITE_GEN_TEST_PAUSE_BEFORE_SWAP";

/// For tests only: the same pause after that last check, just before the exchange: a
/// file written then is found by [`retire`] in the old tree and moved, never removed.
pub const PAUSE_AFTER_CHECK_ENV: &str = "SITE_GEN_TEST_PAUSE_AFTER_LAST_CHECK";

/// See [`PAUSE_ENV`]; `env` is the variable naming the path.
pub fn pause_for_tests(env: &str) {
    let Some(path) = std::env::var_os(env) else {
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
pub fn swap(t: &Target, tmp: &Path) -> Result<(), OutputError> {
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
/// does not list, or one changed after the manifest was written (written into the
/// output during the build, even in the instant before the swap) is moved to the same place
/// in `new` when that is free, and said on stderr; what cannot be moved stays in `old`,
/// which then loses its mark (it is never cleaned up by a build) and is named.
pub fn retire(old: &Path, new: &Path) {
    if let Err(e) = retire_into(old, new) {
        crate::messages::eprint(format_args!(
            "warning: the new output is in place, but the old one could not be removed from {}: {e}",
            old.display()
        ));
    }
}

pub fn retire_into(old: &Path, new: &Path) -> Result<(), OutputError> {
    let manifest = fs::read_to_string(old.join(MANIFEST)).unwrap_or_default();
    let listed: HashSet<&str> = if manifest.lines().next() == Some(MANIFEST_HEADER) {
        manifest.lines().skip(1).collect()
    } else {
        HashSet::new()
    };
    let mut found = Vec::new();
    walk(old, old, &mut found)?;
    // A listed file changed after the manifest was written (the last file a build
    // writes) is someone's, written over the build's: kept like a file not listed.
    let written = fs::symlink_metadata(old.join(MANIFEST)).and_then(|m| m.modified());
    let changed_since = |f: &str| match &written {
        Ok(at) => fs::symlink_metadata(old.join(f))
            .and_then(|m| m.modified())
            .is_ok_and(|m| m > *at),
        Err(_) => false,
    };
    // The manifest and the mark go last (below): a build killed while this one removes
    // files leaves a folder the next build still knows as a build's, and cleans up.
    found.retain(|f| f != MANIFEST && f != MARK);
    let (ours, foreign): (Vec<String>, Vec<String>) = found
        .into_iter()
        .partition(|f| listed.contains(f.as_str()) && !changed_since(f));
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
    // A page or copy the new tree took over by a hard link shares its file with the old
    // tree: written in place during the build, it changed in both. The new tree's is made
    // the build's again (a page from its `.gz`; a copy is dropped, the host serves the
    // page itself), before the one written is kept below. Copies after their pages.
    let mut shared: Vec<&String> = foreign
        .iter()
        .filter(|f| same_file::is_same_file(old.join(f), new.join(f)).unwrap_or(false))
        .collect();
    shared.sort_by_key(|f| f.ends_with(".gz") || f.ends_with(".br"));
    for f in shared {
        let page = new.join(f);
        let restored = if f.ends_with(".gz") || f.ends_with(".br") {
            fs::remove_file(&page).is_ok()
        } else {
            super::precompress::restore_from_copy(&page)
        };
        if !restored {
            crate::messages::eprint(format_args!(
                "warning: {f} was written over during the build and the new output holds what was written; build again",
            ));
        }
    }
    let mut stayed = Vec::new();
    for f in foreign {
        let (from, to) = (old.join(&f), new.join(&f));
        let free = fs::symlink_metadata(&to).is_err();
        let moved = free
            && to.parent().is_none_or(|p| fs::create_dir_all(p).is_ok())
            && fs::rename(&from, &to).is_ok();
        if moved {
            crate::messages::eprint(format_args!(
                "note: {f} was written into the output during the build; it is kept in {} (list it under static/ or move it away before the next build)",
                new.display()
            ));
        } else {
            stayed.push(f);
        }
    }
    remove_last(old)?;
    if !stayed.is_empty() {
        crate::messages::eprint(format_args!(
            "warning: the old output was kept in {}: it holds {} that the build did not write and that could not be moved into the new output; move them away",
            old.display(),
            examples(&stayed)
        ));
    }
    Ok(())
}

/// The end of a retired tree `dir`, its other files gone: its empty folders, then its
/// manifest, then its mark (until then a build killed meanwhile leaves a folder the
/// next one cleans up), then `dir` itself when it is empty.
fn remove_last(dir: &Path) -> Result<(), OutputError> {
    if let Ok(rd) = fs::read_dir(dir) {
        for entry in rd.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&entry.path());
            }
        }
    }
    for f in [MANIFEST, MARK] {
        let p = dir.join(f);
        match fs::remove_file(&p) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(FsError {
                    action: "cannot remove",
                    path: p,
                    source: e,
                }
                .into())
            }
            _ => {}
        }
    }
    let _ = fs::remove_dir(dir);
    Ok(())
}

/// Removes the empty folders under `dir`, and `dir` if it is then empty.
pub fn remove_empty_dirs(dir: &Path) {
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
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the filesystem has no atomic exchange.
pub fn exchange_unsupported(e: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// With the lock held: put back an old tree a two-rename swap left without a successor,
/// and clean up the temporary folders of killed builds. Only folders marked as this
/// output's (see [`MARK`]) are touched; anyone else's look-alike is left as it is.
pub fn recover(t: &Target) -> Result<(), OutputError> {
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
            crate::messages::eprint(format_args!(
                "restoring {} from an interrupted build ({})",
                t.dir.display(),
                old.display()
            ));
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
pub fn retire_leftover(dir: &Path) -> Result<(), OutputError> {
    let manifest = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let listed: HashSet<&str> = manifest.lines().skip(1).collect();
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    found.retain(|f| f != MANIFEST && f != MARK);
    let mut stayed = Vec::new();
    for f in found {
        if listed.contains(f.as_str()) {
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
    remove_last(dir)?;
    if !stayed.is_empty() {
        crate::messages::eprint(format_args!(
            "warning: {} is left from an interrupted build and holds {} that no build wrote; it is kept, move those files away",
            dir.display(),
            examples(&stayed)
        ));
    }
    Ok(())
}

pub fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
