//! What can be wrong in a form schema, and where: the typed problems of the schema
//! check ([`Problem`], [`ScoringProblem`]), each with the structural [`Path`] of the
//! value or table it is about (`sections[2].fields[3].id`), and the located
//! [`SchemaError`] a TOML file's reader turns them into (`schema/parse.rs` resolves a
//! path to a byte span with the TOML parser's own spans, never by searching the text).

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;

use super::FieldType;

/// One step of a path into a schema as written in its file: a key (`sections`, `type`),
/// a key the schema's author chose (a scoring input's name), or a position in an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(&'static str),
    Name(String),
    Index(usize),
}

/// Where in a schema: the keys and positions from the top of the file
/// (`scoring.sections[1].indicators[0].rule.tiers[2].score`). Empty: the file itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

impl Path {
    /// The top of the file.
    pub fn root() -> Self {
        Path(Vec::new())
    }

    /// This path, one key further down.
    pub fn key(&self, key: &'static str) -> Self {
        self.with(Step::Key(key))
    }

    /// This path, one position further down.
    pub fn index(&self, i: usize) -> Self {
        self.with(Step::Index(i))
    }

    /// This path, down a key the schema's author named.
    pub fn name(&self, name: &str) -> Self {
        self.with(Step::Name(name.to_owned()))
    }

    /// `self.key(key).index(i)`.
    pub fn item(&self, key: &'static str, i: usize) -> Self {
        self.key(key).index(i)
    }

    fn with(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Path(steps)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Name(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Name(k) => write!(f, ".{k}")?,
            }
        }
        Ok(())
    }
}

/// A problem found by [`super::FormSchema::check`]: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// The value the problem is about, or the table missing a key.
    pub at: Path,
    pub problem: Problem,
}

