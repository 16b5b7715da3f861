// /mijn-inschrijvingen/: the employee's portal enrolments (R_ENR_08, R_ENR_09). Cancelling shows
// before confirming whether it is free or what it costs; a cancelled enrolment can be hidden; a
// confirmed one can be downloaded as a calendar file (R_CAL_01). Below them the waiting places: the
// position, leaving, and taking or declining an offered seat (R_WAIT_03/04).

import { loginUrl } from "./account-common.js";
import { announce, api, dutchDate, el, euro } from "./api.js";
import {
  STATUS_LABELS, alertBox, courseUrl, dataList, dateRange, enrolmentPlace, focusOn, priceText, setBusy,
} from "./catalogue-common.js";

const heading = document.getElementById("mijn-titel");
const status = document.getElementById("mijn-status");
const notice = document.getElementById("mijn-melding");
const list = document.getElementById("mijn-lijst");
const dialog = document.getElementById("annuleer-dialoog");
const dialogHeading = document.getElementById("annuleer-titel");
const dialogText = document.getElementById("annuleer-uitleg");
const dialogError = document.getElementById("annuleer-fout");
const confirmButton = document.getElementById("annuleer-bevestig");
const backButton = document.getElementById("annuleer-terug");

const ACTIVE = new Set(["pending_approval", "approved"]);
let enrolments = [];
let cancelling = null;  // { enrolment, opener }

async function load() {
  let data;
  try {
    data = await api("/me/enrolments");
  } catch (problem) {
    status.textContent = "";
    if (problem.status === 401 || problem.status === 403) {
      notice.replaceChildren(alertBox("info", "U bent niet ingelogd",
        el("p", { class: "nl-paragraph" }, "Log in om uw inschrijvingen te zien. ",
          el("a", { class: "nl-link", href: loginUrl() }, "Inloggen"))));
    } else {
      const retry = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Opnieuw proberen");
      retry.addEventListener("click", () => { notice.replaceChildren(); load(); });
      notice.replaceChildren(alertBox("error", "Uw inschrijvingen kunnen niet worden geladen", problem.message, retry));
    }
    return;
  }
  enrolments = data.items || [];
  render();
  announce(status, countText());
  await loadPlaces();
}

function countText() {
  if (!enrolments.length) return "U heeft geen inschrijvingen.";
  return enrolments.length === 1 ? "U heeft 1 inschrijving." : `U heeft ${enrolments.length} inschrijvingen.`;
}

function render() {
  list.replaceChildren(...enrolments.map(card));
  notice.replaceChildren();
  if (!enrolments.length) {
    notice.append(el("p", { class: "nl-paragraph" }, "Zoek een opleiding die bij u past: ",
      el("a", { class: "nl-link", href: "/zoeken/" }, "Opleidingen zoeken"), "."));
  }
}

function card(enrolment) {
  const id = enrolment.enrolment_id;
  const active = ACTIVE.has(enrolment.status);
  const item = el("li", {
    class: `lr-enrolment${active ? "" : " lr-enrolment--inactive"}`, id: `inschrijving-${id}`, "data-enrolment": id,
  },
  el("h2", { class: "nl-heading nl-heading--level-2 lr-result__title", id: `inschrijving-${id}-titel`, tabindex: "-1" },
    el("a", { class: "nl-link", href: courseUrl(enrolment.course_id) }, enrolment.course_name)),
  dataList([
    ["Status", el("strong", { class: "lr-enrolment__status" }, STATUS_LABELS[enrolment.status] || enrolment.status)],
    ["Datum", dateRange(enrolment.start, enrolment.end)],
    ["Plaats", enrolmentPlace(enrolment)],
    ["Prijs", priceText(enrolment.price_cents)],
    ["Annuleringskosten", enrolment.status === "cancelled"
      ? (enrolment.penalty_cents ? euro(enrolment.penalty_cents) : "Geen") : null],
    ["Leidinggevende", enrolment.manager_email],
    ["Berichten gaan naar", enrolment.form?.email],
  ]),
  explanation(enrolment),
  actions(enrolment));
  return item;
}

