//! The form schemas, one file a form: parsed by the engine, then what a site needs of
//! them (the id is the file name; a scored form has no table; autofill hints).

use wasm_forms::schema;

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::Raw;
use crate::content::model::Form;

/// Every form that parses, sorted by id.
pub(super) fn forms(raw: &Raw, d: &mut Diagnostics) -> Vec<Form> {
    let mut forms = Vec::new();
    for f in &raw.forms {
        match schema::parse_toml(&f.text) {
            Ok(schema) => {
                if schema.id != f.stem() {
                    let id = schema::Path::root().key("id");
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        schema::span_of(&f.text, &id).unwrap_or(0..0),
                        format!(
                            "form id `{}` does not match the file name `{}` (expected id = \"{}\")",
                            schema.id,
                            f.file_name(),
                            f.stem()
                        ),
                    ));
                }
                if wasm_forms::page::needs_scoring(&schema) && schema.tables().next().is_some() {
                    // Each form page loads one engine bundle (forms_page::engine_bundle):
                    // the scored forms' has no table import or export.
                    let at = schema::Path::root().key("scoring");
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        schema::span_of(&f.text, &at).unwrap_or(0..0),
                        "a form with scoring or survey counts cannot have a table (the \
                         browser engine of scored forms has no table import or export): \
                         put the table in a form of its own"
                            .to_string(),
                    ));
                }
                for (si, sec) in schema.sections.iter().enumerate() {
                    for (fi, field) in sec.fields.iter().enumerate() {
                        let at = schema::Path::root().item("sections", si).item("fields", fi);
                        let columns = field.columns.iter().enumerate();
                        let cells = columns.map(|(ci, c)| (c, at.item("columns", ci)));
                        for (field, at) in std::iter::once((field, at.clone())).chain(cells) {
                            if let Some(why) = crate::content::autofill::problem(field) {
                                let span = schema::span_of(&f.text, &at.key("autocomplete"));
                                d.push(Diagnostic::at(&f.path, &f.text, span.unwrap_or(0..0), why));
                            }
                        }
                    }
                }
                forms.push(Form {
                    id: f.stem(),
                    schema,
                });
            }
            Err(errors) => {
                for e in errors {
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        e.span.clone(),
                        e.message(),
                    ));
                }
            }
        }
    }
    forms.sort_by(|a, b| a.id.cmp(&b.id));
    forms
}
