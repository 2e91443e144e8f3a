//! Scoring of indicator-based forms (the `wenzhou-evaluation` 绩效评价指标体系).
//!
//! This module owns the `Scoring` part of a form schema (sections, indicators and the
//! rule of each indicator, written as data in `content/forms/<id>.toml`), the schema
//! check of that part ([`Scoring::check`]) and the scoring of a response's values in
//! exact decimal arithmetic. Every score is a multiple of 0.1 between 0 and its
//! indicator's maximum; no binary floating point is used on the result path.
//!
//! Rules are data: the maxima, option scores, rates, tiers, deductions, the pass mark
//! (only where a seed states one), the labels of the inputs and the words of the
//! scoring table live in the form's TOML schema, never in this code. [`tier_for`] is
//! the one tier matching (fund usage here, the satisfaction rate in
//! [`crate::aggregate`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::aggregate::{SurveyCounts, SurveyLayout};
use crate::finding::Finding;

/// Serde helpers for [`Decimal`] values: written as plain JSON / TOML numbers (`4.8`,
/// never `"4.8"`), read from a number or a decimal string.
pub mod dec {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Serialize as a number. The number printed is the shortest float that reads back as
    /// the same decimal (`4.8`, `0.2`); scores never have more than one decimal.
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let d = d.normalize();
        if d.scale() == 0 {
            if let Ok(i) = i64::try_from(d.mantissa()) {
                return s.serialize_i64(i);
            }
        }
        // The nearest f64, as `d.to_string().parse::<f64>()` gives it.
        s.serialize_f64(crate::small::decimal_to_f64(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecVisitor)
    }

    /// Reads a decimal from a float through its shortest decimal representation, so
    /// `0.2` becomes exactly 0.2.
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::from_str(&format!("{f}"))
            .ok()
            .or_else(|| Decimal::from_scientific(&format!("{f:e}")).ok())
    }

    /// Parses a decimal string as people write it (surrounding spaces allowed).
    pub fn parse_str(s: &str) -> Option<Decimal> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        Decimal::from_str(t)
            .ok()
            .or_else(|| Decimal::from_scientific(t).ok())
    }

    struct DecVisitor;

    impl Visitor<'_> for DecVisitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            from_f64(v).ok_or_else(|| E::custom(format!("{v} is not a finite decimal")))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse_str(v).ok_or_else(|| E::custom(format!("`{v}` is not a decimal number")))
        }
    }

    /// Same as the parent module for `Option<Decimal>`.
    pub mod option {
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            #[derive(Deserialize)]
            struct W(#[serde(with = "super")] Decimal);
            Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
        }
    }
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

fn is_hundred(d: &Decimal) -> bool {
    *d == Decimal::ONE_HUNDRED
}

/// The `[scoring]` table of a form schema: sections of indicators that add up to `total`.
///
/// ```toml
/// [scoring]
/// total = 100            # optional, default 100
/// [[scoring.sections]]
/// label = "目标设定情况"
/// max = 5
/// [[scoring.sections.indicators]]
/// id = "basis_sufficiency"
/// label = "依据充分性"
/// max = 1
/// criteria = "培训项目设立的政策依据是否充分。"
/// rule = { kind = "choice", options = [
///   { score = 1, label = "依据充分" }, { score = 0.5, label = "有依据但不充分" },
///   { score = 0, label = "没有依据" } ] }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// 综合得分 maximum; the sections' maxima add up to it.
    #[serde(default = "hundred", with = "dec", skip_serializing_if = "is_hundred")]
    pub total: Decimal,
    /// The total a report needs to pass, only where the seed states one (the Wenzhou
    /// report states none).
    #[serde(default, with = "dec::option", skip_serializing_if = "Option::is_none")]
    pub pass_mark: Option<Decimal>,
    /// Caption of the scoring table, without its maximum (`业务指标`).
    pub caption: String,
    /// The seed's column headings: section, indicator, criteria, maximum, self-score.
    pub headers: [String; 5],
    /// How each input of a computed indicator is labelled: on the page (`label`) and in
    /// the reasons and messages of scores (`name`, default the label).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, InputText>,
    pub sections: Vec<Section>,
}

