//! `Deserialize` for [`Rule`]: the same `kind`-tagged tables and error messages as serde's
//! internally tagged derive, read in one pass (see [`crate::tagged`]).

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{dec, default_rate_input, default_survey_input, ChoiceOption, Rule, Tier};
use crate::tagged::{next, read_table, KindSpec, Seen, Slots};

const KINDS: &[KindSpec] = &[
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

const NAMES: &[&str] = &[
    "choice",
    "step_rate",
    "per_finding",
    "tiers",
    "survey_rate",
    "established",
];

const STRS: &[&str] = &["input", "numerator", "denominator", "prefix"];
const DECS: &[&str] = &[
    "full_at", "step", "deduct", "below", "defects", "partial", "none",
];

/// A decimal as the `dec` module reads it.
#[derive(Deserialize)]
struct Dec(#[serde(deserialize_with = "dec::deserialize")] Decimal);

#[derive(Default)]
struct Raw {
    strs: [Option<String>; 4],
    decs: [Option<Decimal>; 7],
    options: Option<Vec<ChoiceOption>>,
    tiers: Option<Vec<Tier>>,
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

impl Raw {
    fn s(&mut self, key: &str) -> Option<String> {
        let i = STRS.iter().position(|k| *k == key)?;
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

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = Rule;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a scoring rule table with a `kind`")
    }

    /// The wire form: the kind, then the variant's fields in declaration order.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rule, A::Error> {
        let kind: String = next(&mut seq)?;
        let s = &mut seq;
        let dec = |s: &mut A| next::<A, Dec>(s).map(|d| d.0);
        Ok(match kind.as_str() {
            "choice" => Rule::Choice { options: next(s)? },
            "step_rate" => Rule::StepRate {
                input: next(s)?,
                full_at: dec(s)?,
                step: dec(s)?,
                deduct: dec(s)?,
            },
            "per_finding" => Rule::PerFinding { deduct: dec(s)? },
            "tiers" => Rule::Tiers {
                numerator: next(s)?,
                denominator: next(s)?,
                tiers: next(s)?,
            },
            "survey_rate" => Rule::SurveyRate {
                input: next(s)?,
                tiers: next(s)?,
                below: dec(s)?,
            },
            "established" => Rule::Established {
                prefix: next(s)?,
                defects: dec(s)?,
                partial: dec(s)?,
                none: dec(s)?,
            },
            other => return Err(de::Error::unknown_variant(other, NAMES)),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Rule, A::Error> {
        let (spec, mut raw) = read_table::<A, Raw>(map, KINDS, NAMES)?;
        build(spec.name, &mut raw).map_err(de::Error::missing_field)
    }
}

/// The rule of `kind` from the keys read; `Err(key)` for a missing required key.
fn build(kind: &str, r: &mut Raw) -> Result<Rule, &'static str> {
    let tiers = |r: &mut Raw| r.tiers.take().ok_or("tiers");
    Ok(match kind {
        "choice" => Rule::Choice {
            options: r.options.take().unwrap_or_default(),
        },
        "step_rate" => Rule::StepRate {
            input: r.s("input").unwrap_or_else(default_rate_input),
            full_at: r.d("full_at").unwrap_or(Decimal::ONE_HUNDRED),
            step: r.req("step")?,
            deduct: r.req("deduct")?,
        },
        "per_finding" => Rule::PerFinding {
            deduct: r.req("deduct")?,
        },
        "tiers" => Rule::Tiers {
            numerator: r.s("numerator").unwrap_or_default(),
            denominator: r.s("denominator").unwrap_or_default(),
            tiers: tiers(r)?,
        },
        "survey_rate" => Rule::SurveyRate {
            input: r.s("input").unwrap_or_else(default_survey_input),
            tiers: tiers(r)?,
            below: r.d("below").unwrap_or_default(),
        },
        _ => Rule::Established {
            prefix: r.s("prefix").unwrap_or_default(),
            defects: r.req("defects")?,
            partial: r.req("partial")?,
            none: r.req("none")?,
        },
    })
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_map(RuleVisitor)
        } else {
            // The kind and at most four fields.
            d.deserialize_tuple(5, RuleVisitor)
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
