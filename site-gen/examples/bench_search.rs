//! The cost of the search index in a build (docs/benchmarks.md, scripts/bench-search):
//! `cargo run --release -p site-gen --example bench_search -- CONTENT_DIR [RUNS]`.
//!
//! Loads and validates the content once, then times, median of RUNS (default 3): the
//! index alone (`search::build`, on one thread, as the build runs it beside the pages),
//! and the whole render with the index into a sink that drops every file (no disk).
//! The index's thread runs while the pages render on the other cores, so the index
//! alone, as a share of the render, is an upper bound of what it adds to a build.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use site_gen::render::{OutputFile, Sink};

struct Drop;
impl Sink for Drop {
    fn put(&self, _file: OutputFile) -> Result<(), site_gen::fsx::FsError> {
        Ok(())
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_search CONTENT_DIR [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let site = match site_gen::content::load(&dir)
        .map_err(|e| e.to_string())
        .and_then(|raw| site_gen::content::validate(&raw).map_err(|d| d.to_string()))
    {
        Ok(site) => site,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let templates = match site_gen::render::Templates::embedded() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let programs: usize = site
        .notices
        .iter()
        .flat_map(|n| &n.lists)
        .map(|l| l.programs.len())
        .sum();
    let (mut index, mut render) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    let mut files = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let out = site_gen::render::search::build(&site_gen::render::search::Corpus::of(&site));
        index.push(t.elapsed().as_secs_f64());
        bytes = out.iter().map(|f| f.bytes.len()).sum::<usize>();
        files = out.len();
        let t = Instant::now();
        if let Err(e) = site_gen::render::render_into(&site, &templates, &Default::default(), &Drop)
        {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        render.push(t.elapsed().as_secs_f64());
    }
    let (i, r) = (median(index), median(render));
    println!(
        "{programs} programs: index alone {:.0} ms ({files} files, {:.1} MB raw); render with the index {:.0} ms; index / render {:.1} %",
        i * 1e3,
        bytes as f64 / 1e6,
        r * 1e3,
        100.0 * i / r
    );
    ExitCode::SUCCESS
}
