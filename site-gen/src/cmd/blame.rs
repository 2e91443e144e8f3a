//! Whose fault a refused import is: the errors of the content checked with what an
//! import would write, split into those the content already had before the import and
//! those the import brings. Both imports use it: a plan list from a spreadsheet
//! (`import.rs`) and a notice from Word (`import_docx.rs`).

use super::Failure;
use crate::content::{Diagnostic, Diagnostics};

/// The failure of an import the content check refuses. `after`: the errors of the
/// content with the import; `before`: those of the content without it. An error of
/// `after` is one the content had already when `before` holds the same (the same file,
/// column, message and line's text; the line's number may differ, as new lines above
/// it move it down), each of `before` standing for one of `after` only, and when it is
/// not in what the import writes (`written`). Those are listed first, as `before`
/// places them (where they are in the files now), saying they were there before the
/// import and naming their files; the others are put down to the import, under them
/// `brought` (the closing line, in the run's language). Exit 1, nothing written.
pub(super) fn refused(
    after: Diagnostics,
    before: &Diagnostics,
    written: impl Fn(&Diagnostic) -> bool,
    shown: &str,
    brought: &str,
) -> Failure {
    let mut unmatched: Vec<&Diagnostic> = before.0.iter().collect();
    let mut had: Vec<Diagnostic> = Vec::new();
    let mut new: Vec<Diagnostic> = Vec::new();
    for x in after.0 {
        let found = if written(&x) {
            None
        } else {
            unmatched.iter().position(|b| same_error(b, &x))
        };
        match found {
            Some(i) => had.push(unmatched.swap_remove(i).clone()),
            None => new.push(x),
        }
    }
    let mut s = String::new();
    if !had.is_empty() {
        let mut in_files: Vec<String> = Vec::new();
        for x in &had {
            let f = x.path.display().to_string();
            if !in_files.contains(&f) {
                in_files.push(f);
            }
        }
        let in_files = in_files.join(", ");
        let had = Diagnostics(had);
        s = if new.is_empty() {
            format!("{had}\nthe content already had the errors above before this import (in {in_files}), not from {shown}: correct them and import again; nothing written")
        } else {
            format!("{had}\nthe content already had the errors above before this import (in {in_files}), not from {shown}\n")
        };
    }
    if !new.is_empty() {
        s.push_str(&format!("{}\n{brought}", Diagnostics(new)));
    }
    Failure::Import(s)
}

/// The same error, perhaps on another line's number.
fn same_error(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.path == b.path
        && a.column == b.column
        && a.message == b.message
        && a.source_line == b.source_line
}
