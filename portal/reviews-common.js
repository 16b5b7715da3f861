// Reviews (R_REV_01-04), shared by the course page, "Mijn reviews" and the beheer pages.
// Review texts are inserted as text through `el()`; line breaks show through CSS (lr-prewrap).

import { api, clearProblems, dutchDate, el, showProblem } from "./api.js";
import { setBusy } from "./catalogue-common.js";

const RATING_WORDS = { 1: "slecht", 2: "matig", 3: "redelijk", 4: "goed", 5: "uitstekend" };
export const MAX_TEXT = 2000;
const ANONYMITY_THRESHOLD = 3;

/** A review's date: the day, or for an anonymous review read by anyone but its author only the month
 * ("2026-12"), because the day would point to the run its author followed (R_REV_03). */
export function reviewDate(value) {
  if (/^\d{4}-\d{2}$/.test(value || "")) return dutchDate(`${value}-01`).replace(/^1 /, "");
  return dutchDate(value);
}

/** What the list under the summary says: how many are shown, and why anonymous ones wait (R_REV_03). */
export function reviewsStatus(shown, total, withheld) {
  const waiting = withheld
    ? ` Anonieme reviews leest u als beheerder pas als de opleiding minstens ${ANONYMITY_THRESHOLD} reviews heeft; `
      + "tot dan ziet u alleen de samenvatting."
    : "";
  if (shown) return `${shown} van ${total} ${total === 1 ? "review" : "reviews"} getoond.${waiting}`;
  return total ? `Er zijn hier geen reviews te lezen.${waiting}` : "Er zijn nog geen reviews geschreven.";
}

/** "4,2 van 5 (12 beoordelingen)" or "Nog geen beoordelingen". */
export function ratingText(summary) {
  if (!summary || !summary.count) return "Nog geen beoordelingen";
  const count = summary.count === 1 ? "1 beoordeling" : `${summary.count} beoordelingen`;
  return `${String(summary.average).replace(".", ",")} van 5 (${count})`;
}

function stars(rating) {
  return `${rating} van 5 (${RATING_WORDS[rating] || ""})`;
}

/** The summary everyone sees: average, count and how many of each rating. */
export function summaryBlock(summary, id = "review-samenvatting") {
  const total = summary?.count || 0;
  const rows = [5, 4, 3, 2, 1].map((rating) => {
    const count = summary?.distribution?.[String(rating)] || 0;
    return el("li", { class: "utrecht-unordered-list__item lr-review-bar" },
      el("span", { class: "lr-review-bar__label" }, `${rating} van 5`),
      el("meter", { class: "lr-review-bar__meter", min: "0", max: String(Math.max(total, 1)), value: String(count),
        "aria-label": `${rating} van 5` }),
      el("span", { class: "lr-review-bar__count" }, count === 1 ? "1 keer" : `${count} keer`));
  });
  return el("div", { class: "lr-review-summary", id },
    el("p", { class: "nl-paragraph nl-paragraph--lead", id: `${id}-tekst` }, ratingText(summary)),
    total ? el("ul", { class: "utrecht-unordered-list lr-review-bars", "aria-label": "Verdeling van de beoordelingen" }, rows)
      : null);
}

/** One review as a list item. `author` is only in answers that may show it (named reviews). */
export function reviewItem(review, { extra = [], heading = "h3" } = {}) {
  const who = review.author ? `${review.author.first_name} ${review.author.last_name}` : "Anonieme deelnemer";
  return el("li", { class: "lr-review", "data-review": review.review_id, id: `review-${review.review_id}` },
    el(heading, { class: "nl-heading nl-heading--level-3 lr-review__rating" }, stars(review.rating)),
    review.course_name ? el("p", { class: "nl-paragraph lr-review__course" }, review.course_name) : null,
    el("p", { class: "nl-paragraph lr-review__meta" },
      `${who}, ${reviewDate(review.created_at)}${review.edited ? ` (gewijzigd ${reviewDate(review.updated_at)})` : ""}`),
    review.text ? el("p", { class: "nl-paragraph lr-prewrap lr-review__text" }, review.text) : null,
    ...extra);
}

/**
 * The review form: rating (1-5), text, "show my name". `send(body)` performs the request; errors
 * from the API show in the summary and beside each field (R_UI_02). With `moderation` it is CFB's form:
 * the text only, since the stars and the choice to show a name are the author's (R_REV_04).
 */
