//! Aggregation of survey responses (`wenzhou-survey` → section 五 of the evaluation report).
//!
//! This module owns the survey counts ([`SurveyCounts`], the shape of the evaluation's
//! `survey` value), their summary ([`SurveySummary`]: per indicator and level the count
//! and a one-decimal percentage by the largest-remainder method, so that each
//! indicator's percentages sum to exactly 100.0; the satisfaction rate `r` and its
//! score), the aggregation of a batch of response files in which one bad file never
//! stops the batch, and the CSV table of a summary. The rows, levels and satisfied
//! levels come from the schema ([`SurveyLayout`]: the survey's rating matrix or the
//! evaluation's counts field); r is scored only by the tiers of the summarising form's
//! survey_rate rule ([`RateRule`]), never copied here.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::schema::{ChoiceOption, FieldType, FormSchema};
use crate::score::{dec, tier_for, RateRule};
use crate::validate::{validate, Context};

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
    pub fn from_counts_field(field: &crate::schema::Field) -> Self {
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
    pub indicators: BTreeMap<String, BTreeMap<String, u64>>,
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
    pub indicators: BTreeMap<String, BTreeMap<String, LevelStat>>,
    /// r = (很满意 + 满意) / all ratings, in percent, rounded half up to two decimals;
    /// `None` without any rating.
    #[serde(with = "dec::option")]
    pub satisfaction_rate: Option<Decimal>,
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

/// Percentages in tenths of a percent by the largest-remainder method: they sum to
/// exactly 1000 when the counts do not sum to 0 (all 0 otherwise). Ties go to the
/// earlier position.
pub fn largest_remainder_tenths(counts: &[u64]) -> Vec<u64> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut tenths = Vec::with_capacity(counts.len());
    let mut rems = Vec::with_capacity(counts.len());
    for &c in counts {
        let q = u128::from(c) * 1000;
        tenths.push(q / total);
        rems.push(q % total);
    }
    let given: u128 = tenths.iter().sum();
    let left = 1000u128.saturating_sub(given);
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // Largest remainder first; equal remainders keep the earlier level first.
    crate::small::sort_by(&mut order, |&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
    for &i in order
        .iter()
        .take(usize::try_from(left).unwrap_or(usize::MAX))
    {
        if let Some(t) = tenths.get_mut(i) {
            *t += 1;
        }
    }
    tenths
        .into_iter()
        .map(|t| u64::try_from(t).unwrap_or(u64::MAX))
        .collect()
}

/// `num / den` in percent, rounded half up to two decimals, computed in integers.
pub fn percent_2dp(num: u128, den: u128) -> Option<Decimal> {
    if den == 0 {
        return None;
    }
    let hundredths = num.checked_mul(20_000)?.checked_add(den)? / (den * 2);
    let h = i64::try_from(hundredths).ok()?;
    Some(Decimal::new(h, 2).normalize())
}

/// The score of a satisfaction rate num/den, compared exactly with the tiers; `None`
/// without any rating.
pub(crate) fn rate_tier(num: u128, den: u128, rate: RateRule<'_>) -> Option<Decimal> {
    if den == 0 {
        return None;
    }
    let n = Decimal::from_i128_with_scale(i128::try_from(num).ok()?, 0);
    let d = Decimal::from_i128_with_scale(i128::try_from(den).ok()?, 0);
    Some(tier_for(rate.tiers, n, d).map_or(rate.below, |t| t.score))
}

/// Satisfied ratings (the levels marked `satisfied`) and all ratings of some counts.
pub(crate) fn satisfied_over_all(counts: &SurveyCounts, layout: &SurveyLayout) -> (u128, u128) {
    let top: Vec<&str> = layout
        .levels
        .iter()
        .filter(|l| l.satisfied)
        .map(|l| l.id.as_str())
        .collect();
    let (mut num, mut den) = (0u128, 0u128);
    for row in &layout.rows {
        if let Some(levels) = counts.indicators.get(&row.id) {
            for (level, &c) in levels {
                den += u128::from(c);
                if top.contains(&level.as_str()) {
                    num += u128::from(c);
                }
            }
        }
    }
    (num, den)
}

/// Checks counts against a layout: every indicator present, no unknown indicator or
/// level, each indicator summing to `forms`. Paths are relative (`indicators.faculty`).
pub fn check_counts(counts: &SurveyCounts, layout: &SurveyLayout) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &layout.rows {
        let path = format!("indicators.{}", row.id);
        match counts.indicators.get(&row.id) {
            None => out.push(Finding::error(
                path,
                format!(
                    "缺少“{}”的各等级份数；应填写全部 {} 项评估指标",
                    row.label,
                    layout.rows.len()
                ),
            )),
            Some(levels) => {
                let sum: u128 = levels.values().map(|&c| u128::from(c)).sum();
                if sum != u128::from(counts.forms) {
                    out.push(Finding::error(
                        path.clone(),
                        sum_mismatch(&row.label, sum, counts.forms),
                    ));
                }
                for level in levels.keys() {
                    if !layout.levels.iter().any(|l| &l.id == level) {
                        out.push(Finding::error(
                            format!("{path}.{level}"),
                            format!("未知的评估等级 `{level}`；应为 {}", level_list(layout)),
                        ));
                    }
                }
            }
        }
    }
    for id in counts.indicators.keys() {
        if !layout.rows.iter().any(|r| &r.id == id) {
            out.push(Finding::error(
                format!("indicators.{id}"),
                format!("未知的评估指标 `{id}`"),
            ));
        }
    }
    out
}

