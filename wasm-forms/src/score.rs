//! Scoring of a response against its schema's `[scoring]` (the `wenzhou-evaluation`
//! 绩效评价指标体系), in exact decimal arithmetic.
//!
//! Every indicator gets its score, its maximum and the reason in words; sections get
//! subtotals, the response its 综合得分 and, only where the schema has a pass mark, pass
//! or fail. Every score is a multiple of 0.1 between 0 and its indicator's maximum; no
//! binary floating point is used on the result path. The rules themselves are data
//! ([`crate::scoring`], re-exported here for callers of the whole scoring API).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::decimal::{checked_div, checked_mul, dec, fmt_dec, saturating_add};
use crate::finding::Finding;
use crate::map::VecMap;
use crate::survey::{SurveyCounts, SurveyLayout};

pub use crate::scoring::{
    tier_for, ChoiceOption, Indicator, InputKind, InputText, RateRule, Rule, Scoring, Section,
    Tier, EXECUTION,
};

// ---------------------------------------------------------------------------------------
// Results

/// The score of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// `None` when the inputs are missing or invalid (see the result's findings).
    #[serde(with = "dec::option")]
    pub score: Option<Decimal>,
    #[serde(with = "dec")]
    pub max: Decimal,
    /// Why this score, in Chinese (e.g. "完成率 92.5%，低于100%共1个5%档，扣0.2分").
    pub reason: String,
}

/// One section's subtotal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    pub label: String,
    #[serde(with = "dec")]
    pub max: Decimal,
    /// Sum of the scored indicators of the section.
    #[serde(with = "dec")]
    pub score: Decimal,
    /// True when every indicator of the section has a score.
    pub complete: bool,
}

/// The score of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    /// 综合得分: the sum of the indicators that have a score.
    #[serde(with = "dec")]
    pub total: Decimal,
    #[serde(with = "dec")]
    pub max: Decimal,
    /// True when every indicator has a score (else `total` counts only what is present).
    pub complete: bool,
    /// The schema's pass mark, when the seed states one.
    #[serde(with = "dec::option", skip_serializing_if = "Option::is_none", default)]
    pub pass_mark: Option<Decimal>,
    /// `total ≥ pass_mark`, once every indicator has a score; absent without a pass mark.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub passed: Option<bool>,
    pub sections: Vec<SectionScore>,
    pub indicators: VecMap<String, IndicatorScore>,
    pub findings: Vec<Finding>,
}

impl fmt::Display for IndicatorScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.score {
            Some(s) => write!(
                f,
                "{}/{} {}",
                s.normalize(),
                self.max.normalize(),
                self.reason
            ),
            None => write!(f, "—/{} {}", self.max.normalize(), self.reason),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scoring

/// Scores a response's `values` against the schema's `[scoring]`.
///
/// Every indicator is listed with its score, maximum and reason. Missing inputs: the
/// indicator is not scored (`score: null`, a warning finding says what to fill in) and
/// the total and the section subtotals count the indicators that are scored
/// (`complete: false`). Invalid inputs (a choice that is not an option, a negative
/// rate, a fractional count, funds received of 0, a score typed in for a computed
/// indicator) are error findings and leave the indicator unscored. Never panics.
pub fn score(schema: &crate::schema::FormSchema, values: &Map<String, Value>) -> ScoreResult {
    match &schema.scoring {
        Some(sc) => {
            // The rows and levels of the survey counts are those of the schema's counts
            // field (the schema check requires one for a survey_rate rule).
            let layout = schema
                .fields()
                .find(|f| f.kind == crate::schema::FieldType::Counts)
                .map(SurveyLayout::from_counts_field)
                .unwrap_or_default();
            sc.score_with(values, &layout)
        }
        None => ScoreResult {
            total: Decimal::ZERO,
            max: Decimal::ZERO,
            complete: false,
            pass_mark: None,
            passed: None,
            sections: Vec::new(),
            indicators: VecMap::new(),
            findings: vec![Finding::error(
                "",
                format!("表单 `{}` 没有评分指标，无法计分", schema.id),
            )],
        },
    }
}

impl Scoring {
    /// Scores `values` (see [`score`]); survey counts are read with `layout`.
    pub fn score_with(&self, values: &Map<String, Value>, layout: &SurveyLayout) -> ScoreResult {
        let mut findings = Vec::new();
        let mut indicators = VecMap::new();
        let mut sections = Vec::new();
        let mut total = Decimal::ZERO;
        let mut complete = true;
        for sec in &self.sections {
            let mut sub = Decimal::ZERO;
            let mut sec_complete = true;
            for ind in &sec.indicators {
                let (score, reason) =
                    match score_indicator(ind, values, self, layout, &mut findings) {
                        Ok((s, r)) => (Some(clamp(s, ind.max)), r),
                        Err(r) => (None, r),
                    };
                match score {
                    Some(s) => sub = saturating_add(sub, s),
                    None => sec_complete = false,
                }
                indicators.insert(
                    ind.id.clone(),
                    IndicatorScore {
                        score,
                        max: ind.max,
                        reason,
                    },
                );
            }
            complete &= sec_complete;
            total = saturating_add(total, sub);
            sections.push(SectionScore {
                label: sec.label.clone(),
                max: sec.max,
                score: sub,
                complete: sec_complete,
            });
        }
        ScoreResult {
            total,
            max: self.total,
            complete,
            pass_mark: self.pass_mark,
            passed: self.pass_mark.filter(|_| complete).map(|m| total >= m),
            sections,
            indicators,
            findings,
        }
    }

