"""Review use cases (R_REV_01-04, R_ACC_08/09, R_LOG_01): write, read per role, change, delete, invite.

Every write is one TransactWriteItems holding the review (and its once-per-course guard) together
with the course's rating summary (`Counter rating:<course_id>`), written conditionally on the
summary's version: the summary is exact at every instant, and a concurrent writer simply retries.

The author link (`Review.account_id`) serves only "Mijn reviews", the author's own changes and
account deletion (R_REV_03). Names on named reviews are read from the account when shown, so a
changed name shows at once and no copy of it is kept.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactGetError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.access import Access, Principal
from chalicelib.models import Account, Counter, Course, Enrolment, Execution, OutboxItem, Review, ReviewGuard
from chalicelib.platform import clock, cursors, eventlog, faults, outbox, transactions
from chalicelib.platform.config import settings
from chalicelib.platform.errors import ConflictError, NotAllowedError, NotFoundError
from chalicelib.reviews import rules
from chalicelib.reviews.rules import Summary, Viewer

MAX_RETRIES = 8
INVITE_LOOKBACK_DAYS = 30
INVITE_STATE = "job:invite_reviews"
DUE = "due"
_NOT_FOUND = "Deze review bestaat niet (meer)."
_COURSE_NOT_FOUND = "Deze opleiding bestaat niet of is niet voor u beschikbaar."


def _plain(attribute: Any) -> dict[str, Any]:
    """A raw map attribute as a plain dict (PynamoDB's as_dict carries no annotations)."""
    return dict(attribute.as_dict())


def summary_name(course_id: str) -> str:
    return f"rating:{course_id}"


# --- reading the summary ----------------------------------------------------------------------------


def read_summary(course_id: str, consistent: bool = False) -> tuple[Summary, bool]:
    """The course's summary and whether its counter item exists."""
    try:
        counter = Counter.get(summary_name(course_id), consistent_read=consistent)
    except DoesNotExist:
        return rules.EMPTY, False
    return rules.summary_from(int(counter.value), _plain(counter.extra)), True


def rating_summary(course_id: str) -> dict[str, Any]:
    """What everyone, visitors too, sees: average, count and distribution 1-5 (R_REV_02)."""
    return read_summary(course_id)[0].as_view()


# --- one transaction: the change plus the summary ------------------------------------------------------


Stage = Callable[[TransactWrite], None]


@dataclass(frozen=True)
class Plan:
    """One review's change, planned against a snapshot: its own actions and its rating before and after."""

    stage: Stage
    removed: int | None
    added: int | None


# Plans the change from the review as it is now (None: absent); returns None when nothing is left to do,
# or raises a domain error (e.g. the review changed since the caller read it).
Planner = Callable[[Review | None], Plan | None]


def _snapshot(course_id: str, review_id: str | None) -> tuple[Review | None, Summary, bool]:
    """The review and the course's summary as of one instant (TransactGetItems), so the summary counts
    exactly the rating this review has: a change planned from both can never take away a rating the
    summary no longer holds. Without a review (a new one) only the summary is read."""
    if review_id is None:
        current, exists = read_summary(course_id, consistent=True)
        return None, current, exists
    with TransactGet(connection=transactions.connection()) as snapshot:
        review_future = snapshot.get(Review, review_id)
        counter_future = snapshot.get(Counter, summary_name(course_id))
    try:
        review: Review | None = review_future.get()
    except Review.DoesNotExist:
        review = None
    try:
        counter = counter_future.get()
    except Counter.DoesNotExist:
        return review, rules.EMPTY, False
    return review, rules.summary_from(int(counter.value), _plain(counter.extra)), True


def _summary_condition(current: Summary, exists: bool) -> Condition:
    if not exists:
        return Counter.name.does_not_exist()
    version = Counter.extra[rules.SUMMARY_VERSION]
    condition: Condition = version == current.version
    if not current.version:
        condition |= version.does_not_exist()
    return condition


def _commit(course_id: str, review_id: str | None, plan: Planner,
            explain: Callable[[list[str | None]], None]) -> bool:
    """Plan the change against a fresh snapshot, then write the review's actions and the summary in one
    transaction, the summary conditional on the version it was read at. Returns whether anything was written.

    `explain` turns a failed condition of the review's own actions into a domain error, or returns to
    try again; another writer of the course's summary, or a transaction in the way, means a fresh
    snapshot and a new plan, a bounded number of times, then 409 `busy` (R_SEC_02, R_SEC_03).
    """
    for attempt in range(MAX_RETRIES):
        try:
            review, current, exists = _snapshot(course_id, review_id)
        except TransactGetError as err:
            if faults.classify(err) is not faults.Fault.CONFLICT:
                raise
            faults.backoff(attempt)
            continue
        planned = plan(review)
        if planned is None:
            return False
        updated = rules.changed(current, planned.removed, planned.added)
        try:
            with TransactWrite(connection=transactions.connection()) as transaction:
                planned.stage(transaction)
                transaction.save(Counter(summary_name(course_id), value=updated.count, extra=updated.as_extra()),
                                 condition=_summary_condition(current, exists))
        except TransactWriteError as err:
            if faults.classify(err) is not faults.Fault.CONFLICT:
                raise
            explain(faults.reasons(err)[:-1])
            faults.backoff(attempt)
            continue  # another write of this review or of the course's summary came first: look again
        return True
    raise faults.busy()


def _failed(reasons: list[str | None]) -> set[int]:
    return {index for index, code in enumerate(reasons) if code == "ConditionalCheckFailed"}


# --- writing (R_REV_01, R_REV_02) -------------------------------------------------------------------------


def write(principal: Principal, viewer_codes: frozenset[str] | None, course_id: str, body: Any) -> dict[str, Any]:
    """The account that followed an execution of the course reviews it, once. A course the caller may not
    see is answered exactly as one that does not exist (R_CAT_02), before anything else is looked at."""
    account_id = principal.subject_id
    _visible_course(course_id, viewer_codes)
    course = _course(course_id)
    if has_reviewed(course_id, account_id):
        raise ConflictError("U hebt deze opleiding al beoordeeld. U kunt uw review wijzigen via Mijn reviews.",
                            code="already_reviewed")
    if not has_followed(account_id, course_id):
        raise NotAllowedError("U kunt alleen een opleiding beoordelen die u hebt gevolgd: ingeschreven, niet "
                              "geannuleerd en de einddatum voorbij.", code="not_followed")
    now = clock.now()
    review = Review("r" + secrets.token_hex(10), course_id=course_id, supplier_id=course.supplier_id,
                    account_id=account_id, rating=body.rating, text=body.text, named=bool(body.named), version=1,
                    listing="review", created_at=now, updated_at=now)

    def stage(transaction: TransactWrite) -> None:
        transaction.save(review, condition=Review.review_id.does_not_exist())
        transaction.save(ReviewGuard(rules.guard_id(course_id, account_id)),
                         condition=ReviewGuard.guard_id.does_not_exist())

    def explain(reasons: list[str | None]) -> None:
        if 1 in _failed(reasons):
            raise ConflictError("U hebt deze opleiding al beoordeeld.", code="already_reviewed")

    _commit(course_id, None, lambda _: Plan(stage, None, review_rating(review)), explain)
    _log("written", "author")
    return own_view(review, _names([review]))


def _log(outcome: str, by: str) -> None:
    """R_LOG_01 without pointing to anyone (R_REV_03): what happened and whether the author or CFB did it;
    no review, course or account, so no entry beside a login or an account's entry says who wrote what."""
    eventlog.record(eventlog.EventKind.REVIEW, outcome=outcome, reason=by)


def review_rating(review: Review) -> int:
    return int(review.rating)


def has_reviewed(course_id: str, account_id: str) -> bool:
    """One GetItem on the guard (R_REV_01: once per course)."""
    try:
        ReviewGuard.get(rules.guard_id(course_id, account_id), consistent_read=True)
    except DoesNotExist:
        return False
    return True


def has_followed(account_id: str, course_id: str) -> bool:
    """R_REV_01 by key: the account's own enrolments (its index), filtered to this course; then each
    candidate's execution by key, so a run its supplier cancelled or moved counts as it is now."""
    today = clock.today().isoformat()
    mine = Enrolment.account_index.query(account_id, filter_condition=Enrolment.course_id == course_id)
    candidates = [e for e in mine if e.source == "portal" and e.status == "approved"]
    followed = []
    for enrolment in candidates:
        try:
            run = Execution.get(enrolment.course_id, enrolment.execution_id)
            followed.append(rules.Followed(enrolment.status, run.end_day, run.status))
        except DoesNotExist:
            followed.append(rules.Followed(enrolment.status, enrolment.original_end_day, None))
    return rules.has_followed(followed, today)


def _course(course_id: str) -> Course:
    try:
        return Course.get(course_id)
    except DoesNotExist:
        raise NotFoundError(_COURSE_NOT_FOUND) from None


# --- changing and deleting (R_REV_04) ---------------------------------------------------------------------


def _review(review_id: str) -> Review:
    try:
        return Review.get(review_id, consistent_read=True)
    except DoesNotExist:
        raise NotFoundError(_NOT_FOUND) from None


def _is_cfb(principal: Principal) -> bool:
    return Access.CFB in principal.audiences


def _changeable(principal: Principal, review_id: str) -> tuple[Review, str]:
    """The review if the caller is its author or CFB; else 404, never saying whose it is."""
    review = _review(review_id)
    author = review.account_id == principal.subject_id
    if not rules.may_change(author, _is_cfb(principal)):
        raise NotFoundError(_NOT_FOUND)
    return review, "author" if author else "cfb"


def _changed() -> ConflictError:
    return ConflictError("Deze review is intussen gewijzigd of verwijderd; laad de pagina opnieuw.", code="changed")


def _changed_meanwhile(reasons: list[str | None]) -> None:
    if 0 in _failed(reasons):
        raise _changed()


def _as_read(read: Review, staged: Callable[[Review], Plan]) -> Planner:
    """Plan against the review only as the caller read it: changed or deleted since (the author in another
    tab, CFB at the same moment) is a 409 `changed`, never a change made on top of what they did not see."""
    def plan(now: Review | None) -> Plan:
        if now is None or int(now.version) != int(read.version):
            raise _changed()
        return staged(now)

    return plan


def change(principal: Principal, review_id: str, patch: Any) -> dict[str, Any]:
    review, by = _changeable(principal, review_id)
    if by == "cfb":
        _moderates_text_only(patch)
    rating = review_rating(review) if patch.rating is None else int(patch.rating)
    actions: list[Any] = [Review.rating.set(rating), Review.version.add(1), Review.updated_at.set(clock.now())]
    if patch.text is not None:
        actions.append(Review.text.set(patch.text))
    if patch.named is not None:
        actions.append(Review.named.set(bool(patch.named)))

    def staged(now: Review) -> Plan:
        def stage(transaction: TransactWrite) -> None:
            transaction.update(now, actions=actions, condition=Review.version == now.version)

        return Plan(stage, review_rating(now), rating)

    _commit(review.course_id, review_id, _as_read(review, staged), _changed_meanwhile)
    _log("changed", by)
    review = _review(review_id)
    if by == "author":
        return own_view(review, _names([review]))
    return admin_view(review, _names([review]))


def _moderates_text_only(patch: Any) -> None:
    """CFB moderates the text (R_REV_04); the stars and the choice to show a name stay the author's: an
    anonymous review must never become named by anyone else (R_REV_03)."""
    if patch.named is not None:
        raise NotAllowedError("Alleen de schrijver kiest of de naam bij de review staat.",
                              code="named_is_authors_choice",
                              fields={"named": "Alleen de schrijver van de review kan dit wijzigen."})
    if patch.rating is not None:
        raise NotAllowedError("CFB modereert alleen de tekst; de beoordeling is van de schrijver.",
                              code="rating_is_authors_choice",
                              fields={"rating": "Alleen de schrijver van de review kan de beoordeling wijzigen."})


def delete(principal: Principal, review_id: str) -> dict[str, Any]:
    review, by = _changeable(principal, review_id)
    _commit(review.course_id, review_id, _as_read(review, _deletion), _changed_meanwhile)
    _log("deleted", by)
    return {"deleted": True, "review_id": review_id}


def _deletion(review: Review) -> Plan:
    def stage(transaction: TransactWrite) -> None:
        transaction.delete(review, condition=Review.version == review.version)
        transaction.delete(ReviewGuard(rules.guard_id(review.course_id, review.account_id)))

    return Plan(stage, review_rating(review), None)


def delete_all_of_account(account_id: str) -> int:
    """R_ACC_08: every review of a deleted account, each with its guard and its summary change. A review
    changed meanwhile (by CFB) is deleted as it is then; one already gone is nothing to do. No review event
    is logged: beside the account's deletion entry it would say whose review it was (R_REV_03)."""
    deleted = 0
    for key in Review.account_index.query(account_id):
        try:
            course_id = Review.get(key.review_id, consistent_read=True, attributes_to_get=["course_id"]).course_id
        except DoesNotExist:
            continue
        if _commit(course_id, key.review_id, lambda now: None if now is None else _deletion(now), _look_again):
            deleted += 1
    return deleted


def _look_again(reasons: list[str | None]) -> None:
    """Whatever failed (the review changed, the summary moved on), the next snapshot shows it as it is."""


# --- views per viewer (R_REV_02, R_REV_03) ------------------------------------------------------------------


Names = dict[str, tuple[str, str]]


def _names(reviews: Iterable[Review]) -> Names:
    """First and last names of the authors of the named reviews only (one BatchGetItem)."""
    ids = sorted({r.account_id for r in reviews if r.named})
    if not ids:
        return {}
    return {a.account_id: (a.first_name, a.last_name)
            for a in Account.batch_get(ids, attributes_to_get=["account_id", "first_name", "last_name"])}


def view(review: Review, viewer: Viewer, names: Names) -> dict[str, Any]:
    """The one shape of a review in any answer; `author` only where the rules allow a name."""
    author = None
    if rules.shows_name(viewer, bool(review.named)) and review.account_id in names:
        first, last = names[review.account_id]
        author = {"first_name": first, "last_name": last}
    shown: dict[str, Any] = {
        "review_id": review.review_id, "course_id": review.course_id, "rating": review_rating(review),
        "text": review.text if rules.shows_text(viewer) else None,
        "created_at": rules.shown_moment(review.created_at, viewer, bool(review.named)),
        "updated_at": rules.shown_moment(review.updated_at, viewer, bool(review.named)),
        "edited": int(review.version) > 1,
    }
    if viewer is not Viewer.SUPPLIER:
        shown["named"] = bool(review.named)
        shown["author"] = author
    return shown


def own_view(review: Review, names: Names) -> dict[str, Any]:
    return {**view(review, Viewer.AUTHOR, names), "course_name": _course_name(review.course_id)}


def admin_view(review: Review, names: Names) -> dict[str, Any]:
    return {**view(review, Viewer.CFB, names), "course_name": _course_name(review.course_id)}


def _course_name(course_id: str) -> str | None:
    from chalicelib.catalogue import use_cases as catalogue

    return catalogue.course_name(course_id)


def _visible_course(course_id: str, viewer_codes: frozenset[str] | None) -> None:
    from chalicelib.catalogue import use_cases as catalogue

    if catalogue.visible_course_name(course_id, viewer_codes) is None:
        raise NotFoundError(_COURSE_NOT_FOUND)


def _page(purpose: str, scope: str, cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None

    def read(data: dict[str, Any]) -> dict[str, Any]:
        if data.get("s") != scope or not isinstance(data.get("k"), dict):
            raise ValueError("cursor of another list")
        return dict(data["k"])

    return cursors.decode(purpose, cursor, read)


def _next(purpose: str, scope: str, last_key: dict[str, Any] | None) -> str | None:
    return cursors.encode(purpose, {"s": scope, "k": last_key}) if last_key else None


def course_reviews(principal: Principal | None, viewer_codes: frozenset[str] | None, course_id: str,
                   cursor: str | None, limit: int) -> dict[str, Any]:
    """Everyone gets the summary; only a logged-in employee gets the texts, newest first, paginated. An
    admin reads the course page as an admin (R_REV_03): anonymous reviews only among 3 or more."""
    _visible_course(course_id, viewer_codes)
    summary = read_summary(course_id)[0]
    if principal is None:
        return {"summary": summary.as_view(), "texts_visible": False, "items": [], "next_cursor": None}
    result = Review.course_index.query(course_id, scan_index_forward=False, limit=limit,
                                       last_evaluated_key=_page("course-reviews", course_id, cursor))
    reviews = list(result)
    reader = _reader(principal)
    viewers = {r.review_id: Viewer.AUTHOR if r.account_id == principal.subject_id else reader for r in reviews}
    shown = [r for r in reviews if rules.shows_review(viewers[r.review_id], bool(r.named), summary.count)]
    names = _names(shown)
    body = {"summary": summary.as_view(), "texts_visible": True,
            "items": [view(r, viewers[r.review_id], names) for r in shown],
            "withheld": len(reviews) - len(shown),
            "next_cursor": _next("course-reviews", course_id, result.last_evaluated_key)}
    if cursor is None:
        body["writing"] = writing(principal.subject_id, course_id)
    return body


def _reader(principal: Principal) -> Viewer:
    """An account holding an admin role reads as that admin, also before its second factor (R_REV_03)."""
    held = {grant.role for grant in principal.roles}
    if Access.CFB in held:
        return Viewer.CFB
    return Viewer.LOCAL_ADMIN if Access.LOCAL_ADMIN in held else Viewer.EMPLOYEE


def _review_counts(course_ids: Iterable[str]) -> dict[str, int]:
    """How many reviews each course has, from the summaries (one BatchGetItem)."""
    names = sorted({summary_name(course_id) for course_id in course_ids})
    if not names:
        return {}
    return {counter.name.removeprefix("rating:"): int(counter.value) for counter in Counter.batch_get(names)}


def _shown_to(viewer: Viewer, reviews: list[Review]) -> tuple[list[Review], set[str]]:
    """The reviews this viewer may read, and the courses whose anonymous reviews wait for more (R_REV_03)."""
    counts = _review_counts(r.course_id for r in reviews)
    shown = [r for r in reviews if rules.shows_review(viewer, bool(r.named), counts.get(r.course_id, 0))]
    shown_ids = {r.review_id for r in shown}
    return shown, {r.course_id for r in reviews if r.review_id not in shown_ids}


def writing(account_id: str, course_id: str) -> str:
    """What the course page offers this reader (R_REV_01): the form ("open"), the way to their review
    ("already_reviewed"), or why not yet ("not_followed"); so nobody fills in a form only to be refused."""
    if has_reviewed(course_id, account_id):
        return "already_reviewed"
    return "open" if has_followed(account_id, course_id) else "not_followed"


def my_reviews(principal: Principal) -> dict[str, Any]:
    """R_REV_04: the author's own reviews ("Mijn reviews"), newest first."""
    keys = [k.review_id for k in Review.account_index.query(principal.subject_id)]
    reviews = [r for r in Review.batch_get(keys)] if keys else []
    reviews.sort(key=lambda r: r.created_at, reverse=True)
    names = _names(reviews)
    return {"items": [own_view(r, names) for r in reviews]}


def supplier_reviews(supplier_id: str, since: datetime | None, cursor: str | None, limit: int) -> dict[str, Any]:
    """R_REV_03: the supplier's courses' reviews, anonymised, oldest change first, from `since` on."""
    scope = f"{supplier_id}|{since.isoformat() if since else ''}"
    condition = Review.updated_at >= since if since else None
    result = Review.supplier_index.query(supplier_id, condition, limit=limit,
                                         last_evaluated_key=_page("supplier-reviews", scope, cursor))
    shown, waiting = _shown_to(Viewer.SUPPLIER, list(result))
    programs = _program_ids({r.course_id for r in shown} | waiting)
    items = [{**view(r, Viewer.SUPPLIER, {}), "program_id": programs.get(r.course_id)} for r in shown]
    withheld = [{"course_id": course_id, "program_id": programs.get(course_id),
                 "summary": rating_summary(course_id)} for course_id in sorted(waiting)]
    return {"items": items, "withheld": withheld,
            "next_cursor": _next("supplier-reviews", scope, result.last_evaluated_key)}


def _program_ids(course_ids: set[str]) -> dict[str, str]:
    if not course_ids:
        return {}
    return {c.course_id: c.program_id
            for c in Course.batch_get(sorted(course_ids), attributes_to_get=["course_id", "program_id"])}


def admin_reviews(principal: Principal, viewer_codes: frozenset[str] | None, course_id: str | None,
                  cursor: str | None, limit: int) -> dict[str, Any]:
    """Local admins read the reviews of courses their organisation sees; CFB reads every review."""
    cfb = _is_cfb(principal)
    codes = None if cfb else (viewer_codes or frozenset())
    if course_id is not None:
        if not cfb:
            _visible_course(course_id, codes)
        result = Review.course_index.query(course_id, scan_index_forward=False, limit=limit,
                                           last_evaluated_key=_page("admin-reviews", course_id, cursor))
        scope = course_id
    else:
        scope = "*"
        result = Review.recent_index.query("review", scan_index_forward=False, limit=limit,
                                           last_evaluated_key=_page("admin-reviews", scope, cursor))
    reviews = list(result)
    if not cfb:
        reviews = [r for r in reviews if _sees_course(r.course_id, codes)]
    viewer = Viewer.CFB if cfb else Viewer.LOCAL_ADMIN
    shown, _ = _shown_to(viewer, reviews)
    names = _names(shown)
    items = [{**view(r, viewer, names), "course_name": _course_name(r.course_id)} for r in shown]
    return {"items": items, "can_moderate": cfb, "summary": rating_summary(course_id) if course_id else None,
            "withheld": len(reviews) - len(shown),
            "next_cursor": _next("admin-reviews", scope, result.last_evaluated_key)}


def _sees_course(course_id: str, codes: frozenset[str] | None) -> bool:
    try:
        _visible_course(course_id, codes)
    except NotFoundError:
        return False
    return True


# --- the invitation job -------------------------------------------------------------------------------------


def invite_reviews() -> dict[str, int]:
    """After an execution ends, each participant gets one invitation; who reviewed the course gets none.

    Reads the executions that ended on each day since the last fully handled one (date-keyed index),
    marks each invited enrolment in the same transaction as its outbox item (so a rerun adds
    nothing), and moves the watermark only after a whole day is done (a failure is caught up).
    """
    today = clock.today()
    last_done = _watermark()
    invited = 0
    for day in rules.days_to_invite(last_done, today, INVITE_LOOKBACK_DAYS):
        items: list[OutboxItem] = []
        for key in Execution.end_day_index.query(day.isoformat()):
            items += _invite_execution(key.course_id, key.execution_id)
        outbox.deliver_all(items)
        invited += len(items)
        _set_watermark(day)
    return {"count": invited + _invite_moved_runs(_watermark())}


def _invite_moved_runs(last_done: date | None) -> int:
    """Runs whose supplier moved the end to a day already handled (sparse `end-moved-index`): invited
    now, each participant once as always; a run moved to a day still ahead keeps its mark for that day."""
    invited = 0
    for key in Execution.end_moved_index.query(DUE):
        try:
            execution = Execution.get(key.course_id, key.execution_id, consistent_read=True)
        except DoesNotExist:
            continue
        if last_done is None or execution.end_day > last_done.isoformat():
            continue
        items = _invite_execution(execution.course_id, execution.execution_id)
        outbox.deliver_all(items)
        invited += len(items)
        with contextlib.suppress(UpdateError):  # moved again meanwhile: keep the mark, look again next run
            execution.update(actions=[Execution.end_moved.remove()], condition=Execution.end_day == execution.end_day)
    return invited


def _invite_execution(course_id: str, execution_id: str) -> list[OutboxItem]:
    try:
        execution = Execution.get(course_id, execution_id)
    except DoesNotExist:
        return []
    if execution.status == "cancelled":
        return []
    items = []
    for found in Enrolment.execution_index.query(f"{course_id}#{execution_id}"):
        try:
            enrolment = Enrolment.get(found.enrolment_id, consistent_read=True)
        except DoesNotExist:
            continue
        reviewed = bool(enrolment.account_id) and has_reviewed(course_id, str(enrolment.account_id))
        if not rules.invitation_due(enrolment.status, enrolment.source, bool(enrolment.account_id),
                                    enrolment.review_invited_at is not None, reviewed) or not enrolment.email:
            continue
        item = outbox.new_item("review_invitation", enrolment.email,
                               {"enrolment_id": enrolment.enrolment_id, "course_id": course_id}, enrolment.account_id)
        try:
            with TransactWrite(connection=transactions.connection()) as transaction:
                transaction.update(enrolment, actions=[Enrolment.review_invited_at.set(clock.now())],
                                   condition=Enrolment.review_invited_at.does_not_exist()
                                   & (Enrolment.account_id == enrolment.account_id))
                transaction.save(item)
        except TransactWriteError:
            continue  # invited by a concurrent run, or detached meanwhile
        items.append(item)
    return items


def _watermark() -> date | None:
    try:
        state = Counter.get(INVITE_STATE, consistent_read=True)
    except DoesNotExist:
        return None
    day = _plain(state.extra).get("day")
    return date.fromisoformat(str(day)) if day else None


def _set_watermark(day: date) -> None:
    Counter(INVITE_STATE, value=0, extra={"day": day.isoformat()}).save()


def review_link(course_id: str) -> str:
    return f"{settings.portal_origin}/opleiding/?id={course_id}#review"
