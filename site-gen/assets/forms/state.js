// The page's state that more than one module changes. An ES module cannot assign to a
// name it imports, so these live as properties of one object that every module imports.

export const state = {
  // The loaded wasm engine, and the survey engine of a page that scores a survey.
  engine: null,
  surveyEngine: null,
  // Whether findings are shown: set by the form's submit (检查), a paste or an import,
  // cleared when the draft is discarded.
  submitted: false,
  // The engine's last report.
  lastReport: null,
  // What the engine did to pasted or imported cells it read in another form, listed
  // until the next paste or import (the cells themselves now hold what it stores).
  settled: [],
  // forms-score.js, loaded only on a page with scores or a survey summary (the evaluation).
  scored: null,
  // The values as last read from the form. An edit to one control updates only its path;
  // structural changes (rows added or removed, imports, drafts) clear it.
  cache: null,
  // name → first control, data-field / data-path → element; rebuilt for each rendering
  // of the findings so that thousands of findings on a long roster stay fast.
  index: null,
};
