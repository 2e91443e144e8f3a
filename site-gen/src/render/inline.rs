//! What a page needs before it can be drawn, in the page itself: a template marks a
//! stylesheet or a small script of the site's assets with `data-inline`, and the page as
//! written carries it inside, so that a phone on a slow network draws the page and keeps
//! answers without waiting for one more round trip per file.
//!
//! - A marked stylesheet is inlined trimmed to the rules the page's own HTML can match
//!   (a rule naming an element, class or id the page does not have is left out, and the
//!   rules for printing), in one `<style>` where the first marked stylesheet was; the
//!   whole stylesheet is still linked, by a script at the end of `<body>` once the page
//!   has loaded and its preloaded files (the engine) have arrived (a plain link in
//!   `<noscript>`), so it delays neither the first paint nor
//!   the engine on a slow network: it brings the rules of states that scripts add later
//!   (`.is-ready`, a row's error) and those for printing.
//! - A marked script (`<script src=… data-inline>`) is written inline with its other
//!   attributes (`type="module" async` stays a module run at once).
//! - The page's Content-Security-Policy `<meta>` gets the SHA-256 of each inlined text
//!   (`'sha256-…'` in `style-src` and `script-src`), so nothing else inline is allowed.
//!
//! A marked link to anything that is not one of the site's assets is left as it is.

use std::collections::HashSet;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// `html` with its `data-inline` stylesheets and scripts inlined, or `None` when the
/// page marks none. `root` is the path the site lives under (`/` or `/zjgyb/`); links in
/// `html` are already under it.
pub fn page(html: &str, root: &str) -> Option<String> {
    if !html.contains(" data-inline") {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 24 * 1024);
    let mut links = Vec::new();
    let mut sheets = Vec::new();
    let mut style_at = None;
    let mut script_hashes = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..=end];
        let marked = tag.contains(" data-inline");
        if marked && tag.starts_with("<link ") && attr(tag, "rel") == Some("stylesheet") {
            if let Some((href, css)) =
                attr(tag, "href").and_then(|h| asset_text(h, root).map(|t| (h, t)))
            {
                style_at.get_or_insert(out.len());
                let dir = &href[..href.rfind('/').map_or(0, |k| k + 1)];
                sheets.push(absolute_urls(css, dir));
                links.push(href.to_string());
                rest = rest[end + 1..].trim_start_matches('\n');
                continue;
            }
        }
        if marked && tag.starts_with("<script ") && rest[end + 1..].starts_with("</script>") {
            let text = attr(tag, "src").and_then(|h| asset_text(h, root));
            if let Some(text) = text.filter(|t| !t.to_ascii_lowercase().contains("</script")) {
                let text = text.trim_end();
                out.push_str(&without_attrs(tag, &["src", "data-inline"]));
                out.push_str(text);
                out.push_str("</script>");
                script_hashes.push(sha256(text));
                rest = &rest[end + 1 + "</script>".len()..];
                continue;
            }
        }
        out.push_str(tag);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    let mut style_hashes = Vec::new();
    if let Some(at) = style_at {
        let used = Used::of(html);
        let mut css = String::new();
        for s in &sheets {
            trim_rules(&strip_comments(s), &used, &mut css);
        }
        style_hashes.push(sha256(&css));
        out.insert_str(at, &format!("<style>{css}</style>\n"));
        // The whole stylesheets, for the states scripts add later and for printing:
        // linked once the page has loaded and the files it preloads (its engine) have
        // arrived, so that they share the network with neither the page nor its engine
        // (a preload does not hold the `load` event; at most 10 s after it, or when
        // printing starts); without JavaScript, plain links.
        if let Some(b) = out.rfind("</body>") {
            let list = links
                .iter()
                .map(|h| format!("\"{h}\""))
                .collect::<Vec<_>>()
                .join(",");
            let apply = format!(
                "(function(){{var d=0;function a(){{if(d)return;d=1;[{list}].forEach(function(h){{var l=document.createElement(\"link\");l.rel=\"stylesheet\";l.href=h;document.head.appendChild(l)}})}}function w(){{var p=[].map.call(document.querySelectorAll(\"link[rel=preload],link[rel=modulepreload]\"),function(l){{return l.href}});function n(){{return p.filter(function(h){{return!performance.getEntriesByName(h).length}}).length}}if(!n()||!window.PerformanceObserver)return a();var o=new PerformanceObserver(function(){{if(!n()){{o.disconnect();a()}}}});o.observe({{type:\"resource\"}});setTimeout(a,1e4)}}addEventListener(\"beforeprint\",a);if(document.readyState===\"complete\")w();else addEventListener(\"load\",w)}})();"
            );
            let mut tail = format!("<script>{apply}</script>\n<noscript>");
            for href in &links {
                tail.push_str(&format!("<link rel=\"stylesheet\" href=\"{href}\">"));
            }
            tail.push_str("</noscript>\n");
            script_hashes.push(sha256(&apply));
            out.insert_str(b, &tail);
        }
    }
    let head_end = out.find("</head>").unwrap_or(out.len());
    let head = with_hashes(&out[..head_end], &script_hashes, &style_hashes);
    out.replace_range(..head_end, &head);
    Some(out)
}

