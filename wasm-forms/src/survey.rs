//! The survey model: the rows and levels of a survey ([`SurveyLayout`], from the
//! survey's rating matrix or the evaluation's counts field), its counts
//! ([`SurveyCounts`], the shape of the evaluation's `survey` value) and their summary
//! ([`SurveySummary`], section 五 of the evaluation report). Types only: the arithmetic
//! is in [`crate::tally`], the aggregation of response files in [`crate::aggregate`].

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::dec;
use crate::finding::Finding;
use crate::map::VecMap;
use crate::schema::{ChoiceOption, Field, FormSchema};

/// One rated indicator of the survey: id, label and group (评估内容).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRow {
    pub id: String,
    pub label: String,
    pub group: String,
}

/// The rows and levels of a survey, from its schema: the rating matrix of the survey
/// form, or the counts field of the form that summarises it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyLayout {
    pub rows: Vec<SurveyRow>,
    /// Levels, best first (很满意, 满意, 一般, 不满意); those marked `satisfied` count in r.
    pub levels: Vec<ChoiceOption>,
}

impl SurveyLayout {
    /// The layout of a counts field (the evaluation's `survey`): its rows and levels.
    pub fn from_counts_field(field: &Field) -> Self {
        SurveyLayout {
            rows: field
                .rows
                .iter()
                .map(|r| SurveyRow {
                    id: r.id.clone(),
                    label: r.label.clone(),
                    group: r.group.clone().unwrap_or_default(),
                })
                .collect(),
            levels: field.options.clone(),
        }
    }

    /// The layout of a survey schema: the fields of its rating-matrix section and the
    /// matrix's levels; `None` for a schema without a rating matrix.
    pub fn from_schema(schema: &FormSchema) -> Option<Self> {
        let sec = schema
            .sections
            .iter()
            .find(|s| !s.matrix.is_empty() && !s.fields.is_empty())?;
        Some(SurveyLayout {
            rows: sec
                .fields
                .iter()
                .map(|f| SurveyRow {
                    id: f.id.clone(),
                    label: f.label.clone(),
                    group: f.group.clone().unwrap_or_default(),
                })
                .collect(),
            levels: sec.matrix.clone(),
        })
    }

    /// The labels of the satisfied levels, as the reasons name them (`很满意和满意`).
    pub fn satisfied_labels(&self) -> String {
        self.levels
            .iter()
            .filter(|l| l.satisfied)
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>()
            .join("和")
    }
}

/// Counts of a survey: `{"forms": 32, "indicators": {"goal_setting": {"very_satisfied":
/// 20, "satisfied": 9, "average": 3, "dissatisfied": 0}, …}}`; each indicator's counts
/// sum to `forms`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyCounts {
    pub forms: u64,
    pub indicators: VecMap<String, VecMap<String, u64>>,
}

/// What is wrong with survey counts read by [`SurveyCounts::from_value`], and where in
/// them: `at` is the unknown key ([`CountsProblem::UnknownKey`]) or the indicator's id
/// ([`CountsProblem::Row`], [`CountsProblem::Count`]), `level` the level of a count;
/// empty where the problem names none. `Display` writes the message (in Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountsError<'a> {
    pub problem: CountsProblem,
    pub at: &'a str,
    pub level: &'a str,
}

/// What is wrong with survey counts ([`CountsError`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountsProblem {
    /// Not a JSON object.
    NotObject,
    /// A key other than `forms` and `indicators`.
    UnknownKey,
    /// No `forms`.
    NoForms,
    /// `forms` that is not a whole number ≥ 0.
    Forms,
    /// No `indicators`.
    NoIndicators,
    /// `indicators` that is not an object.
    Indicators,
    /// The counts of an indicator are not an object.
    Row,
    /// A count of an indicator's level is not a whole number ≥ 0.
    Count,
}

impl fmt::Display for CountsError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WHOLE: &str = " 应为不小于 0 的整数";
        // What comes before and after the place named, by problem (in declaration order).
        const TEXT: [(&str, &str); 8] = [
            ("应为对象 {forms, indicators}", ""),
            ("未知的键“", "”，只能有 forms 和 indicators"),
            ("缺少 forms", ""),
            ("forms", WHOLE),
            ("缺少 indicators", ""),
            ("indicators 应为对象", ""),
            ("indicators.", " 应为对象"),
            ("indicators.", WHOLE),
        ];
        let (head, tail) = TEXT[self.problem as usize];
        f.write_str(head)?;
        f.write_str(self.at)?;
        if !self.level.is_empty() {
            f.write_str(".")?;
            f.write_str(self.level)?;
        }
        f.write_str(tail)
    }
}

impl std::error::Error for CountsError<'_> {}

