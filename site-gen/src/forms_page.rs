//! Form pages (`/forms/` and `/forms/<id>/`): the view of a form built from its
//! [`FormSchema`], its data blocks, and the browser assets that run it.
//!
//! [`render_all`] is called by [`crate::render::render_with`]. For each form it builds a
//! [`FormPageView`]: an [`AppView`] of the form (sections, fields, tables, the rating
//! matrix, the survey counts, the scoring table, signature boxes), the schema, the rules
//! of every notice attaching the form and the calendar as data blocks. The templates
//! `form.html` (the page), `form-field.html`, `form-table.html`, `form-matrix.html`,
//! `form-counts.html` and `form-scoring.html` print the view; each can be overridden
//! alone like the other templates. The id/path scheme of controls is defined here once
//! (`control_id`, `cell_path`, `member_path`, `radio_id`, `hint_id`) and
//! passed in the views: each control's `name` is its field path
//! (`trainees[3].id_number`) and each choice's `value` its option id, as the form
//! contract requires; the page reads and prints without JavaScript, and `forms.js` does
//! everything else through the engine. Nothing here knows a particular form: signature
//! boxes, prefilled fields, the file-name field, pass-mark words, scoring captions,
//! headers and input labels and the survey summary's words all come from the schema.

use serde::Serialize;
use site_scripts as scripts;
use wasm_forms::schema::{ComputedKind, CountsText, Field, FieldType, FormSchema, Rule, Section};
use wasm_forms::scoring::{Indicator, InputKind, Rule as ScoreRule, Scoring};

use crate::content::model::{AttachmentTarget, Form, Site};
use crate::render::markdown::to_html;
use crate::render::{base_context, Options, OutputFile, TemplateError, Templates};
use crate::urls;

include!(concat!(env!("OUT_DIR"), "/bundle.rs"));

/// Templates this module uses (overridable like the others).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("forms.html", include_str!("../templates/forms.html")),
    ("form.html", include_str!("../templates/form.html")),
    (
        "form-field.html",
        include_str!("../templates/form-field.html"),
    ),
    (
        "form-table.html",
        include_str!("../templates/form-table.html"),
    ),
    (
        "form-matrix.html",
        include_str!("../templates/form-matrix.html"),
    ),
    (
        "form-counts.html",
        include_str!("../templates/form-counts.html"),
    ),
    (
        "form-scoring.html",
        include_str!("../templates/form-scoring.html"),
    ),
];

/// The browser files of the form pages, as (path under `dist/`, bytes); the scripts as
/// [`site_scripts`] serves them (minified while the copies are fresh).
pub fn assets() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("assets/forms.js", scripts::FORMS_JS.as_bytes()),
        ("assets/forms-score.js", scripts::FORMS_SCORE_JS.as_bytes()),
        ("assets/dom.js", scripts::DOM_JS.as_bytes()),
        ("assets/forms-xlsx.js", scripts::FORMS_XLSX_JS.as_bytes()),
        (
            "assets/forms-xlsx-read.js",
            scripts::FORMS_XLSX_READ_JS.as_bytes(),
        ),
        ("assets/forms.css", include_bytes!("../assets/forms.css")),
        ("assets/wasm/wasm_forms_fill.js", WASM_FILL_JS),
        ("assets/wasm/wasm_forms_fill_bg.wasm", WASM_FILL_BG),
        ("assets/wasm/wasm_forms_tables.js", WASM_TABLES_JS),
        ("assets/wasm/wasm_forms_tables_bg.wasm", WASM_TABLES_BG),
        ("assets/wasm/wasm_forms_survey.js", WASM_SURVEY_JS),
        ("assets/wasm/wasm_forms_survey_bg.wasm", WASM_SURVEY_BG),
        ("assets/wasm/wasm_forms_evaluation.js", WASM_EVALUATION_JS),
        (
            "assets/wasm/wasm_forms_evaluation_bg.wasm",
            WASM_EVALUATION_BG,
        ),
        ("assets/wasm/wasm_forms_collect.js", WASM_COLLECT_JS),
        ("assets/wasm/wasm_forms_collect_bg.wasm", WASM_COLLECT_BG),
        ("assets/wasm/handin_scan.js", HANDIN_SCAN_JS),
        ("assets/wasm/handin_scan_bg.wasm", HANDIN_SCAN_BG),
        ("assets/handin.js", scripts::HANDIN_JS.as_bytes()),
        ("assets/collect.js", scripts::COLLECT_JS.as_bytes()),
    ]
}

