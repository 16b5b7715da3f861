// /opleiding/?id=<course_id>: one course, loaded through the API (never pre-rendered), with its
// requirements (shown before enrolling, R_ENR_04), executions with live seats, and enrolling.

import { loginUrl } from "./account-common.js";
import { api, currentUser, el } from "./api.js";
import {
  KIND_LABELS, STATUS_LABELS, alertBox, dataList, dateRange, placeText, priceText, termsText,
} from "./catalogue-common.js";
import { enrolDraft, openEnrolForm } from "./enrol.js";
import { ratingText, reviewForm, reviewItem, reviewsStatus, summaryBlock } from "./reviews-common.js";

const root = document.getElementById("opleiding");
const heading = document.getElementById("opleiding-titel");
const status = document.getElementById("opleiding-status");
const content = document.getElementById("opleiding-inhoud");
const courseId = new URLSearchParams(window.location.search).get("id") || "";

const ACTIVE = new Set(["pending_approval", "approved"]);

let user = null;
let myEnrolments = new Map();  // execution_id -> enrolment (active ones of this course)
let myPlaces = new Map();  // execution_id -> waiting place on this course (R_WAIT_04)
let course = null;

async function load() {
  if (!courseId) {
    notFound();
    return;
  }
  // Only a tab that logged in asks who it is (as the navigation does): a visitor costs no request.
  const userPromise = currentUser().catch(() => null);
  try {
    course = await api(`/courses/${encodeURIComponent(courseId)}`);
  } catch (problem) {
    if (problem.status === 404 || problem.status === 400) notFound();
    else failed(problem);
    return;
  }
  user = await userPromise;
  if (user) await loadMyEnrolments();
  render();
}

async function loadMyEnrolments() {
  const [mine, places] = await Promise.all([api("/me/enrolments").catch(() => null), api("/me/waiting").catch(() => null)]);
  // not essential for this page: without them the buttons still work and the API says what is possible
  myEnrolments = new Map((mine?.items || [])
    .filter((e) => e.course_id === course.course_id && ACTIVE.has(e.status))
    .map((e) => [e.execution_id, e]));
  myPlaces = new Map((places?.items || []).filter((p) => p.course_id === course.course_id)
    .map((p) => [p.execution_id, p]));
}

/** Reload the executions (seats left are live) after an enrolment. */
async function refresh() {
  try {
    course = await api(`/courses/${encodeURIComponent(courseId)}`);
  } catch {
    return;
  }
  await loadMyEnrolments();
  const table = document.getElementById("uitvoeringen-inhoud");
  table?.replaceWith(executionsBlock());
}

function notFound() {
  heading.textContent = "Opleiding niet gevonden";
  document.title = "Opleiding niet gevonden | Leer-Rijk";
  status.textContent = "";
  content.replaceChildren(
    el("p", { class: "nl-paragraph nl-paragraph--lead" },
      "Deze opleiding bestaat niet of is niet voor u beschikbaar."),
    el("p", { class: "nl-paragraph" },
      "Sommige opleidingen zijn alleen te zien voor medewerkers van bepaalde organisaties, als zij zijn ingelogd. "
      + "Misschien is de opleiding ook door de aanbieder uit de catalogus gehaald."),
    el("ul", { class: "utrecht-unordered-list" },
      el("li", { class: "utrecht-unordered-list__item" }, el("a", { class: "nl-link", href: "/zoeken/" }, "Zoek een andere opleiding")),
      el("li", { class: "utrecht-unordered-list__item" }, el("a", { class: "nl-link", href: "/inloggen/" }, "Inloggen"))));
  content.hidden = false;
}

function failed(problem) {
  heading.textContent = "Opleiding kan niet worden geladen";
  status.textContent = "";
  const retry = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Opnieuw proberen");
  retry.addEventListener("click", () => {
    status.textContent = "De opleiding wordt geladen.";
    content.hidden = true;
    load();
  });
  content.replaceChildren(alertBox("error", null, problem.message, retry));
  content.hidden = false;
}

