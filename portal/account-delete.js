// /mijn-gegevens/verwijderen/: the confirmation step of account deletion (R_ACC_08). It first lists the
// running enrolments: they are not cancelled, they live on detached from the account.

import { ApiProblem, api, dataTable, dutchDate, el } from "./api.js";
import { clear, report, requireUser, showOk, whileBusy } from "./account-common.js";

const STATUS_NAMES = { pending_approval: "Wacht op goedkeuring", approved: "Ingeschreven" };
const panel = document.getElementById("verwijderen");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const form = document.getElementById("verwijder-formulier");

function enrolmentTable(enrolments, caption) {
  return dataTable(caption, ["Opleiding", "Begint", "Eindigt", "Status"], enrolments.map((item) => [
    item.course_name || item.course_id, dutchDate(item.start_day), dutchDate(item.end_day),
    STATUS_NAMES[item.status] || item.status]), { rowHeader: false });
}

function showRunning(enrolments, message) {
  document.getElementById("lopend-uitleg").textContent = message;
  document.getElementById("lopend").replaceChildren(enrolments.length
    ? enrolmentTable(enrolments, "Lopende inschrijvingen die blijven bestaan")
    : el("p", { class: "nl-paragraph" }, "U heeft geen lopende inschrijvingen."));
}

async function remove(event) {
  event.preventDefault();
  clear(summary, form);
  if (!form.elements.namedItem("zeker").checked) {
    report(summary, new ApiProblem(400, "client", "Bevestig eerst dat u uw account wilt verwijderen.",
      { zeker: "Vink aan dat u begrijpt dat uw account definitief wordt verwijderd." }), form);
    return;
  }
  let answer;
  try {
    answer = await whileBusy(form.querySelector("[type=submit]"), () => api("/me", { method: "DELETE" }));
  } catch (problem) {
    report(summary, problem, form);
    return;
  }
  document.getElementById("titel").textContent = "Uw account is verwijderd";
  const running = answer.running_enrolments || [];
  panel.replaceChildren(
    el("p", { class: "nl-paragraph" }, "U bent uitgelogd. U kunt later altijd opnieuw een account aanmaken."),
    ...(running.length ? [el("p", { class: "nl-paragraph" },
      "Deze inschrijvingen lopen door, los van uw account. Wilt u toch niet deelnemen, neem dan contact op met "
      + "Centraal Functioneel Beheer."), enrolmentTable(running, "Inschrijvingen die doorlopen")] : []),
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/" }, "Naar de homepage")),
  );
  showOk(status, "Uw account en alle gegevens die eraan vastzaten zijn verwijderd.");
  document.dispatchEvent(new CustomEvent("lr:uitgelogd")); // the header shows the visitor's links again
}

async function start() {
  const user = await requireUser(panel, "uw account te verwijderen", summary);
  if (!user) {
    panel.hidden = false;
    return;
  }
  form.addEventListener("submit", remove);
  try {
    const preview = await api("/me/deletion-preview");
    showRunning(preview.running_enrolments || [], preview.message);
  } catch (problem) {
    report(summary, problem);
    return;
  }
  panel.hidden = false; // the confirmation only with the running enrolments listed (R_ACC_08)
}

start();
