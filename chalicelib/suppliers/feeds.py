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

from chalicelib.enrolment import waiting
from chalicelib.enrolment.use_cases import filled_form_fields
from chalicelib.models import Course, Enrolment, FeedEntry, Supplier
from chalicelib.platform import clock, eventlog, outbox, signing, xmltext
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


def check_link(supplier_id: str, params: dict[str, str]) -> Supplier:
    """Refuse a tampered, expired, rotated-out or revoked link with 403, and say nothing more."""
    try:
        version, expires, signature = int(params["v"]), int(params["exp"]), params["sig"]
        signing.verify(PURPOSE, _message(supplier_id, version, expires), signature)
        supplier = Supplier.get(supplier_id)
    except (KeyError, ValueError, signing.BadSignature, DoesNotExist):
        raise NotAllowedError("Deze feed-link is ongeldig.", code="invalid_feed_link") from None
    if expires < clock.now().timestamp():
        raise NotAllowedError("Deze feed-link is verlopen; vraag een nieuwe op met uw API-sleutel.",
                              code="feed_link_expired")
    if version != int(supplier.feed_key_version):
        raise NotAllowedError("Deze feed-link is ingetrokken.", code="feed_link_revoked")
    return supplier


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
    supplier = check_link(supplier_id, params)
    since = _since(params.get("since", "0"))
    entries = list(FeedEntry.query(supplier.supplier_id, FeedEntry.seq > since, limit=PAGE + 1))
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    enrolments = _enrolments({e.enrolment_id for e in entries})
    waiting_lists = waiting.waiting_counts(supplier.supplier_id)
    programs = _programs({e.course_id for e in enrolments.values()} | {row[0] for row in waiting_lists})
    root = ElementTree.Element(f"{{{NAMESPACE}}}enrolmentFeed", {
        "version": "1.0", "supplier": supplier.supplier_id, "since": str(since),
        "next": str(int(entries[-1].seq) if entries else since), "more": "true" if more else "false",
    })
    for course_id, execution_id, count in waiting_lists:  # only how many wait, never who (R_WAIT_04)
        ElementTree.SubElement(root, f"{{{NAMESPACE}}}waitingList", {
            "programId": xmltext.strip_unsafe(programs.get(course_id, course_id)), "courseId": course_id,
            "executionId": xmltext.strip_unsafe(execution_id), "waiting": str(count),
        })
    for entry in entries:
        enrolment = enrolments.get(entry.enrolment_id)
        if enrolment is not None:
            _entry(root, entry, enrolment, programs.get(enrolment.course_id, enrolment.course_id))
            _record_first_delivery(enrolment)
    if entries:
        eventlog.record(eventlog.EventKind.DELIVERY, supplier_id=supplier.supplier_id, channel="feed",
                        count=len(entries))
    ElementTree.register_namespace("", NAMESPACE)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _since(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInputError(fields={"since": "Geef het volgnummer uit het attribuut next van de vorige feed."})
    return int(raw)


def _enrolments(ids: set[str]) -> dict[str, Enrolment]:
    return {e.enrolment_id: e for e in Enrolment.batch_get(ids)} if ids else {}


def _programs(course_ids: set[str]) -> dict[str, str]:
    found = Course.batch_get(course_ids, attributes_to_get=["course_id", "program_id"]) if course_ids else []
    return {c.course_id: c.program_id for c in found}


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


def _record_first_delivery(enrolment: Enrolment) -> None:
    outbox.record_disclosure(
        outbox.Disclosed(enrolment.enrolment_id, int(enrolment.version), "supplier", enrolment.supplier_id,
                         filled_form_fields(enrolment)),
        channel="feed",
    )
