// Do-Not-Call and consent: the internal lists and consents on file (searched, paged),
// a number's check, list and consent changes (audited by the server), registry import.

import { api } from "../api.js";
import { el, fillRows, label, say } from "../format.js";
import { $, attempt, pager } from "./forms.js";

const PAGE = 25;
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "–");

async function showList(list, offset = 0) {
  const { path, query, table, pagerId, message, columns, row, empty } = list;
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const [key, value] of Object.entries(query())) if (value) params.set(key, value);
  try {
    const page = await api(`${path}?${params}`);
    say($(message), "");
    fillRows($(table), page.items.map(row), columns, empty);
    pager($(pagerId), page, (next) => showList(list, next));
  } catch (problem) {
    say($(message), problem.message, "error");
  }
}

const dncList = {
  path: "dnc",
  query: () => ({ number: $("dnc-search").value.trim(), campaign: $("dnc-search-campaign").value.trim() }),
  table: "dnc-table",
  pagerId: "dnc-pager",
  message: "dnc-list-message",
  columns: 4,
  empty: "No number on the internal lists matches.",
  row: (entry) =>
    el(
      "tr",
      { "data-testid": "dnc-row" },
      el("th", { scope: "row" }, entry.number),
      el("td", {}, entry.campaign ? `campaign ${entry.campaign}` : "every campaign"),
      el("td", {}, entry.source),
      el("td", {}, when(entry.added_at)),
    ),
};

const consentList = {
  path: "dnc/consent",
  query: () => ({ number: $("consent-search").value.trim() }),
  table: "consent-table",
  pagerId: "consent-pager",
  message: "consent-list-message",
  columns: 6,
  empty: "No consent on file matches.",
  row: (consent) =>
    el(
      "tr",
      { "data-testid": "consent-row" },
      el("th", { scope: "row" }, consent.number),
      el("td", {}, consent.kind),
      el("td", {}, consent.source),
      el("td", {}, when(consent.granted_at)),
      el("td", {}, consent.expires_at ? when(consent.expires_at) : "until revoked"),
      el("td", { class: consent.valid ? "good" : "bad" }, consent.valid ? "yes" : "lapsed"),
    ),
};

export async function loadDnc() {
  await Promise.all([showList(dncList), showList(consentList)]);
}

$("dnc-search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  showList(dncList);
});
$("consent-search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  showList(consentList);
});

/** The submit button that sent a form (its data-mode tells which action). */
const modeOf = (event) => (event.submitter && event.submitter.dataset.mode) || "add";

$("dnc-check-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const number = event.currentTarget.number.value.trim();
  const result = $("dnc-check-result");
  try {
    const answer = await api(`dnc/${encodeURIComponent(number)}`);
    const lines = Object.entries(answer || {}).map(([e164, verdict]) =>
      el(
        "p",
        { "data-testid": "dnc-verdict", "data-blocked": String(!!verdict.blocked) },
        el("strong", {}, e164),
        verdict.blocked ? " is blocked: " : " may be called",
        verdict.blocked ? (verdict.reasons || []).map(label).join(", ") : "",
        !verdict.blocked && verdict.reasons && verdict.reasons.length ? ` (${verdict.reasons.map(label).join(", ")})` : "",
      ),
    );
    result.replaceChildren(...lines);
    result.dataset.kind = "ok";
    result.hidden = false;
  } catch (problem) {
    say(result, problem.message, "error");
  }
});

function optional(body, key, value) {
  if (value) body[key] = value;
  return body;
}

$("dnc-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const mode = modeOf(event);
  const number = form.number.value.trim();
  const done = await attempt(
    $("dnc-message"),
    () => {
      const campaign = form.campaign.value.trim();
      if (mode === "remove") {
        // Lifting an opt-out needs a reason (kept in the audit trail).
        const reason = form.reason.value.trim();
        if (!reason) throw new Error("reason: say why the number comes off the list.");
        const query = new URLSearchParams({ reason });
        if (campaign) query.set("campaign", campaign);
        return api(`dnc/${encodeURIComponent(number)}?${query}`, { method: "DELETE" });
      }
      const body = { number };
      optional(body, "campaign", campaign);
      optional(body, "reason", form.reason.value.trim());
      return api("dnc", { method: "POST", body });
    },
    (answer) => (mode === "remove" ? `${answer.number} removed from the internal DNC list.` : `${answer.number} added to the internal DNC list.`),
  );
  if (done) await showList(dncList);
});

$("consent-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const mode = modeOf(event);
  const body = { number: form.number.value.trim(), kind: form.kind.value, source: form.source.value.trim() };
  if (form.at.value) body.at = new Date(form.at.value).toISOString();
  optional(body, "reason", form.reason.value.trim());
  const done = await attempt(
    $("consent-message"),
    () => {
      if (!body.number) throw new Error("Enter the number.");
      if (mode === "revoke") return api(`dnc/consent/${encodeURIComponent(body.number)}`, { method: "DELETE" });
      if (!body.source) throw new Error("source: say where the consent is recorded (form id, order id …).");
      return api("dnc/consent", { method: "POST", body });
    },
    (answer) =>
      mode === "revoke"
        ? `${answer.number}: ${answer.revoked} consent${answer.revoked === 1 ? "" : "s"} revoked.`
        : `Consent of ${answer.number} recorded${answer.expires_at ? `, lapses ${new Date(answer.expires_at).toLocaleDateString()}` : " until revoked"}.`,
  );
  if (done) await showList(consentList);
});

$("registry-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = event.currentTarget.file.files[0];
  $("registry-report").hidden = true;
  const report = await attempt(
    $("registry-message"),
    () => {
      if (!file) throw new Error("Choose a registry file.");
      const body = new FormData();
      body.append("file", file);
      return api("dnc/registry", { method: "POST", body });
    },
    (answer) =>
      `${file.name}: ${answer.lines ?? "?"} lines read, ${answer.numbers_added ?? 0} numbers added, ${answer.numbers_deleted ?? 0} deleted, ${answer.error_count ?? (answer.errors || []).length} bad lines.`,
  );
  if (report) {
    const errors = report.errors || report.rejected || [];
    fillRows(
      $("registry-errors"),
      errors.map((error) =>
        el(
          "tr",
          {},
          el("td", { class: "num" }, error.line ?? error.row ?? "–"),
          el("td", {}, error.message || error.reason || JSON.stringify(error)),
          el("td", {}, el("code", {}, error.text ?? "")),
        ),
      ),
      3,
      "Every line was read.",
    );
    $("registry-report").hidden = false;
  }
});
