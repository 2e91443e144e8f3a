//! `static/` beside `content/`: files a site ships as they are (a `CNAME`, `robots.txt`,
//! a logo), copied into the output at the same path (`static/img/logo.png` →
//! `dist/img/logo.png`).
//!
//! A build refuses foreign files in its output folder, so this folder is the only way to
//! ship them; they become the build's own files (listed in its manifest, replaced and
//! removed with the rest). The folder gets the rules of content files: nothing outside
//! the site's folder is read (a symlink leading out of it, or a dangling one, is an
//! error naming the file), and anything that is not a plain file or folder (a FIFO, a
//! device) is an error too. A name the build writes itself (a page, an asset, a
//! precompressed copy, the manifest) is an error naming both the static file and the
//! generated one, as are two names that only letter case tells apart (one file on a
//! case-insensitive disk).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::fsx::{self, FsError};
use crate::render::{OutputFile, Sink};

/// The folder's name, beside `content/`.
pub const DIR: &str = "static";

/// One file of `static/`: where it is, and its path in the output (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    pub source: PathBuf,
    pub path: String,
}

/// `static/` for a content folder: beside it.
pub fn dir_for(content: &Path) -> Option<PathBuf> {
    content.parent().map(|p| p.join(DIR))
}

fn problem(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message,
        source_line: None,
    }
}

/// The files of the `static/` folder beside `content` (none when there is no such
/// folder), sorted by output path; every file that cannot be shipped, each named.
pub fn list(content: &Path) -> Result<Vec<StaticFile>, Diagnostics> {
    let Some(dir) = dir_for(content) else {
        return Ok(Vec::new());
    };
    let meta = match std::fs::symlink_metadata(&dir) {
        Ok(m) => m,
        Err(_) => return Ok(Vec::new()),
    };
    let mut problems = Diagnostics::default();
    // The site's folder: the one holding content/ and static/.
    let site = content.parent().and_then(|p| std::fs::canonicalize(p).ok());
    let mut files = Vec::new();
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {
            walk(&dir, "", site.as_deref(), &mut files, &mut problems);
        }
        Ok(m) => problems.push(problem(
            &dir,
            format!(
                "static/ is {}, not a folder: put the files to ship as they are (CNAME, robots.txt, a logo) in a folder named static beside content/",
                fsx::kind_of(&m)
            ),
        )),
        Err(_) if meta.file_type().is_symlink() => problems.push(problem(
            &dir,
            "static/ is a symlink to a folder that does not exist; remove the link or make the folder".into(),
        )),
        Err(e) => problems.push(problem(&dir, format!("this folder cannot be read ({e})"))),
    }
    // Two names one file on a case-insensitive disk (Windows, macOS).
    let mut folded: BTreeMap<String, Vec<&StaticFile>> = BTreeMap::new();
    for f in &files {
        folded.entry(f.path.to_lowercase()).or_default().push(f);
    }
    for same in folded.values().filter(|v| v.len() > 1) {
        problems.push(problem(
            &same[1].source,
            format!(
                "this file and {} differ only in letter case: on a case-insensitive disk (Windows, macOS) they are one file; rename one",
                same[0].source.display()
            ),
        ));
    }
    if problems.is_empty() {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    } else {
        Err(problems)
    }
}

fn walk(
    dir: &Path,
    prefix: &str,
    site: Option<&Path>,
    files: &mut Vec<StaticFile>,
    problems: &mut Diagnostics,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            problems.push(problem(dir, format!("this folder cannot be read ({e})")));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            problems.push(problem(
                &path,
                "this file's name is not valid Unicode, so it cannot be a web address; rename it"
                    .into(),
            ));
            continue;
        };
        let rel = format!("{prefix}{name}");
        let real = match std::fs::canonicalize(&path) {
            Ok(r) => r,
            Err(e) => {
                let message = match std::fs::read_link(&path) {
                    Ok(to) => format!(
                        "this file is a symlink to {}, which does not exist; remove the link or put the file there",
                        to.display()
                    ),
                    Err(_) => format!("this file cannot be read ({e})"),
                };
                problems.push(problem(&path, message));
                continue;
            }
        };
        if site.is_none_or(|s| !real.starts_with(s)) {
            problems.push(problem(
                &path,
                format!(
                    "this file is a symlink to {}, outside the site's folder: nothing outside it is copied into the site; copy the file into static/ instead",
                    real.display()
                ),
            ));
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &format!("{rel}/"), site, files, problems),
            Ok(m) if m.is_file() => files.push(StaticFile {
                source: path,
                path: rel,
            }),
            Ok(m) => problems.push(problem(
                &path,
                format!(
                    "this is {}, not a file: static/ holds files to ship as they are",
                    fsx::kind_of(&m)
                ),
            )),
            Err(e) => problems.push(problem(&path, format!("this file cannot be read ({e})"))),
        }
    }
}