    /// The name of an input in reasons and messages (its key when the schema has none).
    fn name_of<'a>(&'a self, key: &'a str) -> &'a str {
        self.inputs.get(key).map_or(key, InputText::name)
    }
}

/// Within 0..=max and a multiple of 0.1 (towards zero), whatever a schema held.
fn clamp(s: Decimal, max: Decimal) -> Decimal {
    let s = s.round_dp_with_strategy(1, RoundingStrategy::ToZero);
    s.max(Decimal::ZERO).min(max.max(Decimal::ZERO))
}

/// A decimal from a JSON number or a decimal string; `Err` describes the value.
fn value_dec(v: &Value) -> Result<Decimal, String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Decimal::from(i))
            } else if let Some(u) = n.as_u64() {
                Ok(Decimal::from(u))
            } else {
                n.as_f64()
                    .and_then(dec::from_f64)
                    .ok_or_else(|| format!("{n} 超出范围"))
            }
        }
        Value::String(s) => {
            dec::parse_str(&s.replace(',', "")).ok_or_else(|| format!("“{s}”不是数字"))
        }
        other => Err(format!("{other} 不是数字")),
    }
}

fn missing(key: &str, what: &str, findings: &mut Vec<Finding>) -> String {
    missing_as(key, what, "填写", findings)
}

/// A choice is chosen, not typed: `未选择…；应选择后再计算`.
fn missing_choice(key: &str, what: &str, findings: &mut Vec<Finding>) -> String {
    missing_as(key, what, "选择", findings)
}

#[inline(never)]
fn missing_as(key: &str, what: &str, verb: &str, findings: &mut Vec<Finding>) -> String {
    findings.push(Finding::warning(
        key,
        format!("未{verb}{what}，该指标未计分；应{verb}后再计算"),
    ));
    format!("未{verb}{what}，未计分")
}

#[inline(never)]
fn invalid(key: &str, msg: String, findings: &mut Vec<Finding>) -> String {
    findings.push(Finding::error(key, msg.clone()));
    format!("{msg}，未计分")
}

fn get<'a>(values: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    values
        .get(key)
        .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

fn get_bool(values: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    match get(values, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if crate::fields::yes_no(s, None, None).is_some() => {
            Ok(crate::fields::yes_no(s, None, None))
        }
        Some(v) => Err(format!("{key} 的值 {v} 无效；应为 true 或 false")),
    }
}

/// What is taken off a maximum: `max − off`, not below 0, and `，扣完为止` when `off`
/// is more than the maximum.
fn deducted(max: Decimal, off: Decimal) -> (Decimal, &'static str) {
    let tail = if off > max { "，扣完为止" } else { "" };
    // max − min(off, max), as `saturating_sub` (the same addition, its sign flipped)
    // through the engine's one copy of the decimal addition.
    (saturating_add(max, -off.min(max)), tail)
}

/// A yes/no input of an `established` rule: its value, or the unscored reason.
fn established_bool(
    values: &Map<String, Value>,
    key: &str,
    sc: &Scoring,
    findings: &mut Vec<Finding>,
) -> Result<bool, String> {
    match get_bool(values, key) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(missing_choice(key, sc.name_of(key), findings)),
        Err(e) => Err(invalid(key, e, findings)),
    }
}

