//! `site-gen import` reads the notice it rewrites table by table: the old notice is
//! checked by parts (its other parts, then each program's table alone, every list's),
//! as the new one is, and finds what the whole check finds, at the same places.

use std::fs;
use std::path::Path;

use site_gen::content::{self, model};
use site_gen::import::write::replace_list;

use crate::support::copy_dir;

/// The repository's content with the notice edited; the old notice checked whole and
/// by the parts the writer found in it (rewriting list `list`).
fn old_checks(
    edit: impl Fn(String) -> String,
    list: &str,
) -> (
    Result<model::Site, content::Diagnostics>,
    Result<model::Site, content::Diagnostics>,
) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        &root,
    );
    let path = root.join("notices/wenzhou-2020.toml");
    fs::write(&path, edit(fs::read_to_string(&path).unwrap())).unwrap();
    let raw = content::load(&root).unwrap();
    let idx = raw
        .notices
        .iter()
        .position(|f| f.stem() == "wenzhou-2020")
        .unwrap();
    let rewritten = replace_list(&raw.notices[idx].text, list, &[]).unwrap();
    let old = rewritten.old.expect("the notice is read table by table");
    assert!(!old.tables.is_empty() && !old.others.is_empty());
    let whole = content::validate(&raw);
    let parts = content::validate_spliced(
        &raw,
        &content::Spliced {
            notice: idx,
            list: list.into(),
            tables: old.tables,
            others: old.others,
        },
    );
    (whole, parts)
}

#[test]
fn the_old_notice_checked_by_parts_finds_what_the_whole_check_finds() {
    for list in ["provincial", "municipal"] {
        // As it is: the same site.
        let (whole, parts) = old_checks(|t| t, list);
        let (whole, parts) = (whole.unwrap(), parts.unwrap());
        let lists = |s: &model::Site| {
            let n = s.notices.iter().find(|n| n.slug == "wenzhou-2020").unwrap();
            n.lists.clone()
        };
        assert_eq!(lists(&parts), lists(&whole));
        assert!(lists(&parts).iter().all(|l| !l.programs.is_empty()));

        // A broken link in a provincial description, an unreadable municipal amount, a
        // name in both lists, a long string: the same findings at the same lines.
        let edit = |t: String| {
            t.replacen(
                "name = \"高端轻工装备与智能制造协同创新\"\n",
                "name = \"高端轻工装备与智能制造协同创新\"\ndescription = \"见 [附件](/no/such/page/) \u{202e}\"\n",
                1,
            )
            .replacen("amount_wan = 3", "amount_wan = \"三\"", 1)
            .replacen(
                "name = \"基于工业物联网的智能制造系统\"",
                "name = \"智能锁具产业新技术\"",
                1,
            )
        };
        let (whole, parts) = old_checks(edit, list);
        let (whole, parts) = (
            whole.unwrap_err().to_string(),
            parts.unwrap_err().to_string(),
        );
        assert_eq!(parts, whole);
        for found in [
            "broken internal link `/no/such/page/`",
            "`description` holds U+202E",
            "duplicate program name `智能锁具产业新技术` in this notice (first at line",
            "amount_wan",
        ] {
            assert!(parts.contains(found), "{found} not in:\n{parts}");
        }
    }
}

/// Errors the file's parser finds in tables of both lists and in the notice's other
/// parts (`region`): each list's tables are parsed alone, and all their errors come with
/// the other parts' in the file's order, as the whole check has them.
#[test]
fn errors_in_both_lists_tables_are_the_whole_checks_in_the_files_order() {
    for list in ["provincial", "municipal"] {
        let edit = |t: String| {
            t.replacen("amount_wan = 3", "amount_wan = 3\nfoo = 1", 1)
                .replacen("funding = \"自筹\"", "funding = 7", 1)
                .replacen("region = ", "region = 5 # ", 1)
        };
        let (whole, parts) = old_checks(edit, list);
        let (whole, parts) = (
            whole.unwrap_err().to_string(),
            parts.unwrap_err().to_string(),
        );
        assert_eq!(parts, whole);
        assert!(parts.contains("unknown field `foo`"), "{parts}");
        assert!(parts.contains("invalid type: integer `7`"), "{parts}");
        assert!(parts.contains("invalid type: integer `5`"), "{parts}");
        assert!(parts.contains("3 content errors found"), "{parts}");
    }
}
