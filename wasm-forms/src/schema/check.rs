//! Semantic checks of a parsed schema: duplicate ids, keys on the wrong field type,
//! rule and computed references, rules in the wrong place. Every problem is a typed
//! [`Problem`] at the [`Path`] of the value it is about (or of the table missing a key).

use std::collections::BTreeMap;

use super::error::{CheckError, KeyUse, Path, Problem as P};
use super::{Computed, ComputedKind, Field, FieldType, FormSchema, Rule, Section};
use crate::choice::ChoiceOption;
use crate::scoring::Scoring;

struct Checker {
    errors: Vec<CheckError>,
}

impl FormSchema {
    /// Semantic checks after parsing: duplicate ids, type-specific keys on the wrong
    /// type, rule references, rules in the wrong place. Used by [`super::parse_toml`]
    /// (which turns each path into a line and column) and usable on a schema received
    /// as JSON.
    pub fn check(&self) -> Vec<CheckError> {
        check(self)
    }

    /// The path of the top-level field with this id (`sections[1].fields[0]`).
    fn field_path(&self, id: &str) -> Option<Path> {
        self.sections.iter().enumerate().find_map(|(si, s)| {
            let fi = s.fields.iter().position(|f| f.id == id)?;
            Some(Path::root().item("sections", si).item("fields", fi))
        })
    }
}

impl Checker {
    fn err(&mut self, at: Path, problem: P) {
        self.errors.push(CheckError::new(at, problem));
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
    let mut c = Checker { errors: Vec::new() };
    let root = Path::root();
    if schema.id.is_empty()
        || !schema
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        c.err(
            root.key("id"),
            P::InvalidFormId {
                id: schema.id.clone(),
            },
        );
    }
    if schema.version == 0 {
        c.err(root.key("version"), P::VersionZero);
    }
    if schema.sections.is_empty() {
        c.err(root.key("sections"), P::NoSections);
    }

    let names = check_sections(&mut c, schema);
    for (si, section) in schema.sections.iter().enumerate() {
        for (ci, comp) in section.computed.iter().enumerate() {
            check_computed(
                &mut c,
                schema,
                comp,
                &root.item("sections", si).item("computed", ci),
            );
        }
    }
    if let Some(id) = &schema.file_name_field {
        if !schema.field(id).is_some_and(|f| f.kind == FieldType::Text) {
            c.err(
                root.key("file_name_field"),
                P::FileNameField { id: id.clone() },
            );
        }
    }
    for (i, sig) in schema.signatures.iter().enumerate() {
        if sig.trim().is_empty() {
            c.err(root.item("signatures", i), P::EmptySignature);
        }
    }
    if let Some(scoring) = &schema.scoring {
        check_scoring(&mut c, schema, scoring, &names);
    } else if let Some(si) = schema.sections.iter().position(|s| s.scoring) {
        let s = &schema.sections[si];
        c.err(
            root.item("sections", si).key("scoring"),
            P::ScoringWithoutTable {
                legend: s.legend.clone(),
            },
        );
    }
    for (ri, rule) in schema.rules.iter().enumerate() {
        let at = root.item("rules", ri);
        if rule.is_row_rule() {
            c.err(at.key("kind"), P::RowRuleAtFormLevel { kind: rule.kind() });
            continue;
        }
        check_form_rule(&mut c, schema, rule, &at);
    }
    c.errors
}

/// The sections in order: their fields (whose ids and computed ids share one namespace,
/// returned), their column headings and matrix levels.
fn check_sections<'a>(c: &mut Checker, schema: &'a FormSchema) -> BTreeMap<&'a str, ()> {
    let root = Path::root();
    // Top-level names: fields and computed values share one namespace.
    let mut names: BTreeMap<&str, ()> = BTreeMap::new();
    for (si, section) in schema.sections.iter().enumerate() {
        let sp = root.item("sections", si);
        for (fi, field) in section.fields.iter().enumerate() {
            let at = sp.item("fields", fi);
            if names.insert(&field.id, ()).is_some() {
                c.err(
                    at.key("id"),
                    P::DuplicateFieldId {
                        id: field.id.clone(),
                    },
                );
            }
            let matrix = Some(section.matrix.as_slice()).filter(|m| !m.is_empty());
            check_field(c, field, &at, matrix, false);
        }
        for (ci, comp) in section.computed.iter().enumerate() {
            if names.insert(&comp.id, ()).is_some() {
                c.err(
                    sp.item("computed", ci).key("id"),
                    P::DuplicateComputedId {
                        id: comp.id.clone(),
                    },
                );
            }
        }
        check_headers(c, section, &sp);
        let mut levels = BTreeMap::new();
        for (li, o) in section.matrix.iter().enumerate() {
            if levels.insert(o.id.as_str(), ()).is_some() {
                c.err(
                    sp.item("matrix", li).key("id"),
                    P::DuplicateMatrixLevel { id: o.id.clone() },
                );
            }
        }
    }
    names
}

