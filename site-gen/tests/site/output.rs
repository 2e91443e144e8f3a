//! The output folder as a deployer meets it: foreign folders refused untouched, a
//! symlinked `--out` kept a symlink, `kill -9` at any moment leaving a whole old or
//! whole new tree, and concurrent builds serialised.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::{build, code, stderr, tree, Fixture};

/// Names in `dir` starting with `.` other than the lock file.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.ends_with(".site-gen-lock"))
        .collect()
}

/// No folder of a build is left beside the output; else what each one holds (its first
/// names and its mark), to say which step of a build left it.
fn assert_no_leftovers(dir: &Path) {
    let left = leftovers(dir);
    let detail: Vec<String> = left
        .iter()
        .map(|l| {
            let p = dir.join(l);
            let mut names: Vec<String> = fs::read_dir(&p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            let n = names.len();
            names.truncate(12);
            let mark = fs::read_to_string(p.join(".site-gen-build")).unwrap_or_default();
            format!("{l}: {n} entries {names:?} mark {mark:?}")
        })
        .collect();
    assert!(left.is_empty(), "{detail:#?}");
}

#[test]
fn a_folder_with_the_users_files_is_refused_with_2_and_left_untouched() {
    let f = Fixture::new("basic");
    let home = f.root().join("home");
    fs::create_dir_all(home.join("Documents")).unwrap();
    fs::write(home.join("Documents/report.docx"), "mine").unwrap();
    fs::write(home.join(".bashrc"), "export X=1").unwrap();
    let before = tree(&home);
    let o = build(&f.content(), &home);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not written by site-gen"), "{err}");
    assert!(err.contains("--out"), "{err}");
    assert_eq!(tree(&home), before);

    // content/notices is not an output folder either.
    let notices = f.content().join("notices");
    let before = tree(&notices);
    let o = build(&f.content(), &notices);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(tree(&notices), before);

    // A file is not a folder.
    let file = f.root().join("notes.txt");
    fs::write(&file, "x").unwrap();
    let o = build(&f.content(), &file);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is a file"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn an_empty_folder_and_an_earlier_output_are_replaced_but_not_one_with_added_files() {
    let f = Fixture::new("basic");
    let out = f.root().join("site");
    fs::create_dir(&out).unwrap();
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let manifest = fs::read_to_string(out.join(".site-gen")).unwrap();
    assert!(manifest.starts_with("site-gen output 1\n"), "{manifest}");
    assert!(manifest.lines().any(|l| l == "index.html"), "{manifest}");
    assert_eq!(code(&build(&f.content(), &out)), 0);

    // Someone put a file of their own into the built folder: it would be lost.
    fs::write(out.join("assets/CNAME"), "training.example.org").unwrap();
    let before = tree(&out);
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("assets/CNAME"), "{}", stderr(&o));
    assert_eq!(tree(&out), before);
}

#[test]
fn a_symlinked_out_stays_a_symlink_and_its_target_is_replaced() {
    let f = Fixture::new("basic");
    let www = f.root().join("var/www");
    fs::create_dir_all(&www).unwrap();
    let link = f.root().join("dist");
    symlink("var/www/site", &link).unwrap();

    // The target does not exist yet: it is created, the link kept.
    let o = build(&f.content(), &link);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(www.join("site/index.html").is_file());
    let first = tree(&www.join("site"));

    // Rebuilt with a change: still a link, the target holds the new tree.
    let site = fs::read_to_string(f.content().join("site.toml")).unwrap();
    let f = f.file(
        "content/site.toml",
        &site.replace("title = \"", "title = \"新"),
    );
    let o = build(&f.content(), &link);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let second = tree(&www.join("site"));
    assert_ne!(first, second);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(leftovers(&www).is_empty(), "{:?}", leftovers(&www));

    // A link to a folder of someone else's files is refused; nothing is emptied.
    let other = f.root().join("var/www/other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("index.php"), "<?php").unwrap();
    let link2 = f.root().join("dist2");
    symlink(&other, &link2).unwrap();
    let o = build(&f.content(), &link2);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("symlink"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(other.join("index.php")).unwrap(),
        "<?php"
    );
    assert!(fs::symlink_metadata(&link2)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Synthetic content large enough that a build takes a while.
fn large_content(root: &Path, title: &str) -> PathBuf {
    let content = root.join("content");
    site_gen::synth::generate(&content, 20, 40).unwrap();
    let site = content.join("site.toml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(&site, text.replace("（基准测试）", title)).unwrap();
    content
}

#[test]
fn kill_9_at_any_moment_leaves_the_whole_old_or_the_whole_new_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let titles = ["甲", "乙"];
    let content = large_content(dir.path(), titles[1]);
    assert_eq!(code(&build(&content, &dir.path().join("b"))), 0);
    let trees = [None, Some(tree(&dir.path().join("b")))];
    large_content(dir.path(), titles[0]);
    let t = Instant::now();
    assert_eq!(code(&build(&content, &out)), 0);
    let full = t.elapsed();
    let trees = [Some(tree(&out)), trees[1].clone()].map(Option::unwrap);
    assert_ne!(trees[0], trees[1]);

    // Kill at moments spread over the whole build (and a little beyond); each round
    // builds the other tree than the one in place.
    let mut current = 0;
    let mut seed = u64::from(t.elapsed().subsec_nanos()) | 1;
    let mut outcomes = [0, 0];
    let rounds = 6u32;
    for i in 0..rounds {
        large_content(dir.path(), titles[1 - current]);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let jitter = (seed % 1000) as f64 / 1000.0;
        let at = full.mul_f64((f64::from(i) + jitter) / f64::from(rounds - 1));
        let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
            .args(["--lang", "en"])
            .args(["build", "--content", content.to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = tree(&out);
        if now == trees[current] {
            outcomes[0] += 1;
        } else if now == trees[1 - current] {
            outcomes[1] += 1;
            current = 1 - current;
        } else {
            panic!("after a kill at {at:?} the output is neither the old nor the new tree");
        }
    }
    eprintln!(
        "kills: {} left the old tree, {} the new",
        outcomes[0], outcomes[1]
    );
    // The next build cleans up after the killed ones.
    large_content(dir.path(), titles[1 - current]);
    let o = build(&content, &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(tree(&out), trees[1 - current]);
    assert_no_leftovers(dir.path());
}

#[test]
fn two_concurrent_builds_into_one_folder_are_serialised() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let content = large_content(dir.path(), "丙");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_site-gen"))
            .args(["--lang", "en"])
            .args(["build", "--content", content.to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    let reference = dir.path().join("reference");
    assert_eq!(code(&build(&content, &reference)), 0);
    assert_eq!(tree(&out), tree(&reference));
    assert_no_leftovers(dir.path());
}
