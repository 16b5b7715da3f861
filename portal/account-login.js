// /inloggen/: request a login link (R_ACC_03). The answer never tells whether the address has an account.

import { api, el } from "./api.js";
import {
  alertBox, checkRequired, clear, formValues, homeFor, rememberLinkRequest, rememberReturn, report,
  returnParameter, showOk, whileBusy, whoAmI,
} from "./account-common.js";

const form = document.getElementById("inloggen");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");

async function submit(event) {
  event.preventDefault();
  clear(summary, form);
  if (!checkRequired(summary, form, { email: "Vul uw zakelijke e-mailadres in." })) return;
  const { email } = formValues(form);
  try {
    await whileBusy(form.querySelector("[type=submit]"), () => api("/auth/login", { method: "POST", body: { email } }));
  } catch (problem) {
    report(summary, problem, form);
    return;
  }
  rememberReturn(returnParameter());
  rememberLinkRequest("inloggen", email);
  window.location.assign("/inloggen/controleer-uw-mail/");
}

async function showState() {
  if (new URLSearchParams(window.location.search).get("uitgelogd") === "1") {
    showOk(status, "U bent uitgelogd. Uw sessie is beëindigd.");
    return;
  }
  const user = await whoAmI().catch(() => null);
  if (!user) return;
  status.replaceChildren(alertBox("info", `U bent al ingelogd als ${user.email}.`,
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: homeFor(user) }, "Verder naar Leer-Rijk"))));
}

form.addEventListener("submit", submit);
showState();
