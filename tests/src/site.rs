//! The site under test: the real `site-gen` binary and a `dist/` it built.
//!
//! Integration tests cannot name another package's binary (`CARGO_BIN_EXE_*` only covers
//! their own package), so the harness builds it itself: `$CARGO build -p site-gen --bin
//! site-gen` with the profile and target folder of the running test executable. Under
//! `cargo test --workspace` the binary is already fresh and this is a no-op check; a
//! lone `cargo test -p site-tests` builds it once. `SITE_GEN_BIN=<path>` skips the build.
//! The dist is built once per test executable into `<target>/site-tests/<exe>/dist`.

use crate::{workspace_root, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Path of the `site-gen` binary, built on first use (once per process).
pub fn site_gen_bin() -> Result<PathBuf> {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BIN.get_or_init(|| build_site_gen().map_err(|e| e.to_string()))
        .clone()
        .map_err(Into::into)
}

/// The `dist/` folder built by the real `site-gen build` (once per process).
pub fn dist() -> Result<PathBuf> {
    static DIST: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIST.get_or_init(|| build_dist().map_err(|e| e.to_string()))
        .clone()
        .map_err(Into::into)
}

/// Runs `site-gen` with `args` in the workspace root and returns its output.
pub fn run_site_gen(args: &[&str]) -> Result<Output> {
    let bin = site_gen_bin()?;
    Command::new(&bin)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()).into())
}

/// `(target folder, profile folder)` of the running executable, e.g.
/// `(/w/target, /w/target/debug)`.
fn target_layout() -> Result<(PathBuf, PathBuf)> {
    let exe = std::env::current_exe()?;
    let mut dir = exe
        .parent()
        .ok_or("executable has no folder")?
        .to_path_buf();
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().ok_or("deps has no parent")?.to_path_buf();
    }
    let target = dir
        .parent()
        .ok_or("profile folder has no parent")?
        .to_path_buf();
    Ok((target, dir))
}

fn build_site_gen() -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os("SITE_GEN_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let (target, profile_dir) = target_layout()?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(other) => other.to_string(),
    };
    let cargo = std::env::var("CARGO")
        .ok()
        .or_else(|| option_env!("CARGO").map(String::from))
        .unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .current_dir(workspace_root())
        .args(["build", "-p", "site-gen", "--bin", "site-gen", "--profile"])
        .arg(&profile)
        .arg("--target-dir")
        .arg(&target)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo build -p site-gen` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let bin = profile_dir.join(format!("site-gen{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        return Err(format!("site-gen was built but {} is missing", bin.display()).into());
    }
    Ok(bin)
}

/// `target/site-tests/<name of this test binary><suffix>`: a folder of this process's.
fn scratch(suffix: &str) -> Result<PathBuf> {
    let (target, _) = target_layout()?;
    let exe = std::env::current_exe()?;
    let stem = exe
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("site-tests")
        .to_string();
    Ok(target.join("site-tests").join(format!("{stem}{suffix}")))
}

/// `site-gen build --content CONTENT --out OUT`, or an error with what it printed.
fn build_into(content: &Path, out: &Path, what: &str) -> Result<()> {
    let o = run_site_gen(&[
        "build",
        "--content",
        path_str(content)?,
        "--out",
        path_str(out)?,
    ])?;
    if !o.status.success() {
        return Err(format!(
            "`site-gen build`{what} failed ({}):\n{}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
        .into());
    }
    Ok(())
}

fn build_dist() -> Result<PathBuf> {
    let base = scratch("")?;
    let dist = base.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&base).map_err(|e| format!("{}: {e}", base.display()))?;
    build_into(&workspace_root().join("content"), &dist, "")?;
    if !dist.join("index.html").is_file() {
        return Err(format!("`site-gen build` wrote no {}/index.html", dist.display()).into());
    }
    Ok(dist)
}

/// A path as `&str`, or an error naming it.
pub fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| format!("path is not UTF-8: {}", path.display()).into())
}

/// The real `content/` built with `base_url` set to `https://www.example.gov.cn/<sub>/`
/// into `<root>/<sub>/` (once per process and sub-path): serve `<root>` to have the site
/// under `/<sub>/`, as on a government site's sub-folder.
pub fn dist_under(sub: &str) -> Result<PathBuf> {
    // Built once per test process: tests running at once share it, none builds into a
    // folder another is reading.
    static BUILT: std::sync::Mutex<std::collections::BTreeMap<String, PathBuf>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(root) = built.get(sub) {
        return Ok(root.clone());
    }
    let root = build_under(sub)?;
    built.insert(sub.to_string(), root.clone());
    Ok(root)
}

fn build_under(sub: &str) -> Result<PathBuf> {
    let base = scratch(&format!("-under-{sub}"))?;
    if base.exists() {
        std::fs::remove_dir_all(&base).map_err(|e| format!("{}: {e}", base.display()))?;
    }
    let content = base.join("content");
    copy_dir(&workspace_root().join("content"), &content)?;
    let site_toml = content.join("site.toml");
    let text = std::fs::read_to_string(&site_toml)?;
    let text: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("base_url") {
                format!("base_url = \"https://www.example.gov.cn/{sub}/\"")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&site_toml, text)?;
    let root = base.join("root");
    std::fs::create_dir_all(&root)?;
    build_into(&content, &root.join(sub), &format!(" under /{sub}/"))?;
    Ok(root)
}

/// Copies the folder `from` into `to` (created), e.g. a built site that a test changes.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
