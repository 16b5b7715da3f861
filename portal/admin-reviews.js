// /beheer/reviews/: local admins read reviews of the courses their organisation sees; CFB reads every
// review and can change its text or delete it (R_REV_03, R_REV_04). Anonymous reviews name nobody.

import { ApiProblem, api, el } from "./api.js";
import { clear, report, showOk } from "./account-common.js";
import { adminGate } from "./admin-common.js";
import { courseUrl } from "./catalogue-common.js";
import { deleteControl, patchReview, reviewForm, reviewItem, reviewsStatus } from "./reviews-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const list = document.getElementById("reviews-lijst");
const more = document.getElementById("reviews-meer");
const filter = document.getElementById("reviews-filter");
const choices = document.getElementById("reviews-keuze");
const COURSE_ID = /^c[0-9a-f]{16}$/;

let gate = null;
let withheld = 0;
let courseId = new URLSearchParams(window.location.search).get("course_id") || "";

async function load(cursor) {
  clear(summary, filter);
  const params = new URLSearchParams({ limit: "20" });
  if (courseId) params.set("course_id", courseId);
  if (cursor) params.set("cursor", cursor);
  let page;
  try {
    page = await api(`/admin/reviews?${params}`);
  } catch (problem) {
    const shown = problem.status === 404
      ? new ApiProblem(404, "not_found", "Deze opleiding bestaat niet of uw organisatie ziet haar niet.",
        { course_id: "Controleer het id van de opleiding." })
      : problem;
    report(summary, shown, filter);
    return;
  }
  const items = (page.items || []).map(card);
  if (cursor) list.append(...items);
  else list.replaceChildren(...items);
  withheld = cursor ? withheld + (page.withheld || 0) : (page.withheld || 0);
  status.textContent = courseId && page.summary
    ? reviewsStatus(list.children.length, page.summary.count, withheld)
    : `${list.children.length ? `${list.children.length} reviews getoond.` : "Er zijn geen reviews."}${
      withheld ? " Anonieme reviews van opleidingen met minder dan 3 reviews ziet u nog niet." : ""}`;
  more.replaceChildren();
  if (page.next_cursor) {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Meer reviews tonen");
    button.addEventListener("click", () => load(page.next_cursor));
    more.append(button);
  }
}

function card(review) {
  const item = reviewItem(review, { heading: "h2" });
  const name = review.course_name || review.course_id;
  item.querySelector(".lr-review__course")?.replaceChildren(
    el("a", { class: "nl-link", href: `${courseUrl(review.course_id)}#review` }, name),
    courseId ? "" : el("span", {}, " · ", el("a", {
      class: "nl-link", href: `/beheer/reviews/?course_id=${encodeURIComponent(review.course_id)}`,
    }, "alleen deze opleiding", el("span", { class: "lr-visually-hidden" }, `: ${name}`))));
  if (!gate.cfb) return item;
  const change = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    "Tekst modereren", el("span", { class: "lr-visually-hidden" }, `: review van ${review.course_name || review.course_id}`));
  change.addEventListener("click", () => {
    const prefix = `beheer-${review.review_id}`;
    if (document.getElementById(`${prefix}-formulier`)) return;
    const form = reviewForm({
      prefix, initial: review, submitLabel: "Gemodereerde tekst opslaan", moderation: true,
      onCancel: () => { form.remove(); change.focus(); },
      send: async (body) => {
        const saved = await patchReview(review.review_id, body);
        item.replaceWith(card(saved));
        showOk(status, "De tekst van de review is aangepast.");
      },
    });
    item.append(form);
    form.querySelector("textarea")?.focus();
  });
  item.append(el("div", { class: "lr-actions" }, change, deleteControl(review, {
    label: "Verwijderen", status,
    onDeleted: () => {
      item.remove();
      showOk(status, "De review is verwijderd.");
      document.getElementById("titel")?.focus();
    },
  })));
  return item;
}

function show(id) {
  courseId = id;
  choices.replaceChildren();
  const params = new URLSearchParams(courseId ? { course_id: courseId } : {});
  window.history.replaceState(null, "", `${window.location.pathname}${courseId ? `?${params}` : ""}`);
  load(null);
}

// A course by its id, its page's address or its name (looked up in the catalogue): nobody has to know ids.
async function choose(raw) {
  const fromAddress = raw.match(/[?&]id=([^&#\s]+)/);
  const candidate = fromAddress ? decodeURIComponent(fromAddress[1]) : raw;
  if (!raw || COURSE_ID.test(candidate)) {
    show(candidate);
    return;
  }
  let found;
  try {
    found = (await api(`/courses?${new URLSearchParams({ q: raw, limit: "6" })}`)).items || [];
  } catch (problem) {
    report(summary, problem, filter);
    return;
  }
  const exact = found.filter((course) => course.name.toLowerCase() === raw.toLowerCase());
  if (found.length === 1 || exact.length === 1) {
    show((exact[0] || found[0]).course_id);
    return;
  }
  if (!found.length) {
    report(summary, new ApiProblem(422, "not_found", "Geen opleiding gevonden met deze naam.",
      { course_id: "Geen opleiding gevonden met deze naam. Probeer een ander woord, of plak het adres van de opleidingspagina." }),
    filter);
    return;
  }
  choices.replaceChildren(
    el("h2", { class: "nl-heading nl-heading--level-3", id: "reviews-keuze-titel", tabindex: "-1" }, "Welke opleiding bedoelt u?"),
    el("ul", { class: "lr-choices", "aria-labelledby": "reviews-keuze-titel" }, ...found.map((course) => {
      const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
        course.name, course.supplier_name ? ` (${course.supplier_name})` : "");
      button.addEventListener("click", () => {
        filter.querySelector('[name="course_id"]').value = course.name;
        show(course.course_id);
      });
      return el("li", {}, button);
    })));
  choices.querySelector("h2").focus();
}

filter.addEventListener("submit", (event) => {
  event.preventDefault();
  clear(summary, filter);
  choose(filter.querySelector('[name="course_id"]').value.trim());
});

async function start() {
  gate = await adminGate(container, summary);
  if (!gate) return;
  filter.querySelector('[name="course_id"]').value = courseId;
  await load(null);
}

start();
