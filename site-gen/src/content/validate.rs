//! Parsing and checking content: from [`Raw`] text to a [`Site`], or every problem.
//!
//! Each file is parsed on its own (one TOML error stops only that file); then the checks
//! that cross files run: unknown forms and lists in attachments, duplicate slugs and
//! program names, missing calendar years and broken internal links. Nothing here panics,
//! whatever the content.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml::Spanned;
use wasm_forms::calendar::{self, Calendar, CalendarYear, Step};
use wasm_forms::date;
use wasm_forms::schema;
use wasm_forms::NoticeRules;

use super::diag::{Diagnostic, Diagnostics};
use super::links;
use super::load::{Raw, SourceFile};
use super::model::*;
use super::raw::*;

/// Where a piece of Markdown came from, for link diagnostics.
struct MdSource<'a> {
    path: &'a Path,
    /// The file's whole text.
    text: &'a str,
    /// For Markdown inside a TOML string: the byte offset of the string token.
    toml_token: Option<usize>,
    md: String,
    /// The pages that show it (folder URLs): relative links must resolve from each.
    pages: Vec<String>,
}

/// The notice files as checked, kept from one validation to the next (`serve`
/// validates after every edit): a file whose text, body file, and the forms and
/// calendars it was checked against have not changed is neither parsed nor checked
/// again, and its [`Notice`] is shared with the site validated before. The checks that
/// span files (duplicate slugs, internal links, output paths) run every time.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// The form and calendar files (path, text) that `files` were checked against.
    context: Mutex<Vec<(PathBuf, String)>>,
    files: Mutex<HashMap<PathBuf, Checked>>,
}

/// One notice file that passed its own checks.
#[derive(Debug)]
struct Checked {
    text: String,
    /// The `body_file` it read (path, text), if any.
    body: Option<(PathBuf, String)>,
    notice: Arc<Notice>,
    /// Its Markdown for the link checks: whether from the body file, the TOML string
    /// token, the Markdown, the pages showing it.
    md: Vec<(bool, Option<usize>, String, Vec<String>)>,
}

impl ParseCache {
    fn lock_files(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Checked>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every file when the forms or calendars differ from those it was
    /// checked against.
    fn set_context(&self, raw: &Raw) {
        let now: Vec<(PathBuf, String)> = raw
            .forms
            .iter()
            .chain(&raw.calendars)
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        let mut context = self.context.lock().unwrap_or_else(|p| p.into_inner());
        if *context != now {
            self.lock_files().clear();
            *context = now;
        }
    }

    /// The notice of `file` and its Markdown, when checked before with the same text
    /// and body file.
    fn get<'a>(
        &self,
        raw: &'a Raw,
        file: &'a SourceFile,
    ) -> Option<(Arc<Notice>, Vec<MdSource<'a>>)> {
        let files = self.lock_files();
        let hit = files.get(&file.path).filter(|c| c.text == file.text)?;
        let body = match &hit.body {
            None => None,
            Some((path, text)) => Some(
                raw.bodies
                    .iter()
                    .find(|b| b.path == *path && b.text == *text)?,
            ),
        };
        let mut md = Vec::with_capacity(hit.md.len());
        for (in_body, toml_token, text, pages) in &hit.md {
            let src = if *in_body { body? } else { file };
            md.push(MdSource {
                path: &src.path,
                text: &src.text,
                toml_token: *toml_token,
                md: text.clone(),
                pages: pages.clone(),
            });
        }
        Some((Arc::clone(&hit.notice), md))
    }

