//! The committed minified copies belong to the readable scripts as they are now, and this
//! build serves them: a script edited without `scripts/minify` fails here (the page would
//! still work, only bigger, and the build warns).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use site_scripts::bundle;
use site_scripts::minified::{self, COMMAND, SCRIPTS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace folder")
        .to_path_buf()
}

fn assets() -> PathBuf {
    root().join("site-gen").join("assets")
}

#[test]
fn every_minified_copy_is_made_from_its_source_as_it_is_now() {
    let mut stale = Vec::new();
    for name in SCRIPTS {
        let source = bundle::source(&assets(), name).expect("the readable script");
        let copy_name = minified::min_name(name);
        match fs::read(assets().join(&copy_name)) {
            Ok(copy) if minified::is_fresh(name, &source, &copy) => {}
            Ok(_) => stale.push(format!("site-gen/assets/{copy_name} (stale)")),
            Err(_) => stale.push(format!("site-gen/assets/{copy_name} (missing)")),
        }
    }
    assert!(
        stale.is_empty(),
        "not made from the scripts as they are now: {}; run `{COMMAND}` and commit the copies",
        stale.join(", ")
    );
}

#[test]
fn this_build_serves_each_minified_copy_without_its_header() {
    assert_eq!(
        site_scripts::SERVED
            .iter()
            .map(|(n, _, _)| *n)
            .collect::<Vec<_>>(),
        SCRIPTS
    );
    for (name, served, from_copy) in site_scripts::SERVED {
        assert!(
            from_copy,
            "{name} is served as written: its copy is stale; run `{COMMAND}`"
        );
        let copy = fs::read_to_string(assets().join(minified::min_name(name))).unwrap();
        assert_eq!(*served, minified::body(&copy), "{name}");
        assert!(!served.starts_with("// minified"), "{name}");
        let source = bundle::source(&assets(), name).unwrap();
        // Minifying took bytes off (no copy that is the source again).
        assert!(served.len() < source.len(), "{name}");
    }
}

#[test]
fn scripts_minify_lists_the_same_scripts_and_no_copy_is_left_over() {
    // scripts/minify's list: lines such as `  ["forms.js", "module"],`.
    let script = fs::read_to_string(root().join(COMMAND)).unwrap();
    let listed: Vec<&str> = script
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\""))
        .filter_map(|l| l.split_once('"'))
        .filter(|(_, rest)| rest.contains("\"module\"") || rest.contains("\"script\""))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(listed, SCRIPTS, "the list in {COMMAND}");

    let copies: BTreeSet<String> = fs::read_dir(assets())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".min.js"))
        .collect();
    let wanted: BTreeSet<String> = SCRIPTS.iter().map(|n| minified::min_name(n)).collect();
    assert_eq!(copies, wanted, "the copies in site-gen/assets");
}

#[test]
fn a_script_made_of_modules_has_no_readable_file_of_its_own() {
    // Only the folder is edited: a forms.js beside forms/ would be a dead copy.
    for (name, folder, modules) in bundle::BUNDLES {
        assert!(
            !assets().join(name).exists(),
            "site-gen/assets/{name} exists beside site-gen/assets/{folder}/, whose modules make {name}"
        );
        let mut on_disk: Vec<String> = fs::read_dir(assets().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".js"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = modules.iter().map(|m| m.to_string()).collect();
        listed.sort();
        assert_eq!(
            on_disk, listed,
            "the modules of site-gen/assets/{folder}/ and bundle::BUNDLES"
        );
        let joined = String::from_utf8(bundle::source(&assets(), name).unwrap()).unwrap();
        assert!(
            !joined.contains("\nexport ") && !joined.contains("from \"../"),
            "{name}"
        );
    }
}
