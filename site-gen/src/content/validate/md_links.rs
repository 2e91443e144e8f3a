//! Markdown as the checks see it: where each piece came from, the pages that show it,
//! and its unsafe and broken links.

use std::ops::Range;
use std::path::Path;

use crate::content::diag::{self, Diagnostic, Diagnostics};
use crate::content::links;
use crate::content::model::Site;

/// Where a piece of Markdown came from, for link diagnostics.
pub(super) struct MdSource<'a> {
    pub path: &'a Path,
    /// The file's whole text.
    pub text: &'a str,
    /// For Markdown inside a TOML string: the byte offset of the string token.
    pub toml_token: Option<usize>,
    pub md: String,
    /// The pages that show it (folder URLs): relative links must resolve from each.
    pub pages: Vec<String>,
}

pub(super) fn md_diag(src: &MdSource<'_>, range: Range<usize>, msg: String) -> Diagnostic {
    match src.toml_token {
        None => Diagnostic::at(src.path, src.text, range, msg),
        Some(token) => {
            let (tline, tcol, _) = diag::position(src.text, token);
            let (mline, mcol, _) = diag::position(&src.md, range.start);
            let rest = src.text.get(token..).unwrap_or("");
            // A multi-line string's first newline is not part of the value.
            let skip = if rest.starts_with("\"\"\"\n") || rest.starts_with("'''\n") {
                1
            } else {
                0
            };
            let (line, col) = if mline == 1 && skip == 0 {
                let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                    3
                } else {
                    1
                };
                (tline, tcol + quote + mcol - 1)
            } else {
                (tline + mline - 1 + skip, mcol)
            };
            Diagnostic::at_line(src.path, src.text, line, col, msg)
        }
    }
}

/// A warning for each link or image to an address that is not safe (shown as text).
pub(super) fn unsafe_links(md_sources: &[MdSource<'_>]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for src in md_sources {
        for (target, image, range) in links::unsafe_urls(&src.md) {
            let msg = format!(
                "warning: {} `{}` is not a safe address (only http, https, mailto, tel and paths of the site are): it is shown as {}",
                if image { "image" } else { "link to" },
                diag::cut(&target, 80),
                if image { "its text, without the image" } else { "text that links nowhere" }
            );
            warnings.push(md_diag(src, range, msg));
        }
    }
    warnings
}

/// An error for each internal link to a page the site does not have.
pub(super) fn broken_links(site: &Site, md_sources: &[MdSource<'_>], d: &mut Diagnostics) {
    let known = links::known_paths(site);
    for src in md_sources {
        for (target, range) in links::internal_links(&src.md) {
            if target.starts_with('/') {
                if !links::resolves(&target, &known) {
                    let msg = format!(
                        "broken internal link `{target}`: no page of the site has this path"
                    );
                    d.push(md_diag(src, range, msg));
                }
                continue;
            }
            // A relative link: from every page that shows this text.
            if let Some(page) = src
                .pages
                .iter()
                .find(|page| !links::resolves(&crate::urls::join(page, &target), &known))
            {
                let msg = format!(
                    "broken relative link `{target}`: from {page} it leads to {}, which no page of the site has",
                    crate::urls::join(page, &target)
                );
                d.push(md_diag(src, range, msg));
            }
        }
    }
}
