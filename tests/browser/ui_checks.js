// Evaluated in the page by tests/browser/ui_checks.py: the problems axe cannot see (R_UI_01-03).
() => {
  const problems = [];
  const shown = (node) => !!(node.offsetWidth || node.offsetHeight || node.getClientRects().length)
    && getComputedStyle(node).visibility !== "hidden";
  const describe = (node) => node.id ? `#${node.id}` : `${node.tagName.toLowerCase()}.${[...node.classList].join(".")}`;

  // R_UI_01: nothing wider than the screen.
  const root = document.scrollingElement;
  if (root.scrollWidth > window.innerWidth) {
    const wide = [...document.body.querySelectorAll("*")].filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-3).map(describe);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if ([...range.getClientRects()].some((rect) => rect.right > window.innerWidth + 1)) {
        wide.push(`text "${node.textContent.trim().slice(0, 40)}" in ${describe(node.parentElement)}`);
      }
    }
    problems.push(`horizontal overflow at ${window.innerWidth}px: ${root.scrollWidth}px wide (${wide.join(", ")})`);
  }

  // R_UI_03: no raw values.
  const text = document.body.innerText;
  const raw = /(^|[^\p{L}\p{N}_])(null|undefined|NaN|\[object Object\])(?=$|[^\p{L}\p{N}_])/u.exec(text);
  if (raw) {
    const at = raw.index + raw[1].length;
    problems.push(`raw value "${raw[2]}" on the page: ...${text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " ")}...`);
  }
  for (const link of document.querySelectorAll("a[href]")) {
    if (/[=/](null|undefined)(?=$|[&/#])/.test(link.getAttribute("href"))) problems.push(`raw value in a link: ${link.getAttribute("href")}`);
  }

  // R_UI_02: every message stacks its parts; no heading one word per line.
  const messages = [...document.querySelectorAll(".utrecht-alert, .lr-error-summary")].filter(shown);
  for (const box of messages) {
    const parts = [...box.querySelectorAll("h1, h2, h3, h4, p, ul, ol")].filter(shown);
    for (let i = 1; i < parts.length; i += 1) {
      const before = parts[i - 1].getBoundingClientRect();
      const after = parts[i].getBoundingClientRect();
      if (parts[i - 1].contains(parts[i]) || parts[i].contains(parts[i - 1])) continue;
      if (after.top < before.bottom - 1) {
        problems.push(`message ${describe(box)}: "${parts[i].innerText.slice(0, 30)}" sits beside "${parts[i - 1].innerText.slice(0, 30)}", not below it`);
        break;
      }
    }
    for (const heading of [...box.querySelectorAll("h1, h2, h3, h4")].filter(shown)) {
      const words = heading.innerText.trim().split(/\s+/).length;
      const range = document.createRange();
      range.selectNodeContents(heading);
      const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
      if (words >= 2 && lines >= words) problems.push(`message heading "${heading.innerText.trim()}" breaks one word per line (${lines} lines)`);
    }
  }

  // R_UI_02: every field error is linked: the control describes itself with it, the summary links to the control.
  const summaries = [...document.querySelectorAll(".lr-error-summary")].filter(shown);
  for (const error of [...document.querySelectorAll(".lr-field-error, .utrecht-form-field-error-message")].filter(shown)) {
    const control = error.id && document.querySelector(`[aria-describedby~="${CSS.escape(error.id)}"]`);
    if (!control) {
      problems.push(`field error "${error.innerText}" belongs to no control (aria-describedby)`);
      continue;
    }
    if (control.getAttribute("aria-invalid") !== "true") problems.push(`field ${describe(control)} has an error but no aria-invalid`);
    const links = summaries.flatMap((summary) => [...summary.querySelectorAll(`a[href="#${CSS.escape(control.id)}"]`)]);
    if (!links.some((link) => link.innerText.trim() === error.innerText.trim())) {
      problems.push(`field error "${error.innerText}" is not a link to ${describe(control)} in an error summary`);
    }
  }
  for (const link of summaries.flatMap((summary) => [...summary.querySelectorAll('a[href^="#"]')])) {
    const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target || !target.matches("input, select, textarea, button, fieldset")) problems.push(`summary link ${link.getAttribute("href")} leads to no field`);
  }

  // R_UI_02: success and error never together.
  const success = [...document.querySelectorAll(".utrecht-alert--ok")].filter(shown);
  if (success.length && summaries.length) problems.push(`success "${success[0].innerText.slice(0, 40)}" shows beside an error summary`);
  return problems;
}
