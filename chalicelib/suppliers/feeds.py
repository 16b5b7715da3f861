"""The supplier's enrolment feed (R_SUP_01, R_SUP_02).

A supplier obtains a signed URL with its API key. The signature is HMAC-SHA256 over purpose,
supplier, key version and expiry, checked in constant time against every key still in the key
list (rotation). Raising the supplier's key version revokes all its earlier links at once. The
feed lists entries after `since` from the supplier's own sequence, which is written in the same
transaction as the enrolment or cancellation it reports, so nothing is skipped or repeated.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.models import Model

from chalicelib.models import Course, Enrolment, Execution, FeedEntry, Supplier
from chalicelib.platform import batch, clock, eventlog, outbox, signing, xmltext
from chalicelib.platform.config import settings
from chalicelib.platform.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError

PURPOSE = "supplier-feed"
NAMESPACE = "urn:leer-rijk:enrolment-feed:1.0"
LINK_LIFETIME = timedelta(days=30)
PAGE = 200
XML_ELEMENTS = {  # R_ENR_02 field -> element, in the XSD's order
    "first_name": "firstName", "last_name": "lastName", "email": "email", "organisation_name": "organisation",
    "phone": "phone", "gender": "gender", "initials": "initials", "title_before": "titleBefore",
    "title_after": "titleAfter", "job_function": "jobFunction", "salary_scale": "salaryScale",
    "department_name": "department",
}


def _message(supplier_id: str, key_version: int, expires: int) -> str:
    return f"{supplier_id}\n{key_version}\n{expires}"


def feed_url(supplier_id: str) -> dict[str, Any]:
    try:
        supplier = Supplier.get(supplier_id)
    except DoesNotExist:
        raise NotAllowedError("Deze leverancier is niet bekend.", code="unknown_supplier") from None
    if supplier.delivery != "feed":
        raise ConflictError("U ontvangt inschrijvingen per e-mail; een feed is niet ingesteld.", code="no_feed")
    expires = int((clock.now() + LINK_LIFETIME).timestamp())
    version = int(supplier.feed_key_version)
    signature = signing.sign(PURPOSE, _message(supplier_id, version, expires))
    query = urlencode({"v": version, "exp": expires, "sig": signature})
    return {
        "url": f"{settings.portal_origin}/api/feeds/{supplier_id}/enrolments.xml?{query}",
        "expires_at": datetime.fromtimestamp(expires, UTC).isoformat(),
    }


def _signed_version(supplier_id: str, params: dict[str, str]) -> int:
    """The key version a link names, when its signature holds and it has not expired (403 otherwise); whether
    that version is still the supplier's is for `_current` to say, from the supplier as stored."""
    try:
        version, expires, signature = int(params["v"]), int(params["exp"]), params["sig"]
        signing.verify(PURPOSE, _message(supplier_id, version, expires), signature)
    except (KeyError, ValueError, signing.BadSignature):
        raise _invalid_link() from None
    if expires < clock.now().timestamp():
        raise NotAllowedError("Deze feed-link is verlopen; vraag een nieuwe op met uw API-sleutel.",
                              code="feed_link_expired")
    return version


def _current(supplier: Supplier | None, version: int) -> Supplier:
    """Refuse a link of a supplier that is gone or whose links were revoked or rotated out, and say nothing more."""
    if supplier is None:
        raise _invalid_link()
    if version != int(supplier.feed_key_version):
        raise NotAllowedError("Deze feed-link is ingetrokken.", code="feed_link_revoked")
    return supplier


def _invalid_link() -> NotAllowedError:
    return NotAllowedError("Deze feed-link is ongeldig.", code="invalid_feed_link")


def revoke_links(supplier_id: str, actor_ref: str | None = None) -> int:
    """Revoke every feed link of the supplier early (R_SUP_01): raise its key version; returns the new one.
    An unknown supplier is a NotFoundError."""
    supplier = Supplier(supplier_id)
    try:
        supplier.update(actions=[Supplier.feed_key_version.add(1)], condition=Supplier.supplier_id.exists())
    except UpdateError:
        raise NotFoundError("Leverancier niet gevonden.") from None
    eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED, actor_ref=actor_ref, supplier_id=supplier_id,
                    outcome="feed_links_revoked")
    return int(supplier.feed_key_version)


