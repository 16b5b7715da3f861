// Shared by the account pages, the admin pages and the navigation: who is logged in, where to go
// back to after the login link, and small form helpers. Everything user-provided goes in as text (el()).

import { ApiProblem, api, clearProblems, currentUser, el, messageBox, showProblem, showSuccess } from "./api.js";

// Where to continue after the e-mailed link, which usually opens in another tab. A path, never personal
// data, and only for as long as a link is valid.
const RETURN_KEY = "lr-terug";
const RETURN_MINUTES = 15;
const AUTH_PAGES = ["/inloggen/", "/aanmelden/"];

export const ADMIN_PAGE_ROLES = ["local_admin", "cfb"];

function storage(kind) {
  let store;
  try {
    store = kind === "local" ? window.localStorage : window.sessionStorage;
  } catch {
    return null; // storage switched off: the pages still work, only less smoothly
  }
  return {
    getItem: (key) => store.getItem(key),
    removeItem: (key) => store.removeItem(key),
    setItem: (key, value) => {
      try {
        store.setItem(key, value);
      } catch {
        // full or refused: the marker is a convenience, never needed for correctness
      }
    },
  };
}

/** The logged-in account, or null. */
export async function whoAmI() {
  return currentUser();
}

/** A same-origin path that is safe to continue to after logging in, or null. */
export function safePath(value) {
  // No "//host" or "/\\host" (other sites), and no whitespace or control characters, which browsers drop
  // from URLs ("/\t/host" would become "//host").
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")
      || /[\s\u0000-\u001f\u007f]/.test(value)) {
    return null;
  }
  if (AUTH_PAGES.some((page) => value.startsWith(page))) return null;
  return value.length <= 500 ? value : null;
}

export function rememberReturn(path) {
  const safe = safePath(path);
  const store = storage("local");
  if (!store) return;
  if (!safe) {
    store.removeItem(RETURN_KEY);
    return;
  }
  store.setItem(RETURN_KEY, JSON.stringify({ path: safe, until: Date.now() + RETURN_MINUTES * 60_000 }));
}

/** The remembered path (once), or null; an expired one is dropped. */
export function takeReturn() {
  const store = storage("local");
  const raw = store?.getItem(RETURN_KEY);
  if (!raw) return null;
  store.removeItem(RETURN_KEY);
  try {
    const { path, until } = JSON.parse(raw);
    return until > Date.now() ? safePath(path) : null;
  } catch {
    return null;
  }
}

/** Drop a remembered path that outlived its link (called on every page by nav.js). */
export function forgetStaleReturn() {
  const store = storage("local");
  const raw = store?.getItem(RETURN_KEY);
  if (!raw) return;
  try {
    if (JSON.parse(raw).until > Date.now()) return;
  } catch {
    // unreadable: drop it
  }
  store.removeItem(RETURN_KEY);
}

// The "check your mailbox" page names the address the link went to, so a typo shows. Kept in this tab
// only, and read once.
const LINK_REQUEST_KEY = "lr-link-aangevraagd";

export function rememberLinkRequest(purpose, email) {
  storage("session")?.setItem(LINK_REQUEST_KEY, JSON.stringify({ purpose, email }));
}

export function takeLinkRequest() {
  const store = storage("session");
  const raw = store?.getItem(LINK_REQUEST_KEY);
  if (!raw) return null;
  store.removeItem(LINK_REQUEST_KEY);
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** The `terug` query parameter of this page, if it is a safe path. */
export function returnParameter() {
  return safePath(new URLSearchParams(window.location.search).get("terug"));
}

export function loginUrl(path = window.location.pathname + window.location.search + window.location.hash) {
  const safe = safePath(path);
  return safe ? `/inloggen/?terug=${encodeURIComponent(safe)}` : "/inloggen/";
}

export function isAdmin(user) {
  return (user?.roles || []).some((grant) => ADMIN_PAGE_ROLES.includes(grant.role));
}

/** Where a freshly logged-in account goes when no page asked for it. */
export function homeFor(user) {
  if (isAdmin(user)) return "/beheer/";
  const orders = (user?.roles || []).some((grant) => grant.role === "order_authorised");
  return orders ? "/bestellingen/" : "/mijn-gegevens/";
}

export async function logout() {
  try {
    await api("/auth/logout", { method: "POST" });
  } catch (problem) {
    if (!(problem instanceof ApiProblem) || problem.status !== 401) throw problem; // 401: already ended
  }
  window.location.assign("/inloggen/?uitgelogd=1");
}

// --- forms ----------------------------------------------------------------------------------------

/** The trimmed text values of a form's named fields (checkboxes as booleans). */
export function formValues(form) {
  const values = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.readOnly) continue;
    if (control.type === "checkbox") values[control.name] = control.checked;
    else values[control.name] = control.value.trim();
  }
  return values;
}

