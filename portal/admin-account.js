// /beheer/account/?id=...: one account for its local admin or CFB (R_ACC_05-07, R_ACC_11): view, change,
// delete, roles (a local admin: order-authorised only); CFB also disable/enable, end sessions and reset the
// second factor. Revoking a role asks first, naming what the person loses, and can be undone.

import { ApiProblem, api, dutchDate, el } from "./api.js";
import { alertBox, checkRequired, clear, formValues, report, roleLabel, showOk, whileBusy } from "./account-common.js";
import { adminGate, dataList, idFromQuery, option, organisationDirectory, table, yesNo } from "./admin-common.js";

const ORG_ROLES = ["local_admin", "order_authorised"];
const LOCAL_ADMIN_ROLES = ["order_authorised"]; // R_ACC_07: the only role a local admin grants and revokes
const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const section = document.getElementById("account");
const editForm = document.getElementById("wijzig-formulier");
const roleForm = document.getElementById("rol-formulier");
const accountId = idFromQuery();
let access = null;
let directory = [];
let account = null;
let revoking = null; // the grant whose revocation waits for confirmation

const orgById = (id) => directory.find((org) => org.org_id === id);
const orgNames = () => Object.fromEntries(directory.map((org) => [org.org_id, org.name]));
const departmentNames = () => Object.fromEntries(directory.flatMap((org) =>
  org.departments.map((item) => [item.department_id, item.name])));
const path = () => `/admin/accounts/${encodeURIComponent(accountId)}`;

function fillDepartments(select, orgId, selected, emptyLabel) {
  select.replaceChildren(option("", emptyLabel),
    ...(orgById(orgId)?.departments || []).map((item) => option(item.department_id, item.name, item.department_id === selected)));
  select.value = selected || "";
}

function render() {
  const name = `${account.first_name} ${account.last_name}`;
  document.getElementById("titel").textContent = `Beheer: ${name}`;
  document.title = `Beheer: ${name} | Leer-Rijk`;
  const roles = account.roles.map((grant) => roleLabel(grant, orgNames(), departmentNames()));
  document.getElementById("account-gegevens").replaceChildren(dataList([
    ["Naam", name],
    ["E-mailadres", account.email],
    ["Organisatie", account.organisation_name || account.org_id],
    ["Afdeling", account.department_name || "Geen"],
    ["Rollen", roles.length ? roles.join("; ") : "Medewerker"],
    ["Status", account.status === "active" ? "Actief" : "Uitgeschakeld"],
    ["Aangemaakt op", dutchDate(account.created_on)],
    ["Laatst gebruikt op", account.last_used_on ? dutchDate(account.last_used_on) : "Nog niet"],
    ["Tweede factor ingesteld", yesNo(account.second_factor_enrolled)],
  ]));
  editForm.elements.namedItem("first_name").value = account.first_name;
  editForm.elements.namedItem("last_name").value = account.last_name;
  editForm.elements.namedItem("email").value = account.email;
  const orgSelect = editForm.elements.namedItem("org_id");
  orgSelect.replaceChildren(...directory.map((org) => option(org.org_id, org.name, org.org_id === account.org_id)));
  orgSelect.value = account.org_id;
  fillDepartments(editForm.elements.namedItem("department_id"), account.org_id, account.department_id, "Geen afdeling");
  renderRoles();
  document.getElementById("status-knop").textContent =
    account.status === "active" ? "Account uitschakelen" : "Account weer inschakelen";
}

const mayChange = (grant) => access.cfb || (LOCAL_ADMIN_ROLES.includes(grant.role) && grant.org_id === account.org_id);
const ownAccount = () => !access.cfb && account.account_id === access.user.account_id;

function renderRoles() {
  const holder = document.getElementById("rollen");
  const own = ownAccount();
  document.getElementById("rollen-eigen").hidden = !own;
  roleForm.hidden = own;
  if (!account.roles.length) {
    holder.replaceChildren(el("p", { class: "nl-paragraph" }, "Dit account heeft geen beheerrollen."));
    return;
  }
  holder.replaceChildren(table("Rollen van dit account", ["Rol", "Actie"], account.roles.map((grant) => {
    const label = roleLabel(grant, orgNames(), departmentNames());
    if (own || !mayChange(grant)) return [label, own ? "Een andere beheerder wijzigt deze rol" : "Beheerd door Centraal Functioneel Beheer"];
    return [label, el("button", {
      class: "utrecht-button utrecht-button--secondary-action", type: "button", "aria-label": `Rol ${label} intrekken`,
      "aria-expanded": "false", "aria-controls": "intrekken-bevestiging",
      onclick: (event) => askRevoke(grant, event.currentTarget),
    }, "Intrekken")];
  })));
}

