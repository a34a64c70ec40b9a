// Admin: users, agents and skills, queues, campaigns, leads, DNC and consent, the audit
// trail, call flows. One tab per section; the address's #hash names the tab, so a tab
// can be linked to and the back button goes back to the tab before.

import { requireUser, signOut } from "./api.js";
import { $ } from "./admin/forms.js";
import { loadAgents } from "./admin/agents.js";
import { loadAudit } from "./admin/audit.js";
import { loadCampaigns } from "./admin/campaigns.js";
import { loadDnc } from "./admin/dnc.js";
import { loadFlows } from "./admin/flows.js";
import { loadLeads } from "./admin/leads.js";
import { loadPauseReasons } from "./admin/pause_reasons.js";
import { loadQueues } from "./admin/queues.js";
import { loadUsers } from "./admin/users.js";

const loaders = {
  users: loadUsers,
  agents: () => Promise.all([loadAgents(), loadPauseReasons()]),
  queues: loadQueues,
  campaigns: loadCampaigns,
  leads: loadLeads,
  dnc: loadDnc,
  audit: loadAudit,
  flows: loadFlows,
};

const tabs = () => [...document.querySelectorAll('[role="tab"]')];

/** Show the tab the address names (the first one for an unknown or empty hash). */
function showFromHash() {
  const wanted = document.getElementById(`tab-${window.location.hash.slice(1)}`);
  const tab = wanted || tabs()[0];
  for (const other of tabs()) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  const name = tab.id.replace("tab-", "");
  document.title = `${tab.textContent} · Admin · Tidal`;
  if (loaders[name]) loaders[name]().catch(() => {});
}

/** Choosing a tab changes the hash (a history entry); the hashchange shows it. */
function go(tab) {
  const hash = `#${tab.id.replace("tab-", "")}`;
  if (window.location.hash === hash) showFromHash();
  else window.location.hash = hash;
}

function setUpTabs() {
  const all = tabs();
  for (const [index, tab] of all.entries()) {
    tab.addEventListener("click", () => go(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = all[(index + step + all.length) % all.length];
      next.focus();
      go(next);
    });
  }
  window.addEventListener("hashchange", showFromHash);
  showFromHash();
}

async function main() {
  const me = await requireUser(["admin"]);
  $("who").textContent = me.name;
  $("signout").addEventListener("click", signOut);
  setUpTabs();
}

main().catch(() => {});