    fn put(&self, file: &SourceFile, notice: &Arc<Notice>, md: &[MdSource<'_>]) {
        let body = md
            .iter()
            .find(|m| m.path != file.path)
            .map(|m| (m.path.to_path_buf(), m.text.to_string()));
        let checked = Checked {
            text: file.text.clone(),
            body,
            notice: Arc::clone(notice),
            md: md
                .iter()
                .map(|m| {
                    (
                        m.path != file.path,
                        m.toml_token,
                        m.md.clone(),
                        m.pages.clone(),
                    )
                })
                .collect(),
        };
        self.lock_files().insert(file.path.clone(), checked);
    }

    /// Forgets the files that are gone.
    fn retain(&self, files: &[SourceFile]) {
        let keep: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
        self.lock_files()
            .retain(|path, _| keep.contains(path.as_path()));
    }
}

/// Parses and checks everything; all problems together.
pub fn validate(raw: &Raw) -> Result<Site, Diagnostics> {
    validate_with(raw, None)
}

/// [`validate`], taking the notice files that are unchanged from `cache` as they were
/// checked (and keeping the others there for the next time).
pub fn validate_with(raw: &Raw, cache: Option<&ParseCache>) -> Result<Site, Diagnostics> {
    if let Some(cache) = cache {
        cache.set_context(raw);
    }
    let mut d = Diagnostics::default();
    for u in &raw.unreadable {
        d.push(u.clone());
    }
    let config = site_config(raw, &mut d);

    // Forms: the ids are the file stems, known even when a schema has errors.
    let form_ids: BTreeSet<String> = raw.forms.iter().map(SourceFile::stem).collect();
    let mut forms = Vec::new();
    for f in &raw.forms {
        match schema::parse_toml(&f.text) {
            Ok(schema) => {
                if schema.id != f.stem() {
                    let id = schema::Path::root().key("id");
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        schema::span_of(&f.text, &id).unwrap_or(0..0),
                        format!(
                            "form id `{}` does not match the file name `{}` (expected id = \"{}\")",
                            schema.id,
                            f.file_name(),
                            f.stem()
                        ),
                    ));
                }
                if wasm_forms::page::needs_scoring(&schema) && schema.tables().next().is_some() {
                    // Each form page loads one engine bundle (forms_page::engine_bundle):
                    // the scored forms' has no table import or export.
                    let at = schema::Path::root().key("scoring");
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        schema::span_of(&f.text, &at).unwrap_or(0..0),
                        "a form with scoring or survey counts cannot have a table (the \
                         browser engine of scored forms has no table import or export): \
                         put the table in a form of its own"
                            .to_string(),
                    ));
                }
                for (si, sec) in schema.sections.iter().enumerate() {
                    for (fi, field) in sec.fields.iter().enumerate() {
                        let at = schema::Path::root().item("sections", si).item("fields", fi);
                        let columns = field.columns.iter().enumerate();
                        let cells = columns.map(|(ci, c)| (c, at.item("columns", ci)));
                        for (field, at) in std::iter::once((field, at.clone())).chain(cells) {
                            if let Some(why) = super::autofill::problem(field) {
                                let span = schema::span_of(&f.text, &at.key("autocomplete"));
                                d.push(Diagnostic::at(&f.path, &f.text, span.unwrap_or(0..0), why));
                            }
                        }
                    }
                }
                forms.push(Form {
                    id: f.stem(),
                    schema,
                });
            }
            Err(errors) => {
                for e in errors {
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        e.span.clone(),
                        e.message(),
                    ));
                }
            }
        }
    }
    forms.sort_by(|a, b| a.id.cmp(&b.id));
    let form_titles: HashMap<&str, &str> = forms
        .iter()
        .map(|f| (f.id.as_str(), f.schema.title.as_str()))
        .collect();

    let calendar = calendars(raw, &mut d);

    // Duplicate slugs need every file name; the files themselves are then parsed and
    // checked on all cores, each into its own diagnostics, merged in file order.
    let mut slugs: HashMap<String, PathBuf> = HashMap::new();
    let duplicate_of: Vec<Option<PathBuf>> = raw
        .notices
        .iter()
        .map(|file| slugs.insert(file.stem().to_lowercase(), file.path.clone()))
        .collect();
    let files: Vec<(&SourceFile, Option<PathBuf>)> = raw.notices.iter().zip(duplicate_of).collect();
    let checked = crate::par::map(&files, 8, |(file, first)| {
        let mut d = Diagnostics::default();
        let mut md_sources = Vec::new();
        let n = notice_file(
            raw,
            file,
            first.as_deref(),
            cache,
            &form_ids,
            &form_titles,
            calendar.as_ref(),
            &mut d,
            &mut md_sources,
        );
        (n, d, md_sources)
    });
    if let Some(cache) = cache {
        cache.retain(&raw.notices);
    }
    let mut notices = Vec::new();
    let mut md_sources = Vec::new();
    for (n, nd, md) in checked {
        notices.extend(n);
        for x in nd.0 {
            d.push(x);
        }
        md_sources.extend(md);
    }
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));

    // The characters and lengths of every text (see `limits`).
    let tomls: Vec<&SourceFile> = raw
        .site
        .iter()
        .chain(&raw.notices)
        .chain(&raw.forms)
        .chain(&raw.calendars)
        .collect();
    for found in crate::par::map(&tomls, 8, |f| super::limits::check_toml(f)) {
        for x in found {
            d.push(x);
        }
    }
    for f in &raw.bodies {
        for x in super::limits::check_markdown(f) {
            d.push(x);
        }
    }
    for f in &raw.notices {
        d.0.extend(super::limits::check_slug(f));
    }
    d.0.extend(super::redirects::check(&raw.notices));

    let mut warnings = Vec::new();
    for src in &md_sources {
        for (target, image, range) in links::unsafe_urls(&src.md) {
            let msg = format!(
                "warning: {} `{}` is not a safe address (only http, https, mailto, tel and paths of the site are): it is shown as {}",
                if image { "image" } else { "link to" },
                super::diag::cut(&target, 80),
                if image { "its text, without the image" } else { "text that links nowhere" }
            );
            warnings.push(md_diag(src, range, msg));
        }
    }
    let site = Site {
        dir: raw.dir.clone(),
        config: config.unwrap_or_else(SiteConfig::default_for_test),
        notices,
        forms,
        calendar,
        warnings,
    };

    // Broken internal links.
    let known = links::known_paths(&site);
    for src in &md_sources {
        for (target, range) in links::internal_links(&src.md) {
            if target.starts_with('/') {
                if !links::resolves(&target, &known) {
                    let msg = format!(
                        "broken internal link `{target}`: no page of the site has this path"
                    );
                    d.push(md_diag(src, range, msg));
                }
                continue;
            }
            // A relative link: from every page that shows this text.
            if let Some(page) = src
                .pages
                .iter()
                .find(|page| !links::resolves(&crate::urls::join(page, &target), &known))
            {
                let msg = format!(
                    "broken relative link `{target}`: from {page} it leads to {}, which no page of the site has",
                    crate::urls::join(page, &target)
                );
                d.push(md_diag(src, range, msg));
            }
        }
    }

    if d.is_empty() {
        Ok(site)
    } else {
        Err(d)
    }
}

