//! Attacks on a build from its inputs and its surroundings: template overrides that lead
//! out of the site, files written into the output while a build runs, look-alike
//! temporary folders, a `base_url` that injects markup, placeholder addresses, names
//! that collide on case-insensitive disks, control and invisible characters, unsafe
//! image URLs, over-long fields, and files that are not files. `check` and `build` are
//! run on each and must find the same errors.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{build, check, code, stderr, stdout, tree, Fixture};

/// Runs `site-gen ARGS` with one more variable in its environment.
fn site_gen_env(args: &[&str], key: &str, value: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "en"])
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env(key, value)
        .output()
        .unwrap()
}

/// Every file's text under `dir` joined (to look for what must not be there).
fn all_text(dir: &Path) -> String {
    if !dir.exists() {
        return String::new();
    }
    tree(dir)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect()
}

/// `check` and `build` both exit 1 and say `needle` (build writing nothing).
fn both_refuse(f: &Fixture, needles: &[&str]) -> String {
    let out = f.root().join("dist");
    let c = check(&f.content());
    let b = build(&f.content(), &out);
    for (what, o) in [("check", &c), ("build", &b)] {
        assert_eq!(code(o), 1, "{what}: {}{}", stdout(o), stderr(o));
        for n in needles {
            assert!(
                stderr(o).contains(n),
                "{what} does not say {n:?}:\n{}",
                stderr(o)
            );
        }
    }
    assert!(!out.exists(), "a refused build wrote {}", out.display());
    stderr(&c)
}

fn set(f: &Fixture, rel: &str, from: &str, to: &str) {
    let p = f.root().join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

const ALPHA: &str = "content/notices/alpha-2024.toml";

#[test]
fn a_template_override_leading_to_proc_self_environ_is_refused_and_the_environment_never_shown() {
    let f = Fixture::new("basic");
    fs::create_dir_all(f.root().join("templates")).unwrap();
    symlink("/proc/self/environ", f.root().join("templates/notice.html")).unwrap();
    let out = f.root().join("dist");
    let secret = "SITE_GEN_TEST_SECRET=do-not-publish-7f3a";
    let (k, v) = secret.split_once('=').unwrap();
    let content = f.content();
    for args in [
        vec!["check", "--content", content.to_str().unwrap()],
        vec![
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let o = site_gen_env(&args, k, v);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{}: {err}", args[0]);
        assert!(err.contains("templates/notice.html"), "{err}");
        assert!(err.contains("outside the site"), "{err}");
        assert!(!err.contains(v) && !stdout(&o).contains(v), "{err}");
    }
    assert!(!all_text(&out).contains(v));

    // A dangling link and a FIFO are named too, not skipped or waited on.
    fs::remove_file(f.root().join("templates/notice.html")).unwrap();
    symlink("missing.html", f.root().join("templates/notice.html")).unwrap();
    let err = both_refuse(&f, &["templates/notice.html", "does not exist"]);
    assert!(err.contains("missing.html"), "{err}");
    fs::remove_file(f.root().join("templates/notice.html")).unwrap();
    let fifo = f.root().join("templates/notice.html");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    both_refuse(&f, &["templates/notice.html", "FIFO"]);
    fs::remove_file(&fifo).unwrap();

    // A link inside the site's folder is an override like any other.
    fs::write(
        f.root().join("shared-notice.html"),
        "{% extends \"base.html\" %}{% block main %}<main>共享模板</main>{% endblock main %}",
    )
    .unwrap();
    symlink("../shared-notice.html", &fifo).unwrap();
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        fs::read_to_string(out.join("notices/alpha-2024/index.html"))
            .unwrap()
            .contains("共享模板")
    );
}

#[test]
fn get_env_is_not_available_to_templates_and_check_says_so() {
    let f = Fixture::new("basic").file(
        "templates/program.html",
        "{% extends \"base.html\" %}\n{% block main %}<main>\n{% if false %}{{ get_env(name=\"HOME\") }}{% endif %}\n</main>{% endblock main %}",
    );
    both_refuse(
        &f,
        &[
            "templates/program.html:3:",
            "get_env is not available to templates",
        ],
    );
}

#[test]
fn a_file_written_into_the_output_during_a_build_is_never_removed() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    assert_eq!(code(&build(&f.content(), &out)), 0);
    let before = tree(&out);
    // The build has rendered everything and waits before its swap.
    let o = build_paused_at(&f, &out, "SITE_GEN_TEST_PAUSE_BEFORE_SWAP", || {
        fs::write(out.join("CNAME"), "training.example.gov.cn\n").unwrap();
    });
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("CNAME"), "{}", stderr(&o));
    let mut expected = before;
    expected.insert("CNAME".into(), b"training.example.gov.cn\n".to_vec());
    assert_eq!(tree(&out), expected, "the output changed");
    let left: Vec<String> = fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("site-gen-tmp") || n.contains("site-gen-old"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A build run with a pause (`SITE_GEN_TEST_PAUSE_…` naming a path): `at_pause` runs
/// while it waits there, and the build's output is returned.
fn build_paused_at(
    f: &Fixture,
    out: &Path,
    env: &str,
    at_pause: impl FnOnce(),
) -> std::process::Output {
    let pause = f.root().join("paused");
    let child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "en"])
        .args(["build", "--content"])
        .arg(f.content())
        .arg("--out")
        .arg(out)
        .env(env, &pause)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !pause.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the build never paused"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    at_pause();
    fs::remove_file(&pause).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_file_written_into_the_output_after_the_last_check_before_the_swap_is_kept() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    assert_eq!(code(&build(&f.content(), &out)), 0);
    let before = tree(&out);
    // Written after the swap's last look at the output, before the exchange: a name the
    // build does not write is moved into the new output and said.
    let o = build_paused_at(&f, &out, "SITE_GEN_TEST_PAUSE_AFTER_LAST_CHECK", || {
        fs::write(out.join("CNAME"), "training.example.gov.cn\n").unwrap();
    });
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("CNAME"), "{}", stderr(&o));
    let mut expected = before.clone();
    expected.insert("CNAME".into(), b"training.example.gov.cn\n".to_vec());
    assert_eq!(tree(&out), expected);
    let left = |root: &Path| -> Vec<PathBuf> {
        fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.to_string_lossy();
                n.contains("site-gen-tmp") || n.contains("site-gen-old")
            })
            .collect()
    };
    assert!(left(f.root()).is_empty(), "{:?}", left(f.root()));

    // A name the build writes too (index.html): the new output keeps the build's, and
    // the file written in that instant stays, in the old output, which is named. (The
    // kept CNAME is moved away first, as the note says: the next build would refuse it.)
    fs::remove_file(out.join("CNAME")).unwrap();
    expected.remove(Path::new("CNAME"));
    let o = build_paused_at(&f, &out, "SITE_GEN_TEST_PAUSE_AFTER_LAST_CHECK", || {
        fs::write(out.join("index.html"), "mine").unwrap();
    });
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(tree(&out), expected);
    let kept = left(f.root());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        stderr(&o).contains(&kept[0].display().to_string()),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(kept[0].join("index.html")).unwrap(),
        "mine"
    );
}

