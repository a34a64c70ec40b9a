// The one way the pages talk to the server: the bearer token, JSON calls, errors
// worded for people, and the live stream with reconnect.

const TOKEN_KEY = "tidal.token";
export const API = "/api/v1";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  window.location.assign("/");
}

/** An error answer from the API: its status and the `detail` it gave. */
export class ApiError extends Error {
  constructor(status, detail, body = null) {
    super(describe(detail, status));
    this.status = status;
    this.detail = detail;
    this.body = body; // the whole answer, for fields beside `detail` (a flow's line, path)
  }
}

/** Words for a `detail`: a string, pydantic's list of {loc, msg}, or an object. */
export function describe(detail, status) {
  if (detail == null) return `The server answered ${status}.`;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "";
        return where ? `${where}: ${item.msg}` : item.msg || JSON.stringify(item);
      })
      .join("; ");
  }
  if (typeof detail === "object") {
    const where = [detail.line != null ? `line ${detail.line}` : "", detail.path || ""]
      .filter(Boolean)
      .join(", ");
    const message = detail.message || detail.msg || detail.error || JSON.stringify(detail);
    return where ? `${where}: ${message}` : message;
  }
  return String(detail);
}

/**
 * Call the API. `body` may be an object (sent as JSON), FormData, URLSearchParams or
 * a string (sent as text/plain, e.g. YAML). Answers the parsed JSON, the text, or null
 * for 204. Throws ApiError on any error status; a 401 on a signed-in page signs out.
 */
export async function api(path, { method = "GET", body, contentType, signOutOn401 = true } = {}) {
  const headers = { Accept: "application/json" };
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  let payload = body;
  if (body != null && !(body instanceof FormData) && !(body instanceof URLSearchParams)) {
    if (typeof body === "string") {
      headers["Content-Type"] = contentType || "text/plain";
    } else {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
  }
  const response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, {
    method,
    headers,
    body: payload,
  });
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    if (response.status === 401 && signOutOn401) {
      signOut();
    }
    const detail = data && typeof data === "object" && "detail" in data ? data.detail : data;
    throw new ApiError(response.status, detail, data);
  }
  return data;
}

/** Who is signed in: {name, role, agent_id}; back to sign-in when nobody or the wrong role. */
export async function requireUser(roles) {
  if (!token()) {
    window.location.assign("/");
    throw new Error("not signed in");
  }
  const me = await api("me");
  if (roles && !roles.includes(me.role)) {
    window.location.assign(homeOf(me.role));
    throw new Error(`role ${me.role} has its own page`);
  }
  return me;
}

export function homeOf(role) {
  return { agent: "/agent", supervisor: "/wallboard", admin: "/admin" }[role] || "/";
}

/**
 * The live stream: calls `onMessage(message)` for every JSON message and
 * `onStatus("live" | "connecting" | "offline")`. Reconnects with a growing pause
 * (1 s doubling to 15 s) and calls `onReconnect()` after each new connection so the
 * page can reload what it may have missed. Answers {close()}.
 */
export function openStream({ onMessage, onStatus = () => {}, onReconnect = () => {} }) {
  let socket = null;
  let pause = 1000;
  let closed = false;
  let timer = null;
  let connectedBefore = false;

  function connect() {
    onStatus("connecting");
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${window.location.host}${API}/stream?token=${encodeURIComponent(token() || "")}`;
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      pause = 1000;
      onStatus("live");
      if (connectedBefore) onReconnect();
      connectedBefore = true;
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (closed) return;
      onStatus("offline");
      if (event.code === 4401 || event.code === 1008) {
        signOut();
        return;
      }
      timer = setTimeout(connect, pause);
      pause = Math.min(pause * 2, 15000);
    });
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (socket) socket.close();
    },
  };
}
