//! The `site-gen` binary end to end: every exit code of build and check, the atomic
//! output swap, and the form and deadline commands on the real content.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{code, site_gen, stderr, stdout, tree, Fixture, LiveReload};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

#[test]
fn build_ok_exits_0_and_prints_a_summary() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    let o = site_gen(&["build", "--content", s(&f.content()), "--out", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("built 2 notices, 2 programs, 1 forms"),
        "{}",
        stdout(&o)
    );
    assert!(out.join("index.html").is_file());
    assert!(out.join("notices/alpha-2024/main.csv").is_file());
    assert!(out.join("notices/alpha-2024/main.xlsx").is_file());
    let style = site_gen::render::assets::url("style.css").unwrap();
    assert!(out.join(style.trim_start_matches('/')).is_file());
    assert!(!out.join("assets/livereload.js").exists());
}

#[test]
fn build_with_content_errors_exits_1_with_every_error_on_stderr() {
    let f = Fixture::new("invalid_many");
    let out = f.root().join("dist");
    let o = site_gen(&["build", "--content", s(&f.content()), "--out", s(&out)]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("notices/one.toml:7:1: unknown field `colour`"),
        "{err}"
    );
    assert!(err.contains("notices/two.toml:21:"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn build_usage_errors_exit_2() {
    assert_eq!(code(&site_gen(&["build", "--no-such-flag"])), 2);
    assert_eq!(code(&site_gen(&["frobnicate"])), 2);
    assert_eq!(code(&site_gen(&[])), 2);
    assert_eq!(code(&site_gen(&["--help"])), 0);
}

#[test]
fn build_of_a_missing_content_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = site_gen(&[
        "build",
        "--content",
        s(&dir.path().join("nope")),
        "--out",
        s(&dir.path().join("dist")),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nope"), "{}", stderr(&o));
}

#[test]
fn check_exits_0_1_2_and_writes_nothing() {
    let f = Fixture::new("basic");
    let o = site_gen(&["check", "--content", s(&f.content())]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("ok: 2 notices"));
    assert!(!f.root().join("dist").exists());
    let bad = Fixture::new("invalid_broken_link");
    let o = site_gen(&["check", "--content", s(&bad.content())]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("bad.toml:9:2:"), "{}", stderr(&o));
    let o = site_gen(&["check", "--content", s(&bad.root().join("missing"))]);
    assert_eq!(code(&o), 2);
    assert_eq!(code(&site_gen(&["check", "--bogus"])), 2);
}

#[test]
fn a_failed_build_leaves_the_previous_dist_byte_for_byte() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    let o = site_gen(&["build", "--content", s(&f.content()), "--out", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let before = tree(&out);
    assert!(before.len() > 10);
    let f = f.file("content/notices/alpha-2024.toml", "title = \"broken\"\n");
    let o = site_gen(&["build", "--content", s(&f.content()), "--out", s(&out)]);
    assert_eq!(code(&o), 1);
    assert_eq!(tree(&out), before);
    // No temporary folders left beside it (only the lock file of the builds).
    let siblings: Vec<_> = fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".dist.site-gen-lock")
        .collect();
    assert!(siblings.is_empty(), "{siblings:?}");
}

#[test]
fn a_template_override_that_does_not_parse_exits_1() {
    let f = Fixture::new("basic").file("templates/index.html", "{% block main %}");
    let o = site_gen(&["check", "--content", s(&f.content())]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("index.html"), "{}", stderr(&o));
}

#[test]
fn deadlines_exit_codes() {
    let c = real_content();
    let ok = site_gen(&[
        "deadlines",
        "--notice",
        "wenzhou-2020",
        "--list",
        "municipal",
        "--start",
        "2020-10-12",
        "--end",
        "2020-10-14",
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&ok), 0, "{}{}", stdout(&ok), stderr(&ok));
    let v: serde_json::Value = serde_json::from_str(&stdout(&ok)).unwrap();
    assert!(v["plan_due"].is_string() && v["report_due"].is_string());
    assert_eq!(v["complete_by"], "2020-11-30");
    // Ends after 2024-11-15: a broken rule.
    let late = site_gen(&[
        "deadlines",
        "--notice",
        "shandong-2024",
        "--start",
        "2024-11-18",
        "--end",
        "2024-11-20",
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&late), 1, "{}", stdout(&late));
    let v: serde_json::Value = serde_json::from_str(&stdout(&late)).unwrap();
    assert!(!v["findings"].as_array().unwrap().is_empty());
    let unknown = site_gen(&[
        "deadlines",
        "--notice",
        "nope",
        "--start",
        "2024-11-18",
        "--end",
        "2024-11-20",
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&unknown), 2);
    let bad_date = site_gen(&[
        "deadlines",
        "--notice",
        "wenzhou-2020",
        "--start",
        "2020-13-01",
        "--end",
        "2020-10-14",
    ]);
    assert_eq!(code(&bad_date), 2);
}

#[test]
fn form_validate_and_aggregate_exit_codes() {
    let c = real_content();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    let ids = crate::survey_fixture::RATINGS;
    let values: serde_json::Map<String, serde_json::Value> = ids
        .iter()
        .map(|id| (id.to_string(), "satisfied".into()))
        .collect();
    let response = serde_json::json!({"form": "wenzhou-survey", "version": 1, "values": values});
    fs::write(&good, response.to_string()).unwrap();
    fs::write(
        &bad,
        response.to_string().replace("\"satisfied\"}", "\"great\"}"),
    )
    .unwrap();

    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-survey",
        s(&good),
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["valid"], true);

    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-survey",
        s(&good),
        s(&bad),
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[1]["valid"], false);
    assert!(!v[1]["findings"].as_array().unwrap().is_empty());

    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-survey",
        s(&dir.path().join("missing.json")),
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&o), 2);
    let o = site_gen(&[
        "form",
        "validate",
        "no-such-form",
        s(&good),
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&o), 2);

    let o = site_gen(&[
        "form",
        "aggregate",
        "wenzhou-survey",
        s(&good),
        s(&good),
        s(&bad),
        "--content",
        s(&c),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["forms"], 2);
    assert_eq!(v["rejected"].as_array().unwrap().len(), 1);
    assert_eq!(v["indicators"]["faculty"]["satisfied"]["count"], 2);
}

#[test]
fn serve_rebuilds_and_pushes_reload_or_the_error_over_the_event_stream() {
    use std::io::{Read, Write};
    use std::time::Duration;

    let f = Fixture::new("basic");
    let (mut child, addr) = crate::support::serve(&f);

    let get = |path: &str| -> String {
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = String::new();
        c.read_to_string(&mut r).unwrap();
        r
    };
    let index = get("/training/");
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    assert!(index.contains("<script src=\"/assets/livereload.js\"></script>"));

    let (mut events, first) = LiveReload::connect(&addr);
    assert_eq!(first, "build:1");

    // A content error: the message carries the diagnostic; the old build stays served.
    std::thread::sleep(Duration::from_millis(300));
    fs::write(f.content().join("notices/beta-2023.toml"), "title = 1\n").unwrap();
    events.error_naming(&["beta-2023.toml:1:9"]);
    assert!(get("/training/notices/beta-2023/").starts_with("HTTP/1.1 200"));

    // Removing the broken notice: a good build, a reload.
    fs::remove_file(f.content().join("notices/beta-2023.toml")).unwrap();
    let msg = events.next();
    assert_eq!(msg, "reload");
    assert!(get("/training/notices/beta-2023/").starts_with("HTTP/1.1 404"));

    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn an_output_folder_holding_the_content_is_refused_with_2() {
    let f = Fixture::new("basic");
    for out in [f.root().to_path_buf(), f.content()] {
        let o = site_gen(&["build", "--content", s(&f.content()), "--out", s(&out)]);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("refusing"), "{}", stderr(&o));
    }
    assert!(f.content().join("site.toml").is_file(), "content untouched");
}

/// Lenient reading is visible: a full-width ID number is accepted, and `notes` says so.
#[test]
fn form_validate_lists_normalisations_as_notes() {
    let c = real_content();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.json");
    let response = serde_json::json!({
        "form": "wenzhou-hours-roster", "version": 1,
        "values": {"trainees": [{"name": "张三", "id_number": "１１０１０５１９４９１２３１００２x"}]}
    });
    fs::write(&file, response.to_string()).unwrap();
    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-hours-roster",
        s(&file),
        "--content",
        s(&c),
    ]);
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = out[0]["findings"].as_array().unwrap();
    assert!(
        !findings
            .iter()
            .any(|f| f["path"] == "trainees[0].id_number"),
        "the normalised ID number is valid: {out:#}"
    );
    let notes = out[0]["notes"].to_string();
    assert!(notes.contains("trainees[0].id_number"), "{out:#}");
    assert!(
        notes.contains("110105194912310029") || notes.contains("11010519491231002X"),
        "{out:#}"
    );
}
