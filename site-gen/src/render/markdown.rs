//! Markdown to HTML with raw HTML escaped, never passed through.

use pulldown_cmark::{html, CowStr, Event, Parser, Tag, TagEnd};

use crate::content::links;

/// Renders Markdown; `<script>` and any other raw HTML come out as visible text. A link
/// to an unsafe URL ([`links::safe_url`]) points nowhere; an image from one is shown as
/// its text, never as `<img src="javascript:…">`.
pub fn to_html(md: &str) -> String {
    let mut in_unsafe_image = 0usize;
    let parser = Parser::new_ext(md, links::options()).filter_map(|ev| match ev {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !links::safe_url(&dest_url) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        })),
        Event::Start(Tag::Image { dest_url, .. })
            if in_unsafe_image > 0 || !links::safe_url(&dest_url) =>
        {
            in_unsafe_image += 1;
            None
        }
        Event::End(TagEnd::Image) if in_unsafe_image > 0 => {
            in_unsafe_image -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Markdown of one short paragraph, without the `<p>` wrapper.
pub fn md_inline(src: &str) -> String {
    let h = to_html(src);
    let t = h.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => h,
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
    fn javascript_images_are_shown_as_their_text() {
        let h =
            to_html("![x](javascript:alert(1)) ![y](JaVaScRiPt:alert(2)) ![w](data:text/html,x) ![z](/assets/a.png)");
        assert!(!h.contains("javascript"), "{h}");
        assert!(!h.to_lowercase().contains("script:"), "{h}");
        assert!(!h.contains("data:"), "{h}");
        assert_eq!(h.matches("<img").count(), 1, "{h}");
        assert!(h.contains("x"), "{h}");
        assert!(h.contains("<img src=\"/assets/a.png\" alt=\"z\""), "{h}");
    }

    #[test]
    fn links_and_lists_render() {
        let h = to_html("1. [站内](/notices/a/)\n");
        assert!(h.contains("<a href=\"/notices/a/\">站内</a>"), "{h}");
    }

    #[test]
    fn markdown_raw_html_is_text() {
        assert_eq!(md_inline("a <b>x</b>"), "a &lt;b&gt;x&lt;/b&gt;");
    }
}
