// Supervisor wallboard: queues, agents, campaigns and the day's chart, from the
// stream's `tick` (every second) and `agent` (every state change) messages.

import { api, openStream, requireUser, signOut } from "./api.js";
import { duration, el, fillRows, label, number, percent } from "./format.js";

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const STATES = ["ready", "reserved", "talking", "wrap_up", "not_ready", "logged_out"];

const board = {
  queues: new Map(),
  agents: new Map(),
  stateCounts: null,
  campaigns: [],
  sort: "state", // agents by state, then longest in it; or by "time", or "agent"
  skew: 0,
  day: null, // {minutes: [epoch minute...], sl: [...], waiting: [...]} of today
  chart: null,
};

const serverNow = () => Date.now() / 1000 + board.skew;

// ---- queues and totals -----------------------------------------------------------

function queueRow(queue) {
  // Before the first contact of the day there is no rate to show (not a 0 % to alarm on).
  const offered = queue.offered_today > 0;
  const sl = offered ? queue.service_level_today : null;
  const target = queue.target ?? 0.8;
  const slClass = sl == null ? "num" : sl >= target ? "num good" : "num bad";
  return el(
    "tr",
    { "data-queue": queue.name },
    el("th", { scope: "row" }, queue.name),
    el("td", { class: queue.waiting ? "num hot" : "num", "data-testid": `wb-waiting-${queue.name}` }, queue.waiting),
    el("td", { class: "num" }, duration(queue.longest_wait)),
    el(
      "td",
      { class: slClass, title: queue.threshold != null ? `answered within ${queue.threshold} s` : null, "data-testid": `wb-sl-${queue.name}` },
      percent(sl),
      el("span", { class: "muted" }, ` / ${percent(target)}`),
    ),
    el("td", { class: "num", "data-testid": `wb-offered-${queue.name}` }, number(queue.offered_today)),
    el("td", { class: "num", "data-testid": `wb-handled-${queue.name}` }, number(queue.handled_today)),
    el("td", { class: "num", "data-testid": `wb-abandon-${queue.name}` }, percent(offered ? queue.abandon_rate_today : null)),
    el("td", { class: "num" }, duration(queue.answered_today > 0 ? queue.asa_today : null)),
    el("td", { class: "num" }, duration(queue.handled_today > 0 ? queue.aht_today : null)),
    el("td", { class: "num" }, percent(queue.staffed ? queue.occupancy : null)),
    el("td", { class: queue.callbacks_pending ? "num hot" : "num" }, number(queue.callbacks_pending)),
    el("td", { class: "num" }, `${number(queue.staffed)} / ${number(queue.ready)}`),
  );
}

/** Center-wide figures: service level weighted by contacts offered to each queue. */
function totals(queues) {
  let waiting = 0;
  let longest = 0;
  let offered = 0;
  let abandoned = 0;
  let weighted = 0;
  let weight = 0;
  for (const queue of queues) {
    waiting += queue.waiting || 0;
    longest = Math.max(longest, queue.longest_wait || 0);
    offered += queue.offered_today || 0;
    abandoned += queue.abandoned_today || 0;
    if (queue.service_level_today != null && queue.offered_today) {
      weighted += queue.service_level_today * queue.offered_today;
      weight += queue.offered_today;
    }
  }
  return {
    waiting,
    longest,
    serviceLevel: weight ? weighted / weight : null,
    abandonRate: offered ? abandoned / offered : null,
  };
}

function renderQueues() {
  const queues = [...board.queues.values()].sort((a, b) => a.name.localeCompare(b.name));
  fillRows($("wb-queues"), queues.map(queueRow), 12, "No queues.");
  const sum = totals(queues);
  $("total-waiting").textContent = sum.waiting;
  $("total-longest").textContent = duration(sum.longest);
  $("total-sl").textContent = percent(sum.serviceLevel);
  $("total-abandon").textContent = percent(sum.abandonRate);
  return sum;
}

// ---- agents -------------------------------------------------------------------

function countStates() {
  if (board.stateCounts) return board.stateCounts;
  const counts = {};
  for (const agent of board.agents.values()) counts[agent.state] = (counts[agent.state] || 0) + 1;
  return counts;
}

// Not-ready reasons and states as a supervisor says them.
const REASONS = {
  login: "just logged in",
  ring_no_answer: "missed offers",
  outbound_reserved: "held for an outbound call",
  break: "break",
  lunch: "lunch",
  meeting: "meeting",
  training: "training",
  coaching: "coaching",
};
const reasonText = (reason) => REASONS[reason] || label(reason);
// How long is long: a call over 10 minutes, a break over 15, wrap-up over 3.
const LONG = { talking: 600, not_ready: 900, wrap_up: 180 };

