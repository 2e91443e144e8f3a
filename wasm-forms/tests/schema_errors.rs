//! Every kind of schema check error is reported at its own file line and column, found
//! from the TOML parser's spans by the error's path into the schema: the value it is
//! about, or the header (inline table: the `{`) of the table missing a key. The fixture
//! (`fixture/schema_errors.toml`) spells things the ways a search of the text for
//! `key = "value"` gets wrong: the same words earlier in a comment or in another table,
//! single-quoted strings, inline tables, arrays of inline tables, dotted keys, multi-line
//! arrays.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::BTreeSet;

use wasm_forms::schema::{
    parse_toml, Path, Problem as P, SchemaError, SchemaErrorKind, ScoringProblem as S,
};

const BASE: &str = include_str!("fixture/schema_errors.toml");

/// The fixture with the first `from` replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} not in the fixture");
    BASE.replacen(from, to, 1)
}

/// The fixture up to `marker`, then `tail`.
fn before(marker: &str, tail: &str) -> String {
    let i = BASE.find(marker).unwrap_or_else(|| panic!("{marker:?}"));
    format!("{}{tail}", &BASE[..i])
}

/// (case: the kind of error first, source, one of its errors as `line:column: message`).
///
/// The traps for a text search, by case: an id also in a comment (line 2) and
/// single-quoted (`DuplicateFieldId`, `InvalidFieldId`, `FileNameField`); `table =
/// "rows"` in a comment and in a computed value before the rule (`RuleRefMissing`);
/// `input = "rate"` in two comments (`S EmptyInput`); the same id twice in one inline
/// array (`DuplicateOption`, `DuplicateRow`, `DuplicateMatrixLevel`); `kind = "unique"`
/// in a row rule before the form rule (`RowRuleAtFormLevel`); dotted keys (`rule.input`,
/// `inputs.spent`); an item of a multi-line array (`RuleRefWrongType item`); keys
/// missing from an `[[array]]` table, a dotted table and an inline table.
fn cases() -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("InvalidFormId", edit("id = 't'", "id = 'T x'"), "5:6: 表单 id “T x” 无效：应只含小写字母、数字和连字符（如 wenzhou-survey）"),
        ("VersionZero", edit("version = 1", "version = 0"), "7:11: version 应为不小于 1 的整数"),
        ("NoSections", "id = \"x\"\ntitle = \"t\"\nversion = 1\nsections = []\n".into(), "4:12: 表单没有任何 sections：至少需要一个 [[sections]]"),
        ("DuplicateFieldId", edit("{ id = \"end_date\"", "{ id = \"name\""), "16:10: 字段 id “name” 重复：每个字段 id 在表单内只能出现一次"),
        ("DuplicateComputedId", edit("id = \"tenth\"", "id = \"hours\""), "42:6: 计算项 id “hours” 与其他字段或计算项重复：id 在表单内只能出现一次"),
        ("HeadersCount", edit("headers = [\"款项\", \"金额\"]", "headers = [\"款项\"]"), "59:11: 分节“二、经费”的 headers 应有 2 项（表格各列的标题），现有 1 项"),
        ("HeadersCount missing", edit("headers = [\"款项\", \"金额\"]\n", ""), "57:1: 分节“二、经费”的 headers 应有 2 项（表格各列的标题），现有 0 项"),
        ("HeadersNotAllowed", edit("legend = \"四、评分\"", "legend = \"四、评分\"\nheaders = ['x']"), "76:11: 分节“四、评分”不是评估矩阵或固定行表格，不能使用 headers"),
        ("DuplicateMatrixLevel", edit("{ id = \"bad\", label = \"差\" }", "{ id = \"good\", label = \"差\" }"), "70:48: 矩阵等级 id “good” 重复"),
        ("FileNameField", edit("file_name_field = 'name'", "file_name_field = 'hours'"), "9:19: file_name_field “hours” 应为表单顶层的一个 text 字段"),
        ("EmptySignature", edit("'单位（公章）'", "' '"), "8:26: signatures 中有空的签字盖章栏：每项应写出栏目文字"),
        ("ScoringInputIsField", edit("  { id = \"hours\"", "  { id = \"rate\", label = \"完成率\", type = \"number\" },\n  { id = \"hours\""), "17:10: 评分输入项“rate”与同名字段重复：评分指标的输入由 [scoring] 定义，不要再写成字段"),
        ("SurveyRateWithoutSatisfied", edit("label = \"满意\", satisfied = true", "label = \"满意\""), "82:11: 指标“satisfaction”按满意率计分，但份数字段“survey”没有标为 satisfied = true 的等级"),
        ("SurveyRateNotCounts", edit("rule.input = \"survey\"", "rule.input = \"kind\""), "150:14: 指标“satisfaction”按满意率计分，读取的“kind”应为表单中的 counts 字段"),
        ("NoScoringPlace", edit("scoring = true", "scoring = false"), "115:1: 表单有 [scoring]，但没有任何分节设 scoring = true（评分表显示的位置）"),
        ("ScoringWithoutTable", before("[scoring]\n", ""), "76:11: 分节“四、评分”设了 scoring = true，但表单没有 [scoring]"),
        ("RowRuleAtFormLevel", edit("kind = \"min_rows\"\ntable = 'rows'\nmin = { notice = \"min_trainees\" }", "kind = \"unique\"\ncolumn = \"name\""), "111:8: 规则 kind = \"unique\" 是行规则，应写在表格字段的 row_rules 中，而不是表单级 [[rules]]"),
        ("EmptyItems", edit("items = [\n  \"fees.amount\",\n  \"total_fee\",\n]", "items = []"), "98:9: 规则 sum_equals 的 items 为空"),
        ("RuleRefWrongType", edit("start = \"start_date\"", "start = \"name\""), "91:9: 规则 course_days 的 start = “name” 是 text 类型，应为 date"),
        ("RuleRefWrongType item", edit("  \"total_fee\",\n]", "  \"name\",\n]"), "100:3: 规则 sum_equals 的 items = “name” 是 text 类型，应为 number / money"),
        ("RuleRefComputed", edit("end = \"end_date\"", "end = \"total_fee\""), "92:7: 规则 course_days 的 end = “total_fee” 是计算项，应为 date 字段"),
        ("RuleRefMissing", edit("table = 'rows'", "table = 'roster'"), "112:9: 规则 min_rows 的 table 引用了不存在的字段“roster”（应为本表单的 table 字段）"),
        ("MinAboveMax", edit("field = \"name\"\nmin = 1", "field = \"name\"\nmin = 9"), "107:7: 规则 text_length 的 min（9）大于 max（5）"),
        ("InvalidFieldId", edit("{ id = 'name'", "{ id = 'Name'"), "14:10: 字段 id “Name” 无效：应以小写字母开头，只含小写字母、数字和下划线"),
        ("KeyOnWrongType", edit("type = \"date\" },\n  { id = \"end_date\"", "type = \"date\", unit = \"天\" },\n  { id = \"end_date\""), "15:60: 字段“start_date”是 date 类型，不能使用 unit（仅用于 number / money）"),
        ("KeyOnWrongType table", edit("type = \"record\"\n", "type = \"record\"\nmax_chars = 3\n"), "65:13: 字段“fees”是 record 类型，不能使用 max_chars（仅用于 text）"),
        ("CountsWithoutText", edit("text = { caption", "texts = 1\nx = { caption").replace("texts = 1\nx", "#"), "78:1: 字段“survey”是 counts 类型，缺少 text（份数表、导入和汇总的文字）"),
        ("BadStep", edit("step = 0.5", "step = -1"), "17:66: 字段“hours”的 step 应为正数，现为 -1"),
        ("MatrixFieldNotChoice", edit("label = \"问题一\", type = \"choice\"", "label = \"问题一\", type = \"text\""), "71:46: 评估矩阵中的字段“q1”应为 choice 类型"),
        ("MissingOptions", edit("options = [{ id = \"a\", label = \"甲\" }, { id = \"b\", label = \"乙\" }]", "options = []"), "18:59: 字段“kind”是 choice 类型，缺少 options"),
        ("MissingOptions missing", edit(", options = [{ id = \"a\", label = \"甲\" }, { id = \"b\", label = \"乙\" }]", ""), "18:3: 字段“kind”是 choice 类型，缺少 options"),
        ("DuplicateOption", edit("{ id = \"b\", label = \"乙\" }", "{ id = \"a\", label = \"乙\" }"), "18:94: 字段“kind”的选项 id “a” 重复"),
        ("MissingRows", edit("rows = [{ id = \"r1\", label = \"第一项\" }, { id = \"r2\", label = \"第二项\" }]", "rows = []"), "86:8: 字段“survey”是 counts 类型，缺少 rows"),
        ("DuplicateRow", edit("{ id = \"r2\"", "{ id = \"r1\""), "86:46: 字段“survey”的行 id “r1” 重复"),
        ("NestedTable", edit("{ id = \"to\", label = \"结束\", type = \"date\" }", "{ id = \"to\", label = \"结束\", type = \"record\", columns = [{ id = \"x\", label = \"x\", type = \"text\" }] }"), "23:39: 表格列“to”不能再是 record 类型"),
        ("MissingColumns", edit("columns = [{ id = \"amount\", label = \"金额\", type = \"money\" }]", "columns = []"), "65:11: 字段“fees”是 record 类型，缺少 columns"),
        ("DuplicateColumn", edit("{ id = \"to\", label = \"结束\"", "{ id = \"from\", label = \"结束\""), "23:12: 字段“rows”的列 id “from” 重复：列 id 在表格内只能出现一次"),
        ("CountsColumn", edit("label = \"付费\", type = \"bool\"", "label = \"付费\", type = \"counts\""), "24:41: 表格列“paid”不能是 counts 类型"),
        ("SharedInRecord", edit("label = \"金额\", type = \"money\" }", "label = \"金额\", type = \"money\", shared = true }"), "65:68: 字段“fees”是 record 类型，只有一行：列“amount”不能使用 shared（仅用于 table 的列）"),
        ("FormRuleInRowRules", edit("{ kind = \"unique\", column = \"id_number\" }", "{ kind = \"min_rows\", table = \"rows\", min = 1 }"), "27:14: 规则 kind = \"min_rows\" 是表单级规则，应写在 [[rules]] 中，而不是表格“rows”的 row_rules"),
        ("RowRefWrongType", edit("start = \"from\"", "start = \"fee\""), "28:36: 表格“rows”的行规则 date_order 的 start = “fee” 是 money 类型，应为 date"),
        ("RowRefMissing", edit("column = \"id_number\"", "column = \"idno\""), "27:33: 表格“rows”的行规则 unique 的 column 引用了不存在的列“idno”"),
        ("RowRefMissing item", edit("required = [\"fee\"]", "required = [\"fee\", \"tip\"]"), "30:62: 表格“rows”的行规则 when_true 的 required 引用了不存在的列“tip”"),
        ("MinFieldWithoutMin", edit("min_field = \"fee\", min = 1 }", "min_field = \"fee\" }"), "30:75: 行规则 when_true 的 min_field 与 min 应同时给出"),
        ("ComputedNeedsTable", edit("table = \"rows\"\ncolumn", "table = \"name\"\ncolumn"), "38:9: 计算项“total_fee”需要 table = 本表单的表格字段，现为 \"name\""),
        ("ComputedNeedsTable missing", edit("table = \"rows\"\npercent", "percent"), "41:1: 计算项“tenth”需要 table = 本表单的表格字段，现为 \"（未给出）\""),
        ("ComputedLabels", edit("percent = 10", "percent = 10\ntrue_label = \"有\""), "47:14: 计算项“tenth”不是 at_least，不能使用 true_label / false_label"),
        ("ComputedNeedsColumn", edit("column = \"fee\"", "column = \"gender\""), "39:10: 计算项“total_fee”需要 column = 表格“rows”中的 number / money 列"),
        ("ComputedNeedsPercent", edit("percent = 10\n", ""), "41:1: 计算项“tenth”需要 percent"),
        ("ComputedNeedsField", edit("field = \"hours\"", "field = \"name\""), "52:9: 计算项“enough”需要 field = 本表单的 number / money 字段"),
        ("ComputedNeedsMin", edit("min = 8\n", ""), "48:1: 计算项“enough”需要 min"),
        ("S NoSections", before("\n[[scoring.sections]]", "sections = []\n"), "128:12: scoring: 没有任何分区 (sections); expected at least one"),
        ("S SectionMax", edit("label = \"甲\"\nmax = 10", "label = \"甲\"\nmax = 10.05"), "131:7: scoring.sections[0] (甲): 分值 10.05 应为大于 0 且为 0.1 的整数倍的数"),
        ("S NoIndicators", before("\n[[scoring.sections.indicators]]\nid = \"ledger\"", "indicators = []\n"), "157:14: scoring.sections[1] (乙): 分区没有指标 (indicators)"),
        ("S EmptyIndicatorId", edit("id = \"ledger\"", "id = \" \""), "159:6: scoring.sections[1].indicators[0] ( ): 指标 id 为空"),
        ("S DuplicateIndicator", edit("id = \"ratio\"", "id = \"basis\""), "165:6: scoring.sections[1].indicators[1] (basis): 指标 id `basis` 重复（已在 scoring.sections[0].indicators[0] (basis) 使用）"),
        ("S IndicatorMax", edit("label = \"台账\"\nmax = 2", "label = \"台账\"\nmax = 0"), "161:7: scoring.sections[1].indicators[0] (ledger): 指标分值 0 应为大于 0 且为 0.1 的整数倍的数"),
        ("S IndicatorSum", edit("label = \"依据\"\nmax = 2", "label = \"依据\"\nmax = 3"), "131:7: scoring.sections[0] (甲): 指标分值之和为 11，与分区分值 10 不符"),
        ("S SectionSum", edit("total = 20", "total = 30"), "118:9: scoring: 各分区分值之和为 20，与总分 30 不符"),
        ("S SharedInput", edit("numerator = \"spent\"", "numerator = \"rate\""), "168:38: scoring: 输入项 `rate` 同时被指标 `progress` 和 `ratio` 使用"),
        ("S MissingInputText", edit("inputs.spent = { label = \"实际支出\" }\n", ""), "120:1: scoring.inputs: 缺少输入项 `spent` 的文字；expected `spent = { label = \"…\" }`"),
        ("S ExecutionOptions", edit("{ id = \"none\", label = \"不执行\" }", "{ id = \"nothing\", label = \"不执行\" }"), "127:53: scoring.inputs.mgmt_execution: options 应依次为 full、partial、none 三项"),
        ("S OptionsNotExecution", edit("{ label = \"实际支出\" }", "{ label = \"实际支出\", options = [{ id = \"a\", label = \"甲\" }] }"), "123:44: scoring.inputs.spent: 只有执行情况（execution）输入项可以有 options"),
        ("S UnreadInput", edit("inputs.spent =", "inputs.extra = { label = \"多余\" }\ninputs.spent ="), "123:16: scoring.inputs: 输入项 `extra` 不被任何计算指标读取"),
        ("S Score pass_mark", edit("pass_mark = 12", "pass_mark = 25"), "119:13: scoring: pass_mark 25 应在 0 到 20 之间且为 0.1 的整数倍"),
        ("S Score tier", edit("{ at_least = 60, score = 3 }", "{ at_least = 60, score = 6 }"), "151:70: scoring.sections[0].indicators[2] (satisfaction): tiers[1] 分数 6 应在 0 到 5 之间且为 0.1 的整数倍"),
        ("S Score option", edit("{ score = 0, label = \"没有\" }", "{ score = 0.25, label = \"没有\" }"), "137:77: scoring.sections[0].indicators[0] (basis): options[1] 分数 0.25 应在 0 到 2 之间且为 0.1 的整数倍"),
        ("S Score below", edit("rule.below = 1", "rule.below = 9"), "152:14: scoring.sections[0].indicators[2] (satisfaction): below 分数 9 应在 0 到 5 之间且为 0.1 的整数倍"),
        ("S Deduction", edit("deduct = 0.2", "deduct = 0.25"), "143:80: scoring.sections[0].indicators[1] (progress): deduct 0.25 应为不小于 0 且为 0.1 的整数倍的数"),
        ("S Deduction table", edit("defects = 1", "defects = -1"), "181:11: scoring.sections[1].indicators[2] (mgmt): defects -1 应为不小于 0 且为 0.1 的整数倍的数"),
        ("S EmptyTiers", edit("rule.tiers = [{ at_least = 90, score = 5 }, { at_least = 60, score = 3 }]", "rule.tiers = []"), "151:14: scoring.sections[0].indicators[2] (satisfaction): tiers 为空，至少需要一档"),
        ("S NegativeAtLeast", edit("{ at_least = 80, score = 2 }", "{ at_least = -5, score = 2 }"), "170:16: scoring.sections[1].indicators[1] (ratio): tiers[1].at_least -5 不能为负"),
        ("S DuplicateAtLeast", edit("{ at_least = 80, score = 2 }", "{ at_least = 100, score = 2 }"), "170:16: scoring.sections[1].indicators[1] (ratio): tiers 中 at_least = 100 重复"),
        ("S NoOptions", edit("options = [{ score = 2, label = \"充分\" }, { score = 0, label = \"没有\" }]", "options = []"), "137:37: scoring.sections[0].indicators[0] (basis): 选择题没有选项 (options)"),
        ("S DuplicateOptionScore", edit("{ score = 0, label = \"没有\" }", "{ score = 2, label = \"没有\" }"), "137:77: scoring.sections[0].indicators[0] (basis): options[1] 分数 2 重复"),
        ("S OptionWithoutLabel", edit("label = \"没有\"", "label = \"\""), "137:88: scoring.sections[0].indicators[0] (basis): options[1] 没有 label"),
        ("S EmptyInput", edit("input = \"rate\", full_at", "input = \"\", full_at"), "143:38: scoring.sections[0].indicators[1] (progress): input 为空"),
        ("S StepNotPositive", edit("step = 5", "step = 0"), "143:68: scoring.sections[0].indicators[1] (progress): step 0 应大于 0"),
        ("S FullAtNotPositive", edit("full_at = 100", "full_at = 0"), "143:56: scoring.sections[0].indicators[1] (progress): full_at 0 应大于 0"),
        ("S ZeroDeduction", edit("deduct = 0.5", "deduct = 0"), "162:41: scoring.sections[1].indicators[0] (ledger): deduct 应大于 0"),
        ("S EmptyRatio", edit("numerator = \"spent\"", "numerator = \"\""), "168:38: scoring.sections[1].indicators[1] (ratio): numerator / denominator 不能为空"),
        ("S SameRatio", edit("denominator = \"received\"", "denominator = \"spent\""), "168:61: scoring.sections[1].indicators[1] (ratio): numerator 与 denominator 相同"),
        ("S EmptyPrefix", edit("prefix = \"mgmt\"", "prefix = \"\""), "180:10: scoring.sections[1].indicators[2] (mgmt): prefix 为空"),
    ]
}

