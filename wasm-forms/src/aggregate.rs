//! Aggregation of `wenzhou-survey` responses (section 五 of the evaluation report).
//!
//! This module owns the survey counts ([`SurveyCounts`], the shape of the evaluation's
//! `survey` value), their summary ([`SurveySummary`]: per indicator and level the count
//! and a one-decimal percentage by the largest-remainder method, so that each
//! indicator's percentages sum to exactly 100.0; the satisfaction rate `r` and its
//! score), the aggregation of a batch of response files in which one bad file never
//! stops the batch, and the CSV table of a summary.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::schema::FormSchema;
use crate::score::{dec, Tier};
use crate::validate::{validate, Context};

/// One rated indicator of the survey: id, label and group (评估内容).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRow {
    pub id: String,
    pub label: String,
    pub group: String,
}

/// The rows and levels of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyLayout {
    pub rows: Vec<SurveyRow>,
    /// Level ids and labels, best first (很满意, 满意, 一般, 不满意). The first two count
    /// as satisfied in `r`.
    pub levels: Vec<(String, String)>,
}

const WENZHOU_ROWS: [(&str, &str, &str); 10] = [
    ("goal_setting", "目标设定", "培训设计"),
    ("course_design", "课程设置", "培训设计"),
    ("faculty", "师资配备", "培训设计"),
    ("teaching_content", "教学内容", "培训实施"),
    ("teaching_method", "教学方法", "培训实施"),
    ("teaching_level", "教学水平", "培训实施"),
    ("trainee_management", "学员管理", "培训管理"),
    ("service_quality", "服务质量", "培训管理"),
    ("work_help", "对推动工作帮助程度", "培训效果"),
    ("growth_help", "对个人成长帮助程度", "培训效果"),
];

const WENZHOU_LEVELS: [(&str, &str); 4] = [
    ("very_satisfied", "很满意"),
    ("satisfied", "满意"),
    ("average", "一般"),
    ("dissatisfied", "不满意"),
];

impl SurveyLayout {
    /// The ten indicators and four levels of 附件5 (forms.md `wenzhou-survey`).
    pub fn wenzhou() -> Self {
        SurveyLayout {
            rows: WENZHOU_ROWS
                .iter()
                .map(|(id, label, group)| SurveyRow {
                    id: (*id).into(),
                    label: (*label).into(),
                    group: (*group).into(),
                })
                .collect(),
            levels: WENZHOU_LEVELS
                .iter()
                .map(|(id, l)| ((*id).into(), (*l).into()))
                .collect(),
        }
    }

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
            levels: field
                .options
                .iter()
                .map(|o| (o.id.clone(), o.label.clone()))
                .collect(),
        }
    }

    /// The layout of a survey schema: the fields of its rating-matrix section and the
    /// matrix's levels. Falls back to [`SurveyLayout::wenzhou`] for a schema without a
    /// matrix.
    pub fn from_schema(schema: &FormSchema) -> Self {
        for sec in &schema.sections {
            if !sec.matrix.is_empty() && !sec.fields.is_empty() {
                return SurveyLayout {
                    rows: sec
                        .fields
                        .iter()
                        .map(|f| SurveyRow {
                            id: f.id.clone(),
                            label: f.label.clone(),
                            group: f.group.clone().unwrap_or_default(),
                        })
                        .collect(),
                    levels: sec
                        .matrix
                        .iter()
                        .map(|o| (o.id.clone(), o.label.clone()))
                        .collect(),
                };
            }
        }
        SurveyLayout::wenzhou()
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
    /// The 学员满意度 score from the exact r (95 / 85 / 60 → 10 / 8 / 6, else 4).
    #[serde(with = "dec::option")]
    pub satisfaction_score: Option<Decimal>,
    /// Files left out, with their findings.
    pub rejected: Vec<Rejected>,
    /// Problems of typed-in counts (an indicator whose counts do not sum to `forms`,
    /// unknown indicators or levels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl SurveySummary {
    /// The counts behind this summary (to fill the evaluation's `survey`).
    pub fn counts(&self) -> SurveyCounts {
        SurveyCounts {
            forms: self.forms,
            indicators: self
                .indicators
                .iter()
                .map(|(id, levels)| {
                    (
                        id.clone(),
                        levels.iter().map(|(l, s)| (l.clone(), s.count)).collect(),
                    )
                })
                .collect(),
        }
    }
}

