//! `site-gen serve` as a careful local server: security headers, Host and Origin
//! checks, a header read timeout, over-long paths, live reload injected only into
//! served responses, a templates/ folder created while serving.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{Fixture, LiveReload};

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(f: &Fixture) -> Server {
        let (child, addr) = crate::support::serve(f);
        Server { child, addr }
    }

    fn port(&self) -> &str {
        self.addr.rsplit(':').next().unwrap()
    }

    /// The raw response to a request with these extra header lines.
    fn raw(&self, path: &str, host: &str, extra: &str) -> String {
        let mut c = TcpStream::connect(&self.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = Vec::new();
        let _ = c.read_to_end(&mut r);
        String::from_utf8_lossy(&r).into_owned()
    }

    fn get(&self, path: &str) -> String {
        self.raw(path, &self.addr.clone(), "")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a header in a raw response (case-insensitive name).
fn header<'a>(resp: &'a str, name: &str) -> Option<&'a str> {
    let head = resp.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn serve_sends_security_headers_and_utf8_on_text_and_injects_live_reload_only_when_serving() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    // The fixture's base_url is https://example.org/training/: the preview is there.
    let root = srv.get("/");
    assert!(root.starts_with("HTTP/1.1 307"), "{root}");
    assert_eq!(header(&root, "location"), Some("/training/"));
    let page = srv.get("/training/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert_eq!(header(&page, "x-content-type-options"), Some("nosniff"));
    let csp = header(&page, "content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(
        header(&page, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.contains("<script src=\"/assets/livereload.js\"></script></body>"));
    let style = format!(
        "/training{}",
        site_gen::render::assets::url("style.css").unwrap()
    );
    for (path, ctype) in [
        (style.as_str(), "text/css; charset=utf-8"),
        ("/training/sitemap.xml", "charset=utf-8"),
        (
            "/training/notices/alpha-2024/main.csv",
            "text/csv; charset=utf-8",
        ),
        (
            "/training/notices/alpha-2024/main.json",
            "application/json; charset=utf-8",
        ),
        ("/assets/livereload.js", "charset=utf-8"),
    ] {
        let r = srv.get(path);
        assert!(r.starts_with("HTTP/1.1 200"), "{path}: {r}");
        let got = header(&r, "content-type").unwrap_or("");
        assert!(got.contains(ctype), "{path}: {got}");
        assert_eq!(
            header(&r, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    // The meta policy of the pages is the header's, less what only a header can say.
    let meta = page
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap();
    assert!(csp.starts_with(meta), "{csp} / {meta}");

    // The folder on disk is what `build` writes: no live-reload script anywhere.
    let dist = f.root().join("dist");
    let index = fs::read_to_string(dist.join("index.html")).unwrap();
    assert!(!index.contains("livereload"), "{index}");
    assert!(!dist.join("assets/livereload.js").exists());
    assert!(dist.join(".site-gen").is_file());
}

#[test]
fn serve_caches_hashed_assets_for_a_year_and_has_everything_else_revalidated() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    let style = format!(
        "/training{}",
        site_gen::render::assets::url("style.css").unwrap()
    );
    // Hashed names: kept a year, as deploying.md tells hosts; with the compressed copy.
    let r = srv.raw(&style, &srv.addr.clone(), "Accept-Encoding: br\r\n");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert_eq!(
        header(&r, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&r, "content-encoding"), Some("br"));
    assert_eq!(header(&r, "vary"), Some("accept-encoding"));
    // Everything else is asked for again each time: pages, feeds, downloads, the
    // live-reload script, a missing page, and a hashed-looking name the build never wrote.
    let stale = style.replace("/style.", "/style.0");
    for path in [
        "/training/",
        "/training/sitemap.xml",
        "/training/notices/alpha-2024/main.csv",
        "/assets/livereload.js",
        "/training/no-such-page/",
        stale.as_str(),
    ] {
        let r = srv.get(path);
        assert_eq!(header(&r, "cache-control"), Some("no-cache"), "{path}: {r}");
    }
    // Asking again costs a 304 while the page is unchanged, with the same headers.
    let page = srv.raw("/training/", &srv.addr.clone(), "Accept-Encoding: gzip\r\n");
    assert_eq!(header(&page, "content-encoding"), Some("gzip"), "{page}");
    let modified = header(&page, "last-modified").unwrap();
    let again = srv.raw(
        "/training/",
        &srv.addr.clone(),
        &format!("Accept-Encoding: gzip\r\nIf-Modified-Since: {modified}\r\n"),
    );
    assert!(again.starts_with("HTTP/1.1 304"), "{again}");
    assert_eq!(header(&again, "cache-control"), Some("no-cache"));
    assert_eq!(header(&again, "vary"), Some("accept-encoding"));
    // No policy on the 304: the browser would put it in place of the page's own, which
    // names the hashes of the page's inline styles and scripts.
    assert_eq!(header(&again, "content-security-policy"), None, "{again}");
}

#[test]
fn serve_refuses_foreign_host_headers_and_websocket_origins() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    let port = srv.port().to_string();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "127.0.0.1".to_string(),
        String::new(),
    ] {
        let r = srv.raw("/", &host, "");
        assert!(r.starts_with("HTTP/1.1 403"), "{host}: {r}");
        assert!(!r.contains("<main"), "{host}: {r}");
    }
    let r = srv.raw("/training/", &format!("localhost:{port}"), "");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");

    let stream = |origin: &str| {
        srv.raw(
            "/__livereload",
            &srv.addr,
            &format!("Origin: {origin}\r\nAccept: text/event-stream\r\n"),
        )
    };
    let r = stream("http://evil.example");
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    let r = stream(&format!("http://evil.example:{port}"));
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    // The server's own pages may connect: the stream opens with the number of builds.
    let (_, first) = LiveReload::connect(&srv.addr);
    assert_eq!(first, "build:1");
}

#[test]
fn serve_answers_an_over_long_path_segment_with_404_and_closes_silent_connections() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    let long = format!("/training/notices/{}/", "a".repeat(300));
    let r = srv.get(&long);
    assert!(r.starts_with("HTTP/1.1 404"), "{r}");
    let encoded = format!("/training/{}", "%E9%95%BF".repeat(100));
    let r = srv.get(&encoded);
    assert!(r.starts_with("HTTP/1.1 404"), "{r}");

    // A client that never finishes its headers is disconnected (not held forever).
    let mut c = TcpStream::connect(&srv.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: x").unwrap();
    let mut buf = Vec::new();
    let read = c.read_to_end(&mut buf);
    assert!(read.is_ok(), "the connection was not closed: {read:?}");
    // And the server still serves.
    assert!(srv.get("/training/").starts_with("HTTP/1.1 200"));
}

#[test]
fn serve_picks_up_a_templates_folder_created_while_serving() {
    let f = Fixture::new("basic");
    fs::remove_dir_all(f.root().join("templates")).unwrap();
    let srv = Server::start(&f);
    assert!(!srv.get("/training/").contains("自定义首页模板"));
    std::thread::sleep(Duration::from_millis(300));
    let templates = f.root().join("templates");
    fs::create_dir(&templates).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    f.save(
        templates.join("index.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>自定义首页模板</h1>{% endblock main %}",
    )
    .unwrap();
    let mut seen = false;
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(200));
        if srv.get("/training/").contains("自定义首页模板") {
            seen = true;
            break;
        }
    }
    assert!(seen, "the new templates/index.html was not used");
}

/// Every file (path → bytes) and folder under `dir`.
fn tree(dir: &std::path::Path) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<String>) {
    fn walk(
        root: &std::path::Path,
        dir: &std::path::Path,
        files: &mut std::collections::BTreeMap<String, Vec<u8>>,
        dirs: &mut Vec<String>,
    ) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            if e.file_type().unwrap().is_dir() {
                dirs.push(rel);
                walk(root, &e.path(), files, dirs);
            } else {
                files.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    let (mut files, mut dirs) = Default::default();
    walk(dir, dir, &mut files, &mut dirs);
    dirs.sort();
    (files, dirs)
}

/// What `site-gen build` writes for the fixture's content now, as [`tree`].
fn full_build(f: &Fixture) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<String>) {
    let out = f.root().join("full");
    let _ = fs::remove_dir_all(&out);
    let st = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "en"])
        .args(["build", "--content"])
        .arg(f.content())
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    tree(&out)
}

