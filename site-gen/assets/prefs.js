// Reading preferences (适老化): a larger-text and a higher-contrast mode, switched by the
// two buttons in the site header and remembered across pages in localStorage. Loaded
// synchronously in <head> (inline in a form page) so that a page opens in the chosen mode
// without a flash; the
// buttons stay hidden without JavaScript, and the page is then in normal mode.
(function () {
  "use strict";
  var root = document.documentElement;
  var PREFS = { text: "large", contrast: "high" };
  function read(name) {
    try { return window.localStorage.getItem("site-pref-" + name) === PREFS[name]; } catch (e) { return false; }
  }
  function write(name, on) {
    try {
      if (on) { window.localStorage.setItem("site-pref-" + name, PREFS[name]); } else { window.localStorage.removeItem("site-pref-" + name); }
    } catch (e) { /* storage refused (private mode): the mode holds for this page only */ }
  }
  function apply(name, on) {
    if (on) { root.setAttribute("data-" + name, PREFS[name]); } else { root.removeAttribute("data-" + name); }
  }
  Object.keys(PREFS).forEach(function (name) { apply(name, read(name)); });

  function wire() {
    var box = document.querySelector("[data-prefs]");
    if (!box) { return; }
    Array.prototype.forEach.call(box.querySelectorAll("button[data-pref]"), function (button) {
      var name = button.getAttribute("data-pref");
      if (!Object.prototype.hasOwnProperty.call(PREFS, name)) { return; }
      button.setAttribute("aria-pressed", String(root.getAttribute("data-" + name) === PREFS[name]));
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        apply(name, on);
        write(name, on);
        button.setAttribute("aria-pressed", String(on));
      });
    });
    box.hidden = false;
  }
  // Another tab changed a preference: follow it.
  window.addEventListener("storage", function (e) {
    Object.keys(PREFS).forEach(function (name) {
      if (e.key !== null && e.key !== "site-pref-" + name) { return; }
      var on = read(name);
      apply(name, on);
      var b = document.querySelector('[data-prefs] button[data-pref="' + name + '"]');
      if (b) { b.setAttribute("aria-pressed", String(on)); }
    });
  });
  // Once the page is parsed, not at DOMContentLoaded, which waits for a form page's
  // module scripts: the buttons are usable from the first screen.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      if (document.readyState === "loading") { return; }
      document.removeEventListener("readystatechange", once);
      wire();
    });
  } else {
    wire();
  }
})();
