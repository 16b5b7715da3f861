// The enrolment form on the course page (R_ENR_02-06): prefilled from the profile, explicit
// consent with what is shared with whom, the manager's address where approval is needed, one
// Idempotency-Key per form (reused when the same form is sent again), errors next to fields. For a
// full run the same form joins the waiting list (R_WAIT_01).

import { loginUrl } from "./account-common.js";
import { api, clearProblems, el, fieldMessage, newIdempotencyKey, showProblem } from "./api.js";
import {
  STATUS_LABELS, alertBox, dateRange, focusOn, placeText, priceText, setBusy, termsText,
} from "./catalogue-common.js";

const GENDERS = [["man", "Man"], ["vrouw", "Vrouw"], ["anders", "Anders"], ["zeg ik liever niet", "Zeg ik liever niet"]];
const REQUIRED = {
  first_name: "Vul uw voornaam in.",
  last_name: "Vul uw achternaam in.",
  email: "Vul uw e-mailadres in.",
  phone: "Vul uw telefoonnummer in.",
  gender: "Kies wat u bij geslacht wilt invullen.",
};
const OPTIONAL = ["initials", "title_before", "title_after", "job_function", "salary_scale", "department_name"];
// The API's phone rule (chalicelib/enrolment/schemas.py), so a wrong number shows in the same round as the
// other problems instead of after them (issue 28); the API checks it again.
const PHONE_PATTERN = String.raw`\s*\+?[0-9 \(\)\-]{6,20}\s*`;
// What was typed, kept in this tab only (sessionStorage, never localStorage or a cookie, R_VIS_03) when the
// session ended before sending, so logging in again does not mean typing it again (R_UI_03). Gone once sent.
const DRAFT_KEY = "lr-inschrijving-concept";

let open = null;  // { executionId, section }

// The same form joins the waiting list of a full run (R_WAIT_01): same fields, checks and consent.
const ENROL = {
  path: "/enrolments", heading: "Inschrijven", submit: "Inschrijving versturen",
  intro: "Velden met '(niet verplicht)' mag u leeg laten.",
};
const WAITING = {
  path: "/waiting", heading: "Op de wachtlijst", submit: "Op de wachtlijst plaatsen",
  intro: "Deze uitvoering is vol. Met dit formulier komt u op de wachtlijst. Komt er een plaats vrij vóór de laatste "
    + "dag waarop kosteloos annuleren kan, dan bent u meteen ingeschreven en krijgt u een e-mail. Daarna bieden wij u "
    + "de plaats per e-mail aan: u heeft dan 24 uur om die aan te nemen. De aanbieder krijgt uw gegevens pas als u "
    + "doorschuift. Velden met '(niet verplicht)' mag u leeg laten.",
};

/**
 * Show the form for `execution` in `place`. `user` is GET /api/me; `onDone` runs after a
 * successful enrolment or waiting place (the course page reloads its seats). `waiting`: the run is
 * full and the form joins its waiting list.
 */
export function openEnrolForm({
  place, course, execution, user, privacyVersion, onDone, returnFocus, draft, waiting = false,
}) {
  if (open && open.executionId === execution.execution_id && open.section.isConnected) {
    focusOn(open.section.querySelector("h2"));
    return;
  }
  const section = buildForm({ course, execution, user, privacyVersion, onDone, returnFocus, mode: waiting ? WAITING : ENROL });
  if (draft) fillDraft(section.querySelector("form"), draft);
  place.replaceChildren(section);
  open = { executionId: execution.execution_id, section };
  focusOn(section.querySelector("h2"));
  addDomainHint(section, user);
}

