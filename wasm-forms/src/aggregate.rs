//! Aggregation of survey responses (`wenzhou-survey` → section 五 of the evaluation report).
//!
//! This module owns the aggregation of a batch of response files, in which one bad
//! file never stops the batch: each response is validated, its ratings counted, and
//! the counts summarised ([`crate::tally`]: percentages by the largest-remainder method,
//! the satisfaction rate r scored only by the summarising form's survey_rate tiers); and
//! the CSV table of a summary. The survey types ([`SurveyCounts`], [`SurveySummary`],
//! [`SurveyLayout`]) are the model's ([`crate::survey`]) and re-exported here with the
//! counting functions, for callers of the whole aggregation API.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::schema::FormSchema;
use crate::scoring::RateRule;
use crate::validate::{validate_unscored, Context};

pub use crate::survey::{
    LevelStat, Rejected, SurveyCounts, SurveyLayout, SurveyRow, SurveySummary,
};
pub use crate::tally::{
    check_counts, largest_remainder_tenths, percent_2dp, sum_mismatch, summary_from_counts,
    summary_with_layout,
};

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
                let levels = layout.levels.iter().zip(t);
                (
                    r.id.clone(),
                    levels.map(|(l, &c)| (l.id.clone(), c)).collect(),
                )
            })
            .collect(),
    };
    let mut summary = summary_with_layout(&counts, &layout, rate);
    summary.rejected = rejected;
    summary
}

/// Aggregates survey response files (each a parsed JSON response or the error that
/// kept it from being read), validating each with
/// [`crate::validate::validate_unscored`] (only validity and values count here).
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
        let report = validate_unscored(schema, v, ctx);
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