/** What a person loses with a role, in the words of the confirmation (issue 28: name the consequence). */
function consequence(grant) {
  const where = grant.department_id ? departmentNames()[grant.department_id] || grant.department_id
    : orgNames()[grant.org_id] || grant.org_id;
  return {
    order_authorised: `ziet dan de bestellijst van ${where} niet meer`,
    local_admin: `kan dan de accounts van ${where} niet meer beheren`,
    cfb: "kan dan geen centraal beheer meer doen",
    ops: "kan dan het logboek en de taken van IT-beheer niet meer gebruiken",
  }[grant.role] || "verliest dan deze rol";
}

function askRevoke(grant, button) {
  revoking = { grant, button };
  const name = `${account.first_name} ${account.last_name}`;
  document.getElementById("intrekken-vraag").textContent =
    `Weet u zeker dat u de rol ${roleLabel(grant, orgNames(), departmentNames())} van ${name} wilt intrekken? `
    + `${name} ${consequence(grant)}, en wordt direct uitgelogd. U kunt dit daarna nog ongedaan maken.`;
  document.getElementById("intrekken-bevestiging").hidden = false;
  button.setAttribute("aria-expanded", "true");
  document.getElementById("intrekken-zeker").focus();
}

function closeRevoke() {
  document.getElementById("intrekken-bevestiging").hidden = true;
  const button = revoking?.button;
  revoking = null;
  if (button?.isConnected) {
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
}

async function revoke(button) {
  const { grant } = revoking;
  const before = account.roles;
  const label = roleLabel(grant, orgNames(), departmentNames());
  const saved = await saveRoles(before.filter((other) => other !== grant), button, `De rol ${label} is ingetrokken.`,
    el("p", { class: "nl-paragraph" }, el("button", {
      class: "utrecht-button utrecht-button--secondary-action", type: "button", id: "ongedaan-maken",
      onclick: (event) => saveRoles(before, event.currentTarget, `De rol ${label} is weer toegekend.`),
    }, "Ongedaan maken: rol weer toekennen")));
  document.getElementById("intrekken-bevestiging").hidden = true;
  revoking = null;
  if (saved) document.getElementById("ongedaan-maken")?.focus();
}

async function saveRoles(grants, button, done, ...extra) {
  clear(summary, roleForm);
  const roles = grants.map(({ role, org_id: orgId, department_id: departmentId }) =>
    ({ role, org_id: orgId || null, department_id: departmentId || null }));
  try {
    account = await whileBusy(button, () => api(`${path()}/roles`, { method: "PUT", body: { roles } }));
  } catch (problem) {
    // Field errors name the grant ("roles.2"); the new grant is the one in the form.
    if (problem instanceof ApiProblem && Object.keys(problem.fields).some((field) => field.startsWith("roles"))) {
      problem.fields = { role: Object.values(problem.fields).join(" ") };
    }
    report(summary, problem, roleForm);
    return false;
  }
  render();
  showOk(status, done, ...extra);
  return true;
}

function roleFormChanged() {
  const role = roleForm.elements.namedItem("role").value;
  document.getElementById("rol-afdeling-veld").hidden = role !== "order_authorised";
  if (role === "order_authorised") {
    fillDepartments(roleForm.elements.namedItem("grant_department_id"), account.org_id, "", "Hele organisatie");
  }
}

async function addRole(event) {
  event.preventDefault();
  clear(summary, roleForm);
  const values = formValues(roleForm);
  if (!checkRequired(summary, roleForm, { role: "Kies een rol." })) return;
  const grant = { role: values.role, org_id: null, department_id: null };
  if (ORG_ROLES.includes(values.role)) grant.org_id = account.org_id;
  if (values.role === "order_authorised" && values.grant_department_id) grant.department_id = values.grant_department_id;
  const label = roleLabel(grant, orgNames(), departmentNames());
  const saved = await saveRoles([...account.roles, grant], roleForm.querySelector("[type=submit]"),
    `De rol ${label} is toegekend. ${account.first_name} ${account.last_name} logt opnieuw in om die te gebruiken.`);
  if (saved) {
    roleForm.reset();
    if (!access.cfb) roleForm.elements.namedItem("role").value = "order_authorised";
    roleFormChanged();
  }
}

async function saveAccount(event) {
  event.preventDefault();
  clear(summary, editForm);
  const required = {
    first_name: "Vul de voornaam in.", last_name: "Vul de achternaam in.", email: "Vul het e-mailadres in.",
  };
  if (!checkRequired(summary, editForm, required)) return;
  const values = formValues(editForm);
  const body = {
    first_name: values.first_name, last_name: values.last_name, email: values.email,
    department_id: values.department_id || null,
  };
  if (access.cfb && values.org_id && values.org_id !== account.org_id) body.org_id = values.org_id;
  try {
    account = await whileBusy(editForm.querySelector("[type=submit]"), () => api(path(), { method: "PATCH", body }));
  } catch (problem) {
    report(summary, problem, editForm);
    return;
  }
  render();
  if (body.org_id && account.org_id !== body.org_id && account.pending_email === body.email) {
    // R_ACC_02, R_ACC_07: the move waits with the new address, so the account never sits in an organisation
    // its address does not belong to
    const target = orgNames()[body.org_id] || body.org_id;
    showOk(status, `De wijzigingen zijn opgeslagen. De verplaatsing naar ${target} en het nieuwe e-mailadres `
      + `${body.email} gelden pas als de eigenaar het adres bevestigt met de link die ernaartoe is gestuurd. `
      + "Het oude adres heeft hierover bericht gekregen.");
    return;
  }
  if (body.email !== account.email && account.pending_email === body.email) {
    // R_ACC_07: the new address takes effect only when its owner confirms it; the old address was told
    showOk(status, `De wijzigingen zijn opgeslagen. Het nieuwe e-mailadres ${body.email} geldt pas als de eigenaar `
      + "het bevestigt met de link die naar dat adres is gestuurd. Het oude adres heeft hierover bericht gekregen.");
    return;
  }
  showOk(status, "De wijzigingen zijn opgeslagen.");
}

async function action(button, request, done) {
  clear(summary);
  try {
    const answer = await whileBusy(button, request);
    account = answer.account_id ? answer : await api(path());
    render();
    showOk(status, typeof done === "function" ? done(answer) : done);
  } catch (problem) {
    report(summary, problem);
  }
}

async function remove(button) {
  clear(summary);
  let answer;
  try {
    answer = await whileBusy(button, () => api(path(), { method: "DELETE" }));
  } catch (problem) {
    report(summary, problem);
    return;
  }
  const running = answer.running_enrolments || [];
  section.replaceChildren(alertBox("ok", `Het account van ${account.first_name} ${account.last_name} is verwijderd.`,
    running.length ? el("p", { class: "nl-paragraph" },
      running.length === 1 ? "1 lopende inschrijving blijft bestaan, los van het account."
        : `${running.length} lopende inschrijvingen blijven bestaan, los van het account.`) : null,
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/beheer/" }, "Terug naar de accounts"))));
  section.querySelector(".lr-alert").setAttribute("tabindex", "-1");
  section.querySelector(".lr-alert").focus();
}

function wireActions() {
  editForm.addEventListener("submit", saveAccount);
  editForm.elements.namedItem("org_id").addEventListener("change", (event) =>
    fillDepartments(editForm.elements.namedItem("department_id"), event.target.value, "", "Geen afdeling"));
  const toggle = document.getElementById("verwijder-knop");
  const confirmation = document.getElementById("verwijder-bevestiging");
  toggle.addEventListener("click", () => {
    confirmation.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    document.getElementById("verwijder-zeker").focus();
  });
  document.getElementById("verwijder-annuleren").addEventListener("click", () => {
    confirmation.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  document.getElementById("verwijder-zeker").addEventListener("click", (event) => remove(event.currentTarget));
  wireRoles();
  if (!access.cfb) return;
  document.getElementById("status-knop").addEventListener("click", (event) => {
    const enable = account.status !== "active";
    action(event.currentTarget, () => api(`${path()}/${enable ? "enable" : "disable"}`, { method: "POST" }),
      enable ? "Het account is weer ingeschakeld." : "Het account is uitgeschakeld; alle sessies zijn beëindigd.");
  });
  document.getElementById("sessies-knop").addEventListener("click", (event) =>
    action(event.currentTarget, () => api(`${path()}/sessions`, { method: "DELETE" }),
      (answer) => (answer.ended === 1 ? "1 sessie beëindigd." : `${answer.ended} sessies beëindigd.`)));
  document.getElementById("totp-knop").addEventListener("click", (event) =>
    action(event.currentTarget, () => api(`${path()}/totp-reset`, { method: "POST" }),
      (answer) => answer.message || "De tweede factor is gereset."));
}

function wireRoles() {
  document.getElementById("rollen-sectie").hidden = false;
  document.getElementById("rollen-lokaal").hidden = access.cfb;
  const roleSelect = roleForm.elements.namedItem("role");
  if (!access.cfb) {
    roleSelect.querySelectorAll("[data-lr-cfb-role]").forEach((node) => node.remove());
    roleSelect.value = "order_authorised";
    roleFormChanged();
  }
  roleSelect.addEventListener("change", roleFormChanged);
  roleForm.addEventListener("submit", addRole);
  document.getElementById("intrekken-zeker").addEventListener("click", (event) => revoke(event.currentTarget));
  document.getElementById("intrekken-annuleren").addEventListener("click", closeRevoke);
}

async function start() {
  access = await adminGate(container, summary);
  if (!access) return;
  if (!accountId) {
    report(summary, new ApiProblem(404, "not_found", "Er is geen account gekozen. Kies een account in de lijst."));
    return;
  }
  try {
    [directory, account] = await Promise.all([organisationDirectory(), api(path())]);
  } catch (problem) {
    report(summary, problem);
    return;
  }
  document.getElementById("terug-naar-lijst").href = `/beheer/?organisatie=${encodeURIComponent(account.org_id)}`;
  section.hidden = false;
  render();
  wireActions();
}

start();
