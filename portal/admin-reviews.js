// /beheer/reviews/: local admins read reviews of the courses their organisation sees; CFB reads every
// review and can change its text or delete it (R_REV_03, R_REV_04). Anonymous reviews name nobody.

import { ApiProblem, api, el } from "./api.js";
import { clear, report, showOk } from "./account-common.js";
import { adminGate } from "./admin-common.js";
import { courseUrl } from "./catalogue-common.js";
import { deleteControl, patchReview, reviewForm, reviewItem } from "./reviews-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const list = document.getElementById("reviews-lijst");
const more = document.getElementById("reviews-meer");
const filter = document.getElementById("reviews-filter");

let gate = null;
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
  status.textContent = list.children.length ? `${list.children.length} reviews getoond.` : "Er zijn geen reviews.";
  more.replaceChildren();
  if (page.next_cursor) {
    const button = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Meer reviews tonen");
    button.addEventListener("click", () => load(page.next_cursor));
    more.append(button);
  }
}

function card(review) {
  const item = reviewItem(review, { heading: "h2" });
  item.querySelector(".lr-review__course")?.replaceChildren(
    el("a", { class: "nl-link", href: `${courseUrl(review.course_id)}#review` }, review.course_name || review.course_id));
  if (!gate.cfb) return item;
  const change = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    "Aanpassen", el("span", { class: "lr-visually-hidden" }, `: review van ${review.course_name || review.course_id}`));
  change.addEventListener("click", () => {
    const prefix = `beheer-${review.review_id}`;
    if (document.getElementById(`${prefix}-formulier`)) return;
    const form = reviewForm({
      prefix, initial: review, submitLabel: "Aanpassing opslaan",
      onCancel: () => { form.remove(); change.focus(); },
      send: async (body) => {
        const saved = await patchReview(review.review_id, { rating: body.rating, text: body.text });
        item.replaceWith(card(saved));
        showOk(status, "De review is aangepast.");
      },
    });
    form.querySelector(".lr-checkbox")?.remove();  // whether the name shows is the author's choice
    item.append(form);
    form.querySelector("input")?.focus();
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

filter.addEventListener("submit", (event) => {
  event.preventDefault();
  courseId = filter.querySelector('[name="course_id"]').value.trim();
  load(null);
});

async function start() {
  gate = await adminGate(container, summary);
  if (!gate) return;
  filter.querySelector('[name="course_id"]').value = courseId;
  await load(null);
}

start();