function agentOrder(a, b, now) {
  const byId = String(a.agent_id).localeCompare(String(b.agent_id));
  const stateRank = (state) => (STATES.indexOf(state) + STATES.length + 1) % (STATES.length + 1);
  const since = (agent) => (agent.since ? now - agent.since : -1);
  if (board.sort === "agent") return byId;
  if (board.sort === "time") return since(b) - since(a) || byId;
  return stateRank(a.state) - stateRank(b.state) || since(b) - since(a) || byId;
}

function renderAgents() {
  const counts = countStates();
  $("wb-state-counts").replaceChildren(
    ...STATES.map((state) =>
      el(
        "li",
        { class: "state-count", "data-state": state, "data-testid": `wb-count-${state}` },
        el("span", { class: "state-badge", "data-state": state }, label(state)),
        el("strong", {}, counts[state] || 0),
      ),
    ),
  );
  $("total-ready").textContent = counts.ready || 0;
  const now = serverNow();
  const agents = [...board.agents.values()]
    .filter((agent) => agent.state !== "logged_out")
    .sort((a, b) => agentOrder(a, b, now));
  for (const button of document.querySelectorAll("button[data-sort]")) {
    button.setAttribute("aria-pressed", String(button.dataset.sort === board.sort));
  }
  fillRows(
    $("wb-agents"),
    agents.map((agent) => {
      const inState = agent.since ? now - agent.since : null;
      const long = inState != null && LONG[agent.state] != null && inState > LONG[agent.state];
      const where = [agent.queue, agent.caller].filter(Boolean).join(" · ");
      const reason = agent.reason && agent.state === "not_ready" ? reasonText(agent.reason) : null;
      const pending = agent.pending ? (agent.pending === "logged_out" ? "log out next" : `${reasonText(agent.pending_reason || "break")} next`) : null;
      return el(
        "tr",
        { "data-agent": agent.agent_id, "data-testid": `wb-agent-${agent.agent_id}`, class: long ? "long" : null },
        el("th", { scope: "row" }, agent.agent_id),
        el("td", {}, agent.group || "–"),
        el(
          "td",
          {},
          el("span", { class: "state-badge", "data-state": agent.state, "data-testid": `wb-agent-state-${agent.agent_id}` }, label(agent.state)),
          reason ? el("span", { class: "muted", "data-testid": `wb-agent-reason-${agent.agent_id}` }, ` ${reason}`) : null,
          pending ? el("span", { class: "muted" }, ` (${pending})`) : null,
        ),
        el("td", { class: long ? "num bad" : "num", title: long ? "longer than usual" : null }, inState != null ? duration(inState) : "–"),
        el("td", {}, where || "–"),
      );
    }),
    5,
    "No agent is logged in.",
  );
}

// ---- campaigns ----------------------------------------------------------------

const pick = (object, ...names) => names.map((name) => object[name]).find((value) => value != null);

function renderCampaigns() {
  fillRows(
    $("wb-campaigns"),
    board.campaigns.map((campaign) => {
      const abandon = pick(campaign, "abandon_rate_30d", "abandon_rate");
      const cap = pick(campaign, "max_abandon_rate");
      const idle = campaign.idle_text;
      return el(
        "tr",
        { "data-campaign": campaign.name },
        el("th", { scope: "row" }, campaign.name),
        el("td", { class: "controls" }, ...campaignControls(campaign)),
        el("td", {}, label(campaign.dial_mode || "–")),
        el("td", { class: "num" }, campaign.dial_rate != null ? `${number(campaign.dial_rate, 1)} /min` : "–"),
        el("td", { class: "num" }, number(campaign.in_flight)),
        el("td", { class: "num" }, number(campaign.dials)),
        el("td", { class: "num" }, number(campaign.leads_left)),
        el("td", { class: "num" }, campaign.dnc_blocked != null ? `${number(campaign.dnc_blocked)} / ${number(campaign.window_blocked)}` : "–"),
        el(
          "td",
          { class: abandon != null && cap != null && abandon > cap ? "num bad" : "num" },
          percent(abandon),
          el("span", { class: "muted" }, ` / ${percent(cap)}`),
        ),
        el("td", { class: "num" }, number(campaign.connects)),
        el("td", { class: idle ? "hot" : "muted", "data-testid": `wb-idle-${campaign.name}` }, idle || (campaign.dial_rate != null ? "dialling" : "–")),
      );
    }),
    11,
    "No campaigns in this center.",
  );
}

