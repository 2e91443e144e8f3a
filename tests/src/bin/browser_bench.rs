//! Benchmarks of the form pages in headless Chromium (not a test). Being written.
fn main() {}
