//! What the precompressed copies cost per level, on a built site:
//! `cargo run --release -p site-gen --example bench_precompress -- DIST [RUNS]`.
//!
//! Reads every file of `DIST` that gets copies (text or wasm over 1 KB, not a hashed
//! shared asset: those are compressed once, not per build), then compresses them all on
//! one thread with each gzip level and brotli quality, as `build` would, `RUNS` times
//! (default 3). Prints, for each, the median CPU time, the input's throughput and the
//! copies' total size against the input. docs/benchmarks.md gives the figures.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use site_gen::output::precompress;

fn files(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, root, out);
            continue;
        }
        let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy();
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        if precompress::compressible(&rel, bytes.len())
            && !site_gen::render::assets::is_hashed(&rel)
        {
            out.push((p.clone(), bytes));
        }
    }
}

/// CPU time of this process, in seconds (user + system, in 10 ms steps): a shared
/// machine's other work does not count.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime, in ticks of 1/100 s); the first after the
    // name's ')' is field 3.
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One codec at one level: the compressed length of a file.
type Codec = Box<dyn Fn(&[u8]) -> usize>;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dist) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_precompress DIST [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut all = Vec::new();
    files(&dist, &dist, &mut all);
    let input: usize = all.iter().map(|(_, b)| b.len()).sum();
    println!(
        "{} files, {:.1} MB (mean {:.1} KB)",
        all.len(),
        input as f64 / 1e6,
        input as f64 / 1e3 / all.len().max(1) as f64
    );
    let mut configs: Vec<(String, Codec)> = Vec::new();
    for level in [1, 2, 4, 6, 9] {
        configs.push((
            format!("gzip -{level}"),
            Box::new(move |b| precompress::gzip(b, level).len()),
        ));
    }
    for q in [0, 1, 2, 3, 4, 5, 6] {
        configs.push((
            format!("brotli {q}"),
            Box::new(move |b| precompress::brotli(b, q).len()),
        ));
    }
    println!("| codec | CPU s (median of {runs}) | MB/s | copies / input |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, f) in &configs {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let c = cpu();
            size = all.iter().map(|(_, b)| f(b)).sum::<usize>();
            times.push(cpu() - c);
        }
        let s = median(times);
        println!(
            "| {name} | {s:.2} | {:.0} | {:.3} |",
            input as f64 / 1e6 / s,
            size as f64 / input as f64
        );
    }
    ExitCode::SUCCESS
}
