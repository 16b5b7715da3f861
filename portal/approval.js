// /akkoord/?keuze=akkoord|afwijzen#<token>: the manager's decision page (R_ENR_06). The mail's two links open
// it with that choice selected; opening the page (GET) never decides, since mail scanners open links. The
// manager sends the choice (POST, with the portal's CSRF header and Origin), once; rejecting asks first.

import { api, el } from "./api.js";
import { alertBox, courseUrl, dataList, dateRange, focusOn, priceText, setBusy } from "./catalogue-common.js";
import { loadFailed, readToken, showLinkProblem as showProblemOnPage } from "./link-page.js";

const heading = document.getElementById("akkoord-titel");
const status = document.getElementById("akkoord-status");
const content = document.getElementById("akkoord-inhoud");
const page = { heading, status, content };
const token = readToken();

const DECIDED = {
  approved: "U of een collega heeft al akkoord gegeven.",
  rejected: "De aanvraag is al afgewezen.",
  expired: "De aanvraag is vervallen, omdat er niet op tijd is beslist.",
  cancelled: "De medewerker heeft de inschrijving zelf geannuleerd.",
};

/** Messages for a link that cannot be used (403 invalid, 410 expired, 409 already decided). */
function linkProblem(problem) {
  if (problem.status === 410) {
    return ["Deze link is verlopen",
      "De termijn om te beslissen is voorbij, of de aanvraag bestaat niet meer. U hoeft niets te doen; "
      + "de medewerker heeft hierover bericht gekregen."];
  }
  if (problem.status === 403 || problem.status === 404 || problem.status === 400) {
    return ["Deze link is ongeldig",
      "Controleer of u de hele link uit de e-mail heeft gebruikt. Werkt het dan nog niet, vraag de medewerker "
      + "zich opnieuw in te schrijven."];
  }
  if (problem.status === 409) {
    return ["Over deze aanvraag is al beslist", "U kunt maar één keer beslissen. De medewerker heeft bericht gekregen."];
  }
  return null;
}

function showLinkProblem(title, text) {
  showProblemOnPage(page, title, text,
    el("p", { class: "nl-paragraph" }, "Vragen? Mail Centraal Functioneel Beheer Leer-Rijk via het adres onderaan deze pagina."));
}

async function load() {
  if (!token) {
    showLinkProblem(...linkProblem({ status: 403 }));
    return;
  }
  let request;
  try {
    request = await api(`/approvals/${encodeURIComponent(token)}`);
  } catch (problem) {
    const known = linkProblem(problem);
    if (known) showLinkProblem(...known);
    else loadFailed(page, "De aanvraag kan niet worden geladen", problem, load);
    return;
  }
  render(request);
}

const CHOICES = { akkoord: "approve", afwijzen: "reject" };

/** The choice the mail's link carries (?keuze=akkoord|afwijzen): selected, never sent (R_ENR_06). */
function linkedChoice() {
  const choice = new URLSearchParams(window.location.search).get("keuze");
  return Object.hasOwn(CHOICES, choice || "") ? choice : null;
}

function choiceField(value, label, hint, checked) {
  const id = `akkoord-keuze-${value}`;
  return el("div", { class: "utrecht-form-field utrecht-form-field--radio lr-choice" },
    el("input", { class: "utrecht-radio-button utrecht-radio-button--html-input", type: "radio", name: "keuze", id,
      value, checked, "aria-describedby": `${id}-uitleg` }),
    el("label", { class: "utrecht-form-label utrecht-form-label--radio", for: id }, label),
    el("p", { class: "utrecht-form-field-description lr-choice__hint", id: `${id}-uitleg` }, hint));
}

