//! The hand-in code: one survey response as one line of ASCII text.
//!
//! A code is [`PREFIX`] followed by the unpadded base64url text of a small binary
//! payload. The prefix holds `~`, which base64url never uses, so a code can be found
//! inside any surrounding text and two codes written together split unambiguously.
//!
//! Payload (bytes):
//!
//! ```text
//! format (1) | total length, varint | form version, varint | flags (1)
//! [program: varint + UTF-8] [response id: 8 bytes when 16 lower-case hex digits,
//! else varint + UTF-8]
//! [choice presence bitmap, unless every choice is present] | choices, packed bits
//! [text presence bitmap] | string block | CRC-32 (4, little endian)
//! ```
//!
//! Choices take `ceil(log2(options))` bits each (2 for the survey's four levels). The
//! string block holds the program, a response id of another shape, the texts present
//! (or, for a response outside this layout, its whole `values` as JSON), each as a
//! varint length and its characters, in UTF-8 or UTF-16, whichever is shorter (UTF-16 for Chinese text).
//! The CRC-32 covers the layout of the form (id, version, field ids and option ids)
//! followed by the payload, so a code of another form or of a changed form fails it.
//!
//! Why a change is always caught: decoding accepts only canonical base64url (unused
//! trailing bits zero), so the number of characters fixes the number of bytes; the
//! declared length must equal it (truncation); and one changed character alters at
//! most 6 consecutive bits of a codeword of fixed length, a burst that CRC-32 always
//! detects.

use serde_json::{Map, Value};

use crate::schema::{FieldType, FormSchema};

/// Every hand-in code starts with this.
pub const PREFIX: &str = "GYB~";

/// Payload format understood by this engine.
const FORMAT: u8 = 1;

const F_PROGRAM: u8 = 1;
const F_RID: u8 = 2;
const F_RID_HEX: u8 = 4;
const F_JSON: u8 = 8;
const F_ALL_CHOICES: u8 = 16;
const F_KNOWN: u8 = 31;

/// Text block transform (first byte of the string block): UTF-16 instead of UTF-8.
const T_UTF16: u8 = 1;

/// Why a code was not accepted. Each names what is wrong in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Not starting with [`PREFIX`].
    NoPrefix,
    /// A character outside base64url, or a non-canonical last character.
    BadText,
    /// Shorter than its declared length (cut off when copied).
    Truncated { missing_chars: usize },
    /// Longer than its declared length (other text stuck to its end).
    TooLong { extra_chars: usize },
    /// An unknown payload format (altered, or made by a newer site).
    Format(u8),
    /// Checksum mismatch: altered, or a code of another form or form version.
    Checksum { version: Option<u64> },
    /// The checksum matched but the content does not fit the layout (never expected).
    Malformed(&'static str),
}

