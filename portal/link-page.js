// What the pages opened from a signed link in an e-mail share (the manager's decision /akkoord/, a seat
// offered from the waiting list /wachtlijst/): the token from the fragment, a link that cannot be used,
// and a load that failed with a way to try again.

import { el } from "./api.js";
import { alertBox } from "./catalogue-common.js";

/** The token after `#`, or "" when there is none or it is not decodable. */
export function readToken() {
  try {
    return decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  } catch {
    return "";
  }
}

/** Replace the page with why the link cannot be used, and what to do instead (`after`). */
export function showLinkProblem({ heading, status, content }, title, text, ...after) {
  heading.textContent = title;
  document.title = `${title} | Leer-Rijk`;
  status.textContent = "";
  content.replaceChildren(el("p", { class: "nl-paragraph" }, text), ...after);
}

/** A load that failed for another reason than the link: the message and a button that tries again. */
export function loadFailed({ status, content }, title, problem, load) {
  status.textContent = "";
  const retry = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action" }, "Opnieuw proberen");
  retry.addEventListener("click", () => { content.replaceChildren(); load(); });
  content.replaceChildren(alertBox("error", title, problem.message, retry));
}
