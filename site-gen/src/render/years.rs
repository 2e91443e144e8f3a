//! The home page's years (shared/spec/search.md, "Many years"): notices newest first,
//! grouped by the year of their date. A year of more than [`YEAR_PAGE_AFTER`] notices
//! has a page of its own (`/years/2024/`, [`urls::year`]); the home page shows that
//! year's newest [`YEAR_PAGE_AFTER`] and links to the page. Every page of years has the
//! same list of years, each linked to its page or to its group on the home page.

use serde::Serialize;

use super::views::{self, NoticeSummary};
use crate::content::model::{Notice, Site};
use crate::urls;

/// The most notices a year shows on the home page; a year with more has its own page.
pub const YEAR_PAGE_AFTER: usize = 20;

/// The notices of each year, newest year first, each year's newest first (the site's
/// order).
pub fn by_year(site: &Site) -> Vec<(String, Vec<&Notice>)> {
    let mut out: Vec<(String, Vec<&Notice>)> = Vec::new();
    for n in &site.notices {
        let year = n.date.format("%Y").to_string();
        match out.last_mut() {
            Some((y, list)) if *y == year => list.push(n),
            _ => out.push((year, vec![n])),
        }
    }
    out
}

/// Whether a year of `count` notices has a page of its own.
pub fn has_page(count: usize) -> bool {
    count > YEAR_PAGE_AFTER
}

/// A year as a page shows it.
#[derive(Debug, Serialize)]
pub struct YearView {
    pub year: String,
    /// All its notices.
    pub count: usize,
    /// Its own page, when it has one.
    pub url: Option<String>,
    /// The notices shown: on the home page at most [`YEAR_PAGE_AFTER`].
    pub notices: Vec<NoticeSummary>,
}

/// A year in the list of years.
#[derive(Debug, Serialize)]
pub struct YearLink {
    pub year: String,
    pub count: usize,
    /// Its page, or its group on the home page.
    pub url: String,
    /// The year of the page showing the list.
    pub current: bool,
}

/// The home page's years: each with at most [`YEAR_PAGE_AFTER`] notices.
pub fn home(years: &[(String, Vec<&Notice>)]) -> Vec<YearView> {
    years
        .iter()
        .map(|(year, list)| YearView {
            year: year.clone(),
            count: list.len(),
            url: has_page(list.len()).then(|| urls::year(year)),
            notices: list
                .iter()
                .take(YEAR_PAGE_AFTER)
                .map(|n| views::notice_summary(n))
                .collect(),
        })
        .collect()
}

/// One year's page: all its notices.
pub fn page(year: &str, list: &[&Notice]) -> YearView {
    YearView {
        year: year.to_string(),
        count: list.len(),
        url: Some(urls::year(year)),
        notices: list.iter().map(|n| views::notice_summary(n)).collect(),
    }
}

/// The list of years, `current` marked.
pub fn links(years: &[(String, Vec<&Notice>)], current: Option<&str>) -> Vec<YearLink> {
    years
        .iter()
        .map(|(year, list)| YearLink {
            year: year.clone(),
            count: list.len(),
            url: if has_page(list.len()) {
                urls::year(year)
            } else {
                format!("/#year-{year}")
            },
            current: current == Some(year.as_str()),
        })
        .collect()
}