/// The column headings of the section at `sp`.
fn check_headers(c: &mut Checker, section: &Section, sp: &Path) {
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
            sp.key("headers"),
            P::HeadersCount {
                legend: section.legend.clone(),
                want: n,
                got: section.headers.len(),
            },
        ),
        None if !section.headers.is_empty() => c.err(
            sp.key("headers"),
            P::HeadersNotAllowed {
                legend: section.legend.clone(),
            },
        ),
        _ => {}
    }
}

/// The `[scoring]` part with the form: its inputs apart from the fields, the counts
/// field each survey-rate indicator reads, and a section to show it in.
fn check_scoring(
    c: &mut Checker,
    schema: &FormSchema,
    scoring: &Scoring,
    names: &BTreeMap<&str, ()>,
) {
    let root = Path::root();
    c.errors.extend(scoring.check());
    for (key, kind) in scoring.input_keys() {
        // A counts field may hold the survey counts a survey-rate indicator reads.
        let shared_ok = kind == crate::scoring::InputKind::Survey
            && schema
                .field(&key)
                .is_some_and(|f| f.kind == FieldType::Counts);
        if names.contains_key(key.as_str()) && !shared_ok {
            // The field or computed value of that name.
            let at = schema.field_path(&key).map(|p| p.key("id")).or_else(|| {
                schema.sections.iter().enumerate().find_map(|(si, s)| {
                    let ci = s.computed.iter().position(|c| c.id == key)?;
                    Some(root.item("sections", si).item("computed", ci).key("id"))
                })
            });
            c.err(
                at.unwrap_or_else(|| root.key("scoring")),
                P::ScoringInputIsField { key },
            );
        }
    }
    // r counts the satisfied levels of the counts field the survey_rate rule reads.
    for (si, sec) in scoring.sections.iter().enumerate() {
        for (ii, ind) in sec.indicators.iter().enumerate() {
            let crate::scoring::Rule::SurveyRate { input, .. } = &ind.rule else {
                continue;
            };
            match schema.field(input) {
                Some(f) if f.kind == FieldType::Counts => {
                    if !f.options.iter().any(|o| o.satisfied) {
                        let at = schema
                            .field_path(input)
                            .map_or_else(|| root.key("scoring"), |p| p.key("options"));
                        c.err(
                            at,
                            P::SurveyRateWithoutSatisfied {
                                indicator: ind.id.clone(),
                                input: input.clone(),
                            },
                        );
                    }
                }
                _ => c.err(
                    root.key("scoring")
                        .item("sections", si)
                        .item("indicators", ii)
                        .key("rule")
                        .key("input"),
                    P::SurveyRateNotCounts {
                        indicator: ind.id.clone(),
                        input: input.clone(),
                    },
                ),
            }
        }
    }
    let has_place = schema.sections.iter().any(|s| s.scoring);
    if !has_place {
        c.err(root.key("scoring"), P::NoScoringPlace);
    }
}

/// Checks one field at `at`; `matrix`: the levels of the rating matrix it is a row of.
fn check_field(
    c: &mut Checker,
    field: &Field,
    at: &Path,
    matrix: Option<&[ChoiceOption]>,
    in_table: bool,
) {
    let t = field.kind;
    let id = field.id.as_str();
    if !valid_id(id) {
        c.err(at.key("id"), P::InvalidFieldId { id: id.to_owned() });
    }
    check_keys(c, field, at, in_table);
    check_options_and_rows(c, field, at, matrix);
    if matches!(t, FieldType::Table | FieldType::Record) {
        check_columns(c, field, at, in_table);
    }
    let field_id = || id.to_owned();
    for (ri, rule) in field.row_rules.iter().enumerate() {
        let rat = at.item("row_rules", ri);
        if !rule.is_row_rule() {
            c.err(
                rat.key("kind"),
                P::FormRuleInRowRules {
                    kind: rule.kind(),
                    table: field_id(),
                },
            );
            continue;
        }
        check_row_rule(c, field, rule, &rat);
    }
}

