//! `site-gen build`: load → validate → render → write.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::Failure;
use crate::content::{self, ParseCache, Site};
use crate::fsx::FsError;
use crate::output;
use crate::output::precompress::Precompress;
use crate::render::{self, Options, OutputFile, Sink, Templates};

#[derive(Debug, Clone)]
pub struct BuildArgs {
    pub content: PathBuf,
    pub out: PathBuf,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub notices: usize,
    pub programs: usize,
    pub forms: usize,
    pub files: usize,
    pub out: PathBuf,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} notices, {} programs, {} forms: {} files in {} ({:.2} s)",
            self.notices,
            self.programs,
            self.forms,
            self.files,
            self.out.display(),
            self.seconds
        )
    }
}

/// Load, validate and render `content` into `sink`; returns the site and the number of
/// files. With `SITE_GEN_TIMINGS` set, prints how long each stage took.
pub fn render_site(
    content_dir: &Path,
    opts: &Options,
    sink: &dyn Sink,
) -> Result<(Site, usize), Failure> {
    render_site_since(content_dir, opts, sink, None, None)
}

/// Like [`render_site`]; with `since`, the site that `sink` already holds the output of
/// (same settings, forms, calendar and templates), only the pages of what changed are
/// rendered and the rest are [`Sink::keep`]s (see [`render::Selection`]). With `kept`,
/// files that did not change are not read again, notice files whose text it holds are
/// not parsed and checked again, and with `since` too the templates it holds are used.
pub fn render_site_since(
    content_dir: &Path,
    opts: &Options,
    sink: &dyn Sink,
    since: Option<&Site>,
    kept: Option<&Kept>,
) -> Result<(Site, usize), Failure> {
    let timings = std::env::var_os("SITE_GEN_TIMINGS").is_some();
    let t = Instant::now();
    let raw = content::load_with(content_dir, kept.map(|k| &k.loaded))?;
    let reused = kept
        .filter(|_| since.is_some())
        .and_then(|k| k.templates.lock().ok()?.clone());
    let templates = match reused {
        Some(t) => t,
        None => {
            let t = Templates::load(Templates::override_dir_for(content_dir).as_deref())?;
            // `serve` keeps them for its updates: and with them the rows they render.
            let t = Arc::new(if kept.is_some() { t.keeping_rows() } else { t });
            if let Some(mut slot) = kept.and_then(|k| k.templates.lock().ok()) {
                *slot = Some(Arc::clone(&t));
            }
            t
        }
    };
    let parsed = kept.map(|k| &k.parsed);
    let t_load = t.elapsed();
    let hwm_load = peak_rss();
    let site = content::validate_with(&raw, parsed).map_err(Failure::Content)?;
    if since.is_none() {
        let own_site = crate::content::starter::warnings(&raw, &site);
        for w in content::validate::warnings(&raw, &site)
            .into_iter()
            .chain(own_site)
        {
            eprintln!("{}", crate::messages::say(&w.to_string()));
        }
        if let Some(dir) = Templates::override_dir_for(content_dir) {
            for w in crate::render::assets::override_warnings(&dir) {
                eprintln!("{w}");
            }
        }
    }
    // static/ beside content/: read before rendering, so that its problems come at once.
    let statics = crate::output::static_dir::list(content_dir).map_err(Failure::Content)?;
    // The content's text is not needed while rendering (tens of MiB at 100,000
    // programs); it is read again only to point at output paths that clash.
    drop(raw);
    let t_validate = t.elapsed();
    let hwm_validate = peak_rss();
    let recording = Recording {
        inner: sink,
        paths: Mutex::default(),
        failed: Mutex::default(),
    };
    let selection = since.map(|old| render::Selection::between(old, &site, &templates));
    let t_select = t.elapsed();
    // The offline workers: a pass over the rendered files, written after them.
    let offline = output::offline::Pass::new(&site, &opts.root_path(&site), &recording);
    let files = render::render_selected(&site, &templates, opts, &offline, selection.as_ref())?
        + offline.finish()?;
    let t_render = t.elapsed();
    let paths = recording
        .paths
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    if !content::outpaths::check(&content::Raw::default(), &site, &paths).is_empty() {
        let raw = content::load(content_dir)?;
        return Err(Failure::Content(content::outpaths::check(
            &raw, &site, &paths,
        )));
    }
    if let Some(e) = recording
        .failed
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
    {
        return Err(e.into());
    }
    let clashes = crate::output::static_dir::clashes(&statics, &paths);
    if !clashes.is_empty() {
        return Err(Failure::Content(clashes));
    }
    crate::output::static_dir::copy(&statics, sink)?;
    let files = files + statics.len();
    if timings {
        eprintln!(
            "timings: load {:?} (peak RSS {hwm_load}), validate {:?} (peak RSS {hwm_validate}), selection {:?}, render and write {:?}, output paths checked {:?} (peak RSS {})",
            t_load,
            t_validate - t_load,
            t_select - t_validate,
            t_render - t_select,
            t.elapsed() - t_render,
            peak_rss()
        );
    }
    Ok((site, files))
}

