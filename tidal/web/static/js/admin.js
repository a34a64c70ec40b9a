// Admin: users, agents and skills, queues, campaigns and lead lists, DNC and consent,
// call flows. Each form says what the server answered, errors naming the field,
// row or line.

import { api, ApiError, requireUser, signOut } from "./api.js";
import { el, fillRows, label, number, percent, say } from "./format.js";

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const items = (page) => (Array.isArray(page) ? page : (page && page.items) || []);

/** Run `work`, then say `done(result)` or the error in `message`. */
async function attempt(message, work, done) {
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

/** The submit button that sent a form (its data-mode tells which action). */
const modeOf = (event) => (event.submitter && event.submitter.dataset.mode) || "create";

// ---- tabs -------------------------------------------------------------------------

const loaders = {};

function showTab(tab) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  const name = tab.id.replace("tab-", "");
  window.history.replaceState(null, "", `#${name}`);
  if (loaders[name]) loaders[name]().catch(() => {});
}

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener("click", () => showTab(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      next.focus();
      showTab(next);
    });
  }
  const wanted = document.getElementById(`tab-${window.location.hash.slice(1)}`);
  showTab(wanted || tabs[0]);
}

// ---- users ------------------------------------------------------------------------

/** Change a user from the table (disable, enable, sign out, delete), then reload it. */
async function userAction(user, action) {
  const path = `users/${encodeURIComponent(user.name)}`;
  const work = {
    disable: () => api(path, { method: "PATCH", body: { disabled: true } }),
    enable: () => api(path, { method: "PATCH", body: { disabled: false } }),
    signout: () => api(`${path}/sign-out`, { method: "POST" }),
    delete: () => api(path, { method: "DELETE" }),
  }[action];
  const said = {
    disable: `${user.name} is disabled and signed out everywhere.`,
    enable: `${user.name} may sign in again.`,
    signout: `${user.name} is signed out everywhere.`,
    delete: `${user.name} is deleted.`,
  }[action];
  if (action === "delete" && !window.confirm(`Delete user ${user.name}? This cannot be undone.`)) return;
  const done = await attempt($("users-message"), work, () => said);
  if (done !== undefined) await loaders.users();
}

function userButtons(user) {
  const button = (action, text, extra = {}) =>
    el("button", { type: "button", "data-testid": `user-${action}-${user.name}`, onclick: () => userAction(user, action), ...extra }, text);
  return el(
    "div",
    { class: "button-row" },
    user.disabled ? button("enable", "Enable") : button("disable", "Disable"),
    button("signout", "Sign out everywhere"),
    button("delete", "Delete", { class: "stop" }),
  );
}

loaders.users = async () => {
  const users = items(await api("users?limit=1000"));
  fillRows(
    $("users-table"),
    users.map((user) =>
      el(
        "tr",
        { "data-user": user.name, "data-disabled": String(Boolean(user.disabled)) },
        el("th", { scope: "row" }, user.name),
        el("td", {}, user.role),
        el("td", { "data-testid": `user-status-${user.name}` }, user.disabled ? "disabled" : "active"),
        el("td", {}, user.created_at ? new Date(user.created_at).toLocaleString() : "–"),
        el("td", {}, userButtons(user)),
      ),
    ),
    5,
    "No users.",
  );
};

$("user-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { name: form.name.value.trim(), role: form.role.value, password: form.password.value };
  const made = await attempt($("user-message"), () => api("users", { method: "POST", body }), () => `User ${body.name} added.`);
  if (made !== undefined) {
    form.reset();
    await loaders.users();
  }
});

// ---- agents -----------------------------------------------------------------------

loaders.agents = async () => {
  const agents = items(await api("agents?limit=1000"));
  fillRows(
    $("agents-table"),
    agents.map((agent) =>
      el(
        "tr",
        { "data-agent": agent.agent_id },
        el("th", { scope: "row" }, agent.agent_id),
        el("td", {}, agent.group || "–"),
        el("td", {}, el("span", { class: "state-badge", "data-state": agent.state }, label(agent.state))),
        el("td", {}, [agent.queue, agent.contact_id != null ? `contact ${agent.contact_id}` : null].filter(Boolean).join(" · ") || "–"),
      ),
    ),
    4,
    "No agents.",
  );
};