/// The name of the kind of a check error (`DuplicateFieldId`, `S Score`), spelled out
/// for every kind so that a new kind fails to compile until it is listed here.
fn kind_of(e: &SchemaError) -> &'static str {
    let SchemaErrorKind::Check(c) = &e.kind else {
        return "Toml";
    };
    match &c.problem {
        P::InvalidFormId { .. } => "InvalidFormId",
        P::VersionZero => "VersionZero",
        P::NoSections => "NoSections",
        P::DuplicateFieldId { .. } => "DuplicateFieldId",
        P::DuplicateComputedId { .. } => "DuplicateComputedId",
        P::HeadersCount { .. } => "HeadersCount",
        P::HeadersNotAllowed { .. } => "HeadersNotAllowed",
        P::DuplicateMatrixLevel { .. } => "DuplicateMatrixLevel",
        P::FileNameField { .. } => "FileNameField",
        P::EmptySignature => "EmptySignature",
        P::ScoringInputIsField { .. } => "ScoringInputIsField",
        P::SurveyRateWithoutSatisfied { .. } => "SurveyRateWithoutSatisfied",
        P::SurveyRateNotCounts { .. } => "SurveyRateNotCounts",
        P::NoScoringPlace => "NoScoringPlace",
        P::ScoringWithoutTable { .. } => "ScoringWithoutTable",
        P::RowRuleAtFormLevel { .. } => "RowRuleAtFormLevel",
        P::EmptyItems { .. } => "EmptyItems",
        P::RuleRefWrongType { .. } => "RuleRefWrongType",
        P::RuleRefComputed { .. } => "RuleRefComputed",
        P::RuleRefMissing { .. } => "RuleRefMissing",
        P::MinAboveMax { .. } => "MinAboveMax",
        P::InvalidFieldId { .. } => "InvalidFieldId",
        P::KeyOnWrongType { .. } => "KeyOnWrongType",
        P::CountsWithoutText { .. } => "CountsWithoutText",
        P::BadStep { .. } => "BadStep",
        P::MatrixFieldNotChoice { .. } => "MatrixFieldNotChoice",
        P::MissingOptions { .. } => "MissingOptions",
        P::DuplicateOption { .. } => "DuplicateOption",
        P::MissingRows { .. } => "MissingRows",
        P::DuplicateRow { .. } => "DuplicateRow",
        P::NestedTable { .. } => "NestedTable",
        P::MissingColumns { .. } => "MissingColumns",
        P::DuplicateColumn { .. } => "DuplicateColumn",
        P::CountsColumn { .. } => "CountsColumn",
        P::SharedInRecord { .. } => "SharedInRecord",
        P::FormRuleInRowRules { .. } => "FormRuleInRowRules",
        P::RowRefWrongType { .. } => "RowRefWrongType",
        P::RowRefMissing { .. } => "RowRefMissing",
        P::MinFieldWithoutMin { .. } => "MinFieldWithoutMin",
        P::ComputedNeedsTable { .. } => "ComputedNeedsTable",
        P::ComputedLabels { .. } => "ComputedLabels",
        P::ComputedNeedsColumn { .. } => "ComputedNeedsColumn",
        P::ComputedNeedsPercent { .. } => "ComputedNeedsPercent",
        P::ComputedNeedsField { .. } => "ComputedNeedsField",
        P::ComputedNeedsMin { .. } => "ComputedNeedsMin",
        P::Scoring { what, .. } => match what {
            S::NoSections => "S NoSections",
            S::SectionMax { .. } => "S SectionMax",
            S::NoIndicators => "S NoIndicators",
            S::EmptyIndicatorId => "S EmptyIndicatorId",
            S::DuplicateIndicator { .. } => "S DuplicateIndicator",
            S::IndicatorMax { .. } => "S IndicatorMax",
            S::IndicatorSum { .. } => "S IndicatorSum",
            S::SectionSum { .. } => "S SectionSum",
            S::SharedInput { .. } => "S SharedInput",
            S::MissingInputText { .. } => "S MissingInputText",
            S::ExecutionOptions => "S ExecutionOptions",
            S::OptionsNotExecution => "S OptionsNotExecution",
            S::UnreadInput { .. } => "S UnreadInput",
            S::Score { .. } => "S Score",
            S::Deduction { .. } => "S Deduction",
            S::EmptyTiers => "S EmptyTiers",
            S::NegativeAtLeast { .. } => "S NegativeAtLeast",
            S::DuplicateAtLeast { .. } => "S DuplicateAtLeast",
            S::NoOptions => "S NoOptions",
            S::DuplicateOptionScore { .. } => "S DuplicateOptionScore",
            S::OptionWithoutLabel { .. } => "S OptionWithoutLabel",
            S::EmptyInput => "S EmptyInput",
            S::StepNotPositive { .. } => "S StepNotPositive",
            S::FullAtNotPositive { .. } => "S FullAtNotPositive",
            S::ZeroDeduction => "S ZeroDeduction",
            S::EmptyRatio => "S EmptyRatio",
            S::SameRatio => "S SameRatio",
            S::EmptyPrefix => "S EmptyPrefix",
        },
    }
}

