// ESLint's flat config for the browser scripts (site-gen/assets, web/) and their unit
// tests (tests/js, run with `node --test tests/js/`). ESLint and its packages are pinned
// in tests/package.json and installed by scripts/setup; scripts/test runs it.
import { createRequire } from "node:module";

const require = createRequire(new URL("./tests/package.json", import.meta.url));
const js = require("@eslint/js");
const globals = require("globals");

// The scripts each page loads as classic scripts (top-level names are globals); the
// others are ES modules. Listed as in scripts/minify. The modules of site-gen/assets/forms/
// are linted one by one as modules, before site-scripts joins them into forms.js.
const CLASSIC = ["site-gen/assets/prefs.js", "site-gen/assets/livereload.js"];

export default [
  {
    // The minified copies are made by scripts/minify from the files linted here.
    ignores: ["**/*.min.js", "target/**", "tests/node_modules/**"],
  },
  {
    files: ["site-gen/assets/**/*.js", "web/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      // `catch (e) { /* why it is ignored */ }` is how the scripts say a failure does not matter.
      "no-empty": ["error", { allowEmptyCatch: true }],
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "off",
      "prefer-const": "error",
      "no-shadow": "error",
      "no-implicit-globals": "error",
      // A function may name a module-level variable declared below it (it runs later).
      "no-use-before-define": ["error", { functions: false, classes: true, variables: false }],
    },
  },
  {
    files: CLASSIC,
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["site-gen/assets/offline-worker.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
    // A worker's global scope is its own: no other script shares its top-level names.
    rules: { "no-implicit-globals": "off" },
  },
  {
    files: ["tests/js/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
    rules: { ...js.configs.recommended.rules },
  },
];