#[test]
fn look_alike_temporary_folders_of_someone_else_are_never_removed_or_renamed() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    // Folders named like a build's, holding a user's files (one even with a manifest,
    // copied from an earlier output), and no output folder: nothing may be taken.
    let mut built = f.root().join("first");
    assert_eq!(code(&build(&f.content(), &built)), 0);
    for name in [
        ".dist.site-gen-tmp-1",
        ".dist.site-gen-old-2",
        ".dist.site-gen-old-3",
    ] {
        let d = f.root().join(name);
        fs::create_dir_all(d.join("notes")).unwrap();
        fs::write(d.join("notes/plan.txt"), format!("mine: {name}")).unwrap();
    }
    fs::copy(
        built.join(".site-gen"),
        f.root().join(".dist.site-gen-old-3/.site-gen"),
    )
    .unwrap();
    // Even one holding a mark-like file that does not name it and this output.
    fs::write(
        f.root().join(".dist.site-gen-old-2/.site-gen-build"),
        "site-gen build\nold-999\n/elsewhere/dist\n",
    )
    .unwrap();
    let snapshot = |root: &Path| {
        [
            ".dist.site-gen-tmp-1",
            ".dist.site-gen-old-2",
            ".dist.site-gen-old-3",
        ]
        .map(|n| tree(&root.join(n)))
    };
    let before = snapshot(f.root());
    for _ in 0..2 {
        let o = build(&f.content(), &out);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(snapshot(f.root()), before);
        assert!(
            !out.join("notes").exists(),
            "a look-alike was renamed into dist"
        );
        assert!(out.join("index.html").exists());
    }
    built = out;
    assert!(
        !built.join(".site-gen-build").exists(),
        "the mark is in the output"
    );
}

