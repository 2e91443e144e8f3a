//! `site-gen import FILE --notice SLUG --list ID`: a plan list from a spreadsheet into a
//! notice file.
//!
//! Reads the sheet ([`crate::import`]), rewrites the list in the notice's TOML, then
//! validates the whole site with the new text before anything touches the disk: a cell
//! that cannot be read, or content the rewritten file would break, writes nothing (exit
//! 1); an error the content had before the import is said to be so, not put down to the
//! sheet ([`super::blame`]). The file is replaced by a rename, never left half-written.
//! `--dry-run` prints the same summary and writes nothing.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::Failure;
use crate::content::{self, model, Diagnostic, Diagnostics};
use crate::fsx;
use crate::import::read::{self, Kind};
use crate::import::write::{self, WriteError};
use crate::import::{table, CellError, Imported};

#[derive(Debug, Clone)]
pub struct ImportArgs {
    pub file: PathBuf,
    pub notice: String,
    pub list: String,
    pub content: PathBuf,
    /// The sheet to read; by default the one sheet that has a header row.
    pub sheet: Option<String>,
    pub dry_run: bool,
}

/// `site-gen import notice.docx`: a whole notice from Word ([`crate::import::docx`]).
pub fn import_notice(args: &crate::cmd::import_docx::NoticeArgs) -> Result<String, Failure> {
    crate::cmd::import_docx::import_notice(args)
}

/// Returns the summary printed on success.
pub fn import(args: &ImportArgs) -> Result<String, Failure> {
    let shown = args.file.display().to_string();
    let docx = crate::import::docx::is_document_path(&args.file);
    if !docx && Kind::of(&args.file).is_none() {
        return Err(Failure::Usage(format!(
            "{shown}: not a spreadsheet this command reads: expected a .xlsx, .xls, .ods or .csv file"
        )));
    }
    if !args.file.is_file() {
        return Err(Failure::Io(format!("{shown}: no such file")));
    }
    let raw = content::load(&args.content)?;
    let Some(idx) = raw.notices.iter().position(|f| f.stem() == args.notice) else {
        let known: Vec<String> = raw.notices.iter().map(|f| f.stem()).collect();
        return Err(Failure::Usage(format!(
            "unknown notice `{}` (notices in {}: {})",
            args.notice,
            args.content.display(),
            known.join(", ")
        )));
    };
    let (imported, source_notes, charset) = if docx {
        let (imported, notes) =
            crate::cmd::import_docx::list_table(&args.file, &shown, args.sheet.as_deref())?;
        (imported, notes, String::new())
    } else {
        let wb = read::read_file(&args.file, &shown).map_err(|e| Failure::Io(e.to_string()))?;
        let imported = pick_sheet(&shown, &wb.sheets, args.sheet.as_deref())?;
        let mut notes: Vec<String> = wb
            .notes
            .iter()
            .filter(|n| n.place.sheet == imported.sheet)
            .map(ToString::to_string)
            .collect();
        notes.extend(imported.notes.iter().map(ToString::to_string));
        let charset = wb
            .charset
            .map(|c| format!(" (read as {})", crate::import::decode::name(c)))
            .unwrap_or_default();
        (imported, notes, charset)
    };

    let notice_file = raw.notices[idx].clone();
    let rewritten = match write::replace_list(&notice_file.text, &args.list, &imported.programs) {
        Ok(t) => t,
        Err(WriteError::NoList { known }) => {
            return Err(Failure::Usage(format!(
                "notice `{}` has no list `{}` (its lists: {}); a new list needs its [[lists]] \
                 entry with id and title in {} first",
                args.notice,
                args.list,
                known.join(", "),
                notice_file.path.display()
            )))
        }
        Err(WriteError::Syntax(_)) => {
            // The content check says where, with the offending line.
            return Err(match content::validate(&raw) {
                Err(d) => Failure::Content(d),
                Ok(_) => Failure::Import(format!(
                    "{}: cannot be parsed as TOML",
                    notice_file.path.display()
                )),
            });
        }
    };
    // The programs are in the new text now: only the summary's figures are kept, so that
    // the site's check below holds one copy of the list, not two.
    let (count, sheet, header_row) = (imported.programs.len(), imported.sheet, imported.header_row);
    drop(imported.programs);

    let (old_list, before) = old_list(&raw, idx, args, rewritten.old);
    // Where the list's programs are in the new text: an error there is the sheet's, even
    // one the content had already (the sheet holds it still). Unknown when the text is
    // checked whole: then the whole file.
    let list_span = rewritten
        .tables
        .as_ref()
        .map(|t| t.first().map_or(0, |r| r.start)..t.last().map_or(0, |r| r.end));
    // The site with the new text; the loaded files are moved, not copied. The notice is
    // checked as its other parts and then each program's table alone, as written: the
    // same checks and places as the whole file's, without a document tree of the list.
    let mut new_raw = raw;
    new_raw.notices[idx].text = rewritten.text;
    let checked = match rewritten.tables {
        Some(tables) => content::validate_spliced(
            &new_raw,
            &content::Spliced {
                notice: idx,
                list: args.list.clone(),
                tables,
                others: rewritten.others,
            },
        ),
        None => content::validate(&new_raw),
    };
    let new_list = match checked {
        Ok(site) => take_list(site, &args.notice, &args.list).unwrap_or_default(),
        Err(d) => {
            let text = &new_raw.notices[idx].text;
            // The lines of the programs' tables (none for an empty list).
            let lines = list_span.map(|r| match r.end.checked_sub(1) {
                Some(last) if !r.is_empty() => line_of(text, r.start)..line_of(text, last) + 1,
                _ => 0..0,
            });
            let written = |x: &Diagnostic| {
                x.path == notice_file.path && lines.as_ref().is_none_or(|l| l.contains(&x.line))
            };
            return Err(super::blame::refused(
                d,
                &before,
                written,
                &shown,
                &format!("the list read from {shown} would make the content above invalid: nothing written"),
            ));
        }
    };
    let new_text = std::mem::take(&mut new_raw.notices[idx].text);
    drop(new_raw);

    let mut out = String::new();
    out.push_str(&format!(
        "{} list {}: {count} programs from {shown}{charset}, sheet {sheet}, header row {}\n",
        args.notice,
        args.list,
        header_row + 1
    ));
    let counts = changes(&mut out, old_list.as_ref(), &new_list);
    drop(new_list);
    for n in &source_notes {
        out.push_str(&format!("note: {n}\n"));
    }
    let path = &notice_file.path;
    if new_text == notice_file.text {
        out.push_str(&format!(
            "{} already holds this list: nothing to write",
            path.display()
        ));
    } else if args.dry_run {
        out.push_str(&format!(
            "dry run: {} not written ({counts})",
            path.display()
        ));
    } else {
        fsx::replace(path, new_text.as_bytes())?;
        out.push_str(&format!("wrote {} ({counts})", path.display()));
    }
    Ok(out)
}