fn md_diag(src: &MdSource<'_>, range: Range<usize>, msg: String) -> Diagnostic {
    match src.toml_token {
        None => Diagnostic::at(src.path, src.text, range, msg),
        Some(token) => {
            let (tline, tcol, _) = super::diag::position(src.text, token);
            let (mline, mcol, _) = super::diag::position(&src.md, range.start);
            let rest = src.text.get(token..).unwrap_or("");
            // A multi-line string's first newline is not part of the value.
            let skip = if rest.starts_with("\"\"\"\n") || rest.starts_with("'''\n") {
                1
            } else {
                0
            };
            let (line, col) = if mline == 1 && skip == 0 {
                let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                    3
                } else {
                    1
                };
                (tline, tcol + quote + mcol - 1)
            } else {
                (tline + mline - 1 + skip, mcol)
            };
            Diagnostic::at_line(src.path, src.text, line, col, msg)
        }
    }
}

/// Diagnostic for a TOML syntax or shape error.
pub fn toml_diag(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    // A value typed as in Word (a date with slashes, a phone with dashes, 3万, text
    // without quotes) stops the parser on its line: say how to write it instead.
    let start = span.start.min(text.len());
    let start = (0..=start)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    match crate::messages::unquoted_value(line, start - line_start, crate::messages::lang()) {
        Some(hint) => {
            // Point at the value as typed, not at the character the parser stopped on.
            let eq = line[..start - line_start].rfind('=').map_or(0, |i| i + 1);
            let value = line[eq..].len() - line[eq..].trim_start().len();
            let at = line_start + eq + value;
            Diagnostic::at(path, text, at..at, hint)
        }
        None => Diagnostic::at(path, text, span, wasm_forms::schema::toml_error_message(e)),
    }
}

fn site_config(raw: &Raw, d: &mut Diagnostics) -> Option<SiteConfig> {
    let Some(file) = &raw.site else {
        d.push(Diagnostic {
            path: raw.dir.join("site.toml"),
            line: 1,
            column: 1,
            message: "missing site.toml (title, base_url, language, footer, intro)".into(),
            source_line: None,
        });
        return None;
    };
    let parsed: SiteToml = match toml::from_str(&file.text) {
        Ok(s) => s,
        Err(e) => {
            d.push(toml_diag(&file.path, &file.text, &e));
            return None;
        }
    };
    let mut base = parsed.base_url.get_ref().trim().to_string();
    if let Err(why) = check_base_url(&base) {
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            parsed.base_url.span(),
            format!(
                "base_url {why}; expected the address the site is published at, such as \"https://training.example.gov.cn/\" or \"https://www.example.gov.cn/zjgyb/\" (http or https, a host, a path of letters, digits and - . _ ~ /)"
            ),
        ));
    }
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut readings = Vec::new();
    for (word, reading) in &parsed.readings {
        match Reading::parse(word, reading.get_ref()) {
            Ok(r) => readings.push(r),
            Err(message) => d.push(Diagnostic::at(
                &file.path,
                &file.text,
                reading.span(),
                format!("[readings] {word}: {message}"),
            )),
        }
    }
    Some(SiteConfig {
        title: parsed.title,
        base_url: base,
        language: parsed.language.unwrap_or_else(|| "zh-CN".into()),
        footer: parsed.footer,
        intro: parsed
            .intro
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| super::model::DEFAULT_INTRO.into()),
        readings,
    })
}

