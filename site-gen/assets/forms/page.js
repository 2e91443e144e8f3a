// The form page's fixed facts, read once from the document: the form element, the form's
// id and version (from site-gen's data attributes), the draft's storage key, the title
// and the query string.

export const app = document.querySelector("[data-form-id]");
export const form = document.getElementById("form");
export const FORM_ID = app ? app.dataset.formId : "";
export const FORM_VERSION = app ? Number(app.dataset.formVersion || "1") : 1;
export const DRAFT_KEY = "draft:" + FORM_ID;
export const BASE_TITLE = document.title;
export const query = new URLSearchParams(location.search);
