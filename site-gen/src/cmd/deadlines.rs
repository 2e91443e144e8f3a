//! `site-gen deadlines`: a notice's deadlines for given course dates, JSON to stdout.
//!
//! Uses `wasm_forms::deadlines` with the notice's `[rules]` and the site's calendars;
//! exit 1 when a rule is broken or a calendar year is missing.

use std::path::PathBuf;

use chrono::NaiveDate;
use wasm_forms::calendar::Calendar;

use super::form::site;
use super::Failure;

#[derive(Debug, Clone)]
pub struct DeadlinesArgs {
    pub content: PathBuf,
    pub notice: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub fn deadlines(args: &DeadlinesArgs) -> Result<String, Failure> {
    let site = site(&args.content)?;
    let notice = site
        .notices
        .iter()
        .find(|n| n.slug == args.notice)
        .ok_or_else(|| {
            let known: Vec<&str> = site.notices.iter().map(|n| n.slug.as_str()).collect();
            Failure::Usage(format!(
                "unknown notice `{}` (known notices: {})",
                args.notice,
                known.join(", ")
            ))
        })?;
    let empty;
    let cal = match &site.calendar {
        Some(c) => c,
        None => {
            empty = Calendar::from_years(Vec::new()).map_err(|e| Failure::Io(e.join("; ")))?;
            &empty
        }
    };
    let d = wasm_forms::deadlines::deadlines(&notice.rules, cal, args.start, args.end);
    let text =
        serde_json::to_string_pretty(&d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    if d.ok() {
        Ok(text)
    } else {
        Err(Failure::Reported {
            stdout: text,
            code: 1,
        })
    }
}