function buildForm({ course, execution, user, privacyVersion, onDone, returnFocus, mode }) {
  const idempotencyKey = newIdempotencyKey();  // one per form; a retry of this form reuses it
  const approval = approvalRequired(user);  // true, false or null (unknown)
  const when = dateRange(execution.start, execution.end);
  const summary = el("div", { class: "lr-error-summary", role: "alert", tabindex: "-1", hidden: true, id: "inschrijf-fouten" });
  const submit = el("button", { type: "submit", class: "utrecht-button utrecht-button--primary-action utrecht-button--submit" },
    mode.submit);
  const cancel = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Annuleren");

  const form = el("form", { class: "lr-form", id: "inschrijfformulier", novalidate: true },
    el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
      el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Uw gegevens"),
      textField("first_name", "Voornaam", { value: user.first_name, autocomplete: "given-name", required: true, maxlength: 100 }),
      textField("initials", "Voorletters", { autocomplete: "off", maxlength: 20, short: true }),
      textField("title_before", "Titel vóór uw naam", { autocomplete: "honorific-prefix", maxlength: 40, short: true,
        hint: "Bijvoorbeeld: mr. of dr." }),
      textField("last_name", "Achternaam", { value: user.last_name, autocomplete: "family-name", required: true, maxlength: 100,
        hint: "Met tussenvoegsel, bijvoorbeeld: de Vries." }),
      textField("title_after", "Titel achter uw naam", { autocomplete: "honorific-suffix", maxlength: 40, short: true,
        hint: "Bijvoorbeeld: MSc" }),
      selectField("gender", "Geslacht", [["", "Maak een keuze"], ...GENDERS], { required: true,
        hint: "De aanbieder vraagt dit. U mag kiezen voor 'Zeg ik liever niet'." })),
    el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
      el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Contactgegevens"),
      textField("email", "E-mailadres", { value: user.email, type: "email", autocomplete: "email", required: true, maxlength: 254,
        hint: "Uw zakelijke e-mailadres staat al ingevuld. U mag een ander adres gebruiken. "
          + "Alle berichten over deze inschrijving gaan naar dit adres, en de aanbieder krijgt dit adres." }),
      textField("phone", "Telefoonnummer", { type: "tel", autocomplete: "tel", required: true, maxlength: 20, short: false,
        pattern: PHONE_PATTERN, hint: "Bijvoorbeeld: 06 12345678. De aanbieder belt u als er iets verandert." })),
    el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
      el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Uw werk"),
      el("p", { class: "nl-paragraph lr-readonly", id: "inschrijf-organisatie" }, "Organisatie: ",
        el("strong", {}, user.organisation_name || "onbekend"), " (uit uw profiel)"),
      textField("department_name", "Afdeling", { value: user.department_name || "", autocomplete: "off", maxlength: 150 }),
      textField("job_function", "Functie", { autocomplete: "organization-title", maxlength: 100 }),
      selectField("salary_scale", "Salarisschaal",
        [["", "Niet invullen"], ...Array.from({ length: 18 }, (_, i) => [String(i + 1), `Schaal ${i + 1}`])],
        { hint: scaleHint(course) })),
    approval === false ? null : managerFieldset(approval),
    consentFieldset(course, user, privacyVersion),
    el("div", { class: "lr-actions" }, submit, cancel),
  );

  const section = el("section", { class: "lr-enrol", id: "inschrijven", "aria-labelledby": "inschrijven-titel" },
    el("h2", { class: "nl-heading nl-heading--level-2", id: "inschrijven-titel", tabindex: "-1" }, mode.heading),
    el("p", { class: "nl-paragraph nl-paragraph--lead" },
      `${course.name}: ${when}, ${placeText(execution)}, ${priceText(execution.price_cents)}.`),
    el("p", { class: "nl-paragraph", id: "inschrijf-voorwaarden" }, el("strong", {}, termsText(execution)),
      execution.cancellation_penalty_cents ? " Annuleert u later, dan betaalt uw organisatie dat bedrag." : null),
    el("p", { class: "nl-paragraph" }, mode.intro),
    summary, form);

  cancel.addEventListener("click", () => {
    forgetDraft();
    section.remove();
    open = null;
    focusOn(returnFocus?.isConnected ? returnFocus : document.getElementById("uitvoeringen-titel"));
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = checkForm(form);
    if (problem) {
      showProblem(summary, problem, form);
      return;
    }
    clearProblems(summary, form);
    setBusy(submit, true, "Bezig met versturen");
    try {
      const answer = await api(mode.path, {
        method: "POST", idempotencyKey, body: body(form, course, execution, user),
      });
      forgetDraft();
      section.replaceChildren(answer.outcome === "waiting" ? onTheList(answer, course, when) : success(answer, course, when));
      const outcome = section.querySelector("h2");
      outcome.id = "inschrijven-titel";
      open = null;
      focusOn(outcome);
      onDone?.(answer);
    } catch (failure) {
      setBusy(submit, false);
      if (failure.status === 401) keepDraft(form, course, execution);
      showProblem(summary, explain(failure), form,
        failure.status === 401 ? loginLink() : null,
        failure.code === "idempotency_mismatch" ? myEnrolmentsLink() : null);
    }
  });
  return section;
}

