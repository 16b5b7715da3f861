// Shared by the catalogue and enrolment pages (search, course, enrol, my enrolments, approval).
// Everything from the API is inserted as text through `el()`; nothing here builds HTML strings.

import { dutchDate, el, euro, messageBox } from "./api.js";

export const KIND_LABELS = { intern: "Intern aanbod", extern: "Extern aanbod" };

export const STATUS_LABELS = {
  pending_approval: "Wacht op akkoord van uw leidinggevende",
  approved: "Ingeschreven",
  rejected: "Afgewezen door uw leidinggevende",
  expired: "Vervallen: niet op tijd goedgekeurd",
  cancelled: "Geannuleerd",
  waiting: "Op de wachtlijst",
  offered: "Er staat een plaats voor u klaar",
};

/** "3 maart 2027" or "3 maart 2027 tot en met 5 maart 2027". */
export function dateRange(start, end) {
  if (!end || end === start) return dutchDate(start);
  return `${dutchDate(start)} tot en met ${dutchDate(end)}`;
}

/** Where an execution takes place, in words. */
export function placeText(run) {
  if (run.online) return "Online";
  return run.city || run.location || "Plaats nog niet bekend";
}

export function priceText(cents) {
  return cents === 0 ? "Gratis" : euro(cents);
}

/**
 * A run's cancellation terms as the API's one rule states them (R_ENR_08): "Kosteloos annuleren tot en met
 * 1 maart 2027; daarna € 495,00". A free course costs nothing to cancel at any time.
 */
export function termsText(run) {
  if (!run.cancellation_penalty_cents) return "Annuleren is altijd kosteloos.";
  return `Kosteloos annuleren tot en met ${dutchDate(run.last_free_cancellation_day)}; `
    + `daarna ${euro(run.cancellation_penalty_cents)}.`;
}

/** Where an enrolment takes place, from its stored place: the city or "Online". */
export function enrolmentPlace(enrolment) {
  if (!enrolment.place) return null;
  return enrolment.place === "online" ? "Online" : enrolment.place;
}

/** A course page address; the id goes in the query string, so any course loads through the API. */
export function courseUrl(courseId) {
  return `/opleiding/?id=${encodeURIComponent(courseId)}`;
}

/** An NL Design System alert. `kind`: info | ok | warning | error. */
export function alertBox(kind, heading, ...content) {
  const box = messageBox(kind, heading, ...content);
  box.querySelector(".lr-message__heading")?.setAttribute("tabindex", "-1");
  box.querySelector(".lr-message__heading")?.classList.add("lr-alert__heading");
  return box;
}

/** A label/value list (utrecht-data-list); rows with an empty value are left out. */
export function dataList(rows, attributes = {}) {
  return el("dl", { class: "utrecht-data-list lr-data", ...attributes },
    rows.filter(([, value]) => value !== null && value !== undefined && value !== "").map(([key, value]) =>
      el("div", { class: "utrecht-data-list__item" },
        el("dt", { class: "utrecht-data-list__item-key" }, key),
        el("dd", { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" }, value))));
}

/** Mark a button busy while its request runs (it keeps its place in the tab order). */
export function setBusy(button, busy, busyText) {
  if (busy) {
    button.dataset.label ??= button.textContent;
    button.disabled = true;
    button.classList.add("utrecht-button--busy");
    button.setAttribute("aria-busy", "true");
    if (busyText) button.textContent = busyText;
  } else {
    button.disabled = false;
    button.classList.remove("utrecht-button--busy");
    button.removeAttribute("aria-busy");
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
}

/** Move focus to a heading or region that is not focusable by itself. */
export function focusOn(node) {
  if (!node) return;
  if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
  node.focus();
}