/// The sheet to import: the one named, or the one sheet with a header row.
fn pick_sheet(
    shown: &str,
    sheets: &[crate::import::Sheet],
    wanted: Option<&str>,
) -> Result<Imported, Failure> {
    let cell_errors = |errs: Vec<CellError>| {
        let mut s: String = errs.iter().map(|e| format!("{e}\n")).collect();
        s.push_str(&format!(
            "{} cell{} of {shown} could not be read: nothing written",
            errs.len(),
            if errs.len() == 1 { "" } else { "s" }
        ));
        Failure::Import(s)
    };
    if let Some(name) = wanted {
        let Some(sheet) = sheets.iter().find(|s| s.name == name) else {
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            return Err(Failure::Usage(format!(
                "{shown} has no sheet `{name}` (its sheets: {})",
                names.join(", ")
            )));
        };
        return match table::programs(shown, sheet) {
            Ok(Some(i)) => Ok(i),
            Ok(None) => Err(Failure::Import(no_header(shown, &[sheet.name.as_str()]))),
            Err(e) => Err(cell_errors(e)),
        };
    }
    let with_header: Vec<&crate::import::Sheet> = sheets
        .iter()
        .filter(|s| table::find_header(s).is_some())
        .collect();
    match with_header.as_slice() {
        [] => {
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            Err(Failure::Import(no_header(shown, &names)))
        }
        [one] => match table::programs(shown, one) {
            Ok(Some(i)) => Ok(i),
            Ok(None) => Err(Failure::Import(no_header(shown, &[one.name.as_str()]))),
            Err(e) => Err(cell_errors(e)),
        },
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.name.as_str()).collect();
            Err(Failure::Usage(format!(
                "{shown} has a plan list on each of the sheets {}: choose one with --sheet NAME",
                names.join(", ")
            )))
        }
    }
}

