//! A small builder over fixture folders: copy `_base` and a case into a temporary
//! folder, optionally change files, then build (in memory) or collect diagnostics.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use site_gen::content;
use site_gen::render::{self, Templates};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// `_base` overlaid with `fixtures/<case>`.
    pub fn new(case: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("_base"), dir.path());
        copy_dir(&fixtures().join(case), dir.path());
        Fixture { dir }
    }

    /// Writes (or replaces) a file under the fixture's root.
    pub fn file(self, rel: &str, text: &str) -> Self {
        let p = self.dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self) -> Result<Built, content::Diagnostics> {
        let raw = content::load(&self.content()).expect("content folder readable");
        let templates = Templates::load(Templates::override_dir_for(&self.content()).as_deref())
            .expect("templates load");
        let site = content::validate(&raw)?;
        let files = render::render(&site, &templates).expect("templates render");
        Ok(Built {
            files: files.into_iter().map(|f| (f.path, f.bytes)).collect(),
        })
    }

    pub fn build(&self) -> Built {
        match self.run() {
            Ok(b) => b,
            Err(d) => panic!("expected a valid site, got:\n{d}"),
        }
    }

    /// The diagnostics, with the temporary folder's path replaced by `<root>`.
    pub fn errors(&self) -> (content::Diagnostics, String) {
        match self.run() {
            Ok(_) => panic!("expected content errors"),
            Err(d) => {
                let text = d
                    .to_string()
                    .replace(&self.root().display().to_string(), "<root>");
                (d, text)
            }
        }
    }
}

pub struct Built {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Built {
    pub fn text(&self, path: &str) -> String {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in {:?}", self.files.keys().collect::<Vec<_>>()));
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// The `<main …>…</main>` element of a page.
    pub fn main(&self, path: &str) -> String {
        main_of(&self.text(path))
    }
}

pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    html[start..end].to_string()
}
