"""Catalogue use cases: suppliers publish EDU-DEX programs, everyone searches them (R_CAT_01-06)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.catalogue import change_rules, edudex_map
from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import search_rules as search
from chalicelib.catalogue.edudex_map import THEME_LABELS, CourseData, RunData
from chalicelib.catalogue.text_rules import document_terms, title_audience
from chalicelib.enrolment import moving_up, waiting_rules
from chalicelib.enrolment.rules import cancellation_terms
from chalicelib.models import Course, Execution, Supplier, plain
from chalicelib.platform import clock, cursors, eventlog, faults, xmltext
from chalicelib.platform.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from chalicelib.platform.scrub import scrub_search_term
from chalicelib.suppliers import use_cases as suppliers

PAGE_MAX = 50


def course_id_for(supplier_id: str, program_id: str) -> str:
    """Stable and opaque: the same program of the same supplier is always the same course."""
    return "c" + hashlib.blake2b(f"{supplier_id}\0{program_id}".encode(), digest_size=8).hexdigest()


def _today() -> str:
    return clock.today().isoformat()


# --- import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryOrigin:
    """A program as a directory sync brings it (R_DEX_01): the directory's orgUnitId that owns it, and
    the lastChange of its change. The newest version wins over a supplier's push: a push is as new as
    its document's lastEdited (README "EDU-DEX directory")."""

    org_unit_id: str
    last_change: datetime


class IndexBatch:
    """Search-index changes collected over several imports and published as one build: a sync applies
    a batch of programs and then publishes once (each publication writes the whole index)."""

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, Any] | None] = {}

    def put(self, course_id: str, doc: dict[str, Any] | None) -> None:
        """`doc` None drops the course from the index."""
        self._docs[course_id] = doc

    def publish(self) -> None:
        if self._docs:
            catalogue_index.update(self._apply)
            self._docs = {}

    def _apply(self, docs: dict[str, dict[str, Any]]) -> None:
        for course_id, doc in self._docs.items():
            if doc is None:
                docs.pop(course_id, None)
            else:
                docs[course_id] = doc


def import_program(supplier_id: str, program_id: str, document: Any, *, origin: DirectoryOrigin | None = None,
                   batch: IndexBatch | None = None) -> dict[str, Any]:
    """Validate (schema, then sense), then store course, executions and index. 400/403/409 change nothing.

    A supplier's push passes neither `origin` nor `batch`. A directory sync passes the program's origin
    (the document then belongs to that orgUnitId, mapped to `supplier_id`) and collects the index
    changes in `batch`; an older version than the stored one is left alone, and the same one again (a
    replayed batch) is not stored twice: `outcome` says which."""
    data = _validated(supplier_id, program_id, document, origin.org_unit_id if origin else supplier_id)
    supplier = _publishing_supplier(supplier_id)
    course_id = course_id_for(supplier_id, program_id)
    existing = _existing_course(course_id)
    version = origin.last_change if origin else data.last_edited
    stored = _stored_version(existing)
    if stored is not None and version < stored:
        if origin is None:
            raise ConflictError("Er is al een nieuwere versie van dit programma opgeslagen.", code="stale_program",
                                fields={"/lastEdited": "older than the stored lastEdited"})
        return {"course_id": course_id, "outcome": "stale"}
    if origin is not None and existing is not None and version == stored:
        _republish(existing, supplier, batch)  # the batch that stored it may have ended before its index did
        return {"course_id": course_id, "outcome": "unchanged"}
    cancelled, executions = _store_runs(course_id, supplier, data)
    course = _store_course(course_id, supplier, data, origin.last_change if origin else None)
    _publish(course_id, index_doc(course, supplier, executions), batch)
    eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, supplier_id=supplier_id, program_id=program_id,
                    course_id=course_id, count=len(data.runs), outcome="stored",
                    channel="directory" if origin else "push")
    return {"course_id": course_id, "executions": len(data.runs), "cancelled_with_enrolments": cancelled,
            "outcome": "stored"}