fn no_header(shown: &str, sheets: &[&str]) -> String {
    format!(
        "{shown}: no header row found on {} {}: expected a row with the column names 高研班名称 and \
         举办单位 (and any of {}), below any title rows",
        if sheets.len() == 1 { "sheet" } else { "sheets" },
        sheets.join(", "),
        table::HEADERS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The 1-based number of the line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .get(..offset)
        .unwrap_or(text.as_bytes())
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The list's programs as they were, for what changed, and the errors of the content as
/// it was (none when it checks); no programs when it does not check. The notice is
/// checked by parts when its programs' tables were read one by one (the same checks and
/// findings as the whole file's).
fn old_list(
    raw: &content::Raw,
    idx: usize,
    args: &ImportArgs,
    parts: Option<write::Parts>,
) -> (Option<Vec<model::Program>>, Diagnostics) {
    let site = match parts {
        Some(parts) => content::validate_spliced(
            raw,
            &content::Spliced {
                notice: idx,
                list: args.list.clone(),
                tables: parts.tables,
                others: parts.others,
            },
        ),
        None => content::validate(raw),
    };
    match site {
        Ok(site) => (
            take_list(site, &args.notice, &args.list),
            Diagnostics::default(),
        ),
        Err(d) => (None, d),
    }
}

/// The programs of list `list` of notice `notice`, moved out of the checked site (which
/// is dropped with everything else it holds).
fn take_list(mut site: model::Site, notice: &str, list: &str) -> Option<Vec<model::Program>> {
    let n = site.notices.iter_mut().find(|n| n.slug == notice)?;
    match std::sync::Arc::get_mut(n) {
        Some(n) => {
            let l = n.lists.iter_mut().find(|l| l.id == list)?;
            Some(std::mem::take(&mut l.programs))
        }
        None => n
            .lists
            .iter()
            .find(|l| l.id == list)
            .map(|l| l.programs.clone()),
    }
}

/// One line per program that is added, changed or removed; returns the counts.
fn changes(out: &mut String, old: Option<&Vec<model::Program>>, new: &[model::Program]) -> String {
    let empty = Vec::new();
    let old = old.unwrap_or(&empty);
    // By name, the first program of each name (as a search from the top finds it): a
    // list of 50,000 programs is compared in one pass, not 50,000 × 50,000.
    let mut old_by_name: HashMap<&str, &model::Program> = HashMap::with_capacity(old.len());
    for o in old {
        old_by_name.entry(o.name.as_str()).or_insert(o);
    }
    let new_names: HashSet<&str> = new.iter().map(|p| p.name.as_str()).collect();
    let (mut same, mut changed, mut added) = (0, 0, 0);
    for (i, p) in new.iter().enumerate() {
        match old_by_name.get(p.name.as_str()).copied() {
            Some(o) if o == p => same += 1,
            Some(o) => {
                changed += 1;
                let mut what = Vec::new();
                if o.organizer != p.organizer {
                    what.push("organizer");
                }
                if o.category != p.category {
                    what.push("category");
                }
                if o.funding != p.funding {
                    what.push("funding");
                }
                if o.amount_wan != p.amount_wan {
                    what.push("amount_wan");
                }
                if o.contacts != p.contacts {
                    what.push("contacts");
                }
                out.push_str(&format!(
                    "  changed {:>3} {} ({})\n",
                    i + 1,
                    p.name,
                    what.join(", ")
                ));
            }
            None => {
                added += 1;
                out.push_str(&format!("  added   {:>3} {}\n", i + 1, p.name));
            }
        }
    }
    let mut removed = 0;
    for o in old {
        if !new_names.contains(o.name.as_str()) {
            removed += 1;
            out.push_str(&format!("  removed     {} (not in the sheet)\n", o.name));
        }
    }
    format!("{same} unchanged, {changed} changed, {added} added, {removed} removed")
}