fn assert_same_tree(
    step: &str,
    served: &(std::collections::BTreeMap<String, Vec<u8>>, Vec<String>),
    full: &(std::collections::BTreeMap<String, Vec<u8>>, Vec<String>),
) {
    let names =
        |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&served.0), names(&full.0), "{step}: other files");
    let differ: Vec<&String> = served
        .0
        .iter()
        .filter(|(p, b)| full.0.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        differ.is_empty(),
        "{step}: files differ from a full build: {differ:?}"
    );
    assert_eq!(served.1, full.1, "{step}: other folders");
}

#[test]
fn serve_updates_after_notice_edits_leave_exactly_what_a_full_build_writes() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    let mut ws = LiveReload::connect(&srv.addr).0;
    let dist = f.root().join("dist");
    let notices = f.content().join("notices");
    let alpha = fs::read_to_string(notices.join("alpha-2024.toml")).unwrap();
    let beta = fs::read_to_string(notices.join("beta-2023.toml")).unwrap();
    let body = fs::read_to_string(notices.join("alpha-2024.md")).unwrap();
    assert_same_tree("first build", &tree(&dist), &full_build(&f));
    assert!(dist.join("organizers/测试市机电协会/index.html").is_file());

    let added = format!(
        "{alpha}\n[[lists.programs]]\nname = \"新增项目\"\norganizer = \"测试新单位\"\ncategory = \"现代农业\"\ncontacts = [{{ name = \"赵六\", phones = [\"88000000\"] }}]\n"
    );
    let steps: Vec<(&str, &str, Option<String>)> = vec![
        (
            "an organizer renamed",
            "alpha-2024.toml",
            Some(alpha.replace("测试市机电协会", "测试市电子协会")),
        ),
        (
            "a phone number changed",
            "alpha-2024.toml",
            Some(alpha.replace("88879706", "88879707")),
        ),
        (
            "the notice's title changed",
            "alpha-2024.toml",
            Some(alpha.replace("关于公布2024年度", "关于公布2024年度（修订）")),
        ),
        (
            "the document number changed (every group row of the notice)",
            "alpha-2024.toml",
            Some(alpha.replace("测人社发〔2024〕1号", "测人社发〔2024〕2号")),
        ),
        (
            "the phone number changed back",
            "alpha-2024.toml",
            Some(alpha.clone()),
        ),
        (
            "the body changed",
            "alpha-2024.md",
            Some(format!("{body}\n补充说明。\n")),
        ),
        ("a program added", "alpha-2024.toml", Some(added)),
        (
            "the program removed again",
            "alpha-2024.toml",
            Some(alpha.clone()),
        ),
        (
            "a date changed (the order of notices)",
            "beta-2023.toml",
            Some(beta.replace("2023-03-01", "2024-08-01")),
        ),
        (
            "a notice added",
            "gamma-2024.toml",
            Some(beta.replace("测人社函〔2023〕9号", "测人社函〔2024〕5号")),
        ),
        ("the notice removed", "gamma-2024.toml", None),
    ];
    for (step, file, text) in steps {
        match text {
            Some(t) => f.save(notices.join(file), t).unwrap(),
            None => fs::remove_file(notices.join(file)).unwrap(),
        }
        ws.reload();
        assert_same_tree(step, &tree(&dist), &full_build(&f));
        if step == "an organizer renamed" {
            assert!(!dist.join("organizers/测试市机电协会").exists());
            assert!(dist.join("organizers/测试市电子协会/index.html").is_file());
        }
    }
    assert!(!dist.join("notices/gamma-2024").exists());

    // A content error: the message, and the last good site stays as it was.
    let before = tree(&dist);
    f.save(
        notices.join("alpha-2024.toml"),
        format!("{alpha}\n[[lists.programs]\n"),
    )
    .unwrap();
    ws.error_naming(&["alpha-2024.toml"]);
    assert_same_tree("after a content error", &tree(&dist), &before);
    f.save(notices.join("alpha-2024.toml"), &alpha).unwrap();
    ws.reload();
    assert_same_tree("the error fixed", &tree(&dist), &full_build(&f));

    // Not a notice: the site's settings, then a notice edited under the new settings.
    let site_toml = f.content().join("site.toml");
    let settings = fs::read_to_string(&site_toml).unwrap();
    f.save(
        &site_toml,
        settings.replacen("title = \"", "title = \"新", 1),
    )
    .unwrap();
    ws.reload();
    assert_same_tree("the site's title changed", &tree(&dist), &full_build(&f));
    f.save(
        notices.join("alpha-2024.toml"),
        alpha.replace("88879706", "88870000"),
    )
    .unwrap();
    ws.reload();
    assert_same_tree("a notice edited after that", &tree(&dist), &full_build(&f));

    // Rebuilding reads the files (access events): that alone starts no rebuild.
    assert!(
        ws.nothing_within(Duration::from_millis(1500)),
        "a message without an edit"
    );
}