export function reviewForm({ prefix, initial = {}, submitLabel, send, onCancel, moderation = false }) {
  const summary = el("div", { class: "lr-error-summary", role: "alert", tabindex: "-1", hidden: true, id: `${prefix}-fouten` });
  const submit = el("button", { type: "submit", class: "utrecht-button utrecht-button--primary-action utrecht-button--submit" },
    submitLabel);
  const textId = `${prefix}-text`;
  const counterId = `${prefix}-text-teller`;
  const text = el("textarea", {
    class: "utrecht-textarea utrecht-textarea--html-textarea", id: textId, name: "text", rows: "6", required: true,
    maxlength: String(MAX_TEXT), "aria-describedby": `${prefix}-text-uitleg ${counterId}`,
  });
  text.value = initial.text || "";
  const counter = el("p", { class: "utrecht-form-field-description lr-field-note", id: counterId, "aria-live": "polite" });
  const updateCounter = () => { counter.textContent = `${text.value.length} van ${MAX_TEXT} tekens`; };
  text.addEventListener("input", updateCounter);
  updateCounter();
  const ratingChoices = [1, 2, 3, 4, 5].map((rating) =>
    el("div", { class: "utrecht-form-field utrecht-form-field--radio lr-choice" },
      el("input", { class: "utrecht-radio-button utrecht-radio-button--html-input", type: "radio", name: "rating",
        id: `${prefix}-rating-${rating}`, value: String(rating), checked: Number(initial.rating) === rating }),
      el("label", { class: "utrecht-form-label utrecht-form-label--radio", for: `${prefix}-rating-${rating}` },
        `${rating} (${RATING_WORDS[rating]})`)));
  const named = el("input", { class: "utrecht-checkbox utrecht-checkbox--html-input", type: "checkbox", id: `${prefix}-named`,
    name: "named", value: "true", checked: Boolean(initial.named), "aria-describedby": `${prefix}-named-uitleg` });
  const textField = moderation
    ? el("div", { class: "utrecht-form-field" },
      el("label", { class: "utrecht-form-label", for: textId }, "Tekst van de review (moderatie door CFB)"),
      el("p", { class: "utrecht-form-field-description", id: `${prefix}-text-uitleg` },
        "U past alleen de tekst aan, bijvoorbeeld om persoonsgegevens of beledigingen te verwijderen. De sterren en de "
        + "keuze om de naam te tonen blijven van de schrijver."),
      text, counter)
    : el("div", { class: "utrecht-form-field" },
      el("label", { class: "utrecht-form-label", for: textId }, "Uw ervaring"),
      el("p", { class: "utrecht-form-field-description", id: `${prefix}-text-uitleg` },
        "Wat vond u van de inhoud, de trainer en de organisatie? Schrijf geen namen of andere persoonsgegevens van anderen."),
      text, counter);
  const form = el("form", { class: "lr-form lr-review-form", id: `${prefix}-formulier`, novalidate: true,
    "aria-label": moderation ? "Tekst modereren" : null },
    summary,
    moderation ? null : el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
      el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" },
        "Uw beoordeling (1 is slecht, 5 is uitstekend)"),
      el("div", { class: "lr-choices" }, ratingChoices)),
    textField,
    moderation ? null : el("div", { class: "utrecht-form-field utrecht-form-field--checkbox lr-checkbox" },
      named,
      el("label", { class: "utrecht-form-label utrecht-form-label--checkbox", for: `${prefix}-named` },
        "Toon mijn voor- en achternaam bij deze review"),
      el("p", { class: "utrecht-form-field-description", id: `${prefix}-named-uitleg` },
        "Zonder vinkje is uw review anoniem: niemand ziet dan wie hem schreef. Met vinkje zien alleen ingelogde "
        + "Rijksmedewerkers uw naam; de aanbieder nooit.")),
    el("div", { class: "lr-actions" }, submit,
      onCancel ? el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", onclick: onCancel },
        "Annuleren") : null));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(summary, form);
    const chosen = form.querySelector('input[name="rating"]:checked');
    const fields = {};
    if (!chosen && !moderation) fields.rating = "Kies een beoordeling van 1 tot en met 5.";
    if (!text.value.trim()) fields.text = moderation ? "Laat een tekst staan, of verwijder de review."
      : "Schrijf kort wat u van de opleiding vond.";
    if (Object.keys(fields).length) {
      focusFirst(summary, form, { message: "Niet alle velden zijn goed ingevuld.", fields });
      return;
    }
    setBusy(submit, true, "Bezig met versturen");
    try {
      await send(moderation ? { text: text.value } : { rating: Number(chosen.value), text: text.value, named: named.checked });
    } catch (problem) {
      focusFirst(summary, form, problem);
    } finally {
      setBusy(submit, false);
    }
  });
  return form;
}

function focusFirst(summary, form, problem) {
  // the rating's error belongs to the first radio button
  const fields = { ...(problem.fields || {}) };
  showProblem(summary, { message: problem.message, fields }, form);
}

/** Change a review (author or CFB). */
export function patchReview(reviewId, body) {
  return api(`/reviews/${encodeURIComponent(reviewId)}`, { method: "PATCH", body });
}

/** Delete a review (author or CFB). */
export function deleteReview(reviewId) {
  return api(`/reviews/${encodeURIComponent(reviewId)}`, { method: "DELETE" });
}

/** A delete button that asks for confirmation inline (no dialog: one more press confirms). */
export function deleteControl(review, { label, onDeleted, status }) {
  const holder = el("div", { class: "lr-actions" });
  const start = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    label, el("span", { class: "lr-visually-hidden" }, `: ${stars(review.rating)}, ${reviewDate(review.created_at)}`));
  start.addEventListener("click", () => {
    const confirm = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action" },
      "Ja, verwijder deze review");
    const back = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Nee, bewaren");
    const question = el("p", { class: "nl-paragraph", tabindex: "-1" }, "Weet u zeker dat u deze review wilt verwijderen? "
      + "Dit kan niet ongedaan worden gemaakt.");
    holder.replaceChildren(question, confirm, back);
    question.focus();
    back.addEventListener("click", () => { holder.replaceChildren(start); start.focus(); });
    confirm.addEventListener("click", async () => {
      setBusy(confirm, true, "Bezig met verwijderen");
      try {
        await deleteReview(review.review_id);
        onDeleted();
      } catch (problem) {
        setBusy(confirm, false);
        status.textContent = problem.message;
      }
    });
  });
  holder.append(start);
  return holder;
}