impl CodeError {
    /// The reason in Chinese, naming what to do.
    pub fn message(&self, schema_version: u32) -> String {
        match self {
            CodeError::NoPrefix => format!("不是提交码：提交码以 {PREFIX} 开头"),
            CodeError::BadText => {
                "提交码中有不该出现的字符（被改动过）：请让学员重新复制完整的提交码".into()
            }
            // Too short to hold its declared length: how much is missing is unknown.
            CodeError::Truncated { missing_chars: 0 } => {
                "提交码不完整（太短，复制时被截断）：请让学员重新复制完整的提交码".into()
            }
            CodeError::Truncated { missing_chars } => format!(
                "提交码不完整（约缺 {missing_chars} 个字符，复制时被截断）：请让学员重新复制完整的提交码"
            ),
            CodeError::TooLong { extra_chars } => format!(
                "提交码末尾多出 {extra_chars} 个字符（可能和后面的文字连在了一起，或被改动过）：请在提交码后加空格或换行后重试"
            ),
            CodeError::Format(f) => format!(
                "提交码格式编号为 {f}，本站只认得 {FORMAT}：提交码被改动过，或来自更新版本的网站"
            ),
            CodeError::Checksum { version: Some(v) } if *v != u64::from(schema_version) => format!(
                "校验不符：这是第 {v} 版问卷的提交码（本页为第 {schema_version} 版），或提交码被改动过"
            ),
            CodeError::Checksum { .. } => {
                "校验不符：提交码被改动过，或不是本问卷的提交码；请让学员重新复制完整的提交码".into()
            }
            CodeError::Malformed(what) => format!("提交码内容无法读取（{what}）"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The layout of a form: what the compact payload holds, in order.

enum Slot<'a> {
    Choice { id: &'a str, options: Vec<&'a str> },
    Text { id: &'a str },
}

struct Layout<'a> {
    choices: Vec<Slot<'a>>,
    texts: Vec<Slot<'a>>,
    fingerprint: Vec<u8>,
}

fn bits_for(n: usize) -> u32 {
    let mut b = 1;
    while (1usize << b) < n {
        b += 1;
    }
    b
}

impl<'a> Layout<'a> {
    fn of(schema: &'a FormSchema) -> Self {
        let mut choices = Vec::new();
        let mut texts = Vec::new();
        let mut fp = Vec::new();
        fp.extend_from_slice(schema.id.as_bytes());
        fp.push(0);
        fp.extend_from_slice(schema.version.to_string().as_bytes());
        for s in &schema.sections {
            for f in &s.fields {
                match f.kind {
                    FieldType::Choice => {
                        let opts = if f.options.is_empty() {
                            &s.matrix
                        } else {
                            &f.options
                        };
                        let options: Vec<&str> = opts.iter().map(|o| o.id.as_str()).collect();
                        fp.push(1);
                        fp.extend_from_slice(f.id.as_bytes());
                        for o in &options {
                            fp.push(2);
                            fp.extend_from_slice(o.as_bytes());
                        }
                        choices.push(Slot::Choice { id: &f.id, options });
                    }
                    FieldType::Text => {
                        fp.push(3);
                        fp.extend_from_slice(f.id.as_bytes());
                        texts.push(Slot::Text { id: &f.id });
                    }
                    _ => {
                        // Other kinds travel in JSON mode; they still shape the layout.
                        fp.push(4);
                        fp.extend_from_slice(f.id.as_bytes());
                    }
                }
            }
        }
        Layout {
            choices,
            texts,
            fingerprint: fp,
        }
    }

    /// Whether `values` fits the compact layout exactly.
    fn fits(&self, values: &Map<String, Value>) -> bool {
        values.iter().all(|(k, v)| {
            self.choices.iter().any(|s| match s {
                Slot::Choice { id, options } => {
                    *id == k && v.as_str().is_some_and(|x| options.contains(&x))
                }
                Slot::Text { .. } => false,
            }) || self.texts.iter().any(|s| match s {
                Slot::Text { id } => *id == k && v.is_string(),
                Slot::Choice { .. } => false,
            })
        })
    }
}

// ---------------------------------------------------------------------------------------
// Primitives: varints, bits, CRC-32, base64url.

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'b> Reader<'b> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn rest(&mut self) -> &'b [u8] {
        let s = self.bytes.get(self.pos..).unwrap_or(&[]);
        self.pos = self.bytes.len();
        s
    }
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    used: u32,
}

impl BitWriter {
    fn push(&mut self, value: u32, bits: u32) {
        for i in 0..bits {
            if self.used.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                if let Some(last) = self.bytes.last_mut() {
                    *last |= 1 << (self.used % 8);
                }
            }
            self.used += 1;
        }
    }
}

struct BitReader<'b> {
    bytes: &'b [u8],
    used: usize,
}

impl BitReader<'_> {
    fn take(&mut self, bits: u32) -> Option<u32> {
        let mut v = 0;
        for i in 0..bits {
            let byte = self.bytes.get(self.used / 8)?;
            if byte >> (self.used % 8) & 1 == 1 {
                v |= 1 << i;
            }
            self.used += 1;
        }
        Some(v)
    }
}