impl CheckError {
    pub fn new(at: Path, problem: Problem) -> Self {
        CheckError { at, problem }
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for CheckError {}

/// A key allowed only on some field types (`min` → `number / money`).
pub type KeyUse = (&'static str, &'static str);

/// What the schema check found wrong, with the values involved. The text is the
/// message a schema's author reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    InvalidFormId {
        id: String,
    },
    VersionZero,
    NoSections,
    DuplicateFieldId {
        id: String,
    },
    DuplicateComputedId {
        id: String,
    },
    HeadersCount {
        legend: String,
        want: usize,
        got: usize,
    },
    HeadersNotAllowed {
        legend: String,
    },
    DuplicateMatrixLevel {
        id: String,
    },
    FileNameField {
        id: String,
    },
    EmptySignature,
    ScoringInputIsField {
        key: String,
    },
    SurveyRateWithoutSatisfied {
        indicator: String,
        input: String,
    },
    SurveyRateNotCounts {
        indicator: String,
        input: String,
    },
    NoScoringPlace,
    ScoringWithoutTable {
        legend: String,
    },
    RowRuleAtFormLevel {
        kind: &'static str,
    },
    EmptyItems {
        rule: &'static str,
    },
    RuleRefWrongType {
        rule: &'static str,
        key: &'static str,
        name: String,
        found: FieldType,
        expected: &'static str,
    },
    RuleRefComputed {
        rule: &'static str,
        key: &'static str,
        name: String,
        expected: &'static str,
    },
    RuleRefMissing {
        rule: &'static str,
        key: &'static str,
        name: String,
        expected: &'static str,
    },
    MinAboveMax {
        rule: &'static str,
        min: u32,
        max: u32,
    },
    InvalidFieldId {
        id: String,
    },
    KeyOnWrongType {
        field: String,
        kind: FieldType,
        key: KeyUse,
    },
    CountsWithoutText {
        field: String,
    },
    BadStep {
        field: String,
        step: String,
    },
    MatrixFieldNotChoice {
        field: String,
    },
    MissingOptions {
        field: String,
        kind: FieldType,
    },
    DuplicateOption {
        field: String,
        id: String,
    },
    MissingRows {
        field: String,
    },
    DuplicateRow {
        field: String,
        id: String,
    },
    NestedTable {
        field: String,
        kind: FieldType,
    },
    MissingColumns {
        field: String,
        kind: FieldType,
    },
    DuplicateColumn {
        field: String,
        id: String,
    },
    CountsColumn {
        column: String,
    },
    SharedInRecord {
        field: String,
        kind: FieldType,
        column: String,
    },
    FormRuleInRowRules {
        kind: &'static str,
        table: String,
    },
    RowRefWrongType {
        table: String,
        rule: &'static str,
        key: &'static str,
        name: String,
        found: FieldType,
        expected: &'static str,
    },
    RowRefMissing {
        table: String,
        rule: &'static str,
        key: &'static str,
        name: String,
    },
    MinFieldWithoutMin {
        rule: &'static str,
    },
    ComputedNeedsTable {
        id: String,
        table: Option<String>,
    },
    ComputedLabels {
        id: String,
    },
    ComputedNeedsColumn {
        id: String,
        table: String,
    },
    ComputedNeedsPercent {
        id: String,
    },
    ComputedNeedsField {
        id: String,
    },
    ComputedNeedsMin {
        id: String,
    },
    /// A problem of the `[scoring]` part, after the place it names
    /// (`scoring.sections[0].indicators[1] (progress)`).
    Scoring {
        place: String,
        what: ScoringProblem,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::InvalidFormId { .. }
            | P::VersionZero
            | P::NoSections
            | P::DuplicateFieldId { .. }
            | P::DuplicateComputedId { .. }
            | P::HeadersCount { .. }
            | P::HeadersNotAllowed { .. }
            | P::DuplicateMatrixLevel { .. }
            | P::FileNameField { .. }
            | P::EmptySignature
            | P::ScoringInputIsField { .. }
            | P::SurveyRateWithoutSatisfied { .. }
            | P::SurveyRateNotCounts { .. }
            | P::NoScoringPlace
            | P::ScoringWithoutTable { .. } => self.fmt_form(f),
            P::RowRuleAtFormLevel { .. }
            | P::EmptyItems { .. }
            | P::RuleRefWrongType { .. }
            | P::RuleRefComputed { .. }
            | P::RuleRefMissing { .. }
            | P::MinAboveMax { .. } => self.fmt_form_rule(f),
            P::InvalidFieldId { .. }
            | P::KeyOnWrongType { .. }
            | P::CountsWithoutText { .. }
            | P::BadStep { .. }
            | P::MatrixFieldNotChoice { .. }
            | P::MissingOptions { .. }
            | P::DuplicateOption { .. }
            | P::MissingRows { .. }
            | P::DuplicateRow { .. }
            | P::NestedTable { .. }
            | P::MissingColumns { .. }
            | P::DuplicateColumn { .. }
            | P::CountsColumn { .. }
            | P::SharedInRecord { .. }
            | P::FormRuleInRowRules { .. } => self.fmt_field(f),
            P::RowRefWrongType { .. }
            | P::RowRefMissing { .. }
            | P::MinFieldWithoutMin { .. }
            | P::ComputedNeedsTable { .. }
            | P::ComputedLabels { .. }
            | P::ComputedNeedsColumn { .. }
            | P::ComputedNeedsPercent { .. }
            | P::ComputedNeedsField { .. }
            | P::ComputedNeedsMin { .. } => self.fmt_row_rule_or_computed(f),
            P::Scoring { place, what } => write!(f, "{place}: {what}"),
        }
    }
}

