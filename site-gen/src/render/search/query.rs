//! Queries the index files as `assets/search.js` does, step for step: `meta.json`, then
//! the gram shards of the query's words. Used by the tests, which compare its answers
//! with a brute-force scan.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{fold, shard_of, words};

/// Gives a file's bytes by its path under `dist/`.
type Get<'a> = Box<dyn Fn(&str) -> Option<Vec<u8>> + 'a>;

/// Reads index files by path under `dist/` (`search/meta.json`); counts what it read.
pub struct Reader<'a> {
    get: Get<'a>,
    cache: BTreeMap<String, Value>,
    /// Paths read so far, in order.
    pub fetched: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(get: impl Fn(&str) -> Option<Vec<u8>> + 'a) -> Self {
        Reader {
            get: Box::new(get),
            cache: BTreeMap::new(),
            fetched: Vec::new(),
        }
    }

    fn load(&mut self, path: &str) -> Option<&Value> {
        if !self.cache.contains_key(path) {
            let bytes = (self.get)(path)?;
            let v: Value = serde_json::from_slice(&bytes).ok()?;
            self.fetched.push(path.to_string());
            self.cache.insert(path.to_string(), v);
        }
        self.cache.get(path)
    }

    /// The ids of the documents matching every word of `q`, ascending. `None` when the
    /// index cannot be read.
    pub fn search(&mut self, q: &str) -> Option<Vec<u32>> {
        let meta = self.load("search/meta.json")?.clone();
        let words = words(q);
        if words.is_empty() {
            return Some(Vec::new());
        }
        let mut result: Option<BTreeSet<u32>> = None;
        for w in &words {
            let set = self.word(&meta, w)?;
            result = Some(match result {
                None => set,
                Some(r) => r.intersection(&set).copied().collect(),
            });
        }
        Some(result.unwrap_or_default().into_iter().collect())
    }

    /// The ids of the documents whose pinyin ([`super::pinyin_fields`] of a program's
    /// name and organizer, of a notice's title) holds every word of `q`, ascending.
    pub fn search_pinyin(&mut self, q: &str) -> Option<Vec<u32>> {
        let meta = self.load("search/meta.json")?.clone();
        let shards = meta["pinyin"].as_u64()? as u32;
        let mut result: Option<BTreeSet<u32>> = None;
        for w in &words(q) {
            let set = self.own(w, "p", shards)?;
            result = Some(match result {
                None => set,
                Some(r) => r.intersection(&set).copied().collect(),
            });
        }
        Some(result.unwrap_or_default().into_iter().collect())
    }

    /// The documents matching one folded word: by their own fields (posting lists, then
    /// verified) or by the notice's and list's fields of `meta`.
    fn word(&mut self, meta: &Value, w: &str) -> Option<BTreeSet<u32>> {
        let mut set: BTreeSet<u32> = BTreeSet::new();
        for n in meta["notices"].as_array()? {
            let nid = n[0].as_u64()? as u32;
            let end = n[6].as_u64()? as u32;
            let has = |v: &Value| v.as_str().is_some_and(|s| fold(s).contains(w));
            if has(&n[2]) || has(&n[3]) {
                set.extend(nid..end);
            } else if has(&n[4]) {
                set.insert(nid);
            }
            for l in n[5].as_array()? {
                if has(&l[0]) {
                    set.extend(l[1].as_u64()? as u32..l[2].as_u64()? as u32);
                }
            }
        }
        let shards = meta["grams"].as_u64()? as u32;
        set.extend(self.own(w, "g", shards)?);
        Some(set)
    }

    /// The documents whose own fields, as posted under `search/{dir}/`, hold `w`.
    fn own(&mut self, w: &str, dir: &str, shards: u32) -> Option<BTreeSet<u32>> {
        let mut set = BTreeSet::new();
        let chars: Vec<char> = w.chars().collect();
        if chars.len() == 1 {
            let mut last = 0u32;
            for d in self.list(w, dir, shards)? {
                last += d;
                set.insert(last);
            }
            return Some(set);
        }
        // The places of the first bigram that each next bigram of the cover continues.
        let mut places: Option<Vec<[u32; 3]>> = None;
        for i in cover(chars.len()) {
            let g: String = chars[i..i + 2].iter().collect();
            let nums = self.list(&g, dir, shards)?;
            let mut here = Vec::with_capacity(nums.len() / 3);
            let mut doc = 0u32;
            for t in nums.chunks(3) {
                let [d, f, p] = t else { return None };
                doc += d;
                if let Some(start) = p.checked_sub(i as u32) {
                    here.push([doc, *f, start]);
                }
            }
            places = Some(match places {
                None => here,
                Some(before) => intersect(&before, &here),
            });
        }
        set.extend(places.unwrap_or_default().into_iter().map(|[d, _, _]| d));
        Some(set)
    }

    /// The numbers of gram `g`'s posting list (empty when no document has it).
    fn list(&mut self, g: &str, dir: &str, shards: u32) -> Option<Vec<u32>> {
        let path = format!("search/{dir}/{}.json", shard_of(g, shards));
        let mut list = self.load(&path)?.get(g);
        // A long list is a file of its own, named in the shard by its number.
        if let Some(n) = list.and_then(Value::as_u64) {
            list = Some(self.load(&format!("search/{dir}/h{n}.json"))?);
        }
        Some(
            list.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_u64().map(|x| x as u32))
                .collect(),
        )
    }
}

/// Where the bigrams read for a word of `n` characters (`n >= 2`) start: every other
/// one, and the last, so that each character is in one of them (`ab`, `cd`, `de` for
/// `abcde`). Where they all occur one after the other at these distances is exactly
/// where the word is; it reads half the lists of reading every bigram.
pub fn cover(n: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n.saturating_sub(1)).step_by(2).collect();
    if n % 2 == 1 && n >= 3 {
        out.push(n - 2);
    }
    out
}

fn intersect<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
