// What every admin form shares: fields bound to configuration keys by `data-path`,
// a body built on top of the stored configuration (keys the form does not show are
// kept), the "advanced" JSON editor, and the API's 422s shown beside the field named.

import { ApiError } from "../api.js";
import { el, say } from "../format.js";

export const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
export const items = (page) => (Array.isArray(page) ? page : (page && page.items) || []);

/** Run `work`, then say `done(result)` or the error in `message`. */
export async function attempt(message, work, done) {
  say(message, "");
  try {
    const result = await work();
    say(message, done(result), "ok");
    return result;
  } catch (problem) {
    say(message, problem.message, "error");
    return undefined;
  }
}

export function getPath(object, path) {
  return path.split(".").reduce((value, key) => (value == null ? undefined : value[key]), object);
}

export function setPath(object, path, value) {
  const keys = path.split(".");
  let node = object;
  for (const key of keys.slice(0, -1)) {
    if (node[key] == null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

/** Remove a key; a parent object left empty goes too (the server's default then holds). */
export function deletePath(object, path) {
  const keys = path.split(".");
  const parents = [object];
  for (const key of keys.slice(0, -1)) {
    const next = parents[parents.length - 1][key];
    if (next == null || typeof next !== "object") return;
    parents.push(next);
  }
  delete parents[parents.length - 1][keys[keys.length - 1]];
  for (let index = parents.length - 1; index > 0; index -= 1) {
    if (Object.keys(parents[index]).length) break;
    delete parents[index - 1][keys[index - 1]];
  }
}

/** The form's own fields: those with a data-path outside a row list or the JSON editor. */
function boundFields(form) {
  return [...form.querySelectorAll("[data-path]")].filter((field) => !field.closest("[data-rows], details.advanced"));
}

/** A field's value as the configuration holds it; undefined for an empty field. */
function readField(field) {
  if (field.type === "checkbox") return field.checked;
  const raw = field.value.trim();
  if (raw === "") return undefined;
  const kind = field.dataset.type || "text";
  if (kind === "text") return raw;
  if (kind === "list") return raw.split(",").map((part) => part.trim()).filter(Boolean);
  const value = Number(raw);
  if (!Number.isFinite(value)) return raw; // the server names the field and why
  return field.dataset.scale ? value / Number(field.dataset.scale) : value;
}

function writeField(field, value) {
  if (field.type === "checkbox") {
    field.checked = Boolean(value);
    return;
  }
  if (value == null) field.value = "";
  else if (Array.isArray(value)) field.value = value.join(", ");
  else if (typeof value === "number" && field.dataset.scale) field.value = String(+(value * Number(field.dataset.scale)).toFixed(6));
  else field.value = String(value);
}

/** The body: `base` (the stored configuration) with every shown field set or cleared. */
export function collect(form, base = {}) {
  const body = structuredClone(base);
  for (const field of boundFields(form)) {
    const value = readField(field);
    if (value === undefined || (field.type === "checkbox" && value === false && getPath(base, field.dataset.path) === undefined)) {
      deletePath(body, field.dataset.path);
    } else {
      setPath(body, field.dataset.path, value);
    }
  }
  return body;
}

export function fill(form, config) {
  for (const field of boundFields(form)) writeField(field, getPath(config, field.dataset.path));
}

// ---- rows: skills and dispositions -----------------------------------------------------

/**
 * A list of rows inside `container` ([data-rows]); each row is built by `makeRow(value)`
 * and read back by `readRow(row)`. Answers {set(values), get(), add(value)}.
 */
export function rowList(container, makeRow, readRow) {
  const body = container.querySelector("[data-row-body]");
  const add = (value) => {
    const row = makeRow(value);
    row.classList.add("edit-row");
    row.append(el("button", { type: "button", class: "link", "aria-label": "Remove this row", onclick: () => row.remove() }, "Remove"));
    body.append(row);
    return row;
  };
  container.querySelector("[data-row-add]").addEventListener("click", () => {
    const row = add(undefined);
    const first = row.querySelector("input, select");
    if (first) first.focus();
  });
  return {
    add,
    set(values) {
      body.replaceChildren();
      for (const value of values) add(value);
    },
    get: () => [...body.children].map(readRow).filter((value) => value !== null),
  };
}

/** A skill/level row editor: {billing: 3} <-> rows of (skill, level). */
export function skillRows(container, testid) {
  const rows = rowList(
    container,
    ([skill, level] = ["", 1]) =>
      el(
        "div",
        { class: "row-fields", "data-testid": `${testid}-row` },
        el("input", { "aria-label": "Skill", placeholder: "skill", value: skill, "data-testid": `${testid}-name`, autocomplete: "off" }),
        el("input", { "aria-label": "Level", type: "number", min: "1", max: "10", value: String(level), "data-testid": `${testid}-level`, class: "narrow" }),
      ),
    (row) => {
      const [name, level] = row.querySelectorAll("input");
      const skill = name.value.trim();
      return skill ? [skill, level.value.trim() === "" ? 1 : Number(level.value)] : null;
    },
  );
  return {
    set: (skills) => rows.set(Object.entries(skills || {})),
    get: () => Object.fromEntries(rows.get()),
  };
}

// ---- the advanced JSON editor ------------------------------------------------------------

/**
 * The <details class="advanced"> of a form: opening it shows the body the form would
 * send; while it is open, the JSON is what is sent, and closing it fills the form.
 */
export function advanced(details, { body, load }) {
  const textarea = details.querySelector("textarea");
  details.addEventListener("toggle", () => {
    if (details.open) {
      textarea.value = JSON.stringify(body(), null, 2);
      return;
    }
    try {
      load(parseJson(textarea.value));
    } catch {
      // a broken JSON text leaves the form as it was; the text is kept for the next open
    }
  });
  return {
    active: () => details.open,
    value: () => parseJson(textarea.value),
    close() {
      details.open = false;
    },
  };
}

export function parseJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (problem) {
    throw new Error(`JSON: ${problem.message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("JSON: an object {…} is needed");
  return value;
}

// ---- errors beside the field ----------------------------------------------------------------

export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** The element a 422's loc names: the field with that data-path or its nearest parent's. */
function fieldFor(form, path) {
  const parts = path.split(".");
  for (let size = parts.length; size > 0; size -= 1) {
    const found = form.querySelector(`[data-path="${CSS.escape(parts.slice(0, size).join("."))}"]`);
    if (found && !found.closest("details.advanced")) return found;
  }
  return null;
}

/** The server's bound ("less than or equal to 1") in the unit the field is typed in (%). */
function inUnits(field, text) {
  const scale = Number(field.dataset.scale);
  if (!scale) return text;
  return text.replace(/(than|to) (-?\d+(?:\.\d+)?)/g, (_, word, value) => `${word} ${+(Number(value) * scale).toFixed(4)} %`);
}

/**
 * Show a failed save: each 422 item beside the field its loc names (the rest in
 * `message`). Answers how many problems there were.
 */
export function showProblem(form, message, problem) {
  clearErrors(form);
  const detail = problem instanceof ApiError && Array.isArray(problem.detail) ? problem.detail : null;
  if (!detail) {
    say(message, problem.message, "error");
    return 1;
  }
  const elsewhere = [];
  for (const item of detail) {
    const path = (Array.isArray(item.loc) ? item.loc : []).filter((part) => part !== "body").join(".");
    const field = path ? fieldFor(form, path) : null;
    const text = item.msg || String(item);
    if (!field) {
      elsewhere.push(path ? `${path}: ${text}` : text);
      continue;
    }
    field.setAttribute("aria-invalid", "true");
    const shown = inUnits(field, text);
    const note = el("span", { class: "field-error", role: "alert", "data-testid": "field-error", "data-for": path }, field.dataset.path !== path ? `${path}: ${shown}` : shown);
    field.insertAdjacentElement("afterend", note);
  }
  const count = detail.length;
  const summary = `Not saved: ${count} problem${count === 1 ? "" : "s"}${elsewhere.length ? ` — ${elsewhere.join("; ")}` : " (see the fields marked)"}.`;
  say(message, summary, "error");
  return count;
}

// ---- paging ---------------------------------------------------------------------------------

/** "41–60 of 230" with Previous / Next buttons that call `go(offset)`. */
export function pager(container, page, go) {
  const { total = 0, limit = 20, offset = 0 } = page || {};
  const first = total ? offset + 1 : 0;
  const last = Math.min(offset + limit, total);
  const name = container.dataset.testid || "pager";
  const range = el("span", { class: "muted", "data-testid": `${name}-range` }, total ? `${first}–${last} of ${total}` : "none");
  if (offset <= 0 && last >= total) {
    container.replaceChildren(range); // one page: nothing to turn
    return;
  }
  container.replaceChildren(
    el("button", { type: "button", disabled: offset <= 0, "data-testid": `${name}-previous`, onclick: () => go(Math.max(0, offset - limit)) }, "‹ Previous"),
    range,
    el("button", { type: "button", disabled: last >= total, "data-testid": `${name}-next`, onclick: () => go(offset + limit) }, "Next ›"),
  );
}
