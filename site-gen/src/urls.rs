//! Site URLs and file paths, in one place.
//!
//! Every page lives at a folder URL (`/notices/<slug>/`) written as `<folder>/index.html`.
//! Chinese names become path segments as they are on disk and percent-encoded in links.

/// Percent-encodes everything but RFC 3986 unreserved characters (for path segments and
/// query values).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid escapes are kept as they are.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A name made safe as one folder name: no `/`, `\`, control characters, and never
/// `.` or `..` or empty.
pub fn segment(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' => '／',
            '\\' => '＼',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    match s.as_str() {
        "" | "." | ".." => format!("_{s}"),
        _ => s,
    }
}

pub fn notice(slug: &str) -> String {
    format!("/notices/{slug}/")
}

/// The page of one year's notices (render::years), `/years/2024/`.
pub fn year(year: &str) -> String {
    format!("/years/{year}/")
}

pub fn list_file(slug: &str, list_id: &str, ext: &str) -> String {
    format!("/notices/{slug}/{list_id}.{ext}")
}

/// The search page (shared/spec/search.md).
pub const SEARCH: &str = "/search/";

/// Program page: `n` is the 1-based position in its list.
pub fn program(slug: &str, list_id: &str, n: usize) -> String {
    format!("/notices/{slug}/{list_id}-{n}/")
}

pub fn organizer(name: &str) -> String {
    format!("/organizers/{}/", encode(&segment(name)))
}

pub fn category(name: &str) -> String {
    format!("/categories/{}/", encode(&segment(name)))
}

pub fn form(id: &str) -> String {
    format!("/forms/{id}/")
}

/// A relative link `rel` resolved against the folder URL `base` (`/notices/a/`), as a
/// browser would: `../b/` → `/notices/b/`, `x.csv?y` → `/notices/a/x.csv?y`. Never climbs
/// above `/`.
pub fn join(base: &str, rel: &str) -> String {
    let cut = rel.find(['?', '#']).unwrap_or(rel.len());
    let (path, rest) = rel.split_at(cut);
    let mut segs: Vec<&str> = base
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts {
        match *part {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p),
        }
    }
    let ends_in_folder = matches!(parts.last(), Some(&"") | Some(&".") | Some(&".."));
    let mut out = String::from("/");
    out.push_str(&segs.join("/"));
    if ends_in_folder && !segs.is_empty() {
        out.push('/');
    }
    out.push_str(rest);
    out
}

/// The file that serves a URL path: `/a/b/` → `a/b/index.html`, `/x.csv` → `x.csv`.
/// The input is an unencoded path.
pub fn file_for(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// `?k=v&…` with every value percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut q = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        q.push(if i == 0 { '?' } else { '&' });
        q.push_str(k);
        q.push('=');
        q.push_str(&encode(v));
    }
    q
}

pub use crate::asset_names::resolve;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode_round_trip_chinese() {
        let e = encode("温州市 机电/协会");
        assert!(e.is_ascii());
        assert_eq!(decode(&e), "温州市 机电/协会");
    }

    #[test]
    fn segment_removes_slashes_and_dots() {
        assert_eq!(segment("a/b"), "a／b");
        assert_eq!(segment(".."), "_..");
    }

    #[test]
    fn join_resolves_relative_links_like_a_browser() {
        assert_eq!(join("/notices/a/", "../b/"), "/notices/b/");
        assert_eq!(
            join("/notices/a/", "main.csv?x=1#y"),
            "/notices/a/main.csv?x=1#y"
        );
        assert_eq!(
            join("/notices/a/", "../../forms/wenzhou-survey/"),
            "/forms/wenzhou-survey/"
        );
        assert_eq!(join("/notices/a/", "../../../.."), "/");
        assert_eq!(join("/notices/a/main-1/", ".."), "/notices/a/");
        assert_eq!(join("/notices/a/", "./main-1/"), "/notices/a/main-1/");
    }

    #[test]
    fn file_for_maps_folders_to_index() {
        assert_eq!(file_for("/"), "index.html");
        assert_eq!(file_for("/notices/a/"), "notices/a/index.html");
        assert_eq!(file_for("/notices/a/p.csv"), "notices/a/p.csv");
    }
}