#[test]
fn base_url_is_checked_at_its_line_and_never_injects_markup() {
    let injections = [
        (
            "https://training.gov.cn/a\"><script>alert(1)</script>/",
            "`\"` in its path",
        ),
        ("https://training.gov.cn/a/?x=1", "query"),
        ("https://training.gov.cn/a/#top", "fragment"),
        ("https://training.gov.cn/a/../b/", "`..`"),
        ("javascript:alert(1)//", "https://"),
        ("https://user@training.gov.cn/", "user name"),
        ("https:///a/", "host"),
        ("https://training.gov.cn/a b/", "U+0020"),
    ];
    for (url, why) in injections {
        let f = Fixture::new("basic");
        let text = format!("title = \"测试站点\"\nbase_url = '{url}'\nlanguage = \"zh-CN\"\n");
        fs::write(f.content().join("site.toml"), text).unwrap();
        let err = both_refuse(&f, &["site.toml:2:", "base_url", why]);
        assert!(!err.contains("<script>alert(1)</script>/\n"), "{err}");
    }
    // A path under the host is fine, and goes into every link.
    let f = Fixture::new("basic");
    set(
        &f,
        "content/site.toml",
        "https://example.org/training/",
        "https://rsj.wenzhou.gov.cn/zjgyb/",
    );
    let out = f.root().join("dist");
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"/zjgyb/notices/"), "{home}");
}

/// A copy of the real `content/` (its forms give program pages a survey, a QR code and
/// a poster) in a temporary folder.
fn real_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        &dir.path().join("content"),
    );
    dir
}

const PROGRAM: &str = "notices/wenzhou-2020/municipal-6/index.html";
const POSTER: &str = "notices/wenzhou-2020/municipal-6/poster/index.html";

#[test]
fn a_placeholder_address_is_warned_about_and_shown_on_program_pages_and_posters() {
    let dir = real_site();
    let content = dir.path().join("content");
    let site_toml = content.join("site.toml");
    let shipped = fs::read_to_string(&site_toml).unwrap();
    assert!(shipped.contains("base_url = \"https://training.example.org/\""));
    let out = dir.path().join("dist");
    let c = check(&content);
    let b = build(&content, &out);
    for (what, o) in [("check", &c), ("build", &b)] {
        assert_eq!(code(o), 0, "{what}: {}", stderr(o));
        let err = stderr(o);
        assert!(err.contains("content/site.toml:2:"), "{what}: {err}");
        assert!(err.contains("warning: base_url"), "{what}: {err}");
        assert!(err.contains("placeholder"), "{what}: {err}");
    }
    for page in [PROGRAM, POSTER] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains("网址未设置"), "{page}");
        assert!(html.contains("training.example.org，扫码打不开"), "{page}");
    }
    // A page without a QR code or a printed address says nothing of it.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("网址未设置"));

    for (host, placeholder) in [
        ("localhost:8000", true),
        ("127.0.0.1", true),
        ("www.example.com", true),
        ("example.net", true),
        ("example.org.cn", false),
        ("myexample.org", false),
    ] {
        fs::write(
            &site_toml,
            shipped.replace(
                "https://training.example.org/",
                &format!("http://{host}/x/"),
            ),
        )
        .unwrap();
        let o = check(&content);
        assert_eq!(code(&o), 0, "{host}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).contains("warning: base_url"),
            placeholder,
            "{host}: {}",
            stderr(&o)
        );
    }

    fs::write(
        &site_toml,
        shipped.replace(
            "https://training.example.org/",
            "https://rsj.wenzhou.gov.cn/pxb/",
        ),
    )
    .unwrap();
    let c = check(&content);
    let b = build(&content, &out);
    for o in [&c, &b] {
        assert_eq!(code(o), 0, "{}", stderr(o));
        assert!(!stderr(o).contains("warning"), "{}", stderr(o));
    }
    for page in [PROGRAM, POSTER] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("网址未设置"), "{page}");
        assert!(
            html.contains("https://rsj.wenzhou.gov.cn/pxb/forms/"),
            "{page} does not print the real address"
        );
    }
}

#[test]
fn an_organizer_named_index_html_is_a_content_error_in_check_and_build() {
    let f = Fixture::new("basic");
    set(
        &f,
        ALPHA,
        "organizer = \"测试大学培训中心\"",
        "organizer = \"index.html\"",
    );
    both_refuse(&f, &["alpha-2024.toml:", "organizers/index.html"]);
}

