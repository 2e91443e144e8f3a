//! `site-gen`: turns `content/` (TOML and Markdown) into a static site.
//!
//! Data flows one way: [`content::load`] reads the files (I/O only) →
//! [`content::validate`] parses and checks them, collecting every problem with its file,
//! line and column → [`render::render_into`] renders the pages (no disk access) into the
//! sink that [`output::write_with`] gives it, which writes each page into a temporary
//! folder as it arrives; that folder is then swapped in. The command
//! functions in [`cmd`] tie these together; `main.rs` only parses and dispatches.

pub mod asset_names;
pub mod catalogue;
pub mod cmd;
pub mod content;
pub mod fsx;
pub mod import;
pub mod messages;
pub mod output;
pub mod par;
pub mod render;
#[doc(hidden)]
pub mod synth;
pub mod urls;
