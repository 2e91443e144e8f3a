//! The site's search (shared/spec/search.md): a static index under `dist/search/`, built
//! from the model while the pages render, and read by `assets/search.js` in the page.
//!
//! What it finds is exact: a query word matches a document when, after [`fold`], it is a
//! substring of one of the document's fields. Each document's own fields (a program's
//! name, organizer, category, funding, contacts' names and phones; a notice's body text)
//! go into posting lists, sharded by a hash of the gram ([`shard_of`]) so that a query
//! fetches only the shards its grams need: for each character, the documents holding
//! it; for each bigram, every place it occurs (document, field, position). A word of one
//! character is its list; a longer one is found where its bigrams occur one after the
//! other in the same field: the places of its first bigram that each next bigram
//! continues. That is exactly where the word is, so nothing is found that does not hold
//! it and nothing that holds it is missed, and no document text is read to find it
//! (`d/N.json`, the stored documents, are read only to show the results). The fields shared by many documents (the notice's 文号, title and issuer,
//! the plan list's title) are not posted per document: they are in `meta.json`, which a
//! query always loads, and match the documents they belong to as ranges of ids.
//!
//! [`query`] is the same algorithm as the page's, in Rust, over the same files; the tests
//! compare it with a brute-force scan.

pub mod query;

/// The search page's path.
pub const PAGE: &str = urls::SEARCH;

use std::collections::HashMap;

use serde_json::json;

use crate::content::model::{Reading, Site};
use crate::render::page::OutputFile;
use crate::urls;

/// Folds a text for matching: full-width forms (U+FF01–U+FF5E) to their half-width
/// ASCII, the ideographic space to a space, and Latin capitals (ASCII and Latin-1) to
/// small letters. Every character maps to exactly one character of the same UTF-16
/// length, so positions in the folded text are positions in the original (the page
/// highlights with them). `assets/search.js` has the same function.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            fold_char(half)
        }
        '\u{3000}' => ' ',
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{C0}'..='\u{DE}' if c != '\u{D7}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        _ => c,
    }
}

/// [`fold_char`] over a text.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// The words of a query: folded, split at white space, empty ones dropped.
pub fn words(q: &str) -> Vec<String> {
    fold(q).split_whitespace().map(str::to_string).collect()
}

/// A document's shard of posting lists: FNV-1a (32 bits) over the gram's UTF-16 code
/// units, modulo the number of shards (a power of two).
pub fn shard_of(gram: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in gram.encode_utf16() {
        h ^= u32::from(u);
        h = h.wrapping_mul(0x0100_0193);
    }
    h & (shards - 1)
}

