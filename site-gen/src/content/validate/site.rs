//! `site.toml`: the site's title, address, language, footer and readings.

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::Raw;
use crate::content::model::{Reading, Site, SiteConfig};
use crate::content::raw::SiteToml;

use super::syntax::toml_diag;

pub(super) fn site_config(raw: &Raw, d: &mut Diagnostics) -> Option<SiteConfig> {
    let Some(file) = &raw.site else {
        // A site.toml that exists but cannot be read (not UTF-8, a FIFO) has its message.
        let path = raw.dir.join("site.toml");
        if raw.unreadable.iter().any(|u| u.path == path) {
            return None;
        }
        d.push(Diagnostic {
            path,
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
            .unwrap_or_else(|| crate::content::model::DEFAULT_INTRO.into()),
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