/** The profile may say whether the organisation asks for the manager's approval; else null. */
function approvalRequired(user) {
  const value = user.approval_required ?? user.organisation?.approval_required;
  return typeof value === "boolean" ? value : null;
}

function managerFieldset(required) {
  const hint = required
    ? "Uw organisatie vraagt het akkoord van uw leidinggevende. Vul het zakelijke e-mailadres van uw leidinggevende in."
    : "Vraagt uw organisatie om akkoord van uw leidinggevende? Vul dan het zakelijke e-mailadres van uw leidinggevende in; "
      + "anders laat u dit leeg. Vraagt uw organisatie geen akkoord, dan gebruiken wij dit adres niet.";
  return el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
    el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Akkoord van uw leidinggevende"),
    el("p", { class: "nl-paragraph" },
      "Uw leidinggevende krijgt een e-mail met een link om de inschrijving goed of af te keuren. ",
      "De aanbieder hoort pas van uw inschrijving als uw leidinggevende akkoord heeft gegeven. ",
      "Het adres van uw leidinggevende geven wij niet aan de aanbieder."),
    textField("manager_email", "E-mailadres van uw leidinggevende", {
      type: "email", autocomplete: "off", required, optional: !required, maxlength: 254, hint,
    }));
}

function consentFieldset(course, user, privacyVersion) {
  const supplier = course.supplier_name || "De aanbieder";
  const item = (...text) => el("li", { class: "utrecht-unordered-list__item" }, ...text);
  return el("fieldset", { class: "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset lr-fieldset" },
    el("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Toestemming"),
    el("div", { class: "lr-share", id: "wat-wij-delen" },
      el("h3", { class: "nl-heading nl-heading--level-3" }, "Wat wij delen en met wie"),
      el("ul", { class: "utrecht-unordered-list" },
        item(el("strong", {}, `${supplier} (de aanbieder)`), " krijgt de gegevens uit dit formulier: uw naam, voorletters en titels, "
          + "e-mailadres, telefoonnummer, geslacht, organisatie, afdeling, functie en salarisschaal (alleen wat u invult), "
          + "met de opleiding en de uitvoering. Verder niets."),
        item(el("strong", {}, "Uw leidinggevende"), " krijgt, als uw organisatie om akkoord vraagt, alleen uw naam, "
          + `uw zakelijke e-mailadres (${user.email}) en de gegevens van de opleiding.`),
        item(el("strong", {}, "De bestelgemachtigden"), " van uw organisatie of afdeling zien op hun bestellijst uw zakelijke "
          + "e-mailadres bij de opleiding, om de opleiding te bestellen en te betalen."),
        item(el("strong", {}, "Centraal Functioneel Beheer"), " van Leer-Rijk kan uw inschrijving inzien; "
          + "de lokaal beheerder van uw organisatie niet."),
        item("Uiterlijk 12 maanden na de einddatum van de opleiding maken wij uw inschrijving anoniem.")),
      el("p", { class: "nl-paragraph" }, "Meer hierover leest u in de ",
        el("a", { class: "nl-link", href: "/privacy/", target: "_blank", rel: "noopener" },
          "privacyverklaring (opent in een nieuw venster)"), ".")),
    el("div", { class: "utrecht-form-field utrecht-form-field--checkbox lr-checkbox" },
      el("input", { class: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom", type: "checkbox", id: "inschrijf-consent",
        name: "consent", value: "true", required: true }),
      el("label", { class: "utrecht-form-label utrecht-form-label--checkbox", for: "inschrijf-consent" },
        "Ik geef toestemming om mijn gegevens te delen zoals hierboven staat"
        + (privacyVersion ? ` en zoals de privacyverklaring (versie ${privacyVersion}) beschrijft.` : "."))));
}

