//! `YYYY-MM-DD` dates read and written without chrono's format machinery.
//!
//! chrono's `NaiveDate` stays the date type (and does the arithmetic), but its
//! `FromStr` / serde reader and `format("%Y-%m-%d")` pull a general strftime parser and
//! formatter into the browser bundle. Every date this crate reads or writes is an ISO
//! calendar date, so a few lines do the job: [`parse`], [`format`] and the serde helpers
//! used with `#[serde(deserialize_with = …)]`.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::Deserializer;

use crate::map::VecMap;

/// Parses `YYYY-MM-DD` (surrounding whitespace allowed; month and day may have one
/// digit, as chrono accepts). `None` for anything else or a date that does not exist.
pub fn parse(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().split('-');
    let mut num = |max_len: usize| -> Option<u32> {
        let p = parts.next()?;
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (y, m, d) = (num(6)?, num(2)?, num(2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// `YYYY-MM-DD` (chrono's `Display`, which is not its strftime formatter).
pub fn format(d: NaiveDate) -> String {
    d.to_string()
}

fn invalid<E: de::Error>(v: &str) -> E {
    E::custom(format!("`{v}` is not a valid date (expected YYYY-MM-DD)"))
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
    fn parses_like_chrono_for_iso_dates() {
        for s in ["2024-02-10", " 2024-2-1 ", "2000-02-29", "0001-01-01"] {
            assert_eq!(parse(s), s.trim().parse::<NaiveDate>().ok(), "{s}");
        }
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-01",
            "2024-01-01-01",
            "",
            "２０２４-01-01",
        ] {
            assert_eq!(parse(s), None, "{s}");
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
    }
}
