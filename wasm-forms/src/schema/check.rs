//! Semantic checks of a parsed schema: duplicate ids, keys on the wrong field type,
//! rule and computed references, rules in the wrong place.

use std::collections::BTreeMap;

use super::{CheckError, Computed, ComputedKind, Field, FieldType, FormSchema, Rule};

struct Checker<'a> {
    errors: Vec<CheckError>,
    /// How many times each `id = "…"` value has been seen (to locate the n-th one).
    seen: BTreeMap<&'a str, usize>,
}

impl FormSchema {
    /// Semantic checks after parsing: duplicate ids, type-specific keys on the wrong
    /// type, rule references, rules in the wrong place. Used by [`super::parse_toml`]
    /// (which adds line numbers) and usable on a schema received as JSON.
    pub fn check(&self) -> Vec<CheckError> {
        check(self)
    }
}

impl<'a> Checker<'a> {
    fn err(&mut self, message: String, key: &str, value: &str, nth: usize) {
        self.errors.push(CheckError {
            message,
            locate: Some((key.to_string(), value.to_string(), nth)),
        });
    }

    fn err_nowhere(&mut self, message: String) {
        self.errors.push(CheckError {
            message,
            locate: None,
        });
    }

    /// Records one more `id = "id"` and returns its occurrence number (1-based).
    fn occurrence(&mut self, id: &'a str) -> usize {
        let n = self.seen.entry(id).or_insert(0);
        *n += 1;
        *n
    }
}