function textField(name, label, {
  value = "", type = "text", autocomplete, required = false, optional, maxlength, hint, short, pattern,
} = {}) {
  const id = `inschrijf-${name}`;
  const hintId = hint ? `${id}-uitleg` : null;
  return el("div", { class: "utrecht-form-field" },
    el("label", { class: "utrecht-form-label", for: id }, label, (optional ?? !required) ? " (niet verplicht)" : null),
    hint ? el("p", { class: "utrecht-form-field-description", id: hintId }, hint) : null,
    el("input", {
      class: `utrecht-textbox utrecht-textbox--html-input${short ? " lr-textbox--short" : ""}`,
      type, id, name, value, autocomplete, required, maxlength, pattern, "aria-describedby": hintId,
      spellcheck: type === "text" ? null : "false",
    }));
}

function selectField(name, label, options, { required = false, hint } = {}) {
  const id = `inschrijf-${name}`;
  const hintId = hint ? `${id}-uitleg` : null;
  return el("div", { class: "utrecht-form-field" },
    el("label", { class: "utrecht-form-label", for: id }, label, required ? null : " (niet verplicht)"),
    hint ? el("p", { class: "utrecht-form-field-description", id: hintId }, hint) : null,
    el("select", { class: "utrecht-select utrecht-select--html-select", id, name, required, "aria-describedby": hintId },
      options.map(([value, text]) => el("option", { value }, text))));
}

function scaleHint(course) {
  const scales = (course.salary_scales || []).map(Number).sort((a, b) => a - b);
  if (!scales.length) return "Voor deze opleiding geldt geen eis voor de salarisschaal.";
  return `Deze opleiding is voor salarisschaal ${scales[0]} tot en met ${scales[scales.length - 1]}. `
    + "Vult u uw schaal in, dan controleren wij of u aan deze eis voldoet.";
}

/** Hint at the organisation's e-mail domain(s) for the manager's address. */
async function addDomainHint(section, user) {
  const hint = section.querySelector("#inschrijf-manager_email-uitleg");
  if (!hint || !user.org_id) return;
  try {
    const { organisations } = await api("/organisations");
    const mine = (organisations || []).find((org) => org.org_id === user.org_id);
    if (mine?.domains?.length) {
      hint.append(` Het adres eindigt op ${mine.domains.map((d) => `@${d}`).join(" of ")}.`);
    }
  } catch {
    // only a hint
  }
}

/** Every problem the page can see, all in one round: empty required fields, a malformed address or phone
 * number, and consent. */
function checkForm(form) {
  const fields = {};
  for (const [name, message] of Object.entries(REQUIRED)) {
    if (!String(form.elements[name].value).trim()) fields[name] = message;
  }
  const manager = form.elements.manager_email;
  if (manager?.required && !manager.value.trim()) fields.manager_email = "Vul het e-mailadres van uw leidinggevende in.";
  for (const name of ["email", "phone", "manager_email"]) {
    const input = form.elements[name];
    if (input && !fields[name] && input.value.trim() && !input.checkValidity()) fields[name] = fieldMessage(name, null, input);
  }
  if (!form.elements.consent.checked) fields.consent = "Geef toestemming om uw gegevens te delen, anders kunt u zich niet inschrijven.";
  if (!Object.keys(fields).length) return null;
  return { status: 0, code: "incomplete", message: "Niet alle velden zijn goed ingevuld.", fields };
}

/** The request body, built the same way every time so a retry carries the very same body. */
function body(form, course, execution, user) {
  const value = (name) => String(form.elements[name]?.value ?? "").trim();
  const data = {
    course_id: course.course_id,
    execution_id: execution.execution_id,
    first_name: value("first_name"),
    last_name: value("last_name"),
    email: value("email"),
    phone: value("phone"),
    gender: value("gender"),
  };
  for (const name of OPTIONAL) {
    if (value(name)) data[name] = value(name);
  }
  if (user.department_id) data.department_id = user.department_id;
  if (value("manager_email")) data.manager_email = value("manager_email");
  data.consent = true;
  return data;
}