/// The words of one scoring input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputText {
    /// The control's label on the page (`已完成进度 x（%）`); for survey counts, the
    /// hint beside the indicator.
    pub label: String,
    /// The input's name in reasons and messages (`完成率`); default: `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// execution inputs: the labels of `full`, `partial` and `none`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<crate::schema::ChoiceOption>,
}

impl InputText {
    /// The name used in reasons and messages.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.label)
    }
}

/// One 二级指标 section (e.g. 目标设定情况, 5 分).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub label: String,
    #[serde(with = "dec")]
    pub max: Decimal,
    pub indicators: Vec<Indicator>,
}

/// One 三级指标 with its maximum (指标分值) and its rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    #[serde(with = "dec")]
    pub max: Decimal,
    /// The seed's 评价内容与标准 text, shown on the page.
    #[serde(default)]
    pub criteria: String,
    /// A decision the product took where the seed is ambiguous, shown on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub rule: Rule,
}

/// One option of a choice indicator: the score itself is the response's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    #[serde(with = "dec")]
    pub score: Decimal,
    /// The seed's wording, e.g. 依据充分 / 有依据但不充分 / 没有依据.
    pub label: String,
}

/// One threshold of a tiered rule: the score when the percentage is at least `at_least`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    #[serde(with = "dec")]
    pub at_least: Decimal,
    #[serde(with = "dec")]
    pub score: Decimal,
}

/// The first tier (highest `at_least` first) that `num / den` in percent reaches,
/// compared exactly: num × 100 ≥ at_least × den (den > 0). A product too large to
/// represent on the left reaches every tier.
pub fn tier_for(tiers: &[Tier], num: Decimal, den: Decimal) -> Option<&Tier> {
    let mut sorted: Vec<&Tier> = tiers.iter().collect();
    crate::small::sort_by(&mut sorted, |a, b| b.at_least.cmp(&a.at_least));
    let lhs = num.checked_mul(Decimal::ONE_HUNDRED);
    sorted
        .into_iter()
        .find(|t| match (lhs, t.at_least.checked_mul(den)) {
            (Some(l), Some(r)) => l >= r,
            (None, Some(_)) => true,
            _ => false,
        })
}

/// The tiers that score a satisfaction rate, and the score below all of them: a
/// schema's survey_rate rule.
#[derive(Debug, Clone, Copy)]
pub struct RateRule<'a> {
    pub tiers: &'a [Tier],
    pub below: Decimal,
}

impl<'a> RateRule<'a> {
    /// The survey_rate rule of a schema's scoring, if it has one.
    pub fn of(schema: &'a crate::schema::FormSchema) -> Option<Self> {
        schema
            .scoring
            .as_ref()?
            .indicators()
            .find_map(|i| match &i.rule {
                Rule::SurveyRate { tiers, below, .. } => Some(RateRule {
                    tiers,
                    below: *below,
                }),
                _ => None,
            })
    }
}

/// How an indicator is scored (`kind` tag in the schema).
// Deserialize: score/rule_de.rs (same tables and messages, without serde's buffering).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// The value of the indicator's id is the chosen score (`"quality": 3`).
    Choice { options: Vec<ChoiceOption> },
    /// Input percentage x (value `input`, e.g. `completion_rate`): x ≥ `full_at` → max,
    /// else max − `deduct` × floor((`full_at` − x) / `step`), not below 0.
    StepRate {
        #[serde(default = "default_rate_input")]
        input: String,
        #[serde(default = "hundred", with = "dec")]
        full_at: Decimal,
        #[serde(with = "dec")]
        step: Decimal,
        #[serde(with = "dec")]
        deduct: Decimal,
    },
    /// Input count n (value `<id>_findings`): max − `deduct` × n, not below 0.
    PerFinding {
        #[serde(with = "dec")]
        deduct: Decimal,
    },
    /// x = `numerator` / `denominator` in percent, compared exactly: the first tier (in
    /// descending `at_least`) with x ≥ `at_least` gives the score, none → 0. The
    /// denominator must be > 0 (else a finding and 0).
    Tiers {
        numerator: String,
        denominator: String,
        tiers: Vec<Tier>,
    },
    /// From survey counts (value `input`, default `survey`, shape of
    /// [`crate::aggregate::SurveyCounts`]): r = (很满意 + 满意) / all ratings in percent,
    /// compared exactly with the tiers; r below every tier gives `below`.
    SurveyRate {
        #[serde(default = "default_survey_input")]
        input: String,
        tiers: Vec<Tier>,
        #[serde(default, with = "dec")]
        below: Decimal,
    },
    /// Inputs `<prefix>_established`, `<prefix>_defects` (bool) and `<prefix>_execution`
    /// (`full` / `partial` / `none`): not established → 0; else max − `defects` (if
    /// defects) − `partial` or `none` by execution, not below 0.
    Established {
        prefix: String,
        #[serde(with = "dec")]
        defects: Decimal,
        #[serde(with = "dec")]
        partial: Decimal,
        #[serde(with = "dec")]
        none: Decimal,
    },
}

