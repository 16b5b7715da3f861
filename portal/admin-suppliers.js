// /beheer/leveranciers/ (CFB): suppliers with their kind, accepted terms, delivery choice and cancellation
// terms (R_CAT_06), and their API keys. ?id=<supplier_id> opens one.

import { ApiProblem, api, el } from "./api.js";
import { confirmAction } from "./confirm.js";
import { checkRequired, clear, formValues, report, showOk, whileBusy } from "./account-common.js";
import { adminGate, idFromQuery, keySection, table, yesNo } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const supplierId = idFromQuery();
const KINDS = { intern: "Intern aanbod", extern: "Extern" };
const DELIVERY = { email: "E-mail", feed: "XML-feed" };
const REQUIRED = {
  name: "Vul de naam in.", kind: "Kies de soort.", contact_email: "Vul het e-mailadres in.", delivery: "Kies de levering.",
};

/** The rule "version and date together" concerns the whole body; show it at the date field. */
function atFields(problem) {
  if (problem?.fields?.body) {
    problem.fields.terms_accepted_on = problem.fields.body;
    delete problem.fields.body;
  }
  return problem;
}

function bodyFrom(form, isNew) {
  const values = formValues(form);
  // R_CAT_06: accepted terms are recorded with version and date. The API checks this on creation only,
  // so the page checks it for changes too.
  if (Boolean(values.terms_version) !== Boolean(values.terms_accepted_on)) {
    throw new ApiProblem(400, "client", "Vul de versie en de datum van de geaccepteerde voorwaarden allebei in.",
      { terms_accepted_on: "Vul de versie en de datum allebei in, of laat ze allebei leeg." });
  }
  const days = values.cancellation_free_days;
  const body = {
    name: values.name,
    kind: values.kind,
    contact_email: values.contact_email,
    delivery: values.delivery,
    terms_version: values.terms_version || null,
    terms_accepted_on: values.terms_accepted_on || null,
    cancellation_free_days: days === "" ? null : Number(days),
  };
  if (isNew) body.supplier_id = values.supplier_id;
  else body.processing_agreement = values.processing_agreement;
  return body;
}

function fill(form, supplier) {
  for (const name of ["name", "kind", "contact_email", "delivery"]) form.elements.namedItem(name).value = supplier[name];
  form.elements.namedItem("terms_version").value = supplier.terms_version || "";
  form.elements.namedItem("terms_accepted_on").value = supplier.terms_accepted_on || "";
  form.elements.namedItem("processing_agreement").checked = supplier.processing_agreement;
  form.elements.namedItem("cancellation_free_days").value = supplier.cancellation_free_days ?? "";
}

async function showList() {
  const form = document.getElementById("nieuw-formulier");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    if (!checkRequired(summary, form, { supplier_id: "Vul een id in.", ...REQUIRED })) return;
    try {
      const created = await whileBusy(form.querySelector("[type=submit]"),
        () => api("/admin/suppliers", { method: "POST", body: bodyFrom(form, true) }));
      window.location.assign(`?id=${encodeURIComponent(created.supplier_id)}&nieuw=1`);
    } catch (problem) {
      report(summary, atFields(problem), form);
    }
  });
  const { suppliers } = await api("/admin/suppliers");
  document.getElementById("leveranciers").replaceChildren(suppliers.length
    ? table("Leveranciers", ["Naam", "Soort", "Levering", "Voorwaarden", "Verwerkersovereenkomst", "Kosteloos annuleren"],
      suppliers.map((supplier) => [
        el("a", { class: "nl-link", href: `?id=${encodeURIComponent(supplier.supplier_id)}` }, supplier.name),
        KINDS[supplier.kind] || supplier.kind, DELIVERY[supplier.delivery] || supplier.delivery,
        supplier.terms_version ? `versie ${supplier.terms_version}` : "Niet geaccepteerd",
        yesNo(supplier.processing_agreement),
        supplier.cancellation_free_days === null ? "Standaard" : `tot ${supplier.cancellation_free_days} dagen voor de start`,
      ]))
    : el("p", { class: "nl-paragraph" }, "Er zijn nog geen leveranciers."));
  document.getElementById("lijst").hidden = false;
}

async function showDetail() {
  const path = `/admin/suppliers/${encodeURIComponent(supplierId)}`;
  const supplier = await api(path);
  document.getElementById("detail").hidden = false;
  document.getElementById("titel").textContent = `Beheer: ${supplier.name}`;
  document.title = `Beheer: ${supplier.name} | Leer-Rijk`;
  const form = document.getElementById("wijzig-formulier");
  fill(form, supplier);
  if (new URLSearchParams(window.location.search).get("nieuw") === "1") showOk(status, `${supplier.name} is toegevoegd.`);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    if (!checkRequired(summary, form, REQUIRED)) return;
    try {
      const saved = await whileBusy(form.querySelector("[type=submit]"),
        () => api(path, { method: "PATCH", body: bodyFrom(form, false) }));
      fill(form, saved);
      showOk(status, "De wijzigingen zijn opgeslagen.");
    } catch (problem) {
      report(summary, atFields(problem), form);
    }
  });
  directorySection(path, supplier);
  document.getElementById("feed-intrekken").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const sure = await confirmAction({
      title: "Alle feed-links intrekken?",
      consequence: [`Elke feed-link die ${supplier.name} nu heeft, werkt vanaf dat moment niet meer: hun systeem `
        + "haalt geen inschrijvingen meer op tot zij een nieuwe link gebruiken.", "Intrekken kunt u niet terugdraaien. "
        + "Doe dit als een link is uitgelekt."],
      confirm: "Ja, trek alle feed-links in",
    });
    if (!sure) return;
    clear(summary, form);
    status.replaceChildren();
    try {
      const answer = await whileBusy(button, () => api(`${path}/feed-links`, { method: "DELETE" }));
      showOk(status, answer.message);
    } catch (problem) {
      report(summary, problem);
    }
  });
  await keySection(document.getElementById("sleutels"), path, supplier.name);
}

/** R_DEX_03: the supplier's orgUnitId in EDU-DEX; its held programs publish when it is admitted. */
function directorySection(path, supplier) {
  const form = document.getElementById("edudex-formulier");
  form.elements.namedItem("org_unit_id").value = supplier.directory_org_unit_id || "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    status.replaceChildren();
    const value = formValues(form).org_unit_id;
    try {
      const answer = await whileBusy(form.querySelector("[type=submit]"),
        () => api(`${path}/directory`, { method: "PUT", body: { org_unit_id: value || null } }));
      const published = answer.published ? ` ${answer.published} vastgehouden programma's zijn gepubliceerd.` : "";
      const waiting = answer.publishing_later ? " De rest volgt binnen een minuut." : "";
      showOk(status, (value ? `De leverancier is gekoppeld aan ${value} in EDU-DEX.` : "De koppeling met EDU-DEX is opgeheven.")
        + published + waiting);
    } catch (problem) {
      report(summary, problem, form);
    }
  });
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  try {
    await (supplierId ? showDetail() : showList());
  } catch (problem) {
    report(summary, problem);
  }
}

start();