// A supervisor's switch per campaign: the state in words and what can be done next.
// The buttons carry their campaign and action; one listener on the table (set up in
// main) handles them, so a row redrawn by the next tick loses no click.
const STATE_WORDS = { running: "Running", paused: "Paused", stopped: "Stopped" };
const SWITCHES = [
  ["start", "Start", "go", (state) => state !== "running"],
  ["pause", "Pause", "", (state) => state === "running"],
  ["stop", "Stop", "stop", (state) => state !== "stopped"],
];

function campaignControls(campaign) {
  const state = campaign.state;
  if (!state) return [el("span", { class: "muted" }, "–")];
  return [
    el("span", { class: `state-word ${state}`, "data-testid": `wb-state-${campaign.name}` }, STATE_WORDS[state] || state),
    ...SWITCHES.filter(([, , , shown]) => shown(state)).map(([action, text, style]) =>
      el(
        "button",
        {
          type: "button",
          class: `small ${style}`.trim(),
          "data-campaign-action": action,
          "data-campaign-name": campaign.name,
          "data-testid": `wb-${action}-${campaign.name}`,
        },
        text,
      ),
    ),
  ];
}

async function switchCampaign(button) {
  const { campaignAction: action, campaignName: name } = button.dataset;
  button.disabled = true;
  try {
    const answer = await api(`campaigns/${encodeURIComponent(name)}/${action}`, { method: "POST" });
    board.campaigns = board.campaigns.map((row) =>
      row.name === name ? { ...row, state: answer.state, idle_text: answer.state === "running" ? row.idle_text : null } : row,
    );
    $("wb-campaign-error").textContent = "";
  } catch (error) {
    $("wb-campaign-error").textContent = `${name}: ${error.message}`;
  }
  renderCampaigns();
}

// ---- the day's chart ------------------------------------------------------------

function dayKey() {
  const today = new Date(serverNow() * 1000);
  return `tidal.wallboard.${today.getFullYear()}-${today.getMonth() + 1}-${today.getDate()}`;
}

function loadDay() {
  const key = dayKey();
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    stored = null;
  }
  board.day = stored && Array.isArray(stored.minutes) ? { key, ...stored } : { key, minutes: [], sl: [], waiting: [] };
}

/** Keep one point a minute: the latest service level and the most callers waiting. */
function record(at, sum) {
  if (!board.day || board.day.key !== dayKey()) loadDay();
  const day = board.day;
  const minute = Math.floor(at / 60) * 60;
  const last = day.minutes.length - 1;
  const sl = sum.serviceLevel == null ? null : Math.round(sum.serviceLevel * 1000) / 10;
  if (last >= 0 && day.minutes[last] === minute) {
    day.sl[last] = sl;
    day.waiting[last] = Math.max(day.waiting[last] ?? 0, sum.waiting);
  } else {
    day.minutes.push(minute);
    day.sl.push(sl);
    day.waiting.push(sum.waiting);
    localStorage.setItem(day.key, JSON.stringify({ minutes: day.minutes, sl: day.sl, waiting: day.waiting }));
  }
  drawChart();
}

/** Epoch seconds as the API's ISO date-time (UTC). */
const iso = (epoch) => new Date(epoch * 1000).toISOString().replace(/\.\d+Z$/, "+00:00");

/**
 * The hours of today before this screen opened: the day's service level at each full
 * hour, from the queue report since midnight (the figure the tick calls "today").
 * Callers waiting then are not kept anywhere, so those points have none.
 */
async function backfill() {
  const day = board.day;
  const midnight = new Date(serverNow() * 1000);
  midnight.setHours(0, 0, 0, 0);
  const start = midnight.getTime() / 1000;
  const before = day.minutes.length ? day.minutes[0] : serverNow();
  const points = [];
  for (let hour = start + 3600; hour < before - 60; hour += 3600) {
    const report = await api(`reports/queues?from=${encodeURIComponent(iso(start))}&to=${encodeURIComponent(iso(hour))}`);
    let weighted = 0;
    let offered = 0;
    for (const row of report.items || []) {
      if (row.service_level != null && row.offered) {
        weighted += row.service_level * row.offered;
        offered += row.offered;
      }
    }
    points.push([hour, offered ? Math.round((weighted / offered) * 1000) / 10 : null]);
  }
  if (!points.length || board.day !== day) return;
  day.minutes.unshift(...points.map(([at]) => at));
  day.sl.unshift(...points.map(([, sl]) => sl));
  day.waiting.unshift(...points.map(() => null));
  localStorage.setItem(day.key, JSON.stringify({ minutes: day.minutes, sl: day.sl, waiting: day.waiting }));
  drawChart();
}

