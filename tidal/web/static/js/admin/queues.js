// Queues: a form over the queue configuration (skills, priority, strategy, service
// level, overflow, flow, dispositions). Keys the form does not show (the simulated
// world's arrivals, handle times, patience...) are kept as stored. A save applies to
// the running center at once.

import { api } from "../api.js";
import { el, fillRows, number, percent, say } from "../format.js";
import { $, advanced, clearErrors, collect, fill, items, showProblem, skillRows } from "./forms.js";

const form = $("queue-form");
const skills = skillRows($("queue-skills"), "queue-skill");
let editing = null; // the stored configuration being edited

function body() {
  const out = collect(form, editing || {});
  out.skills = skills.get();
  return out;
}

function load(config) {
  fill(form, config);
  skills.set(config.skills);
}

const json = advanced($("queue-advanced"), { body, load });

function startNew() {
  editing = null;
  clearErrors(form);
  form.reset();
  json.close();
  skills.set({});
  $("queue-name").readOnly = false;
  $("queue-form-title").textContent = "Add a queue";
  $("queue-submit").textContent = "Create queue";
}

async function edit(name) {
  const stored = await api(`queues/${encodeURIComponent(name)}/config`);
  startNew();
  editing = stored.config;
  await flowChoices();
  load(editing);
  $("queue-name").readOnly = true;
  $("queue-form-title").textContent = `Change queue ${name}`;
  $("queue-submit").textContent = "Save changes";
  $("queue-target").focus();
}

/** The flow picker: none, or one of the stored flows (keeping a stored one not listed). */
async function flowChoices() {
  const flows = items(await api("flows?limit=500").catch(() => []));
  const pick = $("queue-flow");
  const chosen = pick.value || (editing && editing.flow) || "";
  const names = flows.map((flow) => flow.name);
  if (chosen && !names.includes(chosen)) names.push(chosen);
  pick.replaceChildren(el("option", { value: "" }, "— none: straight to the queue —"), ...names.map((name) => el("option", { value: name }, name)));
  pick.value = chosen;
}

export async function loadQueues() {
  const queues = items(await api("queues?limit=1000"));
  fillRows(
    $("queues-table"),
    queues.map((queue) =>
      el(
        "tr",
        { "data-queue": queue.name },
        el("th", { scope: "row" }, queue.name),
        el("td", { class: "num" }, number(queue.waiting)),
        el("td", { class: "num" }, number(queue.staffed)),
        el("td", { class: "num" }, number(queue.ready)),
        el("td", { class: "num", "data-testid": `queue-offered-${queue.name}` }, number(queue.offered_today)),
        el("td", { class: "num" }, percent(queue.offered_today > 0 ? queue.service_level_today : null)),
        el("td", { class: "num" }, queue.target != null ? `${percent(queue.target)} in ${queue.threshold} s` : "–"),
        el("td", {}, el("button", { type: "button", "data-testid": `queue-edit-${queue.name}`, onclick: () => edit(queue.name).catch((problem) => say($("queue-message"), problem.message, "error")) }, "Edit")),
      ),
    ),
    8,
    "No queues.",
  );
  await flowChoices();
}

$("queue-new").addEventListener("click", startNew);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const message = $("queue-message");
  say(message, ""); // the answer to this save, not the last one
  const wasNew = !editing;
  try {
    const sent = json.active() ? json.value() : body();
    const name = sent.name || "";
    const saved = wasNew
      ? await api("queues", { method: "POST", body: sent })
      : await api(`queues/${encodeURIComponent(editing.name)}`, { method: "PUT", body: sent });
    await loadQueues();
    await edit(saved.name);
    say(message, `Queue ${name} ${wasNew ? "created" : "saved"}; the running center routes by it now.`, "ok");
  } catch (problem) {
    showProblem(form, message, problem);
  }
});

startNew();
