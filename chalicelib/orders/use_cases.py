"""Order lists (R_ORD_01-04, R_ENR_08, R_PRV_01): the nightly job that turns approved enrolments
into order lines, the list order-authorised staff see, marking a line as ordered, and the export.

The job reads only what is due: the executions of each start day through the date-keyed
`start-day-index`, their enrolments through `execution-index`, and enrolments that changed on or
after their start day through the sparse `due-order-index`, and runs whose supplier moved the start
to a day already processed through the sparse `moved-index`. A stored progress item remembers the
last start day done (a missed day is caught up) and, when a run stops before its time budget
runs out, the execution to resume after. One line per enrolment: its key is derived from the
enrolment id and written with a conditional put, so running twice adds nothing twice.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.access import Principal
from chalicelib.models import Counter, Enrolment, Execution, OrderLine, Organisation, plain
from chalicelib.orders import rules
from chalicelib.platform import batch, clock, cursors, eventlog, outbox
from chalicelib.platform.errors import ConflictError, NotFoundError, NotVisibleError, TooLargeError

PROGRESS = "order-lists"
BUDGET_SECONDS = 240.0  # the job's Lambda has 300 s; stop in time and resume on the next run
MAX_EXECUTIONS_PER_RUN = 5000
DUE = "due"
EXPORT_MAX_LINES = 20000
TOTALS_MAX_LINES = 5000
CURSOR_PURPOSE = "orders"


# --- the job -------------------------------------------------------------------------------------------


@dataclass
class _Run:
    today: date
    started: float = field(default_factory=time.monotonic)
    executions: int = 0
    added: int = 0
    changed: int = 0
    staffed: dict[str, frozenset[str]] = field(default_factory=dict)

    def out_of_budget(self) -> bool:
        return self.executions >= MAX_EXECUTIONS_PER_RUN or time.monotonic() - self.started > BUDGET_SECONDS


def build_order_lists() -> dict[str, Any]:
    """R_ORD_01/R_ORD_04: every start day after the last one done, up to yesterday; then the
    enrolments marked for a second look. Safe to run at any time and as often as wanted."""
    run = _Run(clock.today())
    progress = _progress()
    done_through = progress.get("done_through")
    resume = progress.get("resume") or {}
    days = rules.days_due(date.fromisoformat(done_through) if done_through else None, run.today)
    for day in days:
        day_text = day.isoformat()
        after = resume.get("after") if resume.get("day") == day_text else None
        stopped_after = _process_day(run, day_text, after)
        if stopped_after is not None:
            _save_progress(done_through, {"day": day_text, "after": stopped_after})
            return _result(run, days_done=days.index(day), complete=False)
        done_through = day_text
    if days:
        _save_progress(done_through, None)
    if done_through:
        _moved_runs(run, done_through)
        _second_looks(run, done_through)
    return _result(run, days_done=len(days), complete=True)


def _result(run: _Run, days_done: int, complete: bool) -> dict[str, Any]:
    return {"count": run.added, "changed": run.changed, "executions": run.executions, "days": days_done,
            "complete": complete}


def _progress() -> dict[str, Any]:
    try:
        extra = Counter.get(PROGRESS, consistent_read=True).extra
        return plain(extra) if extra else {}
    except DoesNotExist:
        return {}


def _save_progress(done_through: str | None, resume: dict[str, str] | None) -> None:
    extra: dict[str, Any] = {"done_through": done_through} if done_through else {}
    if resume:
        extra["resume"] = resume
    Counter(PROGRESS, value=0, extra=extra).save()


def _process_day(run: _Run, day: str, after: str | None) -> str | None:
    """Every execution that started on `day`, in key order. Returns where to resume when the budget ran out."""
    keys = sorted(f"{k.course_id}#{k.execution_id}" for k in Execution.start_day_index.query(day))
    last_done = after
    for execution_key in keys:
        if after is not None and execution_key <= after:
            continue
        if run.out_of_budget():
            return last_done or ""
        _process_execution(run, execution_key, day)
        last_done = execution_key
    return None


def _process_execution(run: _Run, execution_key: str, start_day: str) -> None:
    run.executions += 1
    ids = [k.enrolment_id for k in Enrolment.execution_index.query(execution_key)]
    if not ids:
        return
    order_day = date.fromordinal(date.fromisoformat(start_day).toordinal() + 1).isoformat()
    for enrolment in Enrolment.batch_get(ids, consistent_read=True):
        _follow(run, enrolment, order_day, day_pass=True)


def _moved_runs(run: _Run, done_through: str) -> None:
    """Runs whose supplier moved the start to a day already processed (sparse `moved-index`): their
    enrolments are followed now; a run moved to a day still ahead keeps its mark for that day's pass."""
    for key in Execution.moved_index.query(DUE):
        try:
            execution = Execution.get(key.course_id, key.execution_id, consistent_read=True)
        except DoesNotExist:
            continue
        if execution.start_day > done_through:
            continue
        _process_execution(run, f"{execution.course_id}#{execution.execution_id}", execution.start_day)
        with contextlib.suppress(UpdateError):  # moved again meanwhile: keep the mark, look again next run
            execution.update(actions=[Execution.moved.remove()], condition=Execution.start_day == execution.start_day)


