//! Form pages (`/forms/` and `/forms/<id>/`): the HTML form rendered from a
//! [`FormSchema`], its data blocks, and the browser assets that run it.
//!
//! [`render_all`] is called by [`crate::render::render_with`]. For each form it builds a
//! [`FormPageView`]: the markup of the form (escaped here), the schema, the rules of every
//! notice attaching the form and the calendar as `<script type="application/json">` data
//! blocks. `form.html` places it in the site's layout. The page also gets the assets every
//! form page loads (`forms.js`, `forms.css`, the lazily loaded XLSX writer and the wasm
//! bundle that `build.rs` embeds). Each control's `name` is its field path
//! (`trainees[3].id_number`) and each choice's `value` its option id, as the form
//! contract requires; the page reads and prints without JavaScript, and `forms.js` does
//! everything else through the engine. Nothing here knows a particular form: signature
//! boxes, prefilled fields, the file-name field, pass-mark words, scoring captions,
//! headers and input labels and the survey summary's words all come from the schema.

use std::fmt::Write as _;

use serde::Serialize;
use wasm_forms::schema::{ComputedKind, Field, FieldType, FormSchema, Rule, Section};
use wasm_forms::score::{Indicator, InputKind, Rule as ScoreRule, Scoring};

use crate::content::model::{AttachmentTarget, Form, Site};
use crate::render::markdown::to_html;
use crate::render::templates::escape;
use crate::render::{base_context, Options, OutputFile, TemplateError, Templates};
use crate::urls;

include!(concat!(env!("OUT_DIR"), "/bundle.rs"));

/// Templates this module uses (overridable like the others).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("forms.html", include_str!("../templates/forms.html")),
    ("form.html", include_str!("../templates/form.html")),
];

/// The browser files of the form pages, as (path under `dist/`, bytes).
pub fn assets() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("assets/forms.js", include_bytes!("../assets/forms.js")),
        ("assets/dom.js", include_bytes!("../assets/dom.js")),
        (
            "assets/forms-xlsx.js",
            include_bytes!("../assets/forms-xlsx.js"),
        ),
        (
            "assets/forms-xlsx-read.js",
            include_bytes!("../assets/forms-xlsx-read.js"),
        ),
        ("assets/forms.css", include_bytes!("../assets/forms.css")),
        ("assets/wasm/wasm_forms.js", WASM_JS),
        ("assets/wasm/wasm_forms_bg.wasm", WASM_BG),
        ("assets/wasm/wasm_forms_fill.js", WASM_FILL_JS),
        ("assets/wasm/wasm_forms_fill_bg.wasm", WASM_FILL_BG),
        ("assets/wasm/handin_qr.js", HANDIN_QR_JS),
        ("assets/wasm/handin_qr_bg.wasm", HANDIN_QR_BG),
        ("assets/wasm/handin_scan.js", HANDIN_SCAN_JS),
        ("assets/wasm/handin_scan_bg.wasm", HANDIN_SCAN_BG),
        ("assets/handin.js", include_bytes!("../assets/handin.js")),
        ("assets/collect.js", include_bytes!("../assets/collect.js")),
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
    out.push(OutputFile::new(
        "forms/index.html",
        templates.render("forms.html", &ctx)?,
    ));
    for (f, item) in site.forms.iter().zip(&items) {
        let mut ctx = base_context(site, opts, &item.url);
        ctx.insert("form", &view(site, f));
        ctx.insert("notices", &item.notices);
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
    /// `附件N`: the attachment's position in the notice (1-based).
    pub number: usize,
}

