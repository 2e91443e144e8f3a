//! Writes synthetic content for the build benchmark:
//! `cargo run --release -p site-gen --example gen_content -- DIR [NOTICES] [PROGRAMS_PER_NOTICE]`
//! (default 100 notices of 100 programs: 10,000 programs). Then
//! `/usr/bin/time -v target/release/site-gen build --content DIR --out OUT`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen_content DIR [NOTICES] [PROGRAMS_PER_NOTICE]");
        return ExitCode::from(2);
    };
    let notices = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let programs = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    match site_gen::synth::generate(&dir, notices, programs) {
        Ok(()) => {
            println!(
                "wrote {notices} notices × {programs} programs to {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
