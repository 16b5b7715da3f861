// /ondersteuning/: the question form of logged-in employees (R_QST_01, R_QST_02). The business e-mail and
// organisation come from the account and are shown, not sent: the API takes them from the session.
// Before sending, the page asks whom the question will reach: without a local admin it goes to CFB.

import { ApiProblem, api } from "./api.js";
import { checkRequired, clear, formValues, report, requireUser, showOk, whileBusy } from "./account-common.js";

const container = document.getElementById("vraag");
const form = document.getElementById("vraag-formulier");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");

/** Say before sending where the question goes (R_QST_02): the local admins, or CFB when there are none. */
async function showRecipient() {
  const { recipient } = await api("/me/questions/recipient");
  if (recipient !== "cfb") return;
  document.getElementById("ontvanger-cfb").hidden = false;
  document.getElementById("niet-bewaard").textContent = "Uw vraag wordt per e-mail naar Centraal Functioneel Beheer "
    + "gestuurd, met uw zakelijke e-mailadres als antwoordadres. Leer-Rijk bewaart uw vraag niet: niet in de "
    + "database en niet in een logboek.";
  document.getElementById("vraag-organisatie-uitleg").textContent = "Uit uw account. Uw organisatie heeft "
    + "(nog) geen lokaal beheerder; uw vraag gaat naar Centraal Functioneel Beheer.";
}

async function send(event) {
  event.preventDefault();
  clear(summary, form);
  status.replaceChildren();
  if (!checkRequired(summary, form, { question: "Vul uw vraag in." })) return;
  const values = formValues(form);
  const body = { question: values.question };
  if (values.name) body.name = values.name;
  if (values.phone) body.phone = values.phone;
  let answer;
  try {
    answer = await whileBusy(form.querySelector("[type=submit]"), () => api("/me/questions", { method: "POST", body }));
  } catch (problem) {
    const retry = problem.status === 503 || problem.status === 0
      ? new ApiProblem(problem.status, problem.code,
        `${problem.message} Uw vraag staat nog in het formulier: probeer het zo opnieuw.`, problem.fields)
      : problem;
    report(summary, retry, form);
    return;
  }
  form.elements.namedItem("question").value = "";
  showOk(status, answer.message || "Uw vraag is verstuurd.");
}

async function start() {
  const user = await requireUser(container, "een vraag te stellen", summary);
  if (user) {
    form.elements.namedItem("sender_email").value = user.email;
    form.elements.namedItem("sender_organisation").value = user.organisation_name || user.org_id;
    form.elements.namedItem("name").value = `${user.first_name} ${user.last_name}`;
    form.addEventListener("submit", send);
    try {
      await showRecipient();
    } catch (problem) {
      report(summary, problem);
    }
  }
  container.hidden = false;
}

start();