mod rule_de;

fn default_rate_input() -> String {
    "completion_rate".to_owned()
}

fn default_survey_input() -> String {
    "survey".to_owned()
}

/// What kind of value a scoring input key holds (for validation and page rendering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// The chosen score of a choice indicator (one of its options' scores).
    ChoiceScore,
    /// A percentage ≥ 0, decimals allowed.
    Percent,
    /// A count of findings, integer ≥ 0.
    Count,
    /// An amount in 万元 ≥ 0 (a denominator must be > 0).
    Money,
    /// `true` / `false`.
    Bool,
    /// `full` / `partial` / `none`.
    Execution,
    /// Survey counts `{forms, indicators}`.
    Survey,
}

impl Indicator {
    /// The response keys this indicator reads, with what each holds.
    pub fn inputs(&self) -> Vec<(String, InputKind)> {
        match &self.rule {
            Rule::Choice { .. } => vec![(self.id.clone(), InputKind::ChoiceScore)],
            Rule::StepRate { input, .. } => vec![(input.clone(), InputKind::Percent)],
            Rule::PerFinding { .. } => vec![(format!("{}_findings", self.id), InputKind::Count)],
            Rule::Tiers {
                numerator,
                denominator,
                ..
            } => vec![
                (numerator.clone(), InputKind::Money),
                (denominator.clone(), InputKind::Money),
            ],
            Rule::SurveyRate { input, .. } => vec![(input.clone(), InputKind::Survey)],
            Rule::Established { prefix, .. } => vec![
                (format!("{prefix}_established"), InputKind::Bool),
                (format!("{prefix}_defects"), InputKind::Bool),
                (format!("{prefix}_execution"), InputKind::Execution),
            ],
        }
    }

    /// True for indicators whose score is computed from inputs (a score typed in for
    /// them is an error).
    pub fn is_computed(&self) -> bool {
        !matches!(self.rule, Rule::Choice { .. })
    }
}

fn is_tenth(d: Decimal) -> bool {
    d.checked_mul(Decimal::TEN)
        .is_some_and(|t| t.fract().is_zero())
}

