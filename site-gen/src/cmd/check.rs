//! `site-gen check`: every content, template and link check; writes nothing.

use std::path::PathBuf;

use super::build::render_site;
use super::Failure;
use crate::render::Options;

#[derive(Debug, Clone)]
pub struct CheckArgs {
    pub content: PathBuf,
}

/// Returns the line to print on success.
pub fn check(args: &CheckArgs) -> Result<String, Failure> {
    let (site, files) = render_site(&args.content, &Options::default())?;
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
        files.len()
    ))
}
