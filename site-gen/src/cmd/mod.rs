//! The commands of `site-gen`, one function each, returning `Result<_, Failure>`.
//!
//! `main.rs` parses the command line, calls one of these and maps a [`Failure`] to the
//! exit status of the contract: 1 for content errors, broken rules or invalid responses,
//! 2 for usage errors and unreadable input.

mod blame;
pub mod build;
pub mod check;
pub mod deadlines;
pub mod form;
pub mod import;
pub mod import_docx;
pub mod init;
pub mod serve;

use std::fmt;

use crate::content::Diagnostics;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// Content errors (exit 1).
    Content(Diagnostics),
    /// A template that does not render (exit 1).
    Template(String),
    /// The command ran and its result (for stdout) says "no": invalid responses, a
    /// broken rule (exit 1), or some input could not be read (exit 2).
    Reported { stdout: String, code: u8 },
    /// `site-gen import`: cells that cannot be read, or content the import would make
    /// invalid; the text lists each (exit 1).
    Import(String),
    /// Bad arguments (exit 2).
    Usage(String),
    /// A file or folder that cannot be read or written (exit 2).
    Io(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Content(_) | Failure::Template(_) | Failure::Import(_) => 1,
            Failure::Reported { code, .. } => *code,
            Failure::Usage(_) | Failure::Io(_) => 2,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Content(d) => write!(f, "{d}"),
            Failure::Template(s) => write!(f, "error: {s}"),
            Failure::Reported { .. } => Ok(()),
            Failure::Import(s) => write!(f, "{s}"),
            Failure::Usage(s) => write!(f, "error: {s}"),
            Failure::Io(s) => write!(f, "error: {s}"),
        }
    }
}

impl From<crate::content::LoadError> for Failure {
    fn from(e: crate::content::LoadError) -> Self {
        Failure::Io(e.to_string())
    }
}

impl From<crate::fsx::FsError> for Failure {
    fn from(e: crate::fsx::FsError) -> Self {
        Failure::Io(e.to_string())
    }
}

impl From<crate::output::OutputError> for Failure {
    fn from(e: crate::output::OutputError) -> Self {
        match e {
            crate::output::OutputError::Refused(s) => Failure::Usage(s),
            crate::output::OutputError::Fs(e) => Failure::Io(e.to_string()),
        }
    }
}

impl From<crate::render::TemplateError> for Failure {
    fn from(e: crate::render::TemplateError) -> Self {
        match e {
            crate::render::TemplateError::Fs(e) => Failure::Io(e.to_string()),
            crate::render::TemplateError::Tera(s) => Failure::Template(s),
        }
    }
}