/// The codes' check: [`crate::crc32`]'s CRC-32.
pub use crate::crc32::crc32;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Whether `c` belongs to a code's body (base64url).
pub fn is_body_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Unpadded base64url (RFC 4648 §5).
pub fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(B64[idx as usize]));
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u32> {
    B64.iter().position(|&x| x == c).map(|p| p as u32)
}

/// Strict unpadded base64url: only the alphabet, no length of 1 mod 4, unused bits of
/// the last character zero. `None` otherwise.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let t = text.as_bytes();
    if t.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    for chunk in t.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= b64_value(c)? << (18 - 6 * i);
        }
        let bytes = chunk.len() - 1;
        let unused_mask = match bytes {
            3 => 0,
            2 => 0xff,
            _ => 0xffff,
        };
        if n & unused_mask != 0 {
            return None;
        }
        for i in 0..bytes {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// The string block.

fn strings_raw(strings: &[&str], utf16: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        if utf16 {
            let units: Vec<u16> = s.encode_utf16().collect();
            put_varint(&mut out, units.len() as u64);
            for u in units {
                out.extend_from_slice(&u.to_le_bytes());
            }
        } else {
            put_varint(&mut out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

/// The shorter of UTF-8 and UTF-16, with its transform byte first. (Deflate was
/// measured and left out: on Chinese comments raw UTF-16 is shorter, and the compressor
/// would cost the survey page about 10 KB of gzipped wasm.)
fn string_block(strings: &[&str]) -> Vec<u8> {
    let utf8 = strings_raw(strings, false);
    let utf16 = strings_raw(strings, true);
    let (t, body) = if utf16.len() < utf8.len() {
        (T_UTF16, utf16)
    } else {
        (0, utf8)
    };
    let mut block = Vec::with_capacity(body.len() + 1);
    block.push(t);
    block.extend_from_slice(&body);
    block
}

fn raw_string(r: &mut Reader<'_>) -> Result<String, CodeError> {
    let n = usize::try_from(r.varint().ok_or(CodeError::Malformed("文字长度"))?)
        .map_err(|_| CodeError::Malformed("文字长度"))?;
    let bytes = r.take(n).ok_or(CodeError::Malformed("文字被截断"))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| CodeError::Malformed("UTF-8 文字"))
}

fn read_strings(block: &[u8], count: usize) -> Result<Vec<String>, CodeError> {
    let Some((&t, body)) = block.split_first() else {
        return if count == 0 {
            Ok(Vec::new())
        } else {
            Err(CodeError::Malformed("缺少文字部分"))
        };
    };
    if t & !T_UTF16 != 0 {
        return Err(CodeError::Malformed("未知的文字编码"));
    }
    let raw = body;
    let mut r = Reader { bytes: raw, pos: 0 };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let n = usize::try_from(r.varint().ok_or(CodeError::Malformed("文字长度"))?)
            .map_err(|_| CodeError::Malformed("文字长度"))?;
        let s = if t & T_UTF16 != 0 {
            let bytes = r
                .take(n.checked_mul(2).ok_or(CodeError::Malformed("文字长度"))?)
                .ok_or(CodeError::Malformed("文字被截断"))?;
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16(&units).map_err(|_| CodeError::Malformed("UTF-16 文字"))?
        } else {
            let bytes = r.take(n).ok_or(CodeError::Malformed("文字被截断"))?;
            String::from_utf8(bytes.to_vec()).map_err(|_| CodeError::Malformed("UTF-8 文字"))?
        };
        out.push(s);
    }
    if r.pos != raw.len() {
        return Err(CodeError::Malformed("文字部分后有多余内容"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Encode and decode.

fn is_hex_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..8)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The hand-in code of a response `{form, version, values, program?, response_id?}`.
/// `form` and `version` are the schema's (the response is expected to have been
/// validated against it); `program` and `response_id` are kept when they are strings.
pub fn encode(schema: &FormSchema, response: &Value) -> String {
    let layout = Layout::of(schema);
    let empty = Map::new();
    let values = response
        .get("values")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let program = response.get("program").and_then(Value::as_str);
    let rid = response.get("response_id").and_then(Value::as_str);

    let mut flags = 0u8;
    let mut body = Vec::new();
    let mut strings: Vec<&str> = Vec::new();
    // The program and the response id are short ASCII: raw UTF-8, before the texts.
    if let Some(p) = program {
        flags |= F_PROGRAM;
        body.extend_from_slice(&strings_raw(&[p], false));
    }
    match rid {
        Some(r) if is_hex_id(r) => {
            flags |= F_RID | F_RID_HEX;
            body.extend_from_slice(&hex_bytes(r));
        }
        Some(r) => {
            flags |= F_RID;
            body.extend_from_slice(&strings_raw(&[r], false));
        }
        None => {}
    }
    let json;
    if layout.fits(values) {
        let present: Vec<Option<u32>> = layout
            .choices
            .iter()
            .map(|s| match s {
                Slot::Choice { id, options } => values
                    .get(*id)
                    .and_then(Value::as_str)
                    .and_then(|v| options.iter().position(|o| *o == v))
                    .map(|p| p as u32),
                Slot::Text { .. } => None,
            })
            .collect();
        let mut bits = BitWriter::default();
        if present.iter().all(Option::is_some) {
            flags |= F_ALL_CHOICES;
        } else {
            for p in &present {
                bits.push(u32::from(p.is_some()), 1);
            }
        }
        for (slot, p) in layout.choices.iter().zip(&present) {
            if let (Slot::Choice { options, .. }, Some(v)) = (slot, p) {
                bits.push(*v, bits_for(options.len()));
            }
        }
        for slot in &layout.texts {
            if let Slot::Text { id } = slot {
                let v = values.get(*id).and_then(Value::as_str);
                bits.push(u32::from(v.is_some()), 1);
                if let Some(v) = v {
                    strings.push(v);
                }
            }
        }
        body.extend_from_slice(&bits.bytes);
    } else {
        flags |= F_JSON;
        json = serde_json::to_string(values).unwrap_or_default();
        strings.push(&json);
    }
    body.extend_from_slice(&string_block(&strings));

    let mut head = vec![FORMAT];
    let mut version = Vec::new();
    put_varint(&mut version, u64::from(schema.version));
    // Total length = format + length varint + version + flags + body + crc; the varint's
    // own size depends on the total, so grow it until it is stable.
    let fixed = 1 + version.len() + 1 + body.len() + 4;
    let mut len_bytes = 1;
    loop {
        let mut v = Vec::new();
        put_varint(&mut v, (fixed + len_bytes) as u64);
        if v.len() == len_bytes {
            head.extend_from_slice(&v);
            break;
        }
        len_bytes = v.len();
    }
    head.extend_from_slice(&version);
    head.push(flags);
    head.extend_from_slice(&body);
    let crc = crc32(&[&layout.fingerprint, &head]);
    head.extend_from_slice(&crc.to_le_bytes());
    format!("{PREFIX}{}", b64_encode(&head))
}

/// Reads a code back into `{form, version, values, program?, response_id?}`, or says
/// why it cannot be trusted. Never panics, whatever the text.
pub fn decode(schema: &FormSchema, code: &str) -> Result<Value, CodeError> {
    let body_text = code.strip_prefix(PREFIX).ok_or(CodeError::NoPrefix)?;
    if !body_text.chars().all(is_body_char) {
        return Err(CodeError::BadText);
    }
    // The declared length sits in the first bytes: read it from the first whole groups
    // of four characters, so that a cut-off code is reported as such.
    let head_chars = body_text.len().min(8) / 4 * 4;
    let declared = b64_decode(&body_text[..head_chars]).and_then(|b| {
        let mut r = Reader { bytes: &b, pos: 0 };
        (r.byte()? == FORMAT).then_some(())?;
        r.varint()
    });
    if let Some(total) = declared.and_then(|t| usize::try_from(t).ok()) {
        let want_chars = total.saturating_mul(8).div_ceil(6);
        if body_text.len() < want_chars {
            return Err(CodeError::Truncated {
                missing_chars: want_chars - body_text.len(),
            });
        }
        if body_text.len() > want_chars {
            return Err(CodeError::TooLong {
                extra_chars: body_text.len() - want_chars,
            });
        }
    }
    let bytes = b64_decode(body_text).ok_or(CodeError::BadText)?;
    match bytes.first() {
        None => return Err(CodeError::Truncated { missing_chars: 0 }),
        Some(&f) if f != FORMAT => return Err(CodeError::Format(f)),
        Some(_) => {}
    }
    if declared.is_none() || bytes.len() < 8 {
        return Err(CodeError::Truncated { missing_chars: 0 });
    }
    let (data, crc) = bytes.split_at(bytes.len() - 4);
    let layout = Layout::of(schema);
    let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    let mut r = Reader {
        bytes: data,
        pos: 0,
    };
    let _ = r.byte();
    let _ = r.varint();
    let version = r.varint();
    if crc32(&[&layout.fingerprint, data]) != stored {
        return Err(CodeError::Checksum { version });
    }
    let flags = r.byte().ok_or(CodeError::Malformed("缺少标志"))?;
    if flags & !F_KNOWN != 0 {
        return Err(CodeError::Malformed("未知的标志"));
    }
    let mut out = Map::new();
    out.insert("form".into(), Value::String(schema.id.clone()));
    out.insert("version".into(), Value::from(schema.version));
    if flags & F_PROGRAM != 0 {
        out.insert("program".into(), Value::String(raw_string(&mut r)?));
    }
    if flags & F_RID_HEX != 0 {
        let id = hex_string(r.take(8).ok_or(CodeError::Malformed("编号被截断"))?);
        out.insert("response_id".into(), Value::String(id));
    } else if flags & F_RID != 0 {
        out.insert("response_id".into(), Value::String(raw_string(&mut r)?));
    }
    let mut values = Map::new();
    let mut text_ids = Vec::new();
    let mut n_strings = 0;
    if flags & F_JSON == 0 {
        let rest = r.rest();
        let mut bits = BitReader {
            bytes: rest,
            used: 0,
        };
        let all = flags & F_ALL_CHOICES != 0;
        let mut present = Vec::with_capacity(layout.choices.len());
        for _ in &layout.choices {
            present.push(all || bits.take(1).ok_or(CodeError::Malformed("选项被截断"))? == 1);
        }
        for (slot, p) in layout.choices.iter().zip(present) {
            if let (Slot::Choice { id, options }, true) = (slot, p) {
                let v = bits
                    .take(bits_for(options.len()))
                    .ok_or(CodeError::Malformed("选项被截断"))?;
                let o = options
                    .get(v as usize)
                    .ok_or(CodeError::Malformed("选项超出范围"))?;
                values.insert((*id).to_owned(), Value::String((*o).to_owned()));
            }
        }
        for slot in &layout.texts {
            if let Slot::Text { id } = slot {
                if bits.take(1).ok_or(CodeError::Malformed("文字标志被截断"))? == 1 {
                    text_ids.push(*id);
                }
            }
        }
        n_strings += text_ids.len();
        let block = rest.get(bits.used.div_ceil(8)..).unwrap_or(&[]);
        r = Reader {
            bytes: block,
            pos: 0,
        };
    } else {
        n_strings += 1;
    }
    let strings = read_strings(r.rest(), n_strings)?;
    let mut it = strings.into_iter();
    if flags & F_JSON != 0 {
        let json = it.next().unwrap_or_default();
        // Read as a Value: a typed read of the map would link serde's error texts (and
        // with them core::fmt's float printing) into the browser bundles.
        values = match serde_json::from_str::<Value>(&json) {
            Ok(Value::Object(m)) => m,
            _ => return Err(CodeError::Malformed("JSON 内容")),
        };
    } else {
        for (id, s) in text_ids.into_iter().zip(it) {
            values.insert(id.to_owned(), Value::String(s));
        }
    }
    out.insert("values".into(), Value::Object(values));
    Ok(Value::Object(out))
}