#[derive(Serialize)]
struct NoticeRef {
    slug: String,
    title: String,
    doc_number: String,
    url: String,
}

/// One entry of `/forms/`.
#[derive(Serialize)]
struct FormItem {
    id: String,
    title: String,
    url: String,
    notices: Vec<NoticeRef>,
}

/// `/forms/`, a page per form, and the form assets.
pub fn render_all(
    site: &Site,
    templates: &Templates,
    opts: &Options,
) -> Result<Vec<OutputFile>, TemplateError> {
    let items: Vec<FormItem> = site
        .forms
        .iter()
        .map(|f| FormItem {
            id: f.id.clone(),
            title: f.schema.title.clone(),
            url: urls::form(&f.id),
            notices: site
                .notices
                .iter()
                .filter(|n| n.form_ids().any(|id| id == f.id))
                .map(|n| NoticeRef {
                    slug: n.slug.clone(),
                    title: n.title.clone(),
                    doc_number: n.doc_number.clone(),
                    url: urls::notice(&n.slug),
                })
                .collect(),
        })
        .collect();
    let mut out = Vec::new();
    let mut ctx = base_context(site, opts, "/forms/");
    ctx.insert("forms", &items);
    ctx.insert("by_notice", &crate::render::views::forms_index(site));
    ctx.insert("description", &crate::render::describe::forms_index(site));
    out.push(OutputFile::new(
        "forms/index.html",
        templates.render("forms.html", &ctx)?,
    ));
    for (f, item) in site.forms.iter().zip(&items) {
        let mut ctx = base_context(site, opts, &item.url);
        ctx.insert("form", &view(site, f));
        ctx.insert("notices", &item.notices);
        ctx.insert("description", &crate::render::describe::form(site, f));
        out.push(OutputFile::new(
            urls::file_for(&item.url),
            templates.render("form.html", &ctx)?,
        ));
    }
    if !site.forms.is_empty() {
        for (path, bytes) in assets() {
            out.push(OutputFile::new(path, bytes));
        }
    }
    Ok(out)
}

/// A notice that attaches the form, as shown at the top of its page.
#[derive(Debug, Clone, Serialize)]
pub struct AttachedBy {
    pub slug: String,
    pub title: String,
    pub doc_number: String,
    pub url: String,
    /// `附件N`: the attachment's position in the notice (1-based).
    pub number: usize,
}

/// One data block (`<script type="…">`, not run): its id, its type and its text made
/// safe for the inside of a script element: JSON (`application/json`), or the engine's
/// data (schema, calendar) in its wire form (`text/plain`, base64url: see
/// `wasm_forms::wire`). The notices' JSON carries each notice's rules in the wire form.
#[derive(Debug, Clone, Serialize)]
pub struct DataBlock {
    pub id: &'static str,
    pub mime: &'static str,
    pub json: String,
}

/// A schema, a notice's rules or the calendar as the page's engine reads them:
/// `wasm_forms::wire`'s text (postcard in base64url, already HTML-inert).
pub fn wire_block<T: Serialize>(value: &T) -> String {
    wasm_forms::wire::encode(value).unwrap_or_default()
}

/// What `form.html` needs for one form page.
#[derive(Debug, Clone, Serialize)]
pub struct FormPageView {
    pub id: String,
    pub title: String,
    pub version: u32,
    /// Notices attaching the form, newest first.
    pub attached_by: Vec<AttachedBy>,
    /// The whole form app (status, summaries, toolbar, `<form>`, signature boxes).
    pub app: AppView,
    /// The data blocks the engine reads (schema, notices, calendar, survey schema).
    pub data_blocks: Vec<DataBlock>,
    /// The hand-in page's data block and assets, where the form collects files.
    pub extra_html: String,
}