/// The keys of a field that its type does not take (`min` on a text field).
fn check_keys(c: &mut Checker, field: &Field, at: &Path, in_table: bool) {
    let t = field.kind;
    let id = field.id.as_str();
    // A key used on a type it does not belong to: the error is at that key's value.
    let mut wrong = |key: &'static str, at_key: Path, allowed: &'static str| {
        c.err(
            at_key,
            P::KeyOnWrongType {
                field: id.to_owned(),
                kind: t,
                key: (key, allowed) as KeyUse,
            },
        );
    };
    if !is_numeric(t) {
        if field.min.is_some() {
            wrong("min", at.key("min"), "number / money");
        }
        if field.max.is_some() {
            wrong("max", at.key("max"), "number / money");
        }
        if field.min_exclusive {
            wrong("min_exclusive", at.key("min_exclusive"), "number / money");
        }
        if field.unit.is_some() {
            wrong("unit", at.key("unit"), "number / money");
        }
    }
    if t != FieldType::Number {
        if field.step.is_some() {
            wrong("step", at.key("step"), "number");
        }
        if field.integer {
            wrong("integer", at.key("integer"), "number");
        }
    }
    if t != FieldType::Text {
        if field.max_chars.is_some() {
            wrong("max_chars", at.key("max_chars"), "text");
        }
        if field.multiline {
            wrong("multiline", at.key("multiline"), "text");
        }
    }
    if t != FieldType::Bool && (field.true_label.is_some() || field.false_label.is_some()) {
        let key = if field.true_label.is_some() {
            "true_label"
        } else {
            "false_label"
        };
        wrong("true_label / false_label", at.key(key), "bool");
    }
    if field.shared && !in_table {
        wrong("shared", at.key("shared"), "table 的列");
    }
    if !matches!(t, FieldType::Choice | FieldType::Counts) && !field.options.is_empty() {
        wrong("options", at.key("options"), "choice / counts");
    }
    if !matches!(t, FieldType::Table | FieldType::Record) && !field.columns.is_empty() {
        wrong("columns", at.key("columns"), "table / record");
    }
    if t != FieldType::Table && !field.row_rules.is_empty() {
        wrong("row_rules", at.key("row_rules"), "table");
    }
    if t != FieldType::Counts && !field.rows.is_empty() {
        wrong("rows", at.key("rows"), "counts");
    }
    if t != FieldType::Counts && field.text.is_some() {
        wrong("text", at.key("text"), "counts");
    }
    if t != FieldType::Text && field.prefill.is_some() {
        wrong("prefill", at.key("prefill"), "text");
    }
    if !matches!(t, FieldType::Choice | FieldType::Counts) {
        if let Some(oi) = field.options.iter().position(|o| o.satisfied) {
            wrong(
                "satisfied",
                at.item("options", oi).key("satisfied"),
                "counts levels",
            );
        }
    }
}

/// A field's step, its options (choice, counts, a matrix row) and a counts field's rows.
fn check_options_and_rows(
    c: &mut Checker,
    field: &Field,
    at: &Path,
    matrix: Option<&[ChoiceOption]>,
) {
    let t = field.kind;
    let id = field.id.as_str();
    let field_id = || id.to_owned();
    if t == FieldType::Counts && field.text.is_none() {
        c.err(at.key("text"), P::CountsWithoutText { field: field_id() });
    }
    if let Some(step) = field.step {
        if !(step > 0.0 && step.is_finite()) {
            c.err(
                at.key("step"),
                P::BadStep {
                    field: field_id(),
                    step: step.to_string(),
                },
            );
        }
    }
    if matrix.is_some() && t != FieldType::Choice {
        c.err(
            at.key("type"),
            P::MatrixFieldNotChoice { field: field_id() },
        );
    }
    if matches!(t, FieldType::Choice | FieldType::Counts) {
        if field.options.is_empty() {
            c.err(
                at.key("options"),
                P::MissingOptions {
                    field: field_id(),
                    kind: t,
                },
            );
        }
        // Levels a matrix row takes from its section are checked there, once.
        let inherited = matrix.is_some_and(|m| m == field.options.as_slice());
        let mut seen = BTreeMap::new();
        for (oi, o) in field.options.iter().enumerate().filter(|_| !inherited) {
            if seen.insert(o.id.as_str(), ()).is_some() {
                c.err(
                    at.item("options", oi).key("id"),
                    P::DuplicateOption {
                        field: field_id(),
                        id: o.id.clone(),
                    },
                );
            }
        }
    }
    if t == FieldType::Counts {
        if field.rows.is_empty() {
            c.err(at.key("rows"), P::MissingRows { field: field_id() });
        }
        let mut seen = BTreeMap::new();
        for (ri, r) in field.rows.iter().enumerate() {
            if seen.insert(r.id.as_str(), ()).is_some() {
                c.err(
                    at.item("rows", ri).key("id"),
                    P::DuplicateRow {
                        field: field_id(),
                        id: r.id.clone(),
                    },
                );
            }
        }
    }
}