#[test]
fn serve_updates_after_a_title_edit_with_group_rows_that_show_the_notice() {
    // An override of the group pages' rows that shows each program's notice: a title
    // edit then changes every organizer and category page listing one of its programs.
    let row = include_str!("../../templates/program-row.html").replace(
        "（{{ p.doc_number }}）",
        "（{{ p.doc_number }}，<a href=\"{{ p.notice.url }}\">{{ p.notice.text }}</a>）",
    );
    assert_ne!(row, include_str!("../../templates/program-row.html"));
    let f = Fixture::new("basic").file("templates/program-row.html", &row);
    let srv = Server::start(&f);
    let mut ws = LiveReload::connect(&srv.addr).0;
    let dist = f.root().join("dist");
    let alpha = f.content().join("notices/alpha-2024.toml");
    let text = fs::read_to_string(&alpha).unwrap();
    let page = dist.join("organizers/测试市机电协会/index.html");
    assert!(fs::read_to_string(&page)
        .unwrap()
        .contains("关于公布2024年度测试"));
    for (step, title) in [("a title edit", "（修订）"), ("another", "（再次修订）")] {
        f.save(
            &alpha,
            text.replace("关于公布2024年度", &format!("关于公布2024年度{title}")),
        )
        .unwrap();
        ws.reload();
        assert!(
            fs::read_to_string(&page).unwrap().contains(title),
            "{step}: the organizer page shows the old title"
        );
        assert_same_tree(step, &tree(&dist), &full_build(&f));
    }
}

