// The header on every page: visitors see "Inloggen" and "Aanmelden"; a logged-in account sees its own
// links and a logout button. One GET /api/session per page (shared with the page's own module through
// currentUser()); it answers 200 for visitors and never sets a cookie (R_VIS_03).

import { el } from "./api.js";
import { forgetStaleReturn, isAdmin, loginUrl, logout, whoAmI } from "./account-common.js";

const list = document.getElementById("lr-nav-lijst");
// The compact menu below 48em (R_UI_01): a disclosure button with aria-expanded; Escape closes it. CSS lays
// it out from the first paint (site.css), so nothing moves when this module loads.
const toggle = document.querySelector(".lr-nav__toggle");
const nav = list.closest(".lr-nav");

function setOpen(open) {
  toggle.setAttribute("aria-expanded", String(open));
}

if (toggle && nav) {
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}

const onAuthPage = ["/inloggen/", "/aanmelden/"].some((path) => window.location.pathname.startsWith(path));

const ACCOUNT_LINKS = [
  ["Mijn inschrijvingen", "/mijn-inschrijvingen/"],
  ["Mijn reviews", "/mijn-reviews/"],
  ["Mijn gegevens", "/mijn-gegevens/"],
];

function navLink(label, href) {
  const current = window.location.pathname === href ? "page" : null;
  return el("li", { class: "lr-nav__item", "data-lr-nav": "account" },
    el("a", { class: "nl-link rhc-nav-bar__link lr-nav__link", href, "aria-current": current }, label));
}

function showVisitor() {
  list.querySelectorAll('[data-lr-nav="account"]').forEach((node) => node.remove());
  list.querySelectorAll('[data-lr-nav="bezoeker"]').forEach((node) => { node.hidden = false; });
  const login = list.querySelector('[data-lr-nav="bezoeker"] a[href^="/inloggen/"]');
  // Come back here after the login link, except from the home page and the login pages themselves.
  if (login && !onAuthPage && window.location.pathname !== "/") login.href = loginUrl();
}

function showAccount(user) {
  list.querySelectorAll('[data-lr-nav="account"]').forEach((node) => node.remove());
  list.querySelectorAll('[data-lr-nav="bezoeker"]').forEach((node) => { node.hidden = true; });
  const links = [...ACCOUNT_LINKS];
  if (isAdmin(user)) links.push(["Beheer", "/beheer/"]);
  if ((user.roles || []).some((grant) => grant.role === "order_authorised")) links.push(["Bestellijst", "/bestellingen/"]);
  list.append(...links.map(([label, href]) => navLink(label, href)));
  const button = el("button", {
    type: "button",
    class: "utrecht-link-button utrecht-link-button--html-button rhc-nav-bar__link lr-nav__link lr-nav__logout",
  }, "Uitloggen");
  // Look like the links beside it (CSSOM, which the CSP allows; base.html loads no account.css).
  for (const [name, value] of [["--utrecht-link-color", "var(--rhc-nav-bar-color)"],
    ["--utrecht-link-hover-color", "var(--rhc-nav-bar-color)"], ["--utrecht-button-font-weight", "normal"],
    ["--utrecht-button-font-size", "var(--rhc-nav-bar-link-font-size)"], ["text-decoration-line", "none"]]) {
    button.style.setProperty(name, value);
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await logout();
    } catch {
      button.disabled = false;
      list.parentElement.querySelector(".lr-nav__problem")?.remove();
      list.after(el("p", { class: "nl-paragraph lr-nav__problem", role: "alert" },
        "Uitloggen is niet gelukt. Controleer uw verbinding en probeer het opnieuw."));
    }
  });
  list.append(el("li", { class: "lr-nav__item", "data-lr-nav": "account" }, button));
}

async function start() {
  forgetStaleReturn();
  if (!list) return;
  try {
    const user = await whoAmI();
    if (user) showAccount(user);
    else showVisitor();
  } catch {
    showVisitor(); // the page itself reports an unreachable API
  }
}

document.addEventListener("lr:uitgelogd", () => list && showVisitor());
start();
