// /bestellingen/: the order list of order-authorised staff (R_ORD_02): filters by period and status,
// totals per month, mark a line as ordered, and the export without personal data (R_ORD_03). The
// API keeps each person to the lists of their own grants; this page only offers those lists.

import { announce, api, dutchDate, el, euro } from "./api.js";
import { alertBox, clear, dutchDateTime, formValues, report, requireUser, showOk, whileBusy } from "./account-common.js";
import { hasRole, option, table } from "./admin-common.js";
import { confirmAction } from "./confirm.js";

const PAGE_SIZE = 50;
const container = document.getElementById("bestellingen");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const form = document.getElementById("filter-formulier");
const listField = document.getElementById("lijst-veld");
const listSelect = document.getElementById("lijst");
const totals = document.getElementById("totalen");
const lines = document.getElementById("regels");
const linesStatus = document.getElementById("regels-status");
const more = document.getElementById("meer");
const csvLink = document.getElementById("download-csv");
const jsonLink = document.getElementById("download-json");
const KINDS = { order: "Bestelling", penalty: "Boete (late annulering)" };
const STATUSES = { open: "Nog te bestellen", ordered: "Besteld", withdrawn: "Vervallen" };
const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
  "oktober", "november", "december"];
let filters = {};
let nextCursor = null;
let shown = [];

const link = (href, text) => el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href }, text));

function params(extra = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra })) if (value) search.set(name, value);
  return search;
}

function scopeValue(scope) {
  return `${scope.org_id}|${scope.department_id || ""}`;
}

function scopeLabel(scope) {
  return scope.department ? `${scope.organisation}, ${scope.department}` : (scope.organisation || scope.org_id);
}

function monthLabel(month) {
  const [year, number] = month.split("-").map(Number);
  return `${MONTHS[number - 1]} ${year}`;
}

function showTotals(data) {
  if (!data) return;
  if (data.months.length === 0) {
    totals.replaceChildren(el("p", { class: "nl-paragraph" }, "Geen bestelregels in deze periode."));
    return;
  }
  const rows = data.months.map((m) => [monthLabel(m.month), String(m.count), euro(m.amount_cents)]);
  rows.push(["Totaal", String(data.count), euro(data.amount_cents)]);
  totals.replaceChildren(table("Totalen per maand (zonder vervallen regels)", ["Maand", "Aantal regels", "Bedrag"], rows));
}

function lineCells(line) {
  const execution = line.execution;
  const when = execution.start === execution.end ? dutchDate(execution.start)
    : `${dutchDate(execution.start)} tot en met ${dutchDate(execution.end)}`;
  let state = STATUSES[line.status] || "Onbekend";
  if (line.status === "ordered" && line.ordered_at) {
    state = `Besteld op ${dutchDateTime(line.ordered_at)}${line.ordered_by_you ? " (door u)" : ""}`;
  }
  const action = line.status === "open"
    ? el("button", { class: "utrecht-button utrecht-button--secondary-action", type: "button",
      "data-regel": line.line_id, onclick: markOrdered }, "Markeer als besteld")
    : "";
  return [
    dutchDate(line.order_day),
    line.course.name || line.course.course_id,
    [when, execution.place ? `, ${execution.place}` : ""].join(""),
    KINDS[line.kind] || "Bestelling",
    euro(line.amount_cents),
    line.via_lms ? "via LMS" : (line.email || ""),
    el("span", { "data-status": line.status }, state),
    action,
  ];
}

function showLines() {
  if (shown.length === 0) {
    lines.replaceChildren(el("p", { class: "nl-paragraph" },
      "Er staan geen bestelregels op deze lijst voor de gekozen periode en status."));
    return;
  }
  lines.replaceChildren(table("Bestelregels, nieuwste besteldag eerst",
    ["Besteldag", "Opleiding", "Uitvoering", "Soort", "Bedrag", "Deelnemer", "Status", "Actie"],
    shown.map(lineCells)));
}

/** "van 1 december 2026 tot en met 31 december 2026": the period the file holds, as its name says. */
function periodText() {
  if (filters.from && filters.to) return ` van ${dutchDate(filters.from)} tot en met ${dutchDate(filters.to)}`;
  if (filters.from) return ` vanaf ${dutchDate(filters.from)}`;
  return filters.to ? ` tot en met ${dutchDate(filters.to)}` : "";
}

function updateDownloads() {
  const search = params();
  csvLink.href = `/api/orders/export?${new URLSearchParams({ format: "csv", ...Object.fromEntries(search) })}`;
  jsonLink.href = `/api/orders/export?${new URLSearchParams({ format: "json", ...Object.fromEntries(search) })}`;
  csvLink.textContent = `Download als CSV${periodText()} (spreadsheet, Nederlandse kolomnamen)`;
  jsonLink.textContent = `Download als JSON${periodText()} (e-procurementsysteem)`;
}