/** "billing=3, spanish" -> {billing: 3, spanish: 1}; throws naming the bad part. */
export function parseSkills(text) {
  const skills = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, level = "1"] = part.split("=").map((p) => p.trim());
    const value = Number(level);
    if (!name || !Number.isInteger(value)) throw new Error(`skills: "${part}" is not skill=level (a whole number)`);
    skills[name] = value;
  }
  return skills;
}

$("agent-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const made = await attempt(
    $("agent-message"),
    () => {
      const body = {
        agent_id: form.agent_id.value.trim(),
        group: form.group.value.trim(),
        skills: parseSkills(form.skills.value),
        user: form.user.value.trim(),
      };
      return api("agents", { method: "POST", body });
    },
    () => `Agent ${form.agent_id.value.trim()} added.`,
  );
  if (made !== undefined) {
    form.reset();
    await loaders.agents();
  }
});

// ---- queues and campaigns: JSON configuration editors -------------------------------

function parseConfig(text, what) {
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    if (!value.name) throw new Error('it needs a "name"');
    return value;
  } catch (problem) {
    throw new Error(`${what} configuration: ${problem.message}`);
  }
}

function configEditor({ form, textarea, message, path, what, reload }) {
  $(form).addEventListener("submit", async (event) => {
    event.preventDefault();
    const mode = modeOf(event);
    const done = await attempt(
      $(message),
      () => {
        const body = parseConfig($(textarea).value, what);
        return mode === "update"
          ? api(`${path}/${encodeURIComponent(body.name)}`, { method: "PUT", body })
          : api(path, { method: "POST", body });
      },
      () => `${what} ${mode === "update" ? "updated" : "created"}.`,
    );
    if (done !== undefined) await reload();
  });
}

loaders.queues = async () => {
  const queues = items(await api("queues"));
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
        el("td", { class: "num" }, percent(queue.offered_today > 0 ? queue.service_level_today : null)),
        el("td", { class: "num" }, queue.target != null ? `${percent(queue.target)} in ${queue.threshold} s` : "–"),
        el("td", {}, editButton(`queue-edit-${queue.name}`, "queue-json", "queue-message", () => api(`queues/${encodeURIComponent(queue.name)}/config`))),
      ),
    ),
    7,
    "No queues.",
  );
};
configEditor({ form: "queue-form", textarea: "queue-json", message: "queue-message", path: "queues", what: "Queue", reload: loaders.queues });
$("queue-json").placeholder = JSON.stringify(
  { name: "billing", skills: { billing: 1 }, service_level: { threshold: 20, target: 0.8 } },
  null,
  2,
);

/** A button that loads a stored configuration into a JSON editor. */
function editButton(testid, textarea, message, load) {
  return el(
    "button",
    {
      type: "button",
      class: "link",
      "data-testid": testid,
      onclick: async () => {
        say($(message), "");
        try {
          const stored = await load();
          $(textarea).value = JSON.stringify(stored.config ?? stored, null, 2);
          $(textarea).focus();
        } catch (problem) {
          say($(message), problem.message, "error");
        }
      },
    },
    "Edit",
  );
}

let campaigns = [];

loaders.campaigns = async () => {
  campaigns = items(await api("campaigns"));
  fillRows(
    $("campaigns-table"),
    campaigns.map((campaign) => {
      const config = campaign.config || campaign;
      return el(
        "tr",
        { "data-campaign": campaign.name },
        el("th", { scope: "row" }, campaign.name),
        el("td", {}, label(config.dial_mode || "–")),
        el("td", { class: "num" }, percent(config.max_abandon_rate)),
        el("td", {}, config.caller_id || "–"),
        el("td", { class: "num", "data-testid": `campaign-leads-${campaign.name}` }, number(campaign.leads)),
        el("td", {}, editButton(`campaign-edit-${campaign.name}`, "campaign-json", "campaign-message", async () => campaign)),
      );
    }),
    6,
    "No campaigns.",
  );
  const pick = $("leads-campaign");
  const chosen = pick.value;
  pick.replaceChildren(...campaigns.map((campaign) => el("option", { value: campaign.name }, campaign.name)));
  if (chosen) pick.value = chosen;
};
configEditor({ form: "campaign-form", textarea: "campaign-json", message: "campaign-message", path: "campaigns", what: "Campaign", reload: loaders.campaigns });

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
    await loaders.campaigns(); // the lead counts changed
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

