//! Facts about the survey hand-in derived from the model (shared/spec/handin.md): which
//! form trainees hand in, the form that aggregates it, which plan lists offer it, a
//! program's key and the pages that work offline. Both the pages that show a survey link
//! and the pass that writes the offline workers read them here.
//!
//! A form is handed in when another form's counts field aggregates it (the survey whose
//! responses fill section 五 of the evaluation report). Its programs are those of the
//! plan lists whose forms include it (the forms their program pages offer); a program is
//! named `<notice-slug>/<list-id>-<n>`, as its page's path.

use super::model::{AttachmentTarget, Form, Notice, Site};
use crate::urls;

/// The forms handed in by trainees: each form another form's counts field aggregates
/// (a city's copy of the survey beside the original is one more).
pub fn survey_forms(site: &Site) -> impl Iterator<Item = &Form> {
    site.forms.iter().filter(|f| is_handin_form(site, f))
}

/// The survey a plan list offers its programs, if any: the first handed-in form among
/// the list's forms.
pub fn survey_of_list<'a>(site: &'a Site, n: &Notice, list_id: &str) -> Option<&'a Form> {
    n.forms_of_list(list_id).find_map(|a| match &a.target {
        AttachmentTarget::Form(id) => site
            .forms
            .iter()
            .find(|f| &f.id == id && is_handin_form(site, f)),
        AttachmentTarget::List(_) => None,
    })
}

/// Whether `form` is aggregated by another form's counts field.
pub fn is_handin_form(site: &Site, form: &Form) -> bool {
    summarising(site, form).next().is_some()
}

/// The forms whose counts field aggregates `survey` (the engine's rule).
fn summarising<'a>(site: &'a Site, survey: &'a Form) -> impl Iterator<Item = &'a Form> {
    site.forms.iter().filter(move |f| {
        f.id != survey.id
            && wasm_forms::api::summarising_form([&f.schema], &survey.schema).is_some()
    })
}

/// The form whose counts field takes the survey's responses (the evaluation report).
/// When several do (a city's copy of the report beside the original), the one a notice
/// attaches together with the survey.
pub fn evaluation_form<'a>(site: &'a Site, survey: &'a Form) -> Option<&'a Form> {
    let attached_with = |f: &Form| {
        site.notices
            .iter()
            .any(|n| n.form_ids().any(|id| id == survey.id) && n.form_ids().any(|id| id == f.id))
    };
    summarising(site, survey)
        .find(|f| attached_with(f))
        .or_else(|| summarising(site, survey).next())
}

/// Whether the forms of a plan list (the program page's forms) include `form_id`.
pub fn list_has_form(n: &Notice, list_id: &str, form_id: &str) -> bool {
    n.forms_of_list(list_id)
        .any(|a| matches!(&a.target, AttachmentTarget::Form(id) if id == form_id))
}

/// `<notice-slug>/<list-id>-<n>`: the program's key in a response's envelope.
pub fn program_key(n: &Notice, list_id: &str, pos: usize) -> String {
    format!("{}/{list_id}-{pos}", n.slug)
}

/// The folder paths of the pages that get an offline worker: each handed-in survey's
/// page and its collection page, and the search page.
pub fn offline_pages(site: &Site) -> Vec<String> {
    let mut pages: Vec<String> = survey_forms(site)
        .flat_map(|s| {
            let page = urls::form(&s.id);
            [format!("{page}collect/"), page]
        })
        .collect();
    pages.push(urls::SEARCH.to_string());
    pages
}

/// Whether the page at `page_path` registers an offline worker (cheap for the site's
/// other pages).
pub fn has_offline_worker(site: &Site, page_path: &str) -> bool {
    page_path == urls::SEARCH
        || page_path.starts_with("/forms/") && offline_pages(site).iter().any(|p| p == page_path)
}
