//! Dates read and written without chrono's format machinery: the one reader of dates
//! ([`read`]), in two modes — the dates a person typed, pasted or imported into a form
//! ([`Mode::Office`]), and the strict `YYYY-MM-DD` of the site's own files
//! ([`Mode::Iso`], which still says what a date written otherwise means, so the error can
//! name the fix).
//!
//! chrono's `NaiveDate` stays the date type (and does the arithmetic), but its
//! `FromStr` / serde reader and `format("%Y-%m-%d")` pull a general strftime parser and
//! formatter into the browser bundle. Every date this crate stores is an ISO calendar
//! date, so a few lines do the job: [`read`], [`format`] and the serde helpers used with
//! `#[serde(deserialize_with = …)]`.

use std::fmt;

use chrono::{Duration, NaiveDate};
use serde::de::{self, MapAccess, Visitor};
use serde::Deserializer;

use crate::map::VecMap;

/// Reads `YYYY-MM-DD` exactly (four-digit year, two-digit month and day; surrounding
/// whitespace allowed): [`read`] in [`Mode::Iso`]. `None` for anything else or a date
/// that does not exist.
pub fn parse(s: &str) -> Option<NaiveDate> {
    read(s.trim(), Mode::Iso).ok().map(|(d, _)| d)
}

/// Which dates [`read`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A form's field: every form offices write ([`Written`]), normalised with a note.
    Office,
    /// The site's own files: `YYYY-MM-DD` only. A date written another way is
    /// [`Unreadable::NotIso`], carrying the date it means.
    Iso,
}

/// How a date was written, when [`read`] understood it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `2020-10-12` exactly: nothing to say.
    Iso,
    /// Year, month and day with other separators or one-digit parts: `2020/9/1`,
    /// `2020.10.12`, `2020-9-1`, `2020年10月12日`, `20201012`.
    Other,
    /// A spreadsheet's serial number of the 1900 date system (`44116` = 2020-10-12).
    Serial,
}

/// Why [`read`] could not read a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Not year, month and day in any form offices use.
    Shape,
    /// Year, month and day, but the month is not 1-12.
    Month,
    /// Year, month and day, but that month has fewer days (the days it has).
    Day { year: i32, month: u32, days: u32 },
    /// [`Mode::Iso`]: a real date, written otherwise than `YYYY-MM-DD` (`2025/4/18`,
    /// `2025-4-18`, `2025年4月18日`); the date it means, to suggest writing it as
    /// [`format`] does.
    NotIso(NaiveDate),
}

impl Unreadable {
    /// The fix to suggest for a date of the site's own files, in English: `write
    /// 2025-04-18` for [`Unreadable::NotIso`].
    pub fn fix(&self) -> Option<String> {
        match self {
            Unreadable::NotIso(d) => Some(format!("write {}", format(*d))),
            _ => None,
        }
    }
}

/// The days in a month (28-31), `None` for a month outside 1-12.
fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

fn ymd(year: u32, month: u32, day: u32) -> Result<NaiveDate, Unreadable> {
    let year = i32::try_from(year).map_err(|_| Unreadable::Shape)?;
    let days = days_in_month(year, month).ok_or(Unreadable::Month)?;
    if day == 0 || day > days {
        return Err(Unreadable::Day { year, month, days });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Unreadable::Shape)
}

/// Reads a date as offices write it and as Excel and WPS show it: `2020-10-12`,
/// `2020/10/12`, `2020/9/1`, `2020.10.12`, `2020-9-1`, `2020年10月12日` (spaces between
/// the parts allowed), `20201012`, and a spreadsheet's serial number (five digits, an
/// optional time of day as a fraction: `44116`, `44116.5`). The year has four digits,
/// month and day one or two. Expects half-width, trimmed text
/// ([`crate::fields::lenient`] does that). A date that does not exist is
/// [`Unreadable::Month`] or [`Unreadable::Day`], never another date.
///
/// In [`Mode::Iso`] only `YYYY-MM-DD` is a date: the office forms above are
/// [`Unreadable::NotIso`] (with the date they mean), a serial number is
/// [`Unreadable::Shape`].
pub fn read(s: &str, mode: Mode) -> Result<(NaiveDate, Written), Unreadable> {
    let read = read_any(s)?;
    match (mode, read.1) {
        (Mode::Office, _) | (Mode::Iso, Written::Iso) => Ok(read),
        (Mode::Iso, Written::Other) => Err(Unreadable::NotIso(read.0)),
        (Mode::Iso, Written::Serial) => Err(Unreadable::Shape),
    }
}

