// /beheer/edudex/ (CFB): the EDU-DEX directory connections with their status, last sync, cursor and errors,
// the directory suppliers with held programs (R_DEX_01-03), and a new connection. ?org=<orgUnitId> lists the
// programs held for one directory supplier.

import { api, el, plural } from "./api.js";
import { checkRequired, clear, dutchDateTime, formValues, report, showOk, whileBusy } from "./account-common.js";
import { adminGate, dataList, pagedList, table } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const heldFor = new URLSearchParams(window.location.search).get("org");
const OUTCOMES = {
  done: "Gelukt",
  resume: "Gaat verder bij de volgende run (tijdslimiet bereikt)",
  failed: "Afgebroken; wordt binnen een minuut hervat",
  invalid_answer: "EDU-DEX gaf een ongeldig antwoord; niets overgenomen",
  unavailable: "EDU-DEX was niet bereikbaar",
};
const COUNTS = {
  stored: "bijgewerkt", withdrawn: "ingetrokken", held: "vastgehouden", rejected: "afgewezen",
  unchanged: "al bijgewerkt", stale: "ouder dan de eigen upload", absent: "al weg", failed: "niet op te halen",
};
const ERRORS = {
  invalid_answer: "Ongeldig antwoord van EDU-DEX",
  unavailable: "EDU-DEX niet bereikbaar",
  program_unavailable: "Programma niet op te halen",
  edudex_invalid: "Programma is geen geldig EDU-DEX-document",
  not_your_program: "Programma hoort bij een andere leverancier",
  stale_program: "Er is een nieuwere versie opgeslagen",
};
const HELD_BECAUSE = {
  unmapped: "Niet gekoppeld aan een leverancier",
  terms: "Voorwaarden niet geaccepteerd",
};
const REQUIRED = {
  connection_id: "Vul een id in.", name: "Vul de naam in.", base_url: "Vul het adres van de Data API in.",
  org_unit_id: "Vul de orgUnitId van Leer-Rijk in.", catalog_id: "Vul het id van de catalogus in.",
  catalog_kind: "Kies de soort catalogus.",
};

function counts(values) {
  const parts = Object.entries(values || {}).map(([name, count]) => `${count} ${COUNTS[name] || name}`);
  return parts.length ? parts.join(", ") : "Geen wijzigingen";
}

function connectionSection(connection) {
  const heading = el("h3", { class: "nl-heading nl-heading--level-3", id: `koppeling-${connection.connection_id}` },
    connection.name);
  const facts = dataList([
    ["Status", connection.running ? "Synchroniseert nu"
      : OUTCOMES[connection.last_outcome] || (connection.last_sync_at ? connection.last_outcome : "Nog niet gesynchroniseerd")],
    ["Laatste synchronisatie", connection.last_sync_at ? dutchDateTime(connection.last_sync_at) : "Nog niet"],
    ["Resultaat", counts(connection.last_counts)],
    ["Cursor", connection.cursor
      ? `${dutchDateTime(connection.cursor.last_change)} (${connection.cursor.program})` : "Nog geen: de eerste synchronisatie leest de hele catalogus"],
    ["Gevraagd", connection.sync_requested ? "Ja, start binnen een minuut" : "Nee"],
    ["Webhook", connection.webhook_registered ? "Geregistreerd" : "Niet geregistreerd (python -m tools.directory register-webhook)"],
    ["Data API", connection.base_url],
    ["Catalogus", `${connection.catalog_kind === "static" ? "Vast" : "Dynamisch"}, ${connection.catalog_id}`],
    ["orgUnitId van Leer-Rijk", connection.org_unit_id],
    ["Toegangssleutel in SSM", connection.token_parameter],
  ]);
  const errors = connection.errors.length
    ? table(`Laatste fouten van ${connection.name}, nieuwste eerst`, ["Datum", "Fout", "Programma"],
      connection.errors.map((e) => [dutchDateTime(e.at), ERRORS[e.code] || e.code, e.program || "-"]))
    : el("p", { class: "nl-paragraph" }, "Geen fouten.");
  const button = el("button", { class: "utrecht-button utrecht-button--secondary-action", type: "button",
    "aria-describedby": heading.id }, "Nu synchroniseren");
  button.addEventListener("click", async () => {
    clear(summary);
    try {
      const answer = await whileBusy(button, () => api(
        `/admin/directory/connections/${encodeURIComponent(connection.connection_id)}/sync`, { method: "POST" }));
      showOk(status, answer.message);
    } catch (problem) {
      report(summary, problem);
    }
  });
  return el("section", { class: "lr-section", "aria-labelledby": heading.id }, heading, facts, errors,
    el("div", { class: "lr-actions" }, button));
}