/// The columns of a table or record field, each checked as a field of a table.
fn check_columns(c: &mut Checker, field: &Field, at: &Path, in_table: bool) {
    let t = field.kind;
    let id = field.id.as_str();
    let field_id = || id.to_owned();
    if in_table {
        c.err(
            at.key("type"),
            P::NestedTable {
                field: field_id(),
                kind: t,
            },
        );
    }
    if field.columns.is_empty() {
        c.err(
            at.key("columns"),
            P::MissingColumns {
                field: field_id(),
                kind: t,
            },
        );
    }
    let mut seen = BTreeMap::new();
    for (ci, col) in field.columns.iter().enumerate() {
        let cat = at.item("columns", ci);
        if seen.insert(col.id.as_str(), ()).is_some() {
            c.err(
                cat.key("id"),
                P::DuplicateColumn {
                    field: field_id(),
                    id: col.id.clone(),
                },
            );
        }
        if matches!(col.kind, FieldType::Counts) {
            c.err(
                cat.key("type"),
                P::CountsColumn {
                    column: col.id.clone(),
                },
            );
        }
        if col.shared && t != FieldType::Table {
            c.err(
                cat.key("shared"),
                P::SharedInRecord {
                    field: field_id(),
                    kind: t,
                    column: col.id.clone(),
                },
            );
        }
        check_field(c, col, &cat, None, true);
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
type Want<'w> = (fn(FieldType) -> bool, &'static str, bool);

/// Checks the name a form rule's `key` gives (at `at`: the key's value, or one item of
/// it).
fn expect_type(
    c: &mut Checker,
    schema: &FormSchema,
    (rule, key): (&'static str, &'static str),
    name: &str,
    at: Path,
    want: Want<'_>,
) {
    let (ok, expected, computed_ok) = want;
    let name_s = name.to_owned();
    match resolve(schema, name) {
        Some(Target::Field(f)) if ok(f.kind) => {}
        Some(Target::Computed) if computed_ok => {}
        Some(Target::Field(f)) => c.err(
            at,
            P::RuleRefWrongType {
                rule,
                key,
                name: name_s,
                found: f.kind,
                expected,
            },
        ),
        Some(Target::Computed) => c.err(
            at,
            P::RuleRefComputed {
                rule,
                key,
                name: name_s,
                expected,
            },
        ),
        None => c.err(
            at,
            P::RuleRefMissing {
                rule,
                key,
                name: name_s,
                expected,
            },
        ),
    }
}

fn check_form_rule(c: &mut Checker, schema: &FormSchema, rule: &Rule, at: &Path) {
    let k = rule.kind();
    let date = |t: FieldType| t == FieldType::Date;
    let text = |t: FieldType| t == FieldType::Text;
    let num = is_numeric;
    let expect = |c: &mut Checker, key: &'static str, name: &str, want: Want<'_>| {
        expect_type(c, schema, (k, key), name, at.key(key), want)
    };
    match rule {
        Rule::SumEquals { items, total, .. } => {
            if items.is_empty() {
                c.err(at.key("items"), P::EmptyItems { rule: k });
            }
            for (i, item) in items.iter().enumerate() {
                expect_type(
                    c,
                    schema,
                    (k, "items"),
                    item,
                    at.item("items", i),
                    (num, "number / money", true),
                );
            }
            expect(c, "total", total, (num, "number / money", true));
        }
        Rule::MinRows { table, .. } => expect(
            c,
            "table",
            table,
            (|t| t == FieldType::Table, "table", false),
        ),
        Rule::AtLeast { value, .. } => expect(c, "value", value, (num, "number / money", true)),
        Rule::CourseDays { start, end, .. } => {
            expect(c, "start", start, (date, "date", false));
            expect(c, "end", end, (date, "date", false));
        }
        Rule::DueBefore { field, before, .. } => {
            expect(c, "field", field, (date, "date", false));
            expect(c, "before", before, (date, "date", false));
        }
        Rule::TextLength {
            field, min, max, ..
        } => {
            expect(c, "field", field, (text, "text", false));
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    c.err(
                        at.key("min"),
                        P::MinAboveMax {
                            rule: k,
                            min: *a,
                            max: *b,
                        },
                    );
                }
            }
        }
        Rule::MinItems { field, .. } => expect(c, "field", field, (text, "text", false)),
        _ => {}
    }
}

