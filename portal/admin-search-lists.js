// /beheer/zoekwoorden/ (CFB): the search's synonyms and English-Dutch translations (R_CAT_07).
// Each list is one textarea, a line per group or translation; saving sends the whole list with the
// version it was read at, and the search uses it at once. Problems name the line they are on.

import { ApiProblem, api, el } from "./api.js";
import { clear, dutchDateTime, report, showOk, whileBusy } from "./account-common.js";
import { adminGate } from "./admin-common.js";

const container = document.getElementById("beheer");
const summary = document.getElementById("fouten");
const status = document.getElementById("status");

const LISTS = {
  synonyms: {
    form: document.getElementById("synoniemen-formulier"),
    area: document.getElementById("synoniemen"),
    state: document.getElementById("synoniemen-stand"),
    defaults: document.getElementById("synoniemen-standaard"),
    field: "groups",
    missing: (n) => (n === 1 ? "1 term die in uw lijst ontbreekt" : `${n} termen die in uw lijst ontbreken`),
    saved: "De synoniemen zijn opgeslagen.",
    toText: (groups) => groups.map((group) => group.join(", ")).join("\n"),
    fromLine: (line) => ({ value: terms(line) }),
  },
  translations: {
    form: document.getElementById("vertalingen-formulier"),
    area: document.getElementById("vertalingen"),
    state: document.getElementById("vertalingen-stand"),
    defaults: document.getElementById("vertalingen-standaard"),
    field: "entries",
    missing: (n) => (n === 1 ? "1 vertaling die in uw lijst ontbreekt" : `${n} vertalingen die in uw lijst ontbreken`),
    saved: "De vertalingen zijn opgeslagen.",
    toText: (entries) => entries.map((entry) => `${entry.en.join(", ")} = ${entry.nl.join(", ")}`).join("\n"),
    fromLine: (line) => {
      const [english, dutch, extra] = line.split("=");
      if (dutch === undefined || extra !== undefined) {
        return { problem: "zet één = tussen de Engelse en de Nederlandse woorden." };
      }
      return { value: { en: terms(english), nl: terms(dutch) } };
    },
  },
};

const versions = {};

function terms(text) {
  return text.split(",").map((term) => term.trim()).filter(Boolean);
}

/** The textarea's non-empty lines as list entries, each with the line number it stands on. */
function parse(list) {
  const entries = [];
  const lineNumbers = [];
  const problems = {};
  list.area.value.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    const { value, problem } = list.fromLine(line);
    if (problem) problems[list.field] ??= `Regel ${index + 1}: ${problem}`;
    else {
      entries.push(value);
      lineNumbers.push(index + 1);
    }
  });
  return { entries, lineNumbers, problems };
}

/** API field errors ("groups.3.1") become one message at the textarea, naming the line. */
function atLines(problem, list, lineNumbers) {
  if (!(problem instanceof ApiProblem)) return problem;
  const fields = {};
  for (const [field, message] of Object.entries(problem.fields || {})) {
    const [head, index] = field.split(".");
    if (head === list.field && index !== undefined) {
      fields[list.field] ??= `Regel ${lineNumbers[Number(index)] ?? Number(index) + 1}: ${message}`;
    } else {
      fields[head === "version" ? list.field : field] ??= message;
    }
  }
  problem.fields = fields;
  return problem;
}

function show(name, data) {
  const list = LISTS[name];
  const current = data[name];
  versions[name] = current.version;
  list.area.value = list.toText(current[list.field]);
  list.state.textContent = current.updated_at
    ? `Laatst opgeslagen op ${dutchDateTime(current.updated_at)}.`
    : "Dit is de standaardlijst van Leer-Rijk; u heeft hem nog niet aangepast.";
  offerDefaults(name, current);
}

/** A saved list applies instead of Leer-Rijk's defaults, so what a new version adds to them is offered here:
 * one click puts it in the textarea, where CFB reviews it and saves as usual. Saved without them, they are
 * left out on purpose and not offered again. */
function offerDefaults(name, current) {
  const list = LISTS[name];
  list.defaults.replaceChildren();
  list.defaults.hidden = !current.defaults_missing;
  if (!current.defaults_missing) return;
  const button = el("button", { class: "utrecht-button utrecht-button--secondary-action", type: "button" },
    "Zet ze in het tekstvak");
  button.addEventListener("click", () => {
    list.area.value = list.toText(current.with_defaults);
    list.defaults.replaceChildren(el("p", { class: "nl-paragraph", role: "status" },
      "De ontbrekende standaardtermen staan nu in het tekstvak, in de regel waar ze bij horen of op een eigen " +
      "regel onderaan. Controleer ze en sla de lijst op; tot dan verandert er niets."));
    list.area.focus();
  });
  list.defaults.append(
    el("p", { class: "nl-paragraph" },
      `De standaardlijst van Leer-Rijk heeft ${list.missing(current.defaults_missing)}, bijvoorbeeld omdat een ` +
      "nieuwe versie van Leer-Rijk ze heeft toegevoegd. Uw eigen lijst geldt, dus de zoekfunctie gebruikt ze pas " +
      "als u ze overneemt. Slaat u de lijst op zonder ze, dan bieden we deze termen niet opnieuw aan."),
    button,
  );
}

function onward() {
  return el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/zoeken/" }, "Probeer het uit in Zoeken"));
}

function reloadLink() {
  return el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/beheer/zoekwoorden/" },
    "Laad de lijsten opnieuw"));
}

async function save(name, event) {
  event.preventDefault();
  const list = LISTS[name];
  const button = list.form.querySelector("button[type=submit]");
  clear(summary, list.form);
  const { entries, lineNumbers, problems } = parse(list);
  if (!entries.length && !Object.keys(problems).length) {
    problems[list.field] = name === "synonyms" ? "Vul minstens één groep in." : "Vul minstens één vertaling in.";
  }
  if (Object.keys(problems).length) {
    report(summary, new ApiProblem(400, "client", "De lijst is niet opgeslagen.", problems), list.form);
    return;
  }
  try {
    const data = await whileBusy(button, () => api(`/admin/search-lists/${name}`, {
      method: "PUT", body: { [list.field]: entries, version: versions[name] },
    }));
    show(name, data);
    showOk(status, `${list.saved} De zoekfunctie gebruikt ze vanaf nu.`, onward());
  } catch (problem) {
    report(summary, atLines(problem, list, lineNumbers), list.form, problem.code === "list_changed" ? reloadLink() : null);
  }
}

async function start() {
  const access = await adminGate(container, summary, { cfbOnly: true });
  if (!access) return;
  for (const name of Object.keys(LISTS)) LISTS[name].form.addEventListener("submit", (event) => save(name, event));
  try {
    const data = await api("/admin/search-lists");
    for (const name of Object.keys(LISTS)) show(name, data);
  } catch (problem) {
    report(summary, problem);
  }
}

start();
