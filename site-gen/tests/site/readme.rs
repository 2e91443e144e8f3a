//! The guide says what the program does: its error example (docs/content.md, linked from
//! the README) is what `check` prints.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::copy_dir;

#[test]
fn the_readme_error_example_is_what_check_prints_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let guide = fs::read_to_string(root.join("docs/content.md")).unwrap();
    let after = guide
        .split("Content errors are reported all at once")
        .nth(1)
        .expect("docs/content.md has its error example");
    let block = after.split("```\n").nth(1).expect("a code block follows");

    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("content"), &dir.path().join("content"));
    let notice = dir.path().join("content/notices/wenzhou-2020.toml");
    let text = fs::read_to_string(&notice).unwrap();
    fs::write(&notice, text.replacen("organizer = ", "organiser = ", 1)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["check", "--content", "content"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let printed = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        printed, block,
        "docs/content.md's example differs from the program's output"
    );
}
