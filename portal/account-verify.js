// /inloggen/bevestigen/#token=...: the landing page of every e-mailed link (sign-up, login, e-mail change).
// Opening the page changes nothing; only the button POSTs the token (R_ACC_03). The token sits in the
// URL fragment, so it never reaches a server log or a Referer.

import { ApiProblem, api, el } from "./api.js";
import { homeFor, report, showOk, takeReturn, whileBusy } from "./account-common.js";

const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const panel = document.getElementById("bevestigen");
const button = document.getElementById("bevestig-knop");
const token = new URLSearchParams(window.location.hash.slice(1)).get("token");

const NEW_LINK = () => el("p", { class: "nl-paragraph" },
  el("a", { class: "nl-link", href: "/inloggen/" }, "Vraag een nieuwe inloglink aan"));

function forgetToken() {
  window.history.replaceState(null, "", window.location.pathname);
}

function refuse(problem) {
  panel.hidden = true;
  forgetToken();
  const invalid = problem.code === "link_invalid" || "token" in (problem.fields || {}) || problem.code === "client";
  const shown = invalid
    ? new ApiProblem(problem.status, "link_invalid",
      "Deze link is ongeldig, al gebruikt of verlopen. Een link werkt één keer en is 10 minuten geldig.")
    : problem;
  report(summary, shown, undefined, invalid || problem.status === 429 ? NEW_LINK() : null);
}

function destination(result) {
  if (result.second_factor === "setup") return "/inloggen/tweede-factor/instellen/";
  if (result.second_factor === "required") return "/inloggen/tweede-factor/";
  // The return path is taken only here: the second-factor pages take it after the code.
  const back = takeReturn();
  if (back) return back;
  if (result.purpose === "signup") return "/mijn-gegevens/?welkom=1";
  return homeFor(result.profile);
}

async function confirm() {
  let result;
  try {
    result = await whileBusy(button, () => api("/auth/verify", { method: "POST", body: { token } }));
  } catch (problem) {
    refuse(problem);
    return;
  }
  forgetToken();
  if (result.purpose === "email_change") {
    panel.hidden = true;
    document.getElementById("titel").textContent = "E-mailadres gewijzigd";
    showOk(status, result.message || "Uw e-mailadres is gewijzigd.",
      el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-gegevens/" }, "Naar mijn gegevens")));
    return;
  }
  showOk(status, "U bent ingelogd. Een ogenblik ...");
  window.location.replace(destination(result));
}

if (!token) {
  refuse(new ApiProblem(400, "client", ""));
} else {
  button.addEventListener("click", confirm);
}
