//! `Deserialize` for [`Rule`]: the same `kind`-tagged tables and error messages as serde's
//! internally tagged derive, read in one pass (see [`crate::tagged`]).

use serde::de::{self, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Bound, Rule};
use crate::finding::Severity;
use crate::tagged::{next, read_table, to_u32, KindSpec, Seen, Slots};

const SEV: &str = "severity";

const KINDS: &[KindSpec] = &[
    KindSpec {
        name: "sum_equals",
        fields: &["items", "total", SEV],
        required: &["items", "total"],
    },
    KindSpec {
        name: "min_rows",
        fields: &["table", "min", SEV],
        required: &["table", "min"],
    },
    KindSpec {
        name: "at_least",
        fields: &["value", "min", SEV],
        required: &["value", "min"],
    },
    KindSpec {
        name: "course_days",
        fields: &["start", "end", "min", "max", SEV],
        required: &["start", "end", "min", "max"],
    },
    KindSpec {
        name: "due_before",
        fields: &["field", "before", "working_days", SEV],
        required: &["field", "before", "working_days"],
    },
    KindSpec {
        name: "text_length",
        fields: &["field", "min", "max", SEV],
        required: &["field"],
    },
    KindSpec {
        name: "min_items",
        fields: &["field", "min", SEV],
        required: &["field", "min"],
    },
    KindSpec {
        name: "date_order",
        fields: &["start", "end", SEV],
        required: &["start", "end"],
    },
    KindSpec {
        name: "unique",
        fields: &["column", SEV],
        required: &["column"],
    },
    KindSpec {
        name: "gender_matches_id",
        fields: &["gender", "id_number", SEV],
        required: &["gender", "id_number"],
    },
    KindSpec {
        name: "when_true",
        fields: &["field", "required", "min_field", "min", SEV],
        required: &["field"],
    },
    KindSpec {
        name: "days_within_dates",
        fields: &["days", "start", "end", SEV],
        required: &["days", "start", "end"],
    },
];

const NAMES: &[&str] = &[
    "sum_equals",
    "min_rows",
    "at_least",
    "course_days",
    "due_before",
    "text_length",
    "min_items",
    "date_order",
    "unique",
    "gender_matches_id",
    "when_true",
    "days_within_dates",
];

/// String-valued keys, in one table so that each is read by the same code.
const STRS: &[&str] = &[
    "total",
    "table",
    "value",
    "start",
    "end",
    "field",
    "before",
    "column",
    "gender",
    "id_number",
    "days",
    "min_field",
];

#[derive(Default)]
struct Raw {
    strs: [Option<String>; 12],
    items: Option<Vec<String>>,
    required: Option<Vec<String>>,
    min: Option<Bound>,
    max: Option<Bound>,
    working_days: Option<Bound>,
    severity: Option<Severity>,
}

impl Slots for Raw {
    const STRS: &'static [&'static str] = STRS;

    fn str_slot(&mut self, i: usize) -> &mut Option<String> {
        &mut self.strs[i]
    }

    fn read_other<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        seen: &mut Seen,
    ) -> Result<bool, A::Error> {
        let key = match key {
            "items" => "items",
            "required" => "required",
            "min" => "min",
            "max" => "max",
            "working_days" => "working_days",
            SEV => SEV,
            _ => return Ok(false),
        };
        seen.key(key)?;
        match key {
            "items" => self.items = map.next_value()?,
            "required" => self.required = map.next_value()?,
            "min" => self.min = map.next_value()?,
            "max" => self.max = map.next_value()?,
            "working_days" => self.working_days = map.next_value()?,
            _ => self.severity = map.next_value()?,
        }
        Ok(true)
    }
}

impl Raw {
    fn s(&mut self, key: &str) -> String {
        STRS.iter()
            .position(|k| *k == key)
            .and_then(|i| self.strs[i].take())
            .unwrap_or_default()
    }
    fn opt_s(&mut self, key: &str) -> Option<String> {
        STRS.iter()
            .position(|k| *k == key)
            .and_then(|i| self.strs[i].take())
    }
}

