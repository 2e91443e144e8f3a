// The search page (search/index.html): reads `?q=` and shows every notice and program
// that holds each of its words, from the static index that `site-gen build` writes
// under search/ (site-gen/src/render/search/). The same algorithm is in Rust in
// site-gen/src/render/search/query.rs, which the tests compare with a brute-force scan:
//
// - meta.json (always loaded) has each notice's 文号, title, issuer, its plan lists'
//   titles and the range of ids of its documents (the notice, then its programs);
// - g/N.json are the posting lists of every document's own fields, sharded by a hash of
//   the gram: per character the documents holding it, per bigram every place it occurs
//   (document, field, position); a word of one character is its list, a longer one is
//   where its bigrams occur one after the other in the same field, exactly;
// - d/N.json are the documents in id order, read only to show the results.
//
// The query stays in the URL (`?q=`): a search from this page's box is a new history
// entry, and going back shows the earlier results. Each index file is kept in a cache
// when it arrives, so a page visited once searches offline as far as it was read.

import { fold, words } from "./match.js";

// The matcher is shared with the filter box of the plan tables (match.js); the tests and
// the benchmark read it through this module.
export { fold, words };

const BATCH = 100;

// FNV-1a over the gram's UTF-16 code units, as shard_of in Rust.
export function shardOf(gram, shards) {
  let h = 0x811c9dc5;
  for (let i = 0; i < gram.length; i++) {
    h ^= gram.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & (shards - 1);
}

// Where the bigrams read for a word of `n` characters (n >= 2) start: every other one,
// and the last, so that each character is in one of them (`ab`, `cd`, `de` for abcde).
// Where they all occur one after the other, at these distances, is exactly where the
// word is: half the lists of reading every bigram.
export function cover(n) {
  const out = [];
  for (let i = 0; i + 1 < n; i += 2) out.push(i);
  if (n % 2 === 1) out.push(n - 2);
  return out;
}

// Places (or ids) in both sorted lists; places compare as (document, field, position).
function compare(a, b) {
  if (typeof a === "number") return a - b;
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function intersect(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compare(a[i], b[j]);
    if (c < 0) i++;
    else if (c > 0) j++;
    else {
      out.push(a[i]);
      i++;
      j++;
    }
  }
  return out;
}

// An index read through `load(path)` (a promise of parsed JSON, path under search/).
export function makeIndex(load) {
  const memo = new Map();
  const get = (path) => {
    if (!memo.has(path)) memo.set(path, load(path));
    return memo.get(path);
  };
  // The record of document `id`: a notice's body from n/K.json, a program from d/K.json.
  async function doc(meta, id) {
    const g = groupOf(meta, id);
    if (meta.bodies && meta.notices[g][0] === id) {
      const k = below(meta.bodies, g);
      return (await get(`n/${k}.json`))[g - meta.bodies[k]];
    }
    const k = below(meta.docs, id);
    const shard = await get(`d/${k}.json`);
    return shard[id - meta.docs[k]];
  }
  // The last index of the ascending `starts` whose value is at most `x`.
  function below(starts, x) {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
  async function word(meta, w) {
    const set = new Set();
    for (const n of meta.notices) {
      const [nid, , title, docNumber, issuer, lists, end] = n;
      if (fold(title).includes(w) || fold(docNumber).includes(w)) {
        for (let i = nid; i < end; i++) set.add(i);
      } else if (fold(issuer).includes(w)) {
        set.add(nid);
      }
      for (const [lt, first, lend] of lists) {
        if (fold(lt).includes(w)) for (let i = first; i < lend; i++) set.add(i);
      }
    }
    for (const id of await own(w, "g", meta.grams)) set.add(id);
    return set;
  }
  // The documents whose own fields, as posted under `dir/`, hold `w`.
  async function own(w, dir, shards) {
    const set = new Set();
    const chars = Array.from(w);
    if (chars.length === 1) {
      let last = 0;
      for (const d of await list(w, dir, shards)) {
        last += d;
        set.add(last);
      }
      return set;
    }
    // The places of the first bigram that each next bigram of the cover continues.
    let places = null;
    for (const i of cover(chars.length)) {
      const nums = await list(chars[i] + chars[i + 1], dir, shards);
      const here = [];
      let id = 0;
      for (let k = 0; k + 2 < nums.length; k += 3) {
        id += nums[k];
        const from = nums[k + 2] - i;
        if (from >= 0) here.push([id, nums[k + 1], from]);
      }
      places = places === null ? here : intersect(places, here);
    }
    for (const [d] of places) set.add(d);
    return set;
  }
  async function list(g, dir, shards) {
    const shard = await get(`${dir}/${shardOf(g, shards)}.json`);
    if (!Object.prototype.hasOwnProperty.call(shard, g)) return [];
    // A long list is a file of its own, named in the shard by its number.
    return typeof shard[g] === "number" ? get(`${dir}/h${shard[g]}.json`) : shard[g];
  }
  return {
    meta: () => get("meta.json"),
    doc,
    // The ids of the documents that hold every word of `q`, ascending.
    async search(q) {
      const meta = await get("meta.json");
      const ws = words(q);
      if (!ws.length) return [];
      let result = null;
      for (const w of ws) {
        const set = await word(meta, w);
        result = result === null ? [...set] : result.filter((id) => set.has(id));
      }
      return result.sort((a, b) => a - b);
    },
    // The ids of the documents whose pinyin (initials and syllables of a program's name
    // and organizer, of a notice's title) holds every word of `q`, ascending.
    async searchPinyin(q) {
      const meta = await get("meta.json");
      let result = null;
      for (const w of words(q)) {
        const set = await own(w, "p", meta.pinyin);
        result = result === null ? [...set] : result.filter((id) => set.has(id));
      }
      return (result || []).sort((a, b) => a - b);
    },
  };
}

// `text` as nodes, every occurrence of the words marked.
export function highlight(text, ws) {
  const folded = fold(text);
  const ranges = [];
  for (const w of ws) {
    let at = folded.indexOf(w);
    while (at !== -1) {
      ranges.push([at, at + w.length]);
      at = folded.indexOf(w, at + 1);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [s, e] of ranges) {
    if (e <= pos) continue;
    const from = Math.max(s, pos);
    if (from > pos) frag.append(text.slice(pos, from));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(from, e);
    frag.append(mark);
    pos = e;
  }
  frag.append(text.slice(pos));
  return frag;
}

const has = (text, ws) => {
  const f = fold(text);
  return ws.some((w) => f.includes(w));
};

// A piece of a long text around its first match.
function snippet(text, ws) {
  const f = fold(text);
  let at = -1;
  for (const w of ws) {
    const i = f.indexOf(w);
    if (i !== -1 && (at === -1 || i < at)) at = i;
  }
  if (at === -1) return null;
  const from = Math.max(0, at - 40);
  const end = Math.min(text.length, at + 80);
  return (from > 0 ? "…" : "") + text.slice(from, end).replace(/\s+/g, " ") + (end < text.length ? "…" : "");
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function line(label, text, ws) {
  return el("p", null, label + "：", highlight(text, ws));
}

// The notice that document `id` belongs to (its index in meta.notices).
function groupOf(meta, id) {
  let lo = 0;
  let hi = meta.notices.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (meta.notices[mid][0] <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// How the index under `metaUrl` is read: `load(path)` fetches a file of it and keeps it
// in this deploy's cache (`site-search <folder>`), and answers from there offline. The
// caches of an earlier deploy (another folder) are never read again and are dropped.
function cachedLoader(metaUrl) {
  const cacheName = `site-search ${new URL("./", metaUrl).href}`;
  if ("caches" in self) {
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith("site-search ") && n !== cacheName)
            .map((n) => caches.delete(n)),
        ),
      )
      .catch(() => {});
  }
  return async function load(path) {
    const url = new URL(path, metaUrl).href;
    const cache = "caches" in self ? await caches.open(cacheName).catch(() => null) : null;
    let res;
    try {
      res = await fetch(url);
      if (res.ok && cache) await cache.put(url, res.clone()).catch(() => {});
    } catch (offline) {
      res = cache ? await cache.match(url) : undefined;
      if (!res) throw offline;
    }
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  };
}

// The page's parts and state, shared by the functions below: the results list, the
// status line, the box, the index, the site root its links are under, and `run`, the
// number of the latest search (an older one still arriving draws nothing).
// `view` = { results, status, input, index, root, siteTitle, run }.

// One result: notice `n`'s own item, or the program `id` of it, with the lines where the
// words are.
async function item(view, meta, n, id, ws) {
  const [nid, nurl, title, docNumber, issuer, lists] = n;
  const d = await view.index.doc(meta, id);
  if (id === nid) {
    const li = el("li", null, el("a", { href: new URL(nurl, view.root).href }, "通知：", highlight(title, ws)));
    li.append(line("文号", docNumber, ws));
    if (has(issuer, ws)) li.append(line("发文单位", issuer, ws));
    const s = snippet(d.b, ws);
    if (s) li.append(line("正文", s, ws));
    return li;
  }
  const [name, organizer, category, funding] = d.f;
  const li = el("li", null, el("a", { href: new URL(d.u, view.root).href }, highlight(name, ws)));
  li.append(line("举办单位", organizer, ws));
  if (category && has(category, ws)) li.append(line("专业类别", category, ws));
  if (funding && has(funding, ws)) li.append(line("经费来源", funding, ws));
  for (const [cname, phones] of d.c) {
    const text = [cname, ...phones].join(" ");
    if ([cname, ...phones].some((t) => has(t, ws))) li.append(line("联系人", text, ws));
  }
  for (const [lt, first, end] of lists) {
    if (id >= first && id < end && has(lt, ws)) li.append(line("计划表", lt, ws));
  }
  return li;
}

// The exact results from `from` on, a batch at a time under their notices' headings, and
// 显示更多 for the next batch.
async function show(view, meta, ids, ws, from, mine) {
  const { results } = view;
  const part = ids.slice(from, from + BATCH);
  const items = await Promise.all(part.map((id) => {
    const g = groupOf(meta, id);
    return item(view, meta, meta.notices[g], id, ws).then((li) => [g, li]);
  }));
  if (mine !== view.run) return;
  let box = results.querySelector("[data-exact]");
  if (!box) box = results.appendChild(el("div", { "data-exact": "" }));
  let list = null;
  let group = -1;
  const last = box.lastElementChild;
  if (last && last.matches("section.search-group")) {
    group = Number(last.dataset.group);
    list = last.querySelector("ul");
  }
  for (const [g, li] of items) {
    if (g !== group) {
      const n = meta.notices[g];
      const count = ids.filter((id) => id >= n[0] && id < n[6]).length;
      const head = el("h2", null,
        el("a", { href: new URL(n[1], view.root).href }, n[2]), " ",
        el("span", { class: "count" }, `（${count} 项）`));
      list = el("ul", { class: "search-list" });
      box.append(el("section", { class: "search-group", "data-group": String(g) }, head, list));
      group = g;
    }
    list.append(li);
  }
  const shown = from + part.length;
  if (shown < ids.length) {
    const more = el("button", { type: "button", class: "search-more" },
      `显示更多（已显示 ${shown} 项，共 ${ids.length} 项）`);
    more.addEventListener("click", async () => {
      more.remove();
      await show(view, meta, ids, ws, shown, mine);
      const next = results.querySelectorAll(".search-list li a")[shown];
      if (next) next.focus();
    });
    box.after(more);
  }
}

// Latin letters and digits only: a query that may be pinyin.
const PINYIN = /^[a-z0-9]+$/;

// The 按拼音 group: its own heading after the exact results, each item with its notice.
async function showPinyin(view, meta, ids, mine) {
  const part = ids.slice(0, BATCH);
  const items = await Promise.all(part.map(async (id) => {
    const n = meta.notices[groupOf(meta, id)];
    const li = await item(view, meta, n, id, []);
    if (id !== n[0]) li.append(line("通知", n[2], []));
    return li;
  }));
  if (mine !== view.run) return;
  const more = ids.length > part.length ? `，显示前 ${part.length} 项` : "";
  const head = el("h2", { id: "search-pinyin" }, "按拼音 ", el("span", { class: "count" }, `（${ids.length} 项${more}）`));
  view.results.append(el("section", { class: "search-group search-pinyin", "aria-labelledby": "search-pinyin" },
    head, el("ul", { class: "search-list" }, ...items)));
}

// Searches for `q` and shows what was found: the box, the results, the status line and
// the page's title.
async function search(view, q) {
  const { results, status, input, index, siteTitle } = view;
  const mine = ++view.run;
  input.value = q;
  results.replaceChildren();
  const ws = words(q);
  if (!ws.length) {
    status.textContent = "";
    document.title = `搜索 - ${siteTitle}`;
    return;
  }
  document.title = `${q} - 搜索 - ${siteTitle}`;
  status.textContent = "正在搜索…";
  try {
    const meta = await index.meta();
    const ids = await index.search(q);
    let pinyin = [];
    if (meta.pinyin && ws.every((w) => PINYIN.test(w))) {
      const exact = new Set(ids);
      pinyin = (await index.searchPinyin(q)).filter((id) => !exact.has(id));
    }
    if (mine !== view.run) return;
    const also = pinyin.length ? `按拼音另有 ${pinyin.length} 项。` : "";
    if (ids.length) await show(view, meta, ids, ws, 0, mine);
    if (pinyin.length) await showPinyin(view, meta, pinyin, mine);
    if (mine !== view.run) return;
    status.textContent = ids.length
      ? `找到 ${ids.length} 项与“${q}”相符的结果。${also}`
      : `没有找到与“${q}”相符的通知或项目。${also}`;
  } catch (e) {
    if (mine !== view.run) return;
    status.textContent = `搜索索引读不到（${e.message}）。请连上网络后再试。`;
  }
}

// The page: its parts, the index it reads, and the query from the URL, searched now, from
// the box (a new history entry) and when going back.
async function start() {
  const results = document.querySelector("[data-search-results]");
  const status = document.querySelector("[data-search-status]");
  const input = document.querySelector("[data-search-input]");
  if (!results || !status || !input) return;
  const metaUrl = new URL(results.dataset.index, location.href);
  const view = {
    results,
    status,
    input,
    index: makeIndex(cachedLoader(metaUrl)),
    // The site root: meta.json is at search/<version>/meta.json.
    root: new URL("../../", metaUrl),
    siteTitle: document.title.replace(/^搜索 - /, ""),
    run: 0,
  };
  const fromUrl = () => new URLSearchParams(location.search).get("q") || "";
  input.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value;
    const url = new URL(location.href);
    url.searchParams.set("q", q);
    if (url.href !== location.href) history.pushState(null, "", url);
    search(view, q);
  });
  addEventListener("popstate", () => search(view, fromUrl()));
  await search(view, fromUrl());
}

if (typeof document !== "undefined") start();
