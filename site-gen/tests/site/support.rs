//! A small builder over fixture folders: copy `_base` and a case into a temporary
//! folder, optionally change files, then build (in memory) or collect diagnostics.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use std::process::{Command, Output};

use site_gen::content;
use site_gen::render::{self, Templates};

#[path = "../../examples/common/event_stream.rs"]
mod event_stream;

/// Runs the `site-gen` binary with `args` (no backtraces, so stderr is what users see).
pub fn site_gen(args: &[&str]) -> Output {
    site_gen_on(None, args)
}

/// [`site_gen`] with "today" set, for commands whose output depends on the date.
///
/// The tests of content rules read the English messages (`--lang en`); a test that
/// passes `--lang` itself, or uses [`site_gen_as_clerk`], gets the site's language.
pub fn site_gen_on(today: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_site-gen"));
    if !args.contains(&"--lang") {
        cmd.args(["--lang", "en"]);
    }
    cmd.args(args).env_remove("RUST_BACKTRACE");
    if let Some(day) = today {
        cmd.env("SITE_GEN_TODAY", day);
    }
    cmd.output().expect("site-gen runs")
}

/// `site-gen ARGS` as a clerk types it: messages in the site's language.
pub fn site_gen_as_clerk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("site-gen runs")
}

/// `site-gen --lang en serve --port 0` on the fixture's content into `<root>/dist`:
/// the running server and the `host:port` it printed first.
pub fn serve(f: &Fixture) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["--lang", "en"])
        .args(["serve", "--port", "0", "--content"])
        .arg(f.content())
        .arg("--out")
        .arg(f.root().join("dist"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("site-gen serve runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("serve prints its address");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    (child, addr)
}

/// `site-gen check --content CONTENT`.
pub fn check(content: &Path) -> Output {
    site_gen(&["check", "--content", content.to_str().unwrap()])
}

/// `site-gen build --content CONTENT --out OUT`.
pub fn build(content: &Path, out: &Path) -> Output {
    site_gen(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

/// Every file under `dir` (symlinks not followed) with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

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

    /// Saves `path` as most editors do while `serve` watches it: the new text under
    /// another name outside the watched folders, then renamed over the file, so the
    /// watcher never reads it half written (`fs::write` truncates first: a build can see
    /// the file empty, which for `site.toml` is a valid site of its own).
    pub fn save(&self, path: impl AsRef<Path>, text: impl AsRef<[u8]>) -> std::io::Result<()> {
        let staging = self.dir.path().join(".saving");
        fs::write(&staging, text)?;
        fs::rename(&staging, path)
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

/// The live-reload event stream of a running `site-gen serve` at `addr`, read event by
/// event: the chunks of the response are joined, then split at blank lines.
pub struct LiveReload(event_stream::EventStream);

impl LiveReload {
    /// Opens the stream as a page of the server would and reads its first event, the
    /// number of good builds so far (`build:<n>`), which it returns beside the stream.
    pub fn connect(addr: &str) -> (LiveReload, String) {
        let mut stream = LiveReload(event_stream::EventStream::open(addr).unwrap());
        let first = stream.next();
        assert!(first.starts_with("build:"), "{first}");
        (stream, first)
    }

    /// The data of the next event (its `data:` lines joined by line breaks); keep-alive
    /// comments are skipped, but not for more than a minute in all.
    pub fn next(&mut self) -> String {
        self.0.next().unwrap()
    }

    /// Whether no byte arrives within `wait` (shorter than the 15 s keep-alive).
    pub fn nothing_within(&mut self, wait: std::time::Duration) -> bool {
        self.0.nothing_within(wait).unwrap()
    }

    /// Waits for an `error:` naming each of `needles` and returns it. Other errors are
    /// skipped: a file saved in place (`fs::write`, as many editors do) can be read while
    /// it is still empty or half written, and that build's error comes first. A `reload`
    /// meanwhile is a failure: the broken content must never be served.
    pub fn error_naming(&mut self, needles: &[&str]) -> String {
        for _ in 0..20 {
            let msg = self.next();
            assert!(
                msg.starts_with("error:"),
                "a build error was expected: {msg}"
            );
            if needles.iter().all(|n| msg.contains(n)) {
                return msg;
            }
        }
        panic!("no build error naming {needles:?}");
    }

    /// Waits for `reload` (an `error:` while a file is half written may come first).
    pub fn reload(&mut self) {
        for _ in 0..20 {
            if self.next() == "reload" {
                return;
            }
        }
        panic!("no reload message");
    }
}

/// The lines of `output` (run on a Chinese site) that still hold a common English word
/// of the messages: words are runs of ASCII letters between spaces, Chinese characters
/// and punctuation, so paths (`/tmp/.tmpOr3x/a.toml`), keys (`phones`) and the lines
/// that show a file's own text (`12 | …`) are not words.
pub fn english_left(output: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "expected", "must", "or", "and", "holds", "cannot", "could", "not", "is", "the", "should",
        "which", "too", "more", "found", "missing", "invalid", "unknown", "write", "written", "of",
        "file", "files",
    ];
    output
        .lines()
        .filter(|line| {
            let shown = line
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit());
            !shown.trim_start().starts_with('|')
        })
        .filter(|line| {
            line.split(|c: char| c.is_whitespace() || !c.is_ascii())
                .map(|t| t.trim_matches(|c: char| c.is_ascii_punctuation()))
                .any(|t| {
                    !t.is_empty()
                        && t.chars().all(|c| c.is_ascii_alphabetic())
                        && WORDS.contains(&t.to_ascii_lowercase().as_str())
                })
        })
        .map(str::to_string)
        .collect()
}
