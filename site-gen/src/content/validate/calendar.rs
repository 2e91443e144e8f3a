//! The holiday calendars, one file a year.

use wasm_forms::calendar::{self, Calendar, CalendarYear, Step};

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::Raw;

use super::syntax::toml_diag;

pub(super) fn calendars(raw: &Raw, d: &mut Diagnostics) -> Option<Calendar> {
    let mut years: Vec<CalendarYear> = Vec::new();
    // The file of each year read, in the same order.
    let mut files = Vec::new();
    let mut ok = true;
    for f in &raw.calendars {
        match calendar::parse_year(&f.text) {
            Ok(y) => {
                if y.year.to_string() != f.stem() {
                    let year = crate::content::toml_errors::span_at(&f.text, &[Step::Key("year")]);
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        year.unwrap_or(0..0),
                        format!(
                            "year = {} does not match the file name `{}`",
                            y.year,
                            f.file_name()
                        ),
                    ));
                    ok = false;
                }
                years.push(y);
                files.push(f);
            }
            Err(e) => {
                d.push(toml_diag(&f.path, &f.text, &e));
                ok = false;
            }
        }
    }
    if years.is_empty() {
        return None;
    }
    match Calendar::from_years(years) {
        Ok(c) if ok => Some(c),
        Ok(_) => None,
        Err(errors) => {
            // Each problem at its own file, on the line of the value it is about.
            for e in errors {
                let Some(f) = files.get(e.file) else { continue };
                let span = crate::content::toml_errors::span_at(&f.text, &e.at).unwrap_or(0..0);
                d.push(Diagnostic::at(&f.path, &f.text, span, e.message));
            }
            None
        }
    }
}

/// The calendar the rules are checked against: read, absent (no calendar files), or
/// unreadable — its files have errors of their own, already reported, so that a year
/// is not reported missing as well.
#[derive(Clone, Copy)]
pub(super) enum CalendarRead<'a> {
    Read(&'a Calendar),
    Absent,
    Broken,
}

pub(super) fn calendar_of<'a>(raw: &Raw, calendar: Option<&'a Calendar>) -> CalendarRead<'a> {
    match calendar {
        Some(c) => CalendarRead::Read(c),
        None if raw.calendars.is_empty() => CalendarRead::Absent,
        None => CalendarRead::Broken,
    }
}
