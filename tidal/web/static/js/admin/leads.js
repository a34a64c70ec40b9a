// Leads: a campaign's leads by their state in the dialer and by number, paged; recycle
// the states ticked; upload a lead list with a per-row report of what was rejected.

import { api } from "../api.js";
import { el, fillRows, label, say } from "../format.js";
import { $, attempt, items, pager } from "./forms.js";

const PAGE = 25;
let offset = 0;

const ticked = () => [...$("lead-states").querySelectorAll("input:checked")].map((box) => box.value);

/** Fill both campaign pickers (the browser's and the upload's), keeping the choices. */
async function campaignChoices() {
  const names = items(await api("campaigns?limit=1000")).map((campaign) => campaign.name);
  for (const pick of [$("lead-campaign"), $("leads-campaign")]) {
    const chosen = pick.value;
    pick.replaceChildren(...names.map((name) => el("option", { value: name }, name)));
    if (names.includes(chosen)) pick.value = chosen;
  }
  return names;
}

function leadFields(data) {
  const entries = Object.entries(data || {});
  if (!entries.length) return "–";
  return entries.map(([key, value]) => `${key}: ${value}`).join(" · ");
}

async function showLeads() {
  const campaign = $("lead-campaign").value;
  const message = $("lead-message");
  if (!campaign) {
    fillRows($("leads-table"), [], 4, "No campaign yet.");
    pager($("lead-pager"), null, () => {});
    return;
  }
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const state of ticked()) query.append("state", state);
  const number = $("lead-number").value.trim();
  if (number) query.set("number", number);
  try {
    const page = await api(`campaigns/${encodeURIComponent(campaign)}/leads?${query}`);
    fillRows(
      $("leads-table"),
      page.items.map((lead) =>
        el(
          "tr",
          { "data-testid": "lead-row", "data-state": lead.state },
          el("td", { class: "num" }, lead.id),
          el("td", {}, lead.numbers.join(", ")),
          el("td", { class: "small" }, leadFields(lead.data)),
          el("td", {}, el("span", { class: "lead-state", "data-state": lead.state }, label(lead.state))),
        ),
      ),
      4,
      "No lead matches.",
    );
    pager($("lead-pager"), page, (next) => {
      offset = next;
      showLeads();
    });
  } catch (problem) {
    say(message, problem.message, "error");
  }
}

export async function loadLeads() {
  await campaignChoices();
  await showLeads();
}

$("lead-filter-form").addEventListener("submit", (event) => {
  event.preventDefault();
  say($("lead-message"), "");
  offset = 0;
  showLeads();
});
$("lead-campaign").addEventListener("change", () => {
  offset = 0;
  showLeads();
});

$("lead-recycle").addEventListener("click", async () => {
  const campaign = $("lead-campaign").value;
  const states = ticked();
  const message = $("lead-message");
  if (!states.length) {
    say(message, "Tick the states to recycle first (new, callback or done).", "error");
    return;
  }
  if (!window.confirm(`Recycle the ${states.map(label).join(", ")} leads of ${campaign}? They are dialled again.`)) return;
  const answer = await attempt(
    message,
    () => api(`campaigns/${encodeURIComponent(campaign)}/leads/recycle`, { method: "POST", body: { states } }),
    (result) =>
      `${result.recycled} lead${result.recycled === 1 ? "" : "s"} back to new` +
      (result.refused_dnc ? `; ${result.refused_dnc} left out: every number is on a Do-Not-Call list.` : "."),
  );
  if (answer) {
    offset = 0;
    await showLeads();
  }
});

// ---- upload ---------------------------------------------------------------------------------

$("leads-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const file = form.file.files[0];
  $("leads-report").hidden = true;
  const campaign = form.campaign.value;
  const report = await attempt(
    $("leads-message"),
    () => {
      if (!campaign) throw new Error("Choose a campaign first.");
      if (!file) throw new Error("Choose a CSV file.");
      const body = new FormData();
      body.append("file", file);
      return api(`campaigns/${encodeURIComponent(campaign)}/leads`, { method: "POST", body });
    },
    () => `${file.name} read for ${campaign}.`,
  );
  if (report) {
    showLeadReport(report);
    await showLeads();
  }
});

function showLeadReport(report) {
  const rejected = report.rejected || [];
  const parts = [
    report.rows != null ? `${report.rows} rows read` : null,
    `${report.accepted ?? 0} accepted`,
    `${report.merged ?? 0} merged`,
    report.already_in_campaign ? `${report.already_in_campaign} already in the campaign` : null,
    `${rejected.length} rejected`,
  ];
  $("leads-summary").textContent = `${parts.filter(Boolean).join(", ")}.`;
  fillRows(
    $("leads-rejected"),
    rejected.map((row) =>
      el(
        "tr",
        { "data-testid": "leads-rejected-row" },
        el("td", { class: "num" }, row.row),
        el("td", {}, row.column || "–"),
        el("td", {}, row.value != null && row.value !== "" ? el("code", {}, row.value) : "–"),
        el("td", {}, row.reason),
      ),
    ),
    4,
    "Every row was accepted.",
  );
  $("leads-report").hidden = false;
}