function render(request) {
  const { employee, course } = request;
  const name = `${employee.first_name} ${employee.last_name}`;
  status.textContent = "";
  const details = dataList([
    ["Medewerker", name],
    ["Zakelijk e-mailadres", employee.email],
    ["Opleiding", el("a", { class: "nl-link", href: courseUrl(course.course_id) }, course.name)],
    ["Datum", dateRange(course.start, course.end)],
    ["Plaats", course.place === "online" ? "Online" : course.place],
    ["Prijs", priceText(course.price_cents)],
  ], { id: "akkoord-gegevens", "aria-label": "De aanvraag" });
  if (request.decided) {
    heading.textContent = "Over deze aanvraag is al beslist";
    content.replaceChildren(details,
      alertBox("info", null, DECIDED[request.status] || "Er is al beslist over deze aanvraag."));
    return;
  }
  const chosen = linkedChoice();
  const problem = el("p", { class: "utrecht-form-field-error-message", id: "akkoord-keuze-fout", hidden: true },
    "Kies: akkoord geven of afwijzen.");
  const send = el("button", { type: "submit", class: "utrecht-button utrecht-button--primary-action", id: "akkoord-versturen" },
    "Beslissing versturen");
  const confirmation = el("div", { id: "akkoord-bevestigen" });
  const outcome = el("div", { id: "akkoord-uitkomst" });
  const form = el("form", { class: "lr-form", id: "akkoord-formulier", novalidate: true },
    el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset",
      "aria-describedby": "akkoord-keuze-fout" },
    el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Uw beslissing"),
    problem,
    el("div", { class: "lr-choices" },
      choiceField("akkoord", "Akkoord geven", "Wij geven de inschrijving door aan de aanbieder.", chosen === "akkoord"),
      choiceField("afwijzen", "Afwijzen",
        `De inschrijving vervalt en de plaats komt vrij. ${employee.first_name} krijgt hiervan bericht.`,
        chosen === "afwijzen"))),
    el("div", { class: "lr-actions" }, send));
  content.replaceChildren(
    el("p", { class: "nl-paragraph nl-paragraph--lead" },
      `${name} wil deze opleiding volgen en vraagt uw akkoord, omdat uw organisatie de kosten draagt.`),
    details,
    el("p", { class: "nl-paragraph", id: "akkoord-uitleg" },
      chosen ? "Uw keuze uit de e-mail staat al aangevinkt. Er is nog niets beslist: dat gebeurt pas als u uw keuze "
        + "verstuurt. U kunt één keer beslissen."
        : `${employee.first_name} krijgt in beide gevallen bericht. U kunt één keer beslissen.`),
    form, confirmation, outcome);

  const decide = async (decision, button) => {
    setBusy(button, true, "Bezig met versturen");
    let result;
    try {
      result = await api(`/approvals/${encodeURIComponent(token)}`, { method: "POST", body: { decision } });
    } catch (problemFound) {
      const known = linkProblem(problemFound);
      confirmation.replaceChildren();
      if (known) {
        form.remove();
        outcome.replaceChildren(alertBox(problemFound.status === 409 ? "info" : "warning", known[0], known[1]));
      } else {
        setBusy(button, false);
        send.disabled = false;
        outcome.replaceChildren(alertBox("error", "Uw beslissing is niet verstuurd", problemFound.message,
          "Probeer het opnieuw."));
      }
      focusOn(outcome.querySelector("h2"));
      return;
    }
    form.remove();
    confirmation.replaceChildren();
    const approved = result.status === "approved";
    outcome.replaceChildren(alertBox("ok", approved ? "U heeft akkoord gegeven" : "U heeft de aanvraag afgewezen",
      approved
        ? `${employee.first_name} krijgt hiervan bericht en de aanbieder ontvangt de inschrijving.`
        : `${employee.first_name} krijgt hiervan bericht. De plaats komt vrij.`,
      "U kunt dit venster sluiten."));
    focusOn(outcome.querySelector("h2"));
  };

  // Rejecting cannot be undone: a second press, naming what happens, confirms it (issue 28).
  const confirmRejection = () => {
    send.disabled = true;
    const yes = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action", id: "akkoord-ja-afwijzen" },
      "Ja, afwijzen");
    const back = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Nee, terug");
    const question = el("p", { class: "nl-paragraph", id: "akkoord-vraag" },
      `Weet u zeker dat u de aanvraag van ${name} wilt afwijzen? De inschrijving voor ${course.name} vervalt, de plaats `
      + `komt vrij en ${employee.first_name} krijgt hiervan bericht. Dit kunt u niet ongedaan maken.`);
    confirmation.replaceChildren(alertBox("warning", "Aanvraag afwijzen?", question, el("div", { class: "lr-actions" }, yes, back)));
    yes.addEventListener("click", () => decide("reject", yes));
    back.addEventListener("click", () => {
      confirmation.replaceChildren();
      send.disabled = false;
      send.focus();
    });
    focusOn(confirmation.querySelector("h2"));
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    outcome.replaceChildren();
    const picked = form.querySelector('input[name="keuze"]:checked');
    problem.hidden = Boolean(picked);
    if (!picked) {
      form.querySelector('input[name="keuze"]').focus();
      return;
    }
    if (CHOICES[picked.value] === "reject") confirmRejection();
    else decide("approve", send);
  });
  form.addEventListener("change", () => {
    problem.hidden = true;
    confirmation.replaceChildren();
    send.disabled = false;
  });
}

load();
window.addEventListener("hashchange", () => window.location.reload());
