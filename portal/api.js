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

/**
 * A design-system table that reflows into stacked rows on a phone (R_UI_01): each cell carries its
 * column name (data-label), shown before the value when the header row is hidden (site.css .lr-reflow).
 */
export function dataTable(caption, headers, rows, { rowHeader = true } = {}) {
  return el("div", { class: "lr-table-wrapper" },
    el("table", { class: "utrecht-table utrecht-table--html-table lr-reflow" },
      el("caption", { class: "utrecht-table__caption" }, caption),
      el("thead", { class: "utrecht-table__header" },
        el("tr", { class: "utrecht-table__row" },
          headers.map((name) => el("th", { class: "utrecht-table__header-cell", scope: "col" }, name)))),
      el("tbody", { class: "utrecht-table__body" },
        rows.map((cells) => el("tr", { class: "utrecht-table__row" },
          cells.map((cell, index) => (index === 0 && rowHeader
            ? el("th", { class: "utrecht-table__header-cell", scope: "row", "data-label": headers[index] }, cell)
            : el("td", { class: "utrecht-table__cell", "data-label": headers[index] }, cell))))))));
}

/** Dutch count with the right form: plural(1, "account", "accounts") is "1 account", 2 gives "2 accounts". */
export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
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

// --- no raw values on the page (R_UI_03) ------------------------------------------------------------
// The DOM's append/replaceChildren/before/after turn null and undefined into the texts "null" and
// "undefined". Every page imports this module, so the guard below holds for every page: such values are
// dropped and reported as a console error (which the browser tests fail on).

function refuseRaw(values, where) {
  const kept = values.filter((value) => value !== null && value !== undefined);
  if (kept.length !== values.length) console.error(`Leer-Rijk: null of undefined aan ${where} gegeven en weggelaten`);
  return kept;
}

for (const type of [Element, DocumentFragment, Document]) {
  for (const method of ["append", "prepend", "replaceChildren", "before", "after"]) {
    const original = type.prototype[method];
    if (typeof original !== "function" || original.lrGuarded) continue;
    const guarded = function guarded(...values) {
      return original.apply(this, refuseRaw(values, method));
    };
    guarded.lrGuarded = true;
    type.prototype[method] = guarded;
  }
}

/** Text for the page: refuses null and undefined (an empty string instead, and a console error). */
export function text(value) {
  if (value === null || value === undefined) {
    console.error("Leer-Rijk: null of undefined als tekst gebruikt");
    return "";
  }
  return String(value);
}

// --- messages (R_UI_02) ------------------------------------------------------------------------------
// One message component: the NL Design System alert (utrecht-alert) with ONE content wrapper inside,
// so heading, text and list stack vertically; success and error never show together.

// The API's validation texts that do not say which field they are about; the portal names the field.
const GENERIC_FIELD_MESSAGES = new Set([
  "Dit veld is verplicht.", "Dit veld is te kort of leeg.", "Dit veld is te lang.", "Vul hier tekst in.",
  "De invoer heeft niet de juiste vorm.", "De invoer is niet geldig.", "Kies een van de toegestane waarden.",
  "Dit veld is onbekend.", "De waarde is te klein.", "De waarde is te groot.",
]);

// Per field (the API's field name): the text that names it.
export const FIELD_MESSAGES = {
  phone: "Vul een geldig telefoonnummer in, bijvoorbeeld 070 123 45 67.",
  email: "Vul een geldig e-mailadres in, bijvoorbeeld naam@minbzk.nl.",
  new_email: "Vul een geldig nieuw e-mailadres in, bijvoorbeeld naam@minbzk.nl.",
  first_name: "Vul uw voornaam in.",
  last_name: "Vul uw achternaam in.",
  question: "Vul uw vraag in.",
  subject: "Vul een onderwerp in.",
  code: "Vul de code van 6 cijfers uit uw authenticator-app in.",
  domains: "Vul een of meer geldige e-maildomeinen in, gescheiden door komma's, bijvoorbeeld minbzk.nl.",
  name: "Vul een geldige naam in.",
  manager_email: "Vul een geldig e-mailadres van uw leidinggevende in.",
  manager_name: "Vul de naam van uw leidinggevende in.",
  cost_centre: "Vul een geldige kostenplaats in.",
  date_from: "Vul een geldige begindatum in (DD-MM-JJJJ).",
  date_to: "Vul een geldige einddatum in (DD-MM-JJJJ).",
  org_id: "Vul bij 'Code van de organisatie' kleine letters, cijfers en streepjes in, bijvoorbeeld org-minfin.",
  supplier_id: "Vul bij 'Code van de leverancier' kleine letters, cijfers en streepjes in, bijvoorbeeld sup-trainingen-bv.",
};

