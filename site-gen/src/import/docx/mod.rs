//! `site-gen import notice.docx`: a notice as bureaus write it in Word or WPS, into a
//! notice file of `content/`.
//!
//! One way through: [`read_package`] opens the .docx (a zip of XML) within the
//! spreadsheet reader's limits ([`crate::import::read::limits`], the zip's unpacked bytes
//! counted by [`crate::import::read::unpacked_size`]) and refuses what is not a .docx
//! (.doc, .wps, .pdf, a password-protected file) with the way to save one →
//! [`xml::read`] turns its main part into paragraphs and tables → [`notice::read`] finds
//! the notice's parts (文号, title, 主送, body, 附件 list, 落款, the attached tables) and
//! reads each plan-list table with the spreadsheet import's own [`crate::import::table`]
//! → [`out`] writes the notice's TOML and its body's Markdown. The command
//! ([`run`]) validates the site with the new notice before anything is written.

pub mod notice;
pub mod numbering;
pub mod out;
pub mod slug;
pub mod xml;

use std::io::Read as _;
use std::path::Path;

use wasm_forms::limits::{Exceeded, SheetLimits};

use crate::messages::{lang, Lang};

/// The text in the site's language.
pub(crate) fn say(zh: String, en: String) -> String {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Whether `path` names a Word, WPS or PDF file (by its extension): the files this
/// import reads or refuses with the way to save a .docx.
pub fn is_document_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|e| {
            matches!(
                e.as_str(),
                "docx" | "docm" | "dotx" | "doc" | "dot" | "wps" | "wpt" | "pdf" | "rtf"
            )
        })
}

/// What a file that is not a readable .docx is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDocx {
    /// Word 97-2003 (.doc), an OLE compound file.
    Doc,
    /// A WPS document (.wps), an OLE compound file too.
    Wps,
    Pdf,
    Rtf,
    /// A web page or Word 2003 XML saved with a Word name.
    Html,
    /// A .docx protected by a password (an OLE file holding `EncryptionInfo`), or a zip
    /// whose parts are encrypted.
    Encrypted,
    /// A spreadsheet package (.xlsx) given as a document.
    Spreadsheet,
    /// Anything else.
    Other,
}

/// Why a document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    NotDocx(NotDocx),
    /// A zip that cannot be unpacked, or a part missing or not UTF-8.
    Broken(String),
    /// Beyond the limits every reader keeps to.
    Limit(String),
    /// The main part is not well-formed XML.
    Xml {
        part: String,
        at: u64,
        message: String,
    },
}

impl DocxError {
    /// The message for `shown` (the file as typed), in the site's language.
    pub fn message(&self, shown: &str) -> String {
        let save = say(
            "请在 Word 或 WPS 中打开它，选“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入保存的 .docx 文件".to_string(),
            "open it in Word or WPS, choose File → Save As, save as type \"Word Document (*.docx)\", then import the saved .docx file".to_string(),
        );
        match self {
            DocxError::NotDocx(kind) => {
                let (zh, en) = match kind {
                    NotDocx::Doc => ("这是 Word 97-2003 文档（.doc），不能直接导入", "this is a Word 97-2003 document (.doc), which is not read"),
                    NotDocx::Wps => ("这是 WPS 文字的 .wps 文档，不能直接导入", "this is a WPS Writer document (.wps), which is not read"),
                    NotDocx::Pdf => ("这是 PDF 文件，不能导入：PDF 里没有表格和段落的结构", "this is a PDF file, which is not read: a PDF does not keep the paragraphs and tables"),
                    NotDocx::Rtf => ("这是 RTF 文件，不能直接导入", "this is an RTF file, which is not read"),
                    NotDocx::Html => ("这是网页（HTML/XML）格式的文件，不能直接导入", "this is a web page (HTML or XML) saved under a Word name, which is not read"),
                    NotDocx::Encrypted => ("文件设置了打开密码（已加密），不能读取。请先在 Word 或 WPS 中取消密码", "the file is protected by a password (encrypted) and cannot be read; remove the password in Word or WPS first"),
                    NotDocx::Spreadsheet => ("这是电子表格，不是 Word 文档。表格请用 site-gen import 表格文件 --notice 通知 --list 名单 导入", "this is a spreadsheet, not a Word document; import a spreadsheet with site-gen import FILE --notice SLUG --list ID"),
                    NotDocx::Other => ("这不是 .docx 文档", "this is not a .docx document"),
                };
                format!(
                    "{shown}: {}{}{save}",
                    say(zh.into(), en.into()),
                    say("。".into(), ": ".into())
                )
            }
            DocxError::Broken(why) => format!(
                "{shown}: {}{why}{}{save}",
                say(
                    "无法作为 .docx 读取：".into(),
                    "cannot be read as a .docx: ".into()
                ),
                say(
                    "。文件可能不完整，".into(),
                    ". The file may be incomplete; ".into()
                ),
            ),
            DocxError::Limit(why) => format!("{shown}: {why}"),
            DocxError::Xml { part, at, message } => format!(
                "{shown}: {}",
                say(
                    format!("{part} 第 {at} 字节处不是正确的 XML（{message}）。{save}"),
                    format!("{part} is not well-formed XML at byte {at} ({message}); {save}")
                )
            ),
        }
    }
}