/// What every indicator is scored from: the values, the scoring part (names of
/// inputs) and the survey's layout.
#[derive(Clone, Copy)]
struct Given<'a> {
    values: &'a Map<String, Value>,
    sc: &'a Scoring,
    layout: &'a SurveyLayout,
}

type Scored = Result<(Decimal, String), String>;

/// One indicator's score and the reason shown beside it, or why it is not scored.
fn score_indicator(
    ind: &Indicator,
    values: &Map<String, Value>,
    sc: &Scoring,
    layout: &SurveyLayout,
    findings: &mut Vec<Finding>,
) -> Scored {
    let id = ind.id.as_str();
    if ind.is_computed() && get(values, id).is_some() {
        return Err(invalid(
            id,
            format!("“{}”由填写的数据自动计算，不能直接填写分数", ind.label),
            findings,
        ));
    }
    let given = Given { values, sc, layout };
    match &ind.rule {
        Rule::Choice { options } => score_choice(ind, &given, findings, options),
        Rule::StepRate {
            input,
            full_at,
            step,
            deduct,
        } => score_step_rate(ind, &given, findings, input, full_at, step, deduct),
        Rule::PerFinding { deduct } => score_per_finding(ind, &given, findings, deduct),
        Rule::Tiers {
            numerator,
            denominator,
            tiers,
        } => score_tiers(&given, findings, numerator, denominator, tiers),
        Rule::SurveyRate {
            input,
            tiers,
            below,
        } => score_survey_rate(&given, findings, input, tiers, below),
        Rule::Established {
            prefix,
            defects,
            partial,
            none,
        } => score_established(ind, &given, findings, prefix, defects, partial, none),
    }
}

/// A score chosen among the indicator's options.
fn score_choice(
    ind: &Indicator,
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    options: &[ChoiceOption],
) -> Scored {
    let Given { values, .. } = *given;
    let id = ind.id.as_str();
    let Some(v) = get(values, id) else {
        return Err(missing_choice(
            id,
            &format!("“{}”的自评分", ind.label),
            findings,
        ));
    };
    let chosen = value_dec(v)
        .ok()
        .and_then(|d| options.iter().find(|o| o.score == d));
    match chosen {
        Some(o) => Ok((o.score, format!("{}：{}分", o.label, fmt_dec(o.score)))),
        None => {
            let allowed = options
                .iter()
                .map(|o| fmt_dec(o.score))
                .collect::<Vec<_>>()
                .join(" / ");
            Err(invalid(
                id,
                format!("“{}”的自评分 {v} 无效；应为 {allowed} 之一", ind.label),
                findings,
            ))
        }
    }
}

/// Full marks from `full_at` %, `deduct` off for each whole `step` % below it.
fn score_step_rate(
    ind: &Indicator,
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    input: &str,
    full_at: &Decimal,
    step: &Decimal,
    deduct: &Decimal,
) -> Scored {
    let Given { values, sc, .. } = *given;
    let name = sc.name_of(input);
    let Some(v) = get(values, input) else {
        return Err(missing(input, name, findings));
    };
    let x = match value_dec(v) {
        Ok(x) if x >= Decimal::ZERO => x,
        Ok(x) => {
            return Err(invalid(
                input,
                format!("{name} {}% 为负数；应不小于 0", fmt_dec(x)),
                findings,
            ))
        }
        Err(e) => return Err(invalid(input, format!("{name} {e}；应为百分数"), findings)),
    };
    if x >= *full_at {
        return Ok((
            ind.max,
            format!("{name} {}%，达到{}%，得满分", fmt_dec(x), fmt_dec(*full_at)),
        ));
    }
    let steps = checked_div(saturating_add(*full_at, -x), *step)
        .map(|q| q.floor())
        .unwrap_or(Decimal::ZERO);
    if steps.is_zero() {
        return Ok((
            ind.max,
            format!(
                "{name} {}%，低于{}%不足一个{}%档，不扣分",
                fmt_dec(x),
                fmt_dec(*full_at),
                fmt_dec(*step)
            ),
        ));
    }
    let off = checked_mul(steps, *deduct).unwrap_or(Decimal::MAX);
    let (score, tail) = deducted(ind.max, off);
    Ok((
        score,
        format!(
            "{name} {}%，低于{}%共{}个{}%档，扣{}分{tail}",
            fmt_dec(x),
            fmt_dec(*full_at),
            fmt_dec(steps),
            fmt_dec(*step),
            fmt_dec(off)
        ),
    ))
}