fn is_numeric(t: FieldType) -> bool {
    matches!(t, FieldType::Number | FieldType::Money)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

pub(super) fn check(schema: &FormSchema) -> Vec<CheckError> {
    let mut c = Checker {
        errors: Vec::new(),
        seen: BTreeMap::new(),
    };
    if schema.id.is_empty()
        || !schema
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        c.err(
            format!(
                "表单 id “{}” 无效：应只含小写字母、数字和连字符（如 wenzhou-survey）",
                schema.id
            ),
            "id",
            &schema.id,
            1,
        );
    }
    c.occurrence(&schema.id);
    if schema.version == 0 {
        c.err_nowhere("version 应为不小于 1 的整数".to_string());
    }
    if schema.sections.is_empty() {
        c.err_nowhere("表单没有任何 sections：至少需要一个 [[sections]]".to_string());
    }

    // Top-level names: fields and computed values share one namespace.
    let mut names: BTreeMap<&str, ()> = BTreeMap::new();
    for section in &schema.sections {
        if let Some(id) = &section.id {
            c.occurrence(id);
        }
        for field in &section.fields {
            let n = c.occurrence(&field.id);
            if names.insert(&field.id, ()).is_some() {
                c.err(
                    format!(
                        "字段 id “{}” 重复：每个字段 id 在表单内只能出现一次",
                        field.id
                    ),
                    "id",
                    &field.id,
                    n,
                );
            }
            check_field(&mut c, field, !section.matrix.is_empty(), false);
        }
        for comp in &section.computed {
            let n = c.occurrence(&comp.id);
            if names.insert(&comp.id, ()).is_some() {
                c.err(
                    format!(
                        "计算项 id “{}” 与其他字段或计算项重复：id 在表单内只能出现一次",
                        comp.id
                    ),
                    "id",
                    &comp.id,
                    n,
                );
            }
        }
        // The seed's column headings: a rating matrix names its two label columns, a
        // section of fixed record rows its label column and every column.
        let records = section
            .fields
            .iter()
            .find(|f| f.kind == FieldType::Record)
            .map(|r| r.columns.len() + 1);
        let want = if section.matrix.is_empty() {
            records
        } else {
            Some(2)
        };
        match want {
            Some(n) if section.headers.len() != n => c.err(
                format!(
                    "分节“{}”的 headers 应有 {n} 项（表格各列的标题），现有 {} 项",
                    section.legend,
                    section.headers.len()
                ),
                "legend",
                &section.legend,
                1,
            ),
            None if !section.headers.is_empty() => c.err(
                format!(
                    "分节“{}”不是评估矩阵或固定行表格，不能使用 headers",
                    section.legend
                ),
                "legend",
                &section.legend,
                1,
            ),
            _ => {}
        }
        let mut levels = BTreeMap::new();
        for o in &section.matrix {
            if levels.insert(o.id.as_str(), ()).is_some() {
                c.err(format!("矩阵等级 id “{}” 重复", o.id), "id", &o.id, 2);
            }
        }
    }
    for comp in schema.computed() {
        check_computed(&mut c, schema, comp);
    }
    if let Some(id) = &schema.file_name_field {
        if !schema.field(id).is_some_and(|f| f.kind == FieldType::Text) {
            c.err(
                format!("file_name_field “{id}” 应为表单顶层的一个 text 字段"),
                "file_name_field",
                id,
                1,
            );
        }
    }
    for sig in &schema.signatures {
        if sig.trim().is_empty() {
            c.err_nowhere("signatures 中有空的签字盖章栏：每项应写出栏目文字".to_string());
        }
    }
    if let Some(scoring) = &schema.scoring {
        for msg in scoring.check() {
            // `scoring.sections[i].indicators[j] (id): …` → locate the indicator id.
            let id = msg
                .split_once(") ")
                .or_else(|| msg.split_once("):"))
                .and_then(|(head, _)| head.rsplit_once(" ("))
                .map(|(_, id)| id.to_string());
            match id {
                Some(id) if scoring.indicators().any(|i| i.id == id) => {
                    c.err(msg.clone(), "id", &id, 1)
                }
                Some(label) => c.err(msg.clone(), "label", &label, 1),
                None => c.err(msg.clone(), "[scoring]", "", 1),
            }
        }
        for (key, kind) in scoring.input_keys() {
            // A counts field may hold the survey counts a survey-rate indicator reads.
            let shared_ok = kind == crate::scoring::InputKind::Survey
                && schema
                    .field(&key)
                    .is_some_and(|f| f.kind == FieldType::Counts);
            if names.contains_key(key.as_str()) && !shared_ok {
                c.err(
                    format!(
                        "评分输入项“{key}”与同名字段重复：评分指标的输入由 [scoring] 定义，不要再写成字段"
                    ),
                    "id",
                    &key,
                    1,
                );
            }
        }
        // r counts the satisfied levels of the counts field the survey_rate rule reads.
        for ind in scoring.indicators() {
            if let crate::scoring::Rule::SurveyRate { input, .. } = &ind.rule {
                match schema.field(input) {
                    Some(f) if f.kind == FieldType::Counts => {
                        if !f.options.iter().any(|o| o.satisfied) {
                            c.err(
                                format!(
                                    "指标“{}”按满意率计分，但份数字段“{input}”没有标为 satisfied = true 的等级",
                                    ind.id
                                ),
                                "id",
                                input,
                                1,
                            );
                        }
                    }
                    _ => c.err(
                        format!(
                            "指标“{}”按满意率计分，读取的“{input}”应为表单中的 counts 字段",
                            ind.id
                        ),
                        "id",
                        &ind.id,
                        1,
                    ),
                }
            }
        }
        let has_place = schema.sections.iter().any(|s| s.scoring);
        if !has_place {
            c.err_nowhere(
                "表单有 [scoring]，但没有任何分节设 scoring = true（评分表显示的位置）".to_string(),
            );
        }
    } else if let Some(s) = schema.sections.iter().find(|s| s.scoring) {
        c.err(
            format!(
                "分节“{}”设了 scoring = true，但表单没有 [scoring]",
                s.legend
            ),
            "legend",
            &s.legend,
            1,
        );
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in &schema.rules {
        let nth = kinds.entry(rule.kind()).or_insert(0);
        *nth += 1;
        if rule.is_row_rule() {
            c.err(
                format!(
                    "规则 kind = \"{}\" 是行规则，应写在表格字段的 row_rules 中，而不是表单级 [[rules]]",
                    rule.kind()
                ),
                "rules.kind",
                rule.kind(),
                *nth,
            );
            continue;
        }
        check_form_rule(&mut c, schema, rule);
    }
    c.errors
}

fn check_field<'a>(c: &mut Checker<'a>, field: &'a Field, in_matrix: bool, in_table: bool) {
    let t = field.kind;
    let id = field.id.as_str();
    if !valid_id(id) {
        c.err(
            format!("字段 id “{id}” 无效：应以小写字母开头，只含小写字母、数字和下划线"),
            "id",
            id,
            1,
        );
    }
    let mut wrong = |key: &str, allowed: &str| {
        c.err(
            format!(
                "字段“{id}”是 {} 类型，不能使用 {key}（仅用于 {allowed}）",
                t.name()
            ),
            "id",
            id,
            1,
        );
    };
    if !is_numeric(t) {
        if field.min.is_some() {
            wrong("min", "number / money");
        }
        if field.max.is_some() {
            wrong("max", "number / money");
        }
        if field.min_exclusive {
            wrong("min_exclusive", "number / money");
        }
        if field.unit.is_some() {
            wrong("unit", "number / money");
        }
    }
    if t != FieldType::Number {
        if field.step.is_some() {
            wrong("step", "number");
        }
        if field.integer {
            wrong("integer", "number");
        }
    }
    if t != FieldType::Text {
        if field.max_chars.is_some() {
            wrong("max_chars", "text");
        }
        if field.multiline {
            wrong("multiline", "text");
        }
    }
    if t != FieldType::Bool && (field.true_label.is_some() || field.false_label.is_some()) {
        wrong("true_label / false_label", "bool");
    }
    if field.shared && !in_table {
        wrong("shared", "table 的列");
    }
    if !matches!(t, FieldType::Choice | FieldType::Counts) && !field.options.is_empty() {
        wrong("options", "choice / counts");
    }
    if !matches!(t, FieldType::Table | FieldType::Record) && !field.columns.is_empty() {
        wrong("columns", "table / record");
    }
    if t != FieldType::Table && !field.row_rules.is_empty() {
        wrong("row_rules", "table");
    }
    if t != FieldType::Counts && !field.rows.is_empty() {
        wrong("rows", "counts");
    }
    if t != FieldType::Counts && field.text.is_some() {
        wrong("text", "counts");
    }
    if t != FieldType::Text && field.prefill.is_some() {
        wrong("prefill", "text");
    }
    if !matches!(t, FieldType::Choice | FieldType::Counts)
        && field.options.iter().any(|o| o.satisfied)
    {
        wrong("satisfied", "counts levels");
    }
    if t == FieldType::Counts && field.text.is_none() {
        c.err(
            format!("字段“{id}”是 counts 类型，缺少 text（份数表、导入和汇总的文字）"),
            "id",
            id,
            1,
        );
    }
    if let Some(step) = field.step {
        if !(step > 0.0 && step.is_finite()) {
            c.err(
                format!("字段“{id}”的 step 应为正数，现为 {step}"),
                "id",
                id,
                1,
            );
        }
    }
    if in_matrix && t != FieldType::Choice {
        c.err(
            format!("评估矩阵中的字段“{id}”应为 choice 类型"),
            "id",
            id,
            1,
        );
    }
    if matches!(t, FieldType::Choice | FieldType::Counts) {
        if field.options.is_empty() {
            c.err(
                format!("字段“{id}”是 {} 类型，缺少 options", t.name()),
                "id",
                id,
                1,
            );
        }
        let mut seen = BTreeMap::new();
        for o in &field.options {
            if seen.insert(o.id.as_str(), ()).is_some() {
                c.err(
                    format!("字段“{id}”的选项 id “{}” 重复", o.id),
                    "id",
                    &o.id,
                    2,
                );
            }
        }
    }
    if t == FieldType::Counts {
        if field.rows.is_empty() {
            c.err(format!("字段“{id}”是 counts 类型，缺少 rows"), "id", id, 1);
        }
        let mut seen = BTreeMap::new();
        for r in &field.rows {
            if seen.insert(r.id.as_str(), ()).is_some() {
                c.err(format!("字段“{id}”的行 id “{}” 重复", r.id), "id", &r.id, 2);
            }
        }
    }
    if matches!(t, FieldType::Table | FieldType::Record) {
        if in_table {
            c.err(
                format!("表格列“{id}”不能再是 {} 类型", t.name()),
                "id",
                id,
                1,
            );
        }
        if field.columns.is_empty() {
            c.err(
                format!("字段“{id}”是 {} 类型，缺少 columns", t.name()),
                "id",
                id,
                1,
            );
        }
        let mut seen = BTreeMap::new();
        for col in &field.columns {
            let n = c.occurrence(&col.id);
            if seen.insert(col.id.as_str(), ()).is_some() {
                c.err(
                    format!(
                        "字段“{id}”的列 id “{}” 重复：列 id 在表格内只能出现一次",
                        col.id
                    ),
                    "id",
                    &col.id,
                    n,
                );
            }
            if matches!(col.kind, FieldType::Counts) {
                c.err(
                    format!("表格列“{}”不能是 counts 类型", col.id),
                    "id",
                    &col.id,
                    1,
                );
            }
            if col.shared && t != FieldType::Table {
                c.err(
                    format!(
                        "字段“{id}”是 {} 类型，只有一行：列“{}”不能使用 shared（仅用于 table 的列）",
                        t.name(),
                        col.id
                    ),
                    "id",
                    &col.id,
                    n,
                );
            }
            check_field(c, col, false, true);
        }
    }
    for rule in &field.row_rules {
        if !rule.is_row_rule() {
            c.err(
                format!(
                    "规则 kind = \"{}\" 是表单级规则，应写在 [[rules]] 中，而不是表格“{id}”的 row_rules",
                    rule.kind()
                ),
                "kind",
                rule.kind(),
                1,
            );
            continue;
        }
        check_row_rule(c, field, rule);
    }
}

