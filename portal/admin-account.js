// /beheer/account/?id=...: one account for its local admin or CFB (R_ACC_05-07, R_ACC_11): view, change,
// delete; CFB also roles, disable/enable, end sessions and reset the second factor.

import { ApiProblem, api, dutchDate, el } from "./api.js";
import { alertBox, checkRequired, clear, formValues, report, roleLabel, showOk, whileBusy } from "./account-common.js";
import { adminGate, dataList, idFromQuery, option, organisationDirectory, table, yesNo } from "./admin-common.js";

const ORG_ROLES = ["local_admin", "order_authorised"];
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
  if (access.cfb) renderRoles();
  document.getElementById("status-knop").textContent =
    account.status === "active" ? "Account uitschakelen" : "Account weer inschakelen";
}

function renderRoles() {
  const holder = document.getElementById("rollen");
  if (!account.roles.length) {
    holder.replaceChildren(el("p", { class: "nl-paragraph" }, "Dit account heeft geen beheerrollen."));
    return;
  }
  holder.replaceChildren(table("Rollen van dit account", ["Rol", "Actie"], account.roles.map((grant, index) => {
    const label = roleLabel(grant, orgNames(), departmentNames());
    return [label, el("button", {
      class: "utrecht-button utrecht-button--secondary-action", type: "button", "aria-label": `Rol ${label} intrekken`,
      onclick: (event) => saveRoles(account.roles.filter((_, other) => other !== index), event.currentTarget,
        `De rol ${label} is ingetrokken.`),
    }, "Intrekken")];
  })));
}

async function saveRoles(grants, button, done) {
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
  showOk(status, done);
  return true;
}

function roleFormChanged() {
  const role = roleForm.elements.namedItem("role").value;
  const needsOrg = ORG_ROLES.includes(role);
  document.getElementById("rol-organisatie-veld").hidden = !needsOrg;
  const orgId = roleForm.elements.namedItem("grant_org_id").value;
  document.getElementById("rol-afdeling-veld").hidden = !(role === "order_authorised" && orgId);
  if (role === "order_authorised") {
    fillDepartments(roleForm.elements.namedItem("grant_department_id"), orgId, "", "Hele organisatie");
  }
}

async function addRole(event) {
  event.preventDefault();
  clear(summary, roleForm);
  const values = formValues(roleForm);
  const required = { role: "Kies een rol." };
  if (ORG_ROLES.includes(values.role)) required.grant_org_id = "Kies de organisatie waarvoor de rol geldt.";
  if (!checkRequired(summary, roleForm, required)) return;
  const grant = { role: values.role, org_id: null, department_id: null };
  if (ORG_ROLES.includes(values.role)) grant.org_id = values.grant_org_id;
  if (values.role === "order_authorised" && values.grant_department_id) grant.department_id = values.grant_department_id;
  const label = roleLabel(grant, orgNames(), departmentNames());
  const saved = await saveRoles([...account.roles, grant], roleForm.querySelector("[type=submit]"),
    `De rol ${label} is toegekend.`);
  if (saved) {
    roleForm.reset();
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
  if (!access.cfb) return;
  const grantOrg = roleForm.elements.namedItem("grant_org_id");
  grantOrg.append(...directory.map((org) => option(org.org_id, org.name)));
  roleForm.elements.namedItem("role").addEventListener("change", roleFormChanged);
  grantOrg.addEventListener("change", roleFormChanged);
  roleForm.addEventListener("submit", addRole);
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