/// Why `url` cannot be the site's address: it must be `http` or `https`, name a host
/// (letters, digits, `-` and `.`, or an IP address; a port may follow), and its path may
/// hold only letters, digits, `- . _ ~ /` and `%XX` escapes, without `.` or `..`
/// segments or `//`; no user name, query or fragment. Such an address needs no escaping
/// in HTML, XML or a QR code.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let shown = crate::content::diag::cut(url, 80);
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(format!(
            "\"{shown}\" is not an absolute http(s) address (it must start with https:// or http://)"
        ));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if let Some(c) = url.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "\"{shown}\" has a {} (`{c}`), which a site's address cannot have",
            if c == '?' { "query" } else { "fragment" }
        ));
    }
    if authority.contains('@') {
        return Err(format!(
            "\"{shown}\" holds a user name (`@`), which a published address cannot have"
        ));
    }
    let (host, port) = match authority.find(']') {
        Some(i) if authority.starts_with('[') => (
            &authority[..=i],
            authority[i + 1..]
                .strip_prefix(':')
                .or_else(|| (i + 1 < authority.len()).then_some(&authority[i + 1..])),
        ),
        _ => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && (host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !host.starts_with(['.', '-'])
            && !host.contains(".."))
        || (host.starts_with('[')
            && host.ends_with(']')
            && host.len() > 2
            && host[1..host.len() - 1]
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.'));
    if !host_ok {
        let hint = if host.is_ascii() {
            ""
        } else {
            " (write a name in other scripts in its xn-- form)"
        };
        return Err(format!(
            "\"{shown}\" has no valid host name: `{}`{hint}",
            crate::content::diag::cut(host, 60)
        ));
    }
    if let Some(p) = port {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.parse::<u16>().is_err() {
            return Err(format!(
                "\"{shown}\" has a port `{}` that is not a number from 0 to 65535",
                crate::content::diag::cut(p, 20)
            ));
        }
    }
    let bytes = path.as_bytes();
    for (i, c) in path.char_indices() {
        let ok = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~' | '/')
            || (c == '%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if !ok {
            let what = if c.is_control() || c.is_whitespace() {
                format!("U+{:04X}", c as u32)
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "\"{shown}\" has {what} in its path, which would need escaping (write other characters as %XX)"
            ));
        }
    }
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let inner = &segments[..segments.len().saturating_sub(1)];
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(format!("\"{shown}\" has a `.` or `..` segment in its path"));
    }
    if inner.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "\"{shown}\" has an empty segment (`//`) in its path"
        ));
    }
    Ok(())
}

/// The warnings of a valid site: today, a `base_url` whose host is a placeholder (see
/// [`SiteConfig::placeholder_host`]), at its line in `site.toml`.
pub fn warnings(raw: &Raw, site: &Site) -> Vec<Diagnostic> {
    let mut out = site.warnings.clone();
    let Some(host) = site.config.placeholder_host() else {
        return out;
    };
    let Some(file) = &raw.site else {
        return out;
    };
    let span = toml::from_str::<SiteToml>(&file.text)
        .map(|t| t.base_url.span())
        .unwrap_or(0..0);
    out.insert(0, Diagnostic::at(
        &file.path,
        &file.text,
        span,
        format!(
            "warning: base_url \"{}\" is a placeholder address ({host}), not the site's: every QR code and printed poster would send people there, and the program pages and posters say the address is not set yet; set base_url in content/site.toml to the address the site is published at",
            site.config.base_url
        ),
    ));
    out
}

fn calendars(raw: &Raw, d: &mut Diagnostics) -> Option<Calendar> {
    let mut years: Vec<CalendarYear> = Vec::new();
    // The file of each year read, in the same order.
    let mut files = Vec::new();
    let mut ok = true;
    for f in &raw.calendars {
        match calendar::parse_year(&f.text) {
            Ok(y) => {
                if y.year.to_string() != f.stem() {
                    let year = super::toml_errors::span_at(&f.text, &[Step::Key("year")]);
                    d.push(Diagnostic::at(
                        &f.path,
                        &f.text,
                        year.unwrap_or(0..0),
                        format!(
                            "year = {} does not match the file name `{}`",
                            y.year,
                            f.file_name()
                        ),
                    ));
                    ok = false;
                }
                years.push(y);
                files.push(f);
            }
            Err(e) => {
                d.push(toml_diag(&f.path, &f.text, &e));
                ok = false;
            }
        }
    }
    if years.is_empty() {
        return None;
    }
    match Calendar::from_years(years) {
        Ok(c) if ok => Some(c),
        Ok(_) => None,
        Err(errors) => {
            // Each problem at its own file, on the line of the value it is about.
            for e in errors {
                let Some(f) = files.get(e.file) else { continue };
                let span = super::toml_errors::span_at(&f.text, &e.at).unwrap_or(0..0);
                d.push(Diagnostic::at(&f.path, &f.text, span, e.message));
            }
            None
        }
    }
}

