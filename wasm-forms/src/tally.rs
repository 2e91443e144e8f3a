//! Counting survey ratings: per indicator and level a one-decimal percentage by the
//! largest-remainder method (each indicator's percentages sum to exactly 100.0), the
//! satisfaction rate r and its score by the summarising form's survey_rate tiers
//! ([`RateRule`], never copied here), and the checks of counts against a layout. The
//! validation of typed-in counts, the scoring of the evaluation and the aggregation of
//! survey files all count through these functions.

use rust_decimal::Decimal;

use crate::finding::Finding;
use crate::map::VecMap;
use crate::schema::{FieldType, FormSchema};
use crate::scoring::{tier_for, RateRule};
use crate::survey::{LevelStat, SurveyCounts, SurveyLayout, SurveySummary};

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

/// The satisfaction rate r as it is written everywhere (pages, score reasons, the
/// summary): rounded half up to two decimals ([`percent_2dp`]), both decimals shown,
/// and a percent sign: `78.00%`, `90.63%`, `100.00%`.
pub fn rate_text(r: Decimal) -> String {
    let mut r = r.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    format!("{r}%")
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
    let sum = count_text(sum);
    format!("指标“{row_label}”各等级份数之和为 {sum}，与评估表份数 {forms} 不符：两者应相等")
}

/// A sum of counts in decimal digits, as `format!("{n}")` writes it: by hand, as
/// core::fmt's printer of u128 (1.5 KB of wasm) would be linked for these messages only.
pub(crate) fn count_text(mut n: u128) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
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
    rate_rule: Option<RateRule<'_>>,
) -> SurveySummary {
    let mut indicators = VecMap::new();
    for row in &layout.rows {
        let levels = counts.indicators.get(&row.id);
        let cs: Vec<u64> = layout
            .levels
            .iter()
            .map(|l| levels.and_then(|m| m.get(&l.id)).copied().unwrap_or(0))
            .collect();
        let tenths = largest_remainder_tenths(&cs);
        let stats: VecMap<_, _> = layout
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
    let rate = percent_2dp(num, den);
    SurveySummary {
        forms: counts.forms,
        indicators,
        satisfaction_rate_text: rate.map(rate_text),
        satisfaction_rate: rate,
        satisfaction_score: rate_rule.and_then(|r| rate_tier(num, den, r)),
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

#[cfg(test)]
mod tests {
    use super::count_text;

    #[test]
    fn count_text_is_format() {
        for n in [0, 7, 10, 99, 1000, u128::from(u64::MAX) + 1, u128::MAX] {
            assert_eq!(count_text(n), format!("{n}"));
        }
    }
}