function labelOf(input) {
  const label = input?.labels?.[0] || (input?.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`));
  return label ? label.textContent.replace(/\s*\(niet verplicht\)\s*$/, "").trim() : "";
}

/** A field message that names its field: the API's own text, unless that is generic. */
export function fieldMessage(field, message, input) {
  if (message && !GENERIC_FIELD_MESSAGES.has(message)) return message;
  const last = field.split(".").pop();
  if (FIELD_MESSAGES[field] || FIELD_MESSAGES[last]) return FIELD_MESSAGES[field] || FIELD_MESSAGES[last];
  const label = labelOf(input);
  const text = message || "Controleer dit veld.";
  return label ? `${label}: ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

/** An NL Design System alert: `kind` info | ok | warning | error; one content wrapper inside. */
export function messageBox(kind, heading, ...content) {
  return el("div", { class: `utrecht-alert utrecht-alert--${kind} lr-alert` }, messageContent(heading, ...content));
}

function messageContent(heading, ...content) {
  return el("div", { class: "utrecht-alert__content lr-message" },
    heading ? el("h2", { class: "nl-heading nl-heading--level-3 lr-message__heading" }, heading) : null,
    ...content.filter((part) => part !== null && part !== undefined && part !== false)
      .map((part) => (typeof part === "string" ? el("p", { class: "utrecht-alert__message nl-paragraph" }, part) : part)));
}

/** Success and error never together: a new message of one kind removes the other (on the whole page). */
function clearSuccess() {
  document.querySelectorAll(".lr-status").forEach((region) => region.replaceChildren());
}

export function clearErrors() {
  document.querySelectorAll(".lr-error-summary").forEach((summary) => {
    summary.hidden = true;
    summary.replaceChildren();
  });
}

/** Put a success message in a polite live region; any error summary on the page goes. */
export function showSuccess(region, heading, ...content) {
  clearErrors();
  document.querySelectorAll(".lr-field-error").forEach((node) => node.remove());
  region.replaceChildren(messageBox("ok", heading, ...content));
}

/**
 * Show a problem above a form (an error summary that takes focus) and next to each field named
 * in `problem.fields` (matched by the input's name). Field names from the API may be dotted.
 * Each problem is a link in the summary that moves focus to its field; the field shows the same text.
 */
export function showProblem(summary, problem, form, ...extra) {
  clearProblems(summary, form);
  clearSuccess();
  const items = [];
  const texts = new Set();
  for (const [field, raw] of Object.entries(problem.fields || {})) {
    const input = form?.querySelector(`[name="${CSS.escape(field)}"]`)
      || form?.querySelector(`[name="${CSS.escape(field.split(".")[0])}"]`);
    const message = fieldMessage(field, raw, input);
    if (texts.has(message)) continue; // one problem, one line
    texts.add(message);
    if (input) {
      if (!input.id) input.id = `veld-${field.replace(/[^a-z0-9_-]/gi, "-")}`;
      const id = `${input.id}-fout`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
      const holder = input.closest(".utrecht-form-field, .lr-field, fieldset") || input.parentElement;
      holder.classList.add("lr-field--invalid");
      // between the label and the control, wherever the control sits inside its field
      const anchor = holder.querySelector(".lr-choices") || input;
      anchor.before(el("p", { class: "utrecht-form-field-error-message lr-field-error", id }, message));
      items.push(el("li", { class: "utrecht-unordered-list__item" }, el("a", {
        class: "nl-link lr-error-summary__link",
        href: `#${input.id}`,
        onclick: (event) => {
          event.preventDefault();
          input.focus();
          input.scrollIntoView({ block: "center" });
        },
      }, message)));
    } else {
      items.push(el("li", { class: "utrecht-unordered-list__item" }, message));
    }
  }
  const lead = problem.message && !texts.has(problem.message) ? problem.message : null;
  if (!summary.id) summary.id = "fouten";
  summary.classList.add("utrecht-alert", "utrecht-alert--error", "lr-error-summary");
  summary.setAttribute("aria-labelledby", `${summary.id}-titel`);
  summary.setAttribute("tabindex", "-1");
  summary.replaceChildren(el("div", { class: "utrecht-alert__content lr-message" },
    el("h2", { class: "nl-heading nl-heading--level-3 lr-message__heading", id: `${summary.id}-titel` }, "Er ging iets mis"),
    lead ? el("p", { class: "utrecht-alert__message nl-paragraph" }, lead) : null,
    items.length ? el("ul", { class: "utrecht-unordered-list lr-error-summary__list" }, items) : null,
    ...extra.filter(Boolean)));
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