def check_program(owner: str, program_id: str, document: Any) -> str:
    """Validate a program as `import_program` does, without storing it (a directory program that is held,
    R_DEX_03); returns its name. `owner` is the orgUnitId the document must belong to."""
    return _validated(owner, program_id, document, owner).name


def _stored_version(course: Course | None) -> datetime | None:
    if course is None:
        return None
    return course.last_change or course.last_edited


def _publish(course_id: str, doc: dict[str, Any] | None, batch: IndexBatch | None) -> None:
    if batch is not None:
        batch.put(course_id, doc)
    elif doc is None:
        catalogue_index.update(lambda docs: _drop(docs, course_id))
    else:
        catalogue_index.update(lambda docs: docs.__setitem__(course_id, doc))


def _republish(course: Course, supplier: Supplier, batch: IndexBatch | None) -> None:
    if course.status == "active":
        _publish(course.course_id, index_doc(course, supplier, _runs_of(course.course_id)), batch)
    else:
        _publish(course.course_id, None, batch)


def _validated(supplier_id: str, program_id: str, document: Any, owner: str) -> CourseData:
    """The program as the catalogue stores it; a document that is not valid EDU-DEX, or not the owner's
    own, is refused before anything is read or written."""
    from chalicelib.catalogue.edudex_schema import schema_errors

    if not isinstance(document, dict):
        raise InvalidInputError("Het document is geen EDU-DEX-programma.", code="edudex_invalid",
                                fields={"/": "object"})
    errors = xmltext.field_messages(document, pointer=True) or schema_errors(document) \
        or edudex_map.sense_errors(document, program_id)
    if errors:
        raise InvalidInputError("Het EDU-DEX-document is niet geldig.", code="edudex_invalid", fields=errors)
    if document["programClassification"]["orgUnitId"] != owner:
        raise NotAllowedError("U kunt alleen uw eigen programma's aanleveren.", code="not_your_program")
    return edudex_map.to_course(document, supplier_id)


def withdraw_program(supplier_id: str, program_id: str, *, origin: DirectoryOrigin | None = None,
                     batch: IndexBatch | None = None) -> dict[str, Any]:
    """Withdraw a program and cancel its runs. A directory sync (`origin`) withdraws only what is stored,
    active and not newer than its change; otherwise `outcome` says why nothing happened."""
    course_id = course_id_for(supplier_id, program_id)
    course = _existing_course(course_id)
    if course is None or course.supplier_id != supplier_id or course.status == "withdrawn":
        if origin is None:
            raise NotFoundError("Dit programma staat niet (meer) in de catalogus.")
        return {"course_id": course_id, "outcome": "absent"}
    stored = _stored_version(course)
    if origin is not None and stored is not None and origin.last_change < stored:
        return {"course_id": course_id, "outcome": "stale"}
    cancelled, _ = _store_runs(course_id, _supplier(supplier_id), None)
    actions: list[Any] = [Course.status.set("withdrawn"), Course.updated_at.set(clock.now())]
    if origin is not None:
        actions.append(Course.last_change.set(origin.last_change))
    course.update(actions=actions)
    _publish(course_id, None, batch)
    eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, supplier_id=supplier_id, program_id=program_id,
                    course_id=course_id, outcome="withdrawn", channel="directory" if origin else "push")
    return {"course_id": course_id, "cancelled_with_enrolments": cancelled, "outcome": "withdrawn"}


INDEX_POINTER = catalogue_index.COUNTER_NAME  # the counter naming the current build
INDEX_DOC_VERSION = catalogue_index.DOC_VERSION  # how this code makes the index's documents (migration 0013's id)


def index_made_by_older_code(pointer: dict[str, Any]) -> bool:
    """Whether the build a catalogue pointer names holds documents an older `index_doc` made (migration 0013
    rebuilds it)."""
    return bool(pointer.get("build_id")) and catalogue_index.docs_version(pointer) < catalogue_index.DOC_VERSION


