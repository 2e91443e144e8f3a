//! The schema check of the `[scoring]` part of a form schema: maxima add up, scores
//! are multiples of 0.1 within their maxima, rules have what they need.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::scoring::{Indicator, InputKind, Rule, Scoring, Tier, EXECUTION};

fn is_tenth(d: Decimal) -> bool {
    d.checked_mul(Decimal::TEN)
        .is_some_and(|t| t.fract().is_zero())
}

impl Scoring {
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
