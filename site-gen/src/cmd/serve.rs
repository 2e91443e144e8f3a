//! `site-gen serve`: build, serve, watch, rebuild, live-reload.

use std::path::PathBuf;

use super::Failure;

#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub content: PathBuf,
    pub out: PathBuf,
    pub port: u16,
}

pub fn serve(_args: &ServeArgs) -> Result<(), Failure> {
    Err(Failure::Usage("serve is not available yet".into()))
}