#[test]
fn names_that_one_disk_or_another_takes_for_the_same_are_an_error_naming_both() {
    // NFC and NFD.
    let f = Fixture::new("basic");
    set(
        &f,
        ALPHA,
        "organizer = \"测试大学培训中心\"",
        "organizer = \"Caf\u{e9}培训\"",
    );
    set(
        &f,
        ALPHA,
        "organizer = \"测试市机电协会\"",
        "organizer = \"Cafe\u{301}培训\"",
    );
    let err = both_refuse(&f, &["alpha-2024.toml:", "NFC/NFD"]);
    assert!(
        err.contains("Caf\u{e9}培训") && err.contains("Cafe\u{301}培训"),
        "{err}"
    );
    // Letter case.
    let f = Fixture::new("basic");
    set(
        &f,
        ALPHA,
        "organizer = \"测试大学培训中心\"",
        "organizer = \"ABC培训\"",
    );
    set(
        &f,
        ALPHA,
        "organizer = \"测试市机电协会\"",
        "organizer = \"abc培训\"",
    );
    let err = both_refuse(&f, &["alpha-2024.toml:", "letter case"]);
    assert!(err.contains("ABC培训") && err.contains("abc培训"), "{err}");
}

#[test]
fn control_bidi_and_invisible_characters_are_refused_at_their_line() {
    for (from, to, why) in [
        (
            "name = \"智能制造新技术\"",
            "name = \"智能\\u0007制造\"",
            "U+0007",
        ),
        (
            "name = \"智能制造新技术\"",
            "name = \"智能\\u0085制造\"",
            "C1",
        ),
        ("name = \"智能制造新技术\"", "name = \"智能\\t制造\"", "tab"),
        (
            "organizer = \"测试大学培训中心\"",
            "organizer = \"测试\u{202E}中心\"",
            "bidirectional",
        ),
        (
            "organizer = \"测试大学培训中心\"",
            "organizer = \"测试\u{200B}大学培训中心\"",
            "zero-width",
        ),
        ("id = \"main\"", "id = \"ma\u{200D}in\"", "zero-width"),
    ] {
        let f = Fixture::new("basic");
        set(&f, ALPHA, from, to);
        let err = both_refuse(&f, &["alpha-2024.toml:", why]);
        assert!(err.contains("remove it"), "{err}");
    }
    // In a Markdown body file: a control character is refused; tabs and newlines are fine.
    let f = Fixture::new("basic");
    let md = f.content().join("notices/alpha-2024.md");
    let text = fs::read_to_string(&md).unwrap();
    fs::write(&md, format!("{text}\n\t缩进的一行\n")).unwrap();
    assert_eq!(
        code(&check(&f.content())),
        0,
        "{}",
        stderr(&check(&f.content()))
    );
    fs::write(&md, format!("{text}\n第二行\u{1b}[31m红色\n")).unwrap();
    both_refuse(&f, &["alpha-2024.md:", "U+001B"]);
}

#[test]
fn unsafe_image_urls_are_shown_as_text_and_warned_about_like_unsafe_links() {
    let f = Fixture::new("basic");
    let md = f.content().join("notices/alpha-2024.md");
    let text = fs::read_to_string(&md).unwrap();
    fs::write(
        &md,
        format!("{text}\n\n![报名表](javascript:alert(1)) [点这里](JavaScript:alert(2))\n"),
    )
    .unwrap();
    let out = f.root().join("dist");
    let c = check(&f.content());
    let b = build(&f.content(), &out);
    for o in [&c, &b] {
        assert_eq!(code(o), 0, "{}", stderr(o));
        let err = stderr(o);
        assert!(err.contains("alpha-2024.md:"), "{err}");
        assert!(
            err.contains("warning: image `javascript:alert(1)`"),
            "{err}"
        );
        assert!(
            err.contains("warning: link to `JavaScript:alert(2)`"),
            "{err}"
        );
    }
    let page = fs::read_to_string(out.join("notices/alpha-2024/index.html")).unwrap();
    assert!(!page.to_lowercase().contains("javascript:"), "{page}");
    assert!(page.contains("报名表"), "the image's text is gone");
}

#[test]
fn a_9_mb_field_is_refused_at_its_line_with_a_short_message() {
    let f = Fixture::new("basic");
    let huge = "号".repeat(3 * 1024 * 1024);
    set(
        &f,
        ALPHA,
        "doc_number = \"测人社发〔2024〕1号\"",
        &format!("doc_number = \"{huge}\""),
    );
    let err = both_refuse(
        &f,
        &[
            "alpha-2024.toml:2:",
            "`doc_number` is 3145728 characters",
            "100",
        ],
    );
    assert!(err.len() < 4_000, "the message is {} bytes", err.len());
}

