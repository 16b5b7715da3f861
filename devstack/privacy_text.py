"""Turn the plain-text privacy statement into headings, paragraphs and lists for the portal page.

The statement is kept verbatim in `templates/content/privacyverklaring.txt` (it is a versioned
legal text, so it is not rewritten as HTML by hand). Its layout carries the structure:
- the first line is the title;
- a line after a blank line without closing punctuation is a chapter ("1. Situaties ..."),
  unless it follows a chapter heading directly;
- other lines without closing punctuation are situations, or numbered parties ("1. Uw ...");
- indented lines are list items: "•" bullets, "N." numbers, deeper indents nest;
- the glossary chapter ("Begrippenlijst") becomes a definition list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^[•·\-]\s+(.*)$")
_TERM = re.compile(r"^([^:]{1,80}):\s+(.*)$")
_CLOSING = (".", ":", ";", ",")


@dataclass
class Item:
    text: str
    number: int | None = None
    href: str | None = None
    children: list[str] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # h2 | h3 | h4 | p | ul | ol | dl
    text: str = ""
    anchor: str | None = None
    items: list[Item] = field(default_factory=list)
    terms: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Statement:
    title: str
    blocks: list[Block]


def load(path: Path) -> Statement:
    return parse(path.read_text(encoding="utf-8"))


def parse(text: str) -> Statement:
    lines = [line.replace("\xa0", " ").rstrip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.strip())
    blocks: list[Block] = []
    after_blank = True
    for line in lines[first + 1:]:
        if not line.strip():
            after_blank = True
            continue
        _add_line(blocks, line, after_blank)
        after_blank = False
    _link_table_of_contents(blocks)
    return Statement(title=lines[first].strip(), blocks=_glossaries(blocks))


def _add_line(blocks: list[Block], line: str, after_blank: bool) -> None:
    indent = len(line) - len(line.lstrip(" "))
    text = line.strip()
    if indent:
        _add_item(blocks, text, nested=indent > 1)
    elif text.endswith(_CLOSING):
        blocks.append(Block("p", text))
    elif after_blank and not (blocks and blocks[-1].kind == "h2"):
        number = _NUMBERED.match(text)
        blocks.append(Block("h2", text, anchor=f"hoofdstuk-{number.group(1)}" if number else _slug(text)))
    else:
        blocks.append(Block("h4" if _NUMBERED.match(text) else "h3", text))


def _add_item(blocks: list[Block], text: str, nested: bool) -> None:
    bullet, number = _BULLET.match(text), _NUMBERED.match(text)
    last = blocks[-1] if blocks else None
    if nested and last is not None and last.kind in ("ul", "ol") and last.items:
        last.items[-1].children.append(bullet.group(1) if bullet else text)
        return
    kind = "ol" if number else "ul"
    item = Item(number.group(2), int(number.group(1))) if number else Item(bullet.group(1) if bullet else text)
    if last is None or last.kind != kind:
        blocks.append(Block(kind))
    blocks[-1].items.append(item)


def _link_table_of_contents(blocks: list[Block]) -> None:
    """The "Inhoud" list numbers its chapters: link each item to the chapter with that number."""
    chapters = {b.anchor for b in blocks if b.kind == "h2" and b.anchor}
    for index, block in enumerate(blocks[:-1]):
        if block.kind == "h2" and block.text == "Inhoud" and blocks[index + 1].kind == "ol":
            for item in blocks[index + 1].items:
                anchor = f"hoofdstuk-{item.number}"
                item.href = f"#{anchor}" if anchor in chapters else None


def _glossaries(blocks: list[Block]) -> list[Block]:
    result: list[Block] = []
    in_glossary = False
    for block in blocks:
        if block.kind == "h2":
            in_glossary = "Begrippenlijst" in block.text
        terms = [_TERM.match(item.text) for item in block.items]
        if in_glossary and block.kind == "ul" and all(terms):
            block = Block("dl", terms=[(m.group(1), m.group(2)) for m in terms if m])
        result.append(block)
    return result


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