impl Scoring {
    /// Every indicator, in schema order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.sections.iter().flat_map(|s| s.indicators.iter())
    }

    /// Every response key read by scoring, in schema order, without repeats.
    pub fn input_keys(&self) -> Vec<(String, InputKind)> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for ind in self.indicators() {
            for (k, kind) in ind.inputs() {
                if seen.insert(k.clone()) {
                    out.push((k, kind));
                }
            }
        }
        out
    }

    /// Checks the scoring part of a schema; every problem found, each message starting
    /// with where it is (`sections[1].indicators[0] (progress)`). Empty means sound.
    ///
    /// Checked: indicator maxima add up to their section's maximum, sections add up to
    /// `total`; maxima, option scores, tier scores and deductions are multiples of 0.1;
    /// scores lie within 0..=max; no duplicate indicator ids or option scores; rules
    /// have what they need (options, tiers, a step > 0).
    pub fn check(&self) -> Vec<String> {
        let mut errs = Vec::new();
        if self.sections.is_empty() {
            errs.push("scoring: 没有任何分区 (sections); expected at least one".to_owned());
        }
        let mut ids: BTreeMap<&str, String> = BTreeMap::new();
        let mut section_sum = Decimal::ZERO;
        for (si, sec) in self.sections.iter().enumerate() {
            let sp = format!("scoring.sections[{si}] ({})", sec.label);
            section_sum = section_sum.saturating_add(sec.max);
            if sec.max <= Decimal::ZERO || !is_tenth(sec.max) {
                errs.push(format!(
                    "{sp}: 分值 {} 应为大于 0 且为 0.1 的整数倍的数",
                    sec.max
                ));
            }
            if sec.indicators.is_empty() {
                errs.push(format!("{sp}: 分区没有指标 (indicators)"));
            }
            let mut sum = Decimal::ZERO;
            for (ii, ind) in sec.indicators.iter().enumerate() {
                let p = format!("scoring.sections[{si}].indicators[{ii}] ({})", ind.id);
                sum = sum.saturating_add(ind.max);
                if ind.id.trim().is_empty() {
                    errs.push(format!("{p}: 指标 id 为空"));
                }
                if let Some(prev) = ids.insert(&ind.id, p.clone()) {
                    errs.push(format!(
                        "{p}: 指标 id `{}` 重复（已在 {prev} 使用）",
                        ind.id
                    ));
                }
                if ind.max <= Decimal::ZERO || !is_tenth(ind.max) {
                    errs.push(format!(
                        "{p}: 指标分值 {} 应为大于 0 且为 0.1 的整数倍的数",
                        ind.max
                    ));
                }
                check_rule(ind, &p, &mut errs);
            }
            if sum != sec.max {
                errs.push(format!(
                    "{sp}: 指标分值之和为 {}，与分区分值 {} 不符",
                    sum.normalize(),
                    sec.max.normalize()
                ));
            }
        }
        if !self.sections.is_empty() && section_sum != self.total {
            errs.push(format!(
                "scoring: 各分区分值之和为 {}，与总分 {} 不符",
                section_sum.normalize(),
                self.total.normalize()
            ));
        }
        // Input keys shared by two indicators would score one value twice.
        let mut keys: BTreeMap<String, &str> = BTreeMap::new();
        for ind in self.indicators() {
            for (k, _) in ind.inputs() {
                if let Some(other) = keys.insert(k.clone(), &ind.id) {
                    if other != ind.id {
                        errs.push(format!(
                            "scoring: 输入项 `{k}` 同时被指标 `{other}` 和 `{}` 使用",
                            ind.id
                        ));
                    }
                }
            }
        }
        // Every input a page shows has its words; none is labelled that no rule reads.
        for (k, kind) in self.input_keys() {
            if kind == InputKind::ChoiceScore {
                continue;
            }
            match self.inputs.get(&k) {
                None => errs.push(format!(
                    "scoring.inputs: 缺少输入项 `{k}` 的文字；expected `{k} = {{ label = \"…\" }}`"
                )),
                Some(t) if kind == InputKind::Execution => {
                    let ids: Vec<&str> = t.options.iter().map(|o| o.id.as_str()).collect();
                    if ids != EXECUTION {
                        errs.push(format!(
                            "scoring.inputs.{k}: options 应依次为 full、partial、none 三项"
                        ));
                    }
                }
                Some(t) if !t.options.is_empty() => errs.push(format!(
                    "scoring.inputs.{k}: 只有执行情况（execution）输入项可以有 options"
                )),
                Some(_) => {}
            }
        }
        let keys = self.input_keys();
        for k in self.inputs.keys() {
            if !keys
                .iter()
                .any(|(key, kind)| key == k && *kind != InputKind::ChoiceScore)
            {
                errs.push(format!("scoring.inputs: 输入项 `{k}` 不被任何计算指标读取"));
            }
        }
        if let Some(m) = self.pass_mark {
            check_score("pass_mark", m, self.total, "scoring", &mut errs);
        }
        errs
    }
}

/// The values of an execution input (`mgmt_execution`), in order.
pub const EXECUTION: [&str; 3] = ["full", "partial", "none"];

fn check_score(what: &str, d: Decimal, max: Decimal, p: &str, errs: &mut Vec<String>) {
    if d < Decimal::ZERO || d > max || !is_tenth(d) {
        errs.push(format!(
            "{p}: {what} {} 应在 0 到 {} 之间且为 0.1 的整数倍",
            d.normalize(),
            max.normalize()
        ));
    }
}

