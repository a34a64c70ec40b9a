// Agent desktop: one's state, offers with a countdown, the call, wrap-up and the
// screen pop, kept live by the stream.

import { api, ApiError, openStream, requireUser, signOut } from "./api.js";
import { clock, duration, el, fillRows, label, say } from "./format.js";

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const POP_KEY = "tidal.agent.pop";

const view = {
  me: null,
  agent: null, // AgentView
  offer: null, // OfferView being rung
  pop: JSON.parse(sessionStorage.getItem(POP_KEY) || "null"), // screen pop of the current contact
  queues: new Map(),
  skew: 0, // server clock minus this browser's, from tick `at`
  preview: null,
};

const serverNow = () => Date.now() / 1000 + view.skew;

// ---- state ---------------------------------------------------------------

// The states in which each state button may be pressed. During an offer, a call or
// wrap-up a break or log-out is kept as pending and taken when the work ends.
const BUSY = ["reserved", "talking", "wrap_up"];
const ALLOWED = {
  logged_in: ["logged_out"],
  ready: ["not_ready"],
  not_ready: ["ready", "not_ready", ...BUSY],
  logged_out: ["ready", "not_ready", ...BUSY],
};

// The center's not-ready reasons (code -> label), the default first: GET pause-reasons.
const pauseReasons = new Map();
const reasonLabel = (code) => pauseReasons.get(code) || label(code);

async function loadPauseReasons() {
  const answer = await api("pause-reasons");
  const select = $("state-reason");
  select.replaceChildren();
  pauseReasons.clear();
  for (const reason of answer.items) {
    pauseReasons.set(reason.code, reason.label);
    select.append(new Option(reason.label, reason.code));
  }
}

