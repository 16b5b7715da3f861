// Shared by the admin pages (/beheer/): who may see what, the second-factor gate, tables, and the API-key
// section of organisations (LMS) and suppliers. Tenant scoping itself is the API's job (404 outside scope).

import { ApiProblem, api, dataTable, dutchDate, el } from "./api.js";
import { confirmAction } from "./confirm.js";
import { alertBox, clear, dutchDateTime, isAdmin, report, requireUser, showOk, whileBusy } from "./account-common.js";

export function hasRole(user, role) {
  return (user.roles || []).some((grant) => grant.role === role);
}

export function localAdminOrgs(user) {
  return (user.roles || []).filter((grant) => grant.role === "local_admin" && grant.org_id).map((grant) => grant.org_id);
}

const link = (href, text) => el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href }, text));

/**
 * Open an admin page: logged in, an admin role, and the second factor done (R_ACC_10). Returns
 * {user, cfb, orgs} or null after showing why not. `cfbOnly` pages refuse local admins.
 */
export async function adminGate(container, summary, { cfbOnly = false } = {}) {
  const user = await requireUser(container, "beheertaken te doen", summary);
  container.hidden = false; // pages wire their forms before their first await, or keep them hidden until then
  if (!user) return null;
  if (!isAdmin(user)) {
    container.replaceChildren(alertBox("info",
      "Deze pagina is voor lokaal beheerders en Centraal Functioneel Beheer. Uw account heeft geen van die rollen.",
      link("/mijn-gegevens/", "Naar mijn gegevens")));
    return null;
  }
  if (user.assurance_level < 2) {
    const setup = user.second_factor === "setup";
    const here = encodeURIComponent(window.location.pathname + window.location.search);
    container.replaceChildren(alertBox("warning",
      "Eerst tweede factor: bevestig uw inlog met een code uit uw authenticator-app. Pas daarna kunt u beheertaken doen.",
      link(setup ? `/inloggen/tweede-factor/instellen/?terug=${here}` : `/inloggen/tweede-factor/?terug=${here}`,
        setup ? "Tweede factor instellen" : "Code invullen")));
    return null;
  }
  const cfb = hasRole(user, "cfb");
  if (cfbOnly && !cfb) {
    container.replaceChildren(alertBox("info", "Deze pagina is alleen voor Centraal Functioneel Beheer.",
      link("/beheer/", "Naar het accountbeheer van uw organisatie")));
    return null;
  }
  document.querySelectorAll("[data-lr-cfb]").forEach((node) => { node.hidden = !cfb; });
  return { user, cfb, orgs: localAdminOrgs(user) };
}

/** Organisation ids to names (and their departments), from the public directory. */
export async function organisationDirectory() {
  const { organisations } = await api("/organisations");
  return organisations;
}

/**
 * A list the API hands out in pages (`items`, `next_cursor`): loads the first page, and the next one each time
 * `more` (the "Meer laden" button) is pressed; `show(items)` gets everything loaded so far. `more` shows while
 * there is a next page; a failure is reported in `summary`.
 */