fn check_deduction(what: &str, d: Decimal, p: &str, errs: &mut Vec<String>) {
    if d < Decimal::ZERO || !is_tenth(d) {
        errs.push(format!(
            "{p}: {what} {} 应为不小于 0 且为 0.1 的整数倍的数",
            d.normalize()
        ));
    }
}

fn check_tiers(tiers: &[Tier], max: Decimal, p: &str, errs: &mut Vec<String>) {
    if tiers.is_empty() {
        errs.push(format!("{p}: tiers 为空，至少需要一档"));
    }
    for (i, t) in tiers.iter().enumerate() {
        check_score(&format!("tiers[{i}] 分数"), t.score, max, p, errs);
        if t.at_least < Decimal::ZERO {
            errs.push(format!("{p}: tiers[{i}].at_least {} 不能为负", t.at_least));
        }
    }
    let mut seen = BTreeSet::new();
    for t in tiers {
        if !seen.insert(t.at_least) {
            errs.push(format!(
                "{p}: tiers 中 at_least = {} 重复",
                t.at_least.normalize()
            ));
        }
    }
}

fn check_rule(ind: &Indicator, p: &str, errs: &mut Vec<String>) {
    let max = ind.max;
    match &ind.rule {
        Rule::Choice { options } => {
            if options.is_empty() {
                errs.push(format!("{p}: 选择题没有选项 (options)"));
            }
            let mut seen = BTreeSet::new();
            for (i, o) in options.iter().enumerate() {
                check_score(&format!("options[{i}] 分数"), o.score, max, p, errs);
                if !seen.insert(o.score.normalize()) {
                    errs.push(format!(
                        "{p}: options[{i}] 分数 {} 重复",
                        o.score.normalize()
                    ));
                }
                if o.label.trim().is_empty() {
                    errs.push(format!("{p}: options[{i}] 没有 label"));
                }
            }
        }
        Rule::StepRate {
            input,
            full_at,
            step,
            deduct,
        } => {
            if input.trim().is_empty() {
                errs.push(format!("{p}: input 为空"));
            }
            if *step <= Decimal::ZERO {
                errs.push(format!("{p}: step {} 应大于 0", step.normalize()));
            }
            if *full_at <= Decimal::ZERO {
                errs.push(format!("{p}: full_at {} 应大于 0", full_at.normalize()));
            }
            check_deduction("deduct", *deduct, p, errs);
        }
        Rule::PerFinding { deduct } => {
            check_deduction("deduct", *deduct, p, errs);
            if deduct.is_zero() {
                errs.push(format!("{p}: deduct 应大于 0"));
            }
        }
        Rule::Tiers {
            numerator,
            denominator,
            tiers,
        } => {
            if numerator.trim().is_empty() || denominator.trim().is_empty() {
                errs.push(format!("{p}: numerator / denominator 不能为空"));
            }
            if numerator == denominator {
                errs.push(format!("{p}: numerator 与 denominator 相同"));
            }
            check_tiers(tiers, max, p, errs);
        }
        Rule::SurveyRate {
            input,
            tiers,
            below,
        } => {
            if input.trim().is_empty() {
                errs.push(format!("{p}: input 为空"));
            }
            check_tiers(tiers, max, p, errs);
            check_score("below 分数", *below, max, p, errs);
        }
        Rule::Established {
            prefix,
            defects,
            partial,
            none,
        } => {
            if prefix.trim().is_empty() {
                errs.push(format!("{p}: prefix 为空"));
            }
            check_deduction("defects", *defects, p, errs);
            check_deduction("partial", *partial, p, errs);
            check_deduction("none", *none, p, errs);
        }
    }
}

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
    pub indicators: BTreeMap<String, IndicatorScore>,
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
            indicators: BTreeMap::new(),
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
        let mut indicators = BTreeMap::new();
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
                    Some(s) => sub = sub.saturating_add(s),
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
            total = total.saturating_add(sub);
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

