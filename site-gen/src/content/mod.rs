//! Content: the publisher's TOML and Markdown under `content/`.
//!
//! [`load`] reads the files (I/O only, no parsing); [`validate`] parses them into the
//! serde mirrors of [`raw`], checks everything a publisher can get wrong, and returns
//! either the [`model::Site`] or every problem at once as [`Diagnostics`].

pub mod autofill;
pub mod bundle;
pub mod diag;
pub mod handin;
pub mod limits;
pub mod links;
pub mod load;
pub mod model;
pub mod outpaths;
pub mod raw;
pub mod redirects;
pub mod starter;
pub mod toml_errors;
pub mod validate;

pub use diag::{Diagnostic, Diagnostics};
pub use load::{load, load_with, LoadCache, LoadError, Raw, SourceFile};
pub use model::Site;
pub use validate::{validate, validate_spliced, validate_with, ParseCache, Spliced};