impl SurveyCounts {
    /// Reads counts from JSON as the derived reader does (both keys, nothing else, every
    /// count a whole number ≥ 0), or says what is wrong where. Read by hand so that the
    /// browser bundles do not link serde's typed errors (and with them `core::fmt`'s
    /// float printing).
    pub fn from_value(v: &Value) -> Result<SurveyCounts, CountsError<'_>> {
        use CountsProblem as P;
        let err = |problem, at| CountsError {
            problem,
            at,
            level: "",
        };
        let Some(obj) = v.as_object() else {
            return Err(err(P::NotObject, ""));
        };
        if let Some(key) = obj.keys().find(|k| *k != "forms" && *k != "indicators") {
            return Err(err(P::UnknownKey, key));
        }
        let forms = match obj.get("forms") {
            Some(n) => n.as_u64().ok_or(err(P::Forms, ""))?,
            None => return Err(err(P::NoForms, "")),
        };
        let Some(rows) = obj.get("indicators") else {
            return Err(err(P::NoIndicators, ""));
        };
        let rows = rows.as_object().ok_or(err(P::Indicators, ""))?;
        let mut indicators = VecMap::new();
        for (id, levels) in rows {
            let levels = levels.as_object().ok_or(err(P::Row, id))?;
            let mut counts = VecMap::new();
            for (level, n) in levels {
                let n = n.as_u64().ok_or(CountsError {
                    level,
                    ..err(P::Count, id)
                })?;
                counts.insert(level.clone(), n);
            }
            indicators.insert(id.clone(), counts);
        }
        Ok(SurveyCounts { forms, indicators })
    }
}

/// The count and percentage of one level of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelStat {
    pub count: u64,
    /// One decimal; an indicator's four percentages sum to exactly 100.0 (0.0 each when
    /// there is no rating).
    #[serde(with = "dec")]
    pub percent: Decimal,
}

/// A file left out of the aggregation, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub file: String,
    pub findings: Vec<Finding>,
}

/// Section 五 of the evaluation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    /// Number of valid responses.
    pub forms: u64,
    /// indicator id → level id → count and percent.
    pub indicators: VecMap<String, VecMap<String, LevelStat>>,
    /// r = (很满意 + 满意) / all ratings, in percent, rounded half up to two decimals;
    /// `None` without any rating.
    #[serde(with = "dec::option")]
    pub satisfaction_rate: Option<Decimal>,
    /// r as every page and report writes it: two decimals and a percent sign
    /// (`78.00%`, [`crate::tally::rate_text`]); `None` without any rating.
    #[serde(default)]
    pub satisfaction_rate_text: Option<String>,
    /// The score of the exact r by the tiers of the summarising form's survey_rate rule
    /// (学员满意度); `None` without tiers or without any rating.
    #[serde(with = "dec::option")]
    pub satisfaction_score: Option<Decimal>,
    /// The counts behind this summary, in the shape of the evaluation's `survey` value.
    pub counts: SurveyCounts,
    /// Files left out, with their findings.
    pub rejected: Vec<Rejected>,
    /// Problems of typed-in counts (an indicator whose counts do not sum to `forms`,
    /// unknown indicators or levels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_counts_are_a_typed_error_naming_where_and_what() {
        use CountsProblem as P;
        let cases = [
            (
                json!([]),
                P::NotObject,
                "",
                "",
                "应为对象 {forms, indicators}",
            ),
            (
                json!({"forms": 1, "indicators": {}, "x": 1}),
                P::UnknownKey,
                "x",
                "",
                "未知的键“x”，只能有 forms 和 indicators",
            ),
            (json!({"indicators": {}}), P::NoForms, "", "", "缺少 forms"),
            (
                json!({"forms": -1, "indicators": {}}),
                P::Forms,
                "",
                "",
                "forms 应为不小于 0 的整数",
            ),
            (
                json!({"forms": 1}),
                P::NoIndicators,
                "",
                "",
                "缺少 indicators",
            ),
            (
                json!({"forms": 1, "indicators": []}),
                P::Indicators,
                "",
                "",
                "indicators 应为对象",
            ),
            (
                json!({"forms": 1, "indicators": {"a": 3}}),
                P::Row,
                "a",
                "",
                "indicators.a 应为对象",
            ),
            (
                json!({"forms": 1, "indicators": {"a": {"ok": 1.5}}}),
                P::Count,
                "a",
                "ok",
                "indicators.a.ok 应为不小于 0 的整数",
            ),
        ];
        for (v, problem, at, level, text) in cases {
            let e = SurveyCounts::from_value(&v).unwrap_err();
            assert_eq!(e, CountsError { problem, at, level }, "{v}");
            assert_eq!(e.to_string(), text);
        }
    }
}
