//! `site-gen check`: every content, template and link check; writes nothing.

use std::path::PathBuf;

use super::build::render_site;
use super::Failure;
use crate::fsx::FsError;
use crate::render::{Options, OutputFile, Sink};

#[derive(Debug, Clone)]
pub struct CheckArgs {
    pub content: PathBuf,
}

/// Returns the line to print on success.
pub fn check(args: &CheckArgs) -> Result<String, Failure> {
    let (site, files) = render_site(&args.content, &Options::default(), &Discard)?;
    let programs: usize = site
        .notices
        .iter()
        .flat_map(|n| &n.lists)
        .map(|l| l.programs.len())
        .sum();
    Ok(format!(
        "ok: {} notices, {} programs, {} forms, {} files would be written",
        site.notices.len(),
        programs,
        site.forms.len(),
        files
    ))
}

/// Renders without keeping or writing anything.
struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), FsError> {
        Ok(())
    }
}