function supplierRows(suppliers) {
  return suppliers.map((s) => [
    s.org_unit_id,
    s.supplier_id
      ? el("a", { class: "nl-link", href: `/beheer/leveranciers/?id=${encodeURIComponent(s.supplier_id)}` }, s.supplier_id)
      : "Niet gekoppeld",
    s.held
      ? el("a", { class: "nl-link", href: `?org=${encodeURIComponent(s.org_unit_id)}` }, plural(s.held, "programma", "programma's"))
      : "Geen",
    s.publishing ? "Wordt gepubliceerd" : (s.held_because ? HELD_BECAUSE[s.held_because] : "Toegelaten"),
  ]);
}

async function showOverview() {
  const form = document.getElementById("nieuw-formulier");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(summary, form);
    if (!checkRequired(summary, form, REQUIRED)) return;
    try {
      const made = await whileBusy(form.querySelector("[type=submit]"),
        () => api("/admin/directory/connections", { method: "POST", body: formValues(form) }));
      form.reset();
      showOk(status, `De koppeling ${made.name} is toegevoegd. Zet de toegangssleutel in SSM onder `
        + `${made.token_parameter} en registreer de webhook; de eerste synchronisatie volgt binnen het uur.`);
      await render();
    } catch (problem) {
      report(summary, problem, form);
    }
  });
  await render();
  document.getElementById("overzicht").hidden = false;
}

async function render() {
  const { connections, suppliers } = await api("/admin/directory");
  document.getElementById("koppelingen").replaceChildren(...(connections.length ? connections.map(connectionSection)
    : [el("p", { class: "nl-paragraph" }, "Er is nog geen koppeling met EDU-DEX.")]));
  document.getElementById("edudex-leveranciers").replaceChildren(suppliers.length
    ? table("Leveranciers zoals EDU-DEX ze kent", ["orgUnitId", "Leer-Rijk-leverancier", "Vastgehouden", "Stand"],
      supplierRows(suppliers))
    : el("p", { class: "nl-paragraph" }, "EDU-DEX heeft nog geen leveranciers geleverd."));
}

async function showHeld() {
  document.getElementById("vastgehouden").hidden = false;
  document.getElementById("titel").textContent = `Beheer: EDU-DEX, ${heldFor}`;
  document.title = `Beheer: EDU-DEX, ${heldFor} | Leer-Rijk`;
  const list = document.getElementById("programmas");
  const show = (rows) => list.replaceChildren(rows.length
    ? table(`Vastgehouden programma's van ${heldFor}`, ["Programma", "Naam", "Reden", "Laatste wijziging in EDU-DEX"],
      rows.map((h) => [h.program_id, h.name, HELD_BECAUSE[h.reason] || h.reason, dutchDateTime(h.last_change)]))
    : el("p", { class: "nl-paragraph" }, "Er worden geen programma's van deze leverancier vastgehouden."));
  await pagedList(`/admin/directory/held?org_unit_id=${encodeURIComponent(heldFor)}`, document.getElementById("meer"),
    show, summary);
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  try {
    await (heldFor ? showHeld() : showOverview());
  } catch (problem) {
    report(summary, problem);
  }
}

start();