function explain(problem) {
  if (problem.status === 401) {
    return { ...problem, fields: {},
      message: "U bent niet meer ingelogd. Log opnieuw in: wat u hebt ingevuld, staat dan weer in het formulier." };
  }
  if (problem.code === "idempotency_mismatch") {
    return { ...problem, message: "Dit formulier is al verstuurd. Kijk bij Mijn inschrijvingen of uw inschrijving is gelukt.",
      fields: {} };
  }
  if (problem.code === "consent" || problem.fields?.consent === "Kies een van de toegestane waarden.") {
    return { ...problem, fields: { ...problem.fields, consent: "Geef toestemming om uw gegevens te delen." } };
  }
  return { status: problem.status, code: problem.code, message: problem.message, fields: problem.fields };
}

function loginLink() {
  return el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: loginUrl() }, "Opnieuw inloggen"));
}

function myEnrolmentsLink() {
  return el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Naar mijn inschrijvingen"));
}

function onTheList(place, course, when) {
  const email = place.form?.email;
  return alertBox("ok", "U staat op de wachtlijst",
    el("p", { class: "nl-paragraph" }, `${course.name}, ${when}.`),
    el("p", { class: "nl-paragraph", id: "wachtlijst-plaats" }, "Uw plaats op de wachtlijst: ",
      el("strong", {}, String(place.position))),
    "Komt er een plaats vrij, dan schuift de eerste op de lijst door. "
      + (email ? `U krijgt dan bericht op ${email}.` : "U krijgt dan bericht."),
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" },
      "Naar mijn inschrijvingen (daar kunt u de wachtlijst ook verlaten)")));
}

function success(enrolment, course, when) {
  const supplier = course.supplier_name || "de aanbieder";
  const email = enrolment.form?.email;
  const pending = enrolment.status === "pending_approval";
  const lines = pending
    ? [`Uw leidinggevende (${enrolment.manager_email}) krijgt een e-mail met het verzoek om akkoord. `
      + `Pas na dat akkoord krijgt ${supplier} uw inschrijving. Tot uw leidinggevende beslist, houden wij een plaats voor u vast.`]
    : [`${supplier} krijgt uw inschrijving.`];
  if (email) lines.push(`U krijgt een bevestiging en later bericht over deze inschrijving op ${email}.`);
  return alertBox("ok", pending ? "Uw inschrijving wacht op akkoord" : "U bent ingeschreven",
    el("p", { class: "nl-paragraph" }, `${course.name}, ${when}.`),
    el("p", { class: "nl-paragraph", id: "inschrijf-status" }, "Status: ",
      el("strong", {}, STATUS_LABELS[enrolment.status] || enrolment.status)),
    ...lines,
    el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href: "/mijn-inschrijvingen/" }, "Naar mijn inschrijvingen")));
}

// --- the draft of a form whose session ended (sessionStorage: this tab only) ---------------------------

function tabStorage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;  // storage switched off: logging in again then means typing again
  }
}

function keepDraft(form, course, execution) {
  const fields = {};
  for (const control of form.elements) {
    if (control.name && control.name !== "consent" && control.value) fields[control.name] = control.value;
  }
  try {
    tabStorage()?.setItem(DRAFT_KEY, JSON.stringify({
      course_id: course.course_id, execution_id: execution.execution_id, fields,
    }));
  } catch {
    // full or refused: only a convenience
  }
}

/** The draft for `courseId` kept in this tab, or null. */
export function enrolDraft(courseId) {
  try {
    const draft = JSON.parse(tabStorage()?.getItem(DRAFT_KEY) || "null");
    return draft && draft.course_id === courseId ? draft : null;
  } catch {
    return null;
  }
}

function forgetDraft() {
  tabStorage()?.removeItem(DRAFT_KEY);
}

function fillDraft(form, draft) {
  for (const [name, value] of Object.entries(draft.fields || {})) {
    const control = form.elements.namedItem(name);
    if (control && "value" in control) control.value = value;
  }
}