/// Resolves a form-level name: a top-level field, a `record.column` path, or a computed id.
enum Target<'a> {
    Field(&'a Field),
    Computed,
}

fn resolve<'a>(schema: &'a FormSchema, name: &str) -> Option<Target<'a>> {
    if let Some((head, tail)) = name.split_once('.') {
        let rec = schema.field(head)?;
        if rec.kind != FieldType::Record {
            return None;
        }
        return rec.columns.iter().find(|c| c.id == tail).map(Target::Field);
    }
    if let Some(f) = schema.field(name) {
        return Some(Target::Field(f));
    }
    schema
        .computed()
        .find(|c| c.id == name)
        .map(|_| Target::Computed)
}

/// What a rule's reference must be: a field type test, its name in messages, and
/// whether a computed value is acceptable.
type Want<'w> = (fn(FieldType) -> bool, &'w str, bool);

fn expect_type(
    c: &mut Checker<'_>,
    schema: &FormSchema,
    rule: &str,
    key: &str,
    name: &str,
    want: Want<'_>,
) {
    let (ok, expected, computed_ok) = want;
    match resolve(schema, name) {
        Some(Target::Field(f)) if ok(f.kind) => {}
        Some(Target::Computed) if computed_ok => {}
        Some(Target::Field(f)) => c.err(
            format!(
                "规则 {rule} 的 {key} = “{name}” 是 {} 类型，应为 {expected}",
                f.kind.name()
            ),
            &format!("rules.{key}"),
            name,
            1,
        ),
        Some(Target::Computed) => c.err(
            format!("规则 {rule} 的 {key} = “{name}” 是计算项，应为 {expected} 字段"),
            &format!("rules.{key}"),
            name,
            1,
        ),
        None => c.err(
            format!(
                "规则 {rule} 的 {key} 引用了不存在的字段“{name}”（应为本表单的 {expected} 字段）"
            ),
            &format!("rules.{key}"),
            name,
            1,
        ),
    }
}

