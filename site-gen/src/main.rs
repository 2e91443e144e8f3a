//! `site-gen`: builds the static site from `content/`. (Being written.)
fn main() {}
