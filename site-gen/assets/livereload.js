// Live reload for `site-gen serve` only: reloads on "reload", shows build errors in an
// overlay while the last good build stays on screen.
//
// The server's event stream (`/__livereload`) starts with "build:<n>", the number of
// good builds so far. A hidden tab closes its stream, since a browser keeps only six
// connections to one server, and opens it again when shown: if a build happened
// meanwhile, the number differs and the page reloads.
(function () {
  "use strict";
  var overlay = null;
  var source = null;
  var seen = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.className = "livereload-error";
      overlay.setAttribute("role", "alert");
      document.body.appendChild(overlay);
    }
    overlay.textContent = text;
  }
  function connect() {
    if (source) return;
    // EventSource connects again by itself when the server restarts.
    source = new EventSource("/__livereload");
    source.onopen = function () { document.documentElement.setAttribute("data-livereload", "open"); };
    source.onmessage = function (ev) {
      var msg = String(ev.data);
      if (msg === "reload") { location.reload(); }
      else if (msg.indexOf("build:") === 0) {
        if (seen !== null && seen !== msg) { location.reload(); }
        seen = msg;
      }
      else if (msg.indexOf("error:") === 0) { show(msg.slice(6)); }
    };
  }
  function disconnect() {
    if (source) { source.close(); source = null; }
    document.documentElement.removeAttribute("data-livereload");
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  if (!document.hidden) connect();
})();
