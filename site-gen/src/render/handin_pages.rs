//! The survey hand-in pages (shared/spec/handin.md): the survey link of each program
//! (with its QR code, made here at build time), the A4 classroom poster of that link, the
//! extra data and script of the survey page, and the collection page
//! `/forms/<survey>/collect/`.
//!
//! Which form is handed in, its programs and their keys are facts of the model
//! ([`crate::content::handin`]). All rules (codes, duplicates, the summary) run in the
//! engine; this module only renders.

use std::fmt::Write as _;

use serde::Serialize;

use super::data::{script_safe, wire_block};
use super::feeds::absolute;
use super::page::{base_context, Options, OutputFile};
use super::templates::{TemplateError, Templates};
use crate::content::handin::{
    evaluation_form, is_handin_form, list_has_form, program_key, survey_forms, survey_of_list,
};
use crate::content::model::{Form, Notice, Program, Site};
use crate::urls;

/// Templates this module uses (overridable like the others; listed with them).
pub use super::templates::HANDIN_TEMPLATES as TEMPLATES;

/// The stylesheet of the hand-in panel, the poster and the collection page.
pub const CSS: &str = super::embedded::HANDIN_CSS;

/// The survey page's URL for one program (root-absolute).
pub fn survey_url(form_id: &str, program: &str) -> String {
    format!(
        "{}{}",
        urls::form(form_id),
        urls::query(&[("program", program)])
    )
}

/// What a program's page shows of its survey.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyLink {
    pub title: String,
    /// Root-absolute link (for the page).
    pub url: String,
    /// Absolute URL from `base_url` (what the QR code holds).
    pub absolute_url: String,
    /// Inline SVG of the QR code of `absolute_url`.
    pub qr_svg: String,
    pub poster_url: String,
    pub collect_url: String,
}

fn poster_path(n: &Notice, list_id: &str, pos: usize) -> String {
    format!("{}poster/", urls::program(&n.slug, list_id, pos))
}

/// The survey link of a program, when the site has a survey its notice attaches.
pub fn survey_link(site: &Site, n: &Notice, list_id: &str, pos: usize) -> Option<SurveyLink> {
    let survey = survey_of_list(site, n, list_id)?;
    let key = program_key(n, list_id, pos);
    let url = survey_url(&survey.id, &key);
    let absolute_url = format!(
        "{}{}",
        absolute(&site.config.base_url, urls::form(&survey.id).as_str()),
        urls::query(&[("program", &key)])
    );
    let qr_svg = handin_qr::svg(&absolute_url, &format!("问卷二维码：{absolute_url}"))?;
    Some(SurveyLink {
        title: survey.schema.title.clone(),
        url,
        absolute_url,
        qr_svg,
        poster_url: poster_path(n, list_id, pos),
        collect_url: format!(
            "{}collect/{}",
            urls::form(&survey.id),
            urls::query(&[("program", &key)])
        ),
    })
}

/// A program as the survey and collection pages name it.
#[derive(Debug, Clone, Serialize)]
struct ProgramRef {
    key: String,
    name: String,
    organizer: String,
    notice: String,
    /// The query string of the program's forms ([`super::views::program_query`]):
    /// the collection opens the evaluation report with it, so that its project name
    /// and organizer are filled for this program.
    form_query: String,
}

fn programs_of(site: &Site, survey: &Form) -> Vec<ProgramRef> {
    let mut out = Vec::new();
    for n in &site.notices {
        for l in n
            .lists
            .iter()
            .filter(|l| list_has_form(n, &l.id, &survey.id))
        {
            for (i, p) in l.programs.iter().enumerate() {
                out.push(ProgramRef {
                    key: program_key(n, &l.id, i + 1),
                    name: p.name.clone(),
                    organizer: p.organizer.clone(),
                    notice: n.doc_number.clone(),
                    form_query: super::views::program_query(n, l, i + 1, p),
                });
            }
        }
    }
    out
}

/// Extra HTML of a handed-in form's page: the programs as a data block, the hand-in
/// stylesheet and `handin.js` (the hand-in panel). Empty for other forms.
pub fn form_page_extra(site: &Site, form: &Form) -> String {
    if !is_handin_form(site, form) {
        return String::new();
    }
    let programs = serde_json::to_string(&programs_of(site, form)).unwrap_or_else(|_| "[]".into());
    let mut h = String::new();
    let _ = writeln!(
        h,
        r#"<script type="application/json" id="handin-programs">{}</script>"#,
        script_safe(&programs)
    );
    let _ = writeln!(
        h,
        r#"<link rel="stylesheet" href="{}" data-inline><script type="module" src="{}" data-handin-panel></script>"#,
        crate::render::assets::url("handin.css").unwrap_or_default(),
        crate::render::assets::url("handin.js").unwrap_or_default()
    );
    h
}

