"""The iCalendar invitation of an enrolment (R_CAL_01), built with the `icalendar` library (RFC 5545),
imported only when an invitation is rendered, so the API's cold start does not load it.

One UID per enrolment; SEQUENCE is the counter stored on the enrolment (absent: 0), raised by every
change notice and by the cancellation; METHOD:REQUEST for the confirmation, every change and the
holder's download, METHOD:CANCEL with the same UID for any cancellation (iTIP, RFC 5546). Times are
Europe/Amsterdam with its VTIMEZONE; a run whose supplier gives no times is an all-day entry. The
invitation holds nothing personal beyond the attendee's own address (the form's, R_ENR_11): no name.

What the invitation says of the run is the enrolment's own copy (`calendar_run`): written when the
enrolment is made and by every change notice, in the transaction that raises SEQUENCE, so one SEQUENCE
always states one version of the run, and a cancellation or an approval reads no run to send it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from chalicelib.enrolment.use_cases import Caller, owned, run_facts, stored_run
from chalicelib.models import Enrolment, Execution, plain
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from chalicelib.platform.errors import ConflictError
from chalicelib.platform.mail import CalendarPart

REQUEST, CANCEL = "REQUEST", "CANCEL"
PRODID = "-//Leer-Rijk//Opleidingen//NL"


@dataclass(frozen=True)
class Occasion:
    """What an invitation says, from the enrolment and the run as they are now."""

    uid: str
    sequence: int
    summary: str
    start_day: date
    end_day: date
    start_time: time | None
    end_time: time | None
    location: str | None
    url: str
    attendee: str


def execution_of(enrolment: Enrolment) -> Execution | None:
    return run_of(enrolment.course_id, enrolment.execution_id)


def run_of(course_id: str, execution_id: str) -> Execution | None:
    """The run as stored now (the one the job just read, else a read); None once the supplier's import
    dropped it."""
    return stored_run(course_id, execution_id)


def run_as_told(enrolment: Enrolment) -> dict[str, Any] | None:
    """The run's when and where as the enrolment's invitation states them. An enrolment made before it kept
    its copy (migration 0012 writes them) reads the run as stored now; None once the import dropped it."""
    if enrolment.calendar_run is not None:
        return plain(enrolment.calendar_run)
    execution = execution_of(enrolment)
    return run_facts(execution) if execution is not None else None


def occasion(enrolment: Enrolment) -> Occasion:
    """A dropped run still has its enrolment's dates and place, enough for the cancellation."""
    run = run_as_told(enrolment)
    start = run["start_day"] if run else enrolment.start_day
    end = run["end_day"] if run else enrolment.original_end_day
    timed = run is not None and run.get("start_time") and run.get("end_time")
    return Occasion(
        uid=f"{enrolment.enrolment_id}@{settings.mail_from.rsplit('@', 1)[-1]}",
        sequence=int(enrolment.calendar_sequence or 0),
        summary=enrolment.course_name or enrolment.course_id,
        start_day=date.fromisoformat(start), end_day=date.fromisoformat(end),
        start_time=time.fromisoformat(run["start_time"]) if timed and run else None,
        end_time=time.fromisoformat(run["end_time"]) if timed and run else None,
        location=place(run) if run else enrolment.place,
        url=f"{settings.portal_origin}/opleiding/?id={enrolment.course_id}",
        attendee=str(enrolment.email),
    )


def place(run: Mapping[str, Any]) -> str | None:
    """Where a run is (its `run_facts`): online, or its location and city."""
    if run.get("online"):
        return "Online"
    return ", ".join(part for part in (run.get("location"), run.get("city")) if part) or None


def ics(what: Occasion, method: str) -> str:
    """The VCALENDAR text with one VEVENT and the VTIMEZONE it uses."""
    from icalendar import Calendar, Event, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", what.uid)
    event.add("sequence", what.sequence)
    event.add("dtstamp", clock.now())
    start, end = _span(what)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", what.summary)
    if what.location:
        event.add("location", what.location)
    event.add("url", what.url)
    event.add("description", f"{what.summary}. Over de opleiding: {what.url}")
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{settings.mail_from}")
    organizer.params["cn"] = "Leer-Rijk"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{what.attendee}")
    attendee.params.update({"role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "FALSE"})
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones(first_date=date(what.start_day.year - 1, 1, 1),
                                   last_date=date(what.end_day.year + 2, 1, 1))
    return str(calendar.to_ical().decode("utf-8"))


def _span(what: Occasion) -> tuple[Any, Any]:
    """Timed in Europe/Amsterdam when the supplier gave both times; else whole days (DTEND exclusive)."""
    if what.start_time is not None and what.end_time is not None:
        return (datetime.combine(what.start_day, what.start_time, tzinfo=clock.AMSTERDAM),
                datetime.combine(what.end_day, what.end_time, tzinfo=clock.AMSTERDAM))
    return what.start_day, what.end_day + timedelta(days=1)


def part(enrolment: Enrolment, method: str) -> CalendarPart:
    """The invitation as the calendar part of a mail."""
    return CalendarPart(method, ics(occasion(enrolment), method))


def holder_download(enrolment_id: str, caller: Caller) -> tuple[str, str]:
    """R_CAL_01: the holder's own confirmed enrolment as a file (same UID and SEQUENCE as the mails, so a
    later change or cancellation by mail updates the same entry). Another's, or an LMS enrolment: 404."""
    enrolment = owned(enrolment_id, caller)
    if enrolment.status != "approved":
        raise ConflictError("Alleen een bevestigde inschrijving kunt u in uw agenda zetten.", code="not_confirmed")
    return f"leer-rijk-{enrolment.enrolment_id}.ics", ics(occasion(enrolment), REQUEST)
