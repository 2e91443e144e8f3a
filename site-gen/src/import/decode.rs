//! The text of a CSV file as Excel and WPS save it in China: UTF-8 (with or without a
//! BOM), UTF-16 ("Unicode text", with a BOM or recognisable by its zero bytes), or
//! GBK/GB18030 (the default "CSV" of a Chinese Windows). Nothing is replaced: bytes that
//! none of these read are an error, never U+FFFD.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// The encodings a CSV may be in, as named in notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Charset {
    pub fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Utf16Le => "UTF-16LE",
            Charset::Utf16Be => "UTF-16BE",
            Charset::Gb18030 => "GBK/GB18030",
        }
    }
}

/// Decodes `bytes`; the error says what was tried.
pub fn decode(bytes: &[u8]) -> Result<(String, Charset), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, UTF_16LE, Charset::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, UTF_16BE, Charset::Utf16Be);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if !s.contains('\0') {
            return Ok((s.to_string(), Charset::Utf8));
        }
    }
    if let Some(cs) = utf16_without_bom(bytes) {
        let enc = if cs == Charset::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        return utf16(bytes, enc, cs);
    }
    if let Some(e) = mixed_utf8(bytes) {
        return Err(e);
    }
    match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) if !s.contains('\0') => Ok((s.into_owned(), Charset::Gb18030)),
        _ => Err(
            "the text is neither UTF-8, UTF-16 nor GBK/GB18030: save it from Excel or WPS as \
             CSV (any of these) or as .xlsx"
                .to_string(),
        ),
    }
}

/// Text that is UTF-8 for whole lines holding Chinese (or other non-ASCII) characters
/// and then is not: two encodings in one file (a UTF-8 header pasted above rows saved
/// in GBK). Read as GBK, the UTF-8 lines would become mojibake; an error says where the
/// second encoding starts. (Whole lines of GBK Chinese are practically never UTF-8.)
fn mixed_utf8(bytes: &[u8]) -> Option<String> {
    let bad = std::str::from_utf8(bytes).err()?.valid_up_to();
    let good = &bytes[..bad];
    let last_line_end = good.iter().rposition(|&b| b == b'\n')?;
    if !good[..last_line_end].iter().any(|&b| b >= 0x80) {
        return None;
    }
    let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
    Some(format!(
        "lines 1-{} are UTF-8 but line {line} (byte {}) is not: the file mixes two encodings (UTF-8 rows and rows in another, such as GBK); save the whole file again from Excel or WPS as CSV UTF-8 or as .xlsx",
        line - 1,
        bad + 1
    ))
}

fn utf8(bytes: &[u8]) -> Result<(String, Charset), String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Charset::Utf8)),
        Err(e) => Err(format!(
            "the file starts with a UTF-8 byte order mark but byte {} is not UTF-8",
            e.valid_up_to() + 3
        )),
    }
}

fn utf16(bytes: &[u8], enc: &'static Encoding, cs: Charset) -> Result<(String, Charset), String> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), cs)),
        None => Err(format!(
            "the file looks like {} but is not valid {}",
            cs.name(),
            cs.name()
        )),
    }
}

/// UTF-16 without a byte order mark: text of this kind (ASCII digits, commas, line ends,
/// and CJK characters) has zero bytes on one side in most of its code units.
fn utf16_without_bom(bytes: &[u8]) -> Option<Charset> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        if pair[0] == 0 {
            even += 1;
        }
        if pair[1] == 0 {
            odd += 1;
        }
    }
    // ASCII in UTF-16LE is `x 00`; at least a fifth of the units being ASCII and no
    // zero byte on the other side is far beyond what GBK or UTF-8 text holds.
    if odd * 5 >= units && even == 0 {
        Some(Charset::Utf16Le)
    } else if even * 5 >= units && odd == 0 {
        Some(Charset::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str, e: &'static Encoding) -> Vec<u8> {
        e.encode(s).0.into_owned()
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    const TEXT: &str = "序号,高研班名称,举办单位\r\n1,温州市智慧物流,浙江工贸职业技术学院\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&b).unwrap(), (TEXT.to_string(), Charset::Utf8));
        assert_eq!(
            decode(TEXT.as_bytes()).unwrap(),
            (TEXT.to_string(), Charset::Utf8)
        );
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let b = enc(TEXT, encoding_rs::GBK);
        assert!(std::str::from_utf8(&b).is_err());
        assert_eq!(decode(&b).unwrap(), (TEXT.to_string(), Charset::Gb18030));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        assert_eq!(
            decode(&utf16le(TEXT, true)).unwrap(),
            (TEXT.to_string(), Charset::Utf16Le)
        );
        assert_eq!(
            decode(&utf16le(TEXT, false)).unwrap(),
            (TEXT.to_string(), Charset::Utf16Le)
        );
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), (TEXT.to_string(), Charset::Utf16Be));
    }

    #[test]
    fn a_utf8_header_above_gbk_rows_is_an_error_not_mojibake() {
        let mut b = "序号,高研班名称,举办单位\r\n".as_bytes().to_vec();
        b.extend(enc(
            "1,温州市智慧物流,浙江工贸职业技术学院\r\n",
            encoding_rs::GBK,
        ));
        let e = decode(&b).unwrap_err();
        assert!(e.starts_with("lines 1-1 are UTF-8 but line 2"), "{e}");
        // GBK throughout is still read.
        let b = enc(TEXT, encoding_rs::GBK);
        assert_eq!(decode(&b).unwrap().1, Charset::Gb18030);
    }

    #[test]
    fn bytes_of_no_known_encoding_are_an_error() {
        let e = decode(&[0x81, 0x20, 0xFF, 0xFF]).unwrap_err();
        assert!(e.contains("GBK/GB18030"), "{e}");
    }
}
