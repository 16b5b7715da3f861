// /beheer/organisaties/ (CFB): the organisations that use Leer-Rijk, their domains (R_ACC_02), departments,
// approval and e-procurement settings, their local admins and their LMS API keys. ?id=<org_id> opens one.

import { ApiProblem, api, el } from "./api.js";
import { checkRequired, clear, formValues, report, showOk, whileBusy } from "./account-common.js";
import { adminGate, foldListFields, idFromQuery, keySection, lines, table, yesNo } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const orgId = idFromQuery();
const LIST_FIELDS = ["domains", "departments", "catalogue_codes"];

/** "dep-x | Naam" per line to department objects; a line without "|" is reported at the field. */
function parseDepartments(text) {
  const departments = [];
  const bad = [];
  lines(text).forEach((line, index) => {
    const [id, ...name] = line.split("|");
    if (!name.length || !id.trim() || !name.join("|").trim()) bad.push(index + 1);
    else departments.push({ department_id: id.trim(), name: name.join("|").trim() });
  });
  return { departments, bad };
}

function bodyFrom(form, isNew) {
  const values = formValues(form);
  const { departments, bad } = parseDepartments(form.elements.namedItem("departments").value);
  if (bad.length) {
    throw new ApiProblem(400, "client", "Niet alle afdelingen zijn goed ingevuld.",
      { departments: `Regel ${bad.join(", ")}: schrijf id | naam, bijvoorbeeld dep-fin-bz | Bedrijfsvoering.` });
  }
  const body = {
    name: values.name,
    domains: lines(form.elements.namedItem("domains").value),
    departments,
    approval_required: values.approval_required,
    eprocurement: values.eprocurement,
    catalogue_codes: values.catalogue_codes.split(",").map((code) => code.trim()).filter(Boolean),
  };
  if (isNew) body.org_id = values.org_id;
  return body;
}

function fill(form, org) {
  form.elements.namedItem("name").value = org.name;
  form.elements.namedItem("domains").value = org.domains.join("\n");
  form.elements.namedItem("departments").value = org.departments.map((d) => `${d.department_id} | ${d.name}`).join("\n");
  form.elements.namedItem("approval_required").checked = org.approval_required;
  form.elements.namedItem("eprocurement").checked = org.eprocurement;
  form.elements.namedItem("catalogue_codes").value = org.catalogue_codes.join(", ");
}

const REQUIRED = { name: "Vul de naam in.", domains: "Vul minstens één e-maildomein in." };

async function showList() {
  const form = document.getElementById("nieuw-formulier");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    if (!checkRequired(summary, form, { org_id: "Vul een id in.", ...REQUIRED })) return;
    try {
      const created = await whileBusy(form.querySelector("[type=submit]"),
        () => api("/admin/organisations", { method: "POST", body: bodyFrom(form, true) }));
      window.location.assign(`?id=${encodeURIComponent(created.org_id)}&nieuw=1`);
    } catch (problem) {
      report(summary, foldListFields(problem, LIST_FIELDS), form);
    }
  });
  const { organisations } = await api("/admin/organisations");
  document.getElementById("organisaties").replaceChildren(table("Organisaties",
    ["Naam", "Code", "Domeinen", "Afdelingen", "Goedkeuring nodig", "E-procurement"],
    organisations.map((org) => [
      el("a", { class: "nl-link", href: `?id=${encodeURIComponent(org.org_id)}` }, org.name),
      org.org_id, org.domains.join(", "), String(org.departments.length), yesNo(org.approval_required),
      yesNo(org.eprocurement),
    ])));
  document.getElementById("lijst").hidden = false;
}

function renderAdmins(org) {
  document.getElementById("beheerders").replaceChildren(org.local_admins.length
    ? table(`Lokaal beheerders van ${org.name}`, ["Naam", "E-mailadres"], org.local_admins.map((admin) => [
      el("a", { class: "nl-link", href: `/beheer/account/?id=${encodeURIComponent(admin.account_id)}` },
        `${admin.first_name} ${admin.last_name}`), admin.email]))
    : el("p", { class: "nl-paragraph" },
      "Deze organisatie heeft geen lokaal beheerder. Vragen van medewerkers komen dan bij Centraal Functioneel Beheer."));
}

async function showDetail() {
  const path = `/admin/organisations/${encodeURIComponent(orgId)}`;
  const org = await api(path);
  document.getElementById("detail").hidden = false;
  document.getElementById("titel").textContent = `Beheer: ${org.name}`;
  document.title = `Beheer: ${org.name} | Leer-Rijk`;
  const form = document.getElementById("wijzig-formulier");
  fill(form, org);
  renderAdmins(org);
  if (new URLSearchParams(window.location.search).get("nieuw") === "1") showOk(status, `${org.name} is toegevoegd.`);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    if (!checkRequired(summary, form, REQUIRED)) return;
    try {
      const saved = await whileBusy(form.querySelector("[type=submit]"),
        () => api(path, { method: "PATCH", body: bodyFrom(form, false) }));
      fill(form, saved);
      renderAdmins(saved);
      showOk(status, "De wijzigingen zijn opgeslagen.");
    } catch (problem) {
      report(summary, foldListFields(problem, LIST_FIELDS), form);
    }
  });
  await keySection(document.getElementById("sleutels"), path, `het LMS van ${org.name}`);
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  try {
    await (orgId ? showDetail() : showList());
  } catch (problem) {
    report(summary, problem);
  }
}

start();
