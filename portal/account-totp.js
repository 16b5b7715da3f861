// The second factor of admin roles (R_ACC_10): set-up (QR code of the otpauth URI, plus the secret for
// typing in) and the code after later logins. A correct code raises the session to level 2.

import { ApiProblem, api, el } from "./api.js";
import {
  alertBox, clear, homeFor, report, requireUser, returnParameter, showOk, takeReturn, whileBusy,
} from "./account-common.js";
import qrcode from "./vendor/qrcode-generator.js";

const SVG = "http://www.w3.org/2000/svg";
const root = document.getElementById("tweede-factor");
const step = root.dataset.stap; // "instellen" or "invoeren"
const summary = document.getElementById("fouten");
const status = document.getElementById("status");
const form = document.getElementById("totp-formulier");
let user = null;

const link = (href, text) => el("p", { class: "nl-paragraph" }, el("a", { class: "nl-link", href }, text));

/** The QR code as SVG built from DOM nodes (no markup strings), with a text alternative. */
function qrImage(text) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const quiet = 4;
  const count = qr.getModuleCount();
  const size = count + 2 * quiet;
  let path = "";
  for (let row = 0; row < count; row += 1) {
    for (let column = 0; column < count; column += 1) {
      if (qr.isDark(row, column)) path += `M${column + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "lr-qr");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "QR-code voor uw authenticator-app. Kunt u die niet scannen, gebruik dan de sleutel hieronder.");
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", path);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}

function grouped(secret) {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function accountLabel(uri) {
  try {
    return decodeURIComponent(new URL(uri).pathname.replace(/^\/+totp\//, "").replace(/^\/+/, ""));
  } catch {
    return "Leer-Rijk";
  }
}

/** What to show when this page is not the right step for the account. */
function elsewhere(state) {
  if (state === "not_needed") {
    return alertBox("info", "Uw account heeft geen beheerrol en heeft dus geen tweede factor nodig.",
      link("/mijn-gegevens/", "Naar mijn gegevens"));
  }
  if (state === "done") {
    return alertBox("ok", "U heeft uw inlog al met de tweede factor bevestigd.", link(homeFor(user), "Verder naar Leer-Rijk"));
  }
  if (state === "setup") {
    return alertBox("info", "U heeft nog geen tweede factor ingesteld. Dat doet u eerst.",
      link("/inloggen/tweede-factor/instellen/", "Tweede factor instellen"));
  }
  return alertBox("info", "U heeft de tweede factor al ingesteld. Vul de code uit uw authenticator-app in.",
    link("/inloggen/tweede-factor/", "Code invullen"));
}

async function setUp() {
  let answer;
  try {
    answer = await api("/auth/totp/setup", { method: "POST" });
  } catch (problem) {
    if (problem.code === "totp_already_enrolled") root.replaceChildren(elsewhere("required"));
    else report(summary, problem);
    return;
  }
  document.getElementById("totp-qr").replaceChildren(qrImage(answer.otpauth_uri));
  document.getElementById("totp-sleutel").textContent = grouped(answer.secret);
  document.getElementById("totp-naam").textContent = accountLabel(answer.otpauth_uri);
  document.getElementById("totp-instellen").hidden = false;
}

async function submit(event) {
  event.preventDefault();
  clear(summary, form);
  const code = form.elements.namedItem("code").value.replace(/\s+/g, "");
  if (!/^[0-9]{6}$/.test(code)) {
    report(summary, new ApiProblem(400, "client", "De code is niet goed ingevuld.",
      { code: "Vul de zes cijfers uit uw authenticator-app in, zonder spaties of letters." }), form);
    return;
  }
  let answer;
  try {
    answer = await whileBusy(form.querySelector("[type=submit]"),
      () => api("/auth/totp/verify", { method: "POST", body: { code } }));
  } catch (problem) {
    if (problem.code === "totp_invalid") problem.fields = { code: problem.message };
    report(summary, problem, form);
    return;
  }
  showOk(status, answer.enrolled ? "De tweede factor is ingesteld. U bent ingelogd." : "U bent ingelogd.");
  window.location.replace(takeReturn() || returnParameter() || homeFor(user));
}

async function start() {
  user = await requireUser(root, "uw inlog te bevestigen", summary);
  if (!user) return;
  const expected = step === "instellen" ? "setup" : "required";
  if (user.second_factor !== expected) {
    root.replaceChildren(elsewhere(user.second_factor));
    return;
  }
  form.addEventListener("submit", submit);
  if (step === "instellen") {
    await setUp();
  } else {
    form.hidden = false;
  }
}

start();