fn check_row_rule(c: &mut Checker, table: &Field, rule: &Rule, at: &Path) {
    let k = rule.kind();
    let col = |c: &mut Checker,
               key: &'static str,
               name: &str,
               at: Path,
               ok: fn(FieldType) -> bool,
               expected: &'static str| {
        match table.columns.iter().find(|f| f.id == name) {
            Some(f) if ok(f.kind) => {}
            Some(f) => c.err(
                at,
                P::RowRefWrongType {
                    table: table.id.clone(),
                    rule: k,
                    key,
                    name: name.to_owned(),
                    found: f.kind,
                    expected,
                },
            ),
            None => c.err(
                at,
                P::RowRefMissing {
                    table: table.id.clone(),
                    rule: k,
                    key,
                    name: name.to_owned(),
                },
            ),
        }
    };
    let date = |t: FieldType| t == FieldType::Date;
    let any = |_: FieldType| true;
    match rule {
        Rule::DateOrder { start, end, .. } => {
            col(c, "start", start, at.key("start"), date, "date");
            col(c, "end", end, at.key("end"), date, "date");
        }
        Rule::Unique { column, .. } => col(c, "column", column, at.key("column"), any, "任意类型"),
        Rule::GenderMatchesId {
            gender, id_number, ..
        } => {
            col(
                c,
                "gender",
                gender,
                at.key("gender"),
                |t| t == FieldType::Choice,
                "choice",
            );
            col(
                c,
                "id_number",
                id_number,
                at.key("id_number"),
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
            col(
                c,
                "field",
                field,
                at.key("field"),
                |t| t == FieldType::Bool,
                "bool",
            );
            for (i, r) in required.iter().enumerate() {
                col(c, "required", r, at.item("required", i), any, "任意类型");
            }
            if let Some(m) = min_field {
                col(
                    c,
                    "min_field",
                    m,
                    at.key("min_field"),
                    is_numeric,
                    "number / money",
                );
            }
            if min_field.is_some() != min.is_some() {
                let given = if min_field.is_some() {
                    "min_field"
                } else {
                    "min"
                };
                c.err(at.key(given), P::MinFieldWithoutMin { rule: k });
            }
        }
        Rule::DaysWithinDates {
            days, start, end, ..
        } => {
            col(c, "days", days, at.key("days"), is_numeric, "number");
            col(c, "start", start, at.key("start"), date, "date");
            col(c, "end", end, at.key("end"), date, "date");
        }
        _ => {}
    }
}

fn check_computed(c: &mut Checker, schema: &FormSchema, comp: &Computed, at: &Path) {
    let id = comp.id.as_str();
    let table = comp
        .table
        .as_deref()
        .and_then(|t| schema.field(t))
        .filter(|f| f.kind == FieldType::Table);
    let need_table = |c: &mut Checker| {
        c.err(
            at.key("table"),
            P::ComputedNeedsTable {
                id: id.to_owned(),
                table: comp.table.clone(),
            },
        )
    };
    if comp.kind != ComputedKind::AtLeast
        && (comp.true_label.is_some() || comp.false_label.is_some())
    {
        let key = if comp.true_label.is_some() {
            "true_label"
        } else {
            "false_label"
        };
        c.err(at.key(key), P::ComputedLabels { id: id.to_owned() });
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
                    at.key("column"),
                    P::ComputedNeedsColumn {
                        id: id.to_owned(),
                        table: t.id.clone(),
                    },
                );
            }
        }
        ComputedKind::PercentOfRows => {
            if table.is_none() {
                need_table(c);
            }
            if comp.percent.is_none() {
                c.err(
                    at.key("percent"),
                    P::ComputedNeedsPercent { id: id.to_owned() },
                );
            }
        }
        ComputedKind::AtLeast => {
            let ok = comp
                .field
                .as_deref()
                .and_then(|f| schema.field(f))
                .is_some_and(|f| is_numeric(f.kind));
            if !ok {
                c.err(at.key("field"), P::ComputedNeedsField { id: id.to_owned() });
            }
            if comp.min.is_none() {
                c.err(at.key("min"), P::ComputedNeedsMin { id: id.to_owned() });
            }
        }
    }
}
