//! Where a notice's `[[lists.programs]]` tables are, found with the TOML lexer and
//! without a document tree: the import rewrites and checks a notice of 50,000 programs
//! table by table ([`super::write`]).
//!
//! A program's table is the text from the end of the line before its comments (the
//! blank and comment lines above its header, as `toml_edit` keeps them with the table)
//! to the end of its last key's line: the file is these tables and the rest, end to end.
//! A file this does not describe plainly (a header with spaces or quoted keys, a
//! program's own `[lists.programs.…]` table, `lists` given as a key, a byte-order mark)
//! gives `None`, and the caller works on the whole document as before.

use std::ops::Range;

use toml_parser::lexer::{Token, TokenKind};
use toml_parser::Source;

/// The program tables of a notice file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each program's table: the `[[lists]]` entry it belongs to (0-based, in the
    /// file's order) and its byte range, in the file's order.
    pub tables: Vec<(usize, Range<usize>)>,
    /// How many `[[lists]]` headers the file has.
    pub lists: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    /// `[[lists]]`
    List,
    /// `[[lists.programs]]`
    Program,
    /// Anything else this handles: `[lists.rules]` and other tables of the last list,
    /// and tables outside `lists`.
    Other,
}

/// The program tables of `text`, or `None` when the file is not plainly laid out.
pub fn layout(text: &str) -> Option<Layout> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let source = Source::new(text);
    let mut tokens = source.lex();
    // (kind, where its table starts: the end of the last line before its comments).
    let mut headers: Vec<(Header, usize)> = Vec::new();
    let mut content_end = 0;
    let mut lists = 0;
    while let Some(t) = tokens.next() {
        match t.kind() {
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment => {}
            TokenKind::Eof => break,
            TokenKind::LeftSquareBracket => {
                let (header, end) = header(text, &mut tokens, lists)?;
                if header == Header::List {
                    lists += 1;
                }
                headers.push((header, content_end));
                content_end = end;
            }
            kind => {
                // A key outside any table named `lists` (or a quoted key there).
                if headers.is_empty() {
                    let key = text.get(t.span().start()..t.span().end()).unwrap_or("");
                    if kind != TokenKind::Atom || key == "lists" {
                        return None;
                    }
                }
                content_end = key_value_end(text, &mut tokens)?;
            }
        }
    }
    let mut tables = Vec::new();
    let mut list = 0;
    for (i, &(kind, start)) in headers.iter().enumerate() {
        match kind {
            Header::List => list += 1,
            Header::Program => {
                let end = headers.get(i + 1).map_or(content_end, |&(_, s)| s);
                tables.push((list - 1, start..end));
            }
            Header::Other => {}
        }
    }
    Some(Layout { tables, lists })
}

/// The rest of a header line after its `[`: what it is, and where its line ends.
fn header(
    text: &str,
    tokens: &mut impl Iterator<Item = Token>,
    lists: usize,
) -> Option<(Header, usize)> {
    let mut array = false;
    let mut key = String::new();
    let mut first = true;
    loop {
        let t = tokens.next()?;
        match t.kind() {
            TokenKind::LeftSquareBracket if first => array = true,
            TokenKind::Atom => key.push_str(text.get(t.span().start()..t.span().end())?),
            TokenKind::Dot => key.push('.'),
            TokenKind::RightSquareBracket => break,
            // Spaces or a quoted key in a header: not handled here.
            _ => return None,
        }
        first = false;
    }
    if array && tokens.next()?.kind() != TokenKind::RightSquareBracket {
        return None;
    }
    // Spaces and a comment may end the line.
    let end = loop {
        let t = tokens.next()?;
        match t.kind() {
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Newline => break t.span().end(),
            TokenKind::Eof => break text.len(),
            _ => return None,
        }
    };
    let parts: Vec<&str> = key.split('.').collect();
    let kind = match (array, parts.as_slice()) {
        (true, ["lists"]) => Header::List,
        (true, ["lists", "programs"]) if lists > 0 => Header::Program,
        (false, ["lists", sub, ..]) if *sub != "programs" && !sub.is_empty() && lists > 0 => {
            Header::Other
        }
        (_, ["lists", ..]) => return None,
        (_, parts) if parts.iter().any(|p| p.is_empty()) => return None,
        _ => Header::Other,
    };
    Some((kind, end))
}

/// Where a key's line ends (past its value, which may span lines).
fn key_value_end(text: &str, tokens: &mut impl Iterator<Item = Token>) -> Option<usize> {
    let mut depth = 0usize;
    for t in tokens {
        match t.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.checked_sub(1)?;
            }
            TokenKind::Newline if depth == 0 => return Some(t.span().end()),
            TokenKind::Eof => return Some(text.len()),
            _ => {}
        }
    }
    Some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_start_at_their_comments_and_end_at_their_last_line() {
        let text = "title = \"t\"\n\n[[lists]]\nid = \"a\"\n\n# about x\n[[lists.programs]]\nname = \"x\"\ndescription = \"\"\"\n[[lists.programs]]\nname = \"y\"\n\"\"\"\n\n[lists.rules]\nn = 1\n[[lists.programs]] # y\nname = \"y\"\nc = [\n  1, # one\n\n  2,\n]\n\n# end\n[[lists]]\nid = \"b\"\n[[lists.programs]]\nname = \"z\"";
        let l = layout(text).unwrap();
        assert_eq!(l.lists, 2);
        let parts: Vec<(usize, &str)> = l
            .tables
            .iter()
            .map(|(i, r)| (*i, &text[r.clone()]))
            .collect();
        assert_eq!(
            parts,
            [
                (0, "\n# about x\n[[lists.programs]]\nname = \"x\"\ndescription = \"\"\"\n[[lists.programs]]\nname = \"y\"\n\"\"\"\n"),
                (0, "[[lists.programs]] # y\nname = \"y\"\nc = [\n  1, # one\n\n  2,\n]\n"),
                (1, "[[lists.programs]]\nname = \"z\""),
            ]
        );
    }

    #[test]
    fn odd_files_are_left_to_the_whole_document() {
        for text in [
            "\u{feff}[[lists]]\n",
            "lists = []\n",
            "\"lists\" = []\n",
            "[[ lists ]]\n",
            "[[\"lists\".programs]]\n",
            "[[lists]]\n[[lists.programs]]\n[lists.programs.x]\n",
            "[[lists]]\n[[lists.other]]\n",
            "[[lists.programs]]\n[[lists]]\n",
            "[lists]\n",
            "[[lists]]\n[a.]\n",
            "[[lists]]\n[[lists.programs]] x\n",
            "[[lists]]\nid = ]\n",
        ] {
            assert_eq!(layout(text), None, "{text:?}");
        }
    }
}