function render() {
  heading.textContent = course.name;
  document.title = `${course.name} | Leer-Rijk`;
  status.textContent = "";
  content.replaceChildren(
    el("div", { class: "lr-course-header" },
      course.summary ? el("p", { class: "nl-paragraph nl-paragraph--lead" }, course.summary) : null,
      course.restricted ? el("p", { class: "nl-paragraph lr-tag" }, "Alleen voor medewerkers van bepaalde organisaties") : null,
      dataList([
        ["Aanbieder", course.supplier_name
          ? el("a", { class: "nl-link", href: `/zoeken/?supplier=${encodeURIComponent(course.supplier_id)}` }, course.supplier_name)
          : null],
        ["Soort aanbod", KIND_LABELS[course.kind]],
        ["Thema", course.theme_label],
        ["Niveau", course.level],
        ["Vorm", course.form],
        ["Duur", course.duration],
        ["Beoordeling", ratingText(course.rating)],
      ], { "aria-label": "Kenmerken van de opleiding", id: "opleiding-kenmerken" })),
    section("omschrijving", "Over deze opleiding",
      el("p", { class: "nl-paragraph lr-prewrap" }, course.description || course.summary || "Geen omschrijving.")),
    section("toelatingseisen", "Toelatingseisen",
      course.requirements?.length
        ? [el("p", { class: "nl-paragraph" }, "Voor deze opleiding gelden de volgende eisen. Lees ze voordat u zich inschrijft."),
          el("ul", { class: "utrecht-unordered-list", id: "eisen" },
            course.requirements.map((text) => el("li", { class: "utrecht-unordered-list__item" }, text)))]
        : el("p", { class: "nl-paragraph", id: "eisen" }, "Voor deze opleiding gelden geen toelatingseisen.")),
    section("uitvoeringen", "Uitvoeringen en inschrijven", executionsBlock()),
    el("div", { id: "inschrijven-plek" }),
    reviewsSection(),
  );
  content.hidden = false;
  loadReviews(null, { offerWriting: true });
  reopenDraft();
}

/** Back after logging in again: the enrol form of the run it was for, with what was typed (R_UI_03). */
function reopenDraft() {
  const draft = user && enrolDraft(course.course_id);
  const run = draft && (course.executions || []).find((item) => item.execution_id === draft.execution_id);
  const waiting = Boolean(run?.waiting_list_open);  // full meanwhile: the same form joins the list (R_WAIT_01)
  if (!run || !(run.open_for_application || waiting) || myEnrolments.has(run.execution_id)
    || myPlaces.has(run.execution_id)) return;
  openEnrolForm({
    place: document.getElementById("inschrijven-plek"), course, execution: run, user, draft, waiting,
    privacyVersion: root.dataset.privacyVersion, onDone: refresh,
    returnFocus: document.querySelector(`[data-execution="${CSS.escape(run.execution_id)}"] .lr-enrol-button`),
  });
}

/** Arriving from the review invitation (`#review`, kept through the login): the form, or why there is none. */
function openAtReview() {
  if (window.location.hash !== "#review") return;
  const target = document.getElementById("review-schrijf-titel") || document.getElementById("review-titel");
  target?.setAttribute("tabindex", "-1");
  target?.focus();
  target?.scrollIntoView({ block: "start" });
}

// --- reviews (R_REV_01-03): the summary for everyone, texts and the form for logged-in employees ---

const REVIEW_PAGE = 5;

function reviewsSection() {
  const holder = section("review", "Reviews",
    el("div", { id: "review-samenvatting-plek" }, summaryBlock(course.rating)));
  holder.id = "review";
  if (!user) {
    window.setTimeout(openAtReview);
    holder.append(el("p", { class: "nl-paragraph", id: "review-inloggen" },
      "De teksten van reviews zijn te lezen voor ingelogde medewerkers van de Rijksoverheid. ",
      el("a", { class: "nl-link", href: loginUrl() }, "Log in om de reviews te lezen"), "."));
    return holder;
  }
  holder.append(
    el("div", { id: "review-schrijven" }),
    el("h3", { class: "nl-heading nl-heading--level-3", id: "review-lijst-titel" }, "Wat deelnemers schrijven"),
    el("p", { class: "nl-paragraph lr-status", id: "review-status", role: "status", "aria-live": "polite" }, "De reviews worden geladen."),
    el("ul", { class: "lr-reviews", id: "review-lijst", "aria-labelledby": "review-lijst-titel" }),
    el("div", { id: "review-meer" }));
  return holder;
}

