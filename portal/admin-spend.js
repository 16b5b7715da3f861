// /beheer/uitgaven/ (CFB): government-wide spend by organisation, theme, supplier or month, from live and
// anonymised enrolments alike. The table is the data; the bar chart is inline SVG drawn here (no library).

import { api, el, euro } from "./api.js";
import { checkRequired, clear, formValues, report, whileBusy } from "./account-common.js";
import { adminGate, table } from "./admin-common.js";

const SVG = "http://www.w3.org/2000/svg";
const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const form = document.getElementById("uitgaven-formulier");
const output = document.getElementById("uitgaven-resultaat");
const GROUPS = { organisation: "Organisatie", theme: "Thema", supplier: "Leverancier", month: "Maand" };

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

/** A horizontal bar chart; the table next to it carries the same numbers for screen readers. */
function barChart(groups, heading) {
  const barHeight = 24;
  const gap = 8;
  const labelWidth = 220;
  const width = 720;
  const max = Math.max(...groups.map((g) => g.amount_cents), 1);
  const height = groups.length * (barHeight + gap) + gap;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-labelledby": "uitgaven-grafiek-titel uitgaven-grafiek-omschrijving", class: "lr-chart" });
  chart.append(svg("title", { id: "uitgaven-grafiek-titel" }, heading),
    svg("desc", { id: "uitgaven-grafiek-omschrijving" },
      `Staafdiagram met ${groups.length} staven; de tabel hieronder bevat dezelfde bedragen.`));
  groups.forEach((group, index) => {
    const y = gap + index * (barHeight + gap);
    const barWidth = Math.max(1, Math.round(((width - labelWidth - 120) * group.amount_cents) / max));
    chart.append(
      svg("text", { x: 0, y: y + barHeight * 0.7, "font-size": 14 }, String(group.label).slice(0, 28)),
      svg("rect", { x: labelWidth, y, width: barWidth, height: barHeight, fill: "#154273" }),
      svg("text", { x: labelWidth + barWidth + 6, y: y + barHeight * 0.7, "font-size": 14 }, euro(group.amount_cents)));
  });
  return chart;
}

function csvLink(values) {
  const query = new URLSearchParams({ ...values, format: "csv" });
  return el("p", { class: "nl-paragraph" },
    el("a", { class: "nl-link", href: `/api/admin/spend?${query}`, download: "" },
      "Download als CSV (spreadsheet, Nederlandse kolomnamen, puntkomma)"));
}

function render(result, values) {
  const heading = `Uitgaven per ${GROUPS[result.group].toLowerCase()}, ${result.from} tot en met ${result.to}`;
  if (!result.groups.length) {
    output.replaceChildren(el("p", { class: "nl-paragraph" }, "Geen uitgaven in deze periode."));
    return;
  }
  // labels, not codes: names of organisations and suppliers, the themes of the EDU-DEX theme list, months
  const rows = result.groups.map((g) => [g.label, euro(g.amount_cents), String(g.count), String(g.anonymised)]);
  rows.push(["Totaal", euro(result.total_cents), "", ""]);
  output.replaceChildren(
    el("h2", { class: "nl-heading nl-heading--level-2" }, heading),
    barChart(result.groups, heading),
    table(heading, [GROUPS[result.group], "Bedrag", "Inschrijvingen", "Waarvan geanonimiseerd"], rows),
    csvLink(values));
}

async function submit(event) {
  event.preventDefault();
  clear(summary, form);
  const required = { from: "Vul de beginmaand in als jjjj-mm.", to: "Vul de eindmaand in als jjjj-mm.",
    group: "Kies een indeling." };
  if (!checkRequired(summary, form, required)) return;
  const values = formValues(form);
  try {
    const query = new URLSearchParams({ from: values.from, to: values.to, group: values.group });
    const result = await whileBusy(form.querySelector("[type=submit]"), () => api(`/admin/spend?${query}`));
    render(result, { from: values.from, to: values.to, group: values.group });
  } catch (problem) {
    report(summary, problem, form);
  }
}

async function start() {
  form.addEventListener("submit", submit);
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  const now = new Date();
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  form.elements.from.value = `${now.getFullYear() - 1}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  form.elements.to.value = month;
}

start();