/// `deduct` off for each problem found.
fn score_per_finding(
    ind: &Indicator,
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    deduct: &Decimal,
) -> Scored {
    let Given { values, .. } = *given;
    let id = ind.id.as_str();
    let key = format!("{id}_findings");
    let what = format!("“{}”发现的问题处数", ind.label);
    let Some(v) = get(values, &key) else {
        return Err(missing(&key, &what, findings));
    };
    let n = match value_dec(v) {
        Ok(n) if n >= Decimal::ZERO && n.fract().is_zero() => n,
        _ => {
            return Err(invalid(
                &key,
                format!("{what} {v} 无效；应为不小于 0 的整数"),
                findings,
            ))
        }
    };
    if n.is_zero() {
        return Ok((ind.max, "未发现问题，得满分".to_owned()));
    }
    let off = checked_mul(n, *deduct).unwrap_or(Decimal::MAX);
    let (score, tail) = deducted(ind.max, off);
    let off_text = if off == Decimal::MAX {
        fmt_dec(ind.max)
    } else {
        fmt_dec(off)
    };
    Ok((score, format!("发现{}处，扣{off_text}分{tail}", fmt_dec(n))))
}

/// A usage rate (numerator / denominator) scored by its tier.
fn score_tiers(
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    numerator: &str,
    denominator: &str,
    tiers: &[Tier],
) -> Scored {
    let Given { values, sc, .. } = *given;
    let (nl, dl) = (sc.name_of(numerator), sc.name_of(denominator));
    let (Some(nv), Some(dv)) = (get(values, numerator), get(values, denominator)) else {
        let key = if get(values, numerator).is_none() {
            numerator
        } else {
            denominator
        };
        return Err(missing(key, sc.name_of(key), findings));
    };
    let n = match value_dec(nv) {
        Ok(n) if n >= Decimal::ZERO => n,
        Ok(n) => {
            return Err(invalid(
                numerator,
                format!("{nl} {} 为负数；应不小于 0", fmt_dec(n)),
                findings,
            ))
        }
        Err(e) => {
            return Err(invalid(
                numerator,
                format!("{nl} {e}；应为金额（万元）"),
                findings,
            ))
        }
    };
    let d = match value_dec(dv) {
        Ok(d) if d > Decimal::ZERO => d,
        Ok(d) => {
            return Err(invalid(
                denominator,
                format!("{dl}为 {} 万元，无法计算使用率；应大于 0", fmt_dec(d)),
                findings,
            ))
        }
        Err(e) => {
            return Err(invalid(
                denominator,
                format!("{dl} {e}；应为金额（万元）"),
                findings,
            ))
        }
    };
    let shown = checked_mul(n, Decimal::ONE_HUNDRED)
        .and_then(|p| checked_div(p, d))
        .map(|p| p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero));
    let x = shown.map_or_else(|| "—".to_owned(), fmt_dec);
    let base = format!(
        "使用率 {x}%（{nl} {} / {dl} {} 万元）",
        fmt_dec(n),
        fmt_dec(d)
    );
    if let Some(t) = tier_for(tiers, n, d) {
        return Ok((
            t.score,
            format!(
                "{base}，不低于{}%，得{}分",
                fmt_dec(t.at_least),
                fmt_dec(t.score)
            ),
        ));
    }
    let lowest = tiers
        .iter()
        .map(|t| t.at_least)
        .min()
        .unwrap_or(Decimal::ZERO);
    Ok((
        Decimal::ZERO,
        format!("{base}，低于{}%，得0分", fmt_dec(lowest)),
    ))
}

