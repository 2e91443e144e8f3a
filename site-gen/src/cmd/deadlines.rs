//! `site-gen deadlines`: a notice's deadlines for given course dates, JSON to stdout.
//!
//! Uses `wasm_forms::deadlines` with the rules of the notice's plan list (`--list`, or
//! the notice's own when all its lists follow the same rules) and the site's calendars;
//! exit 1 when a rule is broken or a calendar year is missing. Day counts print as
//! written (`2`, `2.5`), and a missing calendar names its file under `--content`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;
use wasm_forms::calendar::Calendar;
use wasm_forms::Finding;
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
    // A list whose rules are elsewhere (e.g. in another document) says so in its note.
    let rules_note = args
        .list
        .as_deref()
        .and_then(|id| notice.list(id))
        .and_then(|l| l.rules_note.as_deref());
    let d = wasm_forms::deadlines::deadlines(rules, cal, args.start, args.end);
    let calendar_dir = format!("{}/", args.content.join("calendar").display());
    let findings: Vec<Finding> = d
        .findings
        .iter()
        .map(|f| Finding {
            message: f.message.replace("content/calendar/", &calendar_dir),
            ..f.clone()
        })
        .collect();
    let out = Output {
        start: d.start,
        end: d.end,
        course_days: d.course_days,
        plan_due: d.plan_due,
        report_due: d.report_due,
        complete_by: d.complete_by,
        rules: RulesOut {
            min_trainees: d.rules.min_trainees,
            days: d.rules.days.map(|[a, b]| [Num(a), Num(b)]),
            min_hours: d.rules.min_hours.map(Num),
            plan_due_working_days: d.rules.plan_due_working_days,
            report_due_working_days: d.rules.report_due_working_days,
            complete_by: d.rules.complete_by,
        },
        rules_note,
        findings: &findings,
    };
    let text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
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

/// What `deadlines` prints: `wasm_forms::deadlines::Deadlines` field for field, with day
/// and hour counts as written (`2`, `2.5`; never `2.0`).
#[derive(Serialize)]
struct Output<'a> {
    start: NaiveDate,
    end: NaiveDate,
    course_days: i64,
    plan_due: Option<NaiveDate>,
    report_due: Option<NaiveDate>,
    complete_by: Option<NaiveDate>,
    rules: RulesOut,
    /// The list's `rules_note`, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    rules_note: Option<&'a str>,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct RulesOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    min_trainees: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<[Num; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_hours: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan_due_working_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report_due_working_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    complete_by: Option<NaiveDate>,
}

/// A count of days or hours: whole ones as integers.
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}