def rebuild_index() -> dict[str, int]:
    """Publish a search index built afresh from the stored courses and runs (R_CAT_07): after a deploy
    that changes how courses are indexed, or a repair. Reads per supplier through the directory and
    the supplier index, never a Scan; withdrawn courses stay out. Idempotent."""
    docs: list[dict[str, Any]] = []
    suppliers = list(Supplier.directory_index.query("supplier"))
    for supplier in suppliers:
        docs += _shown_docs(supplier)
    catalogue_index.replace_all(docs)
    eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, count=len(docs), outcome="index_rebuilt")
    return {"courses": len(docs), "suppliers": len(suppliers)}


def _supplier(supplier_id: str) -> Supplier:
    try:
        return Supplier.get(supplier_id)
    except DoesNotExist:
        raise NotAllowedError("Deze leverancier is niet bekend.", code="unknown_supplier") from None


def _publishing_supplier(supplier_id: str) -> Supplier:
    supplier = _supplier(supplier_id)
    suppliers.require_accepted_terms(supplier)
    return supplier


def _shown_docs(supplier: Supplier) -> list[dict[str, Any]]:
    """The index documents of the supplier's active courses; none while it has not accepted the terms:
    its courses then show neither in search nor on a course page (R_CAT_06)."""
    if not suppliers.has_accepted_terms(supplier):
        return []
    return [index_doc(course, supplier, _runs_of(course.course_id))
            for course in Course.supplier_index.query(supplier.supplier_id) if course.status == "active"]


def follow_supplier(supplier_id: str) -> dict[str, int]:
    """Show the supplier's courses as its record says now: under its current name once it has accepted the
    terms, not at all while it has not (R_CAT_06). Called after CFB changes a supplier; whoever admits a
    supplier (an EDU-DEX sync holding its programs) calls it too. Idempotent."""
    shown = _shown_docs(_supplier(supplier_id))

    def replace(docs: dict[str, dict[str, Any]]) -> None:
        for course_id in [cid for cid, doc in docs.items() if doc.get("supplier_id") == supplier_id]:
            del docs[course_id]
        docs.update({doc["id"]: doc for doc in shown})

    catalogue_index.update(replace)
    return {"courses_shown": len(shown)}


def _existing_course(course_id: str) -> Course | None:
    try:
        return Course.get(course_id, consistent_read=True)
    except DoesNotExist:
        return None


def _store_course(course_id: str, supplier: Supplier, data: CourseData, last_change: datetime | None) -> Course:
    course = _course_item(course_id, supplier, data)
    course.last_change = last_change
    course.save()
    return course


def _course_item(course_id: str, supplier: Supplier, data: CourseData) -> Course:
    return Course(
        course_id, supplier_id=supplier.supplier_id, program_id=data.program_id, kind=supplier.kind,
        status="active", name=data.name, summary=data.summary, description=data.description,
        search_words=data.search_words, theme=data.theme, level=data.level, form=data.form,
        duration=data.duration, open_for=set(data.open_for) if data.open_for else None,
        salary_scales=data.salary_scales, requirements=data.requirements, last_edited=data.last_edited,
        updated_at=clock.now(),
    )


def _runs_of(course_id: str) -> list[Execution]:
    return list(Execution.query(course_id, consistent_read=True))


def _store_runs(course_id: str, supplier: Supplier, data: CourseData | None) -> tuple[int, list[Execution]]:
    """Upsert runs without touching seats taken; a run gone or cancelled with enrolments is cancelled.

    `data` None withdraws the program: every run is gone. Returns how many runs with enrolments were
    cancelled, and the executions the course has now.
    """
    runs = data.runs if data else []
    shared = _course_fields(data, supplier) if data else {}
    stored = {e.execution_id: e for e in _runs_of(course_id)}
    wanted = {run.run_id for run in runs}
    cancelled_with_enrolments = 0
    current: list[Execution] = []
    for run in runs:
        previous = stored.get(run.run_id)
        if run.status == "cancelled" and previous and _has_people(previous) and previous.status != "cancelled":
            cancelled_with_enrolments += 1
        current.append(_upsert_run(course_id, run, shared, previous))
    for run_id, execution in stored.items():
        if run_id in wanted:
            continue
        if not _has_people(execution):
            execution.delete()
            continue
        if execution.status != "cancelled":
            _cancel_run(execution)
            cancelled_with_enrolments += 1
        current.append(execution)
    return cancelled_with_enrolments, current


