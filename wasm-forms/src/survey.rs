//! The survey model: the rows and levels of a survey ([`SurveyLayout`], from the
//! survey's rating matrix or the evaluation's counts field), its counts
//! ([`SurveyCounts`], the shape of the evaluation's `survey` value) and their summary
//! ([`SurveySummary`], section 五 of the evaluation report). Types only: the arithmetic
//! is in [`crate::tally`], the aggregation of response files in [`crate::aggregate`].

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

impl SurveyCounts {
    /// Reads counts from JSON as the derived reader does (both keys, nothing else, every
    /// count a whole number ≥ 0), with a message saying what is wrong where. Read by hand
    /// so that the browser bundles do not link serde's typed errors (and with them
    /// `core::fmt`'s float printing).
    pub fn from_value(v: &Value) -> Result<SurveyCounts, String> {
        let Some(obj) = v.as_object() else {
            return Err("应为对象 {forms, indicators}".to_owned());
        };
        if let Some(key) = obj.keys().find(|k| *k != "forms" && *k != "indicators") {
            return Err(format!("未知的键“{key}”，只能有 forms 和 indicators"));
        }
        let forms = match obj.get("forms") {
            Some(n) => n.as_u64().ok_or("forms 应为不小于 0 的整数")?,
            None => return Err("缺少 forms".to_owned()),
        };
        let Some(rows) = obj.get("indicators") else {
            return Err("缺少 indicators".to_owned());
        };
        let rows = rows.as_object().ok_or("indicators 应为对象")?;
        let mut indicators = VecMap::new();
        for (id, levels) in rows {
            let levels = levels
                .as_object()
                .ok_or_else(|| format!("indicators.{id} 应为对象"))?;
            let mut counts = VecMap::new();
            for (level, n) in levels {
                let n = n
                    .as_u64()
                    .ok_or_else(|| format!("indicators.{id}.{level} 应为不小于 0 的整数"))?;
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