function drawChart() {
  const host = $("wb-chart");
  const day = board.day;
  const data = [day.minutes, day.sl, day.waiting];
  if (!window.uPlot) {
    host.textContent = "Chart library missing.";
    return;
  }
  const width = Math.max(320, host.getBoundingClientRect().width);
  if (!board.chart) {
    board.chart = new window.uPlot(
      {
        width,
        height: 240,
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, auto: false },
          sl: { range: [0, 100] }, waiting: { range: (u, min, max) => [0, Math.max(5, max)] } },
        series: [
          {},
          { label: "Service level %", scale: "sl", stroke: "#1565c0", width: 2, value: (u, v) => (v == null ? "–" : `${v.toFixed(1)} %`) },
          { label: "Waiting", scale: "waiting", stroke: "#d84315", width: 2, fill: "rgba(216,67,21,0.08)", value: (u, v) => (v == null ? "–" : v) },
        ],
        axes: [
          {},
          { scale: "sl", label: "service level %", values: (u, ticks) => ticks.map((t) => `${t}`) },
          { scale: "waiting", side: 1, label: "waiting", grid: { show: false } },
        ],
      },
      data,
      host,
    );
    window.addEventListener("resize", () => board.chart.setSize({ width: Math.max(320, host.clientWidth), height: 240 }));
  } else {
    board.chart.setData(data, false);
  }
  // From the first point with data (not midnight), at least an hour wide, so a screen
  // opened a minute ago does not stretch one point over the day.
  const firstData = day.minutes.findIndex((_, i) => day.sl[i] != null || day.waiting[i]);
  const first = firstData >= 0 ? day.minutes[firstData] : serverNow() - 3600;
  const last = day.minutes.length ? day.minutes[day.minutes.length - 1] : serverNow();
  board.chart.setScale("x", { min: first - 60, max: Math.max(last + 60, first + 3600) });
}

// ---- stream ------------------------------------------------------------------------

function onMessage(message) {
  if (message.type === "tick") {
    if (message.at) board.skew = message.at - Date.now() / 1000;
    if (Array.isArray(message.queues)) board.queues = new Map(message.queues.map((queue) => [queue.name, queue]));
    if (message.agents && typeof message.agents === "object") board.stateCounts = message.agents;
    if (Array.isArray(message.campaigns)) board.campaigns = message.campaigns;
    const sum = renderQueues();
    renderAgents();
    renderCampaigns();
    record(message.at || serverNow(), sum);
  } else if (message.type === "agent") {
    board.agents.set(message.agent_id, message);
    renderAgents();
  }
}

async function reload() {
  const [queues, agents, campaigns] = await Promise.all([
    api("queues"),
    api("agents?limit=1000"),
    api("campaigns").catch(() => null),
  ]);
  const items = (page) => (Array.isArray(page) ? page : (page && page.items) || []);
  board.queues = new Map(items(queues).map((queue) => [queue.name, queue]));
  board.agents = new Map(items(agents).map((agent) => [agent.agent_id, agent]));
  if (!board.campaigns.length && campaigns) {
    // Until the first tick: the configured campaigns, without live figures.
    board.campaigns = items(campaigns).map((campaign) => {
      const config = campaign.config || campaign;
      return { name: campaign.name, state: campaign.state, dial_mode: config.dial_mode, max_abandon_rate: config.max_abandon_rate };
    });
  }
  renderQueues();
  renderAgents();
  renderCampaigns();
}

function setStatus(status) {
  const node = $("stream-status");
  node.dataset.status = status;
  node.textContent = status;
}

async function main() {
  const me = await requireUser(["supervisor", "admin"]);
  $("who").textContent = me.name;
  $("to-admin").hidden = me.role !== "admin";
  $("signout").addEventListener("click", signOut);
  for (const button of document.querySelectorAll("button[data-sort]")) {
    button.addEventListener("click", () => {
      board.sort = button.dataset.sort;
      renderAgents();
    });
  }
  $("wb-campaigns").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-campaign-action]");
    if (button && !button.disabled) switchCampaign(button);
  });
  loadDay();
  drawChart();
  openStream({ onMessage, onStatus: setStatus, onReconnect: () => reload().catch(() => {}) });
  await reload();
  backfill().catch(() => {}); // the chart is still right from now on without it
  setInterval(() => {
    $("wallboard-clock").textContent = new Date(serverNow() * 1000).toLocaleTimeString();
    renderAgents();
  }, 1000);
}

main().catch(() => {});
