//! The walk over a response: its envelope (`form`, `version`, `values` and the hand-in
//! keys), unknown and computed keys among the values, then every field, the scoring
//! inputs, the computed values and the form rules in turn.

use serde_json::{Map, Value};

use super::validator::{json_type, Loc, Validator};
use crate::scoring::InputKind;

impl Validator<'_> {
    /// `false` when the response is no object (nothing else is checked then).
    pub(super) fn run(&mut self, response: &Value) -> bool {
        let Some(obj) = response.as_object() else {
            self.error(
                "",
                format!(
                    "回答应为 JSON 对象 {{\"form\": \"{}\", \"version\": {}, \"values\": {{…}}}}，现为{}",
                    self.schema.id,
                    self.schema.version,
                    json_type(response)
                ),
            );
            return false;
        };
        for key in obj.keys() {
            if !matches!(key.as_str(), "form" | "version" | "values")
                && !crate::handin::envelope::ENVELOPE_KEYS.contains(&key.as_str())
            {
                self.error(
                    key.clone(),
                    format!("未知的顶层键“{key}”：回答只能包含 form、version、values、program、response_id"),
                );
            }
        }
        // The hand-in envelope (`program`, `response_id`): checked, never required.
        for f in crate::handin::envelope::check_envelope(obj) {
            self.error(f.path, f.message);
        }
        match obj.get("form") {
            Some(Value::String(s)) if s == &self.schema.id => {}
            Some(Value::String(s)) => {
                let msg = format!(
                    "表单 id 为“{s}”，与本表单“{}”不符：请使用本表单导出的文件",
                    self.schema.id
                );
                self.error("form", msg);
            }
            Some(other) => {
                let msg = format!(
                    "form 应为文本“{}”，现为{}",
                    self.schema.id,
                    json_type(other)
                );
                self.error("form", msg);
            }
            None => {
                let msg = format!("缺少 form：应为“{}”", self.schema.id);
                self.error("form", msg);
            }
        }
        let want = u64::from(self.schema.version);
        match obj.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(want) => {}
            Some(other) => {
                let msg = format!(
                    "表单版本为 {other}，本表单为第 {want} 版：请按第 {want} 版重新填写或导出"
                );
                self.error("version", msg);
            }
            None => self.error("version", format!("缺少 version：应为 {want}")),
        }
        let empty = Map::new();
        let values = match obj.get("values") {
            Some(Value::Object(m)) => m,
            Some(other) => {
                let msg = format!(
                    "填写的内容（values）格式不对：应为每一项及其所填的值，现为{}",
                    json_type(other)
                );
                self.error("values", msg);
                &empty
            }
            None => {
                self.error(
                    "values",
                    "缺少 values（填写的内容）：应为每一项及其所填的值",
                );
                &empty
            }
        };
        self.check_values(values);
        true
    }

    pub(super) fn check_values(&mut self, values: &Map<String, Value>) {
        let schema = self.schema;
        let scoring_inputs: Vec<(String, InputKind)> = schema
            .scoring
            .as_ref()
            .map(|s| s.input_keys())
            .unwrap_or_default();
        // Unknown keys, and scores typed in for computed indicators.
        for key in values.keys() {
            if schema.field(key).is_some() || scoring_inputs.iter().any(|(k, _)| k == key) {
                continue;
            }
            let computed_indicator = schema
                .scoring
                .as_ref()
                .and_then(|s| s.indicators().find(|i| &i.id == key))
                .filter(|i| i.is_computed());
            if let Some(ind) = computed_indicator {
                let inputs: Vec<String> = ind.inputs().into_iter().map(|(k, _)| k).collect();
                let msg = format!(
                    "“{}”的得分由填入的数据自动计算，不能直接填写分数：请填写 {}",
                    ind.label,
                    inputs.join("、")
                );
                self.error(key.clone(), msg);
            } else if schema.computed().any(|c| &c.id == key) {
                self.error(key.clone(), format!("“{key}”是自动计算的结果，不能填写"));
            } else {
                self.error(
                    key.clone(),
                    format!("未知字段“{key}”：本表单没有这个字段，请检查字段名"),
                );
            }
        }
        for field in schema.fields() {
            let raw = values.get(&field.id);
            if let Some(v) = self.check_field(Loc::Top, field, raw) {
                self.values.insert(field.id.clone(), v);
            }
        }
        for (key, kind) in &scoring_inputs {
            if schema.field(key).is_some() {
                continue; // validated as a field (survey counts)
            }
            if let Some(v) = self.check_scoring_input(key, kind, values.get(key)) {
                self.values.insert(key.clone(), v);
            }
        }
        self.compute();
        for rule in &schema.rules {
            self.form_rule(rule);
        }
    }
}
