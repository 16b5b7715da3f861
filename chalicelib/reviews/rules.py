"""Pure review rules (R_REV_01-04): who may review, what a text may hold, the rating summary and
who sees what of a review. No boto3, PynamoDB or Chalice import, no clock: callers pass `today`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

RATINGS = (1, 2, 3, 4, 5)
MAX_TEXT = 2000
SUMMARY_VERSION = "v"

# Control characters except tab and newline, line/paragraph separators, surrogates and noncharacters: none
# of these belong in a review, and none may reach an XML feed or an e-mail (XML 1.0 Char production).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


# Zero-width (non-)joiners and the tag characters of subdivision flags are invisible format characters
# (Unicode category Cf) that emoji sequences (👩‍💻, 🏴󠁧󠁢󠁳󠁣󠁴󠁿) and some scripts need; every other format
# character (bidi embeddings, overrides and isolates, U+200B, U+FEFF, U+2060, the soft hyphen) can hide
# or reorder what a reader sees, and is refused.
_JOINERS = frozenset("\u200c\u200d")
_FLAG_TAGS = range(0xE0020, 0xE0080)
# Characters that show nothing, though not format characters: fillers, blank patterns, variation selectors.
_BLANKS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def clean_text(raw: str) -> str:
    """The stored form of a review text: CRLF/CR become LF, NFC, trimmed. Raises ValueError (Dutch).
    A text of only characters that show nothing counts as empty (R_REV_02)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _FORBIDDEN.search(text) or any(_is_noncharacter_at_plane_end(ch) or _is_hiding_format(ch) for ch in text):
        raise ValueError("Gebruik geen stuurtekens of onzichtbare tekens in uw review.")
    text = unicodedata.normalize("NFC", text).strip()
    if all(_shows_nothing(ch) for ch in text):
        raise ValueError("Schrijf een korte toelichting bij uw beoordeling.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"Uw review is te lang: gebruik hoogstens {MAX_TEXT} tekens.")
    return text


def _is_noncharacter_at_plane_end(ch: str) -> bool:
    """U+xFFFE and U+xFFFF of every plane (those of the first are in _FORBIDDEN too)."""
    return (ord(ch) & 0xFFFE) == 0xFFFE


def _is_hiding_format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" and ch not in _JOINERS and ord(ch) not in _FLAG_TAGS


def _shows_nothing(ch: str) -> bool:
    code = ord(ch)
    return (ch.isspace() or ch in _JOINERS or ch in _BLANKS or code in _FLAG_TAGS
            or any(code in selectors for selectors in _SELECTORS))


def guard_id(course_id: str, account_id: str) -> str:
    """The key of the once-per-course guard: a hash, so the guard table names nobody."""
    return hashlib.sha256(f"review\0{course_id}\0{account_id}".encode()).hexdigest()


# --- R_REV_01: who followed the course -----------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """One portal enrolment of the account for the course, with its execution's current state."""

    status: str  # the enrolment's status
    end_day: str  # the execution's end date (ISO), or the enrolment's original one when the run is gone
    run_status: str | None  # the execution's status, None when it no longer exists


def has_followed(enrolments: Iterable[Followed], today: str) -> bool:
    """Enrolled (approved, so never cancelled, rejected or expired), the run not cancelled, end date passed."""
    return any(e.status == "approved" and e.run_status != "cancelled" and e.end_day < today for e in enrolments)


def invitation_due(status: str, source: str, has_account: bool, already_invited: bool, already_reviewed: bool) -> bool:
    """Who gets the one review invitation of an ended execution."""
    return (status == "approved" and source == "portal" and has_account and not already_invited
            and not already_reviewed)


def days_to_invite(last_done: date | None, today: date, lookback_days: int) -> list[date]:
    """End days to look at, oldest first: after the last fully handled day up to yesterday, never
    further back than `lookback_days` (a first run, or a job that was off for long)."""
    first = today - timedelta(days=lookback_days)
    if last_done is not None and last_done >= first:
        first = last_done + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((today - first).days)]