fn bound<E: de::Error>(b: Option<Bound>) -> Result<Bound, E> {
    b.ok_or_else(|| E::missing_field("min"))
}

fn opt_u32<E: de::Error>(b: Option<Bound>) -> Result<Option<u32>, E> {
    match b {
        None => Ok(None),
        Some(Bound::Value(v)) => to_u32(v).map(Some),
        Some(Bound::Notice { .. }) => Err(E::invalid_type(Unexpected::Map, &"u32")),
    }
}

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = Rule;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a rule table with a `kind`")
    }

    /// The wire form: the kind, then the variant's fields in declaration order.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rule, A::Error> {
        let kind: String = next(&mut seq)?;
        let s = &mut seq;
        Ok(match kind.as_str() {
            "sum_equals" => Rule::SumEquals {
                items: next(s)?,
                total: next(s)?,
                severity: next(s)?,
            },
            "min_rows" => Rule::MinRows {
                table: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "at_least" => Rule::AtLeast {
                value: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "course_days" => Rule::CourseDays {
                start: next(s)?,
                end: next(s)?,
                min: next(s)?,
                max: next(s)?,
                severity: next(s)?,
            },
            "due_before" => Rule::DueBefore {
                field: next(s)?,
                before: next(s)?,
                working_days: next(s)?,
                severity: next(s)?,
            },
            "text_length" => Rule::TextLength {
                field: next(s)?,
                min: next(s)?,
                max: next(s)?,
                severity: next(s)?,
            },
            "min_items" => Rule::MinItems {
                field: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "date_order" => Rule::DateOrder {
                start: next(s)?,
                end: next(s)?,
                severity: next(s)?,
            },
            "unique" => Rule::Unique {
                column: next(s)?,
                severity: next(s)?,
            },
            "gender_matches_id" => Rule::GenderMatchesId {
                gender: next(s)?,
                id_number: next(s)?,
                severity: next(s)?,
            },
            "when_true" => Rule::WhenTrue {
                field: next(s)?,
                required: next(s)?,
                min_field: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "days_within_dates" => Rule::DaysWithinDates {
                days: next(s)?,
                start: next(s)?,
                end: next(s)?,
                severity: next(s)?,
            },
            other => return Err(de::Error::unknown_variant(other, NAMES)),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Rule, A::Error> {
        let (spec, mut raw) = read_table::<A, Raw>(map, KINDS, NAMES)?;
        let severity = raw.severity;
        let r = &mut raw;
        Ok(match spec.name {
            "sum_equals" => Rule::SumEquals {
                items: r.items.take().unwrap_or_default(),
                total: r.s("total"),
                severity,
            },
            "min_rows" => Rule::MinRows {
                table: r.s("table"),
                min: bound(r.min.take())?,
                severity,
            },
            "at_least" => Rule::AtLeast {
                value: r.s("value"),
                min: bound(r.min.take())?,
                severity,
            },
            "course_days" => Rule::CourseDays {
                start: r.s("start"),
                end: r.s("end"),
                min: bound(r.min.take())?,
                max: r
                    .max
                    .take()
                    .ok_or_else(|| de::Error::missing_field("max"))?,
                severity,
            },
            "due_before" => Rule::DueBefore {
                field: r.s("field"),
                before: r.s("before"),
                working_days: r
                    .working_days
                    .take()
                    .ok_or_else(|| de::Error::missing_field("working_days"))?,
                severity,
            },
            "text_length" => Rule::TextLength {
                field: r.s("field"),
                min: opt_u32(r.min.take())?,
                max: opt_u32(r.max.take())?,
                severity,
            },
            "min_items" => Rule::MinItems {
                field: r.s("field"),
                min: opt_u32(r.min.take())?.ok_or_else(|| de::Error::missing_field("min"))?,
                severity,
            },
            "date_order" => Rule::DateOrder {
                start: r.s("start"),
                end: r.s("end"),
                severity,
            },
            "unique" => Rule::Unique {
                column: r.s("column"),
                severity,
            },
            "gender_matches_id" => Rule::GenderMatchesId {
                gender: r.s("gender"),
                id_number: r.s("id_number"),
                severity,
            },
            "when_true" => Rule::WhenTrue {
                field: r.s("field"),
                required: r.required.take().unwrap_or_default(),
                min_field: r.opt_s("min_field"),
                min: r.min.take(),
                severity,
            },
            _ => Rule::DaysWithinDates {
                days: r.s("days"),
                start: r.s("start"),
                end: r.s("end"),
                severity,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_map(RuleVisitor)
        } else {
            // The kind and at most five fields.
            d.deserialize_tuple(6, RuleVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Rule, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_round_trips() {
        for json in [
            r#"{"kind":"sum_equals","items":["a","b"],"total":"t"}"#,
            r#"{"kind":"min_rows","table":"t","min":{"notice":"min_trainees"},"severity":"warning"}"#,
            r#"{"kind":"at_least","value":"v","min":40}"#,
            r#"{"kind":"course_days","start":"s","end":"e","min":{"notice":"days_min"},"max":3.5}"#,
            r#"{"kind":"due_before","field":"f","before":"b","working_days":10}"#,
            r#"{"kind":"text_length","field":"f","min":10,"max":300}"#,
            r#"{"kind":"text_length","field":"f"}"#,
            r#"{"kind":"min_items","field":"f","min":3}"#,
            r#"{"kind":"date_order","start":"s","end":"e"}"#,
            r#"{"kind":"unique","column":"c"}"#,
            r#"{"kind":"gender_matches_id","gender":"g","id_number":"i"}"#,
            r#"{"kind":"when_true","field":"f","required":["a"],"min_field":"m","min":1}"#,
            r#"{"kind":"when_true","field":"f"}"#,
            r#"{"kind":"days_within_dates","days":"d","start":"s","end":"e"}"#,
        ] {
            let rule = read(json).unwrap();
            let back = serde_json::to_string(&rule).unwrap();
            assert_eq!(read(&back).unwrap(), rule, "{json}");
            // Every field is written; those given are written as given.
            let keys = |j: &str| {
                let v: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(j).unwrap();
                v.into_iter()
                    .filter(|(_, v)| !v.is_null() && v != &serde_json::json!([]))
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>()
            };
            let wire: Rule = crate::wire::decode(&crate::wire::encode(&rule).unwrap()).unwrap();
            assert_eq!(wire, rule, "{json}");
            assert_eq!(keys(json), keys(&back), "{json}");
        }
    }

    #[test]
    fn errors_are_serdes() {
        let e = read(r#"{"kind":"unique","column":"c","colour":1}"#).unwrap_err();
        assert!(
            e.contains("unknown field `colour`, expected `column` or `severity`"),
            "{e}"
        );
        let e = read(r#"{"kind":"unique","column":"c","min":1}"#).unwrap_err();
        assert!(e.contains("unknown field `min`"), "{e}");
        let e = read(r#"{"kind":"unique"}"#).unwrap_err();
        assert!(e.contains("missing field `column`"), "{e}");
        let e = read(r#"{"column":"c"}"#).unwrap_err();
        assert!(e.contains("missing field `kind`"), "{e}");
        let e = read(r#"{"kind":"uniq","column":"c"}"#).unwrap_err();
        assert!(e.contains("unknown variant `uniq`, expected one of"), "{e}");
        let e = read(r#"{"kind":"min_items","field":"f","min":1.5}"#).unwrap_err();
        assert!(e.contains("expected u32"), "{e}");
        let e = read(r#"{"kind":"unique","column":"c","column":"d"}"#).unwrap_err();
        assert!(e.contains("duplicate field `column`"), "{e}");
    }
}
