//! Facts about the survey hand-in derived from the model (shared/spec/handin.md): which
//! form trainees hand in, the form that aggregates it, which plan lists offer it, a
//! program's key and the pages that work offline. Both the pages that show a survey link
//! and the pass that writes the offline workers read them here.
//!
//! A form is handed in when another form's counts field aggregates it (the survey whose
//! responses fill section 五 of the evaluation report). Its programs are those of the
//! plan lists whose forms include it (the forms their program pages offer); a program is
//! named `<notice-slug>/<list-id>-<n>`, as its page's path.

use wasm_forms::schema::FieldType;

use super::model::{AttachmentTarget, Form, Notice, Site};
use crate::urls;

/// The form handed in by trainees, if any: a form whose choice fields are the rows of
/// another form's counts field.
pub fn survey_form(site: &Site) -> Option<&Form> {
    site.forms.iter().find(|f| is_handin_form(site, f))
}

/// Whether `form` is aggregated by another form's counts field.
pub fn is_handin_form(site: &Site, form: &Form) -> bool {
    site.forms.iter().any(|other| {
        other.id != form.id
            && other
                .schema
                .fields()
                .filter(|c| c.kind == FieldType::Counts)
                .any(|c| {
                    let rows: Vec<&str> = c.rows.iter().map(|r| r.id.as_str()).collect();
                    form.schema.sections.iter().any(|s| {
                        !s.matrix.is_empty()
                            && s.fields.iter().map(|x| x.id.as_str()).collect::<Vec<_>>() == rows
                    })
                })
    })
}

/// The form whose counts field takes the survey's responses (the evaluation report).
pub fn evaluation_form<'a>(site: &'a Site, survey: &Form) -> Option<&'a Form> {
    site.forms
        .iter()
        .find(|f| f.id != survey.id && f.schema.fields().any(|c| c.kind == FieldType::Counts))
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

/// The folder paths of the pages that get an offline worker: the handed-in survey's
/// page and its collection page.
pub fn offline_pages(site: &Site) -> Vec<String> {
    survey_form(site)
        .map(|s| {
            let page = urls::form(&s.id);
            vec![format!("{page}collect/"), page]
        })
        .unwrap_or_default()
}

/// Whether the page at `page_path` registers an offline worker (cheap for the site's
/// other pages).
pub fn has_offline_worker(site: &Site, page_path: &str) -> bool {
    page_path.starts_with("/forms/") && offline_pages(site).iter().any(|p| p == page_path)
}
