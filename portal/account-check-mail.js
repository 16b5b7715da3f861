// /inloggen/controleer-uw-mail/: name the address the link went to (from this tab, once), so a typo shows.

import { takeLinkRequest } from "./account-common.js";

const message = document.getElementById("verstuurd");
const request = takeLinkRequest();
if (request?.email) {
  const what = request.purpose === "aanmelden" ? "om uw account aan te maken" : "om in te loggen";
  message.textContent = `Als ${request.email} bij Leer-Rijk kan worden gebruikt, ontvangt u op dat adres binnen `
    + `enkele minuten een e-mail met een link ${what}.`;
}
