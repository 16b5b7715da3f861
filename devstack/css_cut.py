"""Cut the NL Design System CSS down to what the portal uses (issue 28: one small stylesheet).

The design system stays the source: its published `dist/index.css` files from node_modules are read
as they are and only whole rules and declarations are left out, never rewritten. What the portal uses
is read from its own sources (templates, scripts, its own CSS), so a new page or module is picked up
without configuration:

- a style rule stays when one of its selectors needs only classes the sources name (a class inside
  `:not()` is not needed for a match), or names no class at all (`:root`, `[hidden]`, `html`);
  class names built in a template or script (`utrecht-alert--${kind}`, `utrecht-button--{{ kind }}`)
  keep every class with that prefix;
- `@media`, `@supports`, `@layer` and `@container` blocks are cut inside and dropped when empty; other
  at-rules (`@keyframes`, `@font-face`) and `/*!` licence comments stay whole;
- a design token (a custom property declared in the tokens file) stays when any kept CSS or source
  refers to it, directly or through another kept token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_DYNAMIC_PREFIX = re.compile(r"([A-Za-z_][\w-]*?(?:--|__|-))(?:\$\{|\{\{)")
_VAR = re.compile(r"--[\w-]+")
_GROUPING = ("@media", "@supports", "@layer", "@container")


@dataclass(frozen=True)
class Used:
    """What the portal's sources name: words (class names among them), prefixes of built class names,
    and custom properties."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    properties: frozenset[str]

    def has_class(self, name: str) -> bool:
        """Named as it is, or built from a prefix and a value the sources also name (`kind="secondary-action"`)."""
        return name in self.words or any(
            name.startswith(prefix) and name[len(prefix):] in self.words for prefix in self.prefixes)


def used_in(markup: Iterable[str], stylesheets: Iterable[str] = ()) -> Used:
    """Classes come from `markup` (templates and scripts); custom properties from both."""
    words: set[str] = set()
    prefixes: set[str] = set()
    properties: set[str] = set()
    for text in markup:
        words.update(_WORD.findall(text))
        prefixes.update(_DYNAMIC_PREFIX.findall(text))
        properties.update(_VAR.findall(text))
    for text in stylesheets:
        properties.update(_VAR.findall(text))
    return Used(frozenset(words), tuple(sorted(prefixes)), frozenset(properties))


def cut_components(css: str, used: Used) -> str:
    """The rules of `css` that can match something the portal builds (and its licence comments)."""
    licences, rest = _licences_and_rest(css)
    return licences + "".join(_cut_block(rest, used))


def cut_tokens(tokens_css: str, kept_css: Iterable[str], used: Used) -> str:
    """The tokens file with only the custom properties that kept CSS or the sources refer to."""
    tokens_css = _licences_and_rest(tokens_css)[1]
    declarations = _declarations(tokens_css)
    wanted = set(used.properties)
    for text in kept_css:
        wanted.update(_VAR.findall(text))
    pending = list(wanted)
    while pending:  # a kept token may refer to others
        value = declarations.get(pending.pop())
        for name in _VAR.findall(value or ""):
            if name not in wanted:
                wanted.add(name)
                pending.append(name)
    return "".join(_cut_token_rules(tokens_css, wanted))


# --- a small CSS reader: comments, strings and braces, nothing more ------------------------------------


def _items(css: str) -> Iterable[tuple[str, str | None]]:
    """Top-level items of comment-free CSS as (prelude, body); body None for a statement (`@import ...;`)."""
    position = start = 0
    while position < len(css):
        char = css[position]
        if char in "\"'":
            position = _string_end(css, position)
        elif char == ";":
            if css[start:position].strip():
                yield css[start:position + 1].strip(), None
            position = start = position + 1
        elif char == "{":
            close = _block_end(css, position)
            yield css[start:position].strip(), css[position + 1:close]
            position = start = close + 1
        else:
            position += 1


def _string_end(css: str, position: int) -> int:
    quote = css[position]
    position += 1
    while position < len(css) and css[position] != quote:
        position += 2 if css[position] == "\\" else 1
    return position + 1


def _block_end(css: str, open_at: int) -> int:
    depth, position = 0, open_at
    while position < len(css):
        char = css[position]
        if char in "\"'":
            position = _string_end(css, position)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError("unbalanced braces in CSS")


def _licences_and_rest(css: str) -> tuple[str, str]:
    """The `/*!` comments (licences, kept) and the CSS without any comment."""
    licences = "".join(match + "\n" for match in re.findall(r"/\*!.*?\*/", css, flags=re.S))
    return licences, re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def _cut_block(css: str, used: Used) -> Iterable[str]:
    for prelude, body in _items(css):
        if body is None:
            yield prelude
            continue
        if prelude.startswith(_GROUPING):
            inner = "".join(_cut_block(body, used))
            if inner:
                yield f"{prelude}{{{inner}}}"
        elif prelude.startswith("@"):
            yield f"{prelude}{{{body}}}"
        else:
            kept = [selector for selector in _selectors(prelude) if _matches(selector, used)]
            if kept:
                yield f"{','.join(kept)}{{{body}}}"


def _selectors(prelude: str) -> list[str]:
    """Split a selector list on the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    parts.append(prelude[start:].strip())
    return [part for part in parts if part]


def _matches(selector: str, used: Used) -> bool:
    needed = _CLASS.findall(_without_negations(selector))
    return all(used.has_class(name) for name in needed)


def _without_negations(selector: str) -> str:
    """The selector without its `:not(...)` parts (a class there is not needed for a match)."""
    out, position = [], 0
    while True:
        found = selector.find(":not(", position)
        if found < 0:
            out.append(selector[position:])
            return "".join(out)
        out.append(selector[position:found])
        depth, index = 0, found + 4
        while index < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[index], 0)
            if depth == 0:
                break
            index += 1
        position = index + 1


def _declarations(css: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for _prelude, body in _items(css):
        if body is None:
            continue
        for declaration in body.split(";"):
            name, _, value = declaration.partition(":")
            if name.strip().startswith("--"):
                found[name.strip()] = value.strip()
    return found


def _cut_token_rules(css: str, wanted: set[str]) -> Iterable[str]:
    for prelude, body in _items(css):
        if body is None:
            continue
        kept = []
        for declaration in body.split(";"):
            name = declaration.partition(":")[0].strip()
            if name and (not name.startswith("--") or name in wanted):
                kept.append(declaration.strip())
        if kept:
            yield f"{prelude}{{{';'.join(kept)}}}"