/// The site of the fixture's content as it is now.
fn site_of(f: &Fixture) -> site_gen::content::Site {
    site_gen::content::validate(&site_gen::content::load(&f.content()).unwrap()).unwrap()
}

#[test]
fn an_update_renders_the_groups_whose_listing_changed_and_no_others() {
    use site_gen::render::{Selection, Templates};
    let embedded = Templates::embedded().unwrap();
    let f = Fixture::new("basic");
    let alpha = f.content().join("notices/alpha-2024.toml");
    let text = fs::read_to_string(&alpha).unwrap();
    let old = site_of(&f);
    let names = |s: &std::collections::BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();

    // The body only: the notice's pages, no group page.
    f.save(
        f.content().join("notices/alpha-2024.md"),
        "各单位：\n\n另行通知。\n",
    )
    .unwrap();
    let sel = Selection::between(&old, &site_of(&f), &embedded);
    assert_eq!(names(&sel.notices), ["alpha-2024"]);
    assert!(
        sel.groups[0].is_empty() && sel.groups[1].is_empty(),
        "{sel:?}"
    );

    // One program's phone: its organizer's page, and no category (it has none).
    fs::copy(
        crate::support::fixtures().join("basic/content/notices/alpha-2024.md"),
        f.content().join("notices/alpha-2024.md"),
    )
    .unwrap();
    f.save(&alpha, text.replace("88879706", "88879707"))
        .unwrap();
    let sel = Selection::between(&old, &site_of(&f), &embedded);
    assert_eq!(names(&sel.groups[0]), ["测试市机电协会"]);
    assert!(sel.groups[1].is_empty(), "{sel:?}");

    // The title: the embedded group pages do not show a program's notice, so no group
    // page; with an override of their rows (program-row.html), every group of the
    // notice.
    f.save(
        &alpha,
        text.replace("关于公布2024年度", "关于公布2024年度（修订）"),
    )
    .unwrap();
    let sel = Selection::between(&old, &site_of(&f), &embedded);
    assert_eq!(names(&sel.notices), ["alpha-2024"]);
    assert!(
        sel.groups[0].is_empty() && sel.groups[1].is_empty(),
        "{sel:?}"
    );
    let overrides = tempfile::tempdir().unwrap();
    f.save(
        overrides.path().join("program-row.html"),
        include_str!("../../templates/program-row.html"),
    )
    .unwrap();
    let overridden = Templates::load(Some(overrides.path())).unwrap();
    let sel = Selection::between(&old, &site_of(&f), &overridden);
    assert_eq!(
        names(&sel.groups[0]),
        ["测试大学培训中心", "测试市机电协会"]
    );
    assert_eq!(names(&sel.groups[1]), ["数字经济"]);
    // The document number is on every row: all its groups, with any templates.
    f.save(
        &alpha,
        text.replace("测人社发〔2024〕1号", "测人社发〔2024〕2号"),
    )
    .unwrap();
    let sel = Selection::between(&old, &site_of(&f), &embedded);
    assert_eq!(
        names(&sel.groups[0]),
        ["测试大学培训中心", "测试市机电协会"]
    );
    assert_eq!(names(&sel.groups[1]), ["数字经济"]);

    // Nothing changed: nothing to render.
    f.save(&alpha, &text).unwrap();
    assert_eq!(
        Selection::between(&old, &site_of(&f), &embedded),
        Selection::default()
    );
}