/// Renders one form page's view. Pure; never fails (the site has been validated).
pub fn view(site: &Site, form: &Form) -> FormPageView {
    let schema = &form.schema;
    let mut attached_by = Vec::new();
    let mut notices = Vec::new();
    for n in &site.notices {
        let pos = n
            .attachments
            .iter()
            .position(|a| matches!(&a.target, AttachmentTarget::Form(id) if id == &form.id));
        if let Some(pos) = pos {
            attached_by.push(AttachedBy {
                slug: n.slug.clone(),
                title: n.title.clone(),
                doc_number: n.doc_number.clone(),
                url: urls::notice(&n.slug),
                number: pos + 1,
            });
            // The rules of the list the form belongs to, and of each such list by id
            // (a program page opens the form with `?list=`).
            let lists: serde_json::Map<String, serde_json::Value> = n.attachments[pos]
                .lists
                .iter()
                .filter_map(|id| n.list(id))
                .map(|l| (l.id.clone(), serde_json::Value::from(wire_block(&l.rules))))
                .collect();
            notices.push(serde_json::json!({
                "slug": n.slug, "title": n.title, "doc_number": n.doc_number,
                "rules": wire_block(n.rules_for_form(&form.id)), "lists": lists,
            }));
        }
    }
    let notices_json = serde_json::json!({
        "default": attached_by.first().map(|a| a.slug.clone()),
        "notices": notices,
    });
    let calendar = site.calendar.as_ref().map(wire_block).unwrap_or_default();
    const JSON: &str = "application/json";
    const WIRE: &str = "text/plain";
    let mut blocks = vec![
        ("form-schema", WIRE, wire_block(schema)),
        ("form-notices", JSON, notices_json.to_string()),
        ("form-calendar", WIRE, calendar),
    ];
    if let Some(survey) = survey_form_for(site, schema) {
        blocks.push(("form-survey-schema", WIRE, wire_block(&survey.schema)));
    }
    let data_blocks = blocks
        .into_iter()
        .map(|(id, mime, json)| DataBlock {
            id,
            mime,
            json: script_safe(&json),
        })
        .collect();
    let handin = crate::handin_pages::is_handin_form(site, form);
    FormPageView {
        id: form.id.clone(),
        title: schema.title.clone(),
        version: schema.version,
        app: app_view(schema, handin, engine_bundle(site, schema, handin)),
        attached_by,
        data_blocks,
        extra_html: crate::handin_pages::form_page_extra(site, form),
    }
}

/// The survey whose responses fill this form's counts field (the evaluation's
/// section 五), as the engine pairs them.
fn survey_form_for<'a>(site: &'a Site, schema: &FormSchema) -> Option<&'a Form> {
    site.forms
        .iter()
        .find(|f| wasm_forms::api::summarising_form([schema], &f.schema).is_some())
}

/// JSON inside `<script type="application/json">`: `<`, `>` and `&` only ever occur in
/// strings, so escaping them as `\u003c` … keeps the JSON equal and the HTML inert.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Markdown of one short paragraph, without the `<p>` wrapper.
fn md_inline(src: &str) -> String {
    let h = to_html(src);
    let t = h.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => h,
    }
}

/// `trainees[3].id_number` → `f-trainees-3-id_number`.
fn control_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

// ---------------------------------------------------------------------------------
// The id/path scheme of controls: the one place that says how a control is named.
// `forms.js` reads these names, ids and `data-` attributes; the templates only print
// them.

/// The path of a table cell: `trainees[3].id_number` (`row` is `3`, or `__i__` in the
/// row template that `forms.js` copies).
fn cell_path(table: &str, row: &str, column: &str) -> String {
    format!("{table}[{row}].{column}")
}

/// The path of a member of a fixed record or of the counts: `expenses.venue`.
fn member_path(parent: &str, member: &str) -> String {
    format!("{parent}.{member}")
}

/// The id of the `i`th radio of a group: the first has the group's control id (its
/// label points there), the others the id with the value appended.
fn radio_id(cid: &str, i: usize, value: &str) -> String {
    if i == 0 {
        cid.to_owned()
    } else {
        format!("{cid}-{value}")
    }
}

/// The id of a field's hint (`aria-describedby`).
fn hint_id(path: &str) -> String {
    format!("{}-hint", control_id(path))
}

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

