// Call flows: YAML validated by the server (problems with their line), a new flow
// opening with a small valid template, and the queues that send callers through it.

import { api, ApiError } from "../api.js";
import { el, say } from "../format.js";
import { $, items } from "./forms.js";

let flows = [];

/** A minimal valid flow: a greeting, then a queue (the first one the center has). */
export function template(name, queue) {
  return [
    `name: ${name}`,
    "start: greet",
    "nodes:",
    "  greet:",
    '    play: "Thank you for calling. Please hold for the next agent."',
    "    next: to_queue",
    "  to_queue:",
    `    queue: ${queue}`,
    "",
  ].join("\n");
}

async function firstQueue() {
  const queues = items(await api("queues?limit=1").catch(() => []));
  return queues.length ? queues[0].name : "support";
}

function usedBy(flow) {
  const node = $("flow-used-by");
  if (!flow) {
    node.textContent = "A new flow: no queue uses it yet (choose it in a queue's form).";
    return;
  }
  const queues = flow.queues || [];
  node.textContent = queues.length
    ? `Used by ${queues.length === 1 ? "queue" : "queues"} ${queues.join(", ")}: a change reaches their callers.`
    : "No queue uses this flow.";
}

/** Open the template; unless `replace`, only into an editor nobody has typed in. */
async function openNew(replace) {
  const queue = await firstQueue();
  usedBy(null);
  if (!replace && ($("flow-name").value.trim() || $("flow-yaml").value.trim())) return;
  $("flow-name").value = "new-flow";
  $("flow-yaml").value = template("new-flow", queue);
}

export async function loadFlows() {
  flows = items(await api("flows?limit=500"));
  const pick = $("flow-pick");
  const chosen = pick.value;
  pick.replaceChildren(el("option", { value: "" }, "— new flow —"), ...flows.map((flow) => el("option", { value: flow.name }, flow.name)));
  pick.value = flows.some((flow) => flow.name === chosen) ? chosen : "";
  if (!pick.value) await openNew(false);
  else usedBy(flows.find((flow) => flow.name === pick.value) || null);
}

$("flow-pick").addEventListener("change", async (event) => {
  const flow = flows.find((candidate) => candidate.name === event.currentTarget.value);
  showFlowProblems([]);
  say($("flow-message"), "");
  if (!flow) {
    await openNew(true);
    return;
  }
  $("flow-name").value = flow.name;
  $("flow-yaml").value = flow.source;
  usedBy(flow);
});

// A new flow's name is its YAML's `name:` too: renaming keeps the two together.
$("flow-name").addEventListener("input", (event) => {
  if ($("flow-pick").value) return;
  const name = event.currentTarget.value.trim();
  const textarea = $("flow-yaml");
  textarea.value = textarea.value.replace(/^name:.*$/m, `name: ${name}`);
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
        problem.line != null ? el("button", { type: "button", class: "link", onclick: () => goToLine(problem.line) }, `line ${problem.line}`) : null,
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
    const saved = await api(`flows/${encodeURIComponent(name)}`, { method: "PUT", body: $("flow-yaml").value, contentType: "application/yaml" });
    say($("flow-message"), `Flow ${name} is valid and saved.`, "ok");
    await loadFlows();
    $("flow-pick").value = name;
    usedBy(saved);
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
