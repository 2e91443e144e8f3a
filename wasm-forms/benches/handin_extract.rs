//! Finding hand-in codes in a 10 MB line of base64url characters (a pasted file of
//! junk, or a code run together with text): linear, about a second or less. Run with
//! `cargo bench -p wasm-forms --bench handin_extract`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wasm_forms::handin::extract;

fn benches(c: &mut Criterion) {
    // No prefix at all: every position is looked at and none starts a code.
    let plain = "AbC-_9".repeat(10_000_000 / 6);
    // "GYB" and a body character everywhere: each window differs from the prefix in one
    // place, the case the old scan measured a run for at every position.
    let near = "GYBx".repeat(10_000_000 / 4);
    // One real code whose body is the whole line.
    let one = format!("GYB~{}", "AbC-_9".repeat(10_000_000 / 6));
    assert_eq!(extract(&plain).len(), 0);
    assert_eq!(extract(&one).len(), 1);
    for (name, text) in [
        ("plain", &plain),
        ("near prefixes", &near),
        ("one code", &one),
    ] {
        c.bench_function(&format!("extract codes from a 10 MB line ({name})"), |b| {
            b.iter(|| extract(black_box(text)))
        });
    }
}

criterion_group! {
    name = handin;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(handin);
