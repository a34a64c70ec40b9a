// The audit trail: who changed lists, consents, users, campaigns, leads and dispositions,
// newest first, filtered by action, who, number and dates, paged.

import { api } from "../api.js";
import { el, fillRows, label, say } from "../format.js";
import { $, pager } from "./forms.js";

const PAGE = 50;
const ACTIONS = [
  "internal_dnc_added",
  "internal_dnc_removed",
  "consent_granted",
  "consent_revoked",
  "disposition",
  "dial_refused",
  "campaign_refused",
  "campaign_state",
  "leads_recycled",
  "user_created",
  "user_changed",
  "user_deleted",
  "user_signed_out",
];

function details(entry) {
  const parts = Object.entries(entry.details || {}).map(([key, value]) => {
    const text = Array.isArray(value) ? value.join(", ") : value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
    return `${label(key)}: ${text}`;
  });
  return parts.join(" · ") || "–";
}

async function show(offset = 0) {
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset), order: "newest" });
  const fields = { action: "audit-action", actor: "audit-actor", number: "audit-number", from: "audit-from", to: "audit-to" };
  for (const [key, testid] of Object.entries(fields)) {
    const value = $(testid).value.trim();
    if (value) query.set(key, value);
  }
  const message = $("audit-message");
  try {
    const page = await api(`audit?${query}`);
    say(message, "");
    fillRows(
      $("audit-table"),
      page.items.map((entry) =>
        el(
          "tr",
          { "data-testid": "audit-row", "data-action": entry.action },
          el("td", {}, new Date(entry.at).toLocaleString()),
          el("td", {}, label(entry.action)),
          el("td", {}, entry.actor),
          el("td", {}, entry.number || "–"),
          el("td", {}, entry.campaign || "–"),
          el("td", { class: "small" }, details(entry)),
        ),
      ),
      6,
      "No entry matches.",
    );
    pager($("audit-pager"), page, show);
  } catch (problem) {
    say(message, problem.message, "error");
  }
}

export async function loadAudit() {
  const list = document.getElementById("audit-actions");
  if (!list.children.length) list.replaceChildren(...ACTIONS.map((action) => el("option", { value: action })));
  await show();
}

$("audit-form").addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});