/// The kind a case is about: its first word (`S` and the next for scoring kinds).
fn case_kind(case: &str) -> String {
    let n = if case.starts_with("S ") { 2 } else { 1 };
    case.split(' ').take(n).collect::<Vec<_>>().join(" ")
}

#[test]
fn the_fixture_is_sound() {
    let errs = parse_toml(BASE).err().unwrap_or_default();
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn each_kind_of_check_error_is_at_its_line_and_column() {
    let mut failures = Vec::new();
    for (case, src, want) in cases() {
        let errs = parse_toml(&src).expect_err(case);
        let hit = errs.iter().find(|e| e.to_string() == want);
        match hit {
            Some(e) if kind_of(e) == case_kind(case) => {}
            _ => failures.push(format!(
                "{case}: want {want}\n  got:\n    {}",
                errs.iter()
                    .map(|e| format!("{e} [{}]", kind_of(e)))
                    .collect::<Vec<_>>()
                    .join("\n    ")
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_of_check_error_has_a_case() {
    let covered: BTreeSet<String> = cases().iter().map(|(c, _, _)| case_kind(c)).collect();
    // Every kind named in `kind_of`, read from this file.
    let src = include_str!("schema_errors.rs");
    let listed: BTreeSet<String> = src
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_suffix("\",")
                .and_then(|l| l.rsplit_once("=> \""))
        })
        .map(|(_, k)| k.to_owned())
        .collect();
    assert!(listed.len() > 70, "{listed:?}");
    let missing: Vec<&String> = listed.difference(&covered).collect();
    assert!(missing.is_empty(), "kinds without a case: {missing:?}");
}

/// Several problems of one file are all reported, each at its own place, in file order.
#[test]
fn all_problems_of_a_file_come_together_in_file_order() {
    let src = BASE
        .replacen("version = 1", "version = 0", 1)
        .replacen(
            "{ id = \"b\", label = \"乙\" }",
            "{ id = \"a\", label = \"乙\" }",
            1,
        )
        .replacen("deduct = 0.5", "deduct = 0", 1);
    let errs: Vec<String> = parse_toml(&src)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        [
            "7:11: version 应为不小于 1 的整数",
            "18:94: 字段“kind”的选项 id “a” 重复",
            "162:41: scoring.sections[1].indicators[0] (ledger): deduct 应大于 0",
        ]
    );
}

/// Errors of the TOML's shape (unknown keys and kinds, wrong types) are where the parser
/// puts them; inside a rule, at the key or the kind it names.
#[test]
fn shape_errors_point_at_the_word_they_name() {
    let cases = [
        ("unknown key of an inline field", edit("max_chars = 10 }", "max_chars = 10, colour = 1 }"), "14:63: unknown field `colour`, expected one of `id`, `label`, `type`, `required`, `help`, `group`, `autocomplete`, `min`, `min_exclusive`, `max`, `step`, `integer`, `unit`, `max_chars`, `multiline`, `options`, `true_label`, `false_label`, `columns`, `row_rules`, `rows`, `text`, `prefill`, `shared`"),
        ("unknown field type", edit("type = \"date\" },\n  { id = \"end_date\"", "type = \"datum\" },\n  { id = \"end_date\""), "15:45: unknown variant `datum`, expected one of `id_number`, `mobile`, `phone`, `email`, `postcode`, `qq`, `date`, `number`, `money`, `text`, `choice`, `bool`, `table`, `record`, `counts`"),
        ("unknown rule kind, also in a comment of its table", edit("kind = \"course_days\"", "# not \"course_weeks\"\nkind = \"course_weeks\""), "91:8: unknown variant `course_weeks`, expected one of `sum_equals`, `min_rows`, `at_least`, `course_days`, `due_before`, `text_length`, `min_items`, `date_order`, `unique`, `gender_matches_id`, `when_true`, `days_within_dates`"),
        ("unknown key of a rule, also in a comment of its table", edit("kind = \"text_length\"\nfield = \"name\"", "# colour = 1 is no key of a rule\nkind = \"text_length\"\nfield = \"name\"\ncolour = 1"), "108:1: unknown field `colour`, expected one of `field`, `min`, `max`, `severity`"),
        ("unknown key of an inline row rule", edit("{ kind = \"unique\", column = \"id_number\" }", "{ kind = \"unique\", column = \"id_number\", colour = 1 }"), "27:46: unknown field `colour`, expected `column` or `severity`"),
        ("unknown notice number", edit("notice = \"min_trainees\"", "notice = \"min_people\""), "113:18: unknown variant `min_people`, expected one of `min_trainees`, `min_hours`, `days_min`, `days_max`, `plan_due_working_days`, `report_due_working_days`"),
        ("unknown key of a dotted scoring rule", edit("rule.below = 1", "rule.below = 1\nrule.colour = 1"), "153:6: unknown field `colour`, expected one of `input`, `tiers`, `below`"),
        ("unknown kind of a scoring rule table", edit("kind = \"established\"", "kind = \"establish\""), "179:8: unknown variant `establish`, expected one of `choice`, `step_rate`, `per_finding`, `tiers`, `survey_rate`, `established`"),
        ("missing key of the file (a comment first)", edit("title = \"测试表\"\n", ""), "5:1: missing field `title`"),
        ("missing key of an inline field", edit("label = \"姓名\", ", ""), "14:3: missing field `label`"),
        ("missing kind of a rule", edit("kind = \"min_rows\"\n", ""), "110:1: missing field `kind`"),
        ("wrong type", edit("version = 1", "version = \"1\""), "7:11: invalid type: string \"1\", expected u32"),
    ];
    let mut failures = Vec::new();
    for (case, src, want) in cases {
        let errs: Vec<String> = parse_toml(&src)
            .expect_err(case)
            .iter()
            .map(ToString::to_string)
            .collect();
        if errs != [want] {
            failures.push(format!("{case}: want {want}, got {errs:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_path_reads_as_written() {
    let p = Path::root()
        .key("scoring")
        .item("sections", 1)
        .item("indicators", 0)
        .key("rule")
        .item("tiers", 2);
    assert_eq!(
        p.to_string(),
        "scoring.sections[1].indicators[0].rule.tiers[2]"
    );
    assert_eq!(
        Path::root()
            .key("scoring")
            .key("inputs")
            .name("spent")
            .to_string(),
        "scoring.inputs.spent"
    );
}
