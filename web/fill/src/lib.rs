//! `wasm_forms_fill`: the engine of the form pages that only fill in (registration,
//! self-evaluation, acceptance): validation, export and import of a response. No
//! scoring, tables or hand-in; a form that needs scoring is refused by the constructor.
#![cfg(target_arch = "wasm32")]

wasm_forms_web::engine!(false);
wasm_forms_web::fill_in!();
