"""Pure account rules: the e-mail address as username and the domain rule (R_ACC_02, R_ACC_03).

No I/O and no clock: callers pass what they loaded and `today`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_EMAIL_LENGTH = 254
MAX_LOCAL_LENGTH = 64
# The dot-atom of RFC 5322 in ASCII: no quoted local parts, comments or IP literals.
# Matched with fullmatch: `$` would also match before a trailing newline.
_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}")

RUNNING_STATUSES = frozenset({"pending_approval", "approved"})


def canonical_address(email: str) -> str:
    """The mailbox an address reaches, for counting link requests: lower-case, `+tag` removed from the
    local part, so `ada+1@x.nl` and `Ada+2@x.nl` share one per-address limit with `ada@x.nl`."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local:
        return email.strip().lower()
    return f"{local.partition('+')[0] or local}@{domain}"


def normalise_email(raw: str) -> str | None:
    """The canonical form of an address (lowercase), or None when it is not a plain address.

    Surrounding spaces are forgiven; anything else unusual (two `@`, CR/LF or other control
    characters, quotes, non-ASCII, a domain without a dot, over-long parts) is refused: each part
    must match its ASCII pattern in full, so no character outside it passes, a trailing newline
    neither. Non-ASCII is refused before lower-casing, which turns the Kelvin sign into a `k`.
    """
    if not isinstance(raw, str):
        return None
    candidate = raw.strip(" ")
    if not candidate or len(candidate) > MAX_EMAIL_LENGTH or not candidate.isascii():
        return None
    candidate = candidate.lower()
    if candidate.count("@") != 1:
        return None
    local, domain = candidate.split("@")
    if len(local) > MAX_LOCAL_LENGTH or not _LOCAL.fullmatch(local):
        return None
    return candidate if valid_domain(domain) else None


def valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 253:
        return False
    return all(_LABEL.fullmatch(label) for label in labels) and bool(_TLD.fullmatch(labels[-1]))


def normalise_domain(raw: str) -> str | None:
    """An organisation's domain, lowercase; ASCII only, checked before lower-casing as for addresses."""
    candidate = raw.strip()
    if not candidate.isascii():
        return None
    candidate = candidate.lower().removeprefix("@")
    return candidate if valid_domain(candidate) else None


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


def domain_allowed(email: str, organisation_domains: Iterable[str]) -> bool:
    """R_ACC_02: the exact domain of a normalised address is one of the organisation's domains.

    Subdomains are not included implicitly: `a@sub.minbzk.nl` needs `sub.minbzk.nl` listed.
    """
    normalised = normalise_email(email)
    if normalised is None:
        return False
    allowed = {d.strip().lower() for d in organisation_domains}
    return email_domain(normalised) in allowed


def clean_name(raw: str) -> str | None:
    """A name as typed, trimmed; None when it holds control characters (mail headers, logs)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in raw):
        return None
    cleaned = " ".join(raw.split())
    return cleaned or None


def fold(text: str) -> str:
    """Lowercase without accents, for sorting and prefix search ("Özil" sorts and finds as "ozil")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def sort_name(first_name: str, last_name: str, email: str) -> str:
    """Range key of the organisation index: last name, first name, address; searchable by prefix."""
    return fold(f"{last_name} {first_name} {email}")


# --- account search by any name part or address prefix (R_ACC_06) ----------------------------------

MAX_TERM_LENGTH = 40
MAX_TERMS = 16
_NOT_A_LETTER = re.compile(r"[\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of a name, an address's local part or a query, as the account search compares
    them: "Jansen-de Groot" gives jansen, de, groot; "eva.devries" gives eva, devries."""
    return [word[:MAX_TERM_LENGTH] for word in _NOT_A_LETTER.split(fold(text)) if word]


def search_terms(first_name: str, last_name: str, email: str) -> list[str]:
    """What an admin may type to find an account: every word of the first and last name, the last name
    written as one word ("devries", "vanderberg"), and every word of the address before the @."""
    last_words = search_words(last_name)
    joined = ["".join(last_words)[:MAX_TERM_LENGTH]] if len(last_words) > 1 else []
    local_part = email.rpartition("@")[0] or email
    terms = [*search_words(first_name), *last_words, *joined, *search_words(local_part)]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def query_words(query: str) -> list[str]:
    """The words of a search query; of an address (with @) only the part before the @ counts."""
    return search_words(query.partition("@")[0])


def leading_word(words: list[str]) -> str:
    """The query word the index is read by: the longest, so the fewest keys are read."""
    return max(words, key=len)


def matches(words: list[str], terms: list[str]) -> bool:
    """Every query word starts a different term: "Bakker B" finds Bas Bakker, not Ada Bakker.

    A bipartite matching by augmenting paths (Kuhn), polynomial in words x terms: a query of many
    short words cannot make it search every assignment."""
    if len(words) > len(terms):
        return False
    owner: dict[int, int] = {}  # term index -> word index
    return all(_augment(w, words, terms, owner, set()) for w in range(len(words)))


def _augment(w: int, words: list[str], terms: list[str], owner: dict[int, int], seen: set[int]) -> bool:
    for t, term in enumerate(terms):
        if t in seen or not term.startswith(words[w]):
            continue
        seen.add(t)
        if t not in owner or _augment(owner[t], words, terms, owner, seen):
            owner[t] = w
            return True
    return False


def shown_at(term: str, terms: list[str], words: list[str]) -> bool:
    """An account is listed once, at the first of its terms the leading word starts (index order), and
    only when all words match: so pages of the index never show an account twice."""
    leading = leading_word(words)
    candidates = [t for t in terms if t.startswith(leading)]
    return bool(candidates) and term == min(candidates) and matches(words, terms)


def is_running(status: str, original_end_day: str, today: str) -> bool:
    """An enrolment that still matters to its holder: not ended, not cancelled or refused (R_ACC_08)."""
    return status in RUNNING_STATUSES and original_end_day >= today
