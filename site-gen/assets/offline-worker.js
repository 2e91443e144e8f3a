// The offline worker of one page (the survey, or its collection page). `site-gen build`
// writes it as `sw.js` in the page's folder, after one line that sets `self.OFFLINE`:
// the build's version (a checksum of every file listed) and the files, relative to this
// worker: "./" (the page) and every stylesheet, script and wasm module the page can load.
//
// Network first: while the network answers, the page and its files come from it, exactly
// as without a worker, and each answer refreshes the copy. When the network fails, the
// copy answers. Installing a new build's worker fetches every file afresh into a cache of
// its own version and drops the older versions of this worker's caches.
const { version, files } = self.OFFLINE;
const scope = self.registration.scope;
const prefix = `site-offline ${scope} `;
const cacheName = prefix + version;
const page = new URL("./", self.location).href;
const listed = new Set(files.map((f) => new URL(f, self.location).href));

// A response that can answer a navigation: Chromium refuses a redirected one.
async function storable(res) {
  if (!res.redirected) return res;
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers });
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    await Promise.all([...listed].map(async (url) => {
      const res = await fetch(new Request(url, { cache: "reload" }));
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      await cache.put(url, await storable(res));
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(prefix) && name !== cacheName) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  url.hash = "";
  // The page is one copy whatever its query (`?program=…` names the program).
  let key;
  if (req.mode === "navigate") {
    url.search = "";
    if (url.href !== page) return;
    key = page;
  } else if (listed.has(url.href)) {
    key = url.href;
  } else {
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(cacheName);
    try {
      const res = await fetch(req);
      if (res.ok) await cache.put(key, await storable(res.clone()));
      return res;
    } catch (offline) {
      const copy = await cache.match(key);
      if (copy) return copy;
      throw offline;
    }
  })());
});