/// A scalar field with its label, hint and messages.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldView {
    /// A labelled input, textarea or select.
    Plain {
        path: String,
        wide: bool,
        label: String,
        required: bool,
        hint_id: String,
        hint_html: Option<String>,
        control: ControlView,
    },
    /// A checkbox with its label after it.
    Check {
        path: String,
        label: String,
        hint_id: String,
        hint_html: Option<String>,
        control: ControlView,
    },
    /// A fieldset of radios (a short choice, or yes/no with the seed's words).
    Radios {
        path: String,
        wide: bool,
        label: String,
        required: bool,
        hint_id: String,
        hint_html: Option<String>,
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
    /// by its hashed stem ([`crate::assets::engine`]).
    pub engine: String,
    pub file_name_field: Option<String>,
    pub title: String,
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

/// The engine bundle (`assets/wasm/<stem>.js`) a form's page loads, each with only the
/// bindings its page calls (see site-gen/build.rs, web/*, the sizes in
/// wasm-forms/Cargo.toml): `wasm_forms_evaluation`, the one with scoring, when the form
/// is scored, has counts fields or summarises a survey (its page imports the survey's
/// files); `wasm_forms_tables` for tables (CSV and spreadsheet import and export);
/// `wasm_forms_survey`, the fill-in engine with the hand-in code and the QR maker, for a
/// form handed in (`handin`: the survey); else `wasm_forms_fill`. (The collection page
/// loads `wasm_forms_collect`: `handin_pages`.)
///
/// A scored form with tables would need both the scoring and the tables' bindings,
/// which no bundle has (no form of the seeds is both): the check refuses such a form
/// (`content::validate`), so no page loads an engine that lacks what it calls.
pub fn engine_bundle(site: &Site, schema: &FormSchema, handin: bool) -> &'static str {
    if wasm_forms::page::needs_scoring(schema) || survey_form_for(site, schema).is_some() {
        "wasm_forms_evaluation"
    } else if is_table_form(schema) {
        "wasm_forms_tables"
    } else if handin {
        "wasm_forms_survey"
    } else {
        "wasm_forms_fill"
    }
}

fn app_view(schema: &FormSchema, handin: bool, engine: &'static str) -> AppView {
    AppView {
        form_id: schema.id.clone(),
        version: schema.version,
        engine: crate::assets::engine(engine),
        file_name_field: schema.file_name_field.clone(),
        title: schema.title.clone(),
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
    let as_radios = (f.kind == FieldType::Choice && f.options.len() <= 4)
        || (f.kind == FieldType::Bool && f.true_label.is_some());
    if as_radios {
        let opts: Vec<(String, String)> = if f.kind == FieldType::Bool {
            vec![
                (
                    "true".into(),
                    f.true_label.clone().unwrap_or_else(|| "是".into()),
                ),
                (
                    "false".into(),
                    f.false_label.clone().unwrap_or_else(|| "否".into()),
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
            wide: f.multiline,
            label: f.label.clone(),
            required: f.required,
            data_type: f.kind.name(),
            path,
            hint_id,
            hint_html,
        });
    }
    let control = control_view(f, &path, described());
    Some(if f.kind == FieldType::Bool {
        FieldView::Check {
            path,
            label: f.label.clone(),
            hint_id,
            hint_html,
            control,
        }
    } else {
        FieldView::Plain {
            path,
            wide: f.multiline,
            label: f.label.clone(),
            required: f.required,
            hint_id,
            hint_html,
            control,
        }
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
                            false_label: c.false_label.clone().unwrap_or_else(|| "否".into()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_replace_brackets_and_dots() {
        assert_eq!(
            control_id("trainees[3].id_number"),
            "f-trainees-3-id_number"
        );
        assert_eq!(control_id("survey.forms"), "f-survey-forms");
    }

    #[test]
    fn script_blocks_cannot_be_closed_by_data() {
        let s = script_safe(r#"{"a":"</script><b>&"}"#);
        assert!(!s.contains("</script>"));
        let back: serde_json::Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back["a"], "</script><b>&");
    }

    #[test]
    fn markdown_raw_html_is_text() {
        assert_eq!(md_inline("a <b>x</b>"), "a &lt;b&gt;x&lt;/b&gt;");
    }
}