def _course_fields(course: CourseData, supplier: Supplier) -> dict[str, Any]:
    """What every execution copies from its course and supplier, so enrolling needs only the execution."""
    return {
        "supplier_id": supplier.supplier_id, "cancellation_free_days": suppliers.cancellation_free_days(supplier),
        "course_name": course.name, "open_for": set(course.open_for) if course.open_for else None,
        "salary_scales": course.salary_scales,
    }


def _run_fields(run: RunData, shared: dict[str, Any]) -> dict[str, Any]:
    deadline = date.fromisoformat(run.application_deadline) if run.application_deadline else None
    close = waiting_rules.close_day(run.status, date.fromisoformat(run.start_day), deadline, clock.today())
    return {
        **shared, "status": run.status, "start_day": run.start_day, "end_day": run.end_day,
        "start_time": run.start_time, "end_time": run.end_time, "application_deadline": run.application_deadline,
        "city": run.city, "location": run.location,
        "online": run.online, "price_cents": run.price_cents, "seats": run.seats,
        "waiting_close_day": close.isoformat(),  # the waiting list closes then (R_WAIT_03), kept with the dates
    }


def _new_execution(course_id: str, run: RunData, shared: dict[str, Any]) -> Execution:
    return Execution(course_id, run.run_id, seats_taken=0, waiting_seq=0, waiting_count=0, offered_count=0,
                     **_run_fields(run, shared))


def _upsert_run(course_id: str, run: RunData, shared: dict[str, Any], stored: Execution | None) -> Execution:
    fields = _run_fields(run, shared)
    more_seats = stored is not None and stored.seats is not None and (run.seats is None or run.seats > stored.seats)
    if more_seats:
        del fields["seats"]  # added seats are filled from the waiting list as they are added (R_WAIT_02)
    if stored is None:
        created = _new_execution(course_id, run, shared)
        try:
            created.save(condition=Execution.execution_id.does_not_exist())
            return created
        except PutError as err:
            faults.only_condition(err)
            stored = Execution.get(course_id, run.run_id, consistent_read=True)
    actions = [getattr(Execution, name).set(value) for name, value in fields.items() if value is not None]
    actions += [getattr(Execution, name).remove() for name, value in fields.items() if value is None]
    if run.status == "cancelled" and _has_people(stored) and stored.status != "cancelled":
        actions += [Execution.due_notify.set("due"), Execution.change_at.set(clock.now())]
    elif _has_people(stored) and stored.status != "cancelled":
        actions += _change_mark(stored, fields)
    if stored.seats_taken and run.start_day != stored.start_day and run.start_day < _today():
        actions.append(Execution.moved.set("due"))  # a start day the order lists may have passed
    if stored.seats_taken and run.end_day != stored.end_day and run.end_day < _today():
        actions.append(Execution.end_moved.set("due"))  # an end day the review invitations may have passed
    stored.update(actions=actions)
    if more_seats:  # the returned copy goes to the index, which shows no seat counts: no read again
        moving_up.set_seats(course_id, run.run_id, run.seats)
    return stored


def _has_people(execution: Execution) -> bool:
    """Enrolments (a seat taken, an offered seat too) or a waiting list: people who hear of a change or a
    cancellation (R_CAL_02)."""
    return bool(execution.seats_taken) or bool(execution.waiting_list)


def _change_mark(stored: Execution, fields: dict[str, Any]) -> list[Any]:
    """R_CAL_02: a change people must hear of is marked in the import's own write (sparse
    `due-change-index`), with the values as people last heard them, kept until the notice job told them."""
    before = {name: getattr(stored, name) for name in change_rules.NOTICED}
    changed = change_rules.changed_fields(before, fields)
    if not changed:
        return []
    told = plain(stored.change_before) if stored.due_change and stored.change_before else {}
    actions = [Execution.due_change.set("due"), Execution.change_seq.add(1),
               Execution.change_before.set({**{name: before[name] for name in changed}, **told})]
    if not stored.due_change:
        actions.append(Execution.change_at.set(clock.now()))
    return actions


