// /ondersteuning/: the question form of logged-in employees (R_QST_01, R_QST_02). The business e-mail and
// organisation come from the account and are shown, not sent: the API takes them from the session.

import { ApiProblem, api, el } from "./api.js";
import { alertBox, checkRequired, clear, formValues, report, requireUser, showOk, whileBusy } from "./account-common.js";

const container = document.getElementById("vraag");
const form = document.getElementById("vraag-formulier");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");

function noLocalAdmin(problem) {
  const cfb = form.dataset.cfb;
  status.replaceChildren(alertBox("warning", problem.message,
    el("p", { class: "nl-paragraph" }, "Mail uw vraag naar Centraal Functioneel Beheer: ",
      el("a", { class: "nl-link", href: `mailto:${cfb}` }, cfb), ".")));
  status.querySelector(".lr-alert").setAttribute("tabindex", "-1");
  status.querySelector(".lr-alert").focus();
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
    if (problem.code === "no_local_admin") {
      noLocalAdmin(problem);
      return;
    }
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
  }
  container.hidden = false;
}

start();
