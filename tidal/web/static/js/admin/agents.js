// Agents: profiles (user, group, skills as skill/level rows); a change reaches a
// logged-in agent at once (PATCH /agents/{id} applies live).

import { api } from "../api.js";
import { el, fillRows, label, say } from "../format.js";
import { $, advanced, clearErrors, collect, fill, items, showProblem, skillRows } from "./forms.js";
import { agentUsers } from "./users.js";

const form = $("agent-form");
const skills = skillRows($("agent-skills"), "agent-skill");
let editing = null; // the stored profile being edited, or null for a new one
let profiles = {};

function body() {
  const out = collect(form, editing || {});
  out.skills = skills.get();
  if (editing) {
    delete out.agent_id;
    delete out.user; // a profile's user is fixed once made
  }
  return out;
}

function load(profile) {
  fill(form, profile);
  skills.set(profile.skills);
}

const json = advanced($("agent-advanced"), { body, load });

function startNew() {
  editing = null;
  clearErrors(form);
  form.reset();
  json.close();
  skills.set({});
  form.agent_id.readOnly = false;
  form.user.disabled = false;
  $("agent-form-title").textContent = "Add an agent profile";
  $("agent-submit").textContent = "Add agent";
}

function edit(profile) {
  startNew();
  editing = profile;
  load(profile);
  if (![...form.user.options].some((option) => option.value === profile.user)) {
    form.user.append(el("option", { value: profile.user || "" }, profile.user || "(no user)"));
  }
  form.user.value = profile.user || "";
  form.agent_id.readOnly = true;
  form.user.disabled = true;
  $("agent-form-title").textContent = `Change agent ${profile.agent_id}`;
  $("agent-submit").textContent = "Save changes";
  form.group.focus();
}

const skillText = (map) =>
  Object.entries(map || {})
    .map(([skill, level]) => `${skill} ${level}`)
    .join(", ") || "–";

export async function loadAgents() {
  const [agents, found, users] = await Promise.all([
    api("agents?limit=1000").then(items),
    api("agents/profiles?limit=1000").then(items),
    agentUsers(),
  ]);
  profiles = Object.fromEntries(found.map((profile) => [profile.agent_id, profile]));
  fillRows(
    $("agents-table"),
    agents.map((agent) => {
      const profile = profiles[agent.agent_id];
      return el(
        "tr",
        { "data-agent": agent.agent_id },
        el("th", { scope: "row" }, agent.agent_id),
        el("td", {}, (profile && profile.user) || "–"),
        el("td", {}, (profile && profile.group) || agent.group || "–"),
        el(
          "td",
          { "data-testid": `agent-skills-${agent.agent_id}` },
          profile ? skillText(profile.skills) : agent.skills ? `${skillText(agent.skills)} (from the center file)` : "–",
        ),
        el("td", {}, el("span", { class: "state-badge", "data-state": agent.state }, label(agent.state))),
        el(
          "td",
          {},
          profile
            ? el("button", { type: "button", "data-testid": `agent-edit-${agent.agent_id}`, onclick: () => edit(profile) }, "Edit")
            : "",
        ),
      );
    }),
    6,
    "No agents.",
  );
  const taken = new Set(Object.values(profiles).map((profile) => profile.user));
  if (!editing) {
    const free = users.filter((user) => !taken.has(user.name));
    form.user.replaceChildren(
      el("option", { value: "" }, free.length ? "— choose a user —" : "— every agent user has a profile —"),
      ...free.map((user) => el("option", { value: user.name }, user.name)),
    );
  }
  const groups = [...new Set(Object.values(profiles).map((profile) => profile.group))].sort();
  document.getElementById("agent-groups").replaceChildren(...groups.map((group) => el("option", { value: group })));
}

$("agent-new").addEventListener("click", startNew);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const message = $("agent-message");
  say(message, ""); // the answer to this save, not the last one
  const wasNew = !editing;
  try {
    const sent = json.active() ? json.value() : body();
    const id = editing ? editing.agent_id : sent.agent_id;
    const saved = editing
      ? await api(`agents/${encodeURIComponent(id)}`, { method: "PATCH", body: sent })
      : await api("agents", { method: "POST", body: sent });
    await loadAgents();
    edit(saved);
    const done = wasNew ? `Agent ${id} added` : `Agent ${id} saved (a logged-in agent works with it now)`;
    say(message, `${done}: ${saved.group}, skills ${skillText(saved.skills)}.`, "ok");
  } catch (problem) {
    showProblem(form, message, problem);
  }
});

startNew();
