// Opening with no connection: registers the offline worker of this page's folder
// (`sw.js` next to the page, written by `site-gen build` for the survey and its collection
// page). The worker answers from the network whenever it can and keeps a copy of the
// page and of every file it loads, so a page visited once opens and works offline.
// Without service workers (or when the browser refuses one) the page works as before.
//
// Registered once the page has loaded: the worker's first visit fetches every file it
// keeps, which must not share a slow network with the page's own engine.
function register() {
  navigator.serviceWorker.register("sw.js").catch(() => {
    /* refused (private mode, a host that does not serve sw.js): online only */
  });
}
if ("serviceWorker" in navigator) {
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