fn check_form_rule(c: &mut Checker<'_>, schema: &FormSchema, rule: &Rule) {
    let k = rule.kind();
    let date = |t: FieldType| t == FieldType::Date;
    let text = |t: FieldType| t == FieldType::Text;
    let num = is_numeric;
    match rule {
        Rule::SumEquals { items, total, .. } => {
            if items.is_empty() {
                c.err(format!("规则 {k} 的 items 为空"), "rules.kind", k, 1);
            }
            for i in items {
                expect_type(c, schema, k, "items", i, (num, "number / money", true));
            }
            expect_type(c, schema, k, "total", total, (num, "number / money", true));
        }
        Rule::MinRows { table, .. } => expect_type(
            c,
            schema,
            k,
            "table",
            table,
            (|t| t == FieldType::Table, "table", false),
        ),
        Rule::AtLeast { value, .. } => {
            expect_type(c, schema, k, "value", value, (num, "number / money", true))
        }
        Rule::CourseDays { start, end, .. } => {
            expect_type(c, schema, k, "start", start, (date, "date", false));
            expect_type(c, schema, k, "end", end, (date, "date", false));
        }
        Rule::DueBefore { field, before, .. } => {
            expect_type(c, schema, k, "field", field, (date, "date", false));
            expect_type(c, schema, k, "before", before, (date, "date", false));
        }
        Rule::TextLength {
            field, min, max, ..
        } => {
            expect_type(c, schema, k, "field", field, (text, "text", false));
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    c.err(
                        format!("规则 {k} 的 min（{a}）大于 max（{b}）"),
                        "field",
                        field,
                        1,
                    );
                }
            }
        }
        Rule::MinItems { field, .. } => {
            expect_type(c, schema, k, "field", field, (text, "text", false))
        }
        _ => {}
    }
}