/** Refuse empty required fields before asking the API, with one clear message per field. */
export function checkRequired(summary, form, messages) {
  const fields = {};
  for (const [name, message] of Object.entries(messages)) {
    const control = form.elements.namedItem(name);
    if (!control) continue;
    const empty = control.type === "checkbox" ? !control.checked : !control.value.trim();
    if (empty) fields[name] = message;
  }
  if (Object.keys(fields).length === 0) return true;
  showProblem(summary, new ApiProblem(400, "client", "Niet alle verplichte velden zijn ingevuld.", fields), form);
  return false;
}

/** Show an API problem above the form and next to its fields, with a way on where one helps. */
export function report(summary, problem, form, ...extra) {
  const known = problem instanceof ApiProblem ? problem
    : new ApiProblem(0, "error", "Er ging iets mis in de pagina. Laad de pagina opnieuw en probeer het nog eens.");
  if (!(problem instanceof ApiProblem)) console.warn(problem);
  showProblem(summary, known, form, nextStep(known), ...extra);
}

function nextStep(problem) {
  if (problem.status === 401) {
    return el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: loginUrl() }, "Opnieuw inloggen"));
  }
  if (problem.code === "second_factor_required") {
    return el("p", { class: "nl-paragraph" },
      el("a", { class: "nl-link", href: `/inloggen/tweede-factor/?terug=${encodeURIComponent(location.pathname)}` },
        "Code uit uw authenticator-app invullen"));
  }
  if (problem.status === 429) {
    return el("p", { class: "nl-paragraph" }, "Dit is een beveiliging tegen misbruik. Wacht even en probeer het daarna opnieuw.");
  }
  return null;
}

export function clear(summary, form) {
  clearProblems(summary, form);
}

/** While a request runs: the button is disabled and says so to screen readers. */
export async function whileBusy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

// --- page states ------------------------------------------------------------------------------------

/** Put a success message in a polite live region (it exists, empty, from page load). */
export function showOk(region, message, ...extra) {
  showSuccess(region, null, message, ...extra);
}

/**
 * Move the reader to a message that sits far from the button that caused it (on a phone the form is often
 * a screen below the message): it scrolls into view and takes focus (R_UI_03).
 */
export function focusMessage(region) {
  const message = region.querySelector(".utrecht-alert") || region;
  message.setAttribute("tabindex", "-1");
  message.scrollIntoView({ block: "start" });
  message.focus({ preventScroll: true });
}

export function alertBox(kind, message, ...extra) {
  return messageBox(kind, null, message, ...extra);
}

/** Replace a page section by a message for visitors: log in first (with the way back). */
export function needLogin(container, what) {
  container.replaceChildren(
    alertBox("info", `U bent niet ingelogd. Log in om ${what}.`,
      el("p", { class: "nl-paragraph" },
        el("a", { class: "nl-link", href: loginUrl() }, "Inloggen"), " of ",
        el("a", { class: "nl-link", href: "/aanmelden/" }, "een account aanmaken"), ".")),
  );
}

/** Load the user for a page that needs one; shows the login message and returns null for visitors. */
export async function requireUser(container, what, summary) {
  try {
    const user = await whoAmI();
    if (!user) needLogin(container, what);
    return user;
  } catch (problem) {
    container.replaceChildren();
    if (summary) report(summary, problem);
    return null;
  }
}

export function dutchDateTime(iso) {
  if (!iso) return "";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  return new Intl.DateTimeFormat("nl-NL", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" })
    .format(moment);
}

export const ROLE_NAMES = {
  local_admin: "Lokaal beheerder",
  cfb: "Centraal Functioneel Beheer",
  order_authorised: "Bestelgemachtigde",
  ops: "IT-beheer",
};

/** "Lokaal beheerder (Belastingdienst)" from a grant and a map of organisation ids to names. */
export function roleLabel(grant, orgNames = {}, departmentNames = {}) {
  const name = ROLE_NAMES[grant.role] || grant.role;
  const where = [grant.org_id && (orgNames[grant.org_id] || grant.org_id),
    grant.department_id && (departmentNames[grant.department_id] || grant.department_id)].filter(Boolean);
  return where.length ? `${name} (${where.join(", ")})` : name;
}

/** Save JSON as a file download (the export of personal data, R_ACC_09). */
export function downloadJson(data, filename) {
  downloadFile(JSON.stringify(data, null, 2), filename, "application/json");
}

/** Save `content` as a file named `filename` (a link the browser downloads; nothing leaves the page). */
export function downloadFile(content, filename, type) {
  const blob = new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
