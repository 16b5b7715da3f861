// /mijn-reviews/: the author's own reviews (R_REV_04): change (rating, text, name shown or not) or delete.

import { loginUrl } from "./account-common.js";
import { announce, api, el } from "./api.js";
import { alertBox, courseUrl, focusOn } from "./catalogue-common.js";
import { deleteControl, patchReview, reviewForm, reviewItem } from "./reviews-common.js";

const heading = document.getElementById("mijn-reviews-titel");
const status = document.getElementById("mijn-reviews-status");
const notice = document.getElementById("mijn-reviews-melding");
const list = document.getElementById("mijn-reviews-lijst");

let reviews = [];

async function load() {
  let data;
  try {
    data = await api("/me/reviews");
  } catch (problem) {
    status.textContent = "";
    if (problem.status === 401 || problem.status === 403) {
      notice.replaceChildren(alertBox("info", "U bent niet ingelogd",
        el("p", { class: "nl-paragraph" }, "Log in om uw reviews te zien. ",
          el("a", { class: "nl-link", href: loginUrl() }, "Inloggen"))));
    } else {
      const retry = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Opnieuw proberen");
      retry.addEventListener("click", () => { notice.replaceChildren(); load(); });
      notice.replaceChildren(alertBox("error", "Uw reviews kunnen niet worden geladen", problem.message, retry));
    }
    return;
  }
  reviews = data.items || [];
  render();
  announce(status, countText());
}

function countText() {
  if (!reviews.length) return "U hebt geen reviews geschreven.";
  return reviews.length === 1 ? "U hebt 1 review geschreven." : `U hebt ${reviews.length} reviews geschreven.`;
}

function render() {
  list.replaceChildren(...reviews.map(card));
  if (!reviews.length) {
    notice.replaceChildren(el("p", { class: "nl-paragraph", id: "mijn-reviews-leeg" },
      "Na afloop van een opleiding die u hebt gevolgd, kunt u op de pagina van die opleiding een review schrijven. ",
      el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Mijn inschrijvingen"), "."));
  }
}

function card(review) {
  const item = reviewItem(review, { heading: "h2" });
  item.querySelector(".lr-review__course")?.replaceChildren(
    el("a", { class: "nl-link", href: `${courseUrl(review.course_id)}#review` }, review.course_name || "De opleiding"));
  item.append(el("p", { class: "nl-paragraph lr-field-note" },
    review.named ? "Uw naam staat bij deze review (alleen zichtbaar voor ingelogde medewerkers)."
      : "Deze review is anoniem."));
  const actions = el("div", { class: "lr-actions" });
  const change = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    "Wijzigen", el("span", { class: "lr-visually-hidden" }, `: review van ${review.course_name || "de opleiding"}`));
  change.addEventListener("click", () => openEdit(review, item, change));
  actions.append(change, deleteControl(review, {
    label: "Verwijderen", status,
    onDeleted: () => {
      reviews = reviews.filter((r) => r.review_id !== review.review_id);
      render();
      announce(status, `Uw review is verwijderd. ${countText()}`);
      focusOn(heading);
    },
  }));
  item.append(actions);
  return item;
}

function openEdit(review, item, opener) {
  const prefix = `wijzig-${review.review_id}`;
  if (document.getElementById(`${prefix}-formulier`)) return;
  const form = reviewForm({
    prefix, initial: review, submitLabel: "Wijziging opslaan",
    onCancel: () => { form.remove(); opener.focus(); },
    send: async (body) => {
      const saved = await patchReview(review.review_id, body);
      reviews = reviews.map((r) => (r.review_id === saved.review_id ? saved : r));
      render();
      announce(status, "Uw review is gewijzigd.");
      focusOn(document.getElementById(`review-${saved.review_id}`));
    },
  });
  item.append(form);
  focusOn(form.querySelector("input[name=rating]:checked") || form.querySelector("input"));
}

load();
