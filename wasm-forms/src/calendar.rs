//! Working days from the official holiday calendars (`content/calendar/<year>.toml`).
//!
//! This module owns the serde mirror of one calendar file ([`CalendarYear`]), its check
//! and merge into a [`Calendar`], and the working-day arithmetic the notices' deadlines
//! need. A working day is Monday-Friday, minus the official days off, plus the official
//! adjusted working days (调休). A date in a year with no calendar is an error naming the
//! year ([`MissingYear`]), never a weekday-only guess.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::map::VecMap;

/// One `content/calendar/<year>.toml` file, as written.
///
/// ```toml
/// year = 2024
/// source = "国务院办公厅关于2024年部分节假日安排的通知"
/// doc_number = "国办发明电〔2023〕7号"
/// [[holidays]]
/// name = "春节"
/// off = ["2024-02-10/2024-02-17"]
/// work = ["2024-02-04", "2024-02-18"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    pub year: i32,
    /// The State Council notice the dates come from.
    pub source: String,
    /// 文号, where known.
    #[serde(default)]
    pub doc_number: Option<String>,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

/// One holiday of a year: its days off and its adjusted working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    /// Dates (`2024-01-01`) or inclusive ISO 8601 intervals (`2024-02-10/2024-02-17`).
    #[serde(default)]
    pub off: Vec<String>,
    /// Adjusted working days (weekend days that are worked), dates or intervals.
    #[serde(default)]
    pub work: Vec<String>,
}

/// Parses one calendar file.
#[cfg(feature = "toml")]
pub fn parse_year(src: &str) -> Result<CalendarYear, toml::de::Error> {
    toml::from_str(src)
}

/// A date falls in a year for which there is no holiday calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingYear(pub i32);

impl fmt::Display for MissingYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "缺少 {y} 年的节假日安排（content/calendar/{y}.toml），无法计算工作日",
            y = self.0
        )
    }
}

impl std::error::Error for MissingYear {}

/// The official days off and adjusted working days of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearDays {
    pub source: String,
    #[serde(default)]
    pub doc_number: Option<String>,
    /// Day off → holiday name.
    #[serde(deserialize_with = "crate::date::deserialize_map")]
    pub off: VecMap<NaiveDate, String>,
    /// Adjusted working day → holiday name.
    #[serde(deserialize_with = "crate::date::deserialize_map")]
    pub work: VecMap<NaiveDate, String>,
}

/// Checked calendars of several years. Serializable: the browser gets it in
/// [`crate::wire`]'s form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub years: VecMap<i32, YearDays>,
}

/// What is wrong with a date or interval of a calendar file ([`parse_span`]). `Display`
/// writes the message (in Chinese), naming the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanError<'a> {
    /// This date (or end of an interval) is not a valid `YYYY-MM-DD` date.
    Date(&'a str),
    /// This interval starts after it ends.
    Order(&'a str),
}

impl fmt::Display for SpanError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, text, tail) = match *self {
            SpanError::Date(t) => ("`", t, "` 不是 YYYY-MM-DD 格式的有效日期"),
            SpanError::Order(s) => ("区间 `", s, "` 的开始日期晚于结束日期"),
        };
        f.write_str(head)?;
        f.write_str(text)?;
        f.write_str(tail)
    }
}

/// Parses `2024-02-10` or `2024-02-10/2024-02-17` into an inclusive range.
fn parse_span(s: &str) -> Result<(NaiveDate, NaiveDate), SpanError<'_>> {
    let parse = |t| crate::date::parse(t).ok_or(SpanError::Date(t));
    match s.split_once('/') {
        None => {
            let d = parse(s)?;
            Ok((d, d))
        }
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if a > b {
                Err(SpanError::Order(s))
            } else {
                Ok((a, b))
            }
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn days_of(a: NaiveDate, b: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    a.iter_days().take_while(move |d| *d <= b)
}

/// One step of the place of a calendar problem inside its file: a key or a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Key(&'static str),
    Index(usize),
}

/// A problem of the calendar files given to [`Calendar::from_years`]: which of them
/// (its position in that list, and its year), where in it (`holidays[1].work[0]`, for
/// the file's reader to turn into a line and column), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub file: usize,
    pub year: i32,
    pub at: Vec<Step>,
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "calendar/{}.toml: {}", self.year, self.message)
    }
}

impl std::error::Error for CalendarError {}

/// `holidays[hi].<key>[i]`.
fn item_at(hi: usize, key: &'static str, i: usize) -> Vec<Step> {
    vec![
        Step::Key("holidays"),
        Step::Index(hi),
        Step::Key(key),
        Step::Index(i),
    ]
}