/// What `serve` keeps from one build to the next, so that an update after an edit does
/// not redo what the edit cannot have changed.
#[derive(Default)]
pub struct Kept {
    /// The content files as read.
    pub loaded: content::LoadCache,
    /// The notice files as checked.
    pub parsed: ParseCache,
    /// The templates of the last build: an update is made only when no template changed.
    templates: Mutex<Option<Arc<Templates>>>,
}

/// Lists the paths of the files passed on to `inner`, for the checks of
/// [`content::outpaths`] after rendering. A path with a name too long for a filesystem
/// is not passed on (writing it would fail before those checks could say why).
/// A file that cannot be written does not stop rendering: the first such error is kept
/// and returned only when the paths have no clash that explains it (a page's file that
/// is another page's folder fails to be written, and [`content::outpaths`] says why,
/// naming the content).
struct Recording<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
    failed: Mutex<Option<FsError>>,
}

impl Sink for Recording<'_> {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        let too_long = file
            .path
            .split('/')
            .any(|s| s.len() > content::outpaths::MAX_SEGMENT);
        self.paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file.path.clone());
        if too_long {
            return Ok(());
        }
        if let Err(e) = self.inner.put(file) {
            self.failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
        }
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<(), FsError> {
        self.paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        self.inner.keep(path)
    }
}

/// The process's peak resident memory so far, as Linux reports it ("?" elsewhere).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

pub fn build(args: &BuildArgs) -> Result<Summary, Failure> {
    build_with(args, &Options::default())
}

pub fn build_with(args: &BuildArgs, opts: &Options) -> Result<Summary, Failure> {
    build_site(args, opts, None).map(|(summary, _)| summary)
}

/// [`build_with`], also returning the site built; with `kept`, keeps what the next
/// [`update_site`] can reuse.
pub fn build_site(
    args: &BuildArgs,
    opts: &Options,
    kept: Option<&Kept>,
) -> Result<(Summary, Site), Failure> {
    let start = Instant::now();
    guard_output(&args.content, &args.out)?;
    let (site, files) = output::write_with(&args.out, |sink| {
        let sink = Precompress::new(sink, Some(&args.out));
        render_site_since(&args.content, opts, &sink, None, kept)
    })?;
    if std::env::var_os("SITE_GEN_TIMINGS").is_some() {
        eprintln!("timings: total with the swap {:?}", start.elapsed());
    }
    Ok((summary(args, &site, files, start), site))
}

/// Brings the output of an earlier build of `since` up to date with the content, in
/// place: only the pages of notices that changed (and of the groups and lists that
/// show them) are rendered, and only files whose bytes differ are replaced (see
/// [`output::update_with`]). The settings, forms, calendar and templates must be those
/// `since` was built with; the output is then exactly what [`build_site`] writes.
pub fn update_site(
    args: &BuildArgs,
    opts: &Options,
    since: &Site,
    kept: &Kept,
) -> Result<(Summary, Site, output::Updated), Failure> {
    let start = Instant::now();
    let ((site, files), updated) = output::update_with(&args.out, |sink| {
        let sink = Precompress::new(sink, Some(&args.out));
        render_site_since(&args.content, opts, &sink, Some(since), Some(kept))
    })?;
    if std::env::var_os("SITE_GEN_TIMINGS").is_some() {
        eprintln!(
            "timings: total with the files replaced {:?}",
            start.elapsed()
        );
    }
    Ok((summary(args, &site, files, start), site, updated))
}

fn summary(args: &BuildArgs, site: &Site, files: usize, start: Instant) -> Summary {
    Summary {
        notices: site.notices.len(),
        programs: site
            .notices
            .iter()
            .flat_map(|n| &n.lists)
            .map(|l| l.programs.len())
            .sum(),
        forms: site.forms.len(),
        files,
        out: args.out.clone(),
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// The output folder is replaced whole: refuse one that holds the content (`--out .`,
/// `--out content`), and any folder that is not empty and not an earlier build's output
/// (see [`output`]).
pub(crate) fn guard_output(content: &Path, out: &Path) -> Result<(), Failure> {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|cwd| cwd.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (c, o) = (abs(content), abs(out));
    if c.starts_with(&o) || o.parent().is_none() {
        return Err(Failure::Usage(format!(
            "refusing to use {} as the output folder: it is replaced on every build and holds the content {}",
            out.display(),
            content.display()
        )));
    }
    output::preflight(out)?;
    Ok(())
}
