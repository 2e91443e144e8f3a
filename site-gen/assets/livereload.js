// Live reload for `site-gen serve` only: reloads on "reload", shows build errors in an
// overlay while the last good build stays on screen.
(function () {
  "use strict";
  var proto = location.protocol === "https:" ? "wss:" : "ws:";
  var overlay = null;
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
    var ws = new WebSocket(proto + "//" + location.host + "/__livereload");
    ws.onmessage = function (ev) {
      var msg = String(ev.data);
      if (msg === "reload") { location.reload(); }
      else if (msg.indexOf("error:") === 0) { show(msg.slice(6)); }
      else if (msg === "ok" && overlay) { overlay.remove(); overlay = null; }
    };
    ws.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