export function pagedList(path, more, show, summary) {
  let items = [];
  let cursor = null;
  const load = async () => {
    try {
      const separator = path.includes("?") ? "&" : "?";
      const page = await api(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
      items = items.concat(page.items);
      cursor = page.next_cursor;
      show(items);
      more.hidden = !cursor;
    } catch (problem) {
      report(summary, problem);
    }
  };
  more.addEventListener("click", load);
  return load();
}

export function table(caption, headers, rows) {
  return dataTable(caption, headers, rows);
}

export function dataList(pairs) {
  return el("dl", { class: "utrecht-data-list lr-facts lr-facts--grid" },
    pairs.map(([key, value]) => el("div", { class: "utrecht-data-list__item" },
      el("dt", { class: "utrecht-data-list__item-key" }, key),
      el("dd", { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" }, value))));
}

export function option(value, label, selected = false) {
  return el("option", { value, selected }, label);
}

export const yesNo = (value) => (value ? "Ja" : "Nee");

/** Lines of a textarea, trimmed, without empty ones. */
export function lines(value) {
  return value.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** API field errors of list items ("departments.2.name") shown at the textarea that holds the list. */
export function foldListFields(problem, names) {
  if (!(problem instanceof ApiProblem)) return problem;
  const fields = {};
  for (const [field, message] of Object.entries(problem.fields || {})) {
    const [head, index] = field.split(".");
    if (names.includes(head) && index !== undefined && /^[0-9]+$/.test(index)) {
      fields[head] ??= `Regel ${Number(index) + 1}: ${message}`;
    } else {
      fields[field] = message;
    }
  }
  problem.fields = fields;
  return problem;
}

export function idFromQuery() {
  return new URLSearchParams(window.location.search).get("id");
}

/**
 * The API keys of an LMS or a supplier: list, create (the key is shown once) and revoke.
 * `base` is e.g. "/admin/suppliers/sup-x"; `holder` an element to fill.
 */
export function keySection(holder, base, who) {
  const summary = el("div", { class: "utrecht-alert utrecht-alert--error lr-error-summary", tabindex: "-1", hidden: true });
  const status = el("div", { class: "lr-status", role: "status", "aria-live": "polite" });
  const list = el("div");
  const labelId = `sleutel-label-${Math.random().toString(36).slice(2, 8)}`;
  const form = el("form", { class: "lr-form", novalidate: true },
    el("div", { class: "utrecht-form-field utrecht-form-field--text" },
      el("div", { class: "utrecht-form-field__label" },
        el("label", { class: "utrecht-form-label", for: labelId }, "Omschrijving van de nieuwe sleutel (niet verplicht)")),
      el("input", { class: "utrecht-textbox utrecht-textbox--html-input", id: labelId, name: "label", maxlength: 100 })),
    el("button", { class: "utrecht-button utrecht-button--secondary-action utrecht-button--submit", type: "submit" },
      "Nieuwe API-sleutel maken"));

  async function load() {
    const { keys } = await api(`${base}/keys`);
    list.replaceChildren(keys.length
      ? table(`API-sleutels van ${who}`, ["Sleutel", "Omschrijving", "Gemaakt", "Laatst gebruikt", "Status"],
        keys.map((key) => [key.key_id, key.label || "", dutchDateTime(key.created_at),
          key.last_used_on ? dutchDate(key.last_used_on) : "Nog niet",
          key.revoked_at ? `Ingetrokken op ${dutchDateTime(key.revoked_at)}`
            : el("button", {
              class: "utrecht-button utrecht-button--secondary-action", type: "button",
              "aria-label": `Sleutel ${key.key_id} intrekken`, onclick: (event) => revoke(event, key.key_id),
            }, "Intrekken")]))
      : el("p", { class: "nl-paragraph" }, "Er zijn nog geen API-sleutels."));
  }

  async function revoke(event, keyId) {
    const button = event.currentTarget;
    const sure = await confirmAction({
      title: `Sleutel ${keyId} intrekken?`,
      consequence: [`Alles wat ${who} met deze sleutel doet, wordt vanaf dat moment geweigerd: een koppeling die hem `
        + "nog gebruikt, stopt direct.", "Intrekken kunt u niet terugdraaien. Maak zo nodig eerst een nieuwe sleutel en "
        + "laat die in de koppeling zetten."],
      confirm: "Ja, trek de sleutel in",
    });
    if (!sure) return;
    clear(summary, form);
    try {
      await whileBusy(button, () => api(`${base}/keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }));
      await load();
      showOk(status, `Sleutel ${keyId} is ingetrokken. Hij werkt vanaf nu niet meer.`);
    } catch (problem) {
      report(summary, problem, form);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    const label = form.elements.namedItem("label").value.trim();
    try {
      const created = await whileBusy(form.querySelector("[type=submit]"),
        () => api(`${base}/keys`, { method: "POST", body: label ? { label } : {} }));
      form.reset();
      status.replaceChildren(alertBox("warning", created.message || "Bewaar deze sleutel nu: hij wordt niet opnieuw getoond.",
        el("p", { class: "nl-paragraph" }, "Nieuwe sleutel: ", el("code", { class: "lr-key", id: "nieuwe-sleutel" }, created.token))));
      await load();
    } catch (problem) {
      report(summary, problem, form);
    }
  });

  holder.replaceChildren(summary, status, list, form);
  return load().catch((problem) => report(summary, problem));
}