function explanation(enrolment) {
  switch (enrolment.status) {
    case "pending_approval":
    case "approved":
      return el("p", { class: "nl-paragraph lr-cost-notice" }, costNotice(enrolment).short);
    case "rejected":
      return el("p", { class: "nl-paragraph" }, "Uw leidinggevende heeft deze inschrijving afgewezen. Uw plaats is vrijgegeven.");
    case "expired":
      return el("p", { class: "nl-paragraph" },
        "Uw leidinggevende heeft niet op tijd beslist. De aanvraag is vervallen en uw plaats is vrijgegeven.");
    default:
      return null;
  }
}

function whoHears(enrolment) {
  return `De aanbieder${enrolment.manager_email ? " en uw leidinggevende krijgen" : " krijgt"} bericht van de annulering.`;
}

/** What cancelling costs now: free in time, or the penalty; before approval nothing was ordered. */
function costNotice(enrolment) {
  const terms = enrolment.cancellation;
  if (enrolment.status === "pending_approval") {
    return {
      free: true,
      short: "Annuleren is kosteloos: uw leidinggevende heeft nog niet beslist en de aanbieder weet nog niet van uw inschrijving.",
      long: ["Annuleren is kosteloos. Uw leidinggevende heeft nog niet beslist en de aanbieder weet nog niet van uw inschrijving.",
        "Uw plaats komt vrij voor iemand anders."],
    };
  }
  if (enrolment.price_cents === 0) {
    return {
      free: true,
      short: "Annuleren is kosteloos: aan deze opleiding zijn geen kosten verbonden.",
      long: ["Annuleren is kosteloos: aan deze opleiding zijn geen kosten verbonden.",
        `${whoHears(enrolment)} Uw plaats komt vrij voor iemand anders.`],
    };
  }
  if (!terms || terms.free) {
    const until = terms ? `tot en met ${dutchDate(terms.last_free_day)}` : "nu";
    return {
      free: true,
      short: `Annuleren is kosteloos ${until}.`,
      long: [`Annuleren is kosteloos ${until}. Als u nu annuleert, zijn er geen kosten.`,
        `${whoHears(enrolment)} Uw plaats komt vrij voor iemand anders.`],
    };
  }
  const cost = euro(terms.penalty_cents);
  return {
    free: false,
    short: `Kosteloos annuleren kon tot en met ${dutchDate(terms.last_free_day)}. Annuleert u nu, dan kost dat ${cost}.`,
    long: [`Let op: kosteloos annuleren kon tot en met ${dutchDate(terms.last_free_day)}.`,
      `Als u nu annuleert, brengt de aanbieder ${cost} in rekening. Dat bedrag komt op de bestellijst van uw organisatie.`,
      whoHears(enrolment)],
  };
}

function actions(enrolment) {
  if (ACTIVE.has(enrolment.status)) {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
      "Inschrijving annuleren", el("span", { class: "lr-visually-hidden" }, `: ${enrolment.course_name}`));
    button.addEventListener("click", () => askCancel(enrolment, button));
    return el("div", { class: "lr-actions" }, button, calendarLink(enrolment));
  }
  if (enrolment.status === "cancelled") {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
      "Verbergen", el("span", { class: "lr-visually-hidden" }, `: ${enrolment.course_name}`));
    button.addEventListener("click", () => hide(enrolment, button));
    return el("div", { class: "lr-actions" }, button,
      el("p", { class: "nl-paragraph lr-field-note" }, "Verbergen haalt deze inschrijving uit dit overzicht; wij bewaren haar nog wel."));
  }
  return null;
}

/** R_CAL_01: a confirmed enrolment as a calendar file, the same entry its e-mails update or cancel. */
function calendarLink(enrolment) {
  if (enrolment.status !== "approved") return null;
  return el("a", {
    class: "nl-link lr-calendar-link", href: `/api/me/enrolments/${encodeURIComponent(enrolment.enrolment_id)}/agenda.ics`,
    download: `leer-rijk-${enrolment.enrolment_id}.ics`,
  }, "Zet in uw agenda (.ics)", el("span", { class: "lr-visually-hidden" }, `: ${enrolment.course_name}`));
}