/// The thresholds of 学员满意度 (forms.md): r ≥ 95 → 10; ≥ 85 → 8; ≥ 60 → 6; else 4.
pub fn satisfaction_tiers() -> (Vec<Tier>, Decimal) {
    let t = |a: i64, s: i64| Tier {
        at_least: Decimal::from(a),
        score: Decimal::from(s),
    };
    (vec![t(95, 10), t(85, 8), t(60, 6)], Decimal::from(4))
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

/// The score of a satisfaction rate num/den, compared exactly with the tiers.
pub(crate) fn rate_tier(num: u128, den: u128, tiers: &[Tier], below: Decimal) -> Option<Decimal> {
    if den == 0 {
        return None;
    }
    let (n, d) = (
        Decimal::from_i128_with_scale(i128::try_from(num).ok()?, 0),
        { Decimal::from_i128_with_scale(i128::try_from(den).ok()?, 0) },
    );
    let mut sorted: Vec<&Tier> = tiers.iter().collect();
    crate::small::sort_by(&mut sorted, |a, b| b.at_least.cmp(&a.at_least));
    for t in sorted {
        // n / d * 100 >= at_least  <=>  n * 100 >= at_least * d  (d > 0)
        let lhs = n.checked_mul(Decimal::ONE_HUNDRED)?;
        let rhs = t.at_least.checked_mul(d)?;
        if lhs >= rhs {
            return Some(t.score);
        }
    }
    Some(below)
}

/// Satisfied ratings (the first two levels) and all ratings of some counts.
pub(crate) fn satisfied_over_all(counts: &SurveyCounts, layout: &SurveyLayout) -> (u128, u128) {
    let top: Vec<&str> = layout
        .levels
        .iter()
        .take(2)
        .map(|(id, _)| id.as_str())
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
                format!("缺少“{}”的各等级份数；应填写全部 10 项评估指标", row.label),
            )),
            Some(levels) => {
                let sum: u128 = levels.values().map(|&c| u128::from(c)).sum();
                if sum != u128::from(counts.forms) {
                    out.push(Finding::error(
                        path.clone(),
                        format!(
                            "“{}”各等级份数之和为 {sum}，与评估表份数 {} 不符；应相等",
                            row.label, counts.forms
                        ),
                    ));
                }
                for level in levels.keys() {
                    if !layout.levels.iter().any(|(id, _)| id == level) {
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

fn level_list(layout: &SurveyLayout) -> String {
    layout
        .levels
        .iter()
        .map(|(id, label)| format!("{id}（{label}）"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The summary of counts under a layout (percentages, r, its score, count findings).
pub fn summary_with_layout(counts: &SurveyCounts, layout: &SurveyLayout) -> SurveySummary {
    let mut indicators = BTreeMap::new();
    for row in &layout.rows {
        let levels = counts.indicators.get(&row.id);
        let cs: Vec<u64> = layout
            .levels
            .iter()
            .map(|(l, _)| levels.and_then(|m| m.get(l)).copied().unwrap_or(0))
            .collect();
        let tenths = largest_remainder_tenths(&cs);
        let stats = layout
            .levels
            .iter()
            .zip(cs.iter().zip(tenths))
            .map(|((l, _), (&count, t))| {
                let percent = i64::try_from(t).map_or(Decimal::ZERO, |t| Decimal::new(t, 1));
                (l.clone(), LevelStat { count, percent })
            })
            .collect();
        indicators.insert(row.id.clone(), stats);
    }
    let (num, den) = satisfied_over_all(counts, layout);
    let (tiers, below) = satisfaction_tiers();
    SurveySummary {
        forms: counts.forms,
        indicators,
        satisfaction_rate: percent_2dp(num, den),
        satisfaction_score: rate_tier(num, den, &tiers, below),
        rejected: Vec::new(),
        findings: check_counts(counts, layout),
    }
}

/// The summary of typed-in counts of the ten indicators of 附件5: the same percentages
/// and `r` as aggregating the responses would give.
pub fn summary_from_counts(counts: &SurveyCounts) -> SurveySummary {
    summary_with_layout(counts, &SurveyLayout::wenzhou())
}

/// Aggregates a batch with a given response check (`Ok(normalised values)` or the
/// findings that reject it). One bad file never stops the batch.
pub fn aggregate_with<F>(
    schema: &FormSchema,
    inputs: &[(String, Result<Value, String>)],
    mut check: F,
) -> SurveySummary
where
    F: FnMut(&Value) -> Result<Map<String, Value>, Vec<Finding>>,
{
    let layout = SurveyLayout::from_schema(schema);
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
                        .and_then(|v| layout.levels.iter().position(|(id, _)| id == v));
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
                    .map(|((l, _), &c)| (l.clone(), c))
                    .collect();
                (r.id.clone(), levels)
            })
            .collect(),
    };
    let mut summary = summary_with_layout(&counts, &layout);
    summary.rejected = rejected;
    summary
}

/// Aggregates survey response files (each a parsed JSON response or the error that
/// kept it from being read), validating each with [`crate::validate::validate`].
/// Invalid responses are listed in `rejected` with their findings and left out; one
/// bad file never stops the batch.
pub fn aggregate(
    schema: &FormSchema,
    inputs: &[(String, Result<Value, String>)],
    ctx: &Context,
) -> SurveySummary {
    aggregate_with(schema, inputs, |v| {
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
    header.extend(layout.levels.iter().map(|(_, l)| l.clone()));
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
        for (l, _) in &layout.levels {
            let p = stats
                .and_then(|m| m.get(l))
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
