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

#[path = "../../../wasm-forms/tests/fixture/forms.rs"]
mod fixture_forms;
pub use fixture_forms::FORMS;

fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn responses() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/responses")
}

/// `<script type="application/json" id="…">…</script>` → `…` inside, one tag a line.
pub fn normalise_markup(main: &str) -> String {
    let unhashed = without_hashes(main);
    let main = unhashed.as_str();
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

/// The cases of the output contract shared by `site-gen form score` and the page's
/// engine: (form, notice whose rules apply, response file).
pub const CONTRACT_CASES: [(&str, &str, &str); 3] = [
    ("wenzhou-evaluation", "wenzhou-2020", "evaluation-full.json"),
    (
        "wenzhou-evaluation",
        "wenzhou-2020",
        "evaluation-partial.json",
    ),
    ("shandong-acceptance", "shandong-2024", "acceptance.json"),
];

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm-forms/tests/golden")
}

/// The text of the data block `<script type="…" id="…">` of a page.
fn data_block(html: &str, id: &str) -> String {
    let open = format!(r#"" id="{id}">"#);
    let start = html
        .find(&open)
        .map(|i| i + open.len())
        .expect("data block");
    let end = html[start..].find("</script>").expect("closed") + start;
    html[start..end].to_owned()
}

/// `wasm-forms/tests/golden/` holds what the form page embeds (schema, the notice's
/// rules, the calendar) and what `site-gen form score` prints for each case; the
/// wasm-bindgen test `score_report_is_byte_identical_to_the_command_line` feeds the
/// same data to the binding in Chromium and compares bytes. `UPDATE_GOLDEN=1` rewrites
/// the files.
#[test]
fn page_data_and_cli_score_match_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let dir = real_content();
    let raw = content::load(&dir).expect("content/ readable");
    let site = content::validate(&raw).unwrap_or_else(|d| panic!("{d}"));
    let templates = Templates::load(None).expect("built-in templates");
    let files = render::render(&site, &templates).expect("renders");
    let page = |id: &str| {
        let path = format!("forms/{id}/index.html");
        let f = files.iter().find(|f| f.path == path).expect("form page");
        String::from_utf8(f.bytes.clone()).expect("UTF-8")
    };
    let mut expected: Vec<(String, String)> = Vec::new();
    for (form, notice, file) in CONTRACT_CASES {
        let html = page(form);
        // The page's JSON blocks are HTML-inert (`\u003c` …); serde reads them back. The
        // schema is in the engine's wire form: the very schema site-gen checked.
        let schema = data_block(&html, "form-schema");
        let read: wasm_forms::schema::FormSchema =
            wasm_forms::wire::decode(&schema).expect("schema in the wire form");
        let checked = &site
            .forms
            .iter()
            .find(|f| f.id == form)
            .expect("form")
            .schema;
        assert_eq!(
            &read, checked,
            "{form}: the page's schema is the checked one"
        );
        let notices: serde_json::Value =
            serde_json::from_str(&data_block(&html, "form-notices")).expect("notices JSON");
        let rules = notices["notices"]
            .as_array()
            .and_then(|a| a.iter().find(|n| n["slug"] == notice))
            .and_then(|n| n["rules"].as_str())
            .expect("the notice attaches the form, its rules in the wire form")
            .to_owned();
        let read: wasm_forms::NoticeRules = wasm_forms::wire::decode(&rules).expect("rules");
        let attached = site
            .notices
            .iter()
            .find(|n| n.slug == notice)
            .expect("notice");
        assert_eq!(
            &read,
            attached.rules_for_form(form),
            "{notice}: the page's rules"
        );
        let calendar = data_block(&html, "form-calendar");
        let read: wasm_forms::calendar::Calendar =
            wasm_forms::wire::decode(&calendar).expect("calendar");
        assert_eq!(Some(&read), site.calendar.as_ref(), "the page's calendar");
        expected.push((format!("{form}.schema.txt"), schema));
        expected.push((format!("{notice}.rules.txt"), rules));
        expected.push(("calendar.txt".into(), calendar));
        let out = run(&["form", "score", form, file]);
        let stdout = out.split_once('\n').map(|(_, s)| s).unwrap_or_default();
        let stem = file.trim_end_matches(".json");
        expected.push((
            format!("{stem}.score.json"),
            stdout.trim_end_matches('\n').to_owned(),
        ));
    }
    for (name, text) in expected {
        let path = golden().join(&name);
        if update {
            std::fs::create_dir_all(golden()).expect("golden folder");
            std::fs::write(&path, &text).expect("write golden");
        }
        let have = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
        assert!(
            have == text,
            "{name} differs from what the page embeds or the command prints \
             (UPDATE_GOLDEN=1 rewrites it):\n{text}"
        );
    }
}

