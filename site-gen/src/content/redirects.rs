//! A notice's former addresses (`former_slugs = ["wenzhou-2020-old"]` in its TOML): a
//! notice moved to another slug keeps a page at each old address that sends the reader
//! to the new one (render::redirects). Checked here, with every problem at its file and
//! line: a former slug is a plain folder name, and no two pages claim one address (a
//! live notice's slug, another notice's former slug, or the notice's own).

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::diag::Diagnostic;
use super::load::SourceFile;

/// The key of the notice's TOML.
pub const KEY: &str = "former_slugs";

#[derive(Deserialize)]
struct Former {
    #[serde(default)]
    former_slugs: Vec<Spanned<String>>,
}

/// The former slugs written in one notice file, each with its place (none when the
/// file does not parse: its errors are reported where it is read).
fn written(file: &SourceFile) -> Vec<(String, Range<usize>)> {
    if !file.text.contains(KEY) {
        return Vec::new();
    }
    toml::from_str::<Former>(&file.text)
        .map(|f| {
            f.former_slugs
                .into_iter()
                .map(|s| (s.get_ref().trim().to_string(), s.span()))
                .collect()
        })
        .unwrap_or_default()
}

/// Why `slug` cannot be a folder of the site's address, if it cannot.
fn not_a_slug(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("is empty")
    } else if slug == "." || slug == ".." {
        Some("is not a folder name")
    } else if slug.contains(['/', '\\', '?', '#', '%']) {
        Some("holds a character an address cannot hold in a folder name (/ \\ ? # %)")
    } else if slug.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some("holds a space or a control character")
    } else {
        None
    }
}

/// Checks every notice's former slugs against the live ones (the notices' file names)
/// and each other; returns the problems, in file order.
pub fn check(notices: &[SourceFile]) -> Vec<Diagnostic> {
    let live: HashMap<String, &SourceFile> = notices
        .iter()
        .map(|f| (f.stem().to_lowercase(), f))
        .collect();
    let mut claimed: HashMap<String, &SourceFile> = HashMap::new();
    let mut out = Vec::new();
    for file in notices {
        for (slug, span) in written(file) {
            let at =
                |message: String| Diagnostic::at(&file.path, &file.text, span.clone(), message);
            if let Some(why) = not_a_slug(&slug) {
                out.push(at(format!(
                    "the former slug “{slug}” {why}: write the notice's old file name without .toml"
                )));
                continue;
            }
            let key = slug.to_lowercase();
            if let Some(other) = live.get(&key) {
                let message = if std::ptr::eq(*other, file) {
                    format!("the former slug “{slug}” is this notice's own slug: drop it")
                } else {
                    format!(
                        "the former slug “{slug}” is the slug of a live notice ({}): /notices/{slug}/ cannot be both; drop it or rename that notice",
                        other.path.display()
                    )
                };
                out.push(at(message));
            } else if let Some(other) = claimed.insert(key, file) {
                out.push(at(format!(
                    "the former slug “{slug}” is already a former slug of {}: one old address can lead to one notice only",
                    other.path.display()
                )));
            }
        }
    }
    out
}