/// The text of the site asset at `href` (`/zjgyb/assets/forms.3f9a1c2b.css`).
fn asset_text(href: &str, root: &str) -> Option<&'static str> {
    let path = href.strip_prefix(root)?;
    let asset = super::assets::table().by_hashed_path(path)?;
    std::str::from_utf8(&asset.bytes).ok()
}

/// The value of attribute `name` in the start tag `tag` (double-quoted, as templates
/// write them).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let len = tag[i..].find('"')?;
    Some(&tag[i..i + len])
}

/// `tag` without the attributes `names` (valued or bare).
fn without_attrs(tag: &str, names: &[&str]) -> String {
    let mut out = tag.to_string();
    for n in names {
        if let Some(v) = attr(&out, n) {
            out = out.replacen(&format!(" {n}=\"{v}\""), "", 1);
        } else {
            for end in [" ", ">"] {
                let bare = format!(" {n}{end}");
                if let Some(i) = out.find(&bare) {
                    out.replace_range(i..i + bare.len() - end.len(), "");
                    break;
                }
            }
        }
    }
    out
}

fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy `<meta>` with `scripts` added to `script-src` and
/// `styles` to `style-src` (a missing directive made from `default-src`).
fn with_hashes(head: &str, scripts: &[String], styles: &[String]) -> String {
    const META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let Some(i) = head.find(META).map(|i| i + META.len()) else {
        return head.to_string();
    };
    let Some(len) = head[i..].find('"') else {
        return head.to_string();
    };
    let policy = &head[i..i + len];
    let mut directives: Vec<String> = policy
        .split(';')
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    let default = directives
        .iter()
        .find_map(|d| d.strip_prefix("default-src ").map(str::to_string))
        .unwrap_or_default();
    for (name, hashes) in [("script-src", scripts), ("style-src", styles)] {
        if hashes.is_empty() {
            continue;
        }
        let prefix = format!("{name} ");
        match directives
            .iter_mut()
            .find(|d| d.starts_with(&prefix) || *d == name)
        {
            Some(d) => {
                for h in hashes {
                    d.push(' ');
                    d.push_str(h);
                }
            }
            None => directives.push(format!("{name} {default} {}", hashes.join(" "))),
        }
    }
    format!(
        "{}{}{}",
        &head[..i],
        directives.join("; "),
        &head[i + len..]
    )
}

/// `url(name)` relative to a stylesheet in `dir` made absolute, as the rules now sit in
/// the page.
fn absolute_urls(css: &str, dir: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        let (before, after) = rest.split_at(i + 4);
        out.push_str(before);
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let name = &after[quote.map_or(0, char::len_utf8)..];
        let relative = !(name.starts_with('/')
            || name.starts_with('#')
            || name.starts_with("data:")
            || name.split(['/', ')']).next().unwrap_or("").contains(':'));
        if let Some(q) = quote {
            out.push(q);
        }
        if relative {
            out.push_str(dir);
        }
        rest = name;
    }
    out.push_str(rest);
    out
}

/// The elements, classes and ids the page's HTML names.
struct Used<'a> {
    tags: HashSet<&'a str>,
    classes: HashSet<&'a str>,
    ids: HashSet<&'a str>,
}

impl<'a> Used<'a> {
    fn of(html: &'a str) -> Self {
        let values = |name: &str| {
            let key = format!(" {name}=\"");
            let mut out = Vec::new();
            let mut rest = html;
            while let Some(i) = rest.find(&key) {
                rest = &rest[i + key.len()..];
                let len = rest.find('"').unwrap_or(rest.len());
                out.push(&rest[..len]);
                rest = &rest[len..];
            }
            out
        };
        let classes = values("class")
            .into_iter()
            .flat_map(str::split_ascii_whitespace)
            .collect();
        let ids = values("id").into_iter().collect();
        let mut tags = HashSet::new();
        for (i, _) in html.match_indices('<') {
            let name = &html[i + 1..];
            let len = name
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .unwrap_or(name.len());
            if len > 0 && name.as_bytes()[0].is_ascii_lowercase() {
                tags.insert(&name[..len]);
            }
        }
        Used { tags, classes, ids }
    }

