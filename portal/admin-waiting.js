// /beheer/wachtlijsten/ (CFB): the executions with an open waiting list, by the day the list closes, and
// ?opleiding=<course_id>&uitvoering=<execution_id> one execution's list in order (R_WAIT_04). Local admins
// never see them (as R_ENR_09): the page refuses them as the API does.

import { api, dutchDate, el } from "./api.js";
import { dutchDateTime, report } from "./account-common.js";
import { adminGate, organisationDirectory, pagedList, table } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const query = new URLSearchParams(window.location.search);
const SOURCES = { portal: "Portaal", lms: "LMS" };

function listLink(item) {
  const href = `?opleiding=${encodeURIComponent(item.course_id)}&uitvoering=${encodeURIComponent(item.execution_id)}`;
  return el("a", { class: "nl-link", href,
    "aria-label": `Wachtlijst bekijken: ${item.course_name}, start ${dutchDate(item.start)}` }, "Wachtlijst bekijken");
}

function seats(item) {
  return item.seats === null ? `${item.seats_taken} (geen maximum)` : `${item.seats_taken} van ${item.seats}`;
}

function showExecutions(executions) {
  const holder = document.getElementById("wachtlijsten");
  if (!executions.length) {
    holder.replaceChildren(el("p", { class: "nl-paragraph" }, "Er zijn nu geen wachtlijsten."));
  } else {
    holder.replaceChildren(table("Open wachtlijsten",
      ["Opleiding", "Start", "Wachtlijst sluit op", "Plaatsen bezet", "Wachtend", "Aanbod open", "Wachtlijst"],
      executions.map((item) => [
        el("a", { class: "nl-link", href: `/opleiding/?id=${encodeURIComponent(item.course_id)}` }, item.course_name),
        dutchDate(item.start), dutchDate(item.closes_on), seats(item), String(item.waiting), String(item.offered),
        listLink(item),
      ])));
  }
}

async function showList() {
  document.getElementById("lijst").hidden = false;
  await pagedList("/admin/waiting?limit=50", document.getElementById("meer"), showExecutions, summary);
}

function holderName({ title_before: before, first_name: first, last_name: last, title_after: after }) {
  return [before, first, last, after].filter(Boolean).join(" ");
}

function state(place) {
  if (place.status === "waiting") return "Wachtend";
  if (place.status === "offered") return `Aanbod open tot ${dutchDateTime(place.offer_expires_at)}`;
  return place.status;
}

/** The organisation as the form gave it (an LMS may name one); a portal form names none: the account's. */
function organisation(place, orgNames) {
  return place.holder.organisation_name || orgNames[place.org_id] || place.org_id || "-";
}

function placeRow(place, orgNames) {
  return [holderName(place.holder), place.position === null ? "-" : String(place.position), state(place),
    organisation(place, orgNames), dutchDateTime(place.joined_at), SOURCES[place.source] || place.source,
    place.lms_reference || "-"];
}

async function showExecution(courseId, executionId) {
  const path = `/admin/waiting?course_id=${encodeURIComponent(courseId)}&execution_id=${encodeURIComponent(executionId)}`;
  const [{ items }, directory] = await Promise.all([api(path), organisationDirectory()]);
  const orgNames = Object.fromEntries(directory.map((org) => [org.org_id, org.name]));
  const [first] = items;
  const name = first ? `${first.course_name}, start ${dutchDate(first.start)}` : `uitvoering ${executionId}`;
  document.getElementById("titel").textContent = `Beheer: wachtlijst van ${name}`;
  document.title = `Beheer: wachtlijst van ${name} | Leer-Rijk`;
  document.getElementById("wachtenden").replaceChildren(items.length
    ? table("Wie er wacht, in volgorde",
      ["Naam", "Positie", "Status", "Organisatie", "Op de wachtlijst sinds", "Via", "LMS-referentie"],
      items.map((place) => placeRow(place, orgNames)))
    : el("p", { class: "nl-paragraph" }, "Er staat niemand (meer) op deze wachtlijst."));
  document.getElementById("detail").hidden = false;
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  const courseId = query.get("opleiding");
  const executionId = query.get("uitvoering");
  try {
    await (courseId !== null || executionId !== null ? showExecution(courseId || "", executionId || "") : showList());
  } catch (problem) {
    report(summary, problem);
  }
}

start();
