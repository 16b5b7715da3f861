// /beheer/: the account list of one organisation (R_ACC_05, R_ACC_06): a local admin sees every account of
// their own organisation, those they may not manage read-only with who does (R_ACC_07); CFB chooses any
// organisation, or searches all of them at once. Paginated by the API's opaque cursor, searchable by name or address.

import { announce, api, dutchDate, el, plural } from "./api.js";
import { checkRequired, clear, report, roleLabel, whileBusy } from "./account-common.js";
import { adminGate, option, organisationDirectory, table } from "./admin-common.js";

const PAGE_SIZE = 25;
const EVERY_ORGANISATION = "*"; // CFB: a search in all organisations (the API then gets no org_id)
const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const results = document.getElementById("accounts");
const resultStatus = document.getElementById("resultaat-status");
const form = document.getElementById("zoek-formulier");
const pager = document.getElementById("paginering");
const previous = document.getElementById("vorige");
const next = document.getElementById("volgende");
let orgNames = {};
let departmentNames = {};
let query = { org_id: "", q: "" };
let cursors = [null]; // the cursor of each page seen so far; the last one is the current page
let nextCursor = null;

function accountRow(account, everywhere) {
  const name = `${account.last_name}, ${account.first_name}`;
  const organisation = everywhere ? [account.organisation_name || account.org_id] : [];
  if (!account.manageable) {
    // R_ACC_07: listed, but managed by CFB; the local admin opens, changes or deletes nothing of it
    return [name, account.email, ...organisation, "Niet getoond", "Niet getoond",
      "Alleen inzien: beheerd door Centraal Functioneel Beheer"];
  }
  const roles = account.roles.map((grant) => roleLabel(grant, orgNames, departmentNames)).join("; ");
  return [
    el("a", { class: "nl-link", href: `/beheer/account/?id=${encodeURIComponent(account.account_id)}` }, name),
    account.email,
    ...organisation,
    dutchDate(account.created_on),
    account.last_used_on ? dutchDate(account.last_used_on) : "Nog niet",
    [account.status === "active" ? "Actief" : "Uitgeschakeld", roles ? ` · ${roles}` : ""].join(""),
  ];
}

async function load(button) {
  clear(summary, form);
  const everywhere = query.org_id === EVERY_ORGANISATION;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (!everywhere) params.set("org_id", query.org_id);
  if (query.q) params.set("q", query.q);
  const cursor = cursors[cursors.length - 1];
  if (cursor) params.set("cursor", cursor);
  let answer;
  try {
    answer = await whileBusy(button, () => api(`/admin/accounts?${params}`));
  } catch (problem) {
    report(summary, problem, form);
    return;
  }
  nextCursor = answer.next_cursor;
  const orgName = everywhere ? "alle organisaties" : orgNames[query.org_id] || query.org_id;
  const page = cursors.length;
  const headers = ["Naam", "E-mailadres", ...(everywhere ? ["Organisatie"] : []), "Aangemaakt", "Laatst gebruikt",
    "Status en rollen"];
  results.replaceChildren(answer.accounts.length
    ? table(`${everywhere ? "Accounts in" : "Accounts van"} ${orgName}${page > 1 ? `, pagina ${page}` : ""}`, headers,
      answer.accounts.map((account) => accountRow(account, everywhere)))
    : el("p", { class: "nl-paragraph" }, query.q ? "Geen accounts gevonden die hierbij passen." : "Deze organisatie heeft nog geen accounts."));
  pager.hidden = !(nextCursor || cursors.length > 1);
  previous.disabled = cursors.length <= 1;
  next.disabled = !nextCursor;
  announce(resultStatus, answer.accounts.length
    ? `${plural(answer.accounts.length, "account", "accounts")} op pagina ${page} ${everywhere ? "in" : "van"} ${orgName}.`
    : "Geen accounts gevonden.");
}

function remember() {
  const params = new URLSearchParams({ organisatie: query.org_id });
  if (query.q) params.set("zoek", query.q);
  window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
}

function wire(select) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clear(summary, form);
    const required = { org_id: "Kies een organisatie." };
    if (select.value === EVERY_ORGANISATION) required.q = "Vul een naam of e-mailadres in om in alle organisaties te zoeken.";
    if (!checkRequired(summary, form, required)) return;
    query = { org_id: select.value, q: form.elements.namedItem("q").value.trim() };
    cursors = [null];
    remember();
    load(form.querySelector("[type=submit]"));
  });
  previous.addEventListener("click", () => {
    cursors.pop();
    load(previous);
  });
  next.addEventListener("click", () => {
    cursors.push(nextCursor);
    load(next);
  });
}

async function start() {
  const access = await adminGate(container, summary);
  if (!access) return;
  const select = form.elements.namedItem("org_id");
  wire(select);
  let directory = [];
  try {
    directory = await organisationDirectory();
  } catch (problem) {
    report(summary, problem);
    return;
  }
  orgNames = Object.fromEntries(directory.map((org) => [org.org_id, org.name]));
  departmentNames = Object.fromEntries(directory.flatMap((org) =>
    (org.departments || []).map((item) => [item.department_id, item.name])));
  const choosable = access.cfb ? [EVERY_ORGANISATION, ...directory.map((org) => org.org_id)] : access.orgs;
  orgNames[EVERY_ORGANISATION] = "Alle organisaties (zoeken op naam of e-mailadres)";
  const params = new URLSearchParams(window.location.search);
  const wanted = params.get("organisatie");
  const initial = choosable.includes(wanted) ? wanted : (choosable.length === 1 ? choosable[0] : access.user.org_id);
  select.append(...choosable.map((id) => option(id, orgNames[id] || id, id === initial)));
  if (choosable.includes(initial)) select.value = initial;
  form.elements.namedItem("q").value = params.get("zoek") || "";
  if (select.value && (select.value !== EVERY_ORGANISATION || form.elements.namedItem("q").value.trim())) {
    query = { org_id: select.value, q: form.elements.namedItem("q").value.trim() };
    await load(form.querySelector("[type=submit]"));
  }
}

start();