/// Decimal as people write it: `4.8`, `0.2`, `5`, `92.5`.
pub fn fmt_dec(d: Decimal) -> String {
    d.normalize().to_string()
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

fn missing_as(key: &str, what: &str, verb: &str, findings: &mut Vec<Finding>) -> String {
    findings.push(Finding::warning(
        key,
        format!("未{verb}{what}，该指标未计分；应{verb}后再计算"),
    ));
    format!("未{verb}{what}，未计分")
}

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

type Scored = Result<(Decimal, String), String>;

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
    match &ind.rule {
        Rule::Choice { options } => {
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
        Rule::StepRate {
            input,
            full_at,
            step,
            deduct,
        } => {
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
            let steps = (*full_at - x)
                .checked_div(*step)
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
            let off = steps.checked_mul(*deduct).unwrap_or(Decimal::MAX);
            let tail = if off > ind.max { "，扣完为止" } else { "" };
            Ok((
                ind.max.saturating_sub(off.min(ind.max)),
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
        Rule::PerFinding { deduct } => {
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
            let off = n.checked_mul(*deduct).unwrap_or(Decimal::MAX);
            let tail = if off > ind.max { "，扣完为止" } else { "" };
            let off_text = if off == Decimal::MAX {
                fmt_dec(ind.max)
            } else {
                fmt_dec(off)
            };
            Ok((
                ind.max.saturating_sub(off.min(ind.max)),
                format!("发现{}处，扣{off_text}分{tail}", fmt_dec(n)),
            ))
        }
        Rule::Tiers {
            numerator,
            denominator,
            tiers,
        } => {
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
            let shown = n
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|p| p.checked_div(d))
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
        Rule::SurveyRate {
            input,
            tiers,
            below,
        } => {
            let name = sc.name_of(input);
            let Some(v) = get(values, input) else {
                return Err(missing(input, name, findings));
            };
            let counts: SurveyCounts = match serde_json::from_value(v.clone()) {
                Ok(c) => c,
                Err(e) => {
                    return Err(invalid(
                        input,
                        format!("{name}格式无效（{e}）；应为 {{forms, indicators}} 份数"),
                        findings,
                    ))
                }
            };
            let problems = crate::aggregate::check_counts(&counts, layout);
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
            let (num, den) = crate::aggregate::satisfied_over_all(&counts, layout);
            let r = crate::aggregate::percent_2dp(num, den);
            let rate = RateRule {
                tiers,
                below: *below,
            };
            match (crate::aggregate::rate_tier(num, den, rate), r) {
                (Some(s), Some(r)) => Ok((
                    s,
                    format!(
                        "满意率 {}%（{} {num} / 全部 {den} 项评价），得{}分",
                        fmt_dec(r),
                        layout.satisfied_labels(),
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
        Rule::Established {
            prefix,
            defects,
            partial,
            none,
        } => {
            let ek = format!("{prefix}_established");
            let dk = format!("{prefix}_defects");
            let xk = format!("{prefix}_execution");
            let established = match get_bool(values, &ek) {
                Ok(Some(b)) => b,
                Ok(None) => return Err(missing_choice(&ek, sc.name_of(&ek), findings)),
                Err(e) => return Err(invalid(&ek, e, findings)),
            };
            if !established {
                return Ok((Decimal::ZERO, "未建立相关制度，得0分".to_owned()));
            }
            let has_defects = match get_bool(values, &dk) {
                Ok(Some(b)) => b,
                Ok(None) => return Err(missing_choice(&dk, sc.name_of(&dk), findings)),
                Err(e) => return Err(invalid(&dk, e, findings)),
            };
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
                off = off.saturating_add(*defects);
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
                off = off.saturating_add(d);
                parts.push(format!("{}扣{}分", option_label(exec), fmt_dec(d)));
            }
            if parts.is_empty() {
                return Ok((ind.max, "制度健全并执行到位，得满分".to_owned()));
            }
            let tail = if off > ind.max { "，扣完为止" } else { "" };
            Ok((
                ind.max.saturating_sub(off.min(ind.max)),
                format!("{}{tail}", parts.join("，")),
            ))
        }
    }
}

#[cfg(all(test, feature = "toml"))]
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
        let errs = s.check();
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
        assert_eq!(fixed(SAMPLE).check(), Vec::<String>::new());
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
            let errs = fixed(&SAMPLE.replacen(from, to, 1)).check();
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