/// Forms are data: a ninth form, a TOML file alone (a copy of shandong-acceptance with
/// other ids, other words and a pass mark of 60), renders, validates, scores and exports
/// with no code change.
#[test]
fn a_ninth_form_is_a_toml_file_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    crate::support::copy_dir(&real_content(), tmp.path());
    let toml = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ninth_form/ninth-acceptance.toml");
    std::fs::copy(&toml, tmp.path().join("forms/ninth-acceptance.toml")).expect("copy");

    // Renders: its own page, with its fields, words, pass-mark words and signature boxes.
    let raw = content::load(tmp.path()).expect("readable");
    let site = content::validate(&raw).unwrap_or_else(|d| panic!("{d}"));
    let files = render::render(&site, &Templates::load(None).expect("templates")).expect("renders");
    let page = files
        .iter()
        .find(|f| f.path == "forms/ninth-acceptance/index.html")
        .expect("a page for the ninth form");
    let html = String::from_utf8(page.bytes.clone()).expect("UTF-8");
    let main = normalise_markup(&main_of(&html));
    for want in [
        r#"name="course_title""#,
        r#"data-prefill="project_name""#,
        r#"name="host_score""#,
        r#"data-computed="host_passed" data-true="通过" data-false="未通过""#,
        "验收专家（签字）",
        r#"data-file-name-field="course_title""#,
    ] {
        assert!(main.contains(want), "{want} missing in:\n{main}");
    }
    assert!(
        !main.contains("70"),
        "nothing of the copied form's pass mark:\n{main}"
    );
    let listing = files
        .iter()
        .find(|f| f.path == "forms/index.html")
        .expect("/forms/");
    assert!(String::from_utf8_lossy(&listing.bytes).contains("/forms/ninth-acceptance/"));

    // Validates and scores through the command line, pass mark 60 from its file.
    let response = tmp.path().join("ninth.json");
    std::fs::write(
        &response,
        serde_json::json!({"form": "ninth-acceptance", "version": 1, "values": {
            "course_title": "海洋牧场", "outcome": "完成", "host_score": "65", "unit_score": 59.9,
            "leader_phone": "0531-86901234"
        }})
        .to_string(),
    )
    .expect("write");
    let cli = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
            .args(args)
            .arg(&response)
            .arg("--content")
            .arg(tmp.path())
            .env("SITE_GEN_TODAY", "2024-10-01")
            .output()
            .expect("runs");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        (o.status.code(), v)
    };
    let (code, v) = cli(&["form", "validate", "ninth-acceptance"]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v[0]["valid"], true);
    let (code, v) = cli(&["form", "score", "ninth-acceptance"]);
    assert_eq!(code, Some(0), "{v:#}");
    let marks = v["pass_marks"].as_array().expect("pass marks");
    assert_eq!(marks.len(), 2, "{v:#}");
    assert_eq!(marks[0]["field"], "host_score");
    assert_eq!(marks[0]["mark"], 60);
    assert_eq!(marks[0]["passed"], true);
    assert_eq!(marks[1]["passed"], false, "59.9 < 60");

    // Exports: the engine's export file records validity and the computed passes.
    let form = site
        .forms
        .iter()
        .find(|f| f.id == "ninth-acceptance")
        .expect("loaded");
    let text = std::fs::read_to_string(&response).expect("read");
    let resp = wasm_forms::io::import_json(&text).expect("imports");
    let ctx = wasm_forms::validate::Context {
        rules: Default::default(),
        calendar: None,
        today: chrono::NaiveDate::from_ymd_opt(2024, 10, 1).expect("date"),
    };
    let report = wasm_forms::validate::validate(&form.schema, &resp, &ctx);
    let values = resp["values"].as_object().cloned().unwrap_or_default();
    let export: serde_json::Value =
        serde_json::from_str(&wasm_forms::io::export_json(&form.schema, &values, &report))
            .expect("export is JSON");
    assert_eq!(export["form"], "ninth-acceptance");
    assert_eq!(export["valid"], true);
    assert_eq!(export["computed"]["host_passed"], true);
    assert_eq!(export["computed"]["unit_passed"], false);
}

