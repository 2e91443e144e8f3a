//! Form pages (`/forms/` and `/forms/<id>/`): the page of each form, its data blocks,
//! and the browser assets that run it.
//!
//! [`render_all`] is called by [`super::render_selected`]. For each form it builds a
//! [`FormPageView`]: the app's view ([`super::form_views`]), the schema, the rules of
//! every notice attaching the form and the calendar as data blocks, and the engine
//! bundle it loads ([`crate::content::bundle`]). The template `form.html` prints the
//! page; each template can be overridden alone like the others. The page reads and
//! prints without JavaScript, and `forms.js` does everything else through the engine.

use serde::Serialize;

use super::data::{script_safe, wire_block};
use super::form_views::{app_view, AppView};
use super::page::{base_context, Options, OutputFile};
use super::templates::{TemplateError, Templates};
use crate::content::bundle::{engine_bundle, summarised_survey};
use crate::content::handin::is_handin_form;
use crate::content::model::{AttachmentTarget, Form, Site};
use crate::urls;

/// Templates this module uses (overridable like the others; listed with them).
pub use super::templates::FORM_TEMPLATES as TEMPLATES;

/// The browser files of the form pages ([`super::embedded::form_assets`]).
pub fn assets() -> Vec<(&'static str, &'static [u8])> {
    super::embedded::form_assets()
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
    ctx.insert("by_notice", &super::views::forms_index(site));
    ctx.insert("description", &super::describe::forms_index(site));
    out.push(OutputFile::new(
        "forms/index.html",
        templates.render("forms.html", &ctx)?,
    ));
    for (f, item) in site.forms.iter().zip(&items) {
        let mut ctx = base_context(site, opts, &item.url);
        ctx.insert("form", &view(site, f));
        ctx.insert("notices", &item.notices);
        ctx.insert("description", &super::describe::form(site, f));
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
    if let Some(survey) = summarised_survey(site, schema) {
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
    let handin = is_handin_form(site, form);
    FormPageView {
        id: form.id.clone(),
        title: schema.title.clone(),
        version: schema.version,
        app: app_view(schema, handin, engine_bundle(site, schema, handin)),
        attached_by,
        data_blocks,
        extra_html: super::handin_pages::form_page_extra(site, form),
    }
}
