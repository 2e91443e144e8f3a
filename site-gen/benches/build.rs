//! Build benchmark: synthetic content of 10,000 programs across 100 notices, generated
//! in a temporary folder. Measures load + validate + render (in memory) and, separately,
//! writing the output (temporary folder + swap).
//!
//! `cargo bench -p site-gen --bench build`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use criterion::{criterion_group, criterion_main, Criterion};
use site_gen::content;
use site_gen::output;
use site_gen::render::{self, Templates};

fn build(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content_dir = dir.path().join("content");
    site_gen::synth::generate(&content_dir, 100, 100).expect("generate content");
    let templates = Templates::embedded().expect("templates");

    let mut g = c.benchmark_group("site");
    g.sample_size(10);
    g.bench_function("load_validate_render_10000_programs", |b| {
        b.iter(|| {
            let raw = content::load(&content_dir).expect("load");
            let site = content::validate(&raw).expect("valid");
            render::render(&site, &templates).expect("render")
        })
    });
    let raw = content::load(&content_dir).expect("load");
    let site = content::validate(&raw).expect("valid");
    let files = render::render(&site, &templates).expect("render");
    let out = dir.path().join("dist");
    g.bench_function("write_10000_programs", |b| {
        b.iter(|| output::write(&files, &out).expect("write"))
    });
    g.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
