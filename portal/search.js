// /zoeken/: search the catalogue (R_CAT_04, R_CAT_07, R_VIS_01).
// The form state lives in the URL (reload, back and forward work). Results follow as you type,
// without logging; the search term is logged (log=true) only when the form is submitted.

import { ApiProblem, announce, api, clearProblems, el, showProblem } from "./api.js";
import { KIND_LABELS, alertBox, courseUrl, dateRange, focusOn, placeText, priceText } from "./catalogue-common.js";

const FIELDS = ["q", "theme", "supplier", "city", "kind", "online", "from", "to", "sort"];
const DEFAULTS = { sort: "relevance" };
const TYPING_DELAY_MS = 300;
const PAGE_SIZE = 20;

const form = document.getElementById("zoekformulier");
const summary = document.getElementById("zoek-fouten");
const list = document.getElementById("zoek-resultaten");
const status = document.getElementById("zoek-status");
const notice = document.getElementById("zoek-melding");
const moreButton = document.getElementById("zoek-meer");
const resultsHeading = document.getElementById("resultaten-titel");
const supplierInput = document.getElementById("zoek-supplier");
const supplierNotice = document.getElementById("zoek-aanbieder");
const supplierName = document.getElementById("zoek-aanbieder-naam");

// On a phone the filters sit behind a button that says how many are on (R_UI_01). CSS lays the page out from
// the first paint (catalogue.css, scripting enabled and a narrow screen); this only flips aria-expanded and
// keeps the count up to date.
const filtersButton = document.getElementById("zoek-filters-knop");
const filtersCount = document.getElementById("zoek-filters-aantal");
const FILTER_FIELDS = FIELDS.filter((name) => name !== "q" && name !== "sort");

function setFiltersOpen(open) {
  filtersButton.setAttribute("aria-expanded", String(open));
}

function showFilterCount(params) {
  const on = FILTER_FIELDS.filter((name) => params.get(name)).length;
  filtersCount.textContent = on ? `(${on} aan)` : "";
}

filtersButton.addEventListener("click", () => {
  const open = filtersButton.getAttribute("aria-expanded") !== "true";
  setFiltersOpen(open);
  if (open) document.getElementById("zoek-theme").focus();
});
for (const type of ["input", "change", "click"]) form.addEventListener(type, () => showFilterCount(formParams()));
window.addEventListener("popstate", () => showFilterCount(urlParams()));
showFilterCount(urlParams());

let latestRequest = 0;
let nextCursor = null;
let shown = 0;
let typingTimer;

/** The form as query parameters: only filled-in fields, defaults left out. */
function formParams() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = String(data.get(name) ?? "").trim();
    if (value && value !== DEFAULTS[name]) params.set(name, value);
  }
  return params;
}

function urlParams() {
  const given = new URLSearchParams(window.location.search);
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = (given.get(name) || "").trim();
    if (value && value !== DEFAULTS[name]) params.set(name, value);
  }
  return params;
}

function fillForm(params) {
  for (const name of FIELDS) {
    const value = params.get(name) || DEFAULTS[name] || "";
    const controls = form.querySelectorAll(`[name="${name}"]`);
    for (const control of controls) {
      if (control.type === "radio") control.checked = control.value === value;
      else control.value = value;
    }
    if (controls[0]?.tagName === "SELECT" && controls[0].value !== value) controls[0].value = DEFAULTS[name] || "";
  }
  showSupplier(params.get("supplier"));
}

function showSupplier(supplierId, name) {
  supplierNotice.hidden = !supplierId;
  if (supplierId) supplierName.textContent = name || supplierId;
}

function pageUrl(params) {
  const query = params.toString();
  return query ? `/zoeken/?${query}` : "/zoeken/";
}

/** Put the form state in the address bar: a new history entry for deliberate steps, else replace. */
function remember(params, newEntry) {
  const url = pageUrl(params);
  if (url === window.location.pathname + window.location.search) return;
  if (newEntry) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

function dateProblem(params) {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && to < from) {
    return new ApiProblem(400, "validation_failed", "Controleer de startdatum.",
      { to: "De datum bij 'Begint op of voor' ligt vóór de datum bij 'Begint op of na'." });
  }
  return null;
}

/** Search with the given parameters; `log` only for a submitted form, `more` appends the next page. */
async function search(params, { log = false, more = false, focusResults = false } = {}) {
  const request = ++latestRequest;
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE_SIZE));
  if (more && nextCursor) query.set("cursor", nextCursor);
  if (log && params.get("q")) query.set("log", "true");
  list.setAttribute("aria-busy", "true");
  moreButton.disabled = more;
  let data;
  try {
    data = await api(`/courses?${query}`);
  } catch (problem) {
    if (request !== latestRequest) return;
    list.setAttribute("aria-busy", "false");
    moreButton.disabled = false;
    showFailure(problem, more);
    return;
  }
  if (request !== latestRequest) return;  // a newer search has started meanwhile
  list.setAttribute("aria-busy", "false");
  moreButton.disabled = false;
  render(data, params, more, focusResults);
}

