// Pause reasons: the not-ready reasons agents pick from (PUT /pause-reasons replaces the
// list in the running center; agents already on a break keep the reason they gave).

import { api } from "../api.js";
import { el, say } from "../format.js";
import { $, clearErrors, rowList, showProblem } from "./forms.js";

const form = $("pause-form");
const rows = rowList(
  $("pause-reasons"),
  ({ code = "", label = "", paid = false } = {}) =>
    el(
      "div",
      { class: "row-fields", "data-testid": "pause-row" },
      el("input", { "aria-label": "Code", placeholder: "code", value: code, "data-testid": "pause-code", autocomplete: "off" }),
      el("input", { "aria-label": "Label", placeholder: "label agents see", value: label, "data-testid": "pause-label", autocomplete: "off" }),
      el("label", { class: "check" }, el("input", { type: "checkbox", "data-testid": "pause-paid", checked: paid }), " paid"),
    ),
  (row) => {
    const [code, label, paid] = row.querySelectorAll("input");
    const given = code.value.trim();
    return given || label.value.trim() ? { code: given, label: label.value.trim() || given, paid: paid.checked } : null;
  },
);

export async function loadPauseReasons() {
  const answer = await api("pause-reasons");
  rows.set(answer.items);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const message = $("pause-message");
  say(message, "");
  try {
    const saved = await api("pause-reasons", { method: "PUT", body: { items: rows.get() } });
    rows.set(saved.items);
    say(message, `Saved ${saved.items.length} reasons; agents see them from their next break.`, "ok");
  } catch (problem) {
    showProblem(form, message, problem);
  }
});