/// What a file's first bytes say it is, when not a zip.
fn sniff(bytes: &[u8], path: &Path) -> Option<NotDocx> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return None;
    }
    if bytes.starts_with(OLE) {
        // A password-protected .docx is an OLE file with an `EncryptionInfo` stream
        // (its name in UTF-16 in the directory).
        let name: Vec<u8> = "EncryptionInfo"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            return Some(NotDocx::Encrypted);
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        return Some(match ext.as_deref() {
            Some("wps" | "wpt") => NotDocx::Wps,
            _ => NotDocx::Doc,
        });
    }
    let head = &bytes[..bytes.len().min(1024)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        .map_or(head, |i| &head[i..]);
    if start.starts_with(b"%PDF") {
        return Some(NotDocx::Pdf);
    }
    if start.starts_with(b"{\\rtf") {
        return Some(NotDocx::Rtf);
    }
    if start.starts_with(b"<") || start.starts_with(b"MIME-Version") {
        return Some(NotDocx::Html);
    }
    Some(NotDocx::Other)
}

/// Reads a part of the package in full, within `left` bytes.
fn part_text(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    left: u64,
) -> Result<Option<String>, DocxError> {
    let Some(i) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let mut f = zip
        .by_index(i)
        .map_err(|e| DocxError::Broken(format!("{name} ({e})")))?;
    let mut buf = Vec::new();
    (&mut f)
        .take(left)
        .read_to_end(&mut buf)
        .map_err(|e| DocxError::Broken(format!("{name} ({e})")))?;
    let text = String::from_utf8(buf).map_err(|_| {
        DocxError::Broken(say(
            format!("{name} 不是 UTF-8 编码"),
            format!("{name} is not UTF-8"),
        ))
    })?;
    Ok(Some(text))
}

/// The limits' message for `e`, in the site's language, naming the document.
pub fn limit_message(e: &Exceeded, limits: &SheetLimits) -> String {
    match lang() {
        Lang::Zh => e.chinese(limits),
        Lang::En => match e {
            Exceeded::Unpacked => format!(
                "the document unpacks to more than {} MiB, more than is read (a notice of this size is not a notice): check the file",
                limits.unpacked_bytes / (1024 * 1024)
            ),
            _ => e.english(limits),
        },
    }
}

/// The main part of the .docx in `bytes`, read into paragraphs and tables within
/// `limits`. `path` is only looked at for its extension (.wps or .doc). Never panics,
/// whatever the bytes.
pub fn read_package(
    bytes: &[u8],
    path: &Path,
    limits: &SheetLimits,
) -> Result<xml::Body, DocxError> {
    if let Some(kind) = sniff(bytes, path) {
        return Err(DocxError::NotDocx(kind));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        DocxError::Broken(say(
            format!("不是完整的 zip 包（{e}）"),
            format!("not a complete zip package ({e})"),
        ))
    })?;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| DocxError::Broken(format!("part {} ({e})", i + 1)))?;
        if f.encrypted() {
            return Err(DocxError::NotDocx(NotDocx::Encrypted));
        }
    }
    // Every part unpacked once, counted against the limit, before any is kept.
    crate::import::read::unpacked_size(bytes, limits, "not a readable .docx").map_err(|e| {
        if e == Exceeded::Unpacked.english(limits) {
            DocxError::Limit(limit_message(&Exceeded::Unpacked, limits))
        } else {
            DocxError::Broken(e)
        }
    })?;
    let left = limits.unpacked_bytes.saturating_add(1);
    let rels = part_text(&mut zip, "_rels/.rels", left)?.unwrap_or_default();
    let main = main_part(&rels).unwrap_or_else(|| "word/document.xml".to_string());
    let Some(xml_text) = part_text(&mut zip, &main, left)? else {
        if zip.index_for_name("xl/workbook.xml").is_some() {
            return Err(DocxError::NotDocx(NotDocx::Spreadsheet));
        }
        return Err(DocxError::NotDocx(NotDocx::Other));
    };
    let numbering = part_text(&mut zip, "word/numbering.xml", left)
        .ok()
        .flatten()
        .map(|t| numbering::parse(&t))
        .unwrap_or_default();
    let mut body = xml::read(&xml_text, limits).map_err(|e| match e {
        xml::XmlError::Syntax { at, message } => DocxError::Xml {
            part: main.clone(),
            at,
            message,
        },
        xml::XmlError::Limit(hit) => DocxError::Limit(match hit.exceeded() {
            Some(ex) => match hit {
                xml::LimitHit::Table { table, .. } => {
                    format!(
                        "{}{}",
                        say(format!("表{table}："), format!("table {table}: ")),
                        limit_message(&ex, limits)
                    )
                }
                _ => limit_message(&ex, limits),
            },
            None => say(
                format!(
                    "段落超过 {} 个，超出可导入的范围：请检查文件是否正确",
                    limits.rows
                ),
                format!(
                    "more than {} paragraphs, more than is read: check the file",
                    limits.rows
                ),
            ),
        }),
    })?;
    numbering::apply(&mut body, &numbering);
    Ok(body)
}

/// The target of the package's `officeDocument` relationship (`word/document.xml`).
fn main_part(rels: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(rels);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let mut target = None;
                let mut is_main = false;
                for a in e.attributes().with_checks(false).flatten() {
                    let v = xml::attr_value(&a);
                    match a.key.as_ref() {
                        "Type" => is_main = v.ends_with("/officeDocument"),
                        "Target" => target = Some(v),
                        _ => {}
                    }
                }
                if let (true, Some(t)) = (is_main, target) {
                    let t = t.trim_start_matches('/').to_string();
                    return (!t.is_empty() && !t.contains("..")).then_some(t);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}