impl Calendar {
    /// Checks and merges calendar files. Every problem is reported, each naming the
    /// year's file and the holiday: a date outside its file's year, a day both off and
    /// worked, a worked day that is not a weekend day, a bad date or interval, a year
    /// given twice.
    pub fn from_years(years: Vec<CalendarYear>) -> Result<Calendar, Vec<CalendarError>> {
        let mut errs = Vec::new();
        let mut cal = Calendar::default();
        for (file, y) in years.into_iter().enumerate() {
            let mut err = |at: Vec<Step>, message: String| {
                errs.push(CalendarError {
                    file,
                    year: y.year,
                    at,
                    message,
                });
            };
            if cal.years.contains_key(&y.year) {
                err(
                    vec![Step::Key("year")],
                    format!("{} 年的节假日安排重复给出", y.year),
                );
                continue;
            }
            let mut days = YearDays {
                source: y.source.clone(),
                doc_number: y.doc_number.clone(),
                ..YearDays::default()
            };
            // Where each adjusted working day is written, for a clash with a day off.
            let mut work_at: VecMap<NaiveDate, Vec<Step>> = VecMap::new();
            for (hi, h) in y.holidays.iter().enumerate() {
                let at = format!("holidays[{hi}] ({})", h.name);
                for (list, is_off) in [(&h.off, true), (&h.work, false)] {
                    let key = if is_off { "off" } else { "work" };
                    for (i, s) in list.iter().enumerate() {
                        let (a, b) = match parse_span(s) {
                            Ok(r) => r,
                            Err(e) => {
                                err(item_at(hi, key, i), format!("{at}: {key}: {e}"));
                                continue;
                            }
                        };
                        if a.year() != y.year || b.year() != y.year {
                            err(
                                item_at(hi, key, i),
                                format!(
                                    "{at}: {key}: `{s}` 不在 {} 年内（文件年份为 {}）",
                                    y.year, y.year
                                ),
                            );
                            continue;
                        }
                        for d in days_of(a, b) {
                            if is_off {
                                days.off.get_or_insert_with(d, || h.name.clone());
                            } else {
                                if !is_weekend(d) {
                                    err(
                                        item_at(hi, key, i),
                                        format!(
                                            "{at}: work: {d} 不是周六或周日，调休上班日应为周末"
                                        ),
                                    );
                                }
                                days.work.get_or_insert_with(d, || h.name.clone());
                                work_at.get_or_insert_with(d, || item_at(hi, key, i));
                            }
                        }
                    }
                }
            }
            for (d, name) in &days.work {
                if let Some(off_name) = days.off.get(d) {
                    err(
                        work_at.get(d).cloned().unwrap_or_default(),
                        format!("{d} 既是放假日（{off_name}）又是调休上班日（{name}）"),
                    );
                }
            }
            cal.years.insert(y.year, days);
        }
        if errs.is_empty() {
            Ok(cal)
        } else {
            Err(errs)
        }
    }

    fn year(&self, d: NaiveDate) -> Result<&YearDays, MissingYear> {
        self.years.get(&d.year()).ok_or(MissingYear(d.year()))
    }

    /// True for Monday-Friday that is not an official day off, and for an adjusted
    /// working day.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, MissingYear> {
        let y = self.year(d)?;
        if y.work.contains_key(&d) {
            return Ok(true);
        }
        if y.off.contains_key(&d) {
            return Ok(false);
        }
        Ok(!is_weekend(d))
    }

    /// The holiday a date belongs to (day off or adjusted working day), if any.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        let y = self.years.get(&d.year())?;
        y.off.get(&d).or_else(|| y.work.get(&d)).map(String::as_str)
    }

    /// The `n`-th working day strictly before `date` (`n = 1`: the previous working
    /// day). `n = 0` gives `date` itself, once its year is known.
    pub fn nth_working_day_before(
        &self,
        date: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, MissingYear> {
        self.walk(date, n, false)
    }

    /// The `n`-th working day strictly after `date`. `n = 0` gives `date` itself.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, MissingYear> {
        self.walk(date, n, true)
    }

    fn walk(&self, date: NaiveDate, n: u32, forward: bool) -> Result<NaiveDate, MissingYear> {
        self.year(date)?;
        let mut d = date;
        let mut left = n;
        while left > 0 {
            let next = if forward { d.succ_opt() } else { d.pred_opt() };
            // Past chrono's range: no calendar can cover it.
            d = next.ok_or(MissingYear(d.year()))?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The number of working days from `start` to `end`, both included (0 when
    /// `start > end`).
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<u32, MissingYear> {
        let mut count = 0u32;
        for d in days_of(start, end) {
            if self.is_working_day(d)? {
                count = count.saturating_add(1);
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i32, holidays: &[(&str, &[&str], &[&str])]) -> CalendarYear {
        CalendarYear {
            year: y,
            source: "test".into(),
            doc_number: None,
            holidays: holidays
                .iter()
                .map(|(n, off, work)| Holiday {
                    name: (*n).into(),
                    off: off.iter().map(|s| (*s).into()).collect(),
                    work: work.iter().map(|s| (*s).into()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn interval_start_after_end_is_an_error() {
        let e = Calendar::from_years(vec![year(2024, &[("x", &["2024-02-17/2024-02-10"], &[])])])
            .unwrap_err();
        assert!(e[0].message.contains("开始日期晚于结束日期"), "{e:?}");
        assert_eq!(e[0].at, item_at(0, "off", 0));
    }

    #[test]
    fn a_bad_date_or_interval_names_its_text_and_what_is_wrong() {
        assert_eq!(parse_span("2024-02-30"), Err(SpanError::Date("2024-02-30")));
        assert_eq!(
            parse_span("2024-02-01/2024-13-01"),
            Err(SpanError::Date("2024-13-01"))
        );
        let backwards = "2024-02-17/2024-02-10";
        assert_eq!(parse_span(backwards), Err(SpanError::Order(backwards)));
        assert_eq!(
            SpanError::Order(backwards).to_string(),
            "区间 `2024-02-17/2024-02-10` 的开始日期晚于结束日期"
        );
        let e =
            Calendar::from_years(vec![year(2024, &[("春节", &["2024-02-30"], &[])])]).unwrap_err();
        assert_eq!(
            e[0].message,
            "holidays[0] (春节): off: `2024-02-30` 不是 YYYY-MM-DD 格式的有效日期"
        );
    }

    #[test]
    fn weekday_listed_as_work_is_an_error() {
        // 2024-02-05 is a Monday.
        let e = Calendar::from_years(vec![year(2024, &[("x", &[], &["2024-02-05"])])]).unwrap_err();
        assert!(e[0].message.contains("不是周六或周日"), "{e:?}");
        assert_eq!(e[0].at, item_at(0, "work", 0));
    }
}