/// What `form.html` needs for one form page.
#[derive(Debug, Clone, Serialize)]
pub struct FormPageView {
    pub id: String,
    pub title: String,
    pub version: u32,
    /// Notices attaching the form, newest first.
    pub attached_by: Vec<AttachedBy>,
    /// The whole form app (status, summaries, toolbar, `<form>`, signature boxes), escaped.
    pub html: String,
    /// The `<script type="application/json">` data blocks (schema, notices, calendar).
    pub data_html: String,
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
                number: pos + 1,
            });
            // The rules of the list the form belongs to, and of each such list by id
            // (a program page opens the form with `?list=`).
            let lists: serde_json::Map<String, serde_json::Value> = n.attachments[pos]
                .lists
                .iter()
                .filter_map(|id| n.list(id))
                .map(|l| {
                    (
                        l.id.clone(),
                        serde_json::to_value(&l.rules).unwrap_or_default(),
                    )
                })
                .collect();
            notices.push(serde_json::json!({
                "slug": n.slug, "title": n.title, "doc_number": n.doc_number,
                "rules": n.rules_for_form(&form.id), "lists": lists,
            }));
        }
    }
    let notices_json = serde_json::json!({
        "default": attached_by.first().map(|a| a.slug.clone()),
        "notices": notices,
    });
    let calendar_json = match &site.calendar {
        Some(c) => serde_json::to_string(c).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    };
    let schema_json = serde_json::to_string(schema).unwrap_or_else(|_| "null".into());
    let mut blocks = vec![
        ("form-schema", schema_json),
        ("form-notices", notices_json.to_string()),
        ("form-calendar", calendar_json),
    ];
    if let Some(survey) = survey_form_for(site, schema) {
        blocks.push((
            "form-survey-schema",
            serde_json::to_string(&survey.schema).unwrap_or_else(|_| "null".into()),
        ));
    }
    let mut data_html = String::new();
    for (id, json) in blocks {
        let _ = writeln!(
            data_html,
            r#"<script type="application/json" id="{id}">{}</script>"#,
            script_safe(&json)
        );
    }
    data_html.push_str(&crate::handin_pages::form_page_extra(site, form));
    FormPageView {
        id: form.id.clone(),
        title: schema.title.clone(),
        version: schema.version,
        html: render_app(schema, &attached_by, engine_bundle(site, schema)),
        attached_by,
        data_html,
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

fn is_table_form(schema: &FormSchema) -> bool {
    schema.tables().next().is_some()
}

/// The engine bundle (`assets/wasm/<stem>.js`) a form's page loads: the whole engine
/// when the page calls any of the organizers' bindings (scores, survey summaries and
/// survey import, tables with their CSV and spreadsheet import), else `wasm_forms_fill`,
/// the same engine without them (about a fifth smaller; see site-gen/build.rs).
pub fn engine_bundle(site: &Site, schema: &FormSchema) -> &'static str {
    let organizer = schema.scoring.is_some()
        || is_table_form(schema)
        || schema.fields().any(|f| f.kind == FieldType::Counts)
        || survey_form_for(site, schema).is_some();
    if organizer {
        "wasm_forms"
    } else {
        "wasm_forms_fill"
    }
}