impl Problem {
    /// The form's own keys, its sections and the place of its scoring.
    fn fmt_form(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::InvalidFormId { id } => write!(
                f,
                "表单 id “{id}” 无效：应只含小写字母、数字和连字符（如 wenzhou-survey）"
            ),
            P::VersionZero => f.write_str("version 应为不小于 1 的整数"),
            P::NoSections => f.write_str("表单没有任何 sections：至少需要一个 [[sections]]"),
            P::DuplicateFieldId { id } => {
                write!(f, "字段 id “{id}” 重复：每个字段 id 在表单内只能出现一次")
            }
            P::DuplicateComputedId { id } => write!(
                f,
                "计算项 id “{id}” 与其他字段或计算项重复：id 在表单内只能出现一次"
            ),
            P::HeadersCount { legend, want, got } => write!(
                f,
                "分节“{legend}”的 headers 应有 {want} 项（表格各列的标题），现有 {got} 项"
            ),
            P::HeadersNotAllowed { legend } => write!(
                f,
                "分节“{legend}”不是评估矩阵或固定行表格，不能使用 headers"
            ),
            P::DuplicateMatrixLevel { id } => write!(f, "矩阵等级 id “{id}” 重复"),
            P::FileNameField { id } => {
                write!(f, "file_name_field “{id}” 应为表单顶层的一个 text 字段")
            }
            P::EmptySignature => f.write_str("signatures 中有空的签字盖章栏：每项应写出栏目文字"),
            P::ScoringInputIsField { key } => write!(
                f,
                "评分输入项“{key}”与同名字段重复：评分指标的输入由 [scoring] 定义，不要再写成字段"
            ),
            P::SurveyRateWithoutSatisfied { indicator, input } => write!(
                f,
                "指标“{indicator}”按满意率计分，但份数字段“{input}”没有标为 satisfied = true 的等级"
            ),
            P::SurveyRateNotCounts { indicator, input } => write!(
                f,
                "指标“{indicator}”按满意率计分，读取的“{input}”应为表单中的 counts 字段"
            ),
            P::NoScoringPlace => {
                f.write_str("表单有 [scoring]，但没有任何分节设 scoring = true（评分表显示的位置）")
            }
            P::ScoringWithoutTable { legend } => {
                write!(f, "分节“{legend}”设了 scoring = true，但表单没有 [scoring]")
            }
            _ => unreachable!("Problem::fmt sends only these kinds here"),
        }
    }

    /// A form-level rule and the fields it names.
    fn fmt_form_rule(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::RowRuleAtFormLevel { kind } => write!(
                f,
                "规则 kind = \"{kind}\" 是行规则，应写在表格字段的 row_rules 中，而不是表单级 [[rules]]"
            ),
            P::EmptyItems { rule } => write!(f, "规则 {rule} 的 items 为空"),
            P::RuleRefWrongType {
                rule,
                key,
                name,
                found,
                expected,
            } => write!(
                f,
                "规则 {rule} 的 {key} = “{name}” 是 {} 类型，应为 {expected}",
                found.name()
            ),
            P::RuleRefComputed {
                rule,
                key,
                name,
                expected,
            } => write!(
                f,
                "规则 {rule} 的 {key} = “{name}” 是计算项，应为 {expected} 字段"
            ),
            P::RuleRefMissing {
                rule,
                key,
                name,
                expected,
            } => write!(
                f,
                "规则 {rule} 的 {key} 引用了不存在的字段“{name}”（应为本表单的 {expected} 字段）"
            ),
            P::MinAboveMax { rule, min, max } => {
                write!(f, "规则 {rule} 的 min（{min}）大于 max（{max}）")
            }
            _ => unreachable!("Problem::fmt sends only these kinds here"),
        }
    }

    /// A field: its id, the keys its type takes, its options, rows and columns.
    fn fmt_field(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::InvalidFieldId { id } => write!(
                f,
                "字段 id “{id}” 无效：应以小写字母开头，只含小写字母、数字和下划线"
            ),
            P::KeyOnWrongType {
                field,
                kind,
                key: (key, allowed),
            } => write!(
                f,
                "字段“{field}”是 {} 类型，不能使用 {key}（仅用于 {allowed}）",
                kind.name()
            ),
            P::CountsWithoutText { field } => write!(
                f,
                "字段“{field}”是 counts 类型，缺少 text（份数表、导入和汇总的文字）"
            ),
            P::BadStep { field, step } => {
                write!(f, "字段“{field}”的 step 应为正数，现为 {step}")
            }
            P::MatrixFieldNotChoice { field } => {
                write!(f, "评估矩阵中的字段“{field}”应为 choice 类型")
            }
            P::MissingOptions { field, kind } => {
                write!(f, "字段“{field}”是 {} 类型，缺少 options", kind.name())
            }
            P::DuplicateOption { field, id } => {
                write!(f, "字段“{field}”的选项 id “{id}” 重复")
            }
            P::MissingRows { field } => write!(f, "字段“{field}”是 counts 类型，缺少 rows"),
            P::DuplicateRow { field, id } => write!(f, "字段“{field}”的行 id “{id}” 重复"),
            P::NestedTable { field, kind } => {
                write!(f, "表格列“{field}”不能再是 {} 类型", kind.name())
            }
            P::MissingColumns { field, kind } => {
                write!(f, "字段“{field}”是 {} 类型，缺少 columns", kind.name())
            }
            P::DuplicateColumn { field, id } => write!(
                f,
                "字段“{field}”的列 id “{id}” 重复：列 id 在表格内只能出现一次"
            ),
            P::CountsColumn { column } => write!(f, "表格列“{column}”不能是 counts 类型"),
            P::SharedInRecord {
                field,
                kind,
                column,
            } => write!(
                f,
                "字段“{field}”是 {} 类型，只有一行：列“{column}”不能使用 shared（仅用于 table 的列）",
                kind.name()
            ),
            P::FormRuleInRowRules { kind, table } => write!(
                f,
                "规则 kind = \"{kind}\" 是表单级规则，应写在 [[rules]] 中，而不是表格“{table}”的 row_rules"
            ),
            _ => unreachable!("Problem::fmt sends only these kinds here"),
        }
    }

    /// A table's row rule and the columns it names; a computed value.
    fn fmt_row_rule_or_computed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::RowRefWrongType {
                table,
                rule,
                key,
                name,
                found,
                expected,
            } => write!(
                f,
                "表格“{table}”的行规则 {rule} 的 {key} = “{name}” 是 {} 类型，应为 {expected}",
                found.name()
            ),
            P::RowRefMissing {
                table,
                rule,
                key,
                name,
            } => write!(
                f,
                "表格“{table}”的行规则 {rule} 的 {key} 引用了不存在的列“{name}”"
            ),
            P::MinFieldWithoutMin { rule } => {
                write!(f, "行规则 {rule} 的 min_field 与 min 应同时给出")
            }
            P::ComputedNeedsTable { id, table } => write!(
                f,
                "计算项“{id}”需要 table = 本表单的表格字段，现为 {:?}",
                table.as_deref().unwrap_or("（未给出）")
            ),
            P::ComputedLabels { id } => write!(
                f,
                "计算项“{id}”不是 at_least，不能使用 true_label / false_label"
            ),
            P::ComputedNeedsColumn { id, table } => write!(
                f,
                "计算项“{id}”需要 column = 表格“{table}”中的 number / money 列"
            ),
            P::ComputedNeedsPercent { id } => write!(f, "计算项“{id}”需要 percent"),
            P::ComputedNeedsField { id } => {
                write!(f, "计算项“{id}”需要 field = 本表单的 number / money 字段")
            }
            P::ComputedNeedsMin { id } => write!(f, "计算项“{id}”需要 min"),
            _ => unreachable!("Problem::fmt sends only these kinds here"),
        }
    }
}