# --- the rating summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    count: int
    total: int
    distribution: dict[int, int]
    version: int = 0

    def as_view(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "average": round(self.total / self.count, 1) if self.count else None,
            "distribution": {str(r): self.distribution.get(r, 0) for r in RATINGS},
        }

    def as_extra(self) -> dict[str, int]:
        return {"sum": self.total, SUMMARY_VERSION: self.version,
                **{f"r{r}": self.distribution.get(r, 0) for r in RATINGS}}


EMPTY = Summary(0, 0, {})


def summary_from(count: int, extra: Mapping[str, Any]) -> Summary:
    return Summary(
        count=int(count), total=int(extra.get("sum", 0)),
        distribution={r: int(extra.get(f"r{r}", 0)) for r in RATINGS},
        version=int(extra.get(SUMMARY_VERSION, 0)),
    )


def recount(ratings: Iterable[int]) -> Summary:
    values = list(ratings)
    return Summary(len(values), sum(values), {r: values.count(r) for r in RATINGS})


def changed(summary: Summary, removed: int | None, added: int | None) -> Summary:
    """The summary after one review's rating goes from `removed` to `added` (None: absent)."""
    distribution = dict(summary.distribution)
    count, total = summary.count, summary.total
    if removed is not None:
        distribution[removed] = distribution.get(removed, 0) - 1
        count, total = count - 1, total - removed
    if added is not None:
        distribution[added] = distribution.get(added, 0) + 1
        count, total = count + 1, total + added
    if count < 0 or any(v < 0 for v in distribution.values()):
        raise ValueError("the rating summary would become negative")
    return Summary(count, total, distribution, summary.version + 1)


# --- R_REV_02/03: who sees what -------------------------------------------------------------------------


class Viewer(StrEnum):
    VISITOR = "visitor"
    EMPLOYEE = "employee"
    AUTHOR = "author"
    SUPPLIER = "supplier"
    LOCAL_ADMIN = "local_admin"
    CFB = "cfb"


def shows_text(viewer: Viewer) -> bool:
    """Visitors see only the summary (R_REV_02)."""
    return viewer is not Viewer.VISITOR


def shows_name(viewer: Viewer, named: bool) -> bool:
    """A name only on a named review and never to a supplier or a visitor (R_REV_02, R_REV_03).

    An anonymous review shows no author to anyone, the author included: "Mijn reviews" lists the
    author's own reviews without naming anyone either.
    """
    return named and viewer in (Viewer.EMPLOYEE, Viewer.LOCAL_ADMIN, Viewer.CFB, Viewer.AUTHOR)


def may_change(viewer_is_author: bool, viewer_is_cfb: bool) -> bool:
    """R_REV_04: the author and CFB, at any time."""
    return viewer_is_author or viewer_is_cfb


# R_REV_03: those who may hold participant lists (the supplier gets the enrolments, admins run the accounts
# and CFB sees every enrolment) read an anonymous review only among at least this many of the course's.
ANONYMITY_THRESHOLD = 3
HOLD_PARTICIPANT_LISTS = frozenset({Viewer.SUPPLIER, Viewer.LOCAL_ADMIN, Viewer.CFB})


def anonymous_to(viewer: Viewer, named: bool) -> bool:
    """A supplier sees every review anonymised; everyone else only the anonymous ones (R_REV_03)."""
    return not named or viewer is Viewer.SUPPLIER


def shows_review(viewer: Viewer, named: bool, course_review_count: int) -> bool:
    """Whether the viewer sees the review itself (text, rating, date), not only the course's summary."""
    return (not anonymous_to(viewer, named) or viewer not in HOLD_PARTICIPANT_LISTS
            or course_review_count >= ANONYMITY_THRESHOLD)


def shown_moment(moment: datetime, viewer: Viewer, named: bool) -> str:
    """The day an anonymous review was written points to the run its author followed (the invitation goes
    out the day after a run ends): only its author sees the moment; everyone else sees the month."""
    if viewer is Viewer.AUTHOR or not anonymous_to(viewer, named):
        return moment.isoformat()
    return moment.strftime("%Y-%m")
