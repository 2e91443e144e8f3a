//! The view of a form's app, built from its [`FormSchema`]: sections, fields, tables,
//! the rating matrix, the survey counts, the scoring table and signature boxes, as the
//! templates `form.html`, `form-field.html`, `form-table.html`, `form-matrix.html`,
//! `form-counts.html` and `form-scoring.html` print them (the page around it:
//! [`super::forms_page`]). The id/path scheme of controls is defined here once
//! (`control_id`, `cell_path`, `member_path`, `radio_id`, `hint_id`) and passed in the
//! views: each control's `name` is its field path (`trainees[3].id_number`) and each
//! choice's `value` its option id, as the form contract requires. Nothing here knows a
//! particular form: signature boxes, prefilled fields, the file-name field, pass-mark
//! words, scoring captions, headers and input labels and the survey summary's words all
//! come from the schema.

use serde::Serialize;
use wasm_forms::fields;
use wasm_forms::schema::{ComputedKind, CountsText, Field, FieldType, FormSchema, Rule, Section};
use wasm_forms::scoring::{Indicator, InputKind, Rule as ScoreRule, Scoring};

use super::control_ids::{cell_path, control_id, hint_id, member_path, radio_id};
use super::markdown::{md_inline, to_html};

// ---------------------------------------------------------------------------------
// View structs: what the form templates print. Built from the schema, all text raw
// (the templates escape it) except fields named `*_html`, which hold rendered Markdown.

/// One extra attribute of a control (`aria-label`, `data-col` …), in order.
#[derive(Debug, Clone, Serialize)]
pub struct Attr {
    pub name: &'static str,
    pub value: String,
}

/// One option of a `<select>` or one radio.
#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    /// The radio's id (empty for a `<select>` option).
    pub id: String,
    pub value: String,
    pub label: String,
}

/// An input element (`<input>`, `<textarea>`, `<select>` or a checkbox), without label.
#[derive(Debug, Clone, Serialize)]
pub struct ControlView {
    /// `input`, `textarea`, `select` or `checkbox`.
    pub element: &'static str,
    /// `type` and `inputmode` of an `input`.
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub name: String,
    pub id: String,
    pub data_type: &'static str,
    pub autocomplete: Option<String>,
    pub prefill: Option<&'static str>,
    pub required: bool,
    pub extra: Vec<Attr>,
    /// Codes typed as they are (ID numbers, QQ, postcodes): no spellcheck, capitals.
    pub code: bool,
    pub unit: Option<String>,
    pub options: Vec<OptionView>,
    /// A textarea's limit from the schema, for its live count.
    pub max_chars: Option<usize>,
}

/// What a scalar field shows around its control, whichever control it is: its path,
/// label and hint, whether it is required and whether it stands alone (multiline).
#[derive(Debug, Clone, Serialize)]
pub struct FieldHead {
    pub path: String,
    pub wide: bool,
    pub label: String,
    pub required: bool,
    pub hint_id: String,
    pub hint_html: Option<String>,
}

/// A scalar field with its label, hint and messages.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldView {
    /// A labelled input, textarea or select.
    Plain {
        #[serde(flatten)]
        head: FieldHead,
        control: ControlView,
    },
    /// A checkbox with its label after it.
    Check {
        #[serde(flatten)]
        head: FieldHead,
        control: ControlView,
    },
    /// A fieldset of radios (a short choice, or yes/no with the seed's words).
    Radios {
        #[serde(flatten)]
        head: FieldHead,
        data_type: &'static str,
        options: Vec<OptionView>,
    },
    Table(TableView),
    Counts(CountsView),
}

/// A repeating table (rosters, lecturers).
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub path: String,
    /// The control id of the table (its title is `<id>-title`).
    pub id: String,
    pub label: String,
    pub required: bool,
    pub help_html: Option<String>,
    /// More than five columns: the table scrolls on its own.
    pub many_cols: bool,
    pub columns: Vec<ColumnView>,
    /// The first row (path index 0) and the row template `forms.js` copies (`__i__`).
    pub first_row: RowView,
    pub template_row: RowView,
    /// The columns the schema marks `shared`, entered once above the table.
    pub shared: Vec<SharedColumnView>,
    /// Empty rows printed below the rows, to be filled in by hand.
    pub blank_rows: usize,
}

