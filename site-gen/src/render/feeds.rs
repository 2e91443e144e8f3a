//! `sitemap.xml` and `atom.xml`, written directly (no template needed).

use crate::content::model::Site;
use crate::urls;

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Absolute URL of a root-absolute path whose segments may be Chinese.
pub fn absolute(base: &str, path: &str) -> String {
    let encoded: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .map(urls::encode)
        .collect();
    format!("{base}{}", encoded.join("/"))
}

/// `paths` are unencoded root-absolute page paths.
pub fn sitemap(site: &Site, paths: &[String]) -> Vec<u8> {
    let mut s = String::with_capacity(paths.iter().map(|p| p.len() * 3 + 64).sum::<usize>() + 128);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    // `absolute` percent-encodes the path: only the base can need XML escapes.
    let base = xml_escape(&site.config.base_url);
    for p in paths {
        s.push_str("  <url><loc>");
        s.push_str(&base);
        for (i, seg) in p.trim_start_matches('/').split('/').enumerate() {
            if i > 0 {
                s.push('/');
            }
            s.push_str(&urls::encode(seg));
        }
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

pub fn atom(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    let updated = site
        .notices
        .iter()
        .map(|n| n.date)
        .max()
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <link href=\"{}\"/>\n  <updated>{}T00:00:00+08:00</updated>\n",
        xml_escape(&site.config.language),
        xml_escape(&site.config.title),
        xml_escape(base),
        xml_escape(base),
        xml_escape(base),
        updated
    );
    for n in &site.notices {
        let url = absolute(base, &urls::notice(&n.slug));
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00+08:00</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&n.title),
            xml_escape(&url),
            xml_escape(&url),
            n.date,
            xml_escape(&n.issuer),
            xml_escape(&format!("{} {}", n.doc_number, n.issuer)),
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}