def _cancel_run(execution: Execution) -> None:
    """The enrolment capability tells everyone on it (sparse due-notify index) and closes its waiting list
    within the hour (R_WAIT_05)."""
    execution.update(actions=[Execution.status.set("cancelled"), Execution.due_notify.set("due"),
                              Execution.change_at.set(clock.now()), Execution.waiting_close_day.set(_today())])


def index_doc(course: Course, supplier: Supplier, executions: list[Execution]) -> dict[str, Any]:
    runs = [
        {"id": e.execution_id, "start": e.start_day, "end": e.end_day, "city": e.city, "online": bool(e.online),
         "price_cents": int(e.price_cents), "status": e.status}
        for e in executions
    ]
    subject, audience = title_audience(course.name)
    summary, summary_audience = title_audience(course.summary)
    return {
        "id": course.course_id, "name": course.name, "summary": course.summary, "supplier_id": course.supplier_id,
        "supplier_name": supplier.name, "kind": course.kind, "theme": course.theme,
        "open_for": sorted(course.open_for) if course.open_for else None,
        "updated": course.updated_at.isoformat(),
        "runs": runs,
        "terms": document_terms({
            "name": [subject],
            "audience": [audience, summary_audience],
            "words": [str(word) for word in course.search_words or []],
            "summary": [summary],
            "desc": [course.description],
        }),
        # who offers it and where it is filed: found as typed, never through synonyms or typos
        "meta": document_terms({"meta": [supplier.name, THEME_LABELS.get(course.theme or "")]}),
    }


# --- reading --------------------------------------------------------------------------------------


def search_courses(query: Any, viewer_codes: frozenset[str] | None) -> dict[str, Any]:
    """`query` is a validated SearchQuery. One read once warm: the catalogue version.

    `suggestions`: "Bedoelde u" queries when no course matches every word (R_CAT_07); `showing`: the
    suggestion whose results the page holds, when the query itself found nothing or a word of it matches
    nothing and the suggestion respells it by ear; `place`: the place typed in the query that the results
    are narrowed to (its courses first, with their runs there)."""
    index = catalogue_index.current()
    fingerprint = _query_fingerprint(query)
    after = cursors.decode("search-cursor", query.cursor, lambda data: _position(data, fingerprint)) \
        if query.cursor else None
    filters = search.Filters(
        theme=query.theme, supplier=query.supplier, city=query.city, kind=query.kind, online=query.online,
        date_from=query.date_from.isoformat() if query.date_from else None,
        date_to=query.date_to.isoformat() if query.date_to else None,
    )
    answer = index.answer(query.q or "", filters, viewer_codes, _today(), query.sort, after, query.limit)
    page = answer.page
    if query.q and query.log and not query.cursor:
        eventlog.record(eventlog.EventKind.SEARCH, term=scrub_search_term(query.q), results=len(page.items))
    next_cursor = None
    if page.next_after is not None:
        next_cursor = cursors.encode("search-cursor", {"a": list(page.next_after), "q": fingerprint})
    return {"items": [_with_theme_label(item) for item in page.items], "next_cursor": next_cursor,
            "suggestions": answer.suggestions, "showing": answer.showing, "place": page.place}


def _query_fingerprint(query: Any) -> str:
    parts = [query.q, query.theme, query.supplier, query.city, query.kind, query.online, query.date_from,
             query.date_to, query.sort]
    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()


def _position(data: dict[str, Any], fingerprint: str) -> tuple[int, str, str]:
    """A cursor is valid only for the query it was made for."""
    after = data["a"]
    if data.get("q") != fingerprint or not isinstance(after, list) or len(after) != 3:
        raise ValueError("cursor of another query")
    return (int(after[0]), str(after[1]), str(after[2]))


def _with_theme_label(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "theme_label": THEME_LABELS.get(item.get("theme") or "")}


