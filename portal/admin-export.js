// /beheer/inzage/ (CFB): everything held about any e-mail address, for a right-of-access request (R_ACC_09),
// including LMS enrolments and enrolments that outlived a deleted account. The address goes in the body.

import { api } from "./api.js";
import { checkRequired, clear, downloadJson, formValues, report, showOk, whileBusy } from "./account-common.js";
import { adminGate } from "./admin-common.js";

const EXPORT_FILE = "leer-rijk-gegevens.json";
const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const form = document.getElementById("inzage-formulier");

async function submit(event) {
  event.preventDefault();
  clear(summary, form);
  status.replaceChildren();
  const required = {
    email: "Vul het e-mailadres van de aanvrager in.",
    identified: "Stel eerst de identiteit van de aanvrager vast, buiten Leer-Rijk.",
  };
  if (!checkRequired(summary, form, required)) return;
  const { email } = formValues(form);
  try {
    const data = await whileBusy(form.querySelector("[type=submit]"),
      () => api("/admin/export", { method: "POST", body: { email } }));
    downloadJson(data, EXPORT_FILE);
    form.reset();
    showOk(status, `De gegevens zijn gedownload als ${EXPORT_FILE}. Stuur het bestand veilig naar de aanvrager.`);
  } catch (problem) {
    report(summary, problem, form);
  }
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  form.addEventListener("submit", submit);
}

start();