function pendingText(agent) {
  if (!agent || !agent.pending) return "";
  if (agent.pending === "logged_out") return "Log out after this contact";
  const reason = reasonLabel(agent.pending_reason || $("state-reason").value);
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)} after this contact (Ready cancels it)`;
}

function renderState() {
  const agent = view.agent;
  const state = agent ? agent.state : "logged_out";
  const badge = $("agent-state");
  badge.textContent = label(state);
  badge.dataset.state = state;
  $("agent-reason").textContent = state === "not_ready" && agent.reason ? `(${reasonLabel(agent.reason)})` : "";
  const pending = pendingText(agent);
  $("agent-pending").textContent = pending;
  $("agent-pending").hidden = !pending;
  for (const button of document.querySelectorAll(".state-card button[data-action]")) {
    const action = button.dataset.action;
    // Ready while busy withdraws a pending break (the core cancels it).
    const cancels = action === "ready" && BUSY.includes(state) && agent && agent.pending === "not_ready";
    button.disabled = !(ALLOWED[action].includes(state) || cancels);
  }
  $("state-reason").disabled = !ALLOWED.not_ready.includes(state);
  renderWork();
}

async function setState(state) {
  const body = { state };
  if (state === "not_ready") body.reason = $("state-reason").value;
  say($("state-error"), "");
  try {
    const agent = await api(`agents/${encodeURIComponent(view.me.agent_id)}/state`, { method: "POST", body });
    if (agent && agent.state) applyAgent(agent);
    else if (agent && agent.pending) await reloadAgent(); // 202: kept until the work ends
  } catch (problem) {
    say($("state-error"), problem.message, "error");
  }
}

function applyAgent(agent) {
  const before = view.agent;
  view.agent = agent;
  if (agent.state !== "reserved" && view.offer && (!before || before.state === "reserved")) {
    view.offer = null; // accepted, declined or withdrawn
  }
  if (["ready", "not_ready", "logged_out"].includes(agent.state)) forgetPop();
  renderState();
}

// ---- contact: offer, call, wrap-up -------------------------------------

function rememberPop(offer) {
  view.pop = offer;
  sessionStorage.setItem(POP_KEY, JSON.stringify(offer));
  renderPop();
  fillDispositions();
}

// When a contact carries no list (a call connected without an offer): the usual ones.
const DEFAULT_DISPOSITIONS = ["resolved", "unresolved", "escalated", "callback", "wrong_number"];

/** The contact's own dispositions (its queue's or campaign's), none chosen beforehand. */
function fillDispositions() {
  const codes = (view.pop && view.pop.dispositions && view.pop.dispositions.length)
    ? view.pop.dispositions
    : DEFAULT_DISPOSITIONS;
  const words = (code) => {
    const text = label(code);
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  $("disposition-select").replaceChildren(
    el("option", { value: "", disabled: true, selected: true }, "Choose…"),
    ...codes.map((code) => el("option", { value: code }, words(code))),
  );
}

function forgetPop() {
  view.pop = null;
  sessionStorage.removeItem(POP_KEY);
  renderPop();
}

function renderWork() {
  const state = view.agent ? view.agent.state : "logged_out";
  const offer = view.offer;
  const pop = view.pop;
  $("offer-panel").hidden = !offer;
  $("call-panel").hidden = state !== "talking" || !!offer;
  $("disposition-form").hidden = state !== "wrap_up";
  $("preview-card").hidden = !view.preview || state === "talking" || state === "wrap_up" || !!offer;
  const busy = !$("offer-panel").hidden || !$("call-panel").hidden || !$("disposition-form").hidden || !$("preview-card").hidden;
  $("idle-message").hidden = busy;
  if (offer) {
    const who = offer.customer && offer.customer.name;
    $("offer-caller").textContent = who ? `${who} (${offer.caller || "unknown number"})` : offer.caller || "unknown number";
    const outbound = (offer.queue || "").startsWith("campaign:");
    $("offer-kind").textContent = outbound ? "Outbound call answered" : "Incoming call";
    $("offer-preposition").textContent = outbound ? "by" : "from";
    $("offer-queue").textContent = queueName(offer.queue);
  }
  const caller = (pop && pop.caller) || "the caller";
  $("call-caller").textContent = caller;
  $("call-queue").textContent = queueName((pop && pop.queue) || (view.agent && view.agent.queue) || "");
  $("wrap-caller").textContent = pop && pop.caller ? `after ${pop.caller}` : "";
  tickClocks();
}

function showOffer(offer) {
  view.offer = { ...offer, shownAt: serverNow() };
  rememberPop(offer);
  say($("work-note"), "");
  renderWork();
  $("offer-accept").focus();
}

function offerDeadline() {
  const offer = view.offer;
  const started = view.agent && view.agent.state === "reserved" && view.agent.since ? view.agent.since : offer.shownAt;
  return started + Number(offer.ring_timeout || 0);
}

async function answerOffer(verb) {
  const offer = view.offer;
  if (!offer) return;
  say($("work-error"), "");
  $("offer-accept").disabled = $("offer-decline").disabled = true;
  try {
    await api(`offers/${encodeURIComponent(offer.contact_id)}/${verb}`, { method: "POST" });
    view.offer = null;
    if (verb === "decline") forgetPop();
    await reloadAgent();
  } catch (problem) {
    say($("work-error"), problem.message, "error");
  } finally {
    $("offer-accept").disabled = $("offer-decline").disabled = false;
  }
}

function currentContact() {
  return (view.agent && view.agent.contact_id) || (view.pop && view.pop.contact_id);
}

async function hangUp() {
  say($("work-error"), "");
  try {
    await api(`interactions/${encodeURIComponent(currentContact())}/hangup`, { method: "POST" });
    await reloadAgent();
  } catch (problem) {
    say($("work-error"), problem.message, "error");
  }
}

async function saveDisposition(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { disposition: form.disposition.value };
  if (form.notes.value.trim()) body.notes = form.notes.value.trim();
  if (form.callback_at.value) body.callback_at = new Date(form.callback_at.value).toISOString();
  say($("work-error"), "");
  try {
    await api(`interactions/${encodeURIComponent(currentContact())}/disposition`, { method: "POST", body });
    const chosen = form.disposition.selectedOptions[0]?.textContent || body.disposition;
    form.reset();
    forgetPop();
    fillDispositions();
    const callback = body.callback_at ? `; callback booked for ${new Date(body.callback_at).toLocaleString()}` : "";
    say($("work-note"), `Saved: ${chosen}${callback}.`, "ok");
    await reloadAgent();
  } catch (problem) {
    say($("work-error"), problem.message, "error");
  }
}

// ---- screen pop -----------------------------------------------------------

// An outbound call waits in its campaign's queue `campaign:NAME`: say it in words.
const queueName = (queue) => (queue && queue.startsWith("campaign:") ? `${queue.slice(9)} (campaign)` : queue || "–");

function customerSource(customer) {
  const parts = [];
  if (customer.source === "dialled lead") parts.push(`Dialled lead of ${customer.campaign}`);
  else if (customer.source === "lead list") parts.push(`On the ${customer.campaign} lead list`);
  if (customer.contacts) {
    const last = customer.last_disposition ? `, last: ${customer.last_disposition}` : "";
    parts.push(`${customer.contacts} earlier contact${customer.contacts === 1 ? "" : "s"}${last}`);
  } else {
    parts.push("first contact");
  }
  return parts.join(" · ");
}

function renderPop() {
  const pop = view.pop;
  $("screen-pop").hidden = !pop;
  if (!pop) return;
  const customer = pop.customer || {};
  $("pop-customer").textContent = customer.name || (customer.lead_id ? `Lead ${customer.lead_id}` : "Unknown caller");
  $("pop-customer-source").textContent = customerSource(customer);
  const fields = Object.entries(customer.fields || {}).filter(([key]) => !["name", "phone"].includes(key.toLowerCase()));
  $("pop-customer-fields").replaceChildren(
    ...fields.flatMap(([key, value]) => [el("dt", {}, label(key)), el("dd", {}, String(value))]),
  );
  $("pop-caller").textContent = pop.caller || "unknown";
  $("pop-queue").textContent = queueName(pop.queue);
  $("pop-waited").textContent = duration(pop.waited);
  $("pop-contact").textContent = pop.contact_id;
  const ivr = Object.entries(pop.ivr || {});
  $("pop-ivr").replaceChildren(
    ...(ivr.length
      ? ivr.flatMap(([key, value]) => [el("dt", {}, label(key)), el("dd", {}, String(value))])
      : [el("dd", { class: "muted" }, "None")]),
  );
  $("pop-script-block").hidden = !pop.script;
  $("pop-script").textContent = pop.script || "";
  const history = (pop.history || []).slice().sort((a, b) => (b.arrived_at || 0) - (a.arrived_at || 0));
  fillRows(
    $("pop-history"),
    history.map((record) =>
      el(
        "tr",
        {},
        el("td", {}, clock(record.arrived_at)),
        el("td", {}, record.direction || "–"),
        el("td", {}, record.queue || record.campaign || "–"),
        el("td", {}, label(record.outcome)),
        el("td", {}, record.agent_id || "–"),
        el("td", {}, record.disposition || "–"),
      ),
    ),
    6,
    "First contact from this number.",
  );
}

// ---- queues -----------------------------------------------------------------

function renderQueues() {
  const rows = [...view.queues.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((queue) =>
      el(
        "tr",
        { "data-queue": queue.name },
        el("th", { scope: "row" }, queue.name),
        el("td", { class: queue.waiting ? "num hot" : "num", "data-testid": `queue-waiting-${queue.name}` }, queue.waiting),
        el("td", { class: "num" }, duration(queue.longest_wait)),
      ),
    );
  fillRows($("agent-queues"), rows, 3, "No queues.");
}

// ---- outbound preview dialing --------------------------------------------
// The dialer puts a lead before the agent (a `preview` stream message, or
// GET agents/{id}/preview on load): its fields and history, Dial now, or Skip with a
// reason. Left alone, it is dialled at `dial_at`.

const previewRoute = (verb) => `agents/${encodeURIComponent(view.me.agent_id)}/preview/${verb}`;

function showPreview(preview) {
  view.preview = preview && preview.lead ? preview : null;
  if (view.preview) {
    const { lead } = view.preview;
    $("preview-campaign").textContent = view.preview.campaign || "";
    $("preview-number").textContent = view.preview.number || "";
    const shown = Object.entries(lead).filter(([key]) => key !== "numbers" && key !== "lead_id");
    $("preview-lead").replaceChildren(
      ...shown.flatMap(([key, value]) => [el("dt", {}, label(key)), el("dd", {}, String(value))]),
      el("dt", {}, "Attempts"),
      el("dd", {}, String(view.preview.attempts ?? 0)),
    );
    const history = view.preview.history || [];
    fillRows(
      $("preview-history"),
      history.map((r) =>
        el("tr", {}, el("td", {}, clock(r.arrived_at)), el("td", {}, label(r.outcome)), el("td", {}, r.disposition || "–")),
      ),
      3,
      "Never called before.",
    );
  }
  renderWork();
}

async function previewAction(verb) {
  if (!view.preview) return;
  say($("work-error"), "");
  const options = { method: "POST" };
  if (verb === "skip") options.body = { reason: $("preview-skip-reason").value };
  try {
    await api(previewRoute(verb), options);
    showPreview(null);
    await reloadPreview(); // a skip brings the next lead at once
  } catch (problem) {
    say($("work-error"), problem.message, "error");
  }
}

async function reloadPreview() {
  const preview = await api(`agents/${encodeURIComponent(view.me.agent_id)}/preview`);
  showPreview(preview);
}

// ---- clocks -------------------------------------------------------------------

function tickClocks() {
  const agent = view.agent;
  const elapsed = agent && agent.since ? serverNow() - agent.since : null;
  $("agent-state-duration").textContent = agent && agent.state !== "logged_out" ? duration(elapsed) : "–";
  $("call-duration").textContent = duration(elapsed);
  $("wrap-duration").textContent = duration(elapsed);
  if (view.offer) {
    const total = Number(view.offer.ring_timeout || 0);
    const left = Math.max(0, offerDeadline() - serverNow());
    $("offer-countdown").textContent = Math.ceil(left);
    $("offer-progress").value = total > 0 ? left / total : 0;
  }
}

// ---- loading and the stream ---------------------------------------------------

async function reloadAgent() {
  let agent;
  try {
    agent = await api(`agents/${encodeURIComponent(view.me.agent_id)}`);
  } catch (problem) {
    // The center knows an agent from their first log in on: until then, logged out.
    if (!(problem instanceof ApiError && problem.status === 404)) throw problem;
    agent = { agent_id: view.me.agent_id, state: "logged_out", since: null };
  }
  applyAgent(agent);
  if (agent.state === "reserved") {
    const offer = await api(`agents/${encodeURIComponent(view.me.agent_id)}/offer`);
    if (offer) showOffer(offer);
  }
}

async function reloadQueues() {
  const page = await api("queues");
  const items = Array.isArray(page) ? page : page.items || [];
  view.queues = new Map(items.map((queue) => [queue.name, queue]));
  renderQueues();
}

function onMessage(message) {
  const mine = (m) => !m.agent_id || m.agent_id === view.me.agent_id;
  switch (message.type) {
    case "agent":
      if (mine(message)) applyAgent(message);
      break;
    case "offer":
      if (mine(message)) showOffer(message);
      break;
    case "offer_cancelled":
      if (mine(message) && view.offer && view.offer.contact_id === message.contact_id) {
        view.offer = null;
        forgetPop();
        say($("work-note"), `The offer was withdrawn${message.reason ? ` (${label(message.reason)})` : ""}.`);
        renderWork();
      }
      break;
    case "tick":
      if (message.at) view.skew = message.at - Date.now() / 1000;
      if (Array.isArray(message.queues)) {
        view.queues = new Map(message.queues.map((queue) => [queue.name, queue]));
        renderQueues();
      }
      break;
    case "preview":
      if (mine(message)) showPreview(message);
      break;
    default:
      break;
  }
}

function setStatus(status) {
  const node = $("stream-status");
  node.dataset.status = status;
  node.textContent = status;
}

async function main() {
  $("callback-zone").textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
  fillDispositions();
  view.me = await requireUser(["agent", "supervisor", "admin"]);
  const agentId = view.me.agent_id && view.me.agent_id !== view.me.name ? ` · ${view.me.agent_id}` : "";
  $("who").textContent = `${view.me.name}${agentId}`; // the name once, the agent id when it differs
  $("signout").addEventListener("click", signOut);
  if (!view.me.agent_id) {
    say($("state-error"), "This user has no agent profile: ask an admin to create one.", "error");
    for (const button of document.querySelectorAll("button[data-action]")) button.disabled = true;
    return;
  }
  for (const button of document.querySelectorAll(".state-card button[data-action]")) {
    button.addEventListener("click", () => setState(button.dataset.action));
  }
  $("offer-accept").addEventListener("click", () => answerOffer("accept"));
  $("offer-decline").addEventListener("click", () => answerOffer("decline"));
  $("call-hangup").addEventListener("click", hangUp);
  $("disposition-form").addEventListener("submit", saveDisposition);
  $("preview-dial").addEventListener("click", () => previewAction("dial"));
  $("preview-skip").addEventListener("click", () => previewAction("skip"));
  await loadPauseReasons();
  renderPop();
  renderState();
  setInterval(tickClocks, 500);
  openStream({
    onMessage,
    onStatus: setStatus,
    onReconnect: () => Promise.all([reloadAgent(), reloadQueues(), reloadPreview()]).catch(() => {}),
  });
  await Promise.all([reloadAgent(), reloadQueues(), reloadPreview()]);
}

main().catch((problem) => {
  if (problem && problem.status) say($("state-error"), problem.message, "error");
});
