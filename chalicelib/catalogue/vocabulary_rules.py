"""The search's vocabulary lists (R_CAT_07): synonyms and English-Dutch translations. Pure.

A synonym group lists words a civil servant may type for the same subject (AVG, privacy,
gegevensbescherming); a translation pairs English terms with Dutch ones (leadership →
leiderschap, leidinggeven). CFB edits both lists on the admin pages; until CFB saves one, the
maintained defaults (`synonyms.py`, `translations.py`) apply. The lists travel with the index
build, so a change reaches every container with the build's id and a query only looks terms up.

A query word (or two adjacent ones) that is a member finds the other members: a synonym with the
quality SYNONYM, a translation with TRANSLATION (a translation says the same, a synonym is
related). Members are folded (case, accents) and stop words drop out, as in the catalogue's text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.catalogue.text_rules import words

SYNONYM = 0.45
TRANSLATION = 0.9
MAX_ENTRIES = 1_000
MAX_MEMBERS = 40  # a group of job titles, jargon and everyday words for one subject; wider ones reach too far
MAX_TERM = 80
MAX_STORED_CHARS = 300_000  # a stored list stays well inside one DynamoDB item
_TERM = re.compile(r"^[\w][\w\s'’.&+/-]*$")
LIST_NAMES = ("synonyms", "translations")

Group = tuple[str, ...]
Translation = tuple[tuple[str, ...], tuple[str, ...]]  # (English terms, Dutch terms)
Expansion = tuple[tuple[str, ...], float]  # a member as folded words, and its quality


@dataclass(frozen=True)
class SearchLists:
    synonyms: tuple[Group, ...]
    translations: tuple[Translation, ...]

    def payload(self) -> dict[str, Any]:
        """As stored with the index build and in the SearchList items."""
        return {"synonyms": [list(group) for group in self.synonyms],
                "translations": [{"en": list(en), "nl": list(nl)} for en, nl in self.translations]}

    def digest(self) -> str:
        """Names these lists: equal lists, equal digest (the index pointer states the one its build carries)."""
        canonical = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @staticmethod
    def from_payload(payload: dict[str, Any]) -> SearchLists:
        return SearchLists(
            tuple(tuple(str(m) for m in group) for group in payload.get("synonyms", [])),
            tuple((tuple(str(t) for t in entry["en"]), tuple(str(t) for t in entry["nl"]))
                  for entry in payload.get("translations", [])),
        )


def default_lists() -> SearchLists:
    from chalicelib.catalogue.synonyms import GROUPS
    from chalicelib.catalogue.translations import TRANSLATIONS

    return SearchLists(GROUPS, TRANSLATIONS)


@functools.lru_cache(maxsize=4)
def expansion_table(lists: SearchLists) -> dict[str, list[Expansion]]:
    """folded member (its words joined by a space, and joined without) → what it also finds. Kept for the
    most recent lists: every build with the same lists shares one table (read only)."""
    table: dict[str, list[Expansion]] = {}

    def link(sources: Iterable[tuple[str, ...]], targets: list[tuple[str, ...]], quality: float) -> None:
        for source in sources:
            found = [(target, quality) for target in targets if target != source]
            for key in {" ".join(source), "".join(source)}:
                table.setdefault(key, []).extend(found)

    for group in lists.synonyms:
        members = _folded(group)
        link(members, members, SYNONYM)
    for english, dutch in lists.translations:
        en, nl = _folded(english), _folded(dutch)
        link(en, nl, TRANSLATION)
        link(nl, en, TRANSLATION)
    return table


@functools.lru_cache(maxsize=4)
def translated_groups(lists: SearchLists) -> dict[str, list[Expansion]]:
    """English member (as in `expansion_table`) → the synonym groups of the Dutch terms it translates, as their
    synonyms (whistleblowing: klokkenluider, and so integriteit). The search reads them only when what the
    translation names is in no course: a Dutch term in a wide group would otherwise reach far too much."""
    group_of: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in lists.synonyms:
        members = _folded(group)
        group_of.update({member: members for member in members})
    table: dict[str, list[Expansion]] = {}
    for english, dutch in lists.translations:
        nl = _folded(dutch)
        related = list(dict.fromkeys(member for term in nl for member in group_of.get(term, ()) if member not in nl))
        for source in _folded(english):
            for key in {" ".join(source), "".join(source)}:
                table.setdefault(key, []).extend((member, TRANSLATION * SYNONYM) for member in related)
    return table


def _folded(terms: Iterable[str]) -> list[tuple[str, ...]]:
    return [member for member in dict.fromkeys(_key(term) for term in terms) if member]


# --- CFB's edits ------------------------------------------------------------------------------------


def synonym_errors(groups: list[list[str]]) -> dict[str, str]:
    """Field errors of a synonym list (keys like `groups.3.1`), Dutch; empty when it may be stored."""
    errors: dict[str, str] = {}
    if not groups:
        return {"groups": "Vul minstens één groep in."}
    if len(groups) > MAX_ENTRIES:
        return {"groups": f"Hoogstens {MAX_ENTRIES} groepen."}
    seen: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(groups):
        errors.update(_side_errors(f"groups.{number}", group, seen, number, least=2))
    return errors or _size_errors("groups", groups)


def translation_errors(entries: list[dict[str, list[str]]]) -> dict[str, str]:
    """Field errors of a translation list (keys like `entries.3.en.0`), Dutch; empty when it may be stored."""
    errors: dict[str, str] = {}
    if not entries:
        return {"entries": "Vul minstens één vertaling in."}
    if len(entries) > MAX_ENTRIES:
        return {"entries": f"Hoogstens {MAX_ENTRIES} vertalingen."}
    for number, entry in enumerate(entries):
        for side in ("en", "nl"):  # a term may translate on several lines (leidinggeven: leadership, management)
            errors.update(_side_errors(f"entries.{number}.{side}", entry[side], {}, number, least=1))
    return errors or _size_errors("entries", entries)


def _side_errors(field: str, terms: list[str], seen: dict[tuple[str, ...], int], number: int,
                 least: int) -> dict[str, str]:
    if len(terms) > MAX_MEMBERS:
        return {field: f"Hoogstens {MAX_MEMBERS} termen per regel."}
    errors: dict[str, str] = {}
    distinct = 0
    for position, term in enumerate(terms):
        problem = _term_problem(term)
        folded = tuple(words(term))
        if problem is None and folded in seen and seen[folded] != number:
            problem = f"'{term.strip()}' staat ook op een andere regel."
        elif problem is None and folded in seen:
            continue  # the same term twice on one line: harmless, counted once
        if problem:
            errors[f"{field}.{position}"] = problem
            continue
        seen[folded] = number
        distinct += 1
    if not errors and distinct < least:
        errors[field] = "Vul minstens twee verschillende termen in." if least == 2 else "Vul minstens één term in."
    return errors


def _term_problem(term: str) -> str | None:
    shown = term.strip()
    if not shown:
        return "Een term is leeg."
    if len(shown) > MAX_TERM:
        return f"'{shown[:20]}…' is te lang (hoogstens {MAX_TERM} tekens)."
    if not _TERM.match(shown):
        return f"'{shown}' bevat tekens die niet in een zoekterm horen."
    if not words(shown):
        return f"'{shown}' bestaat alleen uit stopwoorden en vindt niets."
    return None


def _size_errors(field: str, value: Any) -> dict[str, str]:
    if len(json.dumps(value, ensure_ascii=False)) > MAX_STORED_CHARS:
        return {field: "De lijst is te lang om op te slaan."}
    return {}


def cleaned(terms: Iterable[str]) -> list[str]:
    """Terms as CFB typed them, trimmed, each once."""
    return list(dict.fromkeys(term.strip() for term in terms if term.strip()))


# --- the maintained defaults a saved list lacks ----------------------------------------------------------
# A saved list keeps applying instead of the defaults, so what a release adds to them is offered, never applied
# unasked. What a list lacked when CFB saved it was shown to CFB and left out (`declined`, stored with the list):
# it is not offered again; what a later release adds is.


def synonyms_with_defaults(saved: list[list[str]], defaults: Iterable[Group],
                           declined: Iterable[str] = ()) -> tuple[list[list[str]], int]:
    """The saved groups with every default member they lack anywhere and CFB did not decline: added to the saved
    group that holds most of its default group's members (while it has room), else, two or more together, as a
    group of their own. Returns the merged groups and the number of members added."""
    merged = [list(group) for group in saved]
    held = {_key(member): number for number, group in enumerate(merged) for member in group}
    left_out = {_key(term) for term in declined}
    added = 0
    for group in defaults:
        lacking = list({_key(member): member for member in group
                        if _key(member) not in held and _key(member) not in left_out}.values())
        if not lacking:
            continue
        homes = [held[_key(member)] for member in group if _key(member) in held]
        home = max(set(homes), key=homes.count) if homes else None
        if home is not None and len(merged[home]) + len(lacking) <= MAX_MEMBERS:
            target = home
        elif len(lacking) >= 2 and len(merged) < MAX_ENTRIES:
            merged.append([])
            target = len(merged) - 1
        else:
            continue
        merged[target].extend(lacking)
        held.update({_key(member): target for member in lacking})
        added += len(lacking)
    return merged, added


def translations_with_defaults(saved: list[dict[str, list[str]]], defaults: Iterable[Translation],
                               declined: Iterable[str] = ()) -> tuple[list[dict[str, list[str]]], int]:
    """The saved translations with every default translation none of whose English terms they have yet, nor CFB
    declined; the number of translations added."""
    merged = [{"en": list(entry["en"]), "nl": list(entry["nl"])} for entry in saved]
    english = {_key(term) for entry in merged for term in entry["en"]} | {_key(term) for term in declined}
    added = 0
    for en, nl in defaults:
        if len(merged) >= MAX_ENTRIES or any(_key(term) in english for term in en):
            continue
        merged.append({"en": list(en), "nl": list(nl)})
        english.update(_key(term) for term in en)
        added += 1
    return merged, added


def declined_synonyms(saved: list[list[str]], defaults: Iterable[Group]) -> list[str]:
    """The default members a list lacks as CFB saves it, as folded words: left out on purpose, never offered again."""
    held = {_key(member) for group in saved for member in group}
    return sorted({" ".join(_key(member)) for group in defaults for member in group} - {" ".join(k) for k in held})


def declined_translations(saved: list[dict[str, list[str]]], defaults: Iterable[Translation]) -> list[str]:
    """The English terms of the default translations a list lacks as CFB saves it (none of their terms in it)."""
    english = {_key(term) for entry in saved for term in entry["en"]}
    return sorted({" ".join(_key(term)) for en, _ in defaults if not any(_key(t) in english for t in en)
                   for term in en})


def _key(term: str) -> tuple[str, ...]:
    return tuple(words(term))
