//! `cargo run -p site-scripts --bin join -- forms.js` writes the readable source of a
//! script made of modules (site-scripts' `bundle::BUNDLES`) to stdout, joined as site-gen
//! serves it; `scripts/minify` minifies that text.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use site_scripts::bundle;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name] = args.as_slice() else {
        eprintln!("usage: join SCRIPT (one of: {})", names());
        return ExitCode::from(2);
    };
    if bundle::bundle(name).is_none() {
        eprintln!(
            "join: {name} is not made of modules (those that are: {})",
            names()
        );
        return ExitCode::from(2);
    }
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../site-gen/assets");
    match bundle::source(&assets, name) {
        Ok(text) => match std::io::stdout().write_all(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("join: cannot write: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("join: {e}");
            ExitCode::FAILURE
        }
    }
}

fn names() -> String {
    bundle::BUNDLES
        .iter()
        .map(|(n, _, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