def feed(supplier_id: str, params: dict[str, str]) -> bytes:
    """One page of the supplier's feed (R_SUP_01, R_SUP_02) and its ledger rows (R_PRV_01).

    The link's signature and expiry are checked before anything is read; its key version is checked against
    the supplier, read in the same BatchGetItem as the page's enrolments, before anything is built. The
    document is built in memory, then every ledger row is stored with the delivery's log entry
    (`outbox.record_disclosures`: it returns only when all are), and only then is the page answered: a failure
    on the way is a 5xx and no data has left. Nothing leaves without its row; a row whose page never reached
    the supplier (the connection broke after it was stored) records a page the supplier asks for again and then
    does receive."""
    version = _signed_version(supplier_id, params)
    since = _since(params.get("since", "0"))
    entries = list(FeedEntry.query(supplier_id, FeedEntry.seq > since, limit=PAGE + 1))
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    supplier, enrolments, read = _supplier_and_enrolments(supplier_id, {e.enrolment_id for e in entries})
    _current(supplier, version)
    waiting_lists = waiting_counts(supplier_id)
    programs = _programs({e.course_id for e in enrolments.values()} | {row[0] for row in waiting_lists})
    root = ElementTree.Element(f"{{{NAMESPACE}}}enrolmentFeed", {
        "version": "1.0", "supplier": supplier_id, "since": str(since),
        "next": str(int(entries[-1].seq) if entries else since), "more": "true" if more else "false",
    })
    for course_id, execution_id, count in waiting_lists:  # only how many wait, never who (R_WAIT_04)
        ElementTree.SubElement(root, f"{{{NAMESPACE}}}waitingList", {
            "programId": xmltext.strip_unsafe(programs.get(course_id, course_id)), "courseId": course_id,
            "executionId": xmltext.strip_unsafe(execution_id), "waiting": str(count),
        })
    disclosed = []
    for entry in entries:
        enrolment = enrolments.get(entry.enrolment_id)
        if enrolment is not None:
            _entry(root, entry, enrolment, programs.get(enrolment.course_id, enrolment.course_id))
            disclosed.append(_disclosed(enrolment))
    ElementTree.register_namespace("", NAMESPACE)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    delivered = eventlog.prepare_after(read, eventlog.EventKind.DELIVERY, supplier_id=supplier_id, channel="feed",
                                       count=len(entries)) if entries else None
    new_rows = outbox.record_disclosures(disclosed, channel="feed", entry=delivered)
    if disclosed and not new_rows:
        # Delivered before, read again: counted per supplier and window, so a link polled from the start over
        # and over (a leaked one) cannot push other entries out of the log (R_LOG_04).
        eventlog.record_repeated(eventlog.EventKind.DELIVERY_REPEATED, level="info", supplier_id=supplier_id,
                                 channel="feed")
    return document


def waiting_counts(supplier_id: str) -> list[tuple[str, str, int]]:
    """(course, execution, how many wait) for a supplier's executions with people waiting, from the sparse
    `waiting-supplier-index`, which projects the counts and nothing personal (R_WAIT_04). An offered seat's
    holder still counts as waiting: they are not enrolled yet."""
    found = [(e.course_id, e.execution_id, int(e.waiting_count or 0) + int(e.offered_count or 0))
             for e in Execution.waiting_supplier_index.query(supplier_id)]
    return sorted(row for row in found if row[2] > 0)


def waiting_lists(supplier_id: str) -> list[dict[str, Any]]:
    """A supplier sees only how many wait per execution of its own (R_WAIT_04), in its API as in the feed."""
    rows = waiting_counts(supplier_id)
    programs = _programs({course_id for course_id, _, _ in rows})
    return [{"program_id": programs.get(course_id), "course_id": course_id, "execution_id": execution_id,
             "waiting": count} for course_id, execution_id, count in rows]


def _since(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInputError(fields={"since": "Geef het volgnummer uit het attribuut next van de vorige feed."})
    return int(raw)


def _supplier_and_enrolments(supplier_id: str, ids: set[str]) -> tuple[Supplier | None, dict[str, Enrolment],
                                                                        list[Model]]:
    """The supplier and the page's enrolments, and with entries on the page the event log's counter, read
    consistently, from which the delivery's log entry takes its number (`eventlog.prepare_after`): one
    BatchGetItem, no counter update of its own."""
    counter = [eventlog.counter_key()] if ids else []
    found = batch.get_many([batch.Key(Supplier, supplier_id), *(batch.Key(Enrolment, i) for i in sorted(ids)),
                            *counter], consistent_for={key.model for key in counter})
    supplier = next((item for item in found if isinstance(item, Supplier)), None)
    return supplier, {item.enrolment_id: item for item in found if isinstance(item, Enrolment)}, found


# A course's program id never changes (the course id is derived from the supplier and the program,
# catalogue.course_id_for), so a container keeps each it has read.
_PROGRAM_OF: dict[str, str] = {}


def _programs(course_ids: set[str]) -> dict[str, str]:
    missing = sorted(course_ids - _PROGRAM_OF.keys())
    if missing:
        _PROGRAM_OF.update({c.course_id: c.program_id
                            for c in Course.batch_get(missing, attributes_to_get=["course_id", "program_id"])})
    return {course_id: _PROGRAM_OF[course_id] for course_id in course_ids if course_id in _PROGRAM_OF}


def _entry(root: ElementTree.Element, entry: FeedEntry, enrolment: Enrolment, program_id: str) -> None:
    node = ElementTree.SubElement(root, f"{{{NAMESPACE}}}entry", {
        "seq": str(int(entry.seq)), "event": entry.event, "at": entry.at.isoformat(),
    })
    for name, value in (("enrolmentId", enrolment.enrolment_id), ("programId", program_id),
                        ("executionId", enrolment.execution_id), ("courseId", enrolment.course_id),
                        ("startDate", enrolment.start_day), ("source", enrolment.source)):
        _text(node, name, value)
    if enrolment.anonymised:
        return
    participant = ElementTree.SubElement(node, f"{{{NAMESPACE}}}participant")
    for field, element in XML_ELEMENTS.items():
        value = getattr(enrolment, field)
        if value:
            _text(participant, element, str(value))


def _text(parent: ElementTree.Element, name: str, value: str) -> None:
    """ElementTree escapes markup; characters XML 1.0 cannot carry are dropped (input refuses them too)."""
    child = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    child.text = xmltext.strip_unsafe(value)


def _disclosed(enrolment: Enrolment) -> outbox.Disclosed:
    """The ledger row names exactly the fields the entry's participant element carried (R_PRV_01)."""
    carried = tuple(field for field in XML_ELEMENTS if getattr(enrolment, field))
    return outbox.Disclosed.about(enrolment, "supplier", enrolment.supplier_id, carried)