fn render_app(schema: &FormSchema, attached_by: &[AttachedBy], engine: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<article class="form-app" data-form-id="{}" data-form-version="{}" data-engine="{engine}""#,
        escape(&schema.id),
        schema.version
    );
    if let Some(f) = &schema.file_name_field {
        let _ = write!(h, r#" data-file-name-field="{}""#, escape(f));
    }
    h.push('>');
    h.push_str(r#"<header class="form-head">"#);
    for a in attached_by {
        let _ = write!(
            h,
            r#"<p class="form-kicker">附件{} · <a href="{}">{}</a></p>"#,
            a.number,
            escape(&urls::notice(&a.slug)),
            escape(&a.doc_number)
        );
    }
    let _ = write!(h, "<h1>{}</h1>", escape(&schema.title));
    h.push_str("</header>");
    if let Some(intro) = &schema.intro {
        let _ = write!(h, r#"<div class="form-intro">{}</div>"#, to_html(intro));
    }
    if !schema.notes.is_empty() {
        h.push_str(r#"<aside class="form-notes" aria-label="本站说明">"#);
        for n in &schema.notes {
            let _ = write!(
                h,
                r#"<p class="form-note"><strong>说明：</strong>{}</p>"#,
                md_inline(n)
            );
        }
        h.push_str("</aside>");
    }
    h.push_str(concat!(
        r#"<p id="form-status" class="form-status no-print" role="status" data-kind="info">"#,
        "检查、计算、草稿自动保存和导入导出需要浏览器启用 JavaScript 和 WebAssembly；",
        "未启用时本表仍可阅读和打印。</p>",
        r#"<p id="form-live" class="visually-hidden" aria-live="polite"></p>"#,
        r#"<div id="draft-notice" class="draft-notice no-print" hidden>"#,
        r#"<p data-draft-text>已恢复上次未提交的草稿。</p>"#,
        r#"<button type="button" id="btn-discard-draft" class="secondary">丢弃草稿，重新填写</button></div>"#,
        r#"<div id="import-errors" class="box no-print" data-kind="error" hidden></div>"#,
        r#"<div id="error-summary" class="error-summary no-print" tabindex="-1" hidden aria-labelledby="error-summary-title">"#,
        r#"<h2 id="error-summary-title">存在以下问题</h2><ul></ul></div>"#,
        r#"<div id="warning-summary" class="box no-print" data-kind="warning" hidden></div>"#,
        r#"<div id="notes-box" class="box no-print" data-kind="note" hidden></div>"#,
    ));
    render_toolbar(&mut h, schema, attached_by);
    // `method="dialog"`: a native submission (no JavaScript) goes nowhere, so typed
    // personal data never ends up in a URL; the 检查 button stays disabled until the
    // engine has loaded.
    h.push_str(r#"<form id="form" class="official" method="dialog" novalidate>"#);
    h.push_str(r#"<div id="form-level-messages" class="field-messages"></div>"#);
    for (i, s) in schema.sections.iter().enumerate() {
        render_section(&mut h, schema, s, i);
    }
    h.push_str(concat!(
        r#"<div class="form-actions no-print"><button type="submit" class="primary" id="btn-check" data-needs-wasm disabled>检查</button>"#,
        r#" <span id="check-result" role="status"></span></div>"#,
        "</form>"
    ));
    if let Some(footer) = &schema.footer {
        let _ = write!(h, r#"<div class="form-footer">{}</div>"#, to_html(footer));
    }
    render_sign_boxes(&mut h, &schema.signatures);
    h.push_str("</article>");
    h
}

fn render_toolbar(h: &mut String, schema: &FormSchema, attached_by: &[AttachedBy]) {
    h.push_str(r#"<div class="toolbar no-print" role="group" aria-label="草稿、导入与导出">"#);
    if attached_by.len() > 1 {
        h.push_str(r#"<label class="notice-choice">适用通知 <select id="notice-select">"#);
        for a in attached_by {
            let _ = write!(
                h,
                r#"<option value="{}">{}</option>"#,
                escape(&a.slug),
                escape(&a.doc_number)
            );
        }
        h.push_str("</select></label>");
    }
    h.push_str(concat!(
        r#"<button type="button" id="btn-export-json" data-needs-wasm disabled>导出草稿（JSON）</button>"#,
        r#"<label class="file-button">导入草稿（JSON）<input type="file" id="file-import-json" accept=".json,application/json" data-needs-wasm disabled></label>"#,
    ));
    if is_table_form(schema) {
        h.push_str(concat!(
            r#"<label class="file-button">导入 Excel 或 CSV<input type="file" id="file-import-csv" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-needs-wasm disabled></label>"#,
            r#"<button type="button" id="btn-export-csv" data-needs-wasm disabled>导出 CSV</button>"#,
            r#"<button type="button" id="btn-export-xlsx" data-needs-wasm disabled>导出 Excel（XLSX）</button>"#,
        ));
    }
    h.push_str(
        r#"<button type="button" id="btn-print" data-needs-wasm disabled>打印</button></div>"#,
    );
}

fn render_section(h: &mut String, schema: &FormSchema, s: &Section, index: usize) {
    let id =
        s.id.clone()
            .unwrap_or_else(|| format!("section-{}", index + 1));
    let _ = write!(
        h,
        r#"<fieldset class="section" id="sec-{}"><legend>{}</legend>"#,
        escape(&id),
        escape(&s.legend)
    );
    if let Some(help) = &s.help {
        let _ = write!(h, r#"<div class="hint">{}</div>"#, to_html(help));
    }
    if !s.matrix.is_empty() {
        render_matrix(h, s);
    } else if s.fields.iter().any(|f| f.kind == FieldType::Record) {
        render_records(h, s);
    } else {
        let mut grid_open = false;
        for f in &s.fields {
            let wide = matches!(f.kind, FieldType::Table | FieldType::Counts) || f.multiline;
            if wide && grid_open {
                h.push_str("</div>");
                grid_open = false;
            }
            if !wide && !grid_open {
                h.push_str(r#"<div class="grid">"#);
                grid_open = true;
            }
            render_field(h, f);
        }
        if grid_open {
            h.push_str("</div>");
        }
    }
    render_sum_lines(h, schema, s);
    if s.scoring {
        if let Some(sc) = &schema.scoring {
            render_scoring(h, schema, sc);
        }
    }
    if !s.computed.is_empty() {
        h.push_str(r#"<dl class="computed">"#);
        for c in &s.computed {
            let mut pass = String::new();
            if c.kind == ComputedKind::AtLeast {
                for (attr, label) in [("data-true", &c.true_label), ("data-false", &c.false_label)]
                {
                    if let Some(l) = label {
                        let _ = write!(pass, r#" {attr}="{}""#, escape(l));
                    }
                }
            }
            let _ = write!(
                h,
                r#"<div><dt>{}</dt><dd><output data-computed="{}"{pass}>—</output>"#,
                escape(&c.label),
                escape(&c.id)
            );
            if let Some(help) = &c.help {
                let _ = write!(h, r#" <span class="hint">{}</span>"#, md_inline(help));
            }
            h.push_str("</dd></div>");
        }
        h.push_str("</dl>");
    }
    h.push_str("</fieldset>");
}

/// A live line for each `sum_equals` rule whose total is in this section: the sum of
/// the items beside the total (the rule itself is checked by the engine).
fn render_sum_lines(h: &mut String, schema: &FormSchema, s: &Section) {
    for rule in &schema.rules {
        let Rule::SumEquals { items, total, .. } = rule else {
            continue;
        };
        let Some(total_field) = s.fields.iter().find(|f| &f.id == total) else {
            continue;
        };
        let unit = total_field.unit.clone().unwrap_or_default();
        let _ = write!(
            h,
            r#"<p class="sum-line" data-sum-items="{}" data-sum-total="{}" data-total-label="{}" data-unit="{}">各项金额合计 <output>—</output></p>"#,
            escape(&items.join(",")),
            escape(total),
            escape(&total_field.label),
            escape(&unit)
        );
    }
}

fn hint_for(f: &Field) -> Vec<String> {
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
        FieldType::Money if f.unit.is_none() => out.push("单位：万元".into()),
        _ => {}
    }
    out
}

/// Attributes shared by every control: name, id, data-type, autocomplete, prefill.
fn control_attrs(f: &Field, path: &str) -> String {
    let mut a = format!(
        r#"name="{}" id="{}" data-type="{}""#,
        escape(path),
        control_id(path),
        f.kind.name()
    );
    if let Some(ac) = &f.autocomplete {
        let _ = write!(a, r#" autocomplete="{}""#, escape(ac));
    }
    if let Some(p) = f.prefill {
        let _ = write!(a, r#" data-prefill="{}""#, p.key());
    }
    a
}

/// The input element of a scalar field (no label).
fn input_html(f: &Field, path: &str, extra: &str) -> String {
    let attrs = control_attrs(f, path);
    let req = if f.required {
        r#" aria-required="true""#
    } else {
        ""
    };
    match f.kind {
        FieldType::Text if f.multiline => {
            format!(r#"<textarea {attrs}{req}{extra} rows="4"></textarea>"#)
        }
        FieldType::Choice => {
            let mut s = format!(r#"<select {attrs}{req}{extra}><option value="">请选择</option>"#);
            for o in &f.options {
                let _ = write!(
                    s,
                    r#"<option value="{}">{}</option>"#,
                    escape(&o.id),
                    escape(&o.label)
                );
            }
            s.push_str("</select>");
            s
        }
        FieldType::Bool => {
            format!(r#"<input type="checkbox" {attrs}{extra} value="true">"#)
        }
        _ => {
            let (ty, mode) = match f.kind {
                FieldType::Mobile | FieldType::Phone => ("tel", "tel"),
                FieldType::Email => ("email", "email"),
                FieldType::Date => ("date", "text"),
                FieldType::Postcode | FieldType::Qq => ("text", "numeric"),
                FieldType::Number | FieldType::Money => ("text", "decimal"),
                _ => ("text", "text"),
            };
            let mut s = format!(r#"<input type="{ty}" inputmode="{mode}" {attrs}{req}{extra}"#);
            if matches!(
                f.kind,
                FieldType::IdNumber | FieldType::Qq | FieldType::Postcode
            ) {
                s.push_str(r#" spellcheck="false" autocapitalize="characters""#);
            }
            s.push('>');
            if let Some(unit) = &f.unit {
                s = format!(
                    r#"<span class="with-unit">{s}<span class="unit">{}</span></span>"#,
                    escape(unit)
                );
            }
            s
        }
    }
}

fn required_mark(f: &Field) -> &'static str {
    if f.required {
        r#" <span class="req">（必填）</span>"#
    } else {
        ""
    }
}

fn render_field(h: &mut String, f: &Field) {
    match f.kind {
        FieldType::Table => return render_table(h, f),
        FieldType::Counts => return render_counts(h, f),
        FieldType::Record => return,
        _ => {}
    }
    let path = &f.id;
    let hints = hint_for(f);
    let hint_id = format!("{}-hint", control_id(path));
    let described = if hints.is_empty() {
        String::new()
    } else {
        format!(r#" aria-describedby="{hint_id}""#)
    };
    let hint_html = if hints.is_empty() {
        String::new()
    } else {
        format!(
            r#"<span class="hint" id="{hint_id}">{}</span>"#,
            hints.join("；")
        )
    };
    let radios = (f.kind == FieldType::Choice && f.options.len() <= 4)
        || (f.kind == FieldType::Bool && f.true_label.is_some());
    let wide = if f.multiline { " wide" } else { "" };
    if radios {
        let _ = write!(
            h,
            r#"<fieldset class="field radios{wide}" data-field="{}"{described}><legend>{}{}</legend>{hint_html}<div class="field-messages"></div><div class="options">"#,
            escape(path),
            escape(&f.label),
            required_mark(f)
        );
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
        for (i, (v, l)) in opts.iter().enumerate() {
            let id = if i == 0 {
                control_id(path)
            } else {
                format!("{}-{}", control_id(path), escape(v))
            };
            let _ = write!(
                h,
                r#"<label class="opt"><input type="radio" name="{}" id="{id}" value="{}" data-type="{}"> <span>{}</span></label>"#,
                escape(path),
                escape(v),
                f.kind.name(),
                escape(l)
            );
        }
        h.push_str("</div></fieldset>");
        return;
    }
    if f.kind == FieldType::Bool {
        let _ = write!(
            h,
            r#"<div class="field check" data-field="{}"><div class="field-messages"></div>{} <label for="{}">{}</label>{hint_html}</div>"#,
            escape(path),
            input_html(f, path, &described),
            control_id(path),
            escape(&f.label)
        );
        return;
    }
    let _ = write!(
        h,
        r#"<div class="field{wide}" data-field="{}"><label for="{}">{}{}</label>{hint_html}<div class="field-messages"></div>{}</div>"#,
        escape(path),
        control_id(path),
        escape(&f.label),
        required_mark(f),
        input_html(f, path, &described)
    );
}

/// The 10 × 4 rating matrix: one fieldset per indicator row (legend = group and row),
/// radios with the level ids as values. A table on wide screens, cards on a phone.
fn render_matrix(h: &mut String, s: &Section) {
    h.push_str(r#"<div class="matrix"><div class="matrix-head" aria-hidden="true">"#);
    for hd in &s.headers {
        let _ = write!(h, "<span>{}</span>", escape(hd));
    }
    for l in &s.matrix {
        let _ = write!(h, "<span>{}</span>", escape(&l.label));
    }
    h.push_str("</div>");
    let mut last_group: Option<&str> = None;
    for f in &s.fields {
        let group = f.group.as_deref();
        let first_of_group = group.is_some() && group != last_group;
        last_group = group;
        let options: Vec<(String, String)> = if f.options.is_empty() {
            s.matrix
                .iter()
                .map(|o| (o.id.clone(), o.label.clone()))
                .collect()
        } else {
            f.options
                .iter()
                .map(|o| (o.id.clone(), o.label.clone()))
                .collect()
        };
        let cls = if first_of_group {
            "matrix-row field group-start"
        } else {
            "matrix-row field"
        };
        let _ = write!(
            h,
            r#"<fieldset class="{cls}" data-field="{}"><legend><span class="group">{}</span><span class="sep" aria-hidden="true"> · </span><span class="row-label">{}</span></legend><div class="field-messages"></div><div class="options">"#,
            escape(&f.id),
            escape(group.unwrap_or("")),
            escape(&f.label),
        );
        for (i, (v, l)) in options.iter().enumerate() {
            let id = if i == 0 {
                control_id(&f.id)
            } else {
                format!("{}-{}", control_id(&f.id), escape(v))
            };
            let _ = write!(
                h,
                r#"<label class="opt"><input type="radio" name="{}" id="{id}" value="{}" data-type="choice"> <span>{}</span></label>"#,
                escape(&f.id),
                escape(v),
                escape(l)
            );
        }
        h.push_str("</div></fieldset>");
    }
    h.push_str("</div>");
}

/// Fixed-row records (the evaluation's expense rows): one row per record field.
fn render_records(h: &mut String, s: &Section) {
    let plain: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.kind != FieldType::Record)
        .collect();
    let records: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::Record)
        .collect();
    if !plain.is_empty() {
        h.push_str(r#"<div class="grid">"#);
        for f in plain {
            render_field(h, f);
        }
        h.push_str("</div>");
    }
    if records.is_empty() {
        return;
    }
    h.push_str(r#"<div class="table-wrap"><table class="records"><thead><tr>"#);
    // The schema check makes the headers the label column and one per column.
    for hd in &s.headers {
        let _ = write!(h, r#"<th scope="col">{}</th>"#, escape(hd));
    }
    h.push_str("</tr></thead><tbody>");
    for r in &records {
        let _ = write!(
            h,
            r#"<tr data-field="{}"><th scope="row">{}</th>"#,
            escape(&r.id),
            escape(&r.label)
        );
        for c in &r.columns {
            let path = format!("{}.{}", r.id, c.id);
            let aria = format!(r#" aria-label="{} {}""#, escape(&r.label), escape(&c.label));
            let _ = write!(
                h,
                r#"<td data-field="{}"><div class="field-messages"></div>"#,
                escape(&path)
            );
            if c.kind == FieldType::Bool {
                let t = c.true_label.clone().unwrap_or_else(|| "有".into());
                let fl = c.false_label.clone().unwrap_or_else(|| "否".into());
                let _ = write!(
                    h,
                    r#"<fieldset class="inline-radios"><legend class="visually-hidden">{} {}</legend><label><input type="radio" name="{p}" id="{id}" value="true" data-type="bool"> {}</label> <label><input type="radio" name="{p}" id="{id}-false" value="false" data-type="bool"> {}</label></fieldset>"#,
                    escape(&r.label),
                    escape(&c.label),
                    escape(&t),
                    escape(&fl),
                    p = escape(&path),
                    id = control_id(&path),
                );
            } else {
                h.push_str(&input_html(c, &path, &aria));
            }
            h.push_str("</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn cell_input(c: &Field, table: &str, row: &str, shown: &str) -> String {
    let path = format!("{table}[{row}].{}", c.id);
    let extra = format!(
        r#" data-col="{}" data-label="{}" aria-label="第 {shown} 行 {}""#,
        escape(&c.id),
        escape(&c.label),
        escape(&c.label)
    );
    if c.kind == FieldType::Bool {
        let attrs = control_attrs(c, &path);
        return format!(r#"<input type="checkbox" {attrs}{extra} value="true">"#);
    }
    input_html(c, &path, &extra)
}

/// One table row; `row` is the path index (`0`, or `__i__` in the template) and
/// `shown` the 1-based number people read.
fn table_row(f: &Field, row: &str, shown: &str) -> String {
    let mut r = format!(
        r#"<tr data-row="{row}"><th scope="row" class="rownum" data-row-number>{shown}</th>"#
    );
    for c in &f.columns {
        let _ = write!(
            r,
            r#"<td data-col="{}"><div class="field-messages"></div>{}</td>"#,
            escape(&c.id),
            cell_input(c, &f.id, row, shown)
        );
    }
    r.push_str(r#"<td class="no-print"><button type="button" class="link-button" data-remove-row aria-label="删除此行">删除</button></td></tr>"#);
    r
}

/// A repeating table (rosters, lecturers) with add / remove row.
fn render_table(h: &mut String, f: &Field) {
    let _ = write!(
        h,
        r#"<div class="field table-field" data-field="{id}" data-path="{id}"><p class="table-title" id="{cid}-title">{}{} <span class="row-count">（共 <span data-row-count="{id}">1</span> 行）</span></p>"#,
        escape(&f.label),
        required_mark(f),
        id = escape(&f.id),
        cid = control_id(&f.id),
    );
    if let Some(help) = &f.help {
        let _ = write!(h, r#"<div class="hint">{}</div>"#, to_html(help));
    }
    let _ = write!(
        h,
        r#"<div class="field-messages"></div><div class="table-wrap"><table class="rows{wide}" data-table="{id}" data-csv data-min-rows="1" aria-labelledby="{cid}-title"><thead><tr><th scope="col">行</th>"#,
        id = escape(&f.id),
        cid = control_id(&f.id),
        wide = if f.columns.len() > 5 {
            " many-cols"
        } else {
            ""
        },
    );
    for c in &f.columns {
        let numeric = matches!(c.kind, FieldType::Number | FieldType::Money);
        let _ = write!(
            h,
            r#"<th scope="col" data-col="{}" data-label="{}" data-numeric="{numeric}">{}{}</th>"#,
            escape(&c.id),
            escape(&c.label),
            escape(&c.label),
            if c.required {
                r#"<span class="req" aria-hidden="true">*</span>"#
            } else {
                ""
            }
        );
    }
    h.push_str(r#"<th scope="col" class="no-print"><span class="visually-hidden">操作</span></th></tr></thead><tbody>"#);
    // Rendered with path index 0; forms.js renumbers (names, ids, labels) on every change.
    h.push_str(&table_row(f, "0", "1"));
    h.push_str("</tbody></table></div>");
    let _ = write!(
        h,
        r#"<template id="tpl-{id}">{}</template><p class="no-print"><button type="button" class="secondary" data-add-row="{id}" data-needs-wasm disabled>＋ 添加一行</button></p></div>"#,
        table_row(f, "__i__", "__i__"),
        id = escape(&f.id),
    );
}

/// The evaluation's survey counts (section 五): a counts matrix typed from paper forms
/// or filled by importing survey files, with the percentage table and chart beside it.
fn render_counts(h: &mut String, f: &Field) {
    let Some(t) = &f.text else { return }; // the schema check requires it
    let id = &f.id;
    let _ = write!(
        h,
        r#"<div class="field counts" data-field="{id}" data-path="{id}"><div class="field-messages"></div>"#,
        id = escape(id)
    );
    let _ = write!(
        h,
        concat!(
            r#"<div id="survey-drop" class="drop-zone no-print"><p>{import}"#,
            r#"或 <label class="file-button">选择文件<input type="file" id="file-import-surveys" accept=".json,.txt,application/json,text/plain" multiple data-needs-wasm disabled></label>；"#,
            r#"{typed}</p></div><div id="survey-rejected" class="box" data-kind="warning" hidden></div>"#,
            r#"<div class="field" data-field="{id}.forms"><label for="{fid}">{forms}</label><div class="field-messages"></div>"#,
            r#"<input type="text" inputmode="numeric" name="{id}.forms" id="{fid}" data-type="number"></div>"#
        ),
        id = escape(id),
        fid = control_id(&format!("{id}.forms")),
        import = escape(&t.import),
        typed = escape(&t.typed),
        forms = escape(&t.forms),
    );
    let _ = write!(
        h,
        r#"<div class="table-wrap"><table class="counts-table"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>"#,
        escape(&t.caption),
        escape(&t.headers[0]),
        escape(&t.headers[1])
    );
    for l in &f.options {
        let _ = write!(h, r#"<th scope="col">{}</th>"#, escape(&l.label));
    }
    h.push_str("</tr></thead><tbody>");
    let mut last_group: Option<&str> = None;
    for r in &f.rows {
        let group = r.group.as_deref();
        let show = if group != last_group {
            group.unwrap_or("")
        } else {
            ""
        };
        last_group = group;
        let _ = write!(
            h,
            r#"<tr data-field="{id}.indicators.{rid}"><td class="group">{}</td><th scope="row">{}</th>"#,
            escape(show),
            escape(&r.label),
            id = escape(id),
            rid = escape(&r.id)
        );
        for l in &f.options {
            let path = format!("{id}.indicators.{}.{}", r.id, l.id);
            let _ = write!(
                h,
                r#"<td><input type="text" inputmode="numeric" name="{}" id="{}" data-type="number" aria-label="{} {} 份数" class="count"></td>"#,
                escape(&path),
                control_id(&path),
                escape(&r.label),
                escape(&l.label)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
    let layout = serde_json::json!({
        "levels": f.options.iter().map(|o| serde_json::json!({"id": o.id, "label": o.label})).collect::<Vec<_>>(),
        "rows": f.rows.iter().map(|r| serde_json::json!({"id": r.id, "label": r.label})).collect::<Vec<_>>(),
    });
    let _ = write!(
        h,
        r#"<div class="survey-out" data-survey-summary data-field="{}" data-layout="{}" data-forms-label="{}" data-rate-label="{}" data-score-label="{}" data-percent-caption="{}" data-chart-title="{}" data-row-header="{}" aria-live="polite"></div></div>"#,
        escape(id),
        escape(&layout.to_string()),
        escape(&t.forms),
        escape(&t.rate),
        escape(&t.score),
        escape(&t.percent_caption),
        escape(&t.chart),
        escape(&t.headers[1]),
    );
}

/// The 绩效评价指标体系 table: every indicator with the seed's criteria, its maximum,
/// the inputs of its rule and the live score with its reason; section subtotals, the
/// 综合得分 and pass / fail at 70.
fn render_scoring(h: &mut String, schema: &FormSchema, sc: &Scoring) {
    let _ = write!(
        h,
        r#"<div class="table-wrap"><table class="scoring"><caption>{}（{} 分）</caption><thead><tr>"#,
        escape(&sc.caption),
        sc.total.normalize()
    );
    for hd in &sc.headers {
        let _ = write!(h, r#"<th scope="col">{}</th>"#, escape(hd));
    }
    h.push_str("</tr></thead>");
    for (si, sec) in sc.sections.iter().enumerate() {
        h.push_str("<tbody>");
        for (ii, ind) in sec.indicators.iter().enumerate() {
            let _ = write!(h, r#"<tr data-field="{}">"#, escape(&ind.id));
            if ii == 0 {
                let _ = write!(
                    h,
                    r#"<th scope="rowgroup" rowspan="{}" class="sec">{}<br>（{} 分）</th>"#,
                    sec.indicators.len() + 1,
                    escape(&sec.label),
                    sec.max.normalize()
                );
            }
            let _ = write!(
                h,
                r#"<th scope="row">{}</th><td class="criteria">{}"#,
                escape(&ind.label),
                escape(&ind.criteria)
            );
            if let Some(note) = &ind.note {
                let _ = write!(
                    h,
                    r#"<p class="form-note"><strong>说明：</strong>{}</p>"#,
                    md_inline(note)
                );
            }
            let _ = write!(
                h,
                r#"</td><td class="max">{}</td><td class="self"><div class="field-messages"></div>"#,
                ind.max.normalize()
            );
            render_indicator_inputs(h, schema, sc, ind);
            let _ = write!(
                h,
                r#"<p class="score-line">得分 <output data-score="{id}">—</output> / {}</p><p class="reason" data-reason="{id}"></p></td></tr>"#,
                ind.max.normalize(),
                id = escape(&ind.id)
            );
        }
        let _ = write!(
            h,
            r#"<tr class="subtotal"><th scope="row" colspan="3">{} 小计</th><td><output data-section-score="{si}">—</output> / {}</td></tr></tbody>"#,
            escape(&sec.label),
            sec.max.normalize()
        );
    }
    let _ = write!(
        h,
        r#"<tfoot><tr class="total"><th scope="row" colspan="3">综合得分</th><td class="max">{}</td><td><output data-score-total>—</output>"#,
        sc.total.normalize()
    );
    // A pass state only where the seed states a pass mark (the schema's `pass_mark`).
    if let Some(m) = sc.pass_mark {
        let m = m.normalize();
        let _ = write!(
            h,
            r#" <output data-score-passed class="pass-state" data-true="合格（≥ {m} 分）" data-false="不合格（&lt; {m} 分）" data-incomplete="（尚有指标未填写，暂不判定是否合格）">—</output>"#
        );
    }
    h.push_str("</td></tr></tfoot></table></div>");
}

/// The page label of a scoring input (the schema check makes every input have one).
fn input_label(sc: &Scoring, key: &str) -> String {
    sc.inputs
        .get(key)
        .map_or_else(|| key.to_owned(), |t| t.label.clone())
}

fn render_indicator_inputs(h: &mut String, schema: &FormSchema, sc: &Scoring, ind: &Indicator) {
    for (key, kind) in ind.inputs() {
        if schema.field(&key).is_some() {
            continue; // rendered where the schema puts it
        }
        let cid = control_id(&key);
        match kind {
            InputKind::ChoiceScore => {
                let ScoreRule::Choice { options } = &ind.rule else {
                    continue;
                };
                let _ = write!(
                    h,
                    r#"<fieldset class="score-choice" data-field="{}"><legend class="visually-hidden">{} 自评分</legend>"#,
                    escape(&key),
                    escape(&ind.label)
                );
                for (i, o) in options.iter().enumerate() {
                    let v = o.score.normalize().to_string();
                    let id = if i == 0 {
                        cid.clone()
                    } else {
                        format!("{cid}-{}", v.replace('.', "_"))
                    };
                    let _ = write!(
                        h,
                        r#"<label class="opt"><input type="radio" name="{}" id="{id}" value="{}" data-type="score"> <span>{} 分：{}</span></label>"#,
                        escape(&key),
                        escape(&v),
                        escape(&v),
                        escape(&o.label)
                    );
                }
                h.push_str("</fieldset>");
            }
            InputKind::Percent | InputKind::Count | InputKind::Money => {
                let label = escape(&input_label(sc, &key));
                let (ty, mode) = match kind {
                    InputKind::Money => ("money", "decimal"),
                    InputKind::Count => ("count", "numeric"),
                    _ => ("percent", "decimal"),
                };
                let _ = write!(
                    h,
                    r#"<div class="field" data-field="{k}"><label for="{cid}">{label}</label><div class="field-messages"></div><input type="text" inputmode="{mode}" name="{k}" id="{cid}" data-type="{ty}"></div>"#,
                    k = escape(&key),
                );
            }
            InputKind::Bool => {
                let label = escape(&input_label(sc, &key));
                let _ = write!(
                    h,
                    r#"<div class="field check" data-field="{k}"><div class="field-messages"></div><input type="checkbox" name="{k}" id="{cid}" value="true" data-type="bool"> <label for="{cid}">{label}</label></div>"#,
                    k = escape(&key),
                );
            }
            InputKind::Execution => {
                let _ = write!(
                    h,
                    r#"<fieldset class="field radios" data-field="{k}"><legend>{}</legend><div class="field-messages"></div><div class="options">"#,
                    escape(&input_label(sc, &key)),
                    k = escape(&key)
                );
                let options = sc.inputs.get(&key).map_or(&[][..], |t| &t.options[..]);
                for (i, (v, l)) in options
                    .iter()
                    .map(|o| (o.id.as_str(), o.label.as_str()))
                    .enumerate()
                {
                    let id = if i == 0 {
                        cid.clone()
                    } else {
                        format!("{cid}-{v}")
                    };
                    let _ = write!(
                        h,
                        r#"<label class="opt"><input type="radio" name="{}" id="{id}" value="{}" data-type="choice"> <span>{}</span></label>"#,
                        escape(&key),
                        escape(v),
                        escape(l)
                    );
                }
                h.push_str("</div></fieldset>");
            }
            InputKind::Survey => {
                let _ = write!(
                    h,
                    r#"<p class="hint">{}</p>"#,
                    escape(&input_label(sc, &key))
                );
            }
        }
    }
}

/// Signature and seal boxes as on the seed's forms (printed; shown on screen too).
fn render_sign_boxes(h: &mut String, boxes: &[String]) {
    if boxes.is_empty() {
        return;
    }
    h.push_str(r#"<section class="sign-boxes" aria-label="签字盖章">"#);
    for b in boxes {
        let _ = write!(
            h,
            r#"<div class="sign-box"><p>{}</p><p class="sign-date">年　　月　　日</p></div>"#,
            escape(b)
        );
    }
    h.push_str("</section>");
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
