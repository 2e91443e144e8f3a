// The matcher of the site's search (search.js) and of the filter box above the plan tables
// (filter.js): one fold and one way of cutting a query into words, so that a word finds the
// same things in both. site-gen/src/render/search/mod.rs has the same fold in Rust (its
// `fold_char`, `words`), and the search index is built with it.
//
// A word matches a text when, both folded, the word is a substring of the text; a query
// matches a record (a program's fields, a table row's cells) when each of its words
// matches one of the record's texts.

// White space as Rust's `char::is_whitespace` sees it (the Unicode White_Space property).
const SPACE = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

// Folds one UTF-16 code unit as fold_char does in Rust: full-width forms to ASCII, the
// ideographic space to a space, Latin capitals (ASCII and Latin-1) to small letters.
// Lengths stay the same, so positions in the folded text are positions in the text.
export function fold(s) {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}

// The words of a query: folded, cut at white space, empty ones dropped.
export function words(q) {
  return fold(q).split(SPACE).filter((w) => w.length > 0);
}

// Whether each of the words `ws` (from `words`) is in one of the already folded `texts`.
export function matchesAll(texts, ws) {
  return ws.every((w) => texts.some((t) => t.includes(w)));
}
