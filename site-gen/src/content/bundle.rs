//! The engine bundle a form's page loads, derived from its schema and the site's other
//! forms (see site-gen/build.rs, web/*, the sizes in wasm-forms/Cargo.toml).

use wasm_forms::schema::FormSchema;

use super::model::{Form, Site};

/// The survey whose responses fill this form's counts field (the evaluation's
/// section 五), as the engine pairs them.
pub fn summarised_survey<'a>(site: &'a Site, schema: &FormSchema) -> Option<&'a Form> {
    site.forms
        .iter()
        .find(|f| wasm_forms::api::summarising_form([schema], &f.schema).is_some())
}

/// The engine bundle (`assets/wasm/<stem>.js`) a form's page loads, each with only the
/// bindings its page calls: `wasm_forms_evaluation`, the one with scoring, when the form
/// is scored, has counts fields or summarises a survey (its page imports the survey's
/// files); `wasm_forms_tables` for tables (CSV and spreadsheet import and export);
/// `wasm_forms_survey`, the fill-in engine with the hand-in code and the QR maker, for a
/// form handed in (`handin`: the survey); else `wasm_forms_fill`. (The collection page
/// loads `wasm_forms_collect`: `render::handin_pages`.)
///
/// A scored form with tables would need both the scoring and the tables' bindings,
/// which no bundle has (no form of the seeds is both): the check refuses such a form
/// (`content::validate`), so no page loads an engine that lacks what it calls.
pub fn engine_bundle(site: &Site, schema: &FormSchema, handin: bool) -> &'static str {
    if wasm_forms::page::needs_scoring(schema) || summarised_survey(site, schema).is_some() {
        "wasm_forms_evaluation"
    } else if schema.tables().next().is_some() {
        "wasm_forms_tables"
    } else if handin {
        "wasm_forms_survey"
    } else {
        "wasm_forms_fill"
    }
}
