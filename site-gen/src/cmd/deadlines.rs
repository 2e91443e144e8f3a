//! `site-gen deadlines`: a notice's deadlines for given course dates, JSON to stdout.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::Failure;

#[derive(Debug, Clone)]
pub struct DeadlinesArgs {
    pub content: PathBuf,
    pub notice: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub fn deadlines(_args: &DeadlinesArgs) -> Result<String, Failure> {
    Err(Failure::Usage("deadlines is not available yet".into()))
}
