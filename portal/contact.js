// /contact/: the contact form of visitors (R_CON_01-04). No account needed; the message goes by e-mail
// to CFB and Leer-Rijk deletes it within 7 days. The hidden `website` field is a honeypot: people leave
// it empty, so the page always sends what is in it.

import { ApiProblem, api } from "./api.js";
import { checkRequired, clear, formValues, report, whileBusy } from "./account-common.js";

const form = document.getElementById("contact-formulier");
const container = document.getElementById("contact");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const sent = document.getElementById("verstuurd");

const REQUIRED = { email: "Vul uw e-mailadres in.", question: "Vul uw vraag in." };

async function send(event) {
  event.preventDefault();
  clear(summary, form);
  status.replaceChildren();
  if (!checkRequired(summary, form, REQUIRED)) return;
  const values = formValues(form);
  const body = { email: values.email, question: values.question };
  for (const name of ["first_name", "last_name", "organisation", "website"]) {
    if (values[name]) body[name] = values[name];
  }
  let answer;
  try {
    answer = await whileBusy(form.querySelector("[type=submit]"), () => api("/contact", { method: "POST", body }));
  } catch (problem) {
    const retry = problem instanceof ApiProblem && (problem.status >= 500 || problem.status === 0)
      ? new ApiProblem(problem.status, problem.code,
        `${problem.message} Uw bericht staat nog in het formulier: probeer het zo opnieuw.`, problem.fields)
      : problem;
    report(summary, retry, form);
    return;
  }
  form.reset();
  container.hidden = true;
  document.getElementById("verstuurd-tekst").textContent = answer.message || "Uw bericht is verstuurd.";
  sent.hidden = false;
  sent.focus();
}

form.addEventListener("submit", send);
