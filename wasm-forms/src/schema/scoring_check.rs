//! The schema check of the `[scoring]` part of a form schema: maxima add up, scores
//! are multiples of 0.1 within their maxima, rules have what they need.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::error::{CheckError, Path, Problem, ScoringProblem as S};
use crate::scoring::{Indicator, InputKind, Rule, Scoring, Tier, EXECUTION};

fn is_tenth(d: Decimal) -> bool {
    d.checked_mul(Decimal::TEN)
        .is_some_and(|t| t.fract().is_zero())
}

/// The problems found, each at the path of what it is about and after the place its
/// message names (`scoring.sections[1].indicators[0] (progress)`).
struct Errs {
    out: Vec<CheckError>,
}

impl Errs {
    fn push(&mut self, place: &str, at: Path, what: S) {
        self.out.push(CheckError::new(
            at,
            Problem::Scoring {
                place: place.to_owned(),
                what,
            },
        ));
    }
}

/// Where an indicator's input key `k` is written: the rule's key that names it, or the
/// indicator's id for the keys derived from it.
fn input_key_at(ind: &Indicator, at: &Path, k: &str) -> Path {
    let rule = at.key("rule");
    match &ind.rule {
        Rule::StepRate { .. } | Rule::SurveyRate { .. } => rule.key("input"),
        Rule::Tiers { numerator, .. } if numerator == k => rule.key("numerator"),
        Rule::Tiers { .. } => rule.key("denominator"),
        Rule::Established { .. } => rule.key("prefix"),
        Rule::Choice { .. } | Rule::PerFinding { .. } => at.key("id"),
    }
}

impl Scoring {
    /// Checks the scoring part of a schema; every problem found, each at the path of
    /// what it is about (from the top of the form: `scoring.sections[1].max`), its
    /// message starting with the place (`sections[1].indicators[0] (progress)`). Empty
    /// means sound.
    ///
    /// Checked: indicator maxima add up to their section's maximum, sections add up to
    /// `total`; maxima, option scores, tier scores and deductions are multiples of 0.1;
    /// scores lie within 0..=max; no duplicate indicator ids or option scores; rules
    /// have what they need (options, tiers, a step > 0).
    pub fn check(&self) -> Vec<CheckError> {
        let mut errs = Errs { out: Vec::new() };
        let top = Path::root().key("scoring");
        if self.sections.is_empty() {
            errs.push("scoring", top.key("sections"), S::NoSections);
        }
        let mut ids: BTreeMap<&str, String> = BTreeMap::new();
        let mut section_sum = Decimal::ZERO;
        for (si, sec) in self.sections.iter().enumerate() {
            let sp = format!("scoring.sections[{si}] ({})", sec.label);
            let sat = top.item("sections", si);
            section_sum = section_sum.saturating_add(sec.max);
            if sec.max <= Decimal::ZERO || !is_tenth(sec.max) {
                errs.push(&sp, sat.key("max"), S::SectionMax { max: sec.max });
            }
            if sec.indicators.is_empty() {
                errs.push(&sp, sat.key("indicators"), S::NoIndicators);
            }
            let mut sum = Decimal::ZERO;
            for (ii, ind) in sec.indicators.iter().enumerate() {
                let p = format!("scoring.sections[{si}].indicators[{ii}] ({})", ind.id);
                let at = sat.item("indicators", ii);
                sum = sum.saturating_add(ind.max);
                if ind.id.trim().is_empty() {
                    errs.push(&p, at.key("id"), S::EmptyIndicatorId);
                }
                if let Some(prev) = ids.insert(&ind.id, p.clone()) {
                    errs.push(
                        &p,
                        at.key("id"),
                        S::DuplicateIndicator {
                            id: ind.id.clone(),
                            first: prev,
                        },
                    );
                }
                if ind.max <= Decimal::ZERO || !is_tenth(ind.max) {
                    errs.push(&p, at.key("max"), S::IndicatorMax { max: ind.max });
                }
                check_rule(ind, &p, &at.key("rule"), &mut errs);
            }
            if sum != sec.max {
                errs.push(&sp, sat.key("max"), S::IndicatorSum { sum, max: sec.max });
            }
        }
        if !self.sections.is_empty() && section_sum != self.total {
            errs.push(
                "scoring",
                top.key("total"),
                S::SectionSum {
                    sum: section_sum,
                    total: self.total,
                },
            );
        }
        // Input keys shared by two indicators would score one value twice.
        let mut keys: BTreeMap<String, &str> = BTreeMap::new();
        for (si, sec) in self.sections.iter().enumerate() {
            for (ii, ind) in sec.indicators.iter().enumerate() {
                let at = top.item("sections", si).item("indicators", ii);
                for (k, _) in ind.inputs() {
                    if let Some(other) = keys.insert(k.clone(), &ind.id) {
                        if other != ind.id {
                            errs.push(
                                "scoring",
                                input_key_at(ind, &at, &k),
                                S::SharedInput {
                                    key: k.clone(),
                                    first: other.to_owned(),
                                    second: ind.id.clone(),
                                },
                            );
                        }
                    }
                }
            }
        }
        // Every input a page shows has its words; none is labelled that no rule reads.
        let inputs = top.key("inputs");
        for (k, kind) in self.input_keys() {
            if kind == InputKind::ChoiceScore {
                continue;
            }
            let place = format!("scoring.inputs.{k}");
            match self.inputs.get(&k) {
                None => errs.push(
                    "scoring.inputs",
                    inputs.clone(),
                    S::MissingInputText { key: k.clone() },
                ),
                Some(t) if kind == InputKind::Execution => {
                    let ids: Vec<&str> = t.options.iter().map(|o| o.id.as_str()).collect();
                    if ids != EXECUTION {
                        errs.push(&place, inputs.name(&k).key("options"), S::ExecutionOptions);
                    }
                }
                Some(t) if !t.options.is_empty() => errs.push(
                    &place,
                    inputs.name(&k).key("options"),
                    S::OptionsNotExecution,
                ),
                Some(_) => {}
            }
        }
        let keys = self.input_keys();
        for k in self.inputs.keys() {
            if !keys
                .iter()
                .any(|(key, kind)| key == k && *kind != InputKind::ChoiceScore)
            {
                errs.push(
                    "scoring.inputs",
                    inputs.name(k),
                    S::UnreadInput { key: k.clone() },
                );
            }
        }
        if let Some(m) = self.pass_mark {
            check_score(
                "pass_mark",
                m,
                self.total,
                "scoring",
                top.key("pass_mark"),
                &mut errs,
            );
        }
        errs.out
    }
}