/// A `date` written as a TOML date or a "YYYY-MM-DD" string.
fn date_value(
    v: &Spanned<toml::Value>,
    what: &str,
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<NaiveDate> {
    let mut fix = None;
    let parsed = match v.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            dt.date.and_then(|x| {
                NaiveDate::from_ymd_opt(i32::from(x.year), u32::from(x.month), u32::from(x.day))
            })
        }
        toml::Value::String(s) => date::read(s.trim(), date::Mode::Iso)
            .map_err(|e| fix = e.fix())
            .ok()
            .map(|(day, _)| day),
        _ => None,
    };
    if parsed.is_none() {
        let fix = fix.map(|f| format!(": {f}")).unwrap_or_default();
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            v.span(),
            format!(
                "{what} must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string){fix}"
            ),
        ));
    }
    parsed
}

/// `amount_wan` as a number or a decimal string.
fn amount_value(
    v: &Spanned<toml::Value>,
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<Decimal> {
    let parsed = match v.get_ref() {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) => Decimal::try_from(*f).ok().map(|x| x.normalize()),
        toml::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    };
    match parsed {
        Some(a) if a >= Decimal::ZERO => Some(a),
        _ => {
            d.push(Diagnostic::at(
                &file.path,
                &file.text,
                v.span(),
                "amount_wan must be a non-negative amount in 万元: a number (3, 2.5) or a decimal string (\"2.5\")",
            ));
            None
        }
    }
}

/// One notice file: its name as a slug, its TOML, then [`notice`]'s checks.
#[allow(clippy::too_many_arguments)]
fn notice_file<'a>(
    raw: &'a Raw,
    file: &'a SourceFile,
    duplicate_of: Option<&Path>,
    cache: Option<&ParseCache>,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    calendar: Option<&Calendar>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> Option<Arc<Notice>> {
    let slug = file.stem();
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || slug.is_empty()
    {
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            0..0,
            format!("notice file name `{}` is not a valid slug: use lowercase letters, digits and `-` (e.g. wenzhou-2020.toml)", file.file_name()),
        ));
    }
    if let Some(first) = duplicate_of {
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            0..0,
            format!(
                "duplicate notice slug `{slug}`: {} has the same slug",
                first.display()
            ),
        ));
    }
    if let Some((notice, md)) = cache.and_then(|c| c.get(raw, file)) {
        md_sources.extend(md);
        return Some(notice);
    }
    let parsed = match toml::from_str::<NoticeToml>(&file.text) {
        Ok(n) => n,
        Err(e) => {
            // The first error, then those of the file's other tables.
            let first = e.span().map(|s| s.start);
            let mut all = vec![toml_diag(&file.path, &file.text, &e)];
            for (span, message) in super::toml_errors::notice(&file.text) {
                if Some(span.start) != first {
                    all.push(Diagnostic::at(&file.path, &file.text, span, message));
                }
            }
            all.sort_by_key(|x| (x.line, x.column));
            for x in all {
                d.push(x);
            }
            return None;
        }
    };
    let first_md = md_sources.len();
    let n = Arc::new(notice(
        raw,
        file,
        slug,
        parsed,
        form_ids,
        form_titles,
        calendar,
        d,
        md_sources,
    )?);
    if let Some(c) = cache {
        c.put(file, &n, &md_sources[first_md..]);
    }
    Some(n)
}