def _second_looks(run: _Run, done_through: str) -> None:
    """Enrolments approved or cancelled on or after their start day (R_ORD_04, R_ENR_08). Those whose
    start day is not processed yet keep their mark: the day's pass will see them."""
    for key in Enrolment.order_index.query(DUE):
        try:
            enrolment = Enrolment.get(key.enrolment_id, consistent_read=True)
        except DoesNotExist:
            continue
        if enrolment.start_day > done_through:
            continue
        if not _follow(run, enrolment, run.today.isoformat()):
            continue  # the line changed meanwhile (e.g. marked ordered): keep the mark, look again next run
        try:
            enrolment.update(actions=[Enrolment.due_order.remove()],
                             condition=Enrolment.version == enrolment.version)
        except UpdateError:
            continue  # changed meanwhile: still marked, the next run looks again


def _follow(run: _Run, enrolment: Enrolment, order_day: str, day_pass: bool = False) -> bool:
    """Make the enrolment's line what its status asks for: add it once, or turn it into the penalty order.
    On the day pass an enrolment that wants no line has none to change (changes from the start day
    on are marked and seen by the second look), so it costs no read."""
    penalty = None if enrolment.penalty_cents is None else int(enrolment.penalty_cents)
    wanted = rules.wanted_line(enrolment.status, penalty, int(enrolment.price_cents))
    if wanted is None and day_pass:
        return True
    line_id = rules.line_id_for(enrolment.enrolment_id)
    if wanted is not None:
        line = _new_line(run, enrolment, wanted, line_id, order_day)
        try:
            line.save(condition=OrderLine.line_id.does_not_exist())
            run.added += 1
            return True
        except PutError as err:
            if getattr(err, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
    try:
        existing = OrderLine.get(line_id, consistent_read=True)
    except DoesNotExist:
        return True  # nothing on a list, nothing wanted: a free cancellation removes nothing (R_ENR_08)
    change = rules.change_for_existing(existing.kind, existing.status, wanted)
    if change is None:
        return True
    actions: list[Any] = []
    if change.kind:
        actions.append(OrderLine.kind.set(change.kind))
    if change.amount_cents is not None:
        actions.append(OrderLine.price_cents.set(change.amount_cents))
    if change.status:
        actions.append(OrderLine.status.set(change.status))
    try:
        existing.update(actions=actions, condition=(OrderLine.kind == existing.kind)
                        & (OrderLine.status == existing.status))
        run.changed += 1
    except UpdateError:
        return False  # marked ordered meanwhile: the next look applies the change
    return True


def _new_line(run: _Run, enrolment: Enrolment, wanted: rules.Wanted, line_id: str, order_day: str) -> OrderLine:
    department = rules.route_department(enrolment.department_id, _staffed(run, enrolment.org_id))
    return OrderLine(
        line_id, list_key=rules.list_key(enrolment.org_id, department),
        list_sort=rules.list_sort(order_day, line_id), enrolment_id=enrolment.enrolment_id,
        enrolment_version=int(enrolment.version),
        org_id=enrolment.org_id, department_id=department, course_id=enrolment.course_id,
        course_name=enrolment.course_name, execution_id=enrolment.execution_id, place=enrolment.place,
        start_day=enrolment.start_day, end_day=enrolment.original_end_day, supplier_id=enrolment.supplier_id,
        source=enrolment.source,
        business_email=enrolment.business_email if enrolment.source == "portal" else None,
        price_cents=wanted.amount_cents, kind=wanted.kind, status=rules.OPEN, order_day=order_day,
        created_at=clock.now(),
    )


def _staffed(run: _Run, org_id: str) -> frozenset[str]:
    if org_id not in run.staffed:
        try:
            org = Organisation.get(org_id)
            run.staffed[org_id] = rules.staffed_departments(org.order_staff or ())
        except DoesNotExist:
            run.staffed[org_id] = frozenset()
    return run.staffed[org_id]


# --- what order-authorised staff see (R_ORD_02, R_ACC_10, R_PRV_01) -------------------------------------


def scopes(principal: Principal) -> list[rules.Scope]:
    return rules.scopes_of((g.role, g.org_id, g.department_id) for g in principal.roles)


def _scope(principal: Principal, org_id: str | None, department_id: str | None) -> rules.Scope:
    scope = rules.pick_scope(scopes(principal), org_id, department_id)
    if scope is None:
        raise NotVisibleError("Deze bestellijst bestaat niet of is niet voor u.", code="unknown_order_list")
    return scope


def _query(scope: rules.Scope, date_from: date | None, date_to: date | None, status: str | None,
           limit: int | None = None, last_key: dict[str, Any] | None = None) -> Any:
    low, high = rules.period_bounds(date_from, date_to)
    return OrderLine.list_index.query(
        scope.key, OrderLine.list_sort.between(low, high),
        filter_condition=(OrderLine.status == status) if status else None,
        scan_index_forward=False, limit=limit, last_evaluated_key=last_key,
    )


def list_orders(principal: Principal, query: Any) -> dict[str, Any]:
    """One page of the caller's order list, newest order day first; each line shown is recorded once."""
    scope = _scope(principal, query.org, query.department)
    filters = [scope.key, str(query.date_from), str(query.date_to), str(query.status)]
    last_key = None
    if query.cursor:
        last_key = cursors.decode(CURSOR_PURPOSE, query.cursor, lambda data: _cursor_key(data, filters))
    result = _query(scope, query.date_from, query.date_to, query.status, query.limit, last_key)
    lines = list(result)
    next_key = result.last_evaluated_key
    _disclose(lines)
    return {
        "scope": _scope_view(scope), "scopes": [_scope_view(s) for s in scopes(principal)],
        "items": [line_view(line, principal.subject_id) for line in lines],
        "totals": _totals(scope, query.date_from, query.date_to, query.status) if not query.cursor else None,
        "next_cursor": cursors.encode(CURSOR_PURPOSE, {"k": next_key, "f": filters}) if next_key else None,
    }


def _cursor_key(data: dict[str, Any], filters: list[str]) -> dict[str, Any]:
    if data["f"] != filters:
        raise ValueError("cursor of another list or filter")
    key = data["k"]
    if not isinstance(key, dict):
        raise TypeError("cursor key")
    return key


def _totals(scope: rules.Scope, date_from: date | None, date_to: date | None,
            status: str | None) -> dict[str, Any]:
    rows = []
    for line in _query(scope, date_from, date_to, status):
        rows.append((line.order_day, line.status, int(line.price_cents)))
        if len(rows) >= TOTALS_MAX_LINES:
            break
    months = rules.totals_by_month(rows)
    return {"months": months, "count": sum(int(str(m["count"])) for m in months),
            "amount_cents": sum(int(str(m["amount_cents"])) for m in months),
            "complete": len(rows) < TOTALS_MAX_LINES}


def _scope_view(scope: rules.Scope) -> dict[str, Any]:
    org_name, department_name = _names_of(scope.org_id, scope.department_id)
    return {"org_id": scope.org_id, "department_id": scope.department_id,
            "organisation": org_name or scope.org_id,  # an unknown organisation must not hide the list
            "department": department_name}


def line_view(line: OrderLine, viewer_id: str) -> dict[str, Any]:
    """R_ORD_02: course, execution, dates, amount, status and, as the only personal data, the business
    e-mail (an LMS enrolment: none, "via LMS")."""
    via_lms = line.source == "lms"
    return {
        "line_id": line.line_id, "order_day": line.order_day, "kind": line.kind, "status": line.status,
        "course": {"course_id": line.course_id, "name": line.course_name},
        "execution": {"execution_id": line.execution_id, "start": line.start_day, "end": line.end_day,
                      "place": line.place},
        "amount_cents": int(line.price_cents),
        "email": None if via_lms else line.business_email,
        "via_lms": via_lms,
        "ordered_at": line.ordered_at.isoformat() if line.ordered_at else None,
        "ordered_by_you": bool(line.ordered_by) and line.ordered_by == viewer_id,
    }


def _disclose(lines: list[OrderLine]) -> None:
    """R_PRV_01: the first time a line is shown, one ledger row (by role and list, not by person) that names the
    enrolment's account, so the holder's export finds it by account (one BatchGetItem for the new lines)."""
    new = [line for line in lines if line.disclosed_at is None]
    if not new:
        return
    accounts = _accounts_of({line.enrolment_id for line in new})
    for line in new:
        fields = rules.SHOWN_LMS if line.source == "lms" else rules.SHOWN_PORTAL
        outbox.record_disclosure(outbox.Disclosed(line.enrolment_id, int(line.enrolment_version or 1),
                                                  "order_authorised", line.list_key, fields,
                                                  accounts.get(line.enrolment_id)), channel="order_list")
        with contextlib.suppress(UpdateError):  # shown at the same moment elsewhere: the row exists once either way
            line.update(actions=[OrderLine.disclosed_at.set(clock.now())],
                        condition=OrderLine.disclosed_at.does_not_exist())


def _accounts_of(enrolment_ids: set[str]) -> dict[str, str | None]:
    """Each enrolment's account (none for an LMS or detached one), read without its personal data."""
    found = batch.get_many([batch.Key(Enrolment, enrolment_id) for enrolment_id in sorted(enrolment_ids)],
                           attributes=("enrolment_id", "account_id"))
    return {e.enrolment_id: e.account_id for e in found if isinstance(e, Enrolment)}


def mark_ordered(principal: Principal, line_id: str) -> dict[str, Any]:
    """The line was ordered: by whom and when. Repeating it changes nothing."""
    line = _own_line(principal, line_id)
    if line.status == rules.WITHDRAWN:
        raise ConflictError("Deze bestelregel is vervallen; u hoeft niets te bestellen.", code="withdrawn")
    if line.status == rules.OPEN:
        try:
            line.update(actions=[OrderLine.status.set(rules.ORDERED), OrderLine.ordered_at.set(clock.now()),
                                 OrderLine.ordered_by.set(principal.subject_id)],
                        condition=OrderLine.status == rules.OPEN)
            _log_change(principal, line, "ordered")
        except UpdateError:
            line.refresh(consistent_read=True)
    _disclose([line])
    return line_view(line, principal.subject_id)


def reopen(principal: Principal, line_id: str) -> dict[str, Any]:
    """Undo "Markeer als besteld": the line is open again, for anyone with the same list (a mis-click
    must not stay). Conditional on the line being ordered; repeating it changes nothing."""
    line = _own_line(principal, line_id)
    if line.status == rules.WITHDRAWN:
        raise ConflictError("Deze bestelregel is vervallen; u hoeft niets te bestellen.", code="withdrawn")
    if line.status == rules.ORDERED:
        try:
            line.update(actions=[OrderLine.status.set(rules.OPEN), OrderLine.ordered_at.remove(),
                                 OrderLine.ordered_by.remove()],
                        condition=OrderLine.status == rules.ORDERED)
            _log_change(principal, line, "reopened")
        except UpdateError:
            line.refresh(consistent_read=True)
    return line_view(line, principal.subject_id)


def _own_line(principal: Principal, line_id: str) -> OrderLine:
    """A line of one of the caller's own lists, else the same 404 whether it exists or not."""
    try:
        line = OrderLine.get(line_id, consistent_read=True)
    except DoesNotExist:
        raise NotVisibleError("Deze bestelregel bestaat niet of is niet voor u.") from None
    if line.list_key not in {s.key for s in scopes(principal)}:
        raise NotVisibleError("Deze bestelregel bestaat niet of is niet voor u.")
    return line


def _log_change(principal: Principal, line: OrderLine, outcome: str) -> None:
    eventlog.record(eventlog.EventKind.ORDER_LINE_CHANGED, actor_ref=principal.subject_id, org_id=line.org_id,
                    department_id=line.department_id, course_id=line.course_id, outcome=outcome)


@dataclass(frozen=True)
class Export:
    kind: str  # csv | json
    body: Any
    name: str  # the file name without its extension


def export(principal: Principal, query: Any) -> Export:
    """R_ORD_03: the same lines without personal data, with the names of organisation, department and
    supplier beside their ids: JSON (English keys) for the ordering system, CSV (Dutch) for a spreadsheet."""
    scope = _scope(principal, query.org, query.department)
    lines = []
    for line in _query(scope, query.date_from, query.date_to, query.status):
        lines.append(line)
        if len(lines) > EXPORT_MAX_LINES:
            raise TooLargeError("Kies een kortere periode: dit zijn te veel bestelregels voor één bestand.",
                                fields={"from": "Kies een kortere periode."})
    lines.reverse()  # oldest first in a file
    rows = [_export_row(line) for line in lines]
    name = rules.export_name(query.date_from, query.date_to, [line.order_day for line in lines], clock.today())
    if query.format == "json":
        return Export("json", {"scope": {"org_id": scope.org_id, "department_id": scope.department_id},
                               "from": query.date_from.isoformat() if query.date_from else None,
                               "to": query.date_to.isoformat() if query.date_to else None, "lines": rows}, name)
    return Export("csv", rules.csv_document(rows), name)


def _export_row(line: OrderLine) -> dict[str, Any]:
    organisation, department = _names_of(line.org_id, line.department_id)
    return {
        "order_reference": line.line_id, "order_day": line.order_day, "kind": line.kind, "status": line.status,
        "organisation": line.org_id, "organisation_name": organisation, "department": line.department_id,
        "department_name": department, "supplier_id": line.supplier_id,
        "supplier_name": _supplier_name(line.supplier_id),
        "course_id": line.course_id, "course_name": line.course_name, "execution_id": line.execution_id,
        "start": line.start_day, "end": line.end_day, "place": line.place,
        "amount_cents": int(line.price_cents), "source": line.source,
    }


def _names_of(org_id: str, department_id: str | None) -> tuple[str | None, str | None]:
    """Organisation and department names (a per-container cache, so a long export reads each once)."""
    from chalicelib.accounts import organisations

    try:
        info = organisations.organisation(org_id)
    except NotFoundError:
        return None, None
    return info.name, info.departments.get(department_id) if department_id else None


def _supplier_name(supplier_id: str | None) -> str | None:
    from chalicelib.suppliers import use_cases as suppliers

    if not supplier_id:
        return None
    try:
        return suppliers.cached(supplier_id).name
    except NotFoundError:
        return None