/// What the check of the `[scoring]` part found wrong. Amounts are kept as written in
/// the message (`Decimal`'s own text, or normalised where the message normalises).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoringProblem {
    NoSections,
    SectionMax {
        max: Decimal,
    },
    NoIndicators,
    EmptyIndicatorId,
    DuplicateIndicator {
        id: String,
        first: String,
    },
    IndicatorMax {
        max: Decimal,
    },
    IndicatorSum {
        sum: Decimal,
        max: Decimal,
    },
    SectionSum {
        sum: Decimal,
        total: Decimal,
    },
    SharedInput {
        key: String,
        first: String,
        second: String,
    },
    MissingInputText {
        key: String,
    },
    ExecutionOptions,
    OptionsNotExecution,
    UnreadInput {
        key: String,
    },
    /// A score (`what`: `pass_mark`, `tiers[1] 分数`, `below 分数` …) outside 0..=max or
    /// not a multiple of 0.1.
    Score {
        what: String,
        value: Decimal,
        max: Decimal,
    },
    /// A deduction below 0 or not a multiple of 0.1.
    Deduction {
        what: &'static str,
        value: Decimal,
    },
    EmptyTiers,
    NegativeAtLeast {
        tier: usize,
        value: Decimal,
    },
    DuplicateAtLeast {
        value: Decimal,
    },
    NoOptions,
    DuplicateOptionScore {
        option: usize,
        score: Decimal,
    },
    OptionWithoutLabel {
        option: usize,
    },
    EmptyInput,
    StepNotPositive {
        step: Decimal,
    },
    FullAtNotPositive {
        full_at: Decimal,
    },
    ZeroDeduction,
    EmptyRatio,
    SameRatio,
    EmptyPrefix,
}

