//! Markdown to HTML with raw HTML escaped, never passed through.

use pulldown_cmark::{html, CowStr, Event, Parser, Tag};

use crate::content::links;

/// Renders Markdown; `<script>` and any other raw HTML come out as visible text.
pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(md, links::options()).map(|ev| match ev {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Relative links and the http(s), mailto and tel schemes; never `javascript:` or `data:`.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(i) if lower[..i].contains(['/', '?', '#']) => true,
        Some(_) => ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let h = to_html("hi <script>alert(1)</script>\n\n<div onclick=x>y</div>\n");
        assert!(!h.contains("<script"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("<div"), "{h}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let h = to_html("[x](javascript:alert(1))");
        assert!(!h.contains("javascript"), "{h}");
    }

    #[test]
    fn links_and_lists_render() {
        let h = to_html("1. [站内](/notices/a/)\n");
        assert!(h.contains("<a href=\"/notices/a/\">站内</a>"), "{h}");
    }
}