def course_detail(course_id: str, viewer_codes: frozenset[str] | None) -> dict[str, Any]:
    """The course with live seats; a restricted course is a 404 for others. (Its rating summary is the
    reviews capability's, which sits above the catalogue: the route adds it.)"""
    doc = catalogue_index.current().doc(course_id)
    if doc is None or not search.visible(doc, viewer_codes):
        raise NotFoundError("Deze opleiding bestaat niet of is niet voor u beschikbaar.")
    course = Course.get(course_id)
    upcoming = [e for e in _runs_of(course_id) if e.start_day >= _today() and e.status != "cancelled"]
    upcoming.sort(key=lambda e: (e.start_day, e.execution_id))
    return {
        "course_id": course_id, "name": course.name, "summary": course.summary,
        "description": course.description, "supplier_id": course.supplier_id,
        "supplier_name": doc.get("supplier_name"), "kind": course.kind, "theme": course.theme,
        "theme_label": THEME_LABELS.get(course.theme or ""), "level": course.level, "form": course.form,
        "duration": course.duration, "requirements": list(course.requirements),
        "salary_scales": list(course.salary_scales) if course.salary_scales else None,
        "restricted": bool(course.open_for),
        "executions": [_execution_view(e) for e in upcoming],
    }


def _execution_view(execution: Execution) -> dict[str, Any]:
    terms = cancellation_terms(date.fromisoformat(execution.start_day), _optional_int(execution.cancellation_free_days),
                               int(execution.price_cents))
    seats_left = None if execution.seats is None else max(0, int(execution.seats) - int(execution.seats_taken))
    waiting = seats_left is not None and int(execution.waiting_count or 0) > 0
    applicable = execution.status == "open" and execution.start_day > _today() and (
        execution.application_deadline is None or execution.application_deadline >= _today())
    return {
        "execution_id": execution.execution_id, "start": execution.start_day, "end": execution.end_day,
        "application_deadline": execution.application_deadline, "city": execution.city,
        "location": execution.location, "online": bool(execution.online),
        "price_cents": int(execution.price_cents), "seats": None if execution.seats is None else int(execution.seats),
        "cancellation_free_days": terms.free_days,
        "last_free_cancellation_day": terms.last_free_day.isoformat(),
        "cancellation_penalty_cents": terms.penalty_cents,
        "seats_left": seats_left, "status": execution.status,
        "open_for_application": applicable and seats_left != 0 and not waiting,
        # full, or people wait: the same form joins the waiting list instead (R_WAIT_01)
        "waiting_list_open": applicable and (seats_left == 0 or waiting),
    }


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def visible_course_name(course_id: str, viewer_codes: frozenset[str] | None) -> str | None:
    """The course's name when it is in the catalogue and the viewer may see it (R_CAT_02); else None.
    `viewer_codes` None is a visitor."""
    doc = catalogue_index.current().doc(course_id)
    if doc is None or not search.visible(doc, viewer_codes):
        return None
    return str(doc.get("name"))


def course_name(course_id: str) -> str | None:
    """The course's name for any reader allowed to see every course (CFB, the author, the supplier)."""
    doc = catalogue_index.current().doc(course_id)
    if doc is not None:
        return str(doc.get("name"))
    try:
        return Course.get(course_id).name
    except DoesNotExist:
        return None


def lms_courses(org_codes: frozenset[str], since: str | None, cursor: str | None, limit: int) -> dict[str, Any]:
    """An organisation's catalogue for its LMS (R_ENR_01): courses it may see, changed since `since`."""
    after = cursors.decode("lms-cursor", cursor, lambda data: str(data["after"])) if cursor else ""
    index = catalogue_index.current()
    docs = sorted((d for d in index.docs if search.visible(d, org_codes) and d["id"] > after
                   and (since is None or d.get("updated", "") >= since)), key=lambda d: d["id"])
    page = docs[:limit]
    items = [{**search.summary(d, search.upcoming_runs(d, _today())), "updated": d.get("updated")} for d in page]
    next_cursor = cursors.encode("lms-cursor", {"after": page[-1]["id"]}) if len(docs) > limit else None
    return {"items": items, "next_cursor": next_cursor}


def _drop(documents: dict[str, dict[str, Any]], course_id: str) -> None:
    documents.pop(course_id, None)
