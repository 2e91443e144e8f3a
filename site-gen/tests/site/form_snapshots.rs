//! The safety net of the form engine and the form pages: the `<main>` of each of the
//! eight form pages of the real `content/`, and the command line's JSON for the fixed
//! responses in `fixtures/responses/`, pinned as insta snapshots.
//!
//! Page markup is compared tag by tag (one tag a line, whitespace-only text between tags
//! dropped) so that a change of how the markup is produced shows only real differences.
//! The JSON data blocks (schema, notices, calendar) are left out of the page snapshot:
//! the engine reads them, and what it makes of them is pinned by the command snapshots.

use std::path::{Path, PathBuf};
use std::process::Command;

use site_gen::content;
use site_gen::render::{self, Templates};

use crate::support::main_of;

pub const FORMS: [&str; 8] = [
    "wenzhou-survey",
    "wenzhou-evaluation",
    "wenzhou-hours-roster",
    "shandong-filing",
    "shandong-registration",
    "shandong-roster",
    "shandong-self-evaluation",
    "shandong-acceptance",
];

fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn responses() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/responses")
}

/// `<script type="application/json" id="…">…</script>` → `…` inside, one tag a line.
pub fn normalise_markup(main: &str) -> String {
    let mut html = String::with_capacity(main.len());
    let mut rest = main;
    const OPEN: &str = r#"<script type="application/json""#;
    while let Some(i) = rest.find(OPEN) {
        let Some(gt) = rest[i..].find('>') else { break };
        let Some(end) = rest[i..].find("</script>") else {
            break;
        };
        html.push_str(&rest[..i + gt + 1]);
        html.push('…');
        html.push_str("</script>");
        rest = &rest[i + end + "</script>".len()..];
    }
    html.push_str(rest);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut text = String::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            if !text.trim().is_empty() {
                out.push_str(text.trim());
                out.push('\n');
            }
            text.clear();
            let mut tag = String::from('<');
            for t in chars.by_ref() {
                tag.push(t);
                if t == '>' {
                    break;
                }
            }
            out.push_str(&tag);
            out.push('\n');
        } else {
            text.push(c);
        }
    }
    if !text.trim().is_empty() {
        out.push_str(text.trim());
        out.push('\n');
    }
    out
}

#[test]
fn form_pages_main() {
    let dir = real_content();
    let raw = content::load(&dir).expect("content/ readable");
    let site = match content::validate(&raw) {
        Ok(s) => s,
        Err(d) => panic!("content/ has errors:\n{d}"),
    };
    let templates = Templates::load(None).expect("built-in templates");
    let files = render::render(&site, &templates).expect("renders");
    for id in FORMS {
        let path = format!("forms/{id}/index.html");
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        let html = String::from_utf8(file.bytes.clone()).expect("UTF-8");
        insta::assert_snapshot!(format!("form_page_{id}"), normalise_markup(&main_of(&html)));
    }
}

/// Runs `site-gen` on the real content with a fixed today; exit code and stdout, the
/// responses folder shown as `<responses>`.
fn run(args: &[&str]) -> String {
    let dir = responses();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.ends_with(".json") || a.ends_with(".csv") {
                dir.join(a).display().to_string()
            } else {
                (*a).to_owned()
            }
        })
        .collect();
    let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(&args)
        .arg("--content")
        .arg(real_content())
        .env("SITE_GEN_TODAY", "2024-10-01")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("site-gen runs");
    let stdout =
        String::from_utf8_lossy(&o.stdout).replace(&dir.display().to_string(), "<responses>");
    let code = o.status.code().unwrap_or(-1);
    if stdout.is_empty() {
        // A usage error says why on stderr only.
        return format!("exit {code}\n{}", String::from_utf8_lossy(&o.stderr));
    }
    format!("exit {code}\n{stdout}")
}

#[test]
fn cli_form_validate() {
    let cases: &[(&str, &[&str])] = &[
        (
            "wenzhou-survey",
            &[
                "survey-a.json",
                "survey-b.json",
                "survey-c.json",
                "survey-bad.json",
            ],
        ),
        (
            "wenzhou-evaluation",
            &["evaluation-full.json", "evaluation-partial.json"],
        ),
        ("wenzhou-hours-roster", &["hours-roster.json"]),
        ("shandong-filing", &["filing.json"]),
        ("shandong-registration", &["registration.json"]),
        ("shandong-roster", &["shandong-roster.json"]),
        ("shandong-self-evaluation", &["self-evaluation.json"]),
        ("shandong-acceptance", &["acceptance.json"]),
    ];
    for (form, files) in cases {
        let mut args = vec!["form", "validate", form];
        args.extend_from_slice(files);
        insta::assert_snapshot!(format!("cli_validate_{form}"), run(&args));
    }
}

#[test]
fn cli_form_score() {
    for (name, form, file) in [
        (
            "evaluation_full",
            "wenzhou-evaluation",
            "evaluation-full.json",
        ),
        (
            "evaluation_partial",
            "wenzhou-evaluation",
            "evaluation-partial.json",
        ),
        ("acceptance", "shandong-acceptance", "acceptance.json"),
    ] {
        insta::assert_snapshot!(
            format!("cli_score_{name}"),
            run(&["form", "score", form, file])
        );
    }
}

#[test]
fn cli_form_aggregate() {
    let files = [
        "survey-a.json",
        "survey-b.json",
        "survey-c.json",
        "survey-bad.json",
    ];
    let mut args = vec!["form", "aggregate", "wenzhou-survey"];
    args.extend_from_slice(&files);
    insta::assert_snapshot!("cli_aggregate_json", run(&args));
    args.push("--csv");
    insta::assert_snapshot!("cli_aggregate_csv", run(&args));
}

#[test]
fn cli_deadlines() {
    // Wenzhou's lists have rules of their own: the municipal list's apply.
    for (name, notice, list, start, end) in [
        (
            "wenzhou",
            "wenzhou-2020",
            "municipal",
            "2020-10-12",
            "2020-10-14",
        ),
        (
            "shandong",
            "shandong-2024",
            "plan",
            "2024-10-08",
            "2024-10-11",
        ),
        (
            "shandong_late",
            "shandong-2024",
            "plan",
            "2024-11-18",
            "2024-11-20",
        ),
    ] {
        insta::assert_snapshot!(
            format!("cli_deadlines_{name}"),
            run(&[
                "deadlines",
                "--notice",
                notice,
                "--list",
                list,
                "--start",
                start,
                "--end",
                end
            ])
        );
    }
}