#[test]
fn serve_updates_still_run_the_checks_that_span_files() {
    // A notice that did not change is not checked again on its own, but what it shares
    // with the others (links into them, page names) is: an edit of one file can make
    // another one wrong, and fixing it makes it right again.
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    let mut ws = LiveReload::connect(&srv.addr).0;
    let dist = f.root().join("dist");
    let notices = f.content().join("notices");
    let alpha = fs::read_to_string(notices.join("alpha-2024.toml")).unwrap();
    let beta = fs::read_to_string(notices.join("beta-2023.toml")).unwrap();
    let linked = beta.replace(
        "另见[新通知](/notices/alpha-2024/)",
        "另见[新通知的第二个项目](/notices/alpha-2024/main-2/)",
    );
    assert_ne!(linked, beta);
    let second = alpha
        .find("[[lists.programs]]\nname = \"=HYPERLINK")
        .unwrap();
    let one_program = alpha[..second].to_string();
    let renamed = alpha.replace("测试市机电协会", "测试/协会");
    let clash = format!(
        "{linked}\n[[lists.programs]]\nname = \"同名单位的项目\"\norganizer = \"测试／协会\"\ncontacts = [{{ name = \"赵六\", phones = [\"88000000\"] }}]\n"
    );
    let write = |file: &str, text: &str| f.save(notices.join(file), text).unwrap();

    write("beta-2023.toml", &linked);
    ws.reload();
    assert_same_tree("a link to a program page", &tree(&dist), &full_build(&f));

    // The program linked to removed: the unchanged notice's link is broken now.
    let before = tree(&dist);
    write("alpha-2024.toml", &one_program);
    ws.error_naming(&["beta-2023.toml", "/notices/alpha-2024/main-2/"]);
    assert_same_tree("a link broken by another file", &tree(&dist), &before);
    write("alpha-2024.toml", &alpha);
    ws.reload();
    assert_same_tree("the program back", &tree(&dist), &full_build(&f));

    // Two notices' organizers that become one page: the second one's edit is refused.
    write("alpha-2024.toml", &renamed);
    ws.reload();
    assert_same_tree("an organizer renamed", &tree(&dist), &full_build(&f));
    let before = tree(&dist);
    write("beta-2023.toml", &clash);
    ws.error_naming(&["测试／协会", "测试/协会"]);
    assert_same_tree("two names for one page", &tree(&dist), &before);
    write("beta-2023.toml", &linked);
    ws.reload();
    assert_same_tree("the clash removed", &tree(&dist), &full_build(&f));
    assert!(dist.join("organizers/测试／协会/index.html").is_file());

    // A form that a notice attaches removed: the notice, unchanged, is wrong now.
    let form = f.content().join("forms/wenzhou-survey.toml");
    let schema = fs::read_to_string(&form).unwrap();
    let before = tree(&dist);
    fs::remove_file(&form).unwrap();
    ws.error_naming(&["alpha-2024.toml", "wenzhou-survey"]);
    assert_same_tree("a form gone", &tree(&dist), &before);
    f.save(&form, &schema).unwrap();
    ws.reload();
    assert_same_tree("the form back", &tree(&dist), &full_build(&f));
}