fn check_row_rule(c: &mut Checker<'_>, table: &Field, rule: &Rule) {
    let k = rule.kind();
    let mut col = |key: &str, name: &str, ok: fn(FieldType) -> bool, expected: &str| match table
        .columns
        .iter()
        .find(|f| f.id == name)
    {
        Some(f) if ok(f.kind) => {}
        Some(f) => c.err(
            format!(
                "表格“{}”的行规则 {k} 的 {key} = “{name}” 是 {} 类型，应为 {expected}",
                table.id,
                f.kind.name()
            ),
            key,
            name,
            1,
        ),
        None => c.err(
            format!(
                "表格“{}”的行规则 {k} 的 {key} 引用了不存在的列“{name}”",
                table.id
            ),
            key,
            name,
            1,
        ),
    };
    let date = |t: FieldType| t == FieldType::Date;
    let any = |_: FieldType| true;
    match rule {
        Rule::DateOrder { start, end, .. } => {
            col("start", start, date, "date");
            col("end", end, date, "date");
        }
        Rule::Unique { column, .. } => col("column", column, any, "任意类型"),
        Rule::GenderMatchesId {
            gender, id_number, ..
        } => {
            col("gender", gender, |t| t == FieldType::Choice, "choice");
            col(
                "id_number",
                id_number,
                |t| t == FieldType::IdNumber,
                "id_number",
            );
        }
        Rule::WhenTrue {
            field,
            required,
            min_field,
            min,
            ..
        } => {
            col("field", field, |t| t == FieldType::Bool, "bool");
            for r in required {
                col("required", r, any, "任意类型");
            }
            if let Some(m) = min_field {
                col("min_field", m, is_numeric, "number / money");
            }
            if min_field.is_some() != min.is_some() {
                c.err(
                    format!("行规则 {k} 的 min_field 与 min 应同时给出"),
                    "field",
                    field,
                    1,
                );
            }
        }
        Rule::DaysWithinDates {
            days, start, end, ..
        } => {
            col("days", days, is_numeric, "number");
            col("start", start, date, "date");
            col("end", end, date, "date");
        }
        _ => {}
    }
}

fn check_computed(c: &mut Checker<'_>, schema: &FormSchema, comp: &Computed) {
    let id = comp.id.as_str();
    let table = comp
        .table
        .as_deref()
        .and_then(|t| schema.field(t))
        .filter(|f| f.kind == FieldType::Table);
    let need_table = |c: &mut Checker<'_>| {
        c.err(
            format!(
                "计算项“{id}”需要 table = 本表单的表格字段，现为 {:?}",
                comp.table.as_deref().unwrap_or("（未给出）")
            ),
            "id",
            id,
            1,
        )
    };
    if comp.kind != ComputedKind::AtLeast
        && (comp.true_label.is_some() || comp.false_label.is_some())
    {
        c.err(
            format!("计算项“{id}”不是 at_least，不能使用 true_label / false_label"),
            "id",
            id,
            1,
        );
    }
    match comp.kind {
        ComputedKind::Sum => {
            let Some(t) = table else {
                need_table(c);
                return;
            };
            let ok = comp
                .column
                .as_deref()
                .and_then(|col| t.columns.iter().find(|f| f.id == col))
                .is_some_and(|f| is_numeric(f.kind));
            if !ok {
                c.err(
                    format!(
                        "计算项“{id}”需要 column = 表格“{}”中的 number / money 列",
                        t.id
                    ),
                    "id",
                    id,
                    1,
                );
            }
        }
        ComputedKind::PercentOfRows => {
            if table.is_none() {
                need_table(c);
            }
            if comp.percent.is_none() {
                c.err(format!("计算项“{id}”需要 percent"), "id", id, 1);
            }
        }
        ComputedKind::AtLeast => {
            let ok = comp
                .field
                .as_deref()
                .and_then(|f| schema.field(f))
                .is_some_and(|f| is_numeric(f.kind));
            if !ok {
                c.err(
                    format!("计算项“{id}”需要 field = 本表单的 number / money 字段"),
                    "id",
                    id,
                    1,
                );
            }
            if comp.min.is_none() {
                c.err(format!("计算项“{id}”需要 min"), "id", id, 1);
            }
        }
    }
}
