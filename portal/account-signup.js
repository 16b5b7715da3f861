// /aanmelden/: request a sign-up link (R_ACC_01, R_ACC_02). The account exists only once the link is used.

import { api, el } from "./api.js";
import {
  checkRequired, clear, formValues, rememberLinkRequest, rememberReturn, report, returnParameter, whileBusy,
} from "./account-common.js";

const form = document.getElementById("aanmelden");
const summary = document.getElementById("fouten");
const organisation = form.elements.namedItem("org_id");
const department = form.elements.namedItem("department_id");
const email = form.elements.namedItem("email");
let organisations = [];

const REQUIRED = {
  first_name: "Vul uw voornaam in.",
  last_name: "Vul uw achternaam in.",
  email: "Vul uw zakelijke e-mailadres in.",
  org_id: "Kies de organisatie waar u werkt.",
  consent: "Geef toestemming voor de privacyverklaring om een account aan te maken.",
};

async function loadOrganisations() {
  try {
    const answer = await api("/organisations");
    organisations = answer.organisations || [];
    organisation.append(...organisations.map((org) => el("option", { value: org.org_id }, org.name)));
  } catch (problem) {
    report(summary, problem, form);
  }
}

function fillDepartments() {
  const chosen = organisations.find((org) => org.org_id === organisation.value);
  department.replaceChildren(el("option", { value: "" }, chosen ? "Geen afdeling gekozen" : "Kies eerst uw organisatie"));
  for (const item of chosen?.departments || []) department.append(el("option", { value: item.department_id }, item.name));
}

/** Help: an address on exactly one organisation's domain chooses that organisation. */
function suggestOrganisation() {
  if (organisation.value) return;
  const domain = email.value.trim().toLowerCase().split("@")[1];
  const matches = organisations.filter((org) => org.domains.includes(domain));
  if (matches.length === 1) {
    organisation.value = matches[0].org_id;
    fillDepartments();
  }
}

async function submit(event) {
  event.preventDefault();
  clear(summary, form);
  if (!checkRequired(summary, form, REQUIRED)) return;
  const values = formValues(form);
  const body = {
    first_name: values.first_name,
    last_name: values.last_name,
    email: values.email,
    org_id: values.org_id,
    consent: values.consent,
    statement_version: form.dataset.statementVersion,
  };
  if (values.department_id) body.department_id = values.department_id;
  try {
    await whileBusy(form.querySelector("[type=submit]"), () => api("/auth/signup", { method: "POST", body }));
  } catch (problem) {
    report(summary, problem, form);
    return;
  }
  rememberReturn(returnParameter());
  rememberLinkRequest("aanmelden", values.email);
  window.location.assign("/inloggen/controleer-uw-mail/");
}

organisation.addEventListener("change", fillDepartments);
email.addEventListener("change", suggestOrganisation);
form.addEventListener("submit", submit);
fillDepartments();
loadOrganisations();