fn read_any(s: &str) -> Result<(NaiveDate, Written), Unreadable> {
    if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-') {
        if let (Some(y), Some(m), Some(d)) = (
            s.get(..4).and_then(|p| digits(p, 4, 4)),
            s.get(5..7).and_then(|p| digits(p, 2, 2)),
            s.get(8..).and_then(|p| digits(p, 2, 2)),
        ) {
            return ymd(y, m, d).map(|date| (date, Written::Iso));
        }
    }
    let other = |y, m, d| ymd(y, m, d).map(|date| (date, Written::Other));
    // 2020年10月12日
    if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年').ok_or(Unreadable::Shape)?;
        let (m, d) = rest.split_once('月').ok_or(Unreadable::Shape)?;
        let part = |p: &str, min, max| digits(p.trim(), min, max).ok_or(Unreadable::Shape);
        return other(part(y, 4, 4)?, part(m, 1, 2)?, part(d, 1, 2)?);
    }
    // 20201012, or a serial number 44116 / 44116.5
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if let (Some(days), true) = (
        digits(whole, 5, 5),
        fraction.bytes().all(|b| b.is_ascii_digit()),
    ) {
        // The fraction is a time of day: not read (no float parser in the bundle).
        let date = serial_date(f64::from(days)).ok_or(Unreadable::Shape)?;
        return Ok((date, Written::Serial));
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let part = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse().ok());
        if let (Some(y), Some(m), Some(d)) = (part(0..4), part(4..6), part(6..8)) {
            return other(y, m, d);
        }
    }
    // 2020/10/12, 2020.10.12, 2020-9-1: one separator, used twice.
    let sep = s
        .chars()
        .find(|c| matches!(c, '/' | '.' | '-'))
        .ok_or(Unreadable::Shape)?;
    let mut parts = s.split(sep);
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Unreadable::Shape);
    };
    match (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2)) {
        (Some(y), Some(m), Some(d)) => other(y, m, d),
        _ => Err(Unreadable::Shape),
    }
}

/// The date of a 1900-system serial number (1 = 1900-01-01; 60, Excel's 1900-02-29,
/// does not exist). The time of day is ignored.
pub fn serial_date(n: f64) -> Option<NaiveDate> {
    if !n.is_finite() || !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    let base = match days {
        60 => return None,
        d if d < 60 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    base.checked_add_signed(Duration::days(days))
}

/// `YYYY-MM-DD` (chrono's `Display`, which is not its strftime formatter).
pub fn format(d: NaiveDate) -> String {
    d.to_string()
}

fn invalid<E: de::Error>(v: &str) -> E {
    match read(v.trim(), Mode::Iso).err().and_then(|e| e.fix()) {
        Some(fix) => E::custom(format!(
            "`{v}` is not a valid date (expected YYYY-MM-DD): {fix}"
        )),
        None => E::custom(format!("`{v}` is not a valid date (expected YYYY-MM-DD)")),
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        parse(v).ok_or_else(|| invalid(v))
    }
}

/// `deserialize_with` for a `NaiveDate` written as `YYYY-MM-DD`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// `deserialize_with` for an `Option<NaiveDate>` (`null` or `YYYY-MM-DD`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date YYYY-MM-DD or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            deserialize(d).map(Some)
        }
    }
    d.deserialize_option(OptVisitor)
}