#[allow(clippy::too_many_arguments)]
fn notice<'a>(
    raw: &'a Raw,
    file: &'a SourceFile,
    slug: String,
    n: NoticeToml,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    calendar: Option<&Calendar>,
    d: &mut Diagnostics,
    md_sources: &mut Vec<MdSource<'a>>,
) -> Option<Notice> {
    let before = d.len();
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);

    let date = date_value(&n.date, "date", file, d);

    // Body: exactly one of `body` and `body_file`.
    let body = match (&n.body, &n.body_file) {
        (Some(b), None) => {
            md_sources.push(MdSource {
                path: &file.path,
                text: &file.text,
                toml_token: Some(b.span().start),
                md: b.get_ref().clone(),
                pages: vec![crate::urls::notice(&slug)],
            });
            b.get_ref().clone()
        }
        (None, Some(bf)) => {
            let name = bf.get_ref();
            let want = file.path.parent().map(|p| p.join(name));
            match raw.bodies.iter().find(|s| Some(&s.path) == want.as_ref()) {
                Some(src) => {
                    md_sources.push(MdSource {
                        path: &src.path,
                        text: &src.text,
                        toml_token: None,
                        md: src.text.clone(),
                        pages: vec![crate::urls::notice(&slug)],
                    });
                    src.text.clone()
                }
                None => {
                    d.push(at(
                        bf.span(),
                        format!("body_file `{name}` not found: expected a Markdown file beside this notice (notices/{name})"),
                    ));
                    String::new()
                }
            }
        }
        (Some(b), Some(_)) => {
            d.push(at(
                b.span(),
                "give either `body` or `body_file`, not both".into(),
            ));
            String::new()
        }
        (None, None) => {
            d.push(at(
                0..0,
                "missing field `body` (or `body_file`): the notice's text in Markdown".into(),
            ));
            String::new()
        }
    };

    // Rules: the notice's, then each list's own.
    let rules = n
        .rules
        .as_ref()
        .map(|r| {
            let cal = calendar_of(raw, calendar);
            rules_value(r, &[Step::Key("rules")], date, n.date.span(), file, cal, d)
        })
        .unwrap_or_default();

    // Lists and programs.
    let mut lists = Vec::new();
    let mut list_ids: HashMap<String, usize> = HashMap::new();
    let mut program_names: HashMap<String, usize> = HashMap::new();
    // (list id, attachment as written) of the lists' own forms.
    let mut list_forms: Vec<(String, Spanned<toml::Value>)> = Vec::new();
    for (li, l) in n.lists.into_iter().enumerate() {
        let id = l.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            d.push(at(
                l.id.span(),
                format!(
                    "list id `{id}` must be letters, digits, `-` or `_` (it becomes a file name)"
                ),
            ));
        }
        if let Some(first) = list_ids.insert(id.clone(), l.id.span().start) {
            let (first, ..) = super::diag::position(&file.text, first);
            d.push(at(
                l.id.span(),
                format!("duplicate list id `{id}` (first at line {first})"),
            ));
        }
        if let Some(note) = &l.note {
            md_sources.push(MdSource {
                path: &file.path,
                text: &file.text,
                toml_token: Some(note.span().start),
                md: note.get_ref().clone(),
                pages: vec![crate::urls::notice(&slug)],
            });
        }
        let own_rules = l.rules.as_ref().map(|r| {
            let place = [Step::Key("lists"), Step::Index(li), Step::Key("rules")];
            let cal = calendar_of(raw, calendar);
            rules_value(r, &place, date, n.date.span(), file, cal, d)
        });
        for a in &l.attachments {
            list_forms.push((id.clone(), a.clone()));
        }
        let mut programs = Vec::new();
        for p in l.programs.unwrap_or_default() {
            let name = p.name.get_ref().trim().to_string();
            if name.is_empty() {
                d.push(at(p.name.span(), "program name is empty".into()));
            }
            if let Some(first) = program_names.insert(name.clone(), p.name.span().start) {
                let (first, ..) = super::diag::position(&file.text, first);
                d.push(at(
                    p.name.span(),
                    format!(
                        "duplicate program name `{name}` in this notice (first at line {first})"
                    ),
                ));
            }
            if p.organizer.trim().is_empty() {
                d.push(at(
                    p.name.span(),
                    format!("program `{name}` has an empty organizer"),
                ));
            }
            let amount_wan = p.amount_wan.as_ref().and_then(|a| amount_value(a, file, d));
            if let Some(desc) = &p.description {
                md_sources.push(MdSource {
                    path: &file.path,
                    text: &file.text,
                    toml_token: Some(desc.span().start),
                    md: desc.get_ref().clone(),
                    pages: vec![crate::urls::program(&slug, &id, programs.len() + 1)],
                });
            }
            programs.push(Program {
                name,
                organizer: p.organizer.trim().to_string(),
                category: p
                    .category
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
                funding: p
                    .funding
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
                amount_wan,
                contacts: p
                    .contacts
                    .into_iter()
                    .map(|c| Contact {
                        name: c.name.trim().to_string(),
                        phones: c.phones.into_iter().map(|p| p.trim().to_string()).collect(),
                    })
                    .collect(),
                description: p.description.map(Spanned::into_inner),
            });
        }
        // The rules note shows on the notice page and on each program page of the list.
        if let Some(note) = &l.rules_note {
            let mut pages = vec![crate::urls::notice(&slug)];
            pages.extend((1..=programs.len()).map(|i| crate::urls::program(&slug, &id, i)));
            md_sources.push(MdSource {
                path: &file.path,
                text: &file.text,
                toml_token: Some(note.span().start),
                md: note.get_ref().clone(),
                pages,
            });
        }
        lists.push(PlanList {
            id,
            title: l.title,
            note: l.note.map(Spanned::into_inner),
            own_rules: own_rules.is_some(),
            rules: own_rules.unwrap_or_else(|| rules.clone()),
            rules_note: l.rules_note.map(Spanned::into_inner),
            programs,
        });
    }

    // Attachments: the notice's, in its order; then the forms of each list, which are
    // the notice's attachment of the same form when it has one, else follow it.
    let mut attachments = Vec::new();
    for a in &n.attachments {
        if let Some(a) = attachment(a, true, form_ids, form_titles, &lists, file, d) {
            attachments.push(a);
        }
    }
    for (list_id, raw_a) in &list_forms {
        let Some(a) = attachment(raw_a, false, form_ids, form_titles, &lists, file, d) else {
            continue;
        };
        let same = attachments.iter_mut().find(|b| b.target == a.target);
        match same {
            Some(b) if b.lists.contains(list_id) => d.push(at(
                raw_a.span(),
                format!("list `{list_id}` names this form twice"),
            )),
            Some(b) => b.lists.push(list_id.clone()),
            None => attachments.push(Attachment {
                lists: vec![list_id.clone()],
                ..a
            }),
        }
    }

    if d.len() > before {
        return None;
    }
    Some(Notice {
        slug,
        title: n.title,
        doc_number: n.doc_number,
        issuer: n.issuer,
        date: date?,
        region: n.region,
        body,
        publication: n.publication,
        former_slugs: n
            .former_slugs
            .into_iter()
            .map(|s| s.into_inner().trim().to_string())
            .collect(),
        attachments,
        rules,
        lists,
    })
}