function askCancel(enrolment, opener) {
  cancelling = { enrolment, opener };
  const notice = costNotice(enrolment);
  dialogHeading.textContent = `${enrolment.course_name} annuleren?`;
  dialogText.replaceChildren(
    el("p", { class: "nl-paragraph" }, `U annuleert uw inschrijving voor ${enrolment.course_name}, `
      + `${dateRange(enrolment.start, enrolment.end)}.`),
    ...notice.long.map((text, i) => el("p", { class: `nl-paragraph${i === 0 ? " lr-cost" : ""}` },
      i === 0 ? el("strong", {}, text) : text)));
  dialogError.replaceChildren();
  delete confirmButton.dataset.label;
  setBusy(confirmButton, false);
  confirmButton.textContent = notice.free ? "Ja, annuleer kosteloos" : `Ja, annuleer voor ${euro(enrolment.cancellation.penalty_cents)}`;
  dialog.showModal();
  focusOn(dialogHeading);
}

function closeDialog() {
  const opener = cancelling?.opener;
  cancelling = null;
  if (dialog.open) dialog.close();
  if (opener?.isConnected) opener.focus();
}

backButton.addEventListener("click", closeDialog);
dialog.addEventListener("cancel", (event) => {  // Escape
  event.preventDefault();
  closeDialog();
});

confirmButton.addEventListener("click", async () => {
  if (!cancelling) return;
  const { enrolment } = cancelling;
  setBusy(confirmButton, true, "Bezig met annuleren");
  let result;
  try {
    result = await api(`/enrolments/${encodeURIComponent(enrolment.enrolment_id)}/cancel`, { method: "POST", body: {} });
  } catch (problem) {
    setBusy(confirmButton, false);
    dialogError.replaceChildren(alertBox("error", null, problem.message));
    return;
  }
  cancelling = null;
  dialog.close();
  replace(enrolment.enrolment_id, result);
  const done = document.getElementById(`inschrijving-${result.enrolment_id}`);
  const cost = result.penalty_cents
    ? `Uw organisatie betaalt ${euro(result.penalty_cents)} annuleringskosten.`
    : "Er zijn geen kosten.";
  const outcome = alertBox("ok", "Uw inschrijving is geannuleerd", cost);
  outcome.classList.add("lr-cancel-outcome");
  done.insertBefore(outcome, done.querySelector(".lr-actions"));
  focusOn(outcome.querySelector("h2"));
});

function replace(enrolmentId, updated) {
  enrolments = enrolments.map((e) => (e.enrolment_id === enrolmentId ? updated : e));
  document.getElementById(`inschrijving-${enrolmentId}`)?.replaceWith(card(updated));
}

async function hide(enrolment, button) {
  setBusy(button, true);
  try {
    await api(`/enrolments/${encodeURIComponent(enrolment.enrolment_id)}/hide`, { method: "POST", body: {} });
  } catch (problem) {
    setBusy(button, false);
    button.closest(".lr-enrolment").append(alertBox("error", null, problem.message));
    return;
  }
  const item = document.getElementById(`inschrijving-${enrolment.enrolment_id}`);
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  enrolments = enrolments.filter((e) => e.enrolment_id !== enrolment.enrolment_id);
  if (!enrolments.length) render();
  announce(status, `De inschrijving voor ${enrolment.course_name} is verborgen. ${countText()}`);
  focusOn(next ? next.querySelector("h2") : heading);
}

// --- the waiting list (R_WAIT_03, R_WAIT_04) ---------------------------------------------------------

const waitingSection = document.getElementById("wachtlijst");
const waitingList = document.getElementById("wachtlijst-lijst");
const waitingStatus = document.getElementById("wachtlijst-status");

async function loadPlaces(message) {
  let data;
  try {
    data = await api("/me/waiting");
  } catch {
    return;  // the enrolments above still show; the places come with the next visit
  }
  const places = data.items || [];
  waitingSection.hidden = !places.length && !message;
  waitingList.replaceChildren(...places.map(placeCard));
  if (message) announce(waitingStatus, message);
}