impl fmt::Display for ScoringProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScoringProblem as S;
        match self {
            S::NoSections => f.write_str("没有任何分区 (sections); expected at least one"),
            S::SectionMax { max } => {
                write!(f, "分值 {max} 应为大于 0 且为 0.1 的整数倍的数")
            }
            S::NoIndicators => f.write_str("分区没有指标 (indicators)"),
            S::EmptyIndicatorId => f.write_str("指标 id 为空"),
            S::DuplicateIndicator { id, first } => {
                write!(f, "指标 id `{id}` 重复（已在 {first} 使用）")
            }
            S::IndicatorMax { max } => {
                write!(f, "指标分值 {max} 应为大于 0 且为 0.1 的整数倍的数")
            }
            S::IndicatorSum { sum, max } => write!(
                f,
                "指标分值之和为 {}，与分区分值 {} 不符",
                sum.normalize(),
                max.normalize()
            ),
            S::SectionSum { sum, total } => write!(
                f,
                "各分区分值之和为 {}，与总分 {} 不符",
                sum.normalize(),
                total.normalize()
            ),
            S::SharedInput { key, first, second } => {
                write!(f, "输入项 `{key}` 同时被指标 `{first}` 和 `{second}` 使用")
            }
            S::MissingInputText { key } => write!(
                f,
                "缺少输入项 `{key}` 的文字；expected `{key} = {{ label = \"…\" }}`"
            ),
            S::ExecutionOptions => f.write_str("options 应依次为 full、partial、none 三项"),
            S::OptionsNotExecution => f.write_str("只有执行情况（execution）输入项可以有 options"),
            S::UnreadInput { key } => write!(f, "输入项 `{key}` 不被任何计算指标读取"),
            S::Score { what, value, max } => write!(
                f,
                "{what} {} 应在 0 到 {} 之间且为 0.1 的整数倍",
                value.normalize(),
                max.normalize()
            ),
            S::Deduction { what, value } => write!(
                f,
                "{what} {} 应为不小于 0 且为 0.1 的整数倍的数",
                value.normalize()
            ),
            S::EmptyTiers => f.write_str("tiers 为空，至少需要一档"),
            S::NegativeAtLeast { tier, value } => {
                write!(f, "tiers[{tier}].at_least {value} 不能为负")
            }
            S::DuplicateAtLeast { value } => {
                write!(f, "tiers 中 at_least = {} 重复", value.normalize())
            }
            S::NoOptions => f.write_str("选择题没有选项 (options)"),
            S::DuplicateOptionScore { option, score } => {
                write!(f, "options[{option}] 分数 {} 重复", score.normalize())
            }
            S::OptionWithoutLabel { option } => write!(f, "options[{option}] 没有 label"),
            S::EmptyInput => f.write_str("input 为空"),
            S::StepNotPositive { step } => write!(f, "step {} 应大于 0", step.normalize()),
            S::FullAtNotPositive { full_at } => {
                write!(f, "full_at {} 应大于 0", full_at.normalize())
            }
            S::ZeroDeduction => f.write_str("deduct 应大于 0"),
            S::EmptyRatio => f.write_str("numerator / denominator 不能为空"),
            S::SameRatio => f.write_str("numerator 与 denominator 相同"),
            S::EmptyPrefix => f.write_str("prefix 为空"),
        }
    }
}

/// What is wrong in a schema file: the TOML does not parse or does not have the
/// schema's shape (the parser's message), or the schema check found a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaErrorKind {
    Toml(String),
    Check(CheckError),
}

impl fmt::Display for SchemaErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaErrorKind::Toml(m) => f.write_str(m),
            SchemaErrorKind::Check(e) => e.fmt(f),
        }
    }
}

/// A problem in a schema file, at its byte span and its 1-based line and column (in
/// characters) — from the TOML parser's spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
    pub kind: SchemaErrorKind,
}

impl SchemaError {
    /// The text a schema's author reads.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.kind)
    }
}

impl std::error::Error for SchemaError {}
