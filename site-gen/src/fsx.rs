//! Filesystem calls that name their path in every error.
//!
//! No bare `std::fs` elsewhere in the crate: every read, write, rename and removal goes
//! through here so that an error message always says which file or folder failed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O error together with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn wrap<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> FsError + 'a {
    move |source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The most any one file read may hold: far above any notice, schema or response file
/// (a 20,000-row roster is about 6 MB), low enough that `/dev/zero` or a mistaken
/// disk image stops at once with a message instead of filling the memory.
/// The engine's [`wasm_forms::limits::MAX_FILE_BYTES`], the form pages' limit too.
pub const MAX_READ: u64 = wasm_forms::limits::MAX_FILE_BYTES;

/// Reads at most [`MAX_READ`] bytes; a longer file is an error, and so is anything that
/// is not a plain file (a FIFO would block the read, `/dev/zero` never end): it is
/// named for what it is.
pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    use io::Read;
    let file = open_plain(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_READ + 1)
        .read_to_end(&mut bytes)
        .map_err(wrap("cannot read", path))?;
    if bytes.len() as u64 > MAX_READ {
        return Err(FsError {
            action: "refusing to read",
            path: path.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "it is larger than {} MiB, the limit for one file",
                    MAX_READ / 1024 / 1024
                ),
            ),
        });
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a plain file (after symlinks). A FIFO is opened
/// without waiting for a writer, and then refused like a device or a folder.
fn open_plain(path: &Path) -> Result<fs::File, FsError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(wrap("cannot read", path))?;
    let meta = file.metadata().map_err(wrap("cannot read", path))?;
    if !meta.is_file() {
        return Err(FsError {
            action: "cannot read",
            path: path.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("it is {}, not a file: expected a file", kind_of(&meta)),
            ),
        });
    }
    Ok(file)
}

/// [`read`] as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String, FsError> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|e| FsError {
        action: "cannot read",
        path: path.to_path_buf(),
        source: io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ),
    })
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    fs::write(path, bytes).map_err(wrap("cannot write", path))
}

/// Writes `bytes` beside `path` (`.NAME.import-tmp`), then renames it over `path`: a
/// reader never sees half a file, and a failed write leaves the old one whole.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.import-tmp"));
    write(&tmp, bytes)?;
    rename(&tmp, path)
}

pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    fs::create_dir_all(path).map_err(wrap("cannot create folder", path))
}

pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    fs::rename(from, to).map_err(|source| FsError {
        action: "cannot rename",
        path: PathBuf::from(format!("{} to {}", from.display(), to.display())),
        source,
    })
}

pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    fs::remove_dir_all(path).map_err(wrap("cannot remove", path))
}

/// What a filesystem entry that is not a plain file is, for messages ("a FIFO").
pub fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.is_file() {
        "a file"
    } else {
        "not a plain file"
    }
}

/// The entries of a folder with the given extension, sorted by name. A missing folder
/// is an empty list.
pub fn list_files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, FsError> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(wrap("cannot list", dir)(e)),
    };
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(wrap("cannot list", dir))?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        // Symlinks, FIFOs and devices too, wherever they lead: the reader decides (and
        // names the file). The entry's type comes with the listing on most filesystems
        // (no call per file).
        let listed = match entry.file_type() {
            Ok(t) => !t.is_dir(),
            Err(_) => !path.is_dir(),
        };
        if listed {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