/// The survey's satisfaction rate scored by its tier.
fn score_survey_rate(
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    input: &str,
    tiers: &[Tier],
    below: &Decimal,
) -> Scored {
    let Given { values, sc, layout } = *given;
    let name = sc.name_of(input);
    let Some(v) = get(values, input) else {
        return Err(missing(input, name, findings));
    };
    let counts = match SurveyCounts::from_value(v) {
        Ok(c) => c,
        Err(e) => {
            return Err(invalid(
                input,
                format!("{name}格式无效（{e}）；应为 {{forms, indicators}} 份数"),
                findings,
            ))
        }
    };
    let problems = crate::tally::check_counts(&counts, layout);
    if !problems.is_empty() {
        let n = problems.len();
        for p in problems {
            findings.push(Finding {
                path: format!("{input}.{}", p.path),
                ..p
            });
        }
        return Err(format!("{name}有 {n} 处问题，未计分"));
    }
    let (num, den) = crate::tally::satisfied_over_all(&counts, layout);
    let r = crate::tally::percent_2dp(num, den);
    let rate = RateRule {
        tiers,
        below: *below,
    };
    match (crate::tally::rate_tier(num, den, rate), r) {
        (Some(s), Some(r)) => Ok((
            s,
            format!(
                "满意率 {}（{} {} / 全部 {} 项评价），得{}分",
                crate::tally::rate_text(r),
                layout.satisfied_labels(),
                crate::tally::count_text(num),
                crate::tally::count_text(den),
                fmt_dec(s)
            ),
        )),
        _ => Err(invalid(
            input,
            format!("{name}中没有任何评价（评估表份数为 0），无法计算满意率"),
            findings,
        )),
    }
}

/// A rule established, its defects and its execution, each taking off its points.
fn score_established(
    ind: &Indicator,
    given: &Given<'_>,
    findings: &mut Vec<Finding>,
    prefix: &str,
    defects: &Decimal,
    partial: &Decimal,
    none: &Decimal,
) -> Scored {
    let Given { values, sc, .. } = *given;
    let ek = format!("{prefix}_established");
    let dk = format!("{prefix}_defects");
    let xk = format!("{prefix}_execution");
    if !established_bool(values, &ek, sc, findings)? {
        return Ok((Decimal::ZERO, "未建立相关制度，得0分".to_owned()));
    }
    let has_defects = established_bool(values, &dk, sc, findings)?;
    let exec_text = sc.inputs.get(&xk);
    let option_label = |id: &str| {
        exec_text
            .and_then(|t| t.options.iter().find(|o| o.id == id))
            .map_or_else(|| id.to_owned(), |o| o.label.clone())
    };
    let exec = match get(values, &xk).map(|v| v.as_str().map(str::trim)) {
        None => return Err(missing_choice(&xk, sc.name_of(&xk), findings)),
        Some(Some(s)) if EXECUTION.contains(&s) => s,
        Some(_) => {
            let allowed = EXECUTION
                .iter()
                .map(|id| format!("{id}（{}）", option_label(id)))
                .collect::<Vec<_>>();
            let allowed = match allowed.split_last() {
                Some((last, rest)) => format!("{}或 {last}", rest.join("、")),
                None => String::new(),
            };
            return Err(invalid(
                &xk,
                format!(
                    "{} {} 无效；应为 {allowed}",
                    sc.name_of(&xk),
                    get(values, &xk).map_or(String::new(), Value::to_string)
                ),
                findings,
            ));
        }
    };
    let mut off = Decimal::ZERO;
    let mut parts = Vec::new();
    if has_defects {
        off = saturating_add(off, *defects);
        parts.push(format!(
            "{}扣{}分",
            sc.inputs.get(&dk).map_or(dk.as_str(), |t| t.label.as_str()),
            fmt_dec(*defects)
        ));
    }
    let by_execution = match exec {
        "partial" => Some(*partial),
        "none" => Some(*none),
        _ => None,
    };
    if let Some(d) = by_execution {
        off = saturating_add(off, d);
        parts.push(format!("{}扣{}分", option_label(exec), fmt_dec(d)));
    }
    if parts.is_empty() {
        return Ok((ind.max, "制度健全并执行到位，得满分".to_owned()));
    }
    let (score, tail) = deducted(ind.max, off);
    Ok((score, format!("{}{tail}", parts.join("，"))))
}

#[cfg(test)]
#[cfg(feature = "toml")]
mod schema_tests {
    use super::*;

    const SAMPLE: &str = r#"
caption = "业务指标"
headers = ["二级指标", "三级指标", "评价内容与标准", "指标分值", "自评分"]
inputs = { completion_rate = { label = "已完成进度 x（%）", name = "完成率" } }
[[sections]]
label = "目标设定情况"
max = 2
[[sections.indicators]]
id = "basis_sufficiency"
label = "依据充分性"
max = 1
criteria = "培训项目设立的政策依据是否充分。"
rule = { kind = "choice", options = [{ score = 1, label = "依据充分" }, { score = 0.5, label = "有依据但不充分" }, { score = 0, label = "没有依据" }] }
[[sections.indicators]]
id = "progress"
label = "完成进度"
max = 1
rule = { kind = "step_rate", step = 5, deduct = 0.2 }
"#;