/// `deserialize_with` for a map from `YYYY-MM-DD` keys to strings.
pub fn deserialize_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<VecMap<NaiveDate, String>, D::Error> {
    struct MapVisitor;
    impl<'de> Visitor<'de> for MapVisitor {
        type Value = VecMap<NaiveDate, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map from dates YYYY-MM-DD to strings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = VecMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let date = parse(&key).ok_or_else(|| invalid(&key))?;
                out.insert(date, map.next_value::<String>()?);
            }
            Ok(out)
        }
    }
    d.deserialize_map(MapVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_only() {
        for s in ["2024-02-10", " 2024-02-10 ", "2000-02-29", "0001-01-01"] {
            assert_eq!(parse(s), s.trim().parse::<NaiveDate>().ok(), "{s}");
        }
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-01",
            "2024-01-01-01",
            "",
            "２０２４-01-01",
            "2024-2-1",
            "2024/02/10",
            "44116",
            "+12024-01-01",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn iso_mode_names_the_date_an_office_form_means() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 18).unwrap();
        assert_eq!(read("2025-04-18", Mode::Iso), Ok((d, Written::Iso)));
        for s in [
            "2025/4/18",
            "2025-4-18",
            "2025.04.18",
            "2025年4月18日",
            "20250418",
        ] {
            let e = read(s, Mode::Iso).unwrap_err();
            assert_eq!(e, Unreadable::NotIso(d), "{s}");
            assert_eq!(e.fix().as_deref(), Some("write 2025-04-18"), "{s}");
        }
        // A serial number means nothing in a file written by hand; a date that does not
        // exist is named as such, as in a form.
        assert_eq!(read("45765", Mode::Iso), Err(Unreadable::Shape));
        assert_eq!(read("45765", Mode::Iso).unwrap_err().fix(), None);
        assert_eq!(
            read("2025/2/30", Mode::Iso),
            Err(Unreadable::Day {
                year: 2025,
                month: 2,
                days: 28
            })
        );
    }

    #[test]
    fn serial_dates_of_the_1900_system() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(serial_date(1.0), d(1900, 1, 1));
        assert_eq!(serial_date(59.0), d(1900, 2, 28));
        assert_eq!(serial_date(60.0), None);
        assert_eq!(serial_date(61.0), d(1900, 3, 1));
        assert_eq!(serial_date(44075.0), d(2020, 9, 1));
        assert_eq!(serial_date(44075.75), d(2020, 9, 1));
        assert_eq!(serial_date(0.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_dates_as_offices_write_them() {
        let iso = [
            ("2020-10-12", ymd(2020, 10, 12)),
            ("2024-02-29", ymd(2024, 2, 29)),
        ];
        for (s, d) in iso {
            assert_eq!(read(s, Mode::Office), Ok((d, Written::Iso)), "{s}");
        }
        let other = [
            ("2020/10/12", ymd(2020, 10, 12)),
            ("2020/9/1", ymd(2020, 9, 1)),
            ("2020-9-1", ymd(2020, 9, 1)),
            ("2020.10.12", ymd(2020, 10, 12)),
            ("2020.9.1", ymd(2020, 9, 1)),
            ("2020年10月12日", ymd(2020, 10, 12)),
            ("2020年9月1日", ymd(2020, 9, 1)),
            ("2020 年 9 月 1 日", ymd(2020, 9, 1)),
            ("20201012", ymd(2020, 10, 12)),
        ];
        for (s, d) in other {
            assert_eq!(read(s, Mode::Office), Ok((d, Written::Other)), "{s}");
        }
        // Excel's and WPS's serial numbers (1900 date system), a time of day ignored.
        assert_eq!(
            read("44116", Mode::Office),
            Ok((ymd(2020, 10, 12), Written::Serial))
        );
        assert_eq!(
            read("44075.75", Mode::Office),
            Ok((ymd(2020, 9, 1), Written::Serial))
        );
    }

    #[test]
    fn a_date_that_does_not_exist_is_never_another_date() {
        let day = |year, month, days| Err(Unreadable::Day { year, month, days });
        assert_eq!(read("2020/2/30", Mode::Office), day(2020, 2, 29));
        assert_eq!(read("2021-02-29", Mode::Office), day(2021, 2, 28));
        assert_eq!(read("2020年4月31日", Mode::Office), day(2020, 4, 30));
        assert_eq!(read("20200230", Mode::Office), day(2020, 2, 29));
        assert_eq!(read("2020.9.0", Mode::Office), day(2020, 9, 30));
        assert_eq!(read("2020/13/1", Mode::Office), Err(Unreadable::Month));
        assert_eq!(read("2020-00-10", Mode::Office), Err(Unreadable::Month));
        for s in [
            "",
            "2020",
            "2020/10",
            "2020/10/12/1",
            "2020/10-12",
            "20/10/12",
            "10/12/2020",
            "2020年10月",
            "2020年10月12",
            "十月十二日",
            "2020-10-12T00:00",
            "202010120",
            "1234",
            "3.30302E+17",
            "2020／10／12", // full-width: fields::lenient converts it first
        ] {
            assert_eq!(read(s, Mode::Office), Err(Unreadable::Shape), "{s}");
        }
    }

    #[test]
    fn formats_iso() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 3).unwrap();
        assert_eq!(format(d), d.format("%Y-%m-%d").to_string());
    }

    #[test]
    fn serde_helpers_read_dates_and_reject_others() {
        #[derive(serde::Deserialize)]
        struct T {
            #[serde(deserialize_with = "deserialize_map")]
            m: VecMap<NaiveDate, String>,
            #[serde(default, deserialize_with = "deserialize_opt")]
            o: Option<NaiveDate>,
        }
        let t: T = serde_json::from_str(r#"{"m":{"2024-02-10":"春节"},"o":"2024-11-30"}"#).unwrap();
        assert_eq!(t.m.keys().next().copied(), parse("2024-02-10"));
        assert_eq!(t.o, parse("2024-11-30"));
        let t: T = serde_json::from_str(r#"{"m":{},"o":null}"#).unwrap();
        assert_eq!(t.o, None);
        let e = serde_json::from_str::<T>(r#"{"m":{"2024-02-30":"x"}}"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains("2024-02-30"), "{e}");
        let e = serde_json::from_str::<T>(r#"{"m":{"2024/2/10":"x"}}"#)
            .err()
            .unwrap();
        assert!(
            e.to_string().contains(
                "`2024/2/10` is not a valid date (expected YYYY-MM-DD): write 2024-02-10"
            ),
            "{e}"
        );
    }
}