// ---- DNC and consent ------------------------------------------------------------------

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
  await attempt(
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
    () => (mode === "remove" ? `${number} removed from the internal DNC list.` : `${number} added to the internal DNC list.`),
  );
});

$("consent-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const mode = modeOf(event);
  const body = { number: form.number.value.trim(), kind: form.kind.value, source: form.source.value.trim() };
  if (form.at.value) body.at = new Date(form.at.value).toISOString();
  optional(body, "reason", form.reason.value.trim());
  await attempt(
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

// ---- call flows -------------------------------------------------------------------------

let flows = [];

const flowText = (flow) => flow.yaml ?? flow.source ?? flow.text ?? JSON.stringify(flow, null, 2);

loaders.flows = async () => {
  flows = items(await api("flows"));
  const pick = $("flow-pick");
  const chosen = pick.value;
  pick.replaceChildren(el("option", { value: "" }, "— new flow —"), ...flows.map((flow) => el("option", { value: flow.name }, flow.name)));
  pick.value = flows.some((flow) => flow.name === chosen) ? chosen : "";
};

$("flow-pick").addEventListener("change", (event) => {
  const flow = flows.find((candidate) => candidate.name === event.currentTarget.value);
  $("flow-name").value = flow ? flow.name : "";
  $("flow-yaml").value = flow ? flowText(flow) : "";
  showFlowProblems([]);
  say($("flow-message"), "");
});

/** The 422 of a bad flow: {line, path, message} or a list of them (or pydantic's). */
function flowProblems(detail, body) {
  if (typeof detail === "string" && body && typeof body === "object" && (body.line != null || body.path != null)) {
    detail = { message: detail, line: body.line, path: body.path };
  }
  const list = Array.isArray(detail) ? detail : [detail];
  return list.map((item) =>
    typeof item === "string"
      ? { message: item }
      : {
          line: item.line ?? null,
          path: item.path ?? (Array.isArray(item.loc) ? item.loc.join(".") : null),
          message: item.message ?? item.msg ?? JSON.stringify(item),
        },
  );
}

function showFlowProblems(problems) {
  $("flow-errors").replaceChildren(
    ...problems.map((problem) =>
      el(
        "li",
        { "data-testid": "flow-error", "data-line": problem.line ?? "" },
        problem.line != null
          ? el("button", { type: "button", class: "link", onclick: () => goToLine(problem.line) }, `line ${problem.line}`)
          : null,
        problem.path ? el("code", {}, problem.path) : null,
        el("span", {}, problem.message),
      ),
    ),
  );
}

function goToLine(line) {
  const textarea = $("flow-yaml");
  const lines = textarea.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
}

$("flow-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $("flow-name").value.trim();
  showFlowProblems([]);
  say($("flow-message"), "");
  if (!name) {
    say($("flow-message"), "Give the flow a name.", "error");
    return;
  }
  try {
    await api(`flows/${encodeURIComponent(name)}`, { method: "PUT", body: $("flow-yaml").value, contentType: "application/yaml" });
    say($("flow-message"), `Flow ${name} is valid and saved.`, "ok");
    await loaders.flows();
    $("flow-pick").value = name;
  } catch (problem) {
    if (problem instanceof ApiError && problem.status === 422) {
      const problems = flowProblems(problem.detail, problem.body);
      say($("flow-message"), `Flow ${name} was not saved: ${problems.length} problem${problems.length === 1 ? "" : "s"}.`, "error");
      showFlowProblems(problems);
      if (problems[0] && problems[0].line != null) goToLine(problems[0].line);
    } else {
      say($("flow-message"), problem.message, "error");
    }
  }
});

// ---- start -------------------------------------------------------------------------------

async function main() {
  const me = await requireUser(["admin"]);
  $("who").textContent = me.name;
  $("signout").addEventListener("click", signOut);
  setUpTabs();
  // The lead upload needs the campaign list even before its tab is opened.
  loaders.campaigns().catch(() => {});
}

main().catch(() => {});