#[test]
fn a_fifo_or_a_dangling_link_in_content_says_what_it_is_and_what_was_expected() {
    let f = Fixture::new("basic");
    let fifo = f.content().join("notices/gamma-2024.toml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    both_refuse(
        &f,
        &[
            "gamma-2024.toml",
            "a FIFO (named pipe), not a file",
            "expected a text file",
        ],
    );
    fs::remove_file(&fifo).unwrap();
    symlink(
        "/nowhere/site.toml",
        f.content().join("notices/gamma-2024.toml"),
    )
    .unwrap();
    both_refuse(
        &f,
        &[
            "gamma-2024.toml",
            "/nowhere/site.toml, which does not exist",
        ],
    );
    fs::remove_file(f.content().join("notices/gamma-2024.toml")).unwrap();
    fs::remove_file(f.content().join("site.toml")).unwrap();
    symlink("/dev/zero", f.content().join("site.toml")).unwrap();
    both_refuse(&f, &["site.toml", "/dev/zero"]);
}

#[test]
fn the_limits_table_of_the_guide_is_the_one_in_the_code() {
    use site_gen::content::limits;
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/limits.md"))
        .unwrap();
    for (key, max, what) in limits::FIELDS {
        let row = format!("| `{key}` | {max} | {what} |");
        assert!(doc.contains(&row), "docs/limits.md has no row {row}");
    }
    for (what, max) in [
        ("any other key, one line", limits::OTHER),
        (
            "any other key, multi-line (`\"\"\"…\"\"\"`)",
            limits::OTHER_MULTILINE,
        ),
        ("a Markdown body file (`body_file`)", limits::BODY_FILE),
    ] {
        let row = format!("| {what} | {max} |");
        assert!(doc.contains(&row), "docs/limits.md has no row {row}");
    }
    let rows = doc.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        limits::FIELDS.len(),
        "docs/limits.md lists other keys"
    );
}

/// `site-gen form ARGS` on the repository's forms, stopped after a minute (a read
/// waiting on a FIFO would hang the test otherwise).
fn form_cmd(args: &[&str]) -> Output {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    Command::new("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "en", "form"])
        .args(args)
        .arg("--content")
        .arg(content)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

#[test]
fn form_files_that_are_not_files_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("answers.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let zero = dir.path().join("codes.txt");
    symlink("/dev/zero", &zero).unwrap();
    let folder = dir.path().join("folder.json");
    fs::create_dir(&folder).unwrap();
    for (file, what) in [
        (&fifo, "a FIFO (named pipe), not a file"),
        (&zero, "a character device, not a file"),
        (&folder, "a folder, not a file"),
    ] {
        let name = file.to_str().unwrap();
        for args in [
            vec!["validate", "shandong-registration", name],
            vec!["aggregate", "wenzhou-survey", name],
        ] {
            let o = form_cmd(&args);
            let out = stdout(&o);
            assert_eq!(code(&o), 2, "{args:?}: {out}{}", stderr(&o));
            assert!(out.contains(name) && out.contains(what), "{args:?}: {out}");
            assert!(!out.contains("No such file") && !out.contains("larger than"));
        }
    }
}

#[test]
fn a_200_kb_value_is_never_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("开头{}结尾", "x".repeat(200_000));
    let mut values = serde_json::Map::new();
    for key in ["unit_name", "fill_date", "gender", "landline", big.as_str()] {
        values.insert(key.into(), big.clone().into());
    }
    let response = serde_json::json!({
        "form": "shandong-registration", "version": 1, "values": values,
    });
    let file = dir.path().join("r.json");
    fs::write(&file, response.to_string()).unwrap();
    let o = form_cmd(&["validate", "shandong-registration", file.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.len() < 20_000, "{} bytes of output", out.len());
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = report[0]["findings"].as_array().unwrap();
    let message = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path)
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no finding at {path}: {out}"))
    };
    // Each says what was given (its two ends) and what was expected.
    let given = format!(
        "“开头{}…（略去 199964 字）…{}结尾”",
        "x".repeat(28),
        "x".repeat(8)
    );
    for (path, expected) in [
        ("fill_date", "应为年、月、日"),
        ("gender", "不是可选项：应为"),
        ("unit_name", "超过 100 字的上限"),
    ] {
        let m = message(path);
        assert!(m.contains(expected), "{path}: {m}");
        if path != "unit_name" {
            assert!(m.contains(&given), "{path}: {m}");
        }
    }
    let unknown = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().starts_with("未知字段"))
        .unwrap();
    assert!(unknown["message"].as_str().unwrap().contains(&given));
    assert!(unknown["path"].as_str().unwrap().len() < 400);
}