async function loadReviews(cursor, { offerWriting = false } = {}) {
  if (!user) return;
  const status = document.getElementById("review-status");
  const list = document.getElementById("review-lijst");
  const more = document.getElementById("review-meer");
  const query = `limit=${REVIEW_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
  let page;
  try {
    page = await api(`/courses/${encodeURIComponent(courseId)}/reviews?${query}`);
  } catch (problem) {
    status.textContent = problem.message;
    return;
  }
  if (offerWriting) {
    showWriteBlock(page.writing);
    openAtReview();
  }
  const items = (page.items || []).map((review) => reviewItem(review, { heading: "h4" }));
  if (cursor) list.append(...items);
  else list.replaceChildren(...items);
  status.textContent = reviewsStatus(list.children.length, page.summary.count, page.withheld);
  more.replaceChildren();
  if (page.next_cursor) {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", id: "review-meer-knop" },
      "Meer reviews tonen");
    button.addEventListener("click", async () => {
      const first = list.children.length;
      await loadReviews(page.next_cursor);
      list.children[first]?.setAttribute("tabindex", "-1");
      list.children[first]?.focus();
    });
    more.append(button);
  }
}

// `writing` comes with the first page of reviews (R_REV_01): the form only for who may use it, else why not.
function showWriteBlock(writing) {
  const place = document.getElementById("review-schrijven");
  if (writing === "already_reviewed") {
    place.replaceChildren(el("p", { class: "nl-paragraph", id: "review-al-geschreven" },
      "U hebt deze opleiding beoordeeld. Wijzigen of verwijderen kan via ",
      el("a", { class: "nl-link", href: "/mijn-reviews/" }, "Mijn reviews"), "."));
    return;
  }
  if (writing !== "open") {
    place.replaceChildren(el("p", { class: "nl-paragraph", id: "review-nog-niet" },
      "Een review schrijft u na de einddatum van een uitvoering die u via Leer-Rijk hebt gevolgd. "
      + "U krijgt dan een e-mail met een link naar dit formulier."));
    return;
  }
  place.replaceChildren(
    el("h3", { class: "nl-heading nl-heading--level-3", id: "review-schrijf-titel", tabindex: "-1" }, "Schrijf een review"),
    el("p", { class: "nl-paragraph" }, "Hebt u deze opleiding gevolgd? Help anderen kiezen met een beoordeling en een korte "
      + "toelichting. U kunt één review per opleiding schrijven, na de einddatum van uw uitvoering."),
    reviewForm({
      prefix: "review", submitLabel: "Review plaatsen",
      send: async (body) => {
        await api(`/courses/${encodeURIComponent(courseId)}/reviews`, { method: "POST", body });
        await afterWrite();
      },
    }));
}

async function afterWrite() {
  const place = document.getElementById("review-schrijven");
  const done = alertBox("ok", "Dank u wel voor uw review",
    el("p", { class: "nl-paragraph" }, "Uw review staat hieronder. Wijzigen of verwijderen kan altijd via ",
      el("a", { class: "nl-link", href: "/mijn-reviews/" }, "Mijn reviews"), "."));
  done.id = "review-geplaatst";
  place.replaceChildren(done);
  done.querySelector("h2")?.focus();
  try {
    course = await api(`/courses/${encodeURIComponent(courseId)}`);
    document.getElementById("review-samenvatting-plek").replaceChildren(summaryBlock(course.rating));
    const facts = [...document.querySelectorAll("#opleiding-kenmerken .utrecht-data-list__item")];
    const rating = facts.find((item) => item.querySelector("dt")?.textContent === "Beoordeling");
    rating?.querySelector("dd")?.replaceChildren(ratingText(course.rating));
  } catch {
    // the list below still shows the new review
  }
  await loadReviews(null);
}

function section(id, title, ...children) {
  return el("section", { class: "lr-block", "aria-labelledby": `${id}-titel` },
    el("h2", { class: "nl-heading nl-heading--level-2", id: `${id}-titel` }, title), ...children);
}

function executionsBlock() {
  const runs = course.executions || [];
  const holder = el("div", { id: "uitvoeringen-inhoud", class: "lr-block" });
  if (!user && runs.some((run) => run.open_for_application || run.waiting_list_open)) {
    holder.append(alertBox("info", null,
      el("p", { class: "nl-paragraph" }, "Om u in te schrijven logt u in met uw zakelijke e-mailadres. ",
        el("a", { class: "nl-link", href: loginUrl(), id: "inloggen-om-in-te-schrijven" }, "Log in om in te schrijven"), ".")));
  }
  if (!runs.length) {
    holder.append(el("p", { class: "nl-paragraph" }, "Er is nu geen uitvoering gepland. Kijk later nog eens."));
    return holder;
  }
  holder.append(
    el("p", { class: "nl-paragraph" }, "Het aantal vrije plaatsen is bijgewerkt tot het moment dat u deze pagina opende."),
    el("div", { class: "lr-table-container" },
      el("table", { class: "utrecht-table utrecht-table--html-table lr-reflow lr-executions", id: "uitvoeringen-tabel" },
        el("caption", { class: "utrecht-table__caption lr-visually-hidden" }, `Uitvoeringen van ${course.name}`),
        el("thead", { class: "utrecht-table__header" },
          el("tr", { class: "utrecht-table__row" },
            ["Datum", "Plaats", "Prijs", "Annuleren", "Vrije plaatsen", "Inschrijven"].map((label, i) =>
              el("th", { class: `utrecht-table__header-cell${i === 2 || i === 4 ? " lr-cell--number" : ""}`, scope: "col" }, label)))),
        el("tbody", { class: "utrecht-table__body" }, runs.map(executionRow)))));
  return holder;
}

function executionRow(run) {
  const when = dateRange(run.start, run.end);
  return el("tr", { class: "utrecht-table__row", "data-execution": run.execution_id },
    el("th", { class: "utrecht-table__header-cell", scope: "row", "data-label": "Datum" },
      when,
      run.application_deadline
        ? el("span", { class: "lr-field-note lr-block-line" }, `Inschrijven tot en met ${dateRange(run.application_deadline)}`)
        : null),
    el("td", { class: "utrecht-table__cell", "data-label": "Plaats" },
      placeText(run),
      run.location && !run.online && run.location !== run.city
        ? el("span", { class: "lr-field-note lr-block-line" }, run.location) : null),
    el("td", { class: "utrecht-table__cell lr-cell--number", "data-label": "Prijs" }, priceText(run.price_cents)),
    el("td", { class: "utrecht-table__cell lr-terms", "data-label": "Annuleren" }, termsText(run)),
    el("td", { class: "utrecht-table__cell lr-cell--number", "data-label": "Vrije plaatsen" }, seatsText(run)),
    el("td", { class: "utrecht-table__cell", "data-label": "Inschrijven" }, enrolCell(run, when)));
}

function seatsText(run) {
  if (run.seats_left === null || run.seats_left === undefined) return "Geen maximum";
  if (run.seats_left === 0) return "Vol";
  return `${run.seats_left} van ${run.seats}`;
}

function enrolCell(run, when) {
  const mine = myEnrolments.get(run.execution_id);
  if (mine) {
    return el("span", {}, `${STATUS_LABELS[mine.status] || mine.status}. `,
      el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Mijn inschrijvingen"));
  }
  const place = myPlaces.get(run.execution_id);
  if (place) {
    return el("span", { class: "lr-waiting-place" }, place.status === "offered"
      ? "Er staat een plaats voor u klaar. " : `Op de wachtlijst, plaats ${place.position}. `,
    el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Mijn inschrijvingen"));
  }
  if (run.waiting_list_open) {  // full: the same form puts one on the waiting list (R_WAIT_01)
    if (!user) return "Vol, wachtlijst open";
    return formButton(run, when, "Op de wachtlijst", true);
  }
  if (!run.open_for_application) {
    return run.seats_left === 0 ? "Vol" : "Inschrijving gesloten";
  }
  if (!user) return "Open voor inschrijving";
  return formButton(run, when, "Inschrijven", false);
}

function formButton(run, when, label, waiting) {
  const button = el("button", {
    type: "button", class: `utrecht-button utrecht-button--${waiting ? "secondary" : "primary"}-action lr-enrol-button`,
  }, label, el("span", { class: "lr-visually-hidden" }, ` voor ${when}, ${placeText(run)}`));
  button.addEventListener("click", () => {
    openEnrolForm({
      place: document.getElementById("inschrijven-plek"),
      course, execution: run, user, waiting,
      privacyVersion: root.dataset.privacyVersion,
      onDone: refresh,
      returnFocus: button,
    });
  });
  return button;
}

load().catch((problem) => failed(problem));