/// Each form template can be replaced alone from `templates/` beside `content/`, like
/// the other pages' templates: the override shows on the pages using that part, and
/// the parts not overridden stay the embedded ones.
#[test]
fn form_templates_are_overridable_file_by_file() {
    let dir = real_content();
    let raw = content::load(&dir).expect("content/ readable");
    let site = content::validate(&raw).expect("content/ valid");
    let embedded = |name: &str| {
        site_gen::render::forms_page::TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, src)| (*src).to_owned())
            .unwrap_or_else(|| panic!("{name} is not a form template"))
    };
    // (template, text to mark, marked text, the form whose page must show it, a form
    // whose page must not).
    let cases = [
        (
            "form-matrix.html",
            r#"<div class="matrix">"#,
            r#"<div class="matrix" data-local="matrix">"#,
            "wenzhou-survey",
            "shandong-roster",
        ),
        (
            "form-table.html",
            r#"<td class="no-print">"#,
            r#"<td class="no-print" data-local="table">"#,
            "shandong-roster",
            "wenzhou-survey",
        ),
        (
            "form-scoring.html",
            r#"<table class="scoring">"#,
            r#"<table class="scoring" data-local="scoring">"#,
            "wenzhou-evaluation",
            "shandong-filing",
        ),
        (
            "form-counts.html",
            r#"<table class="counts-table">"#,
            r#"<table class="counts-table" data-local="counts">"#,
            "wenzhou-evaluation",
            "wenzhou-survey",
        ),
        (
            "form-field.html",
            r#"<div class="field{% if f.wide %} wide{% endif %}""#,
            r#"<div data-local="field" class="field{% if f.wide %} wide{% endif %}""#,
            "shandong-filing",
            "",
        ),
        (
            "form.html",
            r#"<h1>{{ app.title }}</h1>"#,
            r#"<h1 data-local="page">{{ app.title }}</h1>"#,
            "shandong-acceptance",
            "",
        ),
    ];
    let plain = Templates::load(None).expect("built-in templates");
    let plain_files = render::render(&site, &plain).expect("renders");
    for (name, from, to, shown, not_shown) in cases {
        let src = embedded(name);
        assert!(src.contains(from), "{name} has no {from}");
        let local = tempfile::tempdir().expect("temp dir");
        std::fs::write(local.path().join(name), src.replace(from, to)).expect("writes");
        let templates = Templates::load(Some(local.path())).expect("templates with override");
        let files = render::render(&site, &templates).expect("renders with override");
        let page = |id: &str| {
            let path = format!("forms/{id}/index.html");
            let f = files.iter().find(|f| f.path == path).expect("form page");
            String::from_utf8(f.bytes.clone()).expect("UTF-8")
        };
        let value = to.split("data-local=\"").nth(1).expect("marker");
        let marker = format!(
            "data-local=\"{}\"",
            &value[..value.find('"').expect("quote")]
        );
        assert!(
            page(shown).contains(&marker),
            "{name}: {shown} lacks the override"
        );
        if !not_shown.is_empty() {
            assert!(
                !page(not_shown).contains("data-local="),
                "{name}: {not_shown}"
            );
        }
        // Everything outside the form pages is unchanged.
        for (a, b) in plain_files.iter().zip(&files) {
            if !a.path.starts_with("forms/") {
                assert_eq!(a.bytes, b.bytes, "{name} changed {}", a.path);
            }
        }
    }
}

/// Asset names without their content hash (`forms.3f9a1c2b.js` → `forms.js`,
/// `x.3f9a1c2b_bg.wasm` → `x_bg.wasm`), so that a snapshot does not change with every
/// edit of a script.
fn without_hashes(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while i < b.len() {
        let hash = b[i] == b'.'
            && i + 9 < b.len()
            && b[i + 1..i + 9]
                .iter()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            && matches!(b[i + 9], b'.' | b'_' | b'"');
        if hash {
            i += 9;
            continue;
        }
        let ch = html[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}