    #[test]
    fn parses_choice_and_step_rate_from_toml() {
        let s: Scoring = toml::from_str(SAMPLE).unwrap();
        assert_eq!(s.total, Decimal::ONE_HUNDRED);
        assert_eq!(s.sections[0].indicators[0].max, Decimal::ONE);
        match &s.sections[0].indicators[1].rule {
            Rule::StepRate { input, deduct, .. } => {
                assert_eq!(input, "completion_rate");
                assert_eq!(deduct.to_string(), "0.2");
            }
            other => panic!("{other:?}"),
        }
        let errs: Vec<String> = s.check().iter().map(ToString::to_string).collect();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("各分区分值之和为 2"), "{errs:?}");
    }

    #[test]
    fn unknown_rule_field_and_kind_are_rejected() {
        let bad = SAMPLE.replace("deduct = 0.2", "deduct = 0.2, foo = 1");
        assert!(toml::from_str::<Scoring>(&bad).is_err());
        let bad = SAMPLE.replace("\"step_rate\"", "\"stepwise\"");
        assert!(toml::from_str::<Scoring>(&bad).is_err());
    }

    fn fixed(src: &str) -> Scoring {
        // Make the sample add up: one section of 2 = total.
        let mut s: Scoring = toml::from_str(src).unwrap();
        s.total = Decimal::TWO;
        s
    }

    #[test]
    fn check_accepts_a_sound_scoring() {
        assert_eq!(fixed(SAMPLE).check(), Vec::new());
    }

    #[test]
    fn check_names_each_problem_and_where() {
        let cases: &[(&str, &str, &str)] = &[
            ("id = \"progress\"", "id = \"basis_sufficiency\"", "重复"),
            (
                "{ score = 0.5, label",
                "{ score = 0.25, label",
                "0.1 的整数倍",
            ),
            (
                "{ score = 0, label",
                "{ score = 1.5, label",
                "应在 0 到 1 之间",
            ),
            ("{ score = 0, label", "{ score = 1, label", "分数 1 重复"),
            ("max = 2", "max = 3", "指标分值之和为 2，与分区分值 3 不符"),
            ("step = 5", "step = 0", "step 0 应大于 0"),
            ("deduct = 0.2", "deduct = -0.2", "不小于 0"),
            (
                "inputs = { completion_rate",
                "inputs = { rate",
                "缺少输入项 `completion_rate`",
            ),
            (
                "inputs = { completion_rate",
                "inputs = { rate",
                "`rate` 不被任何计算指标读取",
            ),
            (
                "caption = ",
                "pass_mark = 2.05\ncaption = ",
                "pass_mark 2.05",
            ),
        ];
        for (from, to, want) in cases {
            let errs: Vec<String> = fixed(&SAMPLE.replacen(from, to, 1))
                .check()
                .iter()
                .map(ToString::to_string)
                .collect();
            assert!(errs.iter().any(|e| e.contains(want)), "{to}: {errs:?}");
            assert!(errs.iter().all(|e| e.starts_with("scoring")), "{errs:?}");
        }
    }

    #[test]
    fn input_keys_follow_the_rules() {
        let s: Scoring = toml::from_str(SAMPLE).unwrap();
        let keys: Vec<String> = s.input_keys().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["basis_sufficiency", "completion_rate"]);
        let e = Indicator {
            id: "mgmt_system".into(),
            label: "管理制度保障".into(),
            max: Decimal::from(5),
            criteria: String::new(),
            note: None,
            rule: Rule::Established {
                prefix: "mgmt".into(),
                defects: Decimal::ONE,
                partial: Decimal::ONE,
                none: Decimal::from(3),
            },
        };
        let keys: Vec<String> = e.inputs().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["mgmt_established", "mgmt_defects", "mgmt_execution"]);
        assert!(e.is_computed());
    }

    #[test]
    fn json_round_trip_writes_numbers() {
        let s: Scoring = toml::from_str(SAMPLE).unwrap();
        let j = serde_json::to_string(&s).unwrap();
        assert!(j.contains("\"score\":0.5"), "{j}");
        assert!(j.contains("\"deduct\":0.2"), "{j}");
        let back: Scoring = serde_json::from_str(&j).unwrap();
        assert_eq!(back, s);
    }
}
