// Sign-in: OAuth2 password form -> token in session storage -> the page of one's role.

import { api, ApiError, homeOf, saveToken, token } from "./api.js";
import { say } from "./format.js";

const form = document.getElementById("signin-form");
const error = document.getElementById("signin-error");
const submit = form.querySelector("button[type=submit]");

async function goHome() {
  const me = await api("me", { signOutOn401: false });
  window.location.assign(homeOf(me.role));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  say(error, "");
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    say(error, "Enter your user name and password.", "error");
    return;
  }
  submit.disabled = true;
  try {
    const body = new URLSearchParams({ grant_type: "password", username, password });
    const answer = await api("auth/token", { method: "POST", body, signOutOn401: false });
    saveToken(answer.access_token);
    await goHome();
  } catch (problem) {
    let text = `Could not sign in: ${problem.message}`;
    if (problem instanceof ApiError && (problem.status === 401 || problem.status === 400)) {
      text = "Wrong user name or password.";
    } else if (problem instanceof ApiError && problem.status === 429) {
      text = `Too many attempts: ${problem.message}`;
    }
    say(error, text, "error");
    form.password.select();
  } finally {
    submit.disabled = false;
  }
});

// Already signed in (a reload, or back from a page): go straight on.
if (token()) {
  goHome().catch(() => sessionStorage.clear());
}
form.username.focus();