#[derive(Serialize)]
struct PosterView<'a> {
    program: &'a str,
    organizer: &'a str,
    notice_title: &'a str,
    doc_number: &'a str,
    program_url: String,
    survey: SurveyLink,
}

#[derive(Serialize)]
struct CollectView {
    form_id: String,
    title: String,
    survey_url: String,
    evaluation_id: Option<String>,
    evaluation_title: Option<String>,
    programs: Vec<ProgramRef>,
    data_html: String,
}

/// The posters of every program with a survey, and the collection page, each handed to
/// `put` as soon as it is rendered (a build streams its pages; none are held).
pub fn render_all(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    put: &mut dyn FnMut(OutputFile) -> Result<(), TemplateError>,
) -> Result<(), TemplateError> {
    for n in &site.notices {
        for l in &n.lists {
            for (i, p) in l.programs.iter().enumerate() {
                if let Some(link) = survey_link(site, n, &l.id, i + 1) {
                    put(poster(site, templates, opts, n, &l.id, i + 1, p, link)?)?;
                }
            }
        }
    }
    let mut any = false;
    for survey in survey_forms(site) {
        any = true;
        collect_page(site, templates, opts, survey, put)?;
    }
    if any {
        put(OutputFile::new("assets/handin.css", CSS))?;
    }
    Ok(())
}

/// The collection page of one handed-in form.
fn collect_page(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    survey: &Form,
    put: &mut dyn FnMut(OutputFile) -> Result<(), TemplateError>,
) -> Result<(), TemplateError> {
    let path = format!("{}collect/", urls::form(&survey.id));
    let evaluation = evaluation_form(site, survey);
    // The rules of the first notice attaching the survey (none: empty).
    let rules = site
        .notices
        .iter()
        .find(|n| n.form_ids().any(|id| id == survey.id))
        .map(|n| wire_block(&n.rules))
        .unwrap_or_default();
    let calendar = site.calendar.as_ref().map(wire_block).unwrap_or_default();
    let mut data_html = String::new();
    for (id, mime, json) in [
        ("form-schema", "text/plain", wire_block(&survey.schema)),
        ("form-rules", "text/plain", rules),
        ("form-calendar", "text/plain", calendar),
        // The evaluation report's schema: its tiers score r in the summary (学员满意度得分),
        // as `site-gen form aggregate` scores it.
        (
            "form-summarised-by",
            "text/plain",
            evaluation
                .map(|e| wire_block(&e.schema))
                .unwrap_or_default(),
        ),
    ] {
        let _ = writeln!(
            data_html,
            r#"<script type="{mime}" id="{id}">{}</script>"#,
            script_safe(&json)
        );
    }
    let view = CollectView {
        form_id: survey.id.clone(),
        title: survey.schema.title.clone(),
        survey_url: urls::form(&survey.id),
        evaluation_id: evaluation.map(|e| e.id.clone()),
        evaluation_title: evaluation.map(|e| e.schema.title.clone()),
        programs: programs_of(site, survey),
        data_html,
    };
    let mut ctx = base_context(site, opts, &path);
    ctx.insert("collect", &view);
    ctx.insert(
        "description",
        &super::describe::collect(
            &survey.schema.title,
            evaluation.map(|e| e.schema.title.as_str()),
        ),
    );
    put(OutputFile::new(
        urls::file_for(&path),
        templates.render("collect.html", &ctx)?,
    ))
}

#[allow(clippy::too_many_arguments)]
fn poster(
    site: &Site,
    templates: &Templates,
    opts: &Options,
    n: &Notice,
    list_id: &str,
    pos: usize,
    p: &Program,
    survey: SurveyLink,
) -> Result<OutputFile, TemplateError> {
    let path = poster_path(n, list_id, pos);
    let mut ctx = base_context(site, opts, &path);
    ctx.insert("description", &super::describe::poster(&survey.title, n, p));
    ctx.insert(
        "poster",
        &PosterView {
            program: &p.name,
            organizer: &p.organizer,
            notice_title: &n.title,
            doc_number: &n.doc_number,
            program_url: urls::program(&n.slug, list_id, pos),
            survey,
        },
    );
    Ok(OutputFile::new(
        urls::file_for(&path),
        templates.render("poster.html", &ctx)?,
    ))
}
