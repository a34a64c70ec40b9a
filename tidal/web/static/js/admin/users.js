// Users: create, change role or password, disable and enable, sign out, delete.

import { api } from "../api.js";
import { el, fillRows, say } from "../format.js";
import { $, attempt, clearErrors, items, showProblem } from "./forms.js";

let users = [];

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
  if (done !== undefined) await loadUsers();
}

function userButtons(user) {
  const button = (action, text, extra = {}) =>
    el("button", { type: "button", "data-testid": `user-${action}-${user.name}`, onclick: () => userAction(user, action), ...extra }, text);
  return el(
    "div",
    { class: "button-row" },
    el("button", { type: "button", "data-testid": `user-edit-${user.name}`, onclick: () => editUser(user) }, "Change…"),
    user.disabled ? button("enable", "Enable") : button("disable", "Disable"),
    button("signout", "Sign out everywhere"),
    button("delete", "Delete", { class: "stop" }),
  );
}

function editUser(user) {
  const form = $("user-edit-form");
  form.name.value = user.name;
  form.role.value = user.role;
  form.password.value = "";
  form.password.focus();
}

export async function loadUsers() {
  users = items(await api("users?limit=1000"));
  fillRows(
    $("users-table"),
    users.map((user) =>
      el(
        "tr",
        { "data-user": user.name, "data-disabled": String(Boolean(user.disabled)) },
        el("th", { scope: "row" }, user.name),
        el("td", { "data-testid": `user-role-${user.name}` }, user.role),
        el("td", { "data-testid": `user-status-${user.name}` }, user.disabled ? "disabled" : "active"),
        el("td", {}, user.created_at ? new Date(user.created_at).toLocaleString() : "–"),
        el("td", {}, userButtons(user)),
      ),
    ),
    5,
    "No users.",
  );
  const pick = $("user-edit-name");
  const chosen = pick.value;
  pick.replaceChildren(...users.map((user) => el("option", { value: user.name }, `${user.name} (${user.role})`)));
  if (users.some((user) => user.name === chosen)) pick.value = chosen;
  const current = users.find((user) => user.name === pick.value);
  if (current) $("user-edit-role").value = current.role;
}

/** Users who may hold an agent profile (for the agent form's picker). */
export async function agentUsers() {
  if (!users.length) await loadUsers();
  return users.filter((user) => user.role === "agent");
}

$("user-edit-name").addEventListener("change", (event) => {
  const user = users.find((candidate) => candidate.name === event.currentTarget.value);
  if (user) $("user-edit-role").value = user.role;
});

$("user-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const body = { name: form.name.value.trim(), role: form.role.value, password: form.password.value };
  try {
    await api("users", { method: "POST", body });
    form.reset();
    await loadUsers();
    say($("user-message"), `User ${body.name} added.`, "ok");
  } catch (problem) {
    showProblem(form, $("user-message"), problem);
  }
});

$("user-edit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const name = form.name.value;
  const user = users.find((candidate) => candidate.name === name);
  const body = {};
  if (user && form.role.value !== user.role) body.role = form.role.value;
  if (form.password.value) body.password = form.password.value;
  const message = $("user-edit-message");
  if (!Object.keys(body).length) {
    showProblem(form, message, new Error("Nothing to change: pick another role or type a new password."));
    return;
  }
  try {
    await api(`users/${encodeURIComponent(name)}`, { method: "PATCH", body });
    form.password.value = "";
    await loadUsers();
    const what = [body.role ? `is now ${body.role}` : null, body.password ? "has a new password (signed out everywhere)" : null];
    say(message, `${name} ${what.filter(Boolean).join(" and ")}.`, "ok");
  } catch (problem) {
    showProblem(form, message, problem);
  }
});