#[test]
fn serve_answers_a_4_kb_path_with_414_never_redirects_off_site_and_hides_the_manifest() {
    let f = Fixture::new("basic");
    let srv = Server::start(&f);
    // Segments within the limit, 5 KB in all: 414, not 500.
    let long = "/a".repeat(2_500);
    let r = srv.get(&long);
    assert!(r.starts_with("HTTP/1.1 414"), "{r}");

    // `//notices/x` is a path of this server, never a redirect to the host `notices`.
    for path in [
        "//notices/alpha-2024",
        "//notices/alpha-2024/",
        "///evil.example/x",
    ] {
        let r = srv.get(path);
        if let Some(location) = header(&r, "location") {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path}: {location}"
            );
        }
        assert!(!r.starts_with("HTTP/1.1 5"), "{path}: {r}");
    }
    let r = srv.get("//notices/alpha-2024/");
    assert_eq!(header(&r, "location"), Some("/notices/alpha-2024/"), "{r}");

    // The build's manifest is not a page of the site.
    assert!(f.root().join("dist/.site-gen").exists());
    let r = srv.get("/.site-gen");
    assert!(r.starts_with("HTTP/1.1 404"), "{r}");
    assert!(!r.contains("site-gen output 1"), "{r}");
}

#[test]
fn serve_says_where_it_serves_in_the_sites_language() {
    use std::io::{BufRead, BufReader};
    let f = Fixture::new("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "zh-CN", "serve", "--port", "0", "--content"])
        .arg(f.content())
        .arg("--out")
        .arg(f.root().join("dist"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("正在预览 ") && line.contains("：http://127.0.0.1:"),
        "{line}"
    );
    assert!(
        line.trim_end().ends_with("/training/（按 Ctrl-C 停止）"),
        "{line}"
    );
}

#[test]
fn serve_with_content_in_error_at_start_serves_the_error_where_the_site_will_be() {
    let f = Fixture::new("basic").file("content/notices/broken-2024.toml", "title = \n");
    let srv = Server::start(&f);
    // `/` leads to base_url's path, and the error page is served there.
    let r = srv.get("/");
    assert!(r.starts_with("HTTP/1.1 30"), "{r}");
    assert_eq!(header(&r, "location"), Some("/training/"), "{r}");
    let page = srv.get("/training/");
    assert!(page.contains("broken-2024.toml"), "{page}");
}
