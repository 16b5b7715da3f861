// /beheer/bewaartermijnen/ (CFB): the retention self-check, recomputed on every visit (R_PRV_02).

import { api, el } from "./api.js";
import { alertBox, dutchDateTime, report, whileBusy } from "./account-common.js";
import { adminGate, table } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const output = document.getElementById("bewaar-rapport");
const again = document.getElementById("bewaar-opnieuw");

const age = (days) => (days === null || days === undefined ? "geen items" : `${days} ${days === 1 ? "dag" : "dagen"}`);

function render(result) {
  const rows = result.rules.map((rule) => [
    rule.title,
    rule.holds ? "Wordt nageleefd" : "Overtreden",
    String(rule.checked),
    age(rule.oldest_age_days),
    rule.breach || "–",
  ]);
  output.replaceChildren(
    result.holds
      ? alertBox("ok", "Alle bewaartermijnen worden op dit moment nageleefd.")
      : alertBox("error", "Minstens één bewaartermijn wordt overtreden. Zie de tabel."),
    table(`Bewaartermijnen, gecontroleerd op ${dutchDateTime(result.checked_at)}`,
      ["Regel", "Uitkomst", "Gecontroleerde items", "Oudste item", "Item dat de regel overtreedt"], rows),
    el("p", { class: "nl-paragraph" }, "De controle leest alleen via indexen en bewaart zelf niets."));
}

async function load() {
  try {
    render(await whileBusy(again, () => api("/admin/retention")));
  } catch (problem) {
    report(summary, problem);
  }
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  again.addEventListener("click", load);
  await load();
}

start();
