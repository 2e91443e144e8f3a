//! A program page's "fill in" link opens the form pre-filled with the program's name and
//! organizer.

use super::common::*;
use site_tests::browser::Options;
use site_tests::workspace_root;

/// Name and organizer of the first program of the first list of a notice that has forms
/// of its own (Wenzhou's municipal list), from content/.
fn first_program(slug: &str) -> (String, String, String) {
    let path = workspace_root().join(format!("content/notices/{slug}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lists = doc["lists"].as_array().cloned().unwrap_or_default();
    let list = lists
        .iter()
        .find(|l| l.get("attachments").is_some())
        .unwrap_or(&doc["lists"][0]);
    let program = &list["programs"][0];
    let s = |v: &toml::Value| v.as_str().unwrap_or_default().to_string();
    (
        s(&list["id"]),
        s(&program["name"]),
        s(&program["organizer"]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn program_fill_in_link_prefills_name_and_organizer() {
    let (list, name, organizer) = first_program("wenzhou-2020");
    assert!(
        !name.is_empty() && !organizer.is_empty(),
        "content has a first program"
    );
    let b = open(Options::default()).await;
    b.goto(&format!("/notices/wenzhou-2020/{list}-1/"))
        .await
        .or_fail();
    let link = b
        .find("a[href*=\"/forms/\"][href*=\"project_name=\"]")
        .await
        .or_fail();
    link.click()
        .await
        .unwrap_or_else(|e| panic!("cannot follow the fill-in link: {e}"));
    wait_ready(&b).await;
    assert_eq!(value_of(&b, "project_name").await, name);
    assert_eq!(value_of(&b, "organizer").await, organizer);
    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}