/// The one message of an indicator whose level counts do not add up to the number of
/// forms (validation of typed-in counts and the summary both say it so).
pub fn sum_mismatch(row_label: &str, sum: u128, forms: u64) -> String {
    format!("指标“{row_label}”各等级份数之和为 {sum}，与评估表份数 {forms} 不符：两者应相等")
}

fn level_list(layout: &SurveyLayout) -> String {
    layout
        .levels
        .iter()
        .map(|l| format!("{}（{}）", l.id, l.label))
        .collect::<Vec<_>>()
        .join("、")
}

/// The summary of counts under a layout (percentages, r, count findings), and the
/// score of r when `rate` gives the tiers (the summarising form's survey_rate rule).
pub fn summary_with_layout(
    counts: &SurveyCounts,
    layout: &SurveyLayout,
    rate: Option<RateRule<'_>>,
) -> SurveySummary {
    let mut indicators = BTreeMap::new();
    for row in &layout.rows {
        let levels = counts.indicators.get(&row.id);
        let cs: Vec<u64> = layout
            .levels
            .iter()
            .map(|l| levels.and_then(|m| m.get(&l.id)).copied().unwrap_or(0))
            .collect();
        let tenths = largest_remainder_tenths(&cs);
        let stats = layout
            .levels
            .iter()
            .zip(cs.iter().zip(tenths))
            .map(|(l, (&count, t))| {
                let percent = i64::try_from(t).map_or(Decimal::ZERO, |t| Decimal::new(t, 1));
                (l.id.clone(), LevelStat { count, percent })
            })
            .collect();
        indicators.insert(row.id.clone(), stats);
    }
    let (num, den) = satisfied_over_all(counts, layout);
    SurveySummary {
        forms: counts.forms,
        indicators,
        satisfaction_rate: percent_2dp(num, den),
        satisfaction_score: rate.and_then(|r| rate_tier(num, den, r)),
        counts: counts.clone(),
        rejected: Vec::new(),
        findings: check_counts(counts, layout),
    }
}

/// The summary of typed-in counts of a form's counts field (the evaluation's
/// `survey`): the same percentages and `r` as aggregating the responses would give, and
/// the score of r by the form's survey_rate rule.
pub fn summary_from_counts(schema: &FormSchema, counts: &SurveyCounts) -> SurveySummary {
    let layout = schema
        .fields()
        .find(|f| f.kind == FieldType::Counts)
        .map(SurveyLayout::from_counts_field)
        .unwrap_or_default();
    summary_with_layout(counts, &layout, RateRule::of(schema))
}

