//! What an indicator form adds: the survey counts field (forms and the counts of each
//! level per indicator, which must add up), the scoring inputs typed for computed
//! indicators, and after validation the survey summary and the score in `computed`.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::validator::{is_empty, join_path, json_type, Validator};
use crate::decimal::{decimal_json, fmt_dec};
use crate::schema::{Field, FieldType};
use crate::score;
use crate::scoring::InputKind;

/// A report as a JSON value, read back from its text: from the text the page and the
/// command line print anyway (compact for the survey summary, pretty for the score),
/// so that serde's code for these reports is in the browser bundle once, for that
/// writer, and not again for serde_json's `Value` serializer. Their numbers are
/// integers and decimals of at most two places, which read back as the same numbers.
fn value_of(text: serde_json::Result<String>) -> Option<Value> {
    serde_json::from_str(&text.ok()?).ok()
}

impl Validator<'_> {
    /// For an indicator form: the survey summary (percentages and `r`) of a valid counts
    /// field, and the score (every indicator, section subtotals, total) of the values.
    pub(super) fn compute_scoring(&mut self) {
        let schema = self.schema;
        for f in schema.fields().filter(|f| f.kind == FieldType::Counts) {
            let clean = !self.bad.iter().any(|p| {
                p == &f.id
                    || p.strip_prefix(f.id.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            });
            let counts = self
                .values
                .get(&f.id)
                .filter(|_| clean)
                .and_then(|v| crate::survey::SurveyCounts::from_value(v).ok());
            if let Some(counts) = counts {
                let layout = crate::survey::SurveyLayout::from_counts_field(f);
                let rate = crate::scoring::RateRule::of(schema);
                let summary = crate::tally::summary_with_layout(&counts, &layout, rate);
                if let Some(v) = value_of(serde_json::to_string(&summary)) {
                    self.computed.insert(f.id.clone(), v);
                }
            }
        }
        if schema.scoring.is_some() {
            let result = score::score(schema, &self.values);
            if let Some(Value::Object(v)) = value_of(serde_json::to_string_pretty(&result)) {
                // Findings of scoring repeat validation's; the score stays. Copied without
                // them rather than `Map::remove`d: the B-tree's removal code (4 KB of the
                // bundle) is linked for nothing else.
                let mut score = Map::new();
                for (key, value) in v {
                    if key != "findings" {
                        score.insert(key, value);
                    }
                }
                self.computed.insert("score".into(), Value::Object(score));
            }
        }
    }

    pub(super) fn check_counts(&mut self, path: &str, field: &Field, raw: &Value) -> Option<Value> {
        let Value::Object(obj) = raw else {
            let msg = format!(
                "“{}”应为对象 {{forms, indicators}}，现为{}",
                field.label,
                json_type(raw)
            );
            self.error(path, msg);
            return Some(raw.clone());
        };
        self.check_object_keys(path, &field.label, obj, &["forms", "indicators"]);
        let fp = join_path(path, "forms");
        let forms = match obj.get("forms") {
            None | Some(Value::Null) => {
                self.error(&fp, "缺少评估表份数 forms：应为不小于 0 的整数");
                None
            }
            Some(v) => self.read_count(&fp, "评估表份数", v),
        };
        let ip = join_path(path, "indicators");
        let mut out_ind = Map::new();
        match obj.get("indicators") {
            Some(Value::Object(ind)) => {
                let known: Vec<&str> = field.rows.iter().map(|r| r.id.as_str()).collect();
                self.check_object_keys(&ip, "各指标份数", ind, &known);
                let levels: Vec<&str> = field.options.iter().map(|o| o.id.as_str()).collect();
                for row in &field.rows {
                    let rp = join_path(&ip, &row.id);
                    let Some(Value::Object(counts)) = ind.get(&row.id) else {
                        let msg = format!(
                            "缺少指标“{}”的各等级份数：应为 {{{}}}",
                            row.label,
                            levels.join(", ")
                        );
                        self.error(rp, msg);
                        continue;
                    };
                    self.check_object_keys(&rp, &row.label, counts, &levels);
                    let mut sum: u64 = 0;
                    let mut complete = true;
                    let mut out = Map::new();
                    for level in &field.options {
                        let lp = join_path(&rp, &level.id);
                        let label = format!("{}·{}", row.label, level.label);
                        match counts.get(&level.id) {
                            Some(v) if !v.is_null() => match self.read_count(&lp, &label, v) {
                                Some(n) => {
                                    sum = sum.saturating_add(n);
                                    out.insert(level.id.clone(), Value::from(n));
                                }
                                None => complete = false,
                            },
                            _ => {
                                self.error(lp, format!("缺少“{label}”的份数：应为不小于 0 的整数"));
                                complete = false;
                            }
                        }
                    }
                    if let (true, Some(forms)) = (complete, forms) {
                        if sum != forms {
                            let msg =
                                crate::tally::sum_mismatch(&row.label, u128::from(sum), forms);
                            self.error(rp.clone(), msg);
                        }
                    }
                    out_ind.insert(row.id.clone(), Value::Object(out));
                }
            }
            None | Some(Value::Null) => {
                self.error(&ip, "缺少各指标份数 indicators");
            }
            Some(other) => {
                let msg = format!("indicators 应为对象，现为{}", json_type(other));
                self.error(&ip, msg);
            }
        }
        let mut out = Map::new();
        if let Some(f) = forms {
            out.insert("forms".into(), Value::from(f));
        }
        out.insert("indicators".into(), Value::Object(out_ind));
        Some(Value::Object(out))
    }

    pub(super) fn check_scoring_input(
        &mut self,
        key: &str,
        kind: &InputKind,
        raw: Option<&Value>,
    ) -> Option<Value> {
        if is_empty(raw) {
            return None;
        }
        let raw = raw?;
        let scoring = self.schema.scoring.as_ref()?;
        let owner = scoring
            .indicators()
            .find(|i| i.inputs().iter().any(|(k, _)| k == key));
        let label = owner.map_or(key.to_string(), |i| format!("{}（{key}）", i.label));
        match kind {
            InputKind::ChoiceScore => {
                let d = self.read_decimal(key, &format!("“{label}”"), raw)?;
                let options: Vec<Decimal> = match owner.map(|i| &i.rule) {
                    Some(crate::scoring::Rule::Choice { options }) => {
                        options.iter().map(|o| o.score).collect()
                    }
                    _ => Vec::new(),
                };
                if !options.contains(&d) {
                    let list: Vec<String> = options.iter().map(|o| fmt_dec(*o)).collect();
                    let msg = format!(
                        "“{label}”的自评分 {} 不是可选分值：应为 {} 分之一",
                        fmt_dec(d),
                        list.join(" / ")
                    );
                    self.error(key, msg);
                    return Some(raw.clone());
                }
                Some(decimal_json(d))
            }
            InputKind::Percent | InputKind::Money => {
                let d = self.read_decimal(key, &format!("“{label}”"), raw)?;
                let denominator = scoring.indicators().any(|i| {
                    matches!(&i.rule, crate::scoring::Rule::Tiers { denominator, .. } if denominator == key)
                });
                if d.is_sign_negative() && !d.is_zero() {
                    self.error(key, format!("“{label}”应不小于 0，现为 {}", fmt_dec(d)));
                } else if denominator && d.is_zero() {
                    self.error(key, format!("“{label}”应大于 0（作为资金使用率的分母）"));
                }
                Some(match raw {
                    Value::String(_) => Value::String(fmt_dec(d)),
                    _ => decimal_json(d),
                })
            }
            InputKind::Count => {
                let n = self.read_count(key, &format!("{label}（发现问题处数）"), raw);
                Some(n.map_or_else(|| raw.clone(), Value::from))
            }
            InputKind::Bool => match raw {
                Value::Bool(b) => Some(Value::Bool(*b)),
                other => {
                    let msg = format!(
                        "“{label}”应为是/否（true 或 false），现为{}",
                        json_type(other)
                    );
                    self.error(key, msg);
                    Some(raw.clone())
                }
            },
            InputKind::Execution => match raw.as_str().map(str::trim) {
                Some(s @ ("full" | "partial" | "none")) => Some(Value::String(s.to_string())),
                _ => {
                    let msg = format!(
                        "“{label}”应为 full（执行到位）、partial（部分执行不到位）或 none（完全不执行），现为 {raw}"
                    );
                    self.error(key, msg);
                    Some(raw.clone())
                }
            },
            InputKind::Survey => {
                // A survey input without a counts field: validate with the survey's shape.
                Some(raw.clone())
            }
        }
    }
}