/// A `[rules]` table (of a notice or a list), with the calendar years its working-day
/// rules need checked against `date` and `complete_by`.
/// The calendar the rules are checked against: read, absent (no calendar files), or
/// unreadable — its files have errors of their own, already reported, so that a year
/// is not reported missing as well.
#[derive(Clone, Copy)]
enum CalendarRead<'a> {
    Read(&'a Calendar),
    Absent,
    Broken,
}

fn calendar_of<'a>(raw: &Raw, calendar: Option<&'a Calendar>) -> CalendarRead<'a> {
    match calendar {
        Some(c) => CalendarRead::Read(c),
        None if raw.calendars.is_empty() => CalendarRead::Absent,
        None => CalendarRead::Broken,
    }
}

/// The rules `r` read from the table at `place` in `file` (`[rules]`, a list's rules).
fn rules_value(
    r: &RulesToml,
    place: &[Step],
    date: Option<NaiveDate>,
    date_span: Range<usize>,
    file: &SourceFile,
    calendar: CalendarRead,
    d: &mut Diagnostics,
) -> NoticeRules {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let mut rules = NoticeRules {
        min_trainees: r.min_trainees,
        min_hours: r.min_hours,
        plan_due_working_days: r.plan_due_working_days,
        report_due_working_days: r.report_due_working_days,
        ..NoticeRules::default()
    };
    if let Some(h) = r.min_hours.filter(|h| !(h.is_finite() && *h >= 0.0)) {
        let at_value = [place, &[Step::Key("min_hours")]].concat();
        let span = super::toml_errors::span_at(&file.text, &at_value).unwrap_or(0..0);
        d.push(at(
            span,
            format!("min_hours = {h} must be a finite number of hours, 0 or more"),
        ));
    }
    if let Some(days) = &r.days {
        match days.get_ref()[..] {
            [a, b] => {
                if !(a > 0.0 && a <= b && b.is_finite()) {
                    d.push(at(
                        days.span(),
                        format!("days = [{a}, {b}] must be [min, max] with 0 < min ≤ max"),
                    ));
                }
                rules.days = Some([a, b]);
            }
            ref other => d.push(at(
                days.span(),
                format!(
                    "days must be exactly [min, max] (two numbers of days, like [2, 3]), not {} number{}",
                    other.len(),
                    if other.len() == 1 { "" } else { "s" }
                ),
            )),
        }
    }
    let mut complete_by_span = None;
    if let Some(cb) = &r.complete_by {
        rules.complete_by = date_value(cb, "complete_by", file, d);
        complete_by_span = Some(cb.span());
    }

    // Calendar years needed by the working-day rules.
    let needs_calendar =
        rules.plan_due_working_days.is_some() || rules.report_due_working_days.is_some();
    if needs_calendar {
        let mut check = |day: Option<NaiveDate>, span: Range<usize>, what: &str| {
            let Some(day) = day else { return };
            let missing = match calendar {
                CalendarRead::Absent => true,
                CalendarRead::Broken => false,
                CalendarRead::Read(c) => c.is_working_day(day).is_err(),
            };
            if missing {
                let y = day.year();
                d.push(at(
                    span,
                    format!("no holiday calendar for {y} (needed by this notice's working-day rules, {what} {day}): add calendar/{y}.toml"),
                ));
            }
        };
        check(date, date_span, "date");
        if let Some(span) = complete_by_span {
            check(rules.complete_by, span, "complete_by");
        }
    }
    rules
}

