// Campaigns: state and Start / Pause / Stop, and a form over the campaign configuration
// (mode, caps, caller ID, trunk, retry rules, dispositions, script). Keys the form does
// not show (the simulated world's outcomes, talk time, leads.count ...) are kept.

import { api } from "../api.js";
import { el, fillRows, label, number, percent, say } from "../format.js";
import { $, advanced, clearErrors, collect, fill, items, rowList, showProblem } from "./forms.js";

const form = $("campaign-form");
let editing = null; // the stored configuration being edited
let campaigns = [];

const FLAGS = [
  ["final", "final"],
  ["human_contact", "reached a person"],
  ["sale", "sale"],
  ["callback", "callback"],
  ["dnc_request", "DNC request"],
];

const dispositions = rowList(
  $("campaign-dispositions"),
  (value = { code: "", final: true }) =>
    el(
      "div",
      { class: "row-fields", "data-testid": "campaign-disposition-row" },
      el("input", { "aria-label": "Code", placeholder: "code", value: value.code || "", autocomplete: "off", "data-testid": "campaign-disposition-code" }),
      ...FLAGS.map(([key, text]) =>
        el("label", { class: "check" }, el("input", { type: "checkbox", "data-flag": key, checked: Boolean(value[key]) }), ` ${text}`),
      ),
      el("input", { "aria-label": "Retry after (seconds)", type: "number", min: "0", step: "any", class: "narrow", placeholder: "retry s", value: value.retry_after != null ? String(value.retry_after) : "" }),
    ),
  (row) => {
    const code = row.querySelector('[data-testid="campaign-disposition-code"]').value.trim();
    if (!code) return null;
    const out = { code };
    for (const box of row.querySelectorAll("[data-flag]")) {
      if (box.checked || box.dataset.flag === "final") out[box.dataset.flag] = box.checked;
    }
    const retry = row.querySelector('input[type="number"]').value.trim();
    if (retry !== "") out.retry_after = Number(retry);
    return out;
  },
);

function body() {
  const out = collect(form, editing || {});
  const rows = dispositions.get();
  if (rows.length) out.dispositions = rows;
  else delete out.dispositions;
  return out;
}

function load(config) {
  fill(form, config);
  dispositions.set(config.dispositions || []);
}

const json = advanced($("campaign-advanced"), { body, load });

function startNew() {
  editing = null;
  clearErrors(form);
  form.reset();
  json.close();
  dispositions.set([]);
  $("campaign-mode").value = "progressive";
  $("campaign-name").readOnly = false;
  $("campaign-form-title").textContent = "Add a campaign";
  $("campaign-submit").textContent = "Create campaign";
}

function edit(campaign) {
  startNew();
  editing = campaign.config;
  load(editing);
  $("campaign-name").readOnly = true;
  $("campaign-form-title").textContent = `Change campaign ${campaign.name}`;
  $("campaign-submit").textContent = "Save changes";
  $("campaign-caller-id").focus();
}

// ---- state and switches -------------------------------------------------------------------

const SWITCHES = [
  ["start", "Start", "go", "running"],
  ["pause", "Pause", "", "paused"],
  ["stop", "Stop", "stop", "stopped"],
];

async function switchCampaign(campaign, verb) {
  const message = $("campaigns-message");
  try {
    const answer = await api(`campaigns/${encodeURIComponent(campaign.name)}/${verb}`, { method: "POST" });
    say(message, `${campaign.name} is ${answer.state}.`, "ok");
  } catch (problem) {
    say(message, problem.message, "error");
  }
  await loadCampaigns();
}

function controls(campaign) {
  const cell = el("td", { class: "controls" });
  for (const [verb, text, kind, after] of SWITCHES) {
    cell.append(
      el(
        "button",
        {
          type: "button",
          class: kind || null,
          disabled: campaign.state == null || campaign.state === after,
          "data-testid": `campaign-${verb}-${campaign.name}`,
          onclick: () => switchCampaign(campaign, verb),
        },
        text,
      ),
    );
  }
  cell.append(el("button", { type: "button", "data-testid": `campaign-edit-${campaign.name}`, onclick: () => edit(campaign) }, "Edit"));
  return cell;
}

export async function loadCampaigns() {
  campaigns = items(await api("campaigns?limit=1000"));
  fillRows(
    $("campaigns-table"),
    campaigns.map((campaign) => {
      const config = campaign.config || {};
      const state = campaign.state || "not running";
      return el(
        "tr",
        { "data-campaign": campaign.name },
        el("th", { scope: "row" }, campaign.name),
        el("td", {}, el("span", { class: `state-word ${campaign.state || ""}`, "data-testid": `campaign-state-${campaign.name}` }, label(state))),
        el("td", {}, label(config.dial_mode || "progressive")),
        el("td", { class: "num" }, percent(config.max_abandon_rate ?? 0.03)),
        el("td", {}, config.caller_id || "–"),
        el("td", { class: "num", "data-testid": `campaign-leads-${campaign.name}` }, number(campaign.leads)),
        controls(campaign),
      );
    }),
    7,
    "No campaigns yet: add one below.",
  );
  return campaigns;
}

$("campaign-new").addEventListener("click", startNew);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const message = $("campaign-message");
  say(message, ""); // the answer to this save, not the last one
  const wasNew = !editing;
  try {
    const sent = json.active() ? json.value() : body();
    const saved = wasNew
      ? await api("campaigns", { method: "POST", body: sent })
      : await api(`campaigns/${encodeURIComponent(editing.name)}`, { method: "PUT", body: sent });
    await loadCampaigns();
    edit(saved);
    const next = wasNew ? " It waits, stopped, for a Start." : " It dials by the new rules from its next step.";
    say(message, `Campaign ${saved.name} ${wasNew ? "created" : "saved"}.${next}`, "ok");
  } catch (problem) {
    showProblem(form, message, problem);
  }
});

startNew();
