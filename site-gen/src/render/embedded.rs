//! Every file the binary carries into `dist/assets/`, in one leaf module: the site's
//! stylesheet and scripts, the form pages' scripts and engine bundles, the hand-in
//! stylesheet and the offline registration script. [`super::assets`] names them by
//! their content; the renderers write them.

use site_scripts as scripts;

include!(concat!(env!("OUT_DIR"), "/bundle.rs"));
include!(concat!(env!("OUT_DIR"), "/copies.rs"));

/// Embedded assets (path under `assets/`, bytes); the scripts as [`site_scripts`] serves
/// them (minified while the copies are fresh).
pub const ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../assets/style.css")),
    ("filter.js", scripts::FILTER_JS),
    ("prefs.js", scripts::PREFS_JS),
    ("search.js", scripts::SEARCH_JS),
    ("match.js", scripts::MATCH_JS),
    ("favicon.svg", include_str!("../../assets/favicon.svg")),
    (
        "chart-patterns.svg",
        include_str!("../../assets/chart-patterns.svg"),
    ),
];

/// The stylesheet of the hand-in panel, the poster and the collection page.
pub const HANDIN_CSS: &str = include_str!("../../assets/handin.css");

/// The browser files of the form pages, as (path under `dist/`, bytes); the scripts as
/// [`site_scripts`] serves them (minified while the copies are fresh).
pub fn form_assets() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("assets/forms.js", scripts::FORMS_JS.as_bytes()),
        ("assets/draft.js", scripts::DRAFT_JS.as_bytes()),
        ("assets/forms-score.js", scripts::FORMS_SCORE_JS.as_bytes()),
        ("assets/dom.js", scripts::DOM_JS.as_bytes()),
        ("assets/forms-xlsx.js", scripts::FORMS_XLSX_JS.as_bytes()),
        (
            "assets/forms-xlsx-read.js",
            scripts::FORMS_XLSX_READ_JS.as_bytes(),
        ),
        ("assets/forms.css", include_bytes!("../../assets/forms.css")),
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

/// Every embedded asset by its plain path under `dist/` (`assets/forms.js`). The build
/// script takes the same files (`ASSET_FILES`, the scripts, its bundles) to make
/// their compressed copies, [`ASSET_COPIES`].
pub fn all() -> Vec<(String, &'static [u8])> {
    let mut all: Vec<(String, &'static [u8])> = ASSETS
        .iter()
        .map(|(n, s)| (format!("assets/{n}"), s.as_bytes()))
        .collect();
    all.extend(form_assets().into_iter().map(|(p, b)| (p.to_string(), b)));
    all.push(("assets/handin.css".into(), HANDIN_CSS.as_bytes()));
    all.push(("assets/offline.js".into(), scripts::OFFLINE_JS.as_bytes()));
    all
}
