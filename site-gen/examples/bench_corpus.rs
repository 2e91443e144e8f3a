//! Writes one synthetic corpus for a paired comparison of site-gen with Hugo:
//! `cargo run --release -p site-gen --example bench_corpus -- DIR [NOTICES] [PROGRAMS_PER_NOTICE]`
//! (default 100 notices of 100 programs: 10,000 programs).
//!
//! `DIR/content/` is site-gen content (the same files as the `gen_content` example).
//! `DIR/hugo/` is a Hugo site made from that content after site-gen has loaded and
//! validated it, so both tools read the same notices and programs: a section per notice
//! (its Markdown body and a table of its programs), a page per program, `organizers`
//! and `categories` taxonomies (a page per organizer and per category plus the two
//! overview pages), the index, an Atom-like feed (Hugo's RSS), a sitemap and a 404 page.
//! Hugo does not write the plan lists' CSV and JSON downloads (two files per list).
//! `scripts/bench-hugo` runs both builds in pairs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use site_gen::content::model::Site;
use site_gen::fsx::{self, FsError};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_corpus DIR [NOTICES] [PROGRAMS_PER_NOTICE]");
        return ExitCode::from(2);
    };
    let notices = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let programs = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let content = dir.join("content");
    if let Err(e) = site_gen::synth::generate(&content, notices, programs) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let site = match site_gen::content::load(&content)
        .map_err(|e| e.to_string())
        .and_then(|raw| site_gen::content::validate(&raw).map_err(|d| d.to_string()))
    {
        Ok(site) => site,
        Err(e) => {
            eprintln!("error: the generated content is not valid: {e}");
            return ExitCode::from(2);
        }
    };
    match hugo_site(&site, &dir.join("hugo")) {
        Ok(()) => {
            println!(
                "wrote {notices} notices × {programs} programs to {} and {}",
                content.display(),
                dir.join("hugo").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hugo_site(site: &Site, dir: &Path) -> Result<(), FsError> {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fsx::create_dir_all(parent)?;
        }
        fsx::write(&path, text.as_bytes())
    };
    write(
        "hugo.toml",
        &format!(
            "baseURL = {}\nlanguageCode = {}\ntitle = {}\ndisableKinds = []\ntimeout = \"3600s\"\n\n[params]\nfooter = {}\n\n[taxonomies]\norganizer = \"organizers\"\ncategory = \"categories\"\n\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n",
            q(&site.config.base_url),
            q(&site.config.language),
            q(&site.config.title),
            q(site.config.footer.as_deref().unwrap_or("")),
        ),
    )?;
    write("content/_index.md", "+++\ntitle = \"通知\"\n+++\n")?;
    for n in &site.notices {
        write(
            &format!("content/notices/{}/_index.md", n.slug),
            &format!(
                "+++\ntitle = {}\ndate = {}\ndoc_number = {}\nissuer = {}\nregion = {}\n+++\n{}",
                q(&n.title),
                n.date,
                q(&n.doc_number),
                q(&n.issuer),
                q(&n.region),
                n.body
            ),
        )?;
        let mut weight = 0;
        for l in &n.lists {
            for (i, p) in l.programs.iter().enumerate() {
                weight += 1;
                let mut t = format!(
                    "+++\ntitle = {}\nweight = {weight}\norganizers = [{}]\n",
                    q(&p.name),
                    q(&p.organizer)
                );
                let _ = write!(
                    t,
                    "list = {}\nlist_title = {}\nn = {}\n",
                    q(&l.id),
                    q(&l.title),
                    i + 1
                );
                if let Some(f) = &p.funding {
                    let _ = writeln!(t, "funding = {}", q(f));
                }
                if let Some(a) = &p.amount_wan {
                    let _ = writeln!(t, "amount = \"{a}万元\"");
                }
                if let Some(c) = &p.category {
                    let _ = writeln!(t, "categories = [{}]", q(c));
                }
                for c in &p.contacts {
                    let phones: Vec<String> = c.phones.iter().map(|s| q(s)).collect();
                    let _ = write!(
                        t,
                        "[[contacts]]\nname = {}\nphones = [{}]\n",
                        q(&c.name),
                        phones.join(", ")
                    );
                }
                t.push_str("+++\n");
                if let Some(d) = &p.description {
                    t.push_str(d);
                }
                write(
                    &format!("content/notices/{}/{}-{}.md", n.slug, l.id, i + 1),
                    &t,
                )?;
            }
        }
    }
    for (name, text) in LAYOUTS {
        write(&format!("layouts/{name}"), text)?;
    }
    Ok(())
}

/// A minimal layout with the same page structure as site-gen's templates.
const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r##"<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="alternate" type="application/rss+xml" href="/index.xml" title="{{ site.Title }}">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><div class="wrap">
<a class="site-title" href="/">{{ site.Title }}</a>
<nav class="site-nav" aria-label="主导航"><ul>
<li><a href="/">通知</a></li>
<li><a href="/organizers/">举办单位</a></li>
<li><a href="/categories/">专业类别</a></li>
</ul></nav>
</div></header>
<main id="main" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap">
<p>{{ site.Params.footer }}</p>
<p><a href="/index.xml">订阅更新</a> · <a href="/sitemap.xml">站点地图</a></p>
</div></footer>
</body>
</html>
"##,
    ),
    (
        "partials/program_table.html",
        r##"<div class="table-wrap" role="region" tabindex="0">
<table>
<caption>{{ .caption }}（共{{ len .pages }}项）</caption>
<thead><tr><th scope="col">高研班名称</th><th scope="col">举办单位</th><th scope="col">项目名单</th><th scope="col">所属通知</th></tr></thead>
<tbody>
{{ range .pages }}<tr><th scope="row"><a href="{{ .RelPermalink }}">{{ .Title }}</a></th><td>{{ range .GetTerms "organizers" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</td><td>{{ .Params.list_title }}</td><td><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Params.doc_number }}</a></td></tr>
{{ end }}</tbody>
</table>
</div>
"##,
    ),
    (
        "_default/single.html",
        r##"{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumb" aria-label="当前位置"><a href="/">通知</a> › <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Params.doc_number }}</a> › <span>第{{ .Params.n }}项</span></nav>
<h1>{{ .Title }}</h1>
<dl class="facts">
{{ range .GetTerms "organizers" }}<dt>举办单位</dt><dd><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></dd>{{ end }}
{{ range .GetTerms "categories" }}<dt>专业类别</dt><dd><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></dd>{{ end }}
{{ with .Params.funding }}<dt>经费形式</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.amount }}<dt>资助金额</dt><dd>{{ . }}</dd>{{ end }}
<dt>项目名单</dt><dd><a href="{{ .Parent.RelPermalink }}#list-{{ .Params.list }}">{{ .Params.list_title }}</a>，第{{ .Params.n }}项</dd>
<dt>所属通知</dt><dd><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a>（{{ .Parent.Params.doc_number }}，{{ .Parent.Params.issuer }}，<time datetime="{{ .Parent.Date.Format "2006-01-02" }}">{{ .Parent.Date.Format "2006年1月2日" }}</time>）</dd>
</dl>
{{ with .Params.contacts }}<section><h2>联系人</h2><ul class="contacts">
{{ range . }}<li>{{ .name }}{{ range .phones }} <a href="tel:{{ . }}">{{ . }}</a>{{ end }}</li>
{{ end }}</ul></section>{{ end }}
{{ .Content }}
{{ end }}
"##,
    ),
    (
        "_default/list.html",
        r##"{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{ if .IsHome }}
<h1>{{ site.Title }}</h1>
<ul class="notices">
{{ range (site.GetPage "/notices").Sections.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.doc_number }} {{ .Params.issuer }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time>（{{ len .Pages }}项）</li>
{{ end }}</ul>
{{ else if eq .Kind "taxonomy" }}
<h1>{{ .Title }}</h1>
<ul class="groups">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>（{{ len .Pages }}项）</li>
{{ end }}</ul>
{{ else if eq .Kind "term" }}
<nav class="breadcrumb" aria-label="当前位置"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a> › <span>{{ .Title }}</span></nav>
<h1>{{ .Title }}</h1>
{{ partial "program_table.html" (dict "pages" .Pages "caption" (printf "%s的项目" .Title)) }}
{{ else if eq .Section "notices" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta">{{ .Params.doc_number }} {{ .Params.issuer }} {{ .Params.region }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></p>
{{ .Content }}
{{ partial "program_table.html" (dict "pages" .Pages.ByWeight "caption" "项目名单") }}
</article>
{{ end }}
{{ end }}
"##,
    ),
    (
        "404.html",
        r##"{{ define "main" }}<h1>页面不存在</h1><p><a href="/">返回首页</a></p>{{ end }}
"##,
    ),
];
