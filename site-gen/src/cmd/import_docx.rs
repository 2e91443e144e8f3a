//! The command: `site-gen import notice.docx [--slug SLUG] [--dry-run] [--force]`, and the
//! plan table of a .docx for `site-gen import FILE.docx --notice SLUG --list ID`.
//!
//! The whole site is validated with the new notice before anything touches the disk; a
//! place that cannot be read, or a notice the site would refuse, writes nothing (exit
//! 1). An existing notice is replaced only with `--force`; a site whose only notice is
//! `site-gen init`'s untouched skeleton has it replaced, and the output says so. Each
//! file is written beside its place and renamed over it.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::content::{self, load::SourceFile};
use crate::fsx;
use crate::import::docx::notice::{self, Found};
use crate::import::docx::{out, read_package, say, slug};
use crate::import::Imported;

#[derive(Debug, Clone)]
pub struct NoticeArgs {
    pub file: PathBuf,
    pub content: PathBuf,
    pub slug: Option<String>,
    pub dry_run: bool,
    pub force: bool,
}

fn read_body(file: &Path, shown: &str) -> Result<crate::import::docx::xml::Body, Failure> {
    if !file.is_file() {
        return Err(Failure::Io(say(
            format!("{shown}：没有这个文件"),
            format!("{shown}: no such file"),
        )));
    }
    let bytes = fsx::read(file)?;
    read_package(&bytes, file, &crate::import::read::limits())
        .map_err(|e| Failure::Import(format!("{}\n{}", e.message(shown), nothing_written())))
}

fn nothing_written() -> String {
    say("没有写入任何文件。".into(), "nothing written".into())
}

fn problems(shown: &str, found: &[Found]) -> Failure {
    let mut s: String = found.iter().map(|f| f.render(shown) + "\n").collect();
    s.push_str(&say(
        format!("{shown} 有 {} 处无法读取：没有写入任何文件。", found.len()),
        match found.len() {
            1 => format!("1 place of {shown} could not be read: nothing written"),
            n => format!("{n} places of {shown} could not be read: nothing written"),
        },
    ));
    Failure::Import(s)
}

/// The plan table of a .docx for `--notice SLUG --list ID`: the table named by `--sheet`
/// (`表2`), or the one table with a header row. Returns it and its notes, rendered.
pub fn list_table(
    file: &Path,
    shown: &str,
    sheet: Option<&str>,
) -> Result<(Imported, Vec<String>), Failure> {
    let body = read_body(file, shown)?;
    let tables = notice::plan_tables(&body, shown).map_err(|e| problems(shown, &e))?;
    let chosen = match sheet {
        Some(name) => {
            let want = name
                .trim_start_matches("表")
                .trim_start_matches("table")
                .trim();
            tables.into_iter().find(|(n, _)| n.to_string() == want)
        }
        None if tables.len() > 1 => {
            let names: Vec<String> = tables.iter().map(|(n, _)| format!("表{n}")).collect();
            return Err(Failure::Usage(say(
                format!(
                    "{shown} 中有 {} 个项目表格（{}）：用 --sheet 表N 选一个",
                    tables.len(),
                    names.join("、")
                ),
                format!(
                    "{shown} holds {} plan tables ({}): choose one with --sheet 表N",
                    tables.len(),
                    names.join(", ")
                ),
            )));
        }
        None => tables.into_iter().next(),
    };
    let Some((n, imported)) = chosen else {
        return Err(Failure::Import(say(
            format!("{shown}：没有找到项目表格：表格的表头行应有“高研班名称”和“举办单位”两列（可在标题行下面）。没有写入任何文件。"),
            format!("{shown}: no plan table found: expected a table whose header row holds the columns 高研班名称 and 举办单位 (below any title rows); nothing written"),
        )));
    };
    let mut notes: Vec<String> = notice::cleaning_notes(&body)
        .iter()
        .map(|f| f.render(shown))
        .collect();
    notes.extend(
        notice::table_notes(n, &imported)
            .iter()
            .map(|f| f.render(shown)),
    );
    Ok((imported, notes))
}

/// Whether `f` is `site-gen init`'s notice skeleton as it was made: its texts still the
/// placeholders, no rules, its list without programs.
fn untouched_skeleton(f: &SourceFile) -> bool {
    let Ok(v) = toml::from_str::<toml::Value>(&f.text) else {
        return false;
    };
    let placeholder = |k: &str| {
        v.get(k).and_then(|x| x.as_str()).is_some_and(|s| {
            s.trim_start()
                .starts_with(crate::content::starter::PLACEHOLDER)
        })
    };
    let lists_empty = v
        .get("lists")
        .and_then(|l| l.as_array())
        .is_some_and(|a| a.iter().all(|l| l.get("programs").is_none()));
    ["title", "doc_number", "issuer", "region", "body"]
        .iter()
        .all(|k| placeholder(k))
        && v.get("rules").is_none()
        && lists_empty
}

