//! A build streams its pages: each file leaves the renderer as soon as it is rendered,
//! so the heap holds the model and the pages in flight, not the whole site.
//!
//! Measured with a counting global allocator (its own test binary, one test, so that no
//! other test allocates meanwhile): the peak of live heap bytes above what was live
//! before rendering, compared with the total size of the files rendered.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::sync::atomic::{AtomicUsize, Ordering};

mod common {
    pub mod heap;
}
use common::heap::peak_above_start;

use site_gen::content;
use site_gen::fsx::FsError;
use site_gen::render::{self, Collect, Options, OutputFile, Sink, Templates};

/// Counts the bytes it is given and drops them.
#[derive(Default)]
struct Drain {
    bytes: AtomicUsize,
    files: AtomicUsize,
    largest: AtomicUsize,
}

impl Sink for Drain {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        self.bytes.fetch_add(file.bytes.len(), Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        self.largest.fetch_max(file.bytes.len(), Ordering::Relaxed);
        Ok(())
    }
}

#[test]
fn rendering_holds_the_pages_in_flight_not_the_whole_site() {
    let dir = tempfile::tempdir().unwrap();
    let content_dir = dir.path().join("content");
    // 3,000 programs: big enough that the whole site dwarfs any one page.
    site_gen::synth::generate(&content_dir, 30, 100).unwrap();
    let raw = content::load(&content_dir).unwrap();
    let site = content::validate(&raw).unwrap();
    drop(raw);
    let templates = Templates::embedded().unwrap();
    let opts = Options::default();

    let drain = Drain::default();
    let ((), streamed) = peak_above_start(|| {
        render::render_into(&site, &templates, &opts, &drain).unwrap();
    });
    let total = drain.bytes.load(Ordering::Relaxed);
    let largest = drain.largest.load(Ordering::Relaxed);
    assert!(drain.files.load(Ordering::Relaxed) > 3000);

    // The same rendering kept in memory: the counter sees the whole site held.
    let collect = Collect::default();
    let ((), held) = peak_above_start(|| {
        render::render_into(&site, &templates, &opts, &collect).unwrap();
    });
    let files = collect.into_files();
    assert_eq!(files.iter().map(|f| f.bytes.len()).sum::<usize>(), total);
    assert!(
        held >= total,
        "collecting {total} bytes peaked at only {held} bytes: the counter is broken"
    );

    // The search index is built whole beside the pages (its posting lists need every
    // document) and written at the end: what it holds is measured alone, and its files
    // are not pages.
    let ((), index_peak) = peak_above_start(|| {
        let files = site_gen::render::search::build(&site_gen::render::search::Corpus::of(&site));
        assert!(!files.is_empty());
    });
    let index_bytes: usize = files
        .iter()
        .filter(|f| f.path.starts_with("search/"))
        .map(|f| f.bytes.len())
        .sum();
    let pages = total - index_bytes;

    // In flight: one page per core, each with its template context. The largest pages
    // (a category's, a fifth of all programs here, with contacts, funding and amount on
    // every row) render first, so the peak is a few of those pages with their contexts
    // (well under half of the pages) besides the index being built, while collecting
    // holds all of it.
    assert!(
        streamed < index_peak + pages / 2,
        "streaming {pages} bytes of pages (the largest {largest} bytes) and an index that peaks at {index_peak} bytes alone peaked at {streamed} bytes above the model: pages are being held"
    );
}
