"""The one check every invitation a test produces goes through (R_CAL_01): parsed back with `icalendar`
and held to what iTIP (RFC 5546, section 3.2) requires of a VEVENT for REQUEST and for CANCEL, and to
what Leer-Rijk promises (Europe/Amsterdam with its VTIMEZONE, the organizer's and attendee's addresses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from icalendar import Calendar

from chalicelib.platform.config import settings

# RFC 5546 3.2.2 (REQUEST) and 3.2.5 (CANCEL): properties a VEVENT must carry exactly once.
REQUIRED_ONCE = {
    "REQUEST": ("DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"),
    "CANCEL": ("DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"),
}
AT_MOST_ONCE = ("DTEND", "DURATION", "LOCATION", "URL", "SEQUENCE", "STATUS", "DTSTART", "SUMMARY")


@dataclass(frozen=True)
class Invitation:
    method: str
    uid: str
    sequence: int
    start: date | datetime
    end: date | datetime
    summary: str
    location: str | None
    url: str | None
    attendees: list[str]
    status: str | None
    text: str


def itip(text: str, method: str) -> Invitation:
    """Parse `text` and fail unless it is a valid iTIP `method` message about one event."""
    calendar = Calendar.from_ical(text)
    assert calendar.name == "VCALENDAR"
    assert str(calendar.get("VERSION")) == "2.0" and calendar.get("PRODID")
    assert str(calendar.get("METHOD")) == method
    events = calendar.walk("VEVENT")
    assert len(events) == 1, "one VEVENT per invitation"
    event = events[0]
    for name in REQUIRED_ONCE[method]:
        assert len(_all(event, name)) == 1, f"{method} needs exactly one {name}"
    for name in AT_MOST_ONCE:
        assert len(_all(event, name)) <= 1, f"{name} at most once"
    assert not (event.get("DTEND") and event.get("DURATION")), "DTEND or DURATION, not both"
    attendees = [str(a) for a in _all(event, "ATTENDEE")]
    if method == "REQUEST":
        assert attendees, "REQUEST needs at least one ATTENDEE"
        assert str(event.get("STATUS", "CONFIRMED")) != "CANCELLED"
    else:
        assert str(event.get("STATUS", "CANCELLED")) == "CANCELLED", "a CANCEL's STATUS must be CANCELLED"
    assert str(event.get("ORGANIZER")) == f"mailto:{settings.mail_from}"
    assert str(event.get("UID")).endswith("@" + settings.mail_from.rsplit("@", 1)[-1])
    start = event.get("DTSTART").dt if event.get("DTSTART") else None
    end = event.get("DTEND").dt if event.get("DTEND") else None
    if isinstance(start, datetime):
        # times in Europe/Amsterdam, with the VTIMEZONE every TZID needs (RFC 5545 3.6.5)
        assert str(start.tzinfo) == "Europe/Amsterdam" and isinstance(end, datetime)
        assert [str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
        assert "TZID=Europe/Amsterdam" in text
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "CRLF line ends"
    return Invitation(method, str(event.get("UID")), int(event.get("SEQUENCE", 0)), start, end,
                      str(event.get("SUMMARY", "")), _text(event.get("LOCATION")), _text(event.get("URL")),
                      attendees, _text(event.get("STATUS")), text)


def invitation_of(message: Any, method: str) -> Invitation:
    """The calendar part of a sent mail (tests.functional.conftest.RawMail), checked."""
    assert getattr(message, "calendar", None), f"no calendar part in {message.subject!r}"
    assert message.calendar_method == method, "the MIME part's method equals the object's METHOD"
    return itip(message.calendar, method)


def _all(event: Any, name: str) -> list[Any]:
    value = event.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
