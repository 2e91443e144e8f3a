//! `Deserialize` for the two `kind`-tagged rule enums, the form schema's
//! ([`crate::schema::Rule`]) and the scoring part's ([`crate::scoring::Rule`]): the same
//! tables and error messages as serde's internally tagged derive, read in one pass by the
//! one reader of [`crate::tagged`]. Each rule enum gives here only what is its own: its
//! kinds and their keys, the slots its keys are read into, and how a rule is made from
//! them or from the wire form.

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, SeqAccess, Unexpected};
use serde::{Deserialize, Deserializer};

use crate::decimal::dec;
use crate::finding::Severity;
use crate::schema::{Bound, Rule as SchemaRule};
use crate::scoring::{
    default_rate_input, default_survey_input, ChoiceOption, Rule as ScoringRule, Tier,
};
use crate::tagged::{self, next, to_u32, KindSpec, Seen, Slots, Tagged};

// ---------------------------------------------------------------------------------------
// The form schema's rules (`[[rules]]` and a table's `row_rules`)

const SEV: &str = "severity";

/// String-valued keys, in one table so that each is read by the same code.
const SCHEMA_STRS: &[&str] = &[
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
pub(crate) struct SchemaSlots {
    strs: [Option<String>; 12],
    items: Option<Vec<String>>,
    required: Option<Vec<String>>,
    min: Option<Bound>,
    max: Option<Bound>,
    working_days: Option<Bound>,
    severity: Option<Severity>,
}

impl Slots for SchemaSlots {
    const STRS: &'static [&'static str] = SCHEMA_STRS;

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

impl SchemaSlots {
    fn s(&mut self, key: &str) -> String {
        SCHEMA_STRS
            .iter()
            .position(|k| *k == key)
            .and_then(|i| self.strs[i].take())
            .unwrap_or_default()
    }
    fn opt_s(&mut self, key: &str) -> Option<String> {
        SCHEMA_STRS
            .iter()
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

impl Tagged for SchemaRule {
    type Slots = SchemaSlots;
    const KINDS: &'static [KindSpec] = &[
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
    const NAMES: &'static [&'static str] = &[
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
    const EXPECTING: &'static str = "a rule table with a `kind`";
    // The kind and at most five fields.
    const WIRE_LEN: usize = 6;

    fn from_slots<E: de::Error>(spec: &'static KindSpec, mut raw: SchemaSlots) -> Result<Self, E> {
        let severity = raw.severity;
        let r = &mut raw;
        Ok(match spec.name {
            "sum_equals" => Self::SumEquals {
                items: r.items.take().unwrap_or_default(),
                total: r.s("total"),
                severity,
            },
            "min_rows" => Self::MinRows {
                table: r.s("table"),
                min: bound(r.min.take())?,
                severity,
            },
            "at_least" => Self::AtLeast {
                value: r.s("value"),
                min: bound(r.min.take())?,
                severity,
            },
            "course_days" => Self::CourseDays {
                start: r.s("start"),
                end: r.s("end"),
                min: bound(r.min.take())?,
                max: r.max.take().ok_or_else(|| E::missing_field("max"))?,
                severity,
            },
            "due_before" => Self::DueBefore {
                field: r.s("field"),
                before: r.s("before"),
                working_days: r
                    .working_days
                    .take()
                    .ok_or_else(|| E::missing_field("working_days"))?,
                severity,
            },
            "text_length" => Self::TextLength {
                field: r.s("field"),
                min: opt_u32(r.min.take())?,
                max: opt_u32(r.max.take())?,
                severity,
            },
            "min_items" => Self::MinItems {
                field: r.s("field"),
                min: opt_u32(r.min.take())?.ok_or_else(|| E::missing_field("min"))?,
                severity,
            },
            "date_order" => Self::DateOrder {
                start: r.s("start"),
                end: r.s("end"),
                severity,
            },
            "unique" => Self::Unique {
                column: r.s("column"),
                severity,
            },
            "gender_matches_id" => Self::GenderMatchesId {
                gender: r.s("gender"),
                id_number: r.s("id_number"),
                severity,
            },
            "when_true" => Self::WhenTrue {
                field: r.s("field"),
                required: r.required.take().unwrap_or_default(),
                min_field: r.opt_s("min_field"),
                min: r.min.take(),
                severity,
            },
            _ => Self::DaysWithinDates {
                days: r.s("days"),
                start: r.s("start"),
                end: r.s("end"),
                severity,
            },
        })
    }

    fn from_seq<'de, A: SeqAccess<'de>>(kind: &str, s: &mut A) -> Result<Option<Self>, A::Error> {
        Ok(Some(match kind {
            "sum_equals" => Self::SumEquals {
                items: next(s)?,
                total: next(s)?,
                severity: next(s)?,
            },
            "min_rows" => Self::MinRows {
                table: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "at_least" => Self::AtLeast {
                value: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "course_days" => Self::CourseDays {
                start: next(s)?,
                end: next(s)?,
                min: next(s)?,
                max: next(s)?,
                severity: next(s)?,
            },
            "due_before" => Self::DueBefore {
                field: next(s)?,
                before: next(s)?,
                working_days: next(s)?,
                severity: next(s)?,
            },
            "text_length" => Self::TextLength {
                field: next(s)?,
                min: next(s)?,
                max: next(s)?,
                severity: next(s)?,
            },
            "min_items" => Self::MinItems {
                field: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "date_order" => Self::DateOrder {
                start: next(s)?,
                end: next(s)?,
                severity: next(s)?,
            },
            "unique" => Self::Unique {
                column: next(s)?,
                severity: next(s)?,
            },
            "gender_matches_id" => Self::GenderMatchesId {
                gender: next(s)?,
                id_number: next(s)?,
                severity: next(s)?,
            },
            "when_true" => Self::WhenTrue {
                field: next(s)?,
                required: next(s)?,
                min_field: next(s)?,
                min: next(s)?,
                severity: next(s)?,
            },
            "days_within_dates" => Self::DaysWithinDates {
                days: next(s)?,
                start: next(s)?,
                end: next(s)?,
                severity: next(s)?,
            },
            _ => return Ok(None),
        }))
    }
}

impl<'de> Deserialize<'de> for SchemaRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::deserialize(d)
    }
}

// ---------------------------------------------------------------------------------------
// The scoring part's rules (an indicator's `rule`)

const SCORING_STRS: &[&str] = &["input", "numerator", "denominator", "prefix"];
const DECS: &[&str] = &[
    "full_at", "step", "deduct", "below", "defects", "partial", "none",
];

/// A decimal as the `dec` module reads it.
#[derive(Deserialize)]
struct Dec(#[serde(deserialize_with = "dec::deserialize")] Decimal);

#[derive(Default)]
pub(crate) struct ScoringSlots {
    strs: [Option<String>; 4],
    decs: [Option<Decimal>; 7],
    options: Option<Vec<ChoiceOption>>,
    tiers: Option<Vec<Tier>>,
}

impl Slots for ScoringSlots {
    const STRS: &'static [&'static str] = SCORING_STRS;

    fn str_slot(&mut self, i: usize) -> &mut Option<String> {
        &mut self.strs[i]
    }

    fn read_other<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        seen: &mut Seen,
    ) -> Result<bool, A::Error> {
        if let Some(i) = DECS.iter().position(|k| *k == key) {
            seen.key(DECS[i])?;
            self.decs[i] = Some(map.next_value::<Dec>()?.0);
        } else if key == "options" {
            seen.key("options")?;
            self.options = Some(map.next_value()?);
        } else if key == "tiers" {
            seen.key("tiers")?;
            self.tiers = Some(map.next_value()?);
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

impl ScoringSlots {
    fn s(&mut self, key: &str) -> Option<String> {
        let i = SCORING_STRS.iter().position(|k| *k == key)?;
        self.strs[i].take()
    }
    fn d(&mut self, key: &str) -> Option<Decimal> {
        let i = DECS.iter().position(|k| *k == key)?;
        self.decs[i].take()
    }
    /// A required decimal (presence was checked against the kind already).
    fn req(&mut self, key: &'static str) -> Result<Decimal, &'static str> {
        self.d(key).ok_or(key)
    }
}

impl Tagged for ScoringRule {
    type Slots = ScoringSlots;
    const KINDS: &'static [KindSpec] = &[
        KindSpec {
            name: "choice",
            fields: &["options"],
            required: &["options"],
        },
        KindSpec {
            name: "step_rate",
            fields: &["input", "full_at", "step", "deduct"],
            required: &["step", "deduct"],
        },
        KindSpec {
            name: "per_finding",
            fields: &["deduct"],
            required: &["deduct"],
        },
        KindSpec {
            name: "tiers",
            fields: &["numerator", "denominator", "tiers"],
            required: &["numerator", "denominator", "tiers"],
        },
        KindSpec {
            name: "survey_rate",
            fields: &["input", "tiers", "below"],
            required: &["tiers"],
        },
        KindSpec {
            name: "established",
            fields: &["prefix", "defects", "partial", "none"],
            required: &["prefix", "defects", "partial", "none"],
        },
    ];
    const NAMES: &'static [&'static str] = &[
        "choice",
        "step_rate",
        "per_finding",
        "tiers",
        "survey_rate",
        "established",
    ];
    const EXPECTING: &'static str = "a scoring rule table with a `kind`";
    // The kind and at most four fields.
    const WIRE_LEN: usize = 5;

    fn from_slots<E: de::Error>(spec: &'static KindSpec, mut raw: ScoringSlots) -> Result<Self, E> {
        scoring_rule(spec.name, &mut raw).map_err(E::missing_field)
    }

    fn from_seq<'de, A: SeqAccess<'de>>(kind: &str, s: &mut A) -> Result<Option<Self>, A::Error> {
        let dec = |s: &mut A| next::<A, Dec>(s).map(|d| d.0);
        Ok(Some(match kind {
            "choice" => Self::Choice { options: next(s)? },
            "step_rate" => Self::StepRate {
                input: next(s)?,
                full_at: dec(s)?,
                step: dec(s)?,
                deduct: dec(s)?,
            },
            "per_finding" => Self::PerFinding { deduct: dec(s)? },
            "tiers" => Self::Tiers {
                numerator: next(s)?,
                denominator: next(s)?,
                tiers: next(s)?,
            },
            "survey_rate" => Self::SurveyRate {
                input: next(s)?,
                tiers: next(s)?,
                below: dec(s)?,
            },
            "established" => Self::Established {
                prefix: next(s)?,
                defects: dec(s)?,
                partial: dec(s)?,
                none: dec(s)?,
            },
            _ => return Ok(None),
        }))
    }
}

impl<'de> Deserialize<'de> for ScoringRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::deserialize(d)
    }
}

/// The rule of `kind` from the keys read; `Err(key)` for a missing required key.
fn scoring_rule(kind: &str, r: &mut ScoringSlots) -> Result<ScoringRule, &'static str> {
    let tiers = |r: &mut ScoringSlots| r.tiers.take().ok_or("tiers");
    Ok(match kind {
        "choice" => ScoringRule::Choice {
            options: r.options.take().unwrap_or_default(),
        },
        "step_rate" => ScoringRule::StepRate {
            input: r.s("input").unwrap_or_else(default_rate_input),
            full_at: r.d("full_at").unwrap_or(Decimal::ONE_HUNDRED),
            step: r.req("step")?,
            deduct: r.req("deduct")?,
        },
        "per_finding" => ScoringRule::PerFinding {
            deduct: r.req("deduct")?,
        },
        "tiers" => ScoringRule::Tiers {
            numerator: r.s("numerator").unwrap_or_default(),
            denominator: r.s("denominator").unwrap_or_default(),
            tiers: tiers(r)?,
        },
        "survey_rate" => ScoringRule::SurveyRate {
            input: r.s("input").unwrap_or_else(default_survey_input),
            tiers: tiers(r)?,
            below: r.d("below").unwrap_or_default(),
        },
        _ => ScoringRule::Established {
            prefix: r.s("prefix").unwrap_or_default(),
            defects: r.req("defects")?,
            partial: r.req("partial")?,
            none: r.req("none")?,
        },
    })
}

#[cfg(test)]
mod schema_tests {
    use crate::schema::Rule;

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

#[cfg(test)]
mod scoring_tests {
    use crate::scoring::Rule;
    use rust_decimal::Decimal;

    fn read(json: &str) -> Result<Rule, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_round_trips_with_defaults() {
        for json in [
            r#"{"kind":"choice","options":[]}"#,
            r#"{"kind":"step_rate","step":"5","deduct":1}"#,
            r#"{"kind":"step_rate","input":"x","full_at":90,"step":5,"deduct":0.5}"#,
            r#"{"kind":"per_finding","deduct":2}"#,
            r#"{"kind":"tiers","numerator":"a","denominator":"b","tiers":[{"at_least":90,"score":5}]}"#,
            r#"{"kind":"survey_rate","tiers":[]}"#,
            r#"{"kind":"established","prefix":"p","defects":1,"partial":2,"none":3}"#,
        ] {
            let rule = read(json).unwrap();
            let back = serde_json::to_string(&rule).unwrap();
            assert_eq!(read(&back).unwrap(), rule, "{json}");
            let wire: Rule = crate::wire::decode(&crate::wire::encode(&rule).unwrap()).unwrap();
            assert_eq!(wire, rule, "{json}");
        }
        match read(r#"{"kind":"step_rate","step":5,"deduct":1}"#).unwrap() {
            Rule::StepRate { input, full_at, .. } => {
                assert_eq!(input, "completion_rate");
                assert_eq!(full_at, Decimal::ONE_HUNDRED);
            }
            other => panic!("{other:?}"),
        }
        match read(r#"{"kind":"survey_rate","tiers":[]}"#).unwrap() {
            Rule::SurveyRate { input, below, .. } => {
                assert_eq!(input, "survey");
                assert_eq!(below, Decimal::ZERO);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_are_serdes() {
        let e = read(r#"{"kind":"per_finding","deduct":1,"step":2}"#).unwrap_err();
        assert!(e.contains("unknown field `step`, expected `deduct`"), "{e}");
        let e = read(r#"{"kind":"established","prefix":"p","defects":1,"partial":2}"#).unwrap_err();
        assert!(e.contains("missing field `none`"), "{e}");
        let e = read(r#"{"kind":"tier"}"#).unwrap_err();
        assert!(e.contains("unknown variant `tier`"), "{e}");
        let e = read(r#"{"kind":"per_finding","deduct":"x"}"#).unwrap_err();
        assert!(e.contains("is not a decimal number"), "{e}");
    }
}