function render(data, params, more, focusResults) {
  if (!more) notice.replaceChildren();
  const items = data.items || [];
  if (!more) {
    list.replaceChildren();
    shown = 0;
  }
  const firstNew = items.map(resultItem);
  list.append(...firstNew);
  shown += items.length;
  nextCursor = data.next_cursor || null;
  moreButton.hidden = !nextCursor;
  if (params.get("supplier") && items[0]?.supplier_id === params.get("supplier")) {
    showSupplier(params.get("supplier"), items[0].supplier_name);
  }
  const suggestions = data.suggestions || [];
  if (shown === 0) {
    notice.replaceChildren(emptyState(params, suggestions));
    announce(status, suggestions.length
      ? `Geen opleidingen gevonden. Bedoelde u: ${suggestions.join(" of ")}?`
      : "Geen opleidingen gevonden.");
  } else if (!more) {
    notice.replaceChildren(...resultNotes(params, data, suggestions));
    announce(status, data.showing
      ? `Niets gevonden ${forWords(params.get("q"))} ${params.get("q")}; u ziet de resultaten voor ${data.showing}. ${countText(shown, Boolean(nextCursor))}`
      : countText(shown, Boolean(nextCursor)));
  } else {
    announce(status, `${shown} opleidingen getoond${nextCursor ? "; er zijn er nog meer" : "; dit zijn alle resultaten"}.`);
    focusOn(firstNew[0]?.querySelector("a"));
  }
  if (focusResults) focusOn(resultsHeading);
}

/** "voor", or for a search of several words "met alle woorden van": some of its words may have found courses,
 * only not all of them together (R_CAT_07). */
function forWords(query) {
  return (query || "").trim().split(/\s+/).length > 1 ? "met alle woorden van" : "voor";
}

function countText(count, hasMore) {
  if (hasMore) return `Meer dan ${count} opleidingen gevonden. U ziet de eerste ${count}.`;
  return count === 1 ? "1 opleiding gevonden." : `${count} opleidingen gevonden.`;
}

function resultItem(course) {
  const runs = course.executions || [];
  const meta = [course.supplier_name, course.theme_label, KIND_LABELS[course.kind]].filter(Boolean);
  const titleId = `resultaat-${course.course_id}`;
  return el("li", { class: "lr-result" },
    el("article", { class: "lr-result__card", "aria-labelledby": titleId },
      el("h3", { class: "nl-heading nl-heading--level-3 lr-result__title", id: titleId },
        el("a", { class: "nl-link", href: courseUrl(course.course_id) }, course.name)),
      el("p", { class: "nl-paragraph lr-result__meta" }, meta.join(" · ")),
      course.restricted ? el("p", { class: "nl-paragraph lr-tag" }, "Alleen voor bepaalde organisaties") : null,
      course.summary ? el("p", { class: "nl-paragraph" }, course.summary) : null,
      runs.length
        ? [el("p", { class: "nl-paragraph lr-result__runs-title" },
          runs.length === 1 ? "Eerstvolgende uitvoering:" : "Eerstvolgende uitvoeringen:"),
        el("ul", { class: "utrecht-unordered-list lr-runs" }, runs.map(runItem)),
        course.executions_total > runs.length
          ? el("p", { class: "nl-paragraph lr-result__more" }, moreRunsText(course.executions_total - runs.length))
          : null]
        : el("p", { class: "nl-paragraph" }, "Er is nu geen uitvoering gepland.")));
}

function moreRunsText(count) {
  return count === 1 ? "En nog 1 uitvoering." : `En nog ${count} uitvoeringen.`;
}

function runItem(run) {
  return el("li", { class: "utrecht-unordered-list__item lr-run" },
    el("span", { class: "lr-run__date" }, dateRange(run.start, run.end)), ", ",
    el("span", { class: "lr-run__place" }, placeText(run)), ", ",
    el("span", { class: "lr-run__price" }, priceText(run.price_cents)));
}

/** A link that searches for `term` with the same filters (handled in place by the notice's click handler). */
function searchLink(params, term) {
  const other = new URLSearchParams(params);
  other.set("q", term);
  return el("a", { class: "nl-link", href: pageUrl(other), "data-zoek": "" }, term);
}

/** "Bedoelde u: …": terms close to the search that do find courses (R_CAT_07), as links. */
function suggestionText(params, suggestions) {
  if (!suggestions.length) return null;
  const links = suggestions.flatMap((term, index) => {
    const link = searchLink(params, term);
    return index === 0 ? [link] : [index === suggestions.length - 1 ? " of " : ", ", link];
  });
  return el("p", { class: "nl-paragraph lr-suggestions" }, "Bedoelde u: ", ...links, "?");
}

