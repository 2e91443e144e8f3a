//! The pages kept at a notice's former addresses (`former_slugs`, checked by
//! `content::redirects`): at `/notices/<old>/` and at each of its program pages'
//! addresses, a page that sends the reader on to the notice's page (or the program's)
//! at once (meta refresh), names it as the canonical address, links to it for a reader
//! whose browser does not follow, and asks search engines not to index it. Not in the
//! sitemap. The plan lists' downloads at the old address are copies of the files, not
//! pages (written with the notice, `render::render_notice`).

use crate::content::model::{Notice, Site};
use crate::render::feeds::absolute;
use crate::render::templates::escape;
use crate::urls;

/// The redirect pages of every notice: (path under `dist/`, HTML).
pub fn pages(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in &site.notices {
        for old in &n.former_slugs {
            for (from, to, what) in moved(n, old) {
                out.push((urls::file_for(&from), page(site, &from, &to, &what)));
            }
        }
    }
    out
}

/// The addresses of `n` under its former slug `old`: (old path, new path, title).
fn moved(n: &Notice, old: &str) -> Vec<(String, String, String)> {
    let mut v = vec![(urls::notice(old), urls::notice(&n.slug), n.title.clone())];
    for l in &n.lists {
        for (i, p) in l.programs.iter().enumerate() {
            v.push((
                urls::program(old, &l.id, i + 1),
                urls::program(&n.slug, &l.id, i + 1),
                p.name.clone(),
            ));
        }
    }
    v
}

/// A path relative to the folder `from` (`/notices/a/x/`) that reaches `to`.
fn relative(from: &str, to: &str) -> String {
    let up = from.trim_matches('/').split('/').count();
    format!("{}{}", "../".repeat(up), to.trim_start_matches('/'))
}

fn page(site: &Site, from: &str, to: &str, title: &str) -> String {
    // The refresh is relative, so it holds under any base path; the link is
    // root-absolute, as every link of a page (the build rebases it).
    let rel = escape(&relative(from, to));
    let canonical = escape(&absolute(&site.config.base_url, to));
    let title = escape(title);
    let href = escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}（已迁移）</title>\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={rel}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n<body>\n<main>\n<p>本页已迁移到新地址：<a href=\"{href}\">{title}</a></p>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_climbs_out_of_the_old_folder() {
        assert_eq!(
            relative("/notices/old/", "/notices/new/"),
            "../../notices/new/"
        );
        assert_eq!(
            relative("/notices/old/main-1/", "/notices/new/main-1/"),
            "../../../notices/new/main-1/"
        );
    }
}
