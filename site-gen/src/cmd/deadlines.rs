//! `site-gen deadlines`: a notice's deadlines for given course dates, JSON to stdout.
//!
//! Uses `wasm_forms::deadlines` with the rules of the notice's plan list (`--list`, or
//! the notice's own when all its lists follow the same rules) and the site's calendars;
//! exit 1 when a rule is broken or a calendar year is missing. Day counts print as
//! written (`2`, `2.5`), and a missing calendar names its file under `--content`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::Value;
use wasm_forms::calendar::Calendar;
use wasm_forms::NoticeRules;

use super::form::site;
use super::Failure;
use crate::content::model::Notice;

#[derive(Debug, Clone)]
pub struct DeadlinesArgs {
    pub content: PathBuf,
    pub notice: String,
    /// The plan list whose rules apply.
    pub list: Option<String>,
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
    let rules = rules_of(notice, args.list.as_deref())?;
    let d = wasm_forms::deadlines::deadlines(rules, cal, args.start, args.end);
    let mut v = serde_json::to_value(&d).unwrap_or(Value::Null);
    whole_numbers(&mut v);
    let calendar_dir = args.content.join("calendar");
    if let Some(Value::Array(findings)) = v.get_mut("findings") {
        for f in findings {
            if let Some(Value::String(m)) = f.get_mut("message") {
                *m = m.replace("content/calendar/", &format!("{}/", calendar_dir.display()));
            }
        }
    }
    let text =
        serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    if d.ok() {
        Ok(text)
    } else {
        Err(Failure::Reported {
            stdout: text,
            code: 1,
        })
    }
}

/// The rules for `--list`, or without it the rules every list of the notice follows.
fn rules_of<'a>(notice: &'a Notice, list: Option<&str>) -> Result<&'a NoticeRules, Failure> {
    let ids = || {
        notice
            .lists
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match list {
        Some(id) => notice.list(id).map(|l| &l.rules).ok_or_else(|| {
            Failure::Usage(format!(
                "notice `{}` has no list `{id}` (its lists: {})",
                notice.slug,
                ids()
            ))
        }),
        None if notice.rules_are_uniform() => {
            Ok(notice.lists.first().map_or(&notice.rules, |l| &l.rules))
        }
        None => Err(Failure::Usage(format!(
            "the lists of notice `{}` have rules of their own: choose one with --list (its lists: {})",
            notice.slug,
            ids()
        ))),
    }
}

/// Whole numbers written as integers (`2`, not `2.0`): the rules hold day counts as
/// floating-point numbers to allow halves.
fn whole_numbers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(whole_numbers),
        Value::Object(o) => o.values_mut().for_each(whole_numbers),
        _ => {}
    }
}