fn check_score(what: &str, d: Decimal, max: Decimal, p: &str, at: Path, errs: &mut Errs) {
    if d < Decimal::ZERO || d > max || !is_tenth(d) {
        errs.push(
            p,
            at,
            S::Score {
                what: what.to_owned(),
                value: d,
                max,
            },
        );
    }
}

fn check_deduction(what: &'static str, d: Decimal, p: &str, rule: &Path, errs: &mut Errs) {
    if d < Decimal::ZERO || !is_tenth(d) {
        errs.push(p, rule.key(what), S::Deduction { what, value: d });
    }
}

fn check_tiers(tiers: &[Tier], max: Decimal, p: &str, rule: &Path, errs: &mut Errs) {
    if tiers.is_empty() {
        errs.push(p, rule.key("tiers"), S::EmptyTiers);
    }
    for (i, t) in tiers.iter().enumerate() {
        let at = rule.item("tiers", i);
        check_score(
            &format!("tiers[{i}] 分数"),
            t.score,
            max,
            p,
            at.key("score"),
            errs,
        );
        if t.at_least < Decimal::ZERO {
            errs.push(
                p,
                at.key("at_least"),
                S::NegativeAtLeast {
                    tier: i,
                    value: t.at_least,
                },
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (i, t) in tiers.iter().enumerate() {
        if !seen.insert(t.at_least) {
            errs.push(
                p,
                rule.item("tiers", i).key("at_least"),
                S::DuplicateAtLeast { value: t.at_least },
            );
        }
    }
}

fn check_rule(ind: &Indicator, p: &str, rule: &Path, errs: &mut Errs) {
    let max = ind.max;
    match &ind.rule {
        Rule::Choice { options } => {
            if options.is_empty() {
                errs.push(p, rule.key("options"), S::NoOptions);
            }
            let mut seen = BTreeSet::new();
            for (i, o) in options.iter().enumerate() {
                let at = rule.item("options", i);
                check_score(
                    &format!("options[{i}] 分数"),
                    o.score,
                    max,
                    p,
                    at.key("score"),
                    errs,
                );
                if !seen.insert(o.score.normalize()) {
                    errs.push(
                        p,
                        at.key("score"),
                        S::DuplicateOptionScore {
                            option: i,
                            score: o.score,
                        },
                    );
                }
                if o.label.trim().is_empty() {
                    errs.push(p, at.key("label"), S::OptionWithoutLabel { option: i });
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
                errs.push(p, rule.key("input"), S::EmptyInput);
            }
            if *step <= Decimal::ZERO {
                errs.push(p, rule.key("step"), S::StepNotPositive { step: *step });
            }
            if *full_at <= Decimal::ZERO {
                errs.push(
                    p,
                    rule.key("full_at"),
                    S::FullAtNotPositive { full_at: *full_at },
                );
            }
            check_deduction("deduct", *deduct, p, rule, errs);
        }
        Rule::PerFinding { deduct } => {
            check_deduction("deduct", *deduct, p, rule, errs);
            if deduct.is_zero() {
                errs.push(p, rule.key("deduct"), S::ZeroDeduction);
            }
        }
        Rule::Tiers {
            numerator,
            denominator,
            tiers,
        } => {
            if numerator.trim().is_empty() {
                errs.push(p, rule.key("numerator"), S::EmptyRatio);
            } else if denominator.trim().is_empty() {
                errs.push(p, rule.key("denominator"), S::EmptyRatio);
            }
            if numerator == denominator {
                errs.push(p, rule.key("denominator"), S::SameRatio);
            }
            check_tiers(tiers, max, p, rule, errs);
        }
        Rule::SurveyRate {
            input,
            tiers,
            below,
        } => {
            if input.trim().is_empty() {
                errs.push(p, rule.key("input"), S::EmptyInput);
            }
            check_tiers(tiers, max, p, rule, errs);
            check_score("below 分数", *below, max, p, rule.key("below"), errs);
        }
        Rule::Established {
            prefix,
            defects,
            partial,
            none,
        } => {
            if prefix.trim().is_empty() {
                errs.push(p, rule.key("prefix"), S::EmptyPrefix);
            }
            check_deduction("defects", *defects, p, rule, errs);
            check_deduction("partial", *partial, p, rule, errs);
            check_deduction("none", *none, p, rule, errs);
        }
    }
}
