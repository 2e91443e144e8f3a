//! What the binding crates of the browser bundles share (`web/*`, one crate per bundle,
//! built together by site-gen/build.rs).
//!
//! Each bundle is a cdylib exporting its own `Engine`, a `#[wasm_bindgen]` wrapper of
//! [`wasm_forms::page::Page`] with only the methods its pages call: code that no export
//! reaches is not linked into it. This crate holds no export of its own (every
//! `#[no_mangle]` item of a dependency would be exported by every bundle); it gives the
//! bundles the [`engine!`] and [`fill_in!`] macros, which expand to those exports in
//! the bundle's own crate, and [`uploads`], the `[{name, text}]` of JavaScript read
//! into the core's [`Upload`]s.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use wasm_forms::page::Upload;

// The macros' paths to the crates they use, whatever the bundle crate imports.
#[doc(hidden)]
pub use {wasm_bindgen, wasm_forms};

/// `[{name, text}]` from JavaScript: files, pasted text, scanned codes. A missing name
/// or text (or an item that is no object) stays `None`; the core says what that means.
pub fn uploads(files: &js_sys::Array) -> Vec<Upload> {
    let name_key = JsValue::from_str("name");
    let text_key = JsValue::from_str("text");
    files
        .iter()
        .map(|f| {
            let get = |k: &JsValue| js_sys::Reflect::get(&f, k).ok().and_then(|v| v.as_string());
            Upload {
                name: get(&name_key),
                text: get(&text_key),
            }
        })
        .collect()
}

/// Hands JavaScript's Unicode case mapping (`toLowerCase` / `toUpperCase`) to the core,
/// which then links no case tables of its own ([`wasm_forms::case`]).
pub fn use_browser_case() {
    wasm_forms::case::set_mapping(|s, upper| {
        let js = js_sys::JsString::from(s);
        String::from(if upper {
            js.to_upper_case()
        } else {
            js.to_lower_case()
        })
    });
}

/// The one way a binding fails: the page's own embedded data is broken. The engine's
/// typed error becomes the text of a JavaScript `Error` here, at the edge.
pub fn error(e: wasm_forms::page::PageError) -> JsError {
    JsError::new(&format!("{e}"))
}

/// The bundle's `Engine` over a `Page<$scoring>` and its constructor
/// (`new Engine(schema, rules, calendar)`, the page's data in the wire form).
#[macro_export]
macro_rules! engine {
    ($scoring:literal) => {
        /// One form's engine: its schema, the chosen notice's rules, the calendar
        /// ([`wasm_forms::page::Page`]).
        #[$crate::wasm_bindgen::prelude::wasm_bindgen]
        pub struct Engine($crate::wasm_forms::page::Page<$scoring>);

        #[$crate::wasm_bindgen::prelude::wasm_bindgen]
        impl Engine {
            /// The page's data in its wire form: the form's schema, the chosen notice's
            /// rules (empty or `{}` for none), the site's calendar (empty or `null`).
            #[wasm_bindgen(constructor)]
            pub fn new(
                schema: &str,
                rules: &str,
                calendar: &str,
            ) -> Result<Engine, $crate::wasm_bindgen::JsError> {
                $crate::use_browser_case();
                $crate::wasm_forms::page::Page::new(schema, rules, calendar)
                    .map(Engine)
                    .map_err($crate::error)
            }

            /// The most bytes one file given to the page may hold (the command line's
            /// limit on any file read) and the message for a larger one, for the page to
            /// refuse it before reading it: `{bytes, message}`.
            pub fn file_limit(&self) -> String {
                self.0.file_limit()
            }
        }
    };
}

/// What forms.js calls on every form page: switching the notice's rules, validating,
/// exporting and importing a response; and the form's id (see
/// [`wasm_forms::page::Page`]).
#[macro_export]
macro_rules! fill_in {
    () => {
        #[$crate::wasm_bindgen::prelude::wasm_bindgen]
        impl Engine {
            /// Switches to another notice's rules (wire form, as in the constructor).
            pub fn set_rules(&mut self, rules: &str) -> Result<(), $crate::wasm_bindgen::JsError> {
                self.0.set_rules(rules).map_err($crate::error)
            }

            /// Validates a response `{form, version, values}`: the Report as JSON.
            /// `today` is `YYYY-MM-DD` from the browser's clock.
            pub fn validate(&mut self, response_json: &str, today: &str) -> String {
                self.0.validate(response_json, today)
            }

            /// The export file (drafts too, with `valid: false`).
            pub fn export_json(&mut self, response_json: &str, today: &str) -> String {
                self.0.export_json(response_json, today)
            }

            /// The form id of the schema.
            pub fn form_id(&self) -> String {
                self.0.form_id()
            }

            /// Reads an imported response: `{ok: true, response}` or `{ok: false, findings}`.
            pub fn import_json(&self, text: &str) -> String {
                self.0.import_json(text)
            }

            /// The length of `text` as a field's `max_chars` counts it (Unicode
            /// characters, whitespace not counted): the page's counter shows this count.
            pub fn text_len(&self, text: &str) -> u32 {
                u32::try_from($crate::wasm_forms::fields::text_len(text)).unwrap_or(u32::MAX)
            }
        }
    };
}