/// What the index is made of: the notices in the site's order, each with its lists and
/// programs. Built from the model by [`Corpus::of`]; tests build their own.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub notices: Vec<NoticeDoc>,
    /// `[readings]` of site.toml, for the 按拼音 group ([`pinyin_fields`]).
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone, Default)]
pub struct NoticeDoc {
    /// Site path without its leading `/` (`notices/x/`).
    pub url: String,
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    /// The body as plain text.
    pub body: String,
    pub lists: Vec<ListDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct ListDoc {
    pub title: String,
    pub programs: Vec<ProgramDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct ProgramDoc {
    pub url: String,
    pub name: String,
    pub organizer: String,
    pub category: String,
    pub funding: String,
    /// Each contact's name and phone numbers.
    pub contacts: Vec<(String, Vec<String>)>,
}

impl ProgramDoc {
    /// The fields posted and verified, in the order of the stored record.
    pub fn fields(&self) -> Vec<&str> {
        let mut f = vec![
            self.name.as_str(),
            &self.organizer,
            &self.category,
            &self.funding,
        ];
        for (name, phones) in &self.contacts {
            f.push(name);
            f.extend(phones.iter().map(String::as_str));
        }
        f
    }
}

impl Corpus {
    /// The searchable text of `site`.
    pub fn of(site: &Site) -> Corpus {
        let notices = site
            .notices
            .iter()
            .map(|n| NoticeDoc {
                url: urls::notice(&n.slug)[1..].to_string(),
                title: n.title.clone(),
                doc_number: n.doc_number.clone(),
                issuer: n.issuer.clone(),
                body: plain_text(&n.body),
                lists: n
                    .lists
                    .iter()
                    .map(|l| ListDoc {
                        title: l.title.clone(),
                        programs: l
                            .programs
                            .iter()
                            .enumerate()
                            .map(|(i, p)| ProgramDoc {
                                url: urls::program(&n.slug, &l.id, i + 1)[1..].to_string(),
                                name: p.name.clone(),
                                organizer: p.organizer.clone(),
                                category: p.category.clone().unwrap_or_default(),
                                funding: p.funding.clone().unwrap_or_default(),
                                contacts: p
                                    .contacts
                                    .iter()
                                    .map(|c| (c.name.clone(), c.phones.clone()))
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Corpus {
            notices,
            readings: site.config.readings.clone(),
        }
    }
}

/// The pinyin of `text` as the 按拼音 group matches it: its syllables' initials
/// (`wzdx` for 温州大学) and the syllables joined (`wenzhoudaxue`), read as the pinyin
/// order reads names (`[readings]` included).
pub fn pinyin_fields(text: &str, readings: &[Reading]) -> [String; 2] {
    let mut initials = String::with_capacity(text.len() / 3 + 1);
    let mut full = String::with_capacity(text.len() * 2);
    crate::render::order::each_syllable(text, readings, |s| {
        initials.extend(s.chars().next());
        full.push_str(s);
    });
    [initials, full]
}

/// Markdown as the text a reader sees: text and code, blocks on lines of their own.
pub fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new_ext(md, crate::content::links::options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Raw bytes of the posting lists aimed at per gram shard; the number of shards is the
/// smallest power of two that keeps shards about this size.
const SHARD_BYTES: usize = 24 * 1024;
/// Raw bytes above which a gram's posting list is a file of its own.
const HEAVY_BYTES: usize = 8 * 1024;
/// Raw bytes of stored programs aimed at per shard of `d/`: small, since the first
/// results shown (100, in id order) may each be in a shard of their own.
const PROGRAM_SHARD_BYTES: usize = 4 * 1024;
/// Raw bytes of stored notice bodies aimed at per shard of `n/`.
const DOC_SHARD_BYTES: usize = 16 * 1024;

/// A gram as a key: one or two characters.
fn gram_key(a: char, b: Option<char>) -> u64 {
    (u64::from(a as u32) << 32) | b.map_or(0xFFFF_FFFF, |b| u64::from(b as u32))
}

/// Writes the text of gram `k` into `s` (cleared first).
fn key_text(k: u64, s: &mut String) {
    s.clear();
    s.push(char::from_u32((k >> 32) as u32).unwrap_or('\u{FFFD}'));
    if k & 0xFFFF_FFFF != 0xFFFF_FFFF {
        s.push(char::from_u32((k & 0xFFFF_FFFF) as u32).unwrap_or('\u{FFFD}'));
    }
}

/// A number that orders grams as their texts order (a character before the bigrams
/// it starts): the first character, then none (0) or the second plus one.
fn text_order(k: u64) -> u64 {
    let low = k & 0xFFFF_FFFF;
    (k & !0xFFFF_FFFF) | if low == 0xFFFF_FFFF { 0 } else { low + 1 }
}

/// A hash map for the index's tables: their keys are the site's own text, and the
/// output is sorted, so a fast hash that no one can attack is enough.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The posting lists being built: per character the documents (ascending, once each),
/// per bigram its places as (document, field, position in characters), ascending.
#[derive(Default)]
struct Postings {
    unigrams: Map<u64, Vec<u32>>,
    bigrams: Map<u64, Vec<[u32; 3]>>,
}

impl Postings {
    /// Posts the fields of document `id` (ids come in ascending order); white space
    /// breaks grams.
    fn add(&mut self, id: u32, fields: &[&str]) {
        for (f, field) in fields.iter().enumerate() {
            let mut prev: Option<char> = None;
            for (p, c) in field.chars().map(fold_char).enumerate() {
                if c.is_whitespace() {
                    prev = None;
                    continue;
                }
                let docs = self.unigrams.entry(gram_key(c, None)).or_default();
                if docs.last() != Some(&id) {
                    docs.push(id);
                }
                if let Some(a) = prev {
                    self.bigrams.entry(gram_key(a, Some(c))).or_default().push([
                        id,
                        f as u32,
                        p as u32 - 1,
                    ]);
                }
                prev = Some(c);
            }
        }
    }
}

impl Postings {
    /// Appends the numbers of gram `k`'s list to `out` as JSON text, without brackets.
    fn encode(&self, k: u64, out: &mut String) {
        if let Some(ids) = self.unigrams.get(&k) {
            let mut last = 0;
            for (n, id) in ids.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                push_num(out, id - last);
                last = *id;
            }
        } else if let Some(places) = self.bigrams.get(&k) {
            write_places(out, places);
        }
    }

    /// Writes the lists as `search/{dir}/N.json`, one JSON object a shard
    /// (`{"a": [docs…], "ab": [places…]}`); returns the number of shards. A list longer
    /// than [`HEAVY_BYTES`] is a file of its own, `search/{dir}/hM.json` (the list
    /// alone), named in its shard by its number (`{"ab": M}`): a query reads the long
    /// lists it needs and no other.
    fn write(&self, dir: &str, files: &mut Vec<OutputFile>) -> u32 {
        // Every list encoded once, into one text, in the order of the grams' texts.
        let mut keys: Vec<u64> = self
            .unigrams
            .keys()
            .chain(self.bigrams.keys())
            .copied()
            .collect();
        keys.sort_unstable_by_key(|&k| text_order(k));
        let places: usize = self.bigrams.values().map(Vec::len).sum();
        let mut text = String::with_capacity(places * 8 + keys.len() * 4);
        let mut ends = Vec::with_capacity(keys.len());
        let mut g = String::new();
        let mut light = 0;
        for &k in &keys {
            let start = text.len();
            self.encode(k, &mut text);
            ends.push(text.len());
            if text.len() - start <= HEAVY_BYTES {
                key_text(k, &mut g);
                light += g.len() + text.len() - start + 6;
            }
        }
        let shards = (light / SHARD_BYTES + 1).next_power_of_two().min(4096) as u32;
        let mut by_shard: Vec<String> = (0..shards)
            .map(|_| {
                let mut s = String::with_capacity(light / shards as usize * 9 / 8 + 16);
                s.push('{');
                s
            })
            .collect();
        let mut heavy = 0u32;
        let mut start = 0;
        for (&k, &end) in keys.iter().zip(&ends) {
            let list = &text[start..end];
            start = end;
            key_text(k, &mut g);
            let out = &mut by_shard[shard_of(&g, shards) as usize];
            if out.len() > 1 {
                out.push(',');
            }
            push_json_str(out, &g);
            out.push(':');
            if list.len() > HEAVY_BYTES {
                push_num(out, heavy);
                let mut file = String::with_capacity(list.len() + 2);
                file.push('[');
                file.push_str(list);
                file.push(']');
                files.push(OutputFile::new(format!("search/{dir}/h{heavy}.json"), file));
                heavy += 1;
            } else {
                out.push('[');
                out.push_str(list);
                out.push(']');
            }
        }
        for (i, mut out) in by_shard.into_iter().enumerate() {
            out.push('}');
            files.push(OutputFile::new(format!("search/{dir}/{i}.json"), out));
        }
        shards
    }
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it: `"`, `\` and the
/// control characters below U+0020 (`\n`, `\t`… or `\u00XX`), nothing else.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + 1;
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        } else {
            out.push_str(esc);
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// Appends `n` in decimal.
fn push_num(out: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// A bigram's places as JSON numbers: per place the document's difference from the
/// previous place's (0: the same document), the field and the position.
fn write_places(out: &mut String, places: &[[u32; 3]]) {
    let mut last = 0;
    for (k, [d, f, p]) in places.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_num(out, d - last);
        out.push(',');
        push_num(out, *f);
        out.push(',');
        push_num(out, *p);
        last = *d;
    }
}

/// Program shards being written (`search/d/K.json`): consecutive documents, about
/// PROGRAM_SHARD_BYTES each, written straight into the shard's text.
struct DocShards {
    files: Vec<OutputFile>,
    /// The id of each shard's first document.
    starts: Vec<u32>,
    cur: String,
    next: u32,
}

impl DocShards {
    /// Starts the next document; returns the text to write its JSON into.
    fn open(&mut self) -> &mut String {
        if self.cur.is_empty() {
            self.starts.push(self.next);
            self.cur.reserve(PROGRAM_SHARD_BYTES * 5 / 4);
            self.cur.push('[');
        } else {
            self.cur.push(',');
        }
        self.next += 1;
        &mut self.cur
    }

    /// Ends the document opened last: its shard is written once it is full.
    fn close(&mut self) {
        if self.cur.len() >= PROGRAM_SHARD_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.cur.push(']');
            let k = self.starts.len() - 1;
            self.files.push(OutputFile::new(
                format!("search/d/{k}.json"),
                std::mem::take(&mut self.cur),
            ));
        }
    }
}

/// The index files of `corpus`, paths under `dist/` (`search/meta.json`,
/// `search/g/N.json`, `search/d/N.json`).
pub fn build<'c>(corpus: &'c Corpus) -> Vec<OutputFile> {
    let mut postings = Postings::default();
    // The stored documents, in id order, written into their shards as they come.
    let mut docs = DocShards {
        files: Vec::new(),
        starts: Vec::new(),
        cur: String::new(),
        next: 0,
    };
    // Each notice's stored body, in notice order.
    let mut bodies: Vec<String> = Vec::with_capacity(corpus.notices.len());
    let mut notices_meta = Vec::new();
    let mut pinyin = Postings::default();
    // Organizers repeat from program to program: each text is read once.
    let mut read: Map<&str, [String; 2]> = Map::default();
    let mut add_py = |pinyin: &mut Postings, id: u32, texts: &[&'c str]| {
        for t in texts {
            read.entry(*t)
                .or_insert_with(|| pinyin_fields(t, &corpus.readings));
        }
        let fields: Vec<&str> = texts
            .iter()
            .flat_map(|t| read[t].iter().map(String::as_str))
            .collect();
        pinyin.add(id, &fields);
    };
    for n in &corpus.notices {
        let nid = docs.next;
        postings.add(nid, &[&n.body]);
        add_py(&mut pinyin, nid, &[&n.title]);
        // The notice's body is stored apart (n/K.json), so that a list of notices never
        // reads the programs' shards; its place among the documents holds 0.
        docs.open().push('0');
        docs.close();
        let mut body = String::with_capacity(n.body.len() + 16);
        body.push_str("{\"b\":");
        push_json_str(&mut body, &n.body);
        body.push('}');
        bodies.push(body);
        let mut lists = Vec::new();
        for l in &n.lists {
            let first = docs.next;
            for p in &l.programs {
                let id = docs.next;
                postings.add(id, &p.fields());
                add_py(&mut pinyin, id, &[&p.name, &p.organizer]);
                write_program(docs.open(), p);
                docs.close();
            }
            lists.push(json!([l.title, first, docs.next]));
        }
        notices_meta.push(json!([
            nid,
            n.url,
            n.title,
            n.doc_number,
            n.issuer,
            lists,
            docs.next
        ]));
    }
    docs.flush();

    let mut files = Vec::with_capacity(docs.files.len() + 64);
    let shards = postings.write("g", &mut files);
    drop(postings);
    let pinyin_shards = pinyin.write("p", &mut files);
    drop(pinyin);
    let total = docs.next;
    let starts = std::mem::take(&mut docs.starts);
    files.append(&mut docs.files);
    let body_starts = write_shards(&bodies, "n", &mut files);
    let meta = json!({
        "v": 1,
        "grams": shards,
        "pinyin": pinyin_shards,
        "docs": starts,
        "bodies": body_starts,
        "total": total,
        "notices": notices_meta,
    });
    files.push(OutputFile::new("search/meta.json", meta.to_string()));
    files
}

/// Writes `records` (JSON texts) as `search/{dir}/K.json`, consecutive records about
/// DOC_SHARD_BYTES a shard; returns the index of each shard's first record.
fn write_shards(records: &[String], dir: &str, files: &mut Vec<OutputFile>) -> Vec<u32> {
    let mut starts = Vec::new();
    let mut cur = String::new();
    for (i, r) in records.iter().enumerate() {
        if cur.is_empty() {
            starts.push(i as u32);
            cur.push('[');
        } else {
            cur.push(',');
        }
        cur.push_str(r);
        if cur.len() >= DOC_SHARD_BYTES || i + 1 == records.len() {
            cur.push(']');
            let k = starts.len() - 1;
            files.push(OutputFile::new(
                format!("search/{dir}/{k}.json"),
                std::mem::take(&mut cur),
            ));
        }
    }
    starts
}

/// A program as stored for the results, as JSON: its page, its name, organizer,
/// category and funding, and its contacts (name, phones):
/// `{"u":…,"f":[name,organizer,category,funding],"c":[[name,[phones…]]…]}`.
fn write_program(out: &mut String, p: &ProgramDoc) {
    out.push_str("{\"u\":");
    push_json_str(out, &p.url);
    out.push_str(",\"f\":[");
    for (i, f) in [&p.name, &p.organizer, &p.category, &p.funding]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, f);
    }
    out.push_str("],\"c\":[");
    for (i, (name, phones)) in p.contacts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_str(out, name);
        out.push_str(",[");
        for (j, phone) in phones.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_json_str(out, phone);
        }
        out.push_str("]]");
    }
    out.push_str("]}");
}

/// Eight hex digits naming the index `files` by their paths and bytes: the folder the
/// build writes them under (`search/<version>/meta.json`).
pub fn version(files: &[OutputFile]) -> String {
    crate::render::assets::hash(
        files
            .iter()
            .flat_map(|f| [f.path.as_bytes(), f.bytes.as_slice()]),
    )
}

#[cfg(test)]
mod tests;
