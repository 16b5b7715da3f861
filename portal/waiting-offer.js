// /wachtlijst/#<token>: a seat offered from the waiting list (R_WAIT_03). Opening the page (GET) never
// decides (mail scanners open links); one of the two buttons sends the choice (POST), once.

import { api, dutchDate, el, euro } from "./api.js";
import { alertBox, courseUrl, dataList, dateRange, focusOn, priceText, setBusy } from "./catalogue-common.js";
import { loadFailed, readToken, showLinkProblem as showProblemOnPage } from "./link-page.js";

const heading = document.getElementById("aanbod-titel");
const status = document.getElementById("aanbod-status");
const content = document.getElementById("aanbod-inhoud");
const page = { heading, status, content };
const token = readToken();

/** Messages for a link that cannot be used (403 invalid, 410 expired or already answered). */
function linkProblem(problem) {
  if (problem.status === 410) {
    return problem.code === "link_expired"
      ? ["Dit aanbod is verlopen", "De 24 uur om de plaats aan te nemen zijn voorbij, of de inschrijving is gesloten. "
        + "De plaats is naar de volgende op de wachtlijst gegaan. U krijgt hierover ook een e-mail."]
      : ["Dit aanbod geldt niet meer", "U heeft al gekozen, of u staat niet meer op de wachtlijst. "
        + "Kijk bij Mijn inschrijvingen wat de stand is."];
  }
  if (problem.status === 403 || problem.status === 404 || problem.status === 400) {
    return ["Deze link is ongeldig", "Controleer of u de hele link uit de e-mail heeft gebruikt. "
      + "U kunt ook inloggen en kiezen bij Mijn inschrijvingen."];
  }
  if (problem.status === 409) {
    return ["Dit aanbod is intussen gewijzigd", "Kijk bij Mijn inschrijvingen wat de stand is."];
  }
  return null;
}

function showLinkProblem(title, text) {
  showProblemOnPage(page, title, text,
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Naar mijn inschrijvingen")));
}

async function load() {
  if (!token) {
    showLinkProblem(...linkProblem({ status: 403 }));
    return;
  }
  let offer;
  try {
    offer = await api(`/offers/${encodeURIComponent(token)}`);
  } catch (problem) {
    const known = linkProblem(problem);
    if (known) showLinkProblem(...known);
    else loadFailed(page, "Het aanbod kan niet worden geladen", problem, load);
    return;
  }
  render(offer);
}

function until(iso) {
  const moment = new Date(iso);
  const time = moment.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" });
  return `${dutchDate(moment.toLocaleDateString("sv-SE", { timeZone: "Europe/Amsterdam" }))} om ${time} uur`;
}

function render(offer) {
  const { course } = offer;
  const penalty = euro(offer.late_terms.penalty_cents);
  status.textContent = "";
  heading.textContent = `Een plaats voor u: ${course.name}`;
  document.title = `Een plaats voor u | Leer-Rijk`;
  const accept = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action", id: "aanbod-ja" },
    "Plaats aannemen");
  const decline = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action", id: "aanbod-nee" },
    "Plaats afslaan");
  const outcome = el("div", { id: "aanbod-uitkomst" });
  const buttons = el("div", { class: "lr-actions", role: "group", "aria-label": "Uw keuze" }, accept, decline);
  content.replaceChildren(
    el("p", { class: "nl-paragraph nl-paragraph--lead" },
      `Beste ${offer.form.first_name}, er is een plaats vrijgekomen. U bent de eerste op de wachtlijst.`),
    dataList([
      ["Opleiding", el("a", { class: "nl-link", href: courseUrl(course.course_id) }, course.name)],
      ["Datum", dateRange(course.start, course.end)],
      ["Plaats", course.place === "online" ? "Online" : course.place],
      ["Prijs", priceText(course.price_cents)],
      ["Wij houden de plaats vast tot", until(offer.offer_expires_at)],
    ], { id: "aanbod-gegevens", "aria-label": "Het aanbod" }),
    el("p", { class: "nl-paragraph lr-cost-notice", id: "aanbod-voorwaarden" },
      el("strong", {}, "Let op: "),
      `de termijn om kosteloos te annuleren was tot en met ${dutchDate(offer.late_terms.last_free_day)}. `
      + `Neemt u de plaats aan en annuleert u daarna, dan kost dat ${penalty}; `
      + "dat bedrag komt op de bestellijst van uw organisatie."
      + (offer.manager_email ? " Uw leidinggevende krijgt een verzoek om akkoord." : "")),
    el("p", { class: "nl-paragraph" }, "Slaat u de plaats af, dan gaat zij naar de volgende op de wachtlijst en staat u "
      + "er zelf niet meer op. U kunt één keer kiezen."),
    buttons, outcome);

  const decide = async (decision, button) => {
    accept.disabled = true;
    decline.disabled = true;
    setBusy(button, true, "Bezig met versturen");
    let result;
    try {
      result = await api(`/offers/${encodeURIComponent(token)}`, { method: "POST", body: { decision } });
    } catch (problem) {
      const known = linkProblem(problem);
      if (known) {
        buttons.remove();
        outcome.replaceChildren(alertBox("info", known[0], known[1]));
      } else {
        setBusy(button, false);
        accept.disabled = false;
        decline.disabled = false;
        outcome.replaceChildren(alertBox("error", "Uw keuze is niet verstuurd", problem.message, "Probeer het opnieuw."));
      }
      focusOn(outcome.querySelector("h2"));
      return;
    }
    buttons.remove();
    const accepted = result.outcome === "enrolled";
    const pending = result.status === "pending_approval";
    outcome.replaceChildren(alertBox("ok", accepted ? "U heeft de plaats aangenomen" : "U heeft de plaats afgeslagen",
      accepted
        ? (pending ? "Uw leidinggevende krijgt een verzoek om akkoord. Tot die beslist, houden wij de plaats voor u vast."
          : "U bent ingeschreven. De aanbieder krijgt uw inschrijving.")
        : "De plaats gaat naar de volgende op de wachtlijst.",
      el("p", { class: "nl-paragraph", id: "aanbod-status-na" }, "Status: ",
        el("strong", {}, accepted ? (pending ? "Wacht op akkoord van uw leidinggevende" : "ingeschreven") : "afgeslagen")),
      el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Naar mijn inschrijvingen"))));
    focusOn(outcome.querySelector("h2"));
  };
  accept.addEventListener("click", () => decide("accept", accept));
  decline.addEventListener("click", () => decide("decline", decline));
}

load();
window.addEventListener("hashchange", () => window.location.reload());
