//! `site-gen form validate|score|aggregate`: the form engine on files, JSON to stdout.

use std::path::PathBuf;

use super::Failure;

#[derive(Debug, Clone)]
pub struct FormArgs {
    pub content: PathBuf,
    pub form: String,
    pub files: Vec<PathBuf>,
    /// `aggregate --csv`.
    pub csv: bool,
    /// The notice whose rules apply (default: the newest notice attaching the form).
    pub notice: Option<String>,
}

pub fn validate(_args: &FormArgs) -> Result<String, Failure> {
    Err(Failure::Usage("form validate is not available yet".into()))
}

pub fn score(_args: &FormArgs) -> Result<String, Failure> {
    Err(Failure::Usage("form score is not available yet".into()))
}

pub fn aggregate(_args: &FormArgs) -> Result<String, Failure> {
    Err(Failure::Usage("form aggregate is not available yet".into()))
}