/// Returns the summary printed on success (with `--dry-run`, the files as they would be
/// written).
pub fn import_notice(args: &NoticeArgs) -> Result<String, Failure> {
    let shown = args.file.display().to_string();
    let body = read_body(&args.file, &shown)?;
    let raw = content::load(&args.content)?;
    let (draft, mut notes) = notice::read(&body, &shown).map_err(|e| problems(&shown, &e))?;

    let slug = notice_slug(args.slug.as_deref(), &draft, &site_readings(&raw))?;
    let paths = NoticePaths::new(&args.content, &slug);
    refuse_overwrite(&raw, &slug, &paths, args.force)?;
    let skeleton = (raw.notices.len() == 1
        && raw.notices[0].stem() != slug
        && untouched_skeleton(&raw.notices[0]))
    .then(|| raw.notices[0].path.clone());

    let forms: Vec<(String, String)> = raw
        .forms
        .iter()
        .filter_map(|f| crate::content::starter::form_title(&f.text).map(|t| (f.stem(), t)))
        .collect();
    let region = slug::place(&draft.issuer);
    let files = out::render(&draft, &shown, &paths.md_name, region.as_deref(), &forms)
        .map_err(|e| problems(&shown, &e))?;
    validate_with(&raw, &slug, skeleton.as_deref(), &paths, &files, &shown)?;

    let mut s = summary(&slug, &draft, &files);
    if region.is_none() {
        notes.push(Found {
            place: notice::Where::Document,
            message: say(
                "从发文机关看不出地区：region 留了待填写的提示".into(),
                "the issuer names no region: region holds a placeholder to fill in".into(),
            ),
        });
    }
    for n in &notes {
        s.push_str(&say(
            format!("注意：{}\n", n.render(&shown)),
            format!("note: {}\n", n.render(&shown)),
        ));
    }
    if let Some(sk) = &skeleton {
        s.push_str(&skeleton_replaced(sk, args.dry_run));
    }
    if args.dry_run {
        s.push_str(&format!("--- {} ---\n{}", paths.toml.display(), files.toml));
        s.push_str(&format!(
            "--- {} ---\n{}",
            paths.md.display(),
            files.markdown
        ));
        s.push_str(&say(
            "试运行：没有写入任何文件".into(),
            "dry run: nothing written".into(),
        ));
        return Ok(s);
    }
    fsx::create_dir_all(&paths.dir)?;
    fsx::replace(&paths.md, files.markdown.as_bytes())?;
    fsx::replace(&paths.toml, files.toml.as_bytes())?;
    if let Some(sk) = &skeleton {
        std::fs::remove_file(sk).map_err(|e| Failure::Io(format!("{}: {e}", sk.display())))?;
    }
    s.push_str(&say(
        format!("已写入 {} 和 {}", paths.toml.display(), paths.md_name),
        format!("wrote {} and {}", paths.toml.display(), paths.md_name),
    ));
    Ok(s)
}

