//! Working days against the real calendars of `content/calendar/` (facts of
//! `shared/spec/calendars.md`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use chrono::NaiveDate;
use wasm_forms::calendar::{parse_year, Calendar, CalendarYear, MissingYear};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn load_year(y: i32) -> CalendarYear {
    let path = format!(
        "{}/../content/calendar/{y}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_year(&src).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn real() -> Calendar {
    Calendar::from_years(
        [2020, 2024, 2025, 2026]
            .into_iter()
            .map(load_year)
            .collect(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn ten_working_days_before_2024_national_day_week_end() {
    let cal = real();
    // Oct 1-7 off, Sep 29 (Sunday) worked, Sep 15-17 off.
    assert_eq!(
        cal.nth_working_day_before(d("2024-10-08"), 1).unwrap(),
        d("2024-09-30")
    );
    assert_eq!(
        cal.nth_working_day_before(d("2024-10-08"), 2).unwrap(),
        d("2024-09-29")
    );
    assert_eq!(
        cal.nth_working_day_before(d("2024-10-08"), 10).unwrap(),
        d("2024-09-18")
    );
    // The 11th skips the Mid-Autumn days off and lands on the worked Saturday Sep 14.
    assert_eq!(
        cal.nth_working_day_before(d("2024-10-08"), 11).unwrap(),
        d("2024-09-14")
    );
}

#[test]
fn working_days_after_count_the_worked_saturday_oct_12() {
    let cal = real();
    assert_eq!(
        cal.nth_working_day_after(d("2024-09-30"), 1).unwrap(),
        d("2024-10-08")
    );
    assert_eq!(
        cal.nth_working_day_after(d("2024-10-08"), 4).unwrap(),
        d("2024-10-12")
    );
    assert_eq!(
        cal.nth_working_day_after(d("2024-10-08"), 5).unwrap(),
        d("2024-10-14")
    );
}

#[test]
fn strictly_before_and_after_never_count_the_date_itself() {
    let cal = real();
    // 2024-10-09 is a Wednesday working day.
    assert!(cal.is_working_day(d("2024-10-09")).unwrap());
    assert_eq!(
        cal.nth_working_day_before(d("2024-10-09"), 1).unwrap(),
        d("2024-10-08")
    );
    assert_eq!(
        cal.nth_working_day_after(d("2024-10-09"), 1).unwrap(),
        d("2024-10-10")
    );
}

#[test]
fn feb_1_2020_is_not_a_working_day_after_the_spring_festival_extension() {
    let cal = real();
    assert!(!cal.is_working_day(d("2020-02-01")).unwrap());
    assert!(!cal.is_working_day(d("2020-02-02")).unwrap());
    assert!(cal.is_working_day(d("2020-02-03")).unwrap());
    assert!(
        cal.is_working_day(d("2020-01-19")).unwrap(),
        "Jan 19 2020 (Sunday) is worked"
    );
    assert_eq!(cal.holiday_name(d("2020-01-30")), Some("春节"));
}

#[test]
fn weekday_holidays_and_adjusted_days_2025_2026() {
    let cal = real();
    assert!(!cal.is_working_day(d("2025-10-08")).unwrap());
    assert!(cal.is_working_day(d("2025-10-11")).unwrap());
    assert!(!cal.is_working_day(d("2026-01-02")).unwrap());
    assert!(cal.is_working_day(d("2026-01-04")).unwrap());
    assert!(cal.is_working_day(d("2026-02-28")).unwrap());
    assert!(!cal.is_working_day(d("2026-02-23")).unwrap());
    // A plain Saturday is not worked.
    assert!(!cal.is_working_day(d("2025-03-08")).unwrap());
}

#[test]
fn a_year_without_calendar_is_an_error_naming_it() {
    let cal = real();
    assert_eq!(cal.is_working_day(d("2021-03-01")), Err(MissingYear(2021)));
    assert_eq!(
        cal.nth_working_day_after(d("2026-12-30"), 5),
        Err(MissingYear(2027))
    );
    assert_eq!(
        cal.nth_working_day_before(d("2024-01-03"), 5),
        Err(MissingYear(2023))
    );
    let msg = MissingYear(2021).to_string();
    // Chinese throughout, naming the file to add.
    assert!(
        msg.contains("2021 年") && msg.contains("calendar/2021.toml"),
        "{msg}"
    );
    assert!(!msg.contains("no holiday calendar"), "{msg}");
}

#[test]
fn working_days_between_counts_both_ends() {
    let cal = real();
    // Sep 28 (Sat, off) .. Oct 12 (Sat, worked): Sep 29, Sep 30, Oct 8-12 = 7.
    assert_eq!(
        cal.working_days_between(d("2024-09-28"), d("2024-10-12"))
            .unwrap(),
        7
    );
    assert_eq!(
        cal.working_days_between(d("2024-10-12"), d("2024-09-28"))
            .unwrap(),
        0
    );
    assert_eq!(
        cal.working_days_between(d("2024-12-30"), d("2025-01-02")),
        Ok(3),
        "Dec 30, Dec 31, Jan 2 across the year boundary"
    );
}

#[test]
fn from_years_reports_every_problem() {
    let mut bad = load_year(2024);
    bad.holidays[0].off.push("2025-01-01".into());
    bad.holidays[1].work.push("2024-02-12".into()); // off in 春节 and a Monday
    bad.holidays[2].off.push("2024-13-01".into());
    let dup = load_year(2024);
    let errs = Calendar::from_years(vec![bad, dup]).unwrap_err();
    let all = errs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("不在 2024 年内"), "{all}");
    assert!(all.contains("2024-02-12 既是放假日"), "{all}");
    assert!(all.contains("`2024-13-01` 不是"), "{all}");
    assert!(all.contains("重复给出"), "{all}");
}

#[test]
fn unknown_keys_in_a_calendar_file_are_rejected() {
    let e = parse_year("year = 2024\nsource = \"x\"\nholiday = []\n").unwrap_err();
    assert!(e.to_string().contains("holiday"), "{e}");
}

#[test]
fn calendar_round_trips_through_json() {
    let cal = real();
    let json = serde_json::to_string(&cal).unwrap();
    let back: Calendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
    assert!(
        json.contains("\"2024-10-01\":\"国庆节\""),
        "{}",
        &json[..200]
    );
}