    /// Whether one selector of a list could match something of the page: every element,
    /// class and id it names outside `(…)` and `[…]` is on the page (an escaped name is
    /// assumed to be).
    fn may_match(&self, selector: &str) -> bool {
        let mut depth = 0usize;
        let mut chars = selector.char_indices().peekable();
        let mut prev = ' ';
        while let Some((i, c)) = chars.next() {
            let starts_compound = matches!(prev, ' ' | '>' | '+' | '~' | '\n' | '\t');
            prev = c;
            match c {
                c if depth == 0 && starts_compound && c.is_ascii_alphabetic() => {
                    let mut end = i + 1;
                    while let Some(&(j, d)) = chars.peek() {
                        if d.is_ascii_alphanumeric() || d == '-' {
                            end = j + 1;
                            prev = d;
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    if !self
                        .tags
                        .contains(selector[i..end].to_ascii_lowercase().as_str())
                    {
                        return false;
                    }
                }
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '\\' => return true,
                '.' | '#' if depth == 0 => {
                    let start = i + 1;
                    let mut end = start;
                    while let Some(&(j, d)) = chars.peek() {
                        if d.is_alphanumeric() || d == '-' || d == '_' || !d.is_ascii() {
                            end = j + d.len_utf8();
                            prev = d;
                            chars.next();
                        } else {
                            if d == '\\' {
                                return true;
                            }
                            break;
                        }
                    }
                    let name = &selector[start..end];
                    let known = if c == '.' {
                        self.classes.contains(name)
                    } else {
                        self.ids.contains(name)
                    };
                    if !name.is_empty() && !known {
                        return false;
                    }
                }
                _ => {}
            }
        }
        true
    }
}

/// `css` without its comments (strings kept as they are).
fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    loop {
        let next = rest.find(['"', '\'', '/']);
        let Some(i) = next else { break };
        let c = rest.as_bytes()[i];
        if c == b'/' {
            if rest[i..].starts_with("/*") {
                out.push_str(&rest[..i]);
                rest = rest[i + 2..]
                    .find("*/")
                    .map_or("", |e| &rest[i + 2 + e + 2..]);
            } else {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        } else {
            let end = string_end(rest, i);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// The index just past the string that starts at `start` (a quote) in `s`.
fn string_end(s: &str, start: usize) -> usize {
    let q = s.as_bytes()[start];
    let mut k = start + 1;
    let b = s.as_bytes();
    while k < b.len() {
        if b[k] == b'\\' {
            k += 2;
            continue;
        }
        if b[k] == q {
            return k + 1;
        }
        k += 1;
    }
    b.len()
}

/// The index of the first `stop` byte at the top level of `s` (outside strings and
/// nested braces), or `s.len()`.
fn find_top(s: &str, stops: &[u8]) -> usize {
    let b = s.as_bytes();
    let mut k = 0;
    let mut depth = 0usize;
    while k < b.len() {
        match b[k] {
            b'"' | b'\'' => {
                k = string_end(s, k);
                continue;
            }
            c if depth == 0 && stops.contains(&c) => return k,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        k += 1;
    }
    b.len()
}

/// Writes the rules of `css` (comments stripped) that may match the page into `out`,
/// whitespace collapsed; the inside of `@media` and `@supports` trimmed the same way,
/// other at-rules (`@font-face`, `@keyframes`, `@page`) kept whole.
fn trim_rules(css: &str, used: &Used, out: &mut String) {
    let mut rest = css.trim_start();
    while !rest.is_empty() {
        let open = find_top(rest, b"{;}");
        if open >= rest.len() {
            break;
        }
        let prelude = rest[..open].trim();
        match rest.as_bytes()[open] {
            b';' | b'}' => {
                // A statement (`@import`, `@charset`) or a stray brace.
                if prelude.starts_with('@') && rest.as_bytes()[open] == b';' {
                    out.push_str(&collapse(prelude));
                    out.push(';');
                }
                rest = rest[open + 1..].trim_start();
                continue;
            }
            _ => {}
        }
        let body_start = open + 1;
        let close = body_start + find_top(&rest[body_start..], b"}");
        let body = &rest[body_start..close.min(rest.len())];
        if prelude == "@media print" {
            // Printing waits for the whole stylesheet, linked at the end of the page.
        } else if prelude.starts_with("@media") || prelude.starts_with("@supports") {
            let mut inner = String::new();
            trim_rules(body, used, &mut inner);
            if !inner.is_empty() {
                out.push_str(&collapse(prelude));
                out.push('{');
                out.push_str(&inner);
                out.push('}');
            }
        } else if prelude.starts_with('@') || selectors(prelude).any(|s| used.may_match(s)) {
            out.push_str(&collapse(prelude));
            out.push('{');
            out.push_str(collapse(body).trim());
            out.push('}');
        }
        rest = rest.get(close + 1..).unwrap_or("").trim_start();
    }
}

/// The selectors of a comma-separated list (commas inside `(…)` and `[…]` kept).
fn selectors(list: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in list.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(list[start..].trim());
    parts.into_iter()
}

/// Runs of whitespace outside strings as one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut k = 0;
    let mut space = false;
    while k < b.len() {
        let c = b[k];
        if c == b'"' || c == b'\'' {
            let end = string_end(s, k);
            if space {
                out.push(' ');
                space = false;
            }
            out.push_str(&s[k..end]);
            k = end;
            continue;
        }
        if c.is_ascii_whitespace() {
            space = true;
            k += 1;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        let ch_len = s[k..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[k..k + ch_len]);
        k += ch_len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(html: &str) -> Used<'_> {
        Used::of(html)
    }

    #[test]
    fn rules_naming_what_the_page_lacks_are_left_out() {
        let html = r#"<html><main class="wrap form-app" id="form"><p class="hint">x</p></main>"#;
        let css = ".wrap { max-width: 60rem }\n.is-ready .hint { color: red }\n#form .hint, .missing { margin: 0 }\n\
                   p:not(.missing) { color: blue }\n@media (max-width: 40em) { .gone { x: y } .wrap { padding: 0 } }\n\
                   @media print { .wrap { a: b } }\n[data-kind=\"x.y\"] { c: d }\n.a\\:b { e: f }\n\
                   table td, main > p:first-child::before, html:not(.x) p { g: h }\nvideo { i: j }\n";
        let mut out = String::new();
        trim_rules(&strip_comments(css), &used(html), &mut out);
        assert_eq!(
            out,
            ".wrap{max-width: 60rem}#form .hint, .missing{margin: 0}p:not(.missing){color: blue}\
             @media (max-width: 40em){.wrap{padding: 0}}[data-kind=\"x.y\"]{c: d}.a\\:b{e: f}\
             table td, main > p:first-child::before, html:not(.x) p{g: h}"
        );
    }

    #[test]
    fn strings_comments_and_at_rules_are_kept_whole() {
        let css = "/* a { } */ .x::before { content: \"} {  ;\" } @font-face { font-family: f } @import \"a.css\";";
        let mut out = String::new();
        trim_rules(&strip_comments(css), &used(r#"<b class="x">"#), &mut out);
        assert_eq!(
            out,
            ".x::before{content: \"} {  ;\"}@font-face{font-family: f}@import \"a.css\";"
        );
    }

    #[test]
    fn relative_urls_point_at_the_stylesheet_folder() {
        assert_eq!(
            absolute_urls(
                "a{b:url(p.svg#x)} c{d:url(\"/e.png\")} f{g:url(data:x)}",
                "/zjgyb/assets/"
            ),
            "a{b:url(/zjgyb/assets/p.svg#x)} c{d:url(\"/e.png\")} f{g:url(data:x)}"
        );
    }

    #[test]
    fn hashes_go_into_the_policy() {
        let head = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">";
        let out = with_hashes(head, &["'sha256-A'".into()], &["'sha256-B'".into()]);
        assert_eq!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'sha256-A'; style-src 'self' 'sha256-B'\">"
        );
        assert_eq!(
            sha256(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn marked_assets_are_inlined_and_the_stylesheet_linked_at_the_end() {
        let table = super::super::assets::table();
        let css = table.get("assets/style.css").expect("style.css");
        let js = table.get("assets/prefs.js").expect("prefs.js");
        let html = format!(
            "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'\">\n\
             <link rel=\"stylesheet\" href=\"/{}\" data-inline>\n<script src=\"/{}\" data-inline></script>\n\
             <link rel=\"stylesheet\" href=\"/elsewhere.css\" data-inline>\n</head><body><main class=\"wrap\"></main></body></html>",
            css.path, js.path
        );
        let out = page(&html, "/").expect("inlined");
        assert!(out.contains("<style>"), "{out}");
        assert!(out.contains(".wrap{"), "{out}");
        assert!(
            out.contains(&format!("[\"/{}\"].forEach(", css.path)),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "<noscript><link rel=\"stylesheet\" href=\"/{}\"></noscript>\n</body>",
                css.path
            )),
            "{out}"
        );
        assert!(
            !out.split("</head>")
                .next()
                .unwrap_or("")
                .contains(&css.path),
            "{out}"
        );
        assert!(out.contains("<script>"), "{out}");
        assert!(!out.contains(&format!("src=\"/{}\"", js.path)), "{out}");
        assert!(
            out.contains("href=\"/elsewhere.css\" data-inline"),
            "a link to no asset stays: {out}"
        );
        let policy = out.split("content=\"").nth(1).unwrap_or("");
        assert!(policy.contains("script-src 'self' 'sha256-"), "{policy}");
        assert!(policy.contains("style-src 'self' 'sha256-"), "{policy}");
        assert_eq!(page("<html><head></head><body></body></html>", "/"), None);
    }
}
