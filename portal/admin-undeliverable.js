// /beheer/onbestelbaar/ (CFB): mail about enrolments that could not be delivered, newest first, with the
// cause as the e-mail service reported it (R_SEC_03). No address is ever shown: the API holds none.

import { el } from "./api.js";
import { dutchDateTime } from "./account-common.js";
import { adminGate, pagedList, table } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const list = document.getElementById("onbestelbaar");
const more = document.getElementById("meer");
const MAILS = {
  enrolment_received: "Bevestiging aan de medewerker",
  approval_request: "Verzoek om akkoord aan de leidinggevende",
  supplier_enrolment: "Inschrijving aan de aanbieder",
  supplier_cancellation: "Annulering aan de aanbieder",
  enrolment_decided: "Besluit aan de medewerker",
  approval_expired: "Vervallen aanvraag aan de medewerker",
  enrolment_cancelled: "Annulering aan de medewerker",
  manager_cancellation: "Annulering aan de leidinggevende",
  execution_cancelled: "Uitvoering gaat niet door, aan de medewerker",
  waiting_joined: "Op de wachtlijst, aan de medewerker",
  waiting_moved_up: "Doorgeschoven van de wachtlijst, aan de medewerker",
  waiting_offer: "Plaats aangeboden van de wachtlijst, aan de medewerker",
  waiting_offer_expired: "Aanbod van de wachtlijst verlopen, aan de medewerker",
  waiting_skipped: "Van de wachtlijst gehaald, aan de medewerker",
  waiting_closed: "Wachtlijst gesloten, aan de medewerker",
  waiting_changed: "Wijziging van de opleiding, aan wie op de wachtlijst staat",
  execution_changed: "Wijziging van de opleiding, aan de medewerker",
  approval_changed: "Wijziging van de opleiding, aan de leidinggevende",
  approval_reminder: "Herinnering om akkoord, aan de leidinggevende",
  approval_expired_manager: "Vervallen aanvraag aan de leidinggevende",
  course_reminder: "Herinnering voor de start, aan de medewerker",
};
const CAUSES = {
  MessageRejected: "Het bericht is geweigerd",
  MailFromDomainNotVerifiedException: "Het afzenderdomein is niet geverifieerd",
  AccountSuspendedException: "Het verzendaccount is opgeschort",
  SendingPausedException: "Verzenden is gepauzeerd",
  TooManyRequestsException: "Te veel verzoeken; na alle pogingen opgegeven",
};

function cause(code) {
  const known = CAUSES[code];
  return known ? `${known} (${code})` : `Foutcode ${code || "onbekend"}`;
}

function show(rows) {
  if (!rows.length) {
    list.replaceChildren(el("p", { class: "nl-paragraph" }, "Er is geen onbestelbare e-mail."));
  } else {
    list.replaceChildren(table("Onbestelbare e-mail, nieuwste eerst",
      ["Datum", "E-mail", "Inschrijving", "Oorzaak", "Pogingen"],
      rows.map((item) => [dutchDateTime(item.failed_at), MAILS[item.mail] || item.mail, item.enrolment_id || "-",
        cause(item.error_code), String(item.attempts)])));
  }
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  await pagedList("/admin/undeliverable?limit=50", more, show, summary);
}

start();