/// Aggregates a batch with a given response check (`Ok(normalised values)` or the
/// findings that reject it). One bad file never stops the batch.
pub fn aggregate_with<F>(
    schema: &FormSchema,
    inputs: &[(String, Result<Value, String>)],
    rate: Option<RateRule<'_>>,
    mut check: F,
) -> SurveySummary
where
    F: FnMut(&Value) -> Result<Map<String, Value>, Vec<Finding>>,
{
    let layout = SurveyLayout::from_schema(schema).unwrap_or_default();
    // counts[row][level], by position in the layout.
    let mut tally = vec![vec![0u64; layout.levels.len()]; layout.rows.len()];
    let mut forms = 0u64;
    let mut picks: Vec<usize> = Vec::with_capacity(layout.rows.len());
    let mut rejected = Vec::new();
    for (file, input) in inputs {
        let values = match input {
            Err(e) => Err(vec![Finding::error("", format!("无法读取文件：{e}"))]),
            Ok(v) => check(v),
        };
        match values {
            Err(findings) => rejected.push(Rejected {
                file: file.clone(),
                findings,
            }),
            Ok(values) => {
                // Count only when every rating is a level: a validator that let one
                // through must not make the counts inconsistent.
                picks.clear();
                for r in &layout.rows {
                    let level = values
                        .get(&r.id)
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .and_then(|v| layout.levels.iter().position(|l| l.id == v));
                    match level {
                        Some(l) => picks.push(l),
                        None => break,
                    }
                }
                if picks.len() == layout.rows.len() {
                    forms += 1;
                    for (row, &level) in tally.iter_mut().zip(&picks) {
                        if let Some(c) = row.get_mut(level) {
                            *c += 1;
                        }
                    }
                } else {
                    rejected.push(Rejected {
                        file: file.clone(),
                        findings: vec![Finding::error("", "评估等级不完整或无效")],
                    });
                }
            }
        }
    }
    let counts = SurveyCounts {
        forms,
        indicators: layout
            .rows
            .iter()
            .zip(&tally)
            .map(|(r, t)| {
                let levels = layout
                    .levels
                    .iter()
                    .zip(t)
                    .map(|(l, &c)| (l.id.clone(), c))
                    .collect();
                (r.id.clone(), levels)
            })
            .collect(),
    };
    let mut summary = summary_with_layout(&counts, &layout, rate);
    summary.rejected = rejected;
    summary
}

/// Aggregates survey response files (each a parsed JSON response or the error that
/// kept it from being read), validating each with [`crate::validate::validate`].
/// Invalid responses are listed in `rejected` with their findings and left out; one
/// bad file never stops the batch. `rate`: the tiers that score r (from the form that
/// summarises this survey), if any.
pub fn aggregate(
    schema: &FormSchema,
    inputs: &[(String, Result<Value, String>)],
    ctx: &Context,
    rate: Option<RateRule<'_>>,
) -> SurveySummary {
    aggregate_with(schema, inputs, rate, |v| {
        let report = validate(schema, v, ctx);
        if report.valid {
            Ok(report.values)
        } else {
            // Errors first, each group in its order: a stable partition, linear however
            // many findings a malformed file yields.
            let (mut errors, warnings): (Vec<Finding>, Vec<Finding>) =
                report.findings.into_iter().partition(Finding::is_error);
            errors.extend(warnings);
            Err(errors)
        }
    })
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The summary as the seed's table: UTF-8 BOM, CRLF, header
/// `评估内容,评估指标,很满意,满意,一般,不满意`, one row per indicator with each level's
/// percentage (`62.5%`), in the layout's order.
pub fn summary_csv(summary: &SurveySummary, layout: &SurveyLayout) -> String {
    let mut out = String::from("\u{feff}");
    let mut header = vec!["评估内容".to_owned(), "评估指标".to_owned()];
    header.extend(layout.levels.iter().map(|l| l.label.clone()));
    out.push_str(
        &header
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in &layout.rows {
        let mut cells = vec![csv_cell(&row.group), csv_cell(&row.label)];
        let stats = summary.indicators.get(&row.id);
        for l in &layout.levels {
            let p = stats
                .and_then(|m| m.get(&l.id))
                .map_or(Decimal::ZERO, |s| s.percent);
            let mut p = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
            p.rescale(1);
            cells.push(format!("{p}%"));
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
