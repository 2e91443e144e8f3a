//! The cost of the search index in a build (docs/benchmarks.md, scripts/bench-search):
//! `cargo run --release -p site-gen --example bench_search -- CONTENT_DIR [RUNS]`.
//!
//! Loads and validates the content once, then RUNS times (default 3), interleaved: the
//! index alone (`search::build`, on one thread), and the whole render into a sink that
//! drops every file (no disk, so no precompression) with the index and without it
//! (`Options::without_search`), the two in alternating order. Prints the min and median
//! of each, the index's share of the build, (with − without) / without, from both, and
//! the load average before and after.

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

fn min_median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
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
    let render = |without_search: bool| -> Result<f64, String> {
        let opts = site_gen::render::Options {
            without_search,
            ..Default::default()
        };
        let t = Instant::now();
        site_gen::render::render_into(&site, &templates, &opts, &Drop)
            .map_err(|e| e.to_string())?;
        Ok(t.elapsed().as_secs_f64())
    };
    let load_before = load();
    let (mut index, mut with, mut without) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    let mut files = 0;
    for run in 0..runs {
        let t = Instant::now();
        let out = site_gen::render::search::build(&site_gen::render::search::Corpus::of(&site));
        index.push(t.elapsed().as_secs_f64());
        bytes = out.iter().map(|f| f.bytes.len()).sum::<usize>();
        files = out.len();
        drop(out);
        for without_search in [run % 2 == 1, run % 2 == 0] {
            match render(without_search) {
                Ok(t) if without_search => without.push(t),
                Ok(t) => with.push(t),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    let ms = |(a, b): (f64, f64)| format!("min {:.0} ms, median {:.0} ms", a * 1e3, b * 1e3);
    let (i, w, wo) = (min_median(index), min_median(with), min_median(without));
    println!(
        "{programs} programs, {runs} runs, load average {load_before} before, {} after",
        load()
    );
    println!(
        "index alone: {} ({files} files, {:.1} MB raw)",
        ms(i),
        bytes as f64 / 1e6
    );
    println!("render with the index: {}", ms(w));
    println!("render without the index: {}", ms(wo));
    println!(
        "index's share of the build, (with - without) / without: {:.1} % of the minima, {:.1} % of the medians",
        100.0 * (w.0 - wo.0) / wo.0,
        100.0 * (w.1 - wo.1) / wo.1
    );
    ExitCode::SUCCESS
}
