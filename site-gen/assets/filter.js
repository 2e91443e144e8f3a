// The filter box at the top of the plan tables: one box narrows every table of the page
// as one types. The full tables are in the page without JavaScript; this only reveals the
// box, hides the rows that do not match, says "没有匹配的项目" under a table left empty and
// keeps each caption's count right.
//
// It matches as the site's search does (match.js): full-width and half-width forms and
// Latin capitals are folded ("３Ｄ" finds "3D", "hrct" finds "HRCT"), and several words
// separated by spaces must all match, each within one cell.
//
// The query stays in the address (`?q=`, replacing the current history entry as one
// types), so a filtered list can be shared, and a reload or a step back to the page shows
// the same rows.
import { fold, words, matchesAll } from "./match.js";

const box = document.querySelector("[data-filter-box]");
const tables = Array.from(document.querySelectorAll("table[data-filterable]"));
const input = box && box.querySelector("input");
const out = box && box.querySelector("output");

function setUp() {
  const all = tables.map((table) => {
    const rows = Array.from(table.tBodies[0] ? table.tBodies[0].rows : []);
    return {
      rows,
      cells: rows.map((r) => Array.from(r.cells, (c) => fold(c.textContent))),
      count: table.querySelector("caption [data-count]"),
      empty: document.querySelector(`[data-no-match="${table.id}"]`),
    };
  });
  const total = all.reduce((n, t) => n + t.rows.length, 0);
  box.hidden = false;

  function apply() {
    const ws = words(input.value);
    let shownAll = 0;
    for (const t of all) {
      let shown = 0;
      t.rows.forEach((r, i) => {
        const ok = matchesAll(t.cells[i], ws);
        r.classList.toggle("filtered-out", !ok);
        if (ok) shown += 1;
      });
      shownAll += shown;
      if (t.count) {
        const n = t.count.getAttribute("data-total");
        t.count.textContent = ws.length ? `（显示${shown}项，共${n}项）` : `（共${n}项）`;
      }
      if (t.empty) t.empty.hidden = !(ws.length && shown === 0);
    }
    if (out) {
      out.textContent = !ws.length ? "" : shownAll ? `显示 ${shownAll} / ${total} 项` : "没有匹配的项目";
    }
  }

  // The address with the box's query as `?q=` (none when the box is empty).
  function remember() {
    const url = new URL(location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value);
    else url.searchParams.delete("q");
    if (url.href !== location.href) history.replaceState(history.state, "", url);
  }

  function restore() {
    const q = new URLSearchParams(location.search).get("q") || "";
    if (input.value !== q) input.value = q;
    apply();
    return q;
  }

  input.addEventListener("input", () => {
    apply();
    remember();
  });
  // The box is a search field: Enter changes nothing more (and submits nothing).
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") e.preventDefault();
  });
  addEventListener("popstate", restore);
  // A page shown again from the back-forward cache keeps its rows; the address decides.
  addEventListener("pageshow", (e) => {
    if (e.persisted) restore();
  });
  // A shared address opens on the filtered rows.
  if (restore() && !location.hash) box.scrollIntoView({ block: "start" });
}

if (box && input && tables.length) setUp();
