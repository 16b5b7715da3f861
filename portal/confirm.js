// One confirmation for actions that cannot simply be taken back (issue 28): a modal dialog that names the
// consequence, with the action's own verb on the confirming button and "Terug" to leave it. Escape and
// "Terug" answer false; focus returns to the button that asked.

import { el } from "./api.js";

let counter = 0;

/**
 * Ask before doing something with consequences. `consequence` is one or more sentences (strings or nodes).
 * Resolves true when the person confirms.
 */
export function confirmAction({ title, consequence, confirm, cancel = "Terug" }) {
  const opener = document.activeElement;
  counter += 1;
  const headingId = `bevestig-${counter}-titel`;
  const textId = `bevestig-${counter}-uitleg`;
  const yes = el("button", { type: "button", class: "utrecht-button utrecht-button--primary-action lr-confirm__yes" }, confirm);
  const no = el("button", { type: "button", class: "utrecht-button utrecht-button--secondary-action lr-confirm__no" }, cancel);
  const dialog = el("dialog", { class: "lr-dialog lr-confirm", "aria-labelledby": headingId, "aria-describedby": textId },
    el("h2", { class: "nl-heading nl-heading--level-2", id: headingId, tabindex: "-1" }, title),
    el("div", { class: "lr-dialog__body", id: textId },
      [consequence].flat().map((part) => (typeof part === "string" ? el("p", { class: "nl-paragraph" }, part) : part))),
    el("div", { class: "lr-actions" }, yes, no));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(answer);
    };
    yes.addEventListener("click", () => close(true));
    no.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", (event) => {  // Escape
      event.preventDefault();
      close(false);
    });
    dialog.showModal();
    dialog.querySelector("h2").focus();
  });
}
