//! Queries the index files as `assets/search.js` does, step for step: `meta.json`, then
//! the gram shards of the query's words, then (for words of three or more characters)
//! the document shards of the candidates, to verify them. Used by the tests, which compare
//! its answers with a brute-force scan, and by the benchmark.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{fold, shard_of, words};

/// Reads index files by path under `dist/` (`search/meta.json`); counts what it read.
pub struct Reader<'a> {
    get: Box<dyn Fn(&str) -> Option<Vec<u8>> + 'a>,
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
        let chars: Vec<char> = w.chars().collect();
        let grams: Vec<String> = if chars.len() < 3 {
            vec![w.to_string()]
        } else {
            chars.windows(2).map(|p| p.iter().collect()).collect()
        };
        let shards = meta["grams"].as_u64()? as u32;
        let mut cand: Option<Vec<u32>> = None;
        for g in &grams {
            let path = format!("search/g/{}.json", shard_of(g, shards));
            let list = self.load(&path)?.get(g.as_str()).cloned();
            let mut ids = Vec::new();
            let mut last = 0u32;
            for d in list
                .as_ref()
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                last += d.as_u64()? as u32;
                ids.push(last);
            }
            cand = Some(match cand {
                None => ids,
                Some(c) => intersect(&c, &ids),
            });
        }
        let cand = cand.unwrap_or_default();
        if chars.len() < 3 {
            set.extend(cand);
            return Some(set);
        }
        let starts: Vec<u32> = meta["docs"]
            .as_array()?
            .iter()
            .filter_map(|v| v.as_u64().map(|x| x as u32))
            .collect();
        for id in cand {
            if set.contains(&id) {
                continue;
            }
            let k = starts.partition_point(|&s| s <= id) - 1;
            let doc = self.load(&format!("search/d/{k}.json"))?[(id - starts[k]) as usize].clone();
            if doc_fields(&doc).iter().any(|f| fold(f).contains(w)) {
                set.insert(id);
            }
        }
        Some(set)
    }
}

/// The own fields of a stored document: a notice's body, or a program's fields and
/// contacts.
pub fn doc_fields(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = doc["b"].as_str() {
        out.push(b.to_string());
    }
    for f in doc["f"].as_array().into_iter().flatten() {
        out.extend(f.as_str().map(str::to_string));
    }
    for c in doc["c"].as_array().into_iter().flatten() {
        out.extend(c[0].as_str().map(str::to_string));
        for p in c[1].as_array().into_iter().flatten() {
            out.extend(p.as_str().map(str::to_string));
        }
    }
    out
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
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
