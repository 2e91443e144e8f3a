//! The scoring model: the `[scoring]` part of a form schema (the `wenzhou-evaluation`
//! 绩效评价指标体系) as data.
//!
//! Sections of indicators, each with its maximum, the seed's criteria and its rule
//! (choice, step rate, per finding, tiers, survey rate, established), the labels of the
//! rule's inputs and the pass mark where a seed states one; [`tier_for`], the one tier
//! matching (fund usage, and the satisfaction rate in [`crate::tally`]). This module
//! only describes; the schema check of this part is in `schema/scoring_check.rs`, the
//! scoring of a response in [`crate::score`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decimal::{checked_mul, dec};
use crate::map::{VecMap, VecSet};

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
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
    #[serde(default = "hundred", with = "dec")]
    pub total: Decimal,
    /// The total a report needs to pass, only where the seed states one (the Wenzhou
    /// report states none).
    #[serde(default, with = "dec::option")]
    pub pass_mark: Option<Decimal>,
    /// Caption of the scoring table, without its maximum (`业务指标`).
    pub caption: String,
    /// The seed's column headings: section, indicator, criteria, maximum, self-score.
    pub headers: [String; 5],
    /// How each input of a computed indicator is labelled: on the page (`label`) and in
    /// the reasons and messages of scores (`name`, default the label).
    #[serde(default)]
    pub inputs: VecMap<String, InputText>,
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
    #[serde(default)]
    pub name: Option<String>,
    /// execution inputs: the labels of `full`, `partial` and `none`.
    #[serde(default)]
    pub options: Vec<crate::choice::ChoiceOption>,
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
    #[serde(default)]
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
    let lhs = checked_mul(num, Decimal::ONE_HUNDRED);
    sorted
        .into_iter()
        .find(|t| match (lhs, checked_mul(t.at_least, den)) {
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

/// How an indicator is scored (`kind` tag in the schema).
// Deserialize: rule_de.rs (same tables and messages, without serde's buffering).
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
    /// [`crate::survey::SurveyCounts`]): r = (很满意 + 满意) / all ratings in percent,
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

pub(crate) fn default_rate_input() -> String {
    "completion_rate".to_owned()
}

pub(crate) fn default_survey_input() -> String {
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

impl Scoring {
    /// Every indicator, in schema order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.sections.iter().flat_map(|s| s.indicators.iter())
    }

    /// Every response key read by scoring, in schema order, without repeats.
    pub fn input_keys(&self) -> Vec<(String, InputKind)> {
        let mut seen = VecSet::new();
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
}

/// The values of an execution input (`mgmt_execution`), in order.
pub const EXECUTION: [&str; 3] = ["full", "partial", "none"];