/** Above the results: whose results these are when the search itself found nothing, "Bedoelde u" when no
 * course has every word, and the place a word in the search narrowed to (R_CAT_07, R_UI_03). */
function resultNotes(params, data, suggestions) {
  const notes = [];
  if (data.showing) {
    notes.push(alertBox("info", "Resultaten voor een andere zoekterm",
      `Er zijn geen opleidingen gevonden ${forWords(params.get("q"))} “${params.get("q")}”.`,
      el("p", { class: "nl-paragraph" }, "U ziet de resultaten voor ", searchLink(params, data.showing), "."),
      suggestionText(params, suggestions.filter((term) => term !== data.showing))));
  } else if (suggestions.length) {
    notes.push(suggestionText(params, suggestions));
  }
  if (data.place) {
    notes.push(el("p", { class: "nl-paragraph lr-place-note" },
      `Opleidingen met een uitvoering in ${data.place} staan bovenaan, met hun uitvoeringen daar.`));
  }
  return notes;
}

function emptyState(params, suggestions) {
  const filtered = [...params.keys()].some((name) => name !== "q" && name !== "sort");
  const tips = [
    el("li", { class: "utrecht-unordered-list__item" }, "Controleer de spelling."),
    el("li", { class: "utrecht-unordered-list__item" }, "Gebruik minder of andere woorden."),
  ];
  if (filtered) {
    const onlyTerm = new URLSearchParams();
    if (params.get("q")) onlyTerm.set("q", params.get("q"));
    tips.push(el("li", { class: "utrecht-unordered-list__item" },
      el("a", { class: "nl-link", href: pageUrl(onlyTerm), "data-zoek": "" }, "Zoek zonder filters")));
  }
  return alertBox("info", "Geen opleidingen gevonden",
    "Er zijn geen opleidingen die passen bij uw zoekopdracht.", suggestionText(params, suggestions),
    el("ul", { class: "utrecht-unordered-list" }, tips));
}

function showFailure(problem, more) {
  if (!more) {
    list.replaceChildren();
    moreButton.hidden = true;
    shown = 0;
  }
  const retry = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    "Opnieuw proberen");
  retry.addEventListener("click", () => (more ? search(urlParams(), { more: true })
    : search(urlParams(), { focusResults: true })));
  const details = Object.values(problem.fields || {});
  notice.replaceChildren(alertBox("error", "Zoeken lukt nu niet", problem.message,
    details.length ? el("ul", { class: "utrecht-unordered-list" },
      details.map((text) => el("li", { class: "utrecht-unordered-list__item" }, text))) : null,
    problem.status === 400
      ? el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/zoeken/" }, "Begin een nieuwe zoekopdracht"))
      : retry));
  announce(status, "Zoeken lukt nu niet.");
}

/** Results while typing or changing a filter: no log, the URL follows the form. */
function liveSearch(newEntry) {
  window.clearTimeout(typingTimer);
  const params = formParams();
  clearProblems(summary, form);
  const problem = dateProblem(params);
  if (problem) {
    notice.replaceChildren(alertBox("warning", null, problem.fields.to));
    announce(status, problem.fields.to);
    return;
  }
  remember(params, newEntry);
  search(params);
}

form.addEventListener("input", (event) => {
  if (event.target.type !== "search" && event.target.type !== "text") return;
  window.clearTimeout(typingTimer);
  typingTimer = window.setTimeout(() => liveSearch(false), TYPING_DELAY_MS);
});

form.addEventListener("change", (event) => {
  if (event.target.type === "search" || event.target.type === "text") return;  // handled while typing
  liveSearch(true);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(typingTimer);
  const params = formParams();
  const problem = dateProblem(params);
  if (problem) {
    setFiltersOpen(true);
    showProblem(summary, problem, form);
    return;
  }
  clearProblems(summary, form);
  remember(params, true);
  search(params, { log: true, focusResults: true });
});

document.getElementById("zoek-aanbieder-wissen").addEventListener("click", () => {
  supplierInput.value = "";
  showSupplier(null);
  liveSearch(true);
  focusOn(document.getElementById("zoek-q"));
});

moreButton.addEventListener("click", () => search(urlParams(), { more: true }));

notice.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-zoek]");
  if (!link) return;
  event.preventDefault();
  window.history.pushState(null, "", link.getAttribute("href"));
  fillForm(urlParams());
  search(urlParams(), { focusResults: true });
});

window.addEventListener("popstate", () => {
  fillForm(urlParams());
  clearProblems(summary, form);
  search(urlParams());
});

function start() {
  const params = urlParams();
  fillForm(params);
  // Arriving from a submitted search form (the home page, or this page without JavaScript) is a
  // search the user asked for, so it is logged; a reload or back/forward is not logged again.
  const navigation = window.performance.getEntriesByType("navigation")[0];
  const submitted = !navigation || navigation.type === "navigate";
  search(params, { log: submitted });
}

start();
