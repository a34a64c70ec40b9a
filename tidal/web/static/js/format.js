// How figures read on screen: durations, percentages, times, and small DOM helpers.

/** 75 -> "1:15", 3725 -> "1:02:05"; null -> "–". */
export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** 0.853 -> "85.3 %"; null -> "–". */
export function percent(fraction) {
  if (fraction == null || !Number.isFinite(fraction)) return "–";
  return `${(fraction * 100).toFixed(1)}\u00a0%`;
}

export function number(value, digits = 0) {
  if (value == null || !Number.isFinite(Number(value))) return "–";
  return Number(value).toFixed(digits);
}

/** Epoch seconds -> local "14:05:09" (or date and time when not today). */
export function clock(epoch) {
  if (epoch == null) return "–";
  const when = new Date(epoch * 1000);
  const today = new Date();
  const time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return when.toDateString() === today.toDateString()
    ? time
    : `${when.toLocaleDateString()} ${time}`;
}

export function label(state) {
  return String(state ?? "").replaceAll("_", " ");
}

/** Build an element: el("td", {class: "num", "data-testid": "x"}, "text", child...). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace a table body's rows; show `empty` in one row when there are none. */
export function fillRows(tbody, rows, columns, empty = "Nothing yet.") {
  tbody.replaceChildren();
  if (!rows.length) {
    tbody.append(el("tr", { class: "empty" }, el("td", { colspan: columns }, empty)));
    return;
  }
  for (const row of rows) tbody.append(row);
}

/** Show a message in a [role=status] or [role=alert] element; "" hides it. */
export function say(node, text, kind = "info") {
  node.textContent = text;
  node.hidden = !text;
  node.dataset.kind = kind;
}
