// /mijn-gegevens/: the holder's profile (R_ACC_05-07), the e-mail change by link (R_ACC_02/03), the
// download of everything held about them (R_ACC_09), and the ways to log out and to delete the account.

import { api, dutchDate, el } from "./api.js";
import {
  checkRequired, clear, downloadFile, downloadJson, dutchDateTime, focusMessage, formValues, logout, report, requireUser,
  roleLabel, showOk, whileBusy,
} from "./account-common.js";

const EXPORT_FILE = "leer-rijk-mijn-gegevens.json";
const SUMMARY_FILE = "leer-rijk-mijn-gegevens.html";
const profile = document.getElementById("profiel");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const nameForm = document.getElementById("naam-formulier");
const emailForm = document.getElementById("email-formulier");
let departments = [];

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function render(user) {
  text("profiel-naam", `${user.first_name} ${user.last_name}`);
  text("profiel-email", user.email);
  text("profiel-organisatie", user.organisation_name || user.org_id);
  text("profiel-afdeling", user.department_name || "Geen afdeling opgegeven");
  const orgNames = { [user.org_id]: user.organisation_name };
  text("profiel-rollen", user.roles.length ? user.roles.map((grant) => roleLabel(grant, orgNames)).join("; ") : "Medewerker");
  text("profiel-aangemaakt", dutchDate(user.created_on));
  text("profiel-gebruikt", user.last_used_on ? dutchDate(user.last_used_on) : "Nog niet");
  text("profiel-toestemming", `${dutchDateTime(user.consent_at)} (versie ${user.consent_version})`);
  nameForm.elements.namedItem("first_name").value = user.first_name;
  nameForm.elements.namedItem("last_name").value = user.last_name;
  const select = nameForm.elements.namedItem("department_id");
  select.replaceChildren(el("option", { value: "" }, "Geen afdeling"),
    ...departments.map((item) => el("option", { value: item.department_id }, item.name)));
  select.value = user.department_id || "";
  const waiting = document.getElementById("email-wacht");
  waiting.hidden = !user.pending_email;
  waiting.textContent = user.pending_email
    ? `Er wacht nog een bevestiging voor ${user.pending_email}. Klik op de link in de e-mail aan dat adres.` : "";
}

async function loadDepartments(orgId) {
  try {
    const { organisations } = await api("/organisations");
    departments = organisations.find((org) => org.org_id === orgId)?.departments || [];
  } catch {
    departments = []; // the select then offers only "Geen afdeling"; the rest of the page works
  }
}

async function saveName(event) {
  event.preventDefault();
  clear(summary, nameForm);
  const required = { first_name: "Vul uw voornaam in.", last_name: "Vul uw achternaam in." };
  if (!checkRequired(summary, nameForm, required)) return;
  const values = formValues(nameForm);
  const body = { first_name: values.first_name, last_name: values.last_name, department_id: values.department_id || null };
  try {
    const user = await whileBusy(nameForm.querySelector("[type=submit]"), () => api("/me", { method: "PATCH", body }));
    render(user);
    showOk(status, "Uw gegevens zijn opgeslagen.");
    focusMessage(status);
  } catch (problem) {
    report(summary, problem, nameForm);
  }
}

async function changeEmail(event) {
  event.preventDefault();
  clear(summary, emailForm);
  if (!checkRequired(summary, emailForm, { email: "Vul het nieuwe e-mailadres in." })) return;
  const { email } = formValues(emailForm);
  try {
    const user = await whileBusy(emailForm.querySelector("[type=submit]"),
      () => api("/me", { method: "PATCH", body: { email } }));
    render(user);
    emailForm.reset();
    showOk(status, user.pending_email
      ? `Wij hebben een link gestuurd naar ${user.pending_email}. Uw e-mailadres verandert als u op die link klikt. `
        + "De link is 10 minuten geldig."
      : "Dit is al uw e-mailadres; er is niets gewijzigd.");
    focusMessage(status);
  } catch (problem) {
    report(summary, problem, emailForm);
  }
}

async function download(event) {
  clear(summary);
  try {
    const data = await whileBusy(event.currentTarget, () => api("/me/export"));
    downloadJson(data, EXPORT_FILE);
    showOk(status, `Uw gegevens zijn gedownload als ${EXPORT_FILE}.`);
  } catch (problem) {
    report(summary, problem);
  }
}

/** The same data as a page a person reads (GET /api/me/export/summary), saved as an HTML file. */
async function downloadSummary(event) {
  clear(summary);
  try {
    const html = await whileBusy(event.currentTarget, () => api("/me/export/summary", { headers: { Accept: "text/html" } }));
    downloadFile(html, SUMMARY_FILE, "text/html");
    showOk(status, `Uw overzicht is gedownload als ${SUMMARY_FILE}. Open het in uw browser.`);
  } catch (problem) {
    report(summary, problem);
  }
}

async function start() {
  const user = await requireUser(profile, "uw gegevens te bekijken", summary);
  if (!user) {
    profile.hidden = false;
    return;
  }
  await loadDepartments(user.org_id);
  render(user);
  if (new URLSearchParams(window.location.search).get("welkom") === "1") {
    showOk(status, `Welkom bij Leer-Rijk, ${user.first_name}. Uw account is aangemaakt.`);
  }
  nameForm.addEventListener("submit", saveName);
  emailForm.addEventListener("submit", changeEmail);
  document.getElementById("download-knop").addEventListener("click", download);
  document.getElementById("download-overzicht").addEventListener("click", downloadSummary);
  document.getElementById("uitloggen-knop").addEventListener("click", (event) => whileBusy(event.currentTarget, logout)
    .catch((problem) => report(summary, problem)));
  profile.hidden = false; // only now: a form shown before its handler would submit natively
}

start();
