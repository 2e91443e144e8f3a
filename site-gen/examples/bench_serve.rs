//! How long an edit takes to reach the browser in `site-gen serve`:
//! `cargo run --release -p site-gen --example bench_serve -- [NOTICES] [PROGRAMS_PER_NOTICE] [EDITS] [phone|title|doc|all]`
//! (default 100 notices of 100 programs, 10,000 programs, 21 edits of each kind).
//!
//! Writes the synthetic corpus of the `bench_corpus` example into a temporary folder
//! (on /dev/shm when there is one), starts serve on it in this process, connects to the
//! live-reload event stream as a page does, then edits one notice's TOML again and again,
//! in three ways: EDITS times one program's phone number (a typical correction: the
//! program's page and the notice's list change, and the two group pages listing it),
//! EDITS times the notice's title (shown on every page of the notice and its programs,
//! not on the organizer and category pages), then EDITS times its document number
//! (shown on all of those and on every row of every group page listing one of its
//! programs: the most an edit of one notice renders).
//! Each time it measures from just before the file is written until the `reload`
//! message arrives, and prints every time, then per kind the median and 90th
//! percentile, with the load average.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use site_gen::cmd::serve::{serve, ServeArgs};

#[path = "common/event_stream.rs"]
#[allow(dead_code)] // `nothing_within` is for the serve tests
mod event_stream;
use event_stream::EventStream;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut num = |default: usize| args.next().and_then(|s| s.parse().ok()).unwrap_or(default);
    let (notices, programs, edits) = (num(100), num(100), num(21));
    let kinds = args.next().unwrap_or_else(|| "all".into());
    match run(notices, programs, edits.max(1), &kinds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(notices: usize, programs: usize, edits: usize, kinds: &str) -> Result<(), String> {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .map_err(|e| e.to_string())?;
    let content = dir.path().join("content");
    site_gen::synth::generate(&content, notices, programs).map_err(|e| e.to_string())?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let serve_args = ServeArgs {
        content: content.clone(),
        out: dir.path().join("dist"),
        port,
    };
    std::thread::spawn(move || {
        if let Err(e) = serve(&serve_args) {
            eprintln!("serve: {e}");
            std::process::exit(2);
        }
    });
    let addr = format!("127.0.0.1:{port}");
    let mut events = connect(&addr)?;

    let file: PathBuf = content.join(format!("notices/notice-{:04}.toml", notices / 2));
    let original = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let title = original.lines().next().unwrap_or_default().to_string();
    let phone = original
        .split("phones = [\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .ok_or("the corpus has no phone number")?
        .to_string();
    let phone_edit = |i: usize| {
        let new = format!("139{i:08}");
        (original.replacen(&phone, &new, 1), new)
    };
    let title_edit = |i: usize| {
        let new = format!("（第{i}次修订）的通知");
        (
            original.replacen(&title, &title.replace("的通知", &new), 1),
            new,
        )
    };
    let doc = original
        .split("doc_number = \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .ok_or("the corpus has no document number")?
        .to_string();
    let doc_edit = |i: usize| {
        let new = doc.replace('号', &format!("-{i}号"));
        (original.replacen(&doc, &new, 1), new)
    };
    let page = dir
        .path()
        .join(format!("dist/notices/notice-{:04}/index.html", notices / 2));
    let mut results = Vec::new();
    let all = kinds == "all";
    if all || kinds == "phone" {
        let m = measure(&mut events, &file, edits, &page, &phone_edit, "phone")?;
        results.push(("a program's phone number", m));
    }
    if all || kinds == "title" {
        let m = measure(&mut events, &file, edits, &page, &title_edit, "title")?;
        results.push(("the notice's title", m));
    }
    if all || kinds == "doc" {
        let m = measure(&mut events, &file, edits, &page, &doc_edit, "doc")?;
        results.push(("the notice's document number", m));
    }
    if results.is_empty() {
        return Err(format!(
            "unknown kind of edit {kinds}: phone, title, doc or all"
        ));
    }
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into());
    for (what, (times, cpu)) in results {
        println!(
            "{} programs, {edits} edits of {what}: edit → live-reload message median {:.1} ms, p90 {:.1} ms (min {:.1}, max {:.1}); CPU time per edit median {:.1} ms",
            notices * programs,
            quantile(&times, 0.5),
            quantile(&times, 0.9),
            times[0],
            times[times.len() - 1],
            quantile(&cpu, 0.5),
        );
    }
    println!("load average (1, 5, 15 min) at the end: {load}");
    Ok(())
}

/// The `q` quantile of sorted `times`.
fn quantile(times: &[f64], q: f64) -> f64 {
    times[((times.len() - 1) as f64 * q).round() as usize]
}

/// CPU time (user and system) used so far by this process and every thread it has had
/// (Linux, `/proc/self/stat`, in steps of 10 ms), in ms.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which may hold spaces), from field 3.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: f64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<f64>().ok())
        .sum();
    ticks * 10.0
}

/// Writes `edit(1..=edits)` to `file` one after another, each once the previous one
/// has reached the browser; returns the times and the CPU times (ms), each sorted.
fn measure(
    events: &mut EventStream,
    file: &Path,
    edits: usize,
    page: &Path,
    edit: &dyn Fn(usize) -> (String, String),
    label: &str,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let staging = file.with_extension("toml.saving");
    let mut times = Vec::with_capacity(edits);
    let mut cpu = Vec::with_capacity(edits);
    for i in 1..=edits {
        // Let the watcher settle, as between two saves in an editor.
        std::thread::sleep(Duration::from_millis(300));
        let (edited, needle) = edit(i);
        let cpu_start = cpu_ms();
        let start = Instant::now();
        // As an editor saves: the new text under another name, renamed over the file.
        std::fs::write(&staging, &edited).map_err(|e| e.to_string())?;
        std::fs::rename(&staging, file).map_err(|e| e.to_string())?;
        // Until the page shows the edit (a `reload` may also come from a rebuild that
        // began before the edit was complete).
        loop {
            let msg = events.next()?;
            if let Some(e) = msg.strip_prefix("error:") {
                return Err(format!("the edit did not build: {e}"));
            }
            if msg == "reload" && std::fs::read_to_string(page).is_ok_and(|p| p.contains(&needle)) {
                break;
            }
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let used = cpu_ms() - cpu_start;
        println!("{label} edit {i:>2}: {ms:.1} ms (CPU {used:.1} ms)");
        times.push(ms);
        cpu.push(used);
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    Ok((times, cpu))
}

/// Connects to the live-reload event stream once the server answers (it serves after
/// the first build).
fn connect(addr: &str) -> Result<EventStream, String> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return Err(format!("serve does not answer on {addr}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    EventStream::open(addr)
}