/// A shared column's control above the table. It has no `name`: it is not part of the
/// response; forms.js applies it to every row.
#[derive(Debug, Clone, Serialize)]
pub struct SharedColumnView {
    pub column: String,
    pub id: String,
    pub label: String,
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub unit: Option<String>,
}

/// Rows printed empty below a table's rows, for names added by hand on paper.
const BLANK_PRINT_ROWS: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub id: String,
    pub label: String,
    pub numeric: bool,
    pub required: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// The path index (`0` or `__i__`) and the number people read.
    pub row: String,
    pub shown: String,
    pub cells: Vec<CellView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub column: String,
    pub control: ControlView,
}

/// The evaluation's survey counts: typed from paper forms or filled by importing
/// survey files, with the percentage table and chart beside it.
#[derive(Debug, Clone, Serialize)]
pub struct CountsView {
    pub path: String,
    pub import: String,
    pub typed: String,
    pub forms_label: String,
    pub forms_path: String,
    pub forms_id: String,
    pub caption: String,
    pub headers: [String; 2],
    pub levels: Vec<String>,
    pub rows: Vec<CountsRowView>,
    /// The levels and rows as JSON, for the summary `forms.js` draws.
    pub layout: String,
    pub rate: String,
    pub score: String,
    pub percent_caption: String,
    pub chart: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountsRowView {
    pub path: String,
    /// The group, on the first row of each group only.
    pub group: String,
    pub label: String,
    pub cells: Vec<CountsCellView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountsCellView {
    pub name: String,
    pub id: String,
    pub level: String,
}

/// The rating matrix: one fieldset per indicator row, radios with the level ids.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    pub headers: Vec<String>,
    pub levels: Vec<String>,
    pub rows: Vec<MatrixRowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRowView {
    pub path: String,
    pub group: String,
    pub group_start: bool,
    pub label: String,
    pub options: Vec<OptionView>,
}

/// Fixed-row records (the evaluation's expense rows) after the section's plain fields.
#[derive(Debug, Clone, Serialize)]
pub struct RecordsView {
    pub fields: Vec<FieldView>,
    pub headers: Vec<String>,
    pub rows: Vec<RecordRowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRowView {
    pub path: String,
    pub label: String,
    pub cells: Vec<RecordCellView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordCellView {
    /// A yes/no pair of radios with the seed's words.
    YesNo {
        path: String,
        row_label: String,
        column_label: String,
        id: String,
        false_id: String,
        true_label: String,
        false_label: String,
    },
    Control {
        path: String,
        control: ControlView,
    },
}

/// A run of fields: narrow ones share a grid, a wide one stands alone.
#[derive(Debug, Clone, Serialize)]
pub struct FieldRun {
    pub grid: bool,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "layout", rename_all = "snake_case")]
pub enum SectionBody {
    Matrix(MatrixView),
    Records(RecordsView),
    Fields { runs: Vec<FieldRun> },
}

/// A live line for a `sum_equals` rule whose total is in the section.
#[derive(Debug, Clone, Serialize)]
pub struct SumLineView {
    pub items: String,
    pub total: String,
    pub total_label: String,
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComputedView {
    pub id: String,
    pub label: String,
    pub true_label: Option<String>,
    pub false_label: Option<String>,
    pub help_html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub legend: String,
    pub help_html: Option<String>,
    pub body: SectionBody,
    pub sum_lines: Vec<SumLineView>,
    pub scoring: Option<ScoringView>,
    pub computed: Vec<ComputedView>,
}

/// The 绩效评价指标体系 table.
#[derive(Debug, Clone, Serialize)]
pub struct ScoringView {
    pub caption: String,
    pub total: String,
    pub headers: Vec<String>,
    pub sections: Vec<ScoringSectionView>,
    /// Only where the seed states a pass mark.
    pub pass_mark: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoringSectionView {
    pub label: String,
    /// The section's cell spans its indicators and its subtotal row.
    pub rowspan: usize,
    pub max: String,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub label: String,
    pub criteria: String,
    pub note_html: Option<String>,
    pub max: String,
    pub inputs: Vec<ScoreInputView>,
}

/// An input of an indicator's rule that is not a field elsewhere in the form.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScoreInputView {
    /// The self-assessed score, one radio per score the rule allows.
    Choice {
        path: String,
        options: Vec<ScoreOptionView>,
    },
    /// A percentage, count or amount.
    Number {
        path: String,
        id: String,
        label: String,
        data_type: &'static str,
        inputmode: &'static str,
    },
    Bool {
        path: String,
        id: String,
        false_id: String,
        label: String,
    },
    Execution {
        path: String,
        label: String,
        options: Vec<OptionView>,
    },
    /// Filled from the survey section: only a hint here.
    Survey { label: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreOptionView {
    pub id: String,
    pub score: String,
    pub label: String,
}

/// The form app: everything of the page inside `<article class="form-app">`.
#[derive(Debug, Clone, Serialize)]
pub struct AppView {
    pub form_id: String,
    pub version: u32,
    /// The engine bundle the page loads (`assets/wasm/<engine>.js`): [`engine_bundle`],
    /// by its hashed stem ([`crate::render::assets::engine`]).
    pub engine: String,
    pub file_name_field: Option<String>,
    pub title: String,
    /// Who issues the form (the schema's `issuer`), under the title.
    pub issuer: Option<String>,
    pub intro_html: Option<String>,
    pub notes_html: Vec<String>,
    /// Rosters: import from Excel/CSV and export buttons.
    pub table_form: bool,
    /// A roster of people (a table with an id number column): the bureau takes it as a
    /// spreadsheet, so the XLSX download is the page's main action.
    pub roster: bool,
    /// A survey handed in to the organizer: the toolbar's primary action is the
    /// hand-in (检查, then the hand-in panel of handin.js), not saving a file.
    pub handin: bool,
    /// Forms with scoring: the maximum 综合得分, for the running total kept at the
    /// foot of the screen.
    pub score_total: Option<String>,
    pub sections: Vec<SectionView>,
    pub footer_html: Option<String>,
    pub signatures: Vec<String>,
}

// ---------------------------------------------------------------------------------
// Building the views.

fn is_table_form(schema: &FormSchema) -> bool {
    schema.tables().next().is_some()
}

fn md_block(src: &Option<String>) -> Option<String> {
    src.as_deref().map(to_html)
}

pub fn app_view(schema: &FormSchema, handin: bool, engine: &'static str) -> AppView {
    AppView {
        form_id: schema.id.clone(),
        version: schema.version,
        engine: crate::render::assets::engine(engine),
        file_name_field: schema.file_name_field.clone(),
        title: schema.title.clone(),
        issuer: schema.issuer.clone(),
        intro_html: md_block(&schema.intro),
        notes_html: schema.notes.iter().map(|n| md_inline(n)).collect(),
        table_form: is_table_form(schema),
        roster: schema
            .tables()
            .any(|t| t.columns.iter().any(|c| c.kind == FieldType::IdNumber)),
        handin,
        score_total: schema
            .scoring
            .as_ref()
            .map(|sc| sc.total.normalize().to_string()),
        sections: schema
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| section_view(schema, s, i))
            .collect(),
        footer_html: md_block(&schema.footer),
        signatures: schema.signatures.clone(),
    }
}

fn section_view(schema: &FormSchema, s: &Section, index: usize) -> SectionView {
    let body = if !s.matrix.is_empty() {
        SectionBody::Matrix(matrix_view(s))
    } else if s.fields.iter().any(|f| f.kind == FieldType::Record) {
        SectionBody::Records(records_view(s))
    } else {
        let mut runs: Vec<FieldRun> = Vec::new();
        for f in &s.fields {
            let wide = matches!(f.kind, FieldType::Table | FieldType::Counts) || f.multiline;
            let Some(v) = field_view(f) else { continue };
            match runs.last_mut() {
                Some(run) if run.grid && !wide => run.fields.push(v),
                _ => runs.push(FieldRun {
                    grid: !wide,
                    fields: vec![v],
                }),
            }
        }
        SectionBody::Fields { runs }
    };
    SectionView {
        id: s
            .id
            .clone()
            .unwrap_or_else(|| format!("section-{}", index + 1)),
        legend: s.legend.clone(),
        help_html: md_block(&s.help),
        body,
        sum_lines: sum_lines(schema, s),
        scoring: schema
            .scoring
            .as_ref()
            .filter(|_| s.scoring)
            .map(|sc| scoring_view(schema, sc)),
        computed: s
            .computed
            .iter()
            .map(|c| {
                let at_least = c.kind == ComputedKind::AtLeast;
                ComputedView {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    true_label: c.true_label.clone().filter(|_| at_least),
                    false_label: c.false_label.clone().filter(|_| at_least),
                    help_html: c.help.as_deref().map(md_inline),
                }
            })
            .collect(),
    }
}

/// The live lines of the `sum_equals` rules whose total is in this section (the rule
/// itself is checked by the engine).
fn sum_lines(schema: &FormSchema, s: &Section) -> Vec<SumLineView> {
    schema
        .rules
        .iter()
        .filter_map(|rule| {
            let Rule::SumEquals { items, total, .. } = rule else {
                return None;
            };
            let total_field = s.fields.iter().find(|f| &f.id == total)?;
            Some(SumLineView {
                items: items.join(","),
                total: total.clone(),
                total_label: total_field.label.clone(),
                unit: total_field.unit.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// The hints of a field, as HTML, joined with `；`.
fn hint_html(f: &Field) -> Option<String> {
    let mut out = Vec::new();
    if let Some(help) = &f.help {
        out.push(md_inline(help));
    }
    match f.max_chars {
        Some(n) if n >= 200 => out.push(format!("最多 {n} 字（空白不计）")),
        _ => {}
    }
    match f.kind {
        FieldType::IdNumber => out.push("18 位，末位可为 X".into()),
        FieldType::Date => out.push("年月日，如 2020-10-12".into()),
        FieldType::Money if f.unit.is_none() => out.push("单位：万元".into()),
        _ => {}
    }
    (!out.is_empty()).then(|| out.join("；"))
}

/// The input element of a scalar field at `path`, with extra attributes after the
/// shared ones.
fn control_view(f: &Field, path: &str, extra: Vec<Attr>) -> ControlView {
    let (element, input_type, inputmode) = match f.kind {
        FieldType::Text if f.multiline => ("textarea", "", ""),
        FieldType::Choice => ("select", "", ""),
        FieldType::Bool => ("checkbox", "", ""),
        FieldType::Mobile | FieldType::Phone => ("input", "tel", "tel"),
        FieldType::Email => ("input", "email", "email"),
        // Text, not the browser's date control: that one blanks what it cannot read
        // (2020/10/12 pasted from a spreadsheet); the engine reads every office form.
        FieldType::Date => ("input", "text", "text"),
        FieldType::Postcode | FieldType::Qq => ("input", "text", "numeric"),
        FieldType::Number | FieldType::Money => ("input", "text", "decimal"),
        _ => ("input", "text", "text"),
    };
    ControlView {
        element,
        input_type,
        inputmode,
        name: path.to_owned(),
        id: control_id(path),
        data_type: f.kind.name(),
        autocomplete: f.autocomplete.clone(),
        prefill: f.prefill.map(|p| p.key()),
        required: f.required,
        extra,
        code: matches!(
            f.kind,
            FieldType::IdNumber | FieldType::Qq | FieldType::Postcode
        ),
        unit: f.unit.clone().filter(|_| element == "input"),
        max_chars: f.max_chars.map(|n| n as usize),
        options: if element == "select" {
            f.options
                .iter()
                .map(|o| OptionView {
                    id: String::new(),
                    value: o.id.clone(),
                    label: o.label.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

fn radios(cid: &str, options: impl IntoIterator<Item = (String, String)>) -> Vec<OptionView> {
    options
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| OptionView {
            id: radio_id(cid, i, &value),
            value,
            label,
        })
        .collect()
}

/// The view of a field of a section's body (`None` for records, placed by the section).
fn field_view(f: &Field) -> Option<FieldView> {
    match f.kind {
        FieldType::Table => return Some(FieldView::Table(table_view(f))),
        FieldType::Counts => {
            return f
                .text
                .as_ref()
                .map(|t| FieldView::Counts(counts_view(f, t)))
        }
        FieldType::Record => return None,
        _ => {}
    }
    let path = f.id.clone();
    let hint_html = hint_html(f);
    let hint_id = hint_id(&path);
    let described = || match hint_html {
        Some(_) => vec![Attr {
            name: "aria-describedby",
            value: hint_id.clone(),
        }],
        None => Vec::new(),
    };
    let head = |path: String, hint_id: String, hint_html: Option<String>| FieldHead {
        path,
        wide: f.multiline,
        label: f.label.clone(),
        required: f.required,
        hint_id,
        hint_html,
    };
    let as_radios = (f.kind == FieldType::Choice && f.options.len() <= 4)
        || (f.kind == FieldType::Bool && f.true_label.is_some());
    if as_radios {
        let opts: Vec<(String, String)> = if f.kind == FieldType::Bool {
            vec![
                (
                    "true".into(),
                    f.true_label
                        .clone()
                        .unwrap_or_else(|| fields::YES_WORD.into()),
                ),
                (
                    "false".into(),
                    f.false_label
                        .clone()
                        .unwrap_or_else(|| fields::NO_WORD.into()),
                ),
            ]
        } else {
            f.options
                .iter()
                .map(|o| (o.id.clone(), o.label.clone()))
                .collect()
        };
        return Some(FieldView::Radios {
            options: radios(&control_id(&path), opts),
            data_type: f.kind.name(),
            head: head(path, hint_id, hint_html),
        });
    }
    let control = control_view(f, &path, described());
    let head = head(path, hint_id, hint_html);
    Some(if f.kind == FieldType::Bool {
        FieldView::Check { head, control }
    } else {
        FieldView::Plain { head, control }
    })
}

fn matrix_view(s: &Section) -> MatrixView {
    let mut last_group: Option<&str> = None;
    let rows = s
        .fields
        .iter()
        .map(|f| {
            let group = f.group.as_deref();
            let group_start = group.is_some() && group != last_group;
            last_group = group;
            let levels = if f.options.is_empty() {
                &s.matrix
            } else {
                &f.options
            };
            MatrixRowView {
                path: f.id.clone(),
                group: group.unwrap_or("").to_owned(),
                group_start,
                label: f.label.clone(),
                options: radios(
                    &control_id(&f.id),
                    levels.iter().map(|o| (o.id.clone(), o.label.clone())),
                ),
            }
        })
        .collect();
    MatrixView {
        headers: s.headers.clone(),
        levels: s.matrix.iter().map(|l| l.label.clone()).collect(),
        rows,
    }
}

fn records_view(s: &Section) -> RecordsView {
    let fields = s
        .fields
        .iter()
        .filter(|f| f.kind != FieldType::Record)
        .filter_map(field_view)
        .collect();
    let rows = s
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::Record)
        .map(|r| RecordRowView {
            path: r.id.clone(),
            label: r.label.clone(),
            cells: r
                .columns
                .iter()
                .map(|c| {
                    let path = member_path(&r.id, &c.id);
                    if c.kind == FieldType::Bool {
                        let id = control_id(&path);
                        RecordCellView::YesNo {
                            row_label: r.label.clone(),
                            column_label: c.label.clone(),
                            false_id: format!("{id}-false"),
                            id,
                            true_label: c.true_label.clone().unwrap_or_else(|| "有".into()),
                            false_label: c
                                .false_label
                                .clone()
                                .unwrap_or_else(|| fields::NO_WORD.into()),
                            path,
                        }
                    } else {
                        let aria = vec![Attr {
                            name: "aria-label",
                            value: format!("{} {}", r.label, c.label),
                        }];
                        RecordCellView::Control {
                            control: control_view(c, &path, aria),
                            path,
                        }
                    }
                })
                .collect(),
        })
        .collect();
    RecordsView {
        fields,
        // The schema check makes the headers the label column and one per column.
        headers: s.headers.clone(),
        rows,
    }
}

/// One table row; `row` is the path index (`0`, or `__i__` in the template) and
/// `shown` the 1-based number people read.
fn row_view(f: &Field, row: &str, shown: &str) -> RowView {
    RowView {
        row: row.to_owned(),
        shown: shown.to_owned(),
        cells: f
            .columns
            .iter()
            .map(|c| {
                let extra = vec![
                    Attr {
                        name: "data-col",
                        value: c.id.clone(),
                    },
                    Attr {
                        name: "data-label",
                        value: c.label.clone(),
                    },
                    Attr {
                        name: "aria-label",
                        value: format!("第 {shown} 行 {}", c.label),
                    },
                ];
                CellView {
                    column: c.id.clone(),
                    control: control_view(c, &cell_path(&f.id, row, &c.id), extra),
                }
            })
            .collect(),
    }
}

fn table_view(f: &Field) -> TableView {
    TableView {
        path: f.id.clone(),
        id: control_id(&f.id),
        label: f.label.clone(),
        required: f.required,
        help_html: md_block(&f.help),
        many_cols: f.columns.len() > 5,
        columns: f
            .columns
            .iter()
            .map(|c| ColumnView {
                id: c.id.clone(),
                label: c.label.clone(),
                numeric: matches!(c.kind, FieldType::Number | FieldType::Money),
                required: c.required,
            })
            .collect(),
        // Rendered with path index 0; forms.js renumbers (names, ids, labels) on every
        // change.
        first_row: row_view(f, "0", "1"),
        template_row: row_view(f, "__i__", "__i__"),
        shared: f
            .columns
            .iter()
            .filter(|c| c.shared)
            .map(|c| {
                let (input_type, inputmode) = match c.kind {
                    FieldType::Number | FieldType::Money => ("text", "decimal"),
                    _ => ("text", "text"),
                };
                SharedColumnView {
                    column: c.id.clone(),
                    id: format!("shared-{}-{}", control_id(&f.id), c.id),
                    label: c.label.clone(),
                    input_type,
                    inputmode,
                    unit: c.unit.clone(),
                }
            })
            .collect(),
        blank_rows: BLANK_PRINT_ROWS,
    }
}

/// The counts view, with the texts of the field (the schema check requires them).
fn counts_view(f: &Field, t: &CountsText) -> CountsView {
    let t = t.clone();
    let id = &f.id;
    let forms_path = member_path(id, "forms");
    let mut last_group: Option<&str> = None;
    let rows = f
        .rows
        .iter()
        .map(|r| {
            let group = r.group.as_deref();
            let shown = if group != last_group {
                group.unwrap_or("")
            } else {
                ""
            };
            last_group = group;
            let row_path = member_path(&member_path(id, "indicators"), &r.id);
            CountsRowView {
                group: shown.to_owned(),
                label: r.label.clone(),
                cells: f
                    .options
                    .iter()
                    .map(|l| {
                        let path = member_path(&row_path, &l.id);
                        CountsCellView {
                            id: control_id(&path),
                            name: path,
                            level: l.label.clone(),
                        }
                    })
                    .collect(),
                path: row_path,
            }
        })
        .collect();
    let layout = serde_json::json!({
        "levels": f.options.iter().map(|o| serde_json::json!({"id": o.id, "label": o.label})).collect::<Vec<_>>(),
        "rows": f.rows.iter().map(|r| serde_json::json!({"id": r.id, "label": r.label})).collect::<Vec<_>>(),
    });
    CountsView {
        path: id.clone(),
        import: t.import,
        typed: t.typed,
        forms_label: t.forms,
        forms_id: control_id(&forms_path),
        forms_path,
        caption: t.caption,
        headers: t.headers,
        levels: f.options.iter().map(|l| l.label.clone()).collect(),
        rows,
        layout: layout.to_string(),
        rate: t.rate,
        score: t.score,
        percent_caption: t.percent_caption,
        chart: t.chart,
    }
}

/// The 绩效评价指标体系 table: every indicator with the seed's criteria, its maximum,
/// the inputs of its rule and the live score with its reason; section subtotals, the
/// 综合得分 and pass / fail where the schema has a pass mark.
fn scoring_view(schema: &FormSchema, sc: &Scoring) -> ScoringView {
    ScoringView {
        caption: sc.caption.clone(),
        total: sc.total.normalize().to_string(),
        headers: sc.headers.to_vec(),
        sections: sc
            .sections
            .iter()
            .map(|sec| ScoringSectionView {
                label: sec.label.clone(),
                rowspan: sec.indicators.len() + 1,
                max: sec.max.normalize().to_string(),
                indicators: sec
                    .indicators
                    .iter()
                    .map(|ind| IndicatorView {
                        id: ind.id.clone(),
                        label: ind.label.clone(),
                        criteria: ind.criteria.clone(),
                        note_html: ind.note.as_deref().map(md_inline),
                        max: ind.max.normalize().to_string(),
                        inputs: indicator_inputs(schema, sc, ind),
                    })
                    .collect(),
            })
            .collect(),
        pass_mark: sc.pass_mark.map(|m| m.normalize().to_string()),
    }
}

/// The page label of a scoring input (the schema check makes every input have one).
fn input_label(sc: &Scoring, key: &str) -> String {
    sc.inputs
        .get(key)
        .map_or_else(|| key.to_owned(), |t| t.label.clone())
}

fn indicator_inputs(schema: &FormSchema, sc: &Scoring, ind: &Indicator) -> Vec<ScoreInputView> {
    let mut out = Vec::new();
    for (key, kind) in ind.inputs() {
        if schema.field(&key).is_some() {
            continue; // rendered where the schema puts it
        }
        let cid = control_id(&key);
        out.push(match kind {
            InputKind::ChoiceScore => {
                let ScoreRule::Choice { options } = &ind.rule else {
                    continue;
                };
                let options = options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let score = o.score.normalize().to_string();
                        ScoreOptionView {
                            id: radio_id(&cid, i, &score.replace('.', "_")),
                            score,
                            label: o.label.clone(),
                        }
                    })
                    .collect();
                ScoreInputView::Choice { path: key, options }
            }
            InputKind::Percent | InputKind::Count | InputKind::Money => {
                let (data_type, inputmode) = match kind {
                    InputKind::Money => ("money", "decimal"),
                    InputKind::Count => ("count", "numeric"),
                    _ => ("percent", "decimal"),
                };
                ScoreInputView::Number {
                    label: input_label(sc, &key),
                    path: key,
                    id: cid,
                    data_type,
                    inputmode,
                }
            }
            // 是 / 否 radios, none chosen at first, under the input's name (是否建立
            // 相关制度): an untouched item is unanswered, where a checkbox would read as
            // 否 and score before anything is touched.
            InputKind::Bool => ScoreInputView::Bool {
                label: sc
                    .inputs
                    .get(&key)
                    .and_then(|t| t.name.clone())
                    .unwrap_or_else(|| input_label(sc, &key)),
                false_id: format!("{cid}-false"),
                path: key,
                id: cid,
            },
            InputKind::Execution => {
                let options = sc.inputs.get(&key).map_or(&[][..], |t| &t.options[..]);
                ScoreInputView::Execution {
                    label: input_label(sc, &key),
                    options: radios(
                        &cid,
                        options.iter().map(|o| (o.id.clone(), o.label.clone())),
                    ),
                    path: key,
                }
            }
            InputKind::Survey => ScoreInputView::Survey {
                label: input_label(sc, &key),
            },
        });
    }
    out
}