async function load(button, append = false) {
  clear(summary, form);
  const search = params({ limit: String(PAGE_SIZE) });
  if (append && nextCursor) search.set("cursor", nextCursor);
  let data;
  try {
    data = await whileBusy(button, () => api(`/orders?${search}`));
  } catch (problem) {
    report(summary, problem, form);
    return;
  }
  if (!append) {
    shown = [];
    showTotals(data.totals);
    fillScopes(data.scopes, data.scope);
  }
  shown = shown.concat(data.items);
  nextCursor = data.next_cursor;
  more.hidden = !nextCursor;
  showLines();
  updateDownloads();
  announce(linesStatus, `${shown.length} ${shown.length === 1 ? "regel" : "regels"} getoond.`);
}

function fillScopes(scopes, current) {
  if (!scopes || scopes.length < 2) {
    listField.hidden = true;
    return;
  }
  listField.hidden = false;
  listSelect.replaceChildren(...scopes.map((scope) => option(scopeValue(scope), scopeLabel(scope),
    scopeValue(scope) === scopeValue(current))));
}

function lineName(line) {
  return `${line.course.name || "De regel"} (${euro(line.amount_cents)})`;
}

function replaceLine(updated) {
  shown = shown.map((line) => (line.line_id === updated.line_id ? updated : line));
  showLines();
}

async function markOrdered(event) {
  const button = event.currentTarget;
  const line = shown.find((item) => item.line_id === button.dataset.regel);
  const sure = await confirmAction({
    title: "Markeren als besteld?",
    consequence: [`${lineName(line)} verdwijnt uit 'Nog te bestellen'. Iedereen met deze bestellijst ziet dat u `
      + "hem heeft besteld, en niemand bestelt hem nog eens.", "Doe dit pas als de regel in het bestelsysteem staat."],
    confirm: "Ja, markeer als besteld",
  });
  if (!sure) return;
  status.replaceChildren();
  clear(summary, form);
  try {
    const updated = await whileBusy(button, () => api(`/orders/${encodeURIComponent(line.line_id)}/ordered`, { method: "POST" }));
    replaceLine(updated);
    const undo = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", id: "besteld-ongedaan" },
      "Ongedaan maken");
    undo.addEventListener("click", () => reopen(undo, updated));
    showOk(status, `${lineName(updated)} is gemarkeerd als besteld.`, undo);
    status.querySelector("h2, p")?.setAttribute("tabindex", "-1");
    status.querySelector("h2, p")?.focus();
  } catch (problem) {
    report(summary, problem);
  }
}

/** Undo "Markeer als besteld": the line is open again (DELETE .../ordered). */
async function reopen(button, line) {
  clear(summary, form);
  try {
    const updated = await whileBusy(button, () => api(`/orders/${encodeURIComponent(line.line_id)}/ordered`, { method: "DELETE" }));
    replaceLine(updated);
    showOk(status, `${lineName(updated)} staat weer op 'Nog te bestellen'.`);
    document.querySelector(`[data-regel="${CSS.escape(updated.line_id)}"]`)?.focus();
  } catch (problem) {
    report(summary, problem);
  }
}

async function submit(event) {
  event.preventDefault();
  const values = formValues(form);
  filters = { from: values.from, to: values.to, status: values.status };
  if (values.list) {
    const [org, department] = values.list.split("|");
    filters.org = org;
    filters.department = department;
  }
  nextCursor = null;
  await load(form.querySelector("[type=submit]"));
}

function gate(user) {
  if (!hasRole(user, "order_authorised")) {
    container.replaceChildren(alertBox("info",
      "Deze pagina is voor bestelgemachtigden. Uw account heeft die rol niet; uw lokaal beheerder of CFB kan hem toekennen.",
      link("/mijn-gegevens/", "Naar mijn gegevens")));
    return false;
  }
  if (user.assurance_level < 2) {
    const setup = user.second_factor === "setup";
    const here = encodeURIComponent(window.location.pathname);
    container.replaceChildren(alertBox("warning",
      "Eerst tweede factor: bevestig uw inlog met een code uit uw authenticator-app. Daarna ziet u de bestellijst.",
      link(setup ? `/inloggen/tweede-factor/instellen/?terug=${here}` : `/inloggen/tweede-factor/?terug=${here}`,
        setup ? "Tweede factor instellen" : "Code invullen")));
    return false;
  }
  return true;
}

async function start() {
  form.addEventListener("submit", submit);
  more.addEventListener("click", () => load(more, true));
  const user = await requireUser(container, "de bestellijst te zien", summary);
  container.hidden = false;
  if (!user || !gate(user)) return;
  await load(form.querySelector("[type=submit]"));
}

start();
