// Reports: queue, interval, agent and campaign figures over a period chosen in the
// browser's own time zone, CSV downloads of the same period, and a contact search that
// opens a customer's interaction history.

import { API, ApiError, api, describe, requireUser, signOut, token } from "./api.js";
import { duration, el, fillRows, label, number, percent, say } from "./format.js";

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const PAGE = 25; // contacts per search page

const state = {
  tab: "queues",
  queues: [],
  chart: null,
  search: { params: null, offset: 0, total: 0 },
};

// ---- time in the browser's zone ------------------------------------------------------

const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";

function pad(value) {
  return String(value).padStart(2, "0");
}

/** "2026-12-04" of a Date, in the browser's zone. */
function isoDay(when) {
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}

/** Local midnight starting `day` ("2026-12-04"), `plus` days later, with its UTC offset. */
function localMidnight(day, plus = 0) {
  const [y, m, d] = day.split("-").map(Number);
  const when = new Date(y, m - 1, d + plus, 0, 0, 0);
  const offset = -when.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${isoDay(when)}T00:00:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function offsetName(when = new Date()) {
  const part = new Intl.DateTimeFormat([], { timeZoneName: "short" })
    .formatToParts(when)
    .find((p) => p.type === "timeZoneName");
  return part ? part.value : "";
}

function dateTime(epoch) {
  if (epoch == null) return "–";
  return new Date(epoch * 1000).toLocaleString([], {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

function hourMinute(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The period's query: local midnight of "from" to local midnight after "to". */
function periodParams() {
  const from = $("period-from").value;
  const to = $("period-to").value || from;
  return new URLSearchParams({ from: localMidnight(from), to: localMidnight(to, 1) });
}

function reportUrl(kind, extra = {}, csv = false) {
  const params = periodParams();
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  if (csv) params.set("format", "csv");
  return `${API}/reports/${kind}?${params}`;
}

// ---- errors and downloads -------------------------------------------------------------

function problem(error) {
  const text = error instanceof ApiError ? error.message : `Could not reach the server (${error.message}).`;
  say($("reports-error"), text, "error");
}

/** Download a CSV with the bearer token (a plain link could not send it). */
async function download(link) {
  say($("reports-error"), "");
  const response = await fetch(link.getAttribute("href"), { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 401) return signOut();
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new ApiError(response.status, body && body.detail);
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "tidal-report.csv";
  const url = URL.createObjectURL(await response.blob());
  const save = el("a", { href: url, download: name, hidden: true });
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function csvLink(id, url) {
  const link = $(id);
  link.setAttribute("href", url);
}

// ---- queues ---------------------------------------------------------------------------

function cell(text, attributes = {}) {
  return el("td", { class: "num", ...attributes }, text);
}

function fcrCell(row) {
  if (row.fcr == null) {
    return cell(row.answered ? "not yet" : "–", { title: "no answered contact of the period has had its whole window yet" });
  }
  return cell(percent(row.fcr), { title: `over ${row.fcr_judged} answered contacts` });
}

function queueRow(row) {
  const answered = row.answered > 0;
  return el(
    "tr",
    { "data-queue": row.queue },
    el("th", { scope: "row" }, row.queue),
    cell(number(row.offered), { "data-testid": `q-offered-${row.queue}` }),
    cell(number(row.answered), { "data-testid": `q-answered-${row.queue}` }),
    cell(number(row.abandoned), { "data-testid": `q-abandoned-${row.queue}` }),
    cell(percent(row.offered ? row.service_level : null), { "data-testid": `q-sl-${row.queue}` }),
    cell(duration(answered ? row.asa : null), { "data-testid": `q-asa-${row.queue}` }),
    cell(percent(row.offered ? row.abandon_rate : null)),
    cell(duration(row.aht || null)),
    cell(duration(row.offered ? row.max_wait : null)),
    fcrCell(row),
    cell(number(row.repeat_contacts)),
    cell(percent(row.resolved_flag_rate), { "data-testid": `q-flag-${row.queue}` }),
  );
}

async function loadQueues() {
  const picker = $("fcr-window");
  const params = { fcr_window: picker.value };
  csvLink("csv-queues", reportUrl("queues", params, true));
  const report = await api(reportUrl("queues", params));
  state.queues = report.items.map((row) => row.queue);
  fillRows($("queues-rows"), report.items.map(queueRow), 12, "This center has no queues yet.");
  const judged = report.items.reduce((sum, row) => sum + (row.fcr_judged || 0), 0);
  const words = picker.options[picker.selectedIndex].text;
  $("fcr-note").textContent =
    `FCR: an answered contact counts as resolved first time when the same customer did not come back, ` +
    `on any queue, within ${words}. Contacts whose ${words} are not over yet are left out ` +
    `(${judged} judged in this period). Agent-flagged resolved is the agents' own disposition, for comparison.`;
  fillQueuePicker();
}

// ---- intervals ------------------------------------------------------------------------

function fillQueuePicker() {
  const picker = $("interval-queue");
  const chosen = picker.value;
  picker.replaceChildren(...state.queues.map((name) => el("option", { value: name }, name)));
  if (state.queues.includes(chosen)) picker.value = chosen;
}

function intervalRow(row) {
  const offered = row.offered > 0;
  return el(
    "tr",
    { "data-start": row.start },
    el("th", { scope: "row" }, `${hourMinute(row.start)}–${hourMinute(row.end)}`),
    cell(number(row.offered)),
    cell(number(row.answered)),
    cell(number(row.abandoned)),
    cell(percent(offered ? row.service_level : null)),
    cell(duration(row.answered ? row.asa : null)),
    cell(duration(row.aht || null)),
  );
}

function drawChart(rows, minutes) {
  const host = $("interval-chart");
  if (!window.uPlot) {
    host.textContent = "Chart library missing.";
    return;
  }
  if (state.chart) {
    state.chart.destroy();
    state.chart = null;
  }
  host.replaceChildren();
  if (!rows.length) {
    host.append(el("p", { class: "muted" }, "No interval of this period has begun yet."));
    return;
  }
  const x = rows.map((row) => Date.parse(row.start) / 1000 + (minutes * 60) / 2);
  const data = [
    x,
    rows.map((row) => row.offered),
    rows.map((row) => row.answered),
    rows.map((row) => (row.offered ? row.service_level * 100 : null)),
  ];
  // From the interval before the first contact (at least two hours shown) to the last
  // interval's end, so a day's chart does not squeeze the busy hours against the edge.
  const starts = rows.map((row) => Date.parse(row.start) / 1000);
  const last = Date.parse(rows[rows.length - 1].end) / 1000;
  const busy = rows.findIndex((row) => row.offered > 0);
  let first = busy > 0 ? starts[busy - 1] : starts[0];
  first = Math.max(starts[0], Math.min(first, last - 2 * 3600));
  const bars = window.uPlot.paths.bars;
  state.chart = new window.uPlot(
    {
      width: Math.max(320, host.getBoundingClientRect().width),
      height: 260,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => [first, last] }, count: { range: (u, min, max) => [0, Math.max(4, max)] }, sl: { range: [0, 100] } },
      series: [
        {},
        { label: "Offered", scale: "count", stroke: "#6b7f99", fill: "rgba(107,127,153,0.35)", paths: bars({ size: [0.8, 60], align: -1 }), points: { show: false } },
        { label: "Answered", scale: "count", stroke: "#1565c0", fill: "rgba(21,101,192,0.55)", paths: bars({ size: [0.8, 60], align: 1 }), points: { show: false } },
        { label: "Service level %", scale: "sl", stroke: "#2e7d32", width: 2, spanGaps: false, points: { show: true, size: 7, fill: "#2e7d32" }, value: (u, v) => (v == null ? "–" : `${v.toFixed(1)} %`) },
      ],
      axes: [
        { space: 80 },
        { scale: "count", label: "contacts" },
        { scale: "sl", side: 1, label: "service level %", grid: { show: false } },
      ],
    },
    data,
    host,
  );
}

async function loadIntervals() {
  const queue = $("interval-queue").value;
  const minutes = Number($("interval-length").value);
  if (!queue) {
    fillRows($("interval-rows"), [], 7, "This center has no queues yet.");
    return;
  }
  const extra = { queue, interval: String(minutes) };
  csvLink("csv-intervals", reportUrl("intervals", extra, true));
  const report = await api(reportUrl("intervals", extra));
  const rows = report.items;
  // A day has 96 quarter hours: the table lists those with contacts unless asked for all.
  const listed = $("interval-empty").checked ? rows : rows.filter((row) => row.offered > 0);
  const empty = rows.length ? "No contact in any interval of this period." : "No interval of this period has begun yet.";
  fillRows($("interval-rows"), listed.map(intervalRow), 7, empty);
  drawChart(rows, minutes);
}

// ---- agents and campaigns -------------------------------------------------------------

async function loadAgents() {
  csvLink("csv-agents", reportUrl("agents", {}, true));
  const report = await api(reportUrl("agents"));
  const rows = report.items.map((row) =>
    el(
      "tr",
      { "data-group": row.group },
      el("th", { scope: "row" }, row.group),
      cell(number(row.count)),
      cell(duration(row.logged_in_seconds)),
      cell(duration(row.talk_seconds)),
      cell(duration(row.wrap_seconds)),
      cell(duration(row.idle_seconds)),
      cell(percent(row.logged_in_seconds ? row.occupancy : null)),
    ),
  );
  fillRows($("agents-rows"), rows, 7, "No agent was logged in during this period.");
}

const money = new Intl.NumberFormat([], { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function amount(value, costs) {
  if (value == null) return costs ? "no conversion" : "no costs set";
  return money.format(value);
}

async function loadCampaigns() {
  csvLink("csv-campaigns", reportUrl("campaigns", {}, true));
  const report = await api(reportUrl("campaigns"));
  const rows = report.items.map((row) => {
    const costs = row.spend != null;
    return el(
      "tr",
      { "data-campaign": row.campaign },
      el("th", { scope: "row" }, row.campaign),
      cell(number(row.dials), { "data-testid": `c-dials-${row.campaign}` }),
      cell(percent(row.dials ? row.contact_rate : null)),
      cell(number(row.connects)),
      cell(percent(row.human_answers ? row.abandon_rate : null)),
      cell(number(row.conversions)),
      cell(percent(row.connects ? row.conversion_rate : null)),
      cell(row.agent_hours ? number(row.conversions_per_hour, 2) : "–"),
      cell(number(row.agent_hours, 1)),
      cell(costs ? money.format(row.spend) : "no costs set", { class: costs ? "num" : "num muted" }),
      cell(amount(row.cost_per_acquisition, costs), { class: row.cost_per_acquisition == null ? "num muted" : "num" }),
    );
  });
  fillRows($("campaigns-rows"), rows, 11, "No campaign yet.");
}

// ---- contact search and history -------------------------------------------------------

function contactRow(record, onOpen) {
  const wait = record.answered_at != null ? record.answered_at - record.arrived_at
    : record.ended_at != null ? record.ended_at - record.arrived_at : null;
  const talk = record.answered_at != null && record.ended_at != null ? record.ended_at - record.answered_at : null;
  const attributes = { "data-contact": record.contact_id };
  if (onOpen && record.caller) {
    Object.assign(attributes, {
      class: "clickable", tabindex: 0, title: `Open the history of ${record.caller}`,
      onclick: () => onOpen(record.caller),
      onkeydown: (event) => { if (event.key === "Enter") onOpen(record.caller); },
    });
  }
  const cells = [
    el("td", {}, dateTime(record.arrived_at)),
    onOpen ? el("td", {}, record.caller || "–") : null,
    el("td", {}, record.direction),
    el("td", {}, record.queue),
    el("td", {}, record.agent_id || "–"),
    el("td", {}, label(record.outcome)),
    onOpen ? cell(duration(wait)) : null,
    cell(duration(talk)),
    el("td", {}, record.disposition ? label(record.disposition) : "–"),
  ];
  return el("tr", attributes, cells);
}

async function openHistory(caller) {
  const dialog = $("history");
  $("history-title").textContent = `History of ${caller}`;
  fillRows($("history-rows"), [], 7, "Loading…");
  if (!dialog.open) dialog.showModal();
  try {
    const page = await api(`contacts/${encodeURIComponent(caller)}/history?limit=200`);
    const rows = page.items.slice().reverse().map((record) => contactRow(record, null));
    fillRows($("history-rows"), rows, 7, "No interaction with this number.");
  } catch (error) {
    fillRows($("history-rows"), [], 7, describe(error.detail, error.status));
  }
}

function searchParams() {
  const params = new URLSearchParams();
  const fields = { number: "search-number", agent: "search-agent", disposition: "search-disposition" };
  for (const [key, id] of Object.entries(fields)) {
    const value = $(id).value.trim();
    if (value) params.set(key, value);
  }
  const from = $("search-from").value;
  const to = $("search-to").value;
  if (from) params.set("from", localMidnight(from));
  if (to) params.set("to", localMidnight(to, 1));
  return params;
}

async function runSearch(offset = 0) {
  const search = state.search;
  search.offset = offset;
  const params = new URLSearchParams(search.params);
  params.set("limit", String(PAGE));
  params.set("offset", String(offset));
  const page = await api(`interactions?${params}`);
  search.total = page.total;
  const rows = page.items.map((record) => contactRow(record, openHistory));
  fillRows($("search-rows"), rows, 9, "No contact matches this search.");
  const last = Math.min(offset + page.items.length, page.total);
  $("search-count").textContent = page.total ? `${offset + 1}–${last} of ${page.total}` : "";
  $("search-prev").disabled = offset === 0;
  $("search-next").disabled = last >= page.total;
}

// ---- tabs and the page ----------------------------------------------------------------

const LOADERS = { queues: loadQueues, intervals: loadIntervals, agents: loadAgents, campaigns: loadCampaigns };

async function show(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll('[role="tab"]')) {
    const selected = button.id === `tab-${tab}`;
    button.setAttribute("aria-selected", String(selected));
    document.getElementById(button.getAttribute("aria-controls")).hidden = !selected;
  }
  await refresh();
}

async function refresh() {
  say($("reports-error"), "");
  try {
    if (state.tab === "intervals" && !state.queues.length) await loadQueues();
    const load = LOADERS[state.tab];
    if (load) await load();
  } catch (error) {
    problem(error);
  }
}

function guard(work) {
  return (event) => {
    if (event) event.preventDefault();
    Promise.resolve(work(event)).catch(problem);
  };
}

async function main() {
  const me = await requireUser(["supervisor", "admin"]);
  $("who").textContent = `${me.name} (${me.role})`;
  $("to-admin").hidden = me.role !== "admin";
  $("signout").addEventListener("click", signOut);
  const today = isoDay(new Date());
  $("period-from").value = today;
  $("period-to").value = today;
  $("search-from").value = today;
  $("search-to").value = today;
  const short = offsetName();
  const zone = short && short !== ZONE ? `${ZONE} (${short})` : ZONE;
  $("period-zone").textContent = `Times in ${zone}`;
  $("history-zone").textContent = `Newest first; times in ${zone}.`;
  $("period-form").addEventListener("submit", guard(refresh));
  $("fcr-window").addEventListener("change", guard(refresh));
  $("interval-queue").addEventListener("change", guard(loadIntervals));
  $("interval-length").addEventListener("change", guard(loadIntervals));
  $("interval-empty").addEventListener("change", guard(loadIntervals));
  for (const button of document.querySelectorAll('[role="tab"]')) {
    button.addEventListener("click", guard(() => show(button.id.replace("tab-", ""))));
  }
  for (const link of document.querySelectorAll('[data-testid^="csv-"]')) {
    link.addEventListener("click", guard(() => download(link)));
  }
  $("search-form").addEventListener("submit", guard(() => {
    state.search.params = searchParams();
    return runSearch(0);
  }));
  $("search-prev").addEventListener("click", guard(() => runSearch(Math.max(0, state.search.offset - PAGE))));
  $("search-next").addEventListener("click", guard(() => runSearch(state.search.offset + PAGE)));
  $("history-close").addEventListener("click", () => $("history").close());
  fillRows($("search-rows"), [], 9, "Search by number, agent, day or disposition.");
  window.addEventListener("resize", () => {
    const host = $("interval-chart");
    if (state.chart) state.chart.setSize({ width: Math.max(320, host.clientWidth), height: 260 });
  });
  await refresh();
}

main().catch((error) => {
  if (error instanceof ApiError) problem(error);
});
