// Leer-Rijk portal: the one way pages talk to the API and show what went wrong.
// Pages build DOM with `el()` (textContent only), so supplier or user text can never become markup.

export class ApiProblem extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

const JSON_TYPE = "application/json";

/** Call `/api<path>`. State-changing calls carry the CSRF header; errors become ApiProblem. */
export async function api(path, { method = "GET", body, idempotencyKey, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: JSON_TYPE, ...headers } };
  if (method !== "GET" && method !== "HEAD") {
    init.headers["Content-Type"] = JSON_TYPE;
    init.headers["X-Leer-Rijk"] = "1";
    init.body = JSON.stringify(body ?? {});
  }
  if (idempotencyKey) init.headers["Idempotency-Key"] = idempotencyKey;
  let response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiProblem(0, "network", "Er is geen verbinding met Leer-Rijk. Controleer uw verbinding en probeer het opnieuw.");
  }
  const text = await response.text();
  const data = text && response.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiProblem(response.status, error.code || "error",
      error.message || "Er ging iets mis. Probeer het later opnieuw.", error.fields);
  }
  return data;
}

/** A fresh key per user action, reused when the same action is retried (R_ENR idempotency). */
export function newIdempotencyKey() {
  return crypto.randomUUID();
}

/** Create an element; children are nodes or strings (always inserted as text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
  "oktober", "november", "december"];

export function dutchDate(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

export function euro(cents) {
  if (cents === null || cents === undefined) return "";
  return new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" }).format(cents / 100);
}

/**
 * Show a problem above a form (an error summary that takes focus) and next to each field named
 * in `problem.fields` (matched by the input's name). Field names from the API may be dotted.
 */
export function showProblem(summary, problem, form) {
  clearProblems(summary, form);
  const items = [];
  for (const [field, message] of Object.entries(problem.fields || {})) {
    const input = form?.querySelector(`[name="${CSS.escape(field)}"]`);
    if (input) {
      const id = `${input.id || field}-fout`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
      const holder = input.closest(".utrecht-form-field, .lr-field, fieldset") || input.parentElement;
      holder.classList.add("lr-field--invalid");
      // between the label and the control, wherever the control sits inside its field
      const anchor = holder.querySelector(".lr-choices") || input;
      anchor.before(el("p", { class: "utrecht-form-field-error-message lr-field-error", id }, message));
      items.push(el("li", {}, el("a", { class: "nl-link", href: `#${input.id}` }, message)));
    } else {
      items.push(el("li", {}, `${field}: ${message}`));
    }
  }
  summary.replaceChildren(
    el("h2", { class: "nl-heading nl-heading--level-2" }, "Er ging iets mis"),
    el("p", { class: "nl-paragraph" }, problem.message),
    items.length ? el("ul", { class: "utrecht-unordered-list" }, items) : null,
  );
  summary.hidden = false;
  summary.focus();
}

export function clearProblems(summary, form) {
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
  form?.querySelectorAll(".lr-field-error").forEach((node) => node.remove());
  form?.querySelectorAll("[aria-invalid]").forEach((node) => {
    node.removeAttribute("aria-invalid");
    const rest = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-fout"));
    if (rest.length) node.setAttribute("aria-describedby", rest.join(" "));
    else node.removeAttribute("aria-describedby");
  });
  form?.querySelectorAll(".lr-field--invalid").forEach((node) => node.classList.remove("lr-field--invalid"));
}

/** Announce a status politely to screen readers (e.g. "12 opleidingen gevonden"). */
export function announce(region, message) {
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

let mePromise;

/**
 * The logged-in account, or null for a visitor. One request per page: GET /api/session answers 200
 * for visitors too (no console error, no cookie), so every page may ask.
 */
export function currentUser() {
  mePromise ??= api("/session").then((session) => (session.authenticated ? session.account : null));
  return mePromise;
}
