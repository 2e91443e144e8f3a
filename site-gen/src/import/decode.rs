//! The text of a CSV file as Excel and WPS save it in China: UTF-8 (with or without a
//! BOM), UTF-16 ("Unicode text", with a BOM or recognisable by its zero bytes), or
//! GBK/GB18030 (the default "CSV" of a Chinese Windows). Nothing is replaced: bytes that
//! none of these read are an error, never U+FFFD.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};
use wasm_forms::io::TextEncoding;

/// An encoding as named in notes.
pub fn name(enc: TextEncoding) -> &'static str {
    match enc {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Utf16Le => "UTF-16LE",
        TextEncoding::Utf16Be => "UTF-16BE",
        TextEncoding::Gb18030 => "GBK/GB18030",
    }
}

/// Decodes `bytes` in the encoding the engine's one rule finds
/// ([`TextEncoding::detect`], the rule of the form pages too); the error says what was
/// tried, or where a file mixing two encodings changes.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), String> {
    let enc = TextEncoding::detect(bytes).map_err(|m| {
        format!(
            "lines 1-{} are UTF-8 but line {} (byte {}) is not: the file mixes two encodings (UTF-8 rows and rows in another, such as GBK); save the whole file again from Excel or WPS as CSV UTF-8 or as .xlsx",
            m.line - 1,
            m.line,
            m.byte
        )
    })?;
    match enc {
        TextEncoding::Utf8 => utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
        TextEncoding::Utf16Le => utf16(
            bytes.strip_prefix(b"\xFF\xFE").unwrap_or(bytes),
            UTF_16LE,
            TextEncoding::Utf16Le,
        ),
        TextEncoding::Utf16Be => utf16(
            bytes.strip_prefix(b"\xFE\xFF").unwrap_or(bytes),
            UTF_16BE,
            TextEncoding::Utf16Be,
        ),
        TextEncoding::Gb18030 => {
            match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(s) if !s.contains('\0') => Ok((s.into_owned(), TextEncoding::Gb18030)),
                _ => Err(
                    "the text is neither UTF-8, UTF-16 nor GBK/GB18030: save it from Excel or WPS as \
                     CSV (any of these) or as .xlsx"
                        .to_string(),
                ),
            }
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<(String, TextEncoding), String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), TextEncoding::Utf8)),
        Err(e) => Err(format!(
            "the file starts with a UTF-8 byte order mark but byte {} is not UTF-8",
            e.valid_up_to() + 3
        )),
    }
}

fn utf16(
    bytes: &[u8],
    enc: &'static Encoding,
    cs: TextEncoding,
) -> Result<(String, TextEncoding), String> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), cs)),
        None => Err(format!(
            "the file looks like {} but is not valid {}",
            name(cs),
            name(cs)
        )),
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
        assert_eq!(decode(&b).unwrap(), (TEXT.to_string(), TextEncoding::Utf8));
        assert_eq!(
            decode(TEXT.as_bytes()).unwrap(),
            (TEXT.to_string(), TextEncoding::Utf8)
        );
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let b = enc(TEXT, encoding_rs::GBK);
        assert!(std::str::from_utf8(&b).is_err());
        assert_eq!(
            decode(&b).unwrap(),
            (TEXT.to_string(), TextEncoding::Gb18030)
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        assert_eq!(
            decode(&utf16le(TEXT, true)).unwrap(),
            (TEXT.to_string(), TextEncoding::Utf16Le)
        );
        assert_eq!(
            decode(&utf16le(TEXT, false)).unwrap(),
            (TEXT.to_string(), TextEncoding::Utf16Le)
        );
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(
            decode(&be).unwrap(),
            (TEXT.to_string(), TextEncoding::Utf16Be)
        );
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
        assert_eq!(decode(&b).unwrap().1, TextEncoding::Gb18030);
    }

    #[test]
    fn bytes_of_no_known_encoding_are_an_error() {
        let e = decode(&[0x81, 0x20, 0xFF, 0xFF]).unwrap_err();
        assert!(e.contains("GBK/GB18030"), "{e}");
    }
}