function placeCard(place) {
  const id = place.place_id;
  const offered = place.status === "offered";
  const item = el("li", { class: "lr-enrolment", id: `wachtplaats-${id}`, "data-place": id },
    el("h3", { class: "nl-heading nl-heading--level-3 lr-result__title", tabindex: "-1" },
      el("a", { class: "nl-link", href: courseUrl(place.course_id) }, place.course_name || "Opleiding")),
    dataList([
      ["Status", el("strong", {}, STATUS_LABELS[place.status] || place.status)],
      ["Plaats op de wachtlijst", offered ? null : String(place.position)],
      ["Start", dateRange(place.start)],
      ["Aangeboden tot", offered && place.offer_expires_at ? dateTime(place.offer_expires_at) : null],
      ["Leidinggevende", place.manager_email],
      ["Berichten gaan naar", place.form?.email],
    ]));
  if (offered) {
    const price = place.offer?.late_terms?.penalty_cents;
    item.append(el("p", { class: "nl-paragraph lr-cost-notice" },
      "Er is een plaats voor u vrijgekomen. De termijn om kosteloos te annuleren is voorbij: neemt u de plaats aan, "
      + `dan kost annuleren daarna ${price ? euro(price) : "de prijs van de opleiding"}.`
      + (place.manager_email ? " Uw leidinggevende krijgt dan een verzoek om akkoord." : "")));
    item.append(el("div", { class: "lr-actions" },
      placeButton(place, "Plaats aannemen", "primary", () => decideOffer(place, "accept")),
      placeButton(place, "Plaats afslaan", "secondary", () => decideOffer(place, "decline"))));
  } else {
    item.append(el("div", { class: "lr-actions" },
      placeButton(place, "Wachtlijst verlaten", "secondary", (button) => confirmLeave(place, button))));
  }
  return item;
}

function placeButton(place, label, kind, onClick) {
  const button = el("button", { type: "button", class: `utrecht-button utrecht-button--${kind}-action` },
    label, el("span", { class: "lr-visually-hidden" }, `: ${place.course_name}`));
  button.addEventListener("click", () => onClick(button));
  return button;
}

function confirmLeave(place, opener) {
  const actions = opener.closest(".lr-actions");
  const leave = `/waiting/${encodeURIComponent(place.place_id)}/leave`;
  const yes = placeButton(place, "Ja, verlaat de wachtlijst", "primary",
    () => act(place, yes, leave, {}, `U staat niet meer op de wachtlijst voor ${place.course_name}.`));
  const no = placeButton(place, "Nee, blijf op de wachtlijst", "secondary", () => loadPlaces());
  actions.replaceChildren(el("p", { class: "nl-paragraph" },
    "Verlaat u de wachtlijst, dan vervalt uw plaats. Schrijft u zich later weer in, dan komt u achteraan."), yes, no);
  focusOn(yes);
}

async function decideOffer(place, decision) {
  const button = document.querySelector(`#wachtplaats-${CSS.escape(place.place_id)} .lr-actions button`);
  const done = decision === "accept"
    ? `U heeft de plaats aangenomen voor ${place.course_name}. U vindt de inschrijving hierboven.`
    : `U heeft de plaats afgeslagen voor ${place.course_name}. De volgende op de wachtlijst krijgt haar aangeboden.`;
  await act(place, button, `/waiting/${encodeURIComponent(place.place_id)}/offer`, { decision }, done);
  if (decision === "accept") await reloadEnrolments();
}

async function act(place, button, path, body, done) {
  setBusy(button, true);
  try {
    await api(path, { method: "POST", body });
  } catch (problem) {
    setBusy(button, false);
    document.getElementById(`wachtplaats-${place.place_id}`)?.append(alertBox("error", null, problem.message));
    return;
  }
  await loadPlaces(done);
  focusOn(document.getElementById("wachtlijst-titel"));
}

async function reloadEnrolments() {
  try {
    enrolments = (await api("/me/enrolments")).items || [];
    render();
  } catch {
    // the places below say what happened; the list follows on the next visit
  }
}

function dateTime(iso) {
  const moment = new Date(iso);
  const time = moment.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" });
  return `${dutchDate(moment.toLocaleDateString("sv-SE", { timeZone: "Europe/Amsterdam" }))} om ${time} uur`;
}

load();