/// The static files whose output path is one the build writes itself (`generated`, the
/// paths of the rendered files): a file of the same name (letter case aside), a page's
/// folder, a file above a page, or a precompressed copy (`.gz`, `.br`) of a generated
/// file; and the build's manifest.
pub fn clashes(files: &[StaticFile], generated: &[String]) -> Diagnostics {
    let mut d = Diagnostics::default();
    let by_name: BTreeMap<String, &str> = generated
        .iter()
        .map(|p| (p.to_lowercase(), p.as_str()))
        .collect();
    let mut folders: BTreeMap<String, &str> = BTreeMap::new();
    for p in generated {
        let mut at = 0;
        while let Some(i) = p[at..].find('/') {
            folders
                .entry(p[..at + i].to_lowercase())
                .or_insert(p.as_str());
            at += i + 1;
        }
    }
    for f in files {
        let lower = f.path.to_lowercase();
        let reserved = [crate::output::MANIFEST, crate::output::MARK]
            .iter()
            .any(|m| f.path.split('/').next() == Some(m));
        let clash = if reserved {
            Some(format!(
                "{} is the name of the build's own record of its files; rename this file",
                f.path
            ))
        } else if let Some(g) = by_name.get(&lower) {
            Some(format!(
                "this file would be written as {}, which the build writes itself ({g}); rename or remove it",
                f.path
            ))
        } else if let Some(g) = folders.get(&lower) {
            Some(format!(
                "this file would be written as {}, a folder of the build's own files (such as {g}); rename or remove it",
                f.path
            ))
        } else if let Some(g) = ancestors(&lower).find_map(|a| by_name.get(a)) {
            Some(format!(
                "this file would be written under {g}, a file the build writes itself; move it elsewhere in static/"
            ))
        } else {
            [".gz", ".br"].iter().find_map(|ext| {
                let stem = lower.strip_suffix(ext)?;
                by_name.get(stem).map(|g| {
                    format!(
                        "this file would be written as {}, the precompressed copy that the build writes of its own {g}; rename or remove it",
                        f.path
                    )
                })
            })
        };
        if let Some(message) = clash {
            d.push(problem(&f.source, message));
        }
    }
    d
}

/// `a/b/c` → `a/b`, `a`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        let i = rest.rfind('/')?;
        rest = &rest[..i];
        Some(rest)
    })
}

/// Copies `files` into `sink`, each as it is.
pub fn copy(files: &[StaticFile], sink: &dyn Sink) -> Result<(), FsError> {
    for r in crate::par::map(files, 16, |f| {
        let bytes = fsx::read(&f.source)?;
        sink.put(OutputFile::new(f.path.clone(), bytes))
    }) {
        r?;
    }
    Ok(())
}

/// The output paths of `files`.
pub fn paths(files: &[StaticFile]) -> BTreeSet<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> StaticFile {
        StaticFile {
            source: PathBuf::from(format!("static/{path}")),
            path: path.into(),
        }
    }

    #[test]
    fn a_name_the_build_writes_is_a_clash_naming_both() {
        let generated: Vec<String> = [
            "index.html",
            "assets/style.1234abcd.css",
            "forms/x/index.html",
        ]
        .map(String::from)
        .to_vec();
        let files = [
            file("CNAME"),
            file("Index.html"),
            file("assets"),
            file("index.html/x"),
            file("index.html.gz"),
            file("assets/logo.png"),
            file(".site-gen"),
        ];
        let d = clashes(&files, &generated);
        let text: Vec<String> =
            d.0.iter()
                .map(|d| format!("{}: {}", d.path.display(), d.message))
                .collect();
        assert_eq!(d.len(), 5, "{text:#?}");
        assert!(
            text[0].starts_with("static/Index.html:") && text[0].contains("(index.html)"),
            "{}",
            text[0]
        );
        assert!(
            text[1].contains("static/assets:") && text[1].contains("assets/style.1234abcd.css"),
            "{}",
            text[1]
        );
        assert!(text[2].contains("under index.html"), "{}", text[2]);
        assert!(
            text[3].contains("precompressed copy") && text[3].contains("index.html"),
            "{}",
            text[3]
        );
        assert!(text[4].contains("record of its files"), "{}", text[4]);
    }
}
