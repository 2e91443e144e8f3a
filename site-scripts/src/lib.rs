//! site-gen's browser scripts as it serves them under `dist/assets/`: for each script of
//! [`minified::SCRIPTS`], the minified copy `site-gen/assets/X.min.js` (made by
//! `scripts/minify`) while it was made from the readable `X.js` as it is now, else that
//! readable source. The build script picks; a stale copy only costs bytes, and the build
//! says so with a warning. One constant per script (`FORMS_JS`, `FORMS_SCORE_JS`, …,
//! `PREFS_JS`) and [`SERVED`], the list of all of them. A script made of modules
//! (`forms.js`, from `site-gen/assets/forms/`) is joined first ([`bundle`]).

pub mod bundle;
pub mod minified;

include!(concat!(env!("OUT_DIR"), "/scripts.rs"));