/// The readings of place names `site.toml` gives (`[readings]`), for a default slug.
fn site_readings(raw: &content::Raw) -> Vec<(String, String)> {
    raw.site
        .as_ref()
        .and_then(|s| toml::from_str::<toml::Value>(&s.text).ok())
        .and_then(|v| v.get("readings").and_then(|r| r.as_table()).cloned())
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The notice's name: `--slug`, else the issuer's place and the year (`wenzhou-2020`).
fn notice_slug(
    given: Option<&str>,
    draft: &notice::Draft,
    readings: &[(String, String)],
) -> Result<String, Failure> {
    let year = chrono::Datelike::year(&draft.date);
    match given {
        Some(s) if crate::content::validate::is_slug(s) => Ok(s.to_string()),
        Some(s) => Err(Failure::Usage(say(
            format!("--slug {s}：只用小写字母、数字和 -，如 wenzhou-2020"),
            format!("--slug {s}: expected lowercase letters, digits and -, such as wenzhou-2020"),
        ))),
        None => slug::default_slug(&draft.issuer, year, readings).ok_or_else(|| {
            Failure::Usage(say(
                format!("从发文机关“{}”看不出城市或省份，无法取默认的文件名：请用 --slug 指定，如 --slug hangzhou-{year}", draft.issuer),
                format!("the issuer “{}” names no city or province to name the notice by: give one with --slug, such as --slug hangzhou-{year}", draft.issuer),
            ))
        }),
    }
}

/// Where the notice's files go: `notices/SLUG.toml` and its body `notices/SLUG.md`.
struct NoticePaths {
    dir: PathBuf,
    toml: PathBuf,
    md_name: String,
    md: PathBuf,
}

impl NoticePaths {
    fn new(content: &Path, slug: &str) -> Self {
        let dir = content.join("notices");
        let md_name = format!("{slug}.md");
        NoticePaths {
            toml: dir.join(format!("{slug}.toml")),
            md: dir.join(&md_name),
            md_name,
            dir,
        }
    }
}

/// An existing notice (or body) of that name is replaced only with `--force`.
fn refuse_overwrite(
    raw: &content::Raw,
    slug: &str,
    paths: &NoticePaths,
    force: bool,
) -> Result<(), Failure> {
    let exists = raw.notices.iter().any(|f| f.stem() == slug) || paths.toml.exists();
    if (exists || paths.md.exists()) && !force {
        let which = if exists { &paths.toml } else { &paths.md };
        return Err(Failure::Usage(say(
            format!("{} 已经存在，没有覆盖：要用导入的内容替换它，加 --force；要另存为新的通知，用 --slug 另取名字", which.display()),
            format!("{} exists and was not overwritten: add --force to replace it with the import, or --slug NAME to write another notice", which.display()),
        )));
    }
    Ok(())
}

/// The site as it would be with the new notice (in place of one of that name and of an
/// untouched skeleton), checked before anything is written. The document is blamed only
/// for the errors its notice brings: an error the rest of the content had already (the
/// site checked without the new notice) is said to be there before the import, naming
/// its files.
fn validate_with(
    raw: &content::Raw,
    slug: &str,
    skeleton: Option<&Path>,
    paths: &NoticePaths,
    files: &out::Files,
    shown: &str,
) -> Result<(), Failure> {
    let mut kept = raw.clone();
    kept.notices
        .retain(|f| f.stem() != slug && Some(f.path.as_path()) != skeleton);
    kept.bodies.retain(|f| f.path != paths.md);
    let mut new_raw = kept.clone();
    new_raw.notices.push(SourceFile {
        path: paths.toml.clone(),
        text: files.toml.clone(),
    });
    new_raw.bodies.push(SourceFile {
        path: paths.md.clone(),
        text: files.markdown.clone(),
    });
    let Err(d) = content::validate(&new_raw) else {
        return Ok(());
    };
    let before = content::validate(&kept).err().unwrap_or_default();
    Err(super::blame::refused(
        d,
        &before,
        |x| x.path == paths.toml || x.path == paths.md,
        shown,
        &say(
            format!("从 {shown} 读出的通知会使上面的内容出错：没有写入任何文件。"),
            format!("the notice read from {shown} would make the content above invalid: nothing written"),
        ),
    ))
}

/// What was read: the notice's 文号, date, issuer and title, its body's paragraphs,
/// what each 附件 became, and the rule numbers found.
fn summary(slug: &str, draft: &notice::Draft, files: &out::Files) -> String {
    let mut s = String::new();
    s.push_str(&say(
        format!(
            "{slug}：{} {}，{}，{}\n  标题：{}\n",
            draft.doc_number,
            draft.date,
            draft.issuer,
            draft.publication.as_deref().unwrap_or("未写公开方式"),
            draft.title
        ),
        format!(
            "{slug}: {} {}, {}, {}\n  title: {}\n",
            draft.doc_number,
            draft.date,
            draft.issuer,
            draft.publication.as_deref().unwrap_or("no 公开方式"),
            draft.title
        ),
    ));
    let paras = files
        .markdown
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .count();
    let heads = files
        .markdown
        .split("\n\n")
        .filter(|p| p.starts_with('#'))
        .count();
    s.push_str(&say(
        format!("  正文：{paras} 段，其中 {heads} 个标题\n"),
        format!("  body: {paras} paragraphs, {heads} of them headings\n"),
    ));
    for (n, title, target) in &files.attached {
        let what = attached_as(target, draft, files);
        s.push_str(&format!("  附件{n} {title} → {what}\n"));
    }
    if !draft.rules.is_empty() {
        s.push_str(&say(
            format!(
                "  办班要求：找到 {} 个数字，已注释写入，请核对后生效\n",
                draft.rules.len()
            ),
            format!(
                "  rules: {} numbers found, written commented out for you to confirm\n",
                draft.rules.len()
            ),
        ));
    }
    s
}

/// What an attachment became: a form, a plan list (with its programs), or nothing.
fn attached_as(target: &out::Target, draft: &notice::Draft, files: &out::Files) -> String {
    match target {
        out::Target::Form(id) => say(format!("表单 {id}"), format!("form {id}")),
        out::Target::List(id) => {
            let count = draft
                .lists
                .iter()
                .zip(&files.list_ids)
                .find(|(_, i)| *i == id)
                .map(|(l, _)| (l.imported.programs.len(), l.table));
            match count {
                Some((c, t)) => say(
                    format!("名单 {id}：{c} 个项目（表{t}）"),
                    format!("list {id}: {c} programs (table {t})"),
                ),
                None => say(
                    format!("名单 {id}：没有项目"),
                    format!("list {id}: no programs"),
                ),
            }
        }
        out::Target::None => say(
            "没有附上（见文件中的注释）".into(),
            "not attached (see the comment in the file)".into(),
        ),
    }
}

/// The line saying `site-gen init`'s untouched skeleton is (or would be) replaced.
fn skeleton_replaced(sk: &Path, dry_run: bool) -> String {
    say(
        format!(
            "{} 是 site-gen init 生成、尚未改动的通知样板：{}\n",
            sk.display(),
            if dry_run {
                "将被替换"
            } else {
                "已替换为导入的通知"
            }
        ),
        format!(
            "{} is site-gen init's untouched notice skeleton: {}\n",
            sk.display(),
            if dry_run {
                "it would be replaced"
            } else {
                "replaced by the imported notice"
            }
        ),
    )
}