/// One attachment as written: a form id, or `{ title, form | list }` (`list` only in
/// the notice's own `attachments`).
fn attachment(
    a: &Spanned<toml::Value>,
    in_notice: bool,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    lists: &[PlanList],
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<Attachment> {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let span = a.span();
    let form_title = |id: &str| {
        form_titles
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.to_string())
    };
    match a.get_ref() {
        toml::Value::String(id) => {
            if form_ids.contains(id) {
                return Some(Attachment {
                    title: form_title(id),
                    target: AttachmentTarget::Form(id.clone()),
                    lists: Vec::new(),
                    filled_by: None,
                    due: None,
                    when: None,
                });
            }
            d.push(at(span, unknown_form(id, form_ids)));
            None
        }
        toml::Value::Table(t) => {
            let mut title = None;
            let mut target = None;
            let (mut filled_by, mut due, mut when) = (None, None, None);
            let expected = if in_notice {
                "`title`, `form`, `list`, `filled_by`, `due` or `when`"
            } else {
                "`title` or `form`"
            };
            for (k, v) in t {
                match (k.as_str(), v) {
                    ("title", toml::Value::String(s)) => title = Some(s.clone()),
                    ("filled_by", toml::Value::String(s)) if in_notice => {
                        filled_by = Some(s.trim().to_string())
                    }
                    ("when", toml::Value::String(s)) if in_notice => {
                        when = Some(s.trim().to_string())
                    }
                    ("due", toml::Value::String(s)) if in_notice => match s.as_str() {
                        "plan" => due = Some(Due::Plan),
                        "report" => due = Some(Due::Report),
                        other => d.push(at(
                            span.clone(),
                            format!("due = \"{other}\" is not a deadline: expected \"plan\" (plan_due_working_days before the start) or \"report\" (report_due_working_days after the end)"),
                        )),
                    },
                    ("filled_by" | "when" | "due", other) if in_notice => d.push(at(
                        span.clone(),
                        format!("invalid type: attachment `{k}` must be a string, found {}", other.type_str()),
                    )),
                    ("list", _) if !in_notice => d.push(at(
                        span.clone(),
                        "a list's attachments name forms (`form = \"<form id>\"`), not lists"
                            .into(),
                    )),
                    ("form", toml::Value::String(s)) | ("list", toml::Value::String(s)) => {
                        if target.is_some() {
                            d.push(at(
                                span.clone(),
                                "an attachment names either a `form` or a `list`, not both".into(),
                            ));
                        }
                        target = Some(if k == "form" {
                            AttachmentTarget::Form(s.clone())
                        } else {
                            AttachmentTarget::List(s.clone())
                        });
                    }
                    ("title" | "form" | "list", other) => d.push(at(
                        span.clone(),
                        format!(
                            "invalid type: attachment `{k}` must be a string, found {}",
                            other.type_str()
                        ),
                    )),
                    (other, _) => d.push(at(
                        span.clone(),
                        format!("unknown field `{other}` in attachment, expected {expected}"),
                    )),
                }
            }
            match target {
                Some(AttachmentTarget::Form(id)) if !form_ids.contains(&id) => {
                    d.push(at(span.clone(), unknown_form(&id, form_ids)));
                    None
                }
                Some(AttachmentTarget::List(id)) if !lists.iter().any(|l| l.id == id) => {
                    let known: Vec<&str> = lists.iter().map(|l| l.id.as_str()).collect();
                    d.push(at(
                        span.clone(),
                        format!("attachment names list `{id}`, which this notice does not define (its lists: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
                    ));
                    None
                }
                Some(target) => {
                    let title = match (title, &target) {
                        (Some(t), _) => t,
                        (None, AttachmentTarget::Form(id)) if !in_notice => form_title(id),
                        (None, _) => {
                            d.push(at(
                                span.clone(),
                                "missing field `title` in attachment".into(),
                            ));
                            return None;
                        }
                    };
                    if (filled_by.is_some() || due.is_some() || when.is_some())
                        && matches!(target, AttachmentTarget::List(_))
                    {
                        d.push(at(
                            span.clone(),
                            "`filled_by`, `due` and `when` describe a form, not a list".into(),
                        ));
                    }
                    Some(Attachment {
                        title,
                        target,
                        lists: Vec::new(),
                        filled_by,
                        due,
                        when,
                    })
                }
                None => {
                    d.push(at(
                        span.clone(),
                        "attachment needs `form = \"<form id>\"`".to_string()
                            + if in_notice {
                                " or `list = \"<list id>\"`"
                            } else {
                                ""
                            },
                    ));
                    None
                }
            }
        }
        other => {
            d.push(at(
                span,
                format!("invalid type: an attachment is a form id string or a table {{ title, form{} }}, found {}", if in_notice { " | list" } else { "" }, other.type_str()),
            ));
            None
        }
    }
}

fn unknown_form(id: &str, form_ids: &BTreeSet<String>) -> String {
    let known: Vec<&str> = form_ids.iter().map(String::as_str).collect();
    format!(
        "attachment names unknown form `{id}`: no forms/{id}.toml (known forms: {})",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    )
}
