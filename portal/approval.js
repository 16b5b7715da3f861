// /akkoord/#<token>: the manager's decision page (R_ENR_06). Opening the page (GET) never decides;
// one of the two buttons sends the decision (POST), once.

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

function render(request) {
  const { employee, course } = request;
  const name = `${employee.first_name} ${employee.last_name}`;
  status.textContent = "";
  const details = dataList([
    ["Medewerker", name],
    ["Zakelijk e-mailadres", employee.email],
    ["Opleiding", el("a", { class: "nl-link", href: courseUrl(course.course_id) }, course.name)],
    ["Datum", dateRange(course.start, course.end)],
    ["Prijs", priceText(course.price_cents)],
  ], { id: "akkoord-gegevens", "aria-label": "De aanvraag" });
  if (request.decided) {
    heading.textContent = "Over deze aanvraag is al beslist";
    content.replaceChildren(details,
      alertBox("info", null, DECIDED[request.status] || "Er is al beslist over deze aanvraag."));
    return;
  }
  const approve = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action", id: "akkoord-ja" },
    "Akkoord geven");
  const reject = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", id: "akkoord-nee" },
    "Afwijzen");
  const outcome = el("div", { id: "akkoord-uitkomst" });
  const buttons = el("div", { class: "lr-actions", role: "group", "aria-label": "Uw beslissing" }, approve, reject);
  content.replaceChildren(
    el("p", { class: "nl-paragraph nl-paragraph--lead" },
      `${name} wil deze opleiding volgen en vraagt uw akkoord, omdat uw organisatie de kosten draagt.`),
    details,
    el("p", { class: "nl-paragraph" },
      "Geeft u akkoord, dan geven wij de inschrijving door aan de aanbieder. Wijst u af, dan vervalt de inschrijving "
      + `en komt de plaats vrij. ${employee.first_name} krijgt in beide gevallen bericht. U kunt één keer beslissen.`),
    buttons, outcome);

  const decide = async (decision, button) => {
    approve.disabled = true;
    reject.disabled = true;
    setBusy(button, true, "Bezig met versturen");
    let result;
    try {
      result = await api(`/approvals/${encodeURIComponent(token)}`, { method: "POST", body: { decision } });
    } catch (problem) {
      const known = linkProblem(problem);
      if (known) {
        buttons.remove();
        outcome.replaceChildren(alertBox(problem.status === 409 ? "info" : "warning", known[0], known[1]));
      } else {
        setBusy(button, false);
        approve.disabled = false;
        reject.disabled = false;
        outcome.replaceChildren(alertBox("error", "Uw beslissing is niet verstuurd", problem.message,
          "Probeer het opnieuw."));
      }
      focusOn(outcome.querySelector("h2"));
      return;
    }
    buttons.remove();
    const approved = result.status === "approved";
    outcome.replaceChildren(alertBox("ok", approved ? "U heeft akkoord gegeven" : "U heeft de aanvraag afgewezen",
      approved
        ? `${employee.first_name} krijgt hiervan bericht en de aanbieder ontvangt de inschrijving.`
        : `${employee.first_name} krijgt hiervan bericht. De plaats komt vrij.`,
      "U kunt dit venster sluiten."));
    focusOn(outcome.querySelector("h2"));
  };
  approve.addEventListener("click", () => decide("approve", approve));
  reject.addEventListener("click", () => decide("reject", reject));
}

load();
window.addEventListener("hashchange", () => window.location.reload());
