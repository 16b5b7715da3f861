"""The data map: every table, key and index of Leer-Rijk, declared once.

`infra/tables.json` is generated from these classes (`make infra`) and a test keeps both equal.
Every attribute is classified in `chalicelib/privacy_register.py` (R_PRV_03).
Index attributes that start with `due_` or end in `_day`/`_month` are sparse or date keyed so a
job reads what is due, not what exists (ARCHITECTURE principle 6).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

# Where the tables are, read from the environment at import as PynamoDB needs it. The data map is the ground
# floor (the platform's event log, outbox and counters import it), so it reads the two variables itself rather
# than through `platform.config`, whose settings read the same ones (tests/unit/test_layout.py keeps them equal).
TABLE_PREFIX = os.environ.get("LEERRIJK_TABLE_PREFIX", "leerrijk-local-")
REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1"


def _meta(name: str) -> type:
    class Meta:
        table_name = f"{TABLE_PREFIX}{name}"
        region = REGION
        billing_mode = "PAY_PER_REQUEST"

    return Meta


def _index_meta(name: str, projection: Any = None) -> type:
    chosen = AllProjection() if projection is None else projection

    class Meta:
        index_name = name
        projection = chosen

    return Meta


# --- organisations and accounts -------------------------------------------------------------


class Department(MapAttribute):
    department_id = UnicodeAttribute()
    name = UnicodeAttribute()


class DirectoryIndex(GlobalSecondaryIndex):
    """Small directories (organisations, suppliers) listed without a Scan."""

    Meta = _index_meta("directory-index")
    directory = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(range_key=True)


class Organisation(Model):
    Meta = _meta("organisations")
    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    domains = UnicodeSetAttribute()
    departments = ListAttribute(of=Department, default=list)
    approval_required = BooleanAttribute(default=False)
    eprocurement = BooleanAttribute(default=False)
    catalogue_codes = UnicodeSetAttribute(null=True)  # EDU-DEX LeerRijkOpenFor codes covering it
    local_admin_ids = UnicodeSetAttribute(null=True)  # kept with Account.roles: question-form recipients
    # kept with Account.roles: "<department_id or ->#<account_id>" per order-authorised grant (R_ORD_01 routing)
    order_staff = UnicodeSetAttribute(null=True)
    directory = UnicodeAttribute(default="organisation")
    created_at = UTCDateTimeAttribute()
    directory_index = DirectoryIndex()


class RoleGrant(MapAttribute):
    role = UnicodeAttribute()  # local_admin | cfb | order_authorised | ops
    org_id = UnicodeAttribute(null=True)
    department_id = UnicodeAttribute(null=True)


def role_grant(role: str, org_id: str | None = None, department_id: str | None = None) -> RoleGrant:
    """A typed constructor: PynamoDB's MapAttribute.__init__ carries no annotations."""
    return RoleGrant(role=role, org_id=org_id, department_id=department_id)


def department(department_id: str, name: str) -> Department:
    return Department(department_id=department_id, name=name)


def ttl_attribute_of(model: type[Model]) -> TTLAttribute | None:
    ttl: TTLAttribute | None = model._ttl_attribute()
    return ttl


def absent(item: Model) -> Condition:
    """The condition that no item with `item`'s key exists (for conditional puts)."""
    condition: Condition = type(item)._hash_key_attribute().does_not_exist()
    return condition


def plain(attribute: MapAttribute[str, Any]) -> dict[str, Any]:
    """A raw map attribute as a plain dict (typed wrapper around PynamoDB's untyped as_dict)."""
    return dict(attribute.as_dict())


class AccountEmailIndex(GlobalSecondaryIndex):
    Meta = _index_meta("email-index")
    email = UnicodeAttribute(hash_key=True)


class AccountOrgIndex(GlobalSecondaryIndex):
    """Local admins list their own organisation's accounts, sorted and searchable by name."""

    Meta = _index_meta("org-index")
    org_id = UnicodeAttribute(hash_key=True)
    sort_name = UnicodeAttribute(range_key=True)


class Account(Model):
    Meta = _meta("accounts")
    account_id = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    sort_name = UnicodeAttribute()
    org_id = UnicodeAttribute()
    department_id = UnicodeAttribute(null=True)
    roles = ListAttribute(of=RoleGrant, default=list)
    status = UnicodeAttribute(default="active")
    created_at = UTCDateTimeAttribute()
    last_used_on = UnicodeAttribute(null=True)
    consent_at = UTCDateTimeAttribute()
    consent_version = UnicodeAttribute()
    totp_secret = UnicodeAttribute(null=True)
    totp_enrolled_at = UTCDateTimeAttribute(null=True)  # None while a new secret awaits its first code
    totp_last_step = NumberAttribute(null=True)
    pending_email = UnicodeAttribute(null=True)  # new address awaiting its confirmation link
    email_index = AccountEmailIndex()
    org_index = AccountOrgIndex()


class SearchKeyAccountIndex(GlobalSecondaryIndex):
    """All search keys of one account, whole (they are small): export and deletion without a GetItem each."""

    Meta = _index_meta("account-index")
    account_id = UnicodeAttribute(hash_key=True)


class SearchKeyTermIndex(GlobalSecondaryIndex):
    """Every organisation's search keys, partitioned by the first character of their term: CFB searches
    across organisations with one key-prefix Query, never a Scan or a Query per organisation (R_ACC_06)."""

    Meta = _index_meta("term-index")
    initial = UnicodeAttribute(hash_key=True)
    search_key = UnicodeAttribute(range_key=True)


class AccountSearchKey(Model):
    """One item per account and search term (a word of its name or address) in its organisation's
    partition: admins find "Vries" in "Eva de Vries" by a key-prefix Query, never a Scan (R_ACC_06).
    Written in one transaction with the account fields it derives from (`chalicelib.accounts.search`)."""

    Meta = _meta("account-search")
    org_id = UnicodeAttribute(hash_key=True)
    search_key = UnicodeAttribute(range_key=True)  # term, sort name, account id: by term, then by name
    account_id = UnicodeAttribute()
    terms = UnicodeAttribute()  # every term of the account, space-separated: multi-word queries, one row each
    initial = UnicodeAttribute(null=True)  # the term's first character: its term-index partition
    account_index = SearchKeyAccountIndex()
    term_index = SearchKeyTermIndex()


class SessionAccountIndex(GlobalSecondaryIndex):
    Meta = _index_meta("account-index", KeysOnlyProjection())
    account_id = UnicodeAttribute(hash_key=True)


class CreatedDayIndex(GlobalSecondaryIndex):
    """Date keyed: the retention self-check reads one day's items, never a Scan (R_PRV_02)."""

    Meta = _index_meta("created-day-index", KeysOnlyProjection())
    created_day = UnicodeAttribute(hash_key=True)


class Session(Model):
    """Server-side session; the cookie holds a token whose SHA-256 is the key."""

    Meta = _meta("sessions")
    token_hash = UnicodeAttribute(hash_key=True)
    account_id = UnicodeAttribute()
    assurance_level = NumberAttribute(default=1)
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    created_day = UnicodeAttribute(null=True)  # Europe/Amsterdam day of created_at
    account_index = SessionAccountIndex()
    created_day_index = CreatedDayIndex()


class LoginTokenEmailIndex(GlobalSecondaryIndex):
    Meta = _index_meta("email-index", KeysOnlyProjection())
    email = UnicodeAttribute(hash_key=True)


class LoginToken(Model):
    """One-time e-mailed link (sign-up, login, e-mail change), stored only as a hash."""

    Meta = _meta("login-tokens")
    token_hash = UnicodeAttribute(hash_key=True)
    purpose = UnicodeAttribute()
    email = UnicodeAttribute()
    payload = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    created_day = UnicodeAttribute(null=True)
    email_index = LoginTokenEmailIndex()
    created_day_index = CreatedDayIndex()


class RateCounterPurgeIndex(GlobalSecondaryIndex):
    """Sparse and date keyed: counters of policies with a hard deadline (contact, R_CON_03)."""

    Meta = _index_meta("purge-day-index", KeysOnlyProjection())
    purge_day = UnicodeAttribute(hash_key=True)


class RateCounter(Model):
    """Fixed-window counters keyed by a hash of the subject (never by an IP, R_CON_04)."""

    Meta = _meta("rate-counters")
    subject = UnicodeAttribute(hash_key=True)
    window = UnicodeAttribute(range_key=True)
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()
    purge_day = UnicodeAttribute(null=True)  # set only where a hard deadline applies (R_CON_03)
    purge_index = RateCounterPurgeIndex()


# --- suppliers, keys and the catalogue ----------------------------------------------------------


class Supplier(Model):
    Meta = _meta("suppliers")
    supplier_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # intern | extern
    contact_email = UnicodeAttribute()
    delivery = UnicodeAttribute(default="email")  # email | feed
    terms_version = UnicodeAttribute(null=True)
    terms_accepted_at = UTCDateTimeAttribute(null=True)
    processing_agreement = BooleanAttribute(default=False)
    cancellation_free_days = NumberAttribute(null=True)
    feed_key_version = NumberAttribute(default=1)
    feed_seq = NumberAttribute(default=0)
    # the supplier's orgUnitId in the EDU-DEX directory, set by CFB (R_DEX_03); DirectorySupplier guards it
    directory_org_unit_id = UnicodeAttribute(null=True)
    directory = UnicodeAttribute(default="supplier")
    created_at = UTCDateTimeAttribute()
    directory_index = DirectoryIndex()


class ApiKeyOwnerIndex(GlobalSecondaryIndex):
    Meta = _index_meta("owner-index")
    owner_id = UnicodeAttribute(hash_key=True)


class ApiKey(Model):
    """`<key_id>.<secret>`: only SHA-256 of the secret is stored (R_SEC_04)."""

    Meta = _meta("api-keys")
    key_id = UnicodeAttribute(hash_key=True)
    secret_sha256 = UnicodeAttribute()
    owner_kind = UnicodeAttribute()  # supplier | lms
    owner_id = UnicodeAttribute()
    label = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)
    last_used_on = UnicodeAttribute(null=True)
    owner_index = ApiKeyOwnerIndex()


class CourseSupplierIndex(GlobalSecondaryIndex):
    Meta = _index_meta("supplier-index")
    supplier_id = UnicodeAttribute(hash_key=True)
    program_id = UnicodeAttribute(range_key=True)


class Course(Model):
    Meta = _meta("courses")
    course_id = UnicodeAttribute(hash_key=True)
    supplier_id = UnicodeAttribute()
    program_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # intern | extern
    status = UnicodeAttribute(default="active")  # active | withdrawn
    name = UnicodeAttribute()
    summary = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    search_words = ListAttribute(of=UnicodeAttribute, default=list)
    theme = UnicodeAttribute(null=True)
    level = UnicodeAttribute(null=True)
    form = UnicodeAttribute(null=True)
    duration = UnicodeAttribute(null=True)
    open_for = UnicodeSetAttribute(null=True)  # None: everyone (R_CAT_02)
    salary_scales = ListAttribute(of=UnicodeAttribute, null=True)
    requirements = ListAttribute(of=UnicodeAttribute, default=list)
    last_edited = UTCDateTimeAttribute(null=True)
    # the version stored: a directory change's lastChange, or (None) the document's last_edited; the newest wins
    last_change = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    supplier_index = CourseSupplierIndex()


class ExecutionStartIndex(GlobalSecondaryIndex):
    """Order-list job (R_ORD_01): the executions that started on one calendar day."""

    Meta = _index_meta("start-day-index", KeysOnlyProjection())
    start_day = UnicodeAttribute(hash_key=True)


class ExecutionNotifyIndex(GlobalSecondaryIndex):
    """Sparse: executions cancelled by their supplier whose enrolled people are not told yet."""

    Meta = _index_meta("due-notify-index", KeysOnlyProjection())
    due_notify = UnicodeAttribute(hash_key=True)


class ExecutionMovedIndex(GlobalSecondaryIndex):
    """Sparse: runs with enrolments whose supplier moved the start to a day that may be processed
    already; the order-list job looks at them again (R_ORD_01, R_ORD_04)."""

    Meta = _index_meta("moved-index", KeysOnlyProjection())
    moved = UnicodeAttribute(hash_key=True)


class ExecutionEndMovedIndex(GlobalSecondaryIndex):
    """Sparse: runs with enrolments whose supplier moved the end to a day that may be handled already;
    the review-invitation job looks at them again (R_REV_01)."""

    Meta = _index_meta("end-moved-index", KeysOnlyProjection())
    end_moved = UnicodeAttribute(hash_key=True)


class ExecutionChangeIndex(GlobalSecondaryIndex):
    """Sparse: runs with enrolments whose supplier changed what people must hear of (dates, times, place,
    online or not); the change-notice job tells them and drops the mark (R_CAL_02). `change_at` is
    projected for the retention self-check (R_CAL_05)."""

    Meta = _index_meta("due-change-index", IncludeProjection(["change_at"]))
    due_change = UnicodeAttribute(hash_key=True)


class ExecutionEndIndex(GlobalSecondaryIndex):
    """Review invitations (R_REV_01): the executions that ended on one calendar day."""

    Meta = _index_meta("end-day-index", KeysOnlyProjection())
    end_day = UnicodeAttribute(hash_key=True)


class ExecutionWaitingCloseIndex(GlobalSecondaryIndex):
    """Sparse, date keyed: executions with a waiting list by the day moving up stops (R_WAIT_03, R_WAIT_05);
    the job that closes lists and the self-check read what is due."""

    Meta = _index_meta("waiting-close-index", KeysOnlyProjection())
    waiting_list = UnicodeAttribute(hash_key=True)
    waiting_close_day = UnicodeAttribute(range_key=True)


class ExecutionWaitingSupplierIndex(GlobalSecondaryIndex):
    """Sparse: a supplier's executions with a waiting list and how many wait, nothing personal (R_WAIT_04)."""

    Meta = _index_meta("waiting-supplier-index", IncludeProjection(["waiting_count", "offered_count"]))
    waiting_supplier = UnicodeAttribute(hash_key=True)


class Execution(Model):
    Meta = _meta("executions")
    course_id = UnicodeAttribute(hash_key=True)
    execution_id = UnicodeAttribute(range_key=True)
    supplier_id = UnicodeAttribute()
    status = UnicodeAttribute(default="open")  # open | closed | cancelled
    start_day = UnicodeAttribute()
    end_day = UnicodeAttribute()
    application_deadline = UnicodeAttribute(null=True)
    start_time = UnicodeAttribute(null=True)  # HH:MM (Europe/Amsterdam) on the start day, when the supplier gives it
    end_time = UnicodeAttribute(null=True)  # HH:MM on the end day
    city = UnicodeAttribute(null=True)
    location = UnicodeAttribute(null=True)
    online = BooleanAttribute(default=False)
    price_cents = NumberAttribute(default=0)
    seats = NumberAttribute(null=True)  # None: unlimited
    seats_taken = NumberAttribute(default=0)
    cancellation_free_days = NumberAttribute(null=True)
    # copied from the course so one read and one conditional write decide an enrolment
    course_name = UnicodeAttribute(null=True)
    open_for = UnicodeSetAttribute(null=True)
    salary_scales = ListAttribute(of=UnicodeAttribute, null=True)
    due_notify = UnicodeAttribute(null=True)
    moved = UnicodeAttribute(null=True)  # sparse: see ExecutionMovedIndex
    end_moved = UnicodeAttribute(null=True)  # sparse: see ExecutionEndMovedIndex
    # R_CAL_02: a change people must hear of, kept until they are told (sparse: see ExecutionChangeIndex)
    due_change = UnicodeAttribute(null=True)
    change_seq = NumberAttribute(null=True)  # raised by every such change: the notice job's per-enrolment mark
    change_at = UTCDateTimeAttribute(null=True)  # when the oldest change not yet told was made (or the run cancelled)
    change_before: MapAttribute[str, Any] = MapAttribute(null=True)  # the changed fields as people last heard them
    # the waiting list (R_WAIT_01-05); a missing number counts as 0 (migration 0011 writes them)
    waiting_seq = NumberAttribute(null=True)  # the last sequence number handed to a waiting place
    waiting_count = NumberAttribute(null=True)  # places waiting for a seat
    offered_count = NumberAttribute(null=True)  # places holding a seat on offer (counted in seats_taken)
    waiting_close_day = UnicodeAttribute(null=True)  # the first day nobody moves up (R_WAIT_03)
    waiting_list = UnicodeAttribute(null=True)  # "open" while the execution has a list: waiting-close-index
    waiting_supplier = UnicodeAttribute(null=True)  # the supplier while it has a list: waiting-supplier-index
    start_day_index = ExecutionStartIndex()
    end_day_index = ExecutionEndIndex()
    notify_index = ExecutionNotifyIndex()
    moved_index = ExecutionMovedIndex()
    end_moved_index = ExecutionEndMovedIndex()
    change_index = ExecutionChangeIndex()
    waiting_close_index = ExecutionWaitingCloseIndex()
    waiting_supplier_index = ExecutionWaitingSupplierIndex()


class CatalogueChunk(Model):
    """The search index, built by the import path and loaded by a container with one Query."""

    Meta = _meta("catalogue-index")
    build_id = UnicodeAttribute(hash_key=True)
    chunk = NumberAttribute(range_key=True)
    data = BinaryAttribute(legacy_encoding=False)
    expires_at = TTLAttribute(null=True)


class SearchList(Model):
    """A vocabulary list of the search that CFB edits (R_CAT_07): `synonyms` or `translations`.

    The list as JSON; a change is conditional on the version it was read at. The index build carries
    a copy, so no search reads this table. `declined`: the default terms the list lacked when CFB saved
    it (JSON), never offered again. A list saved before it was kept has none, which is what it means: nothing
    left out on purpose yet, so every default it lacks is offered until CFB saves the list again. No
    migration can know more.
    """

    Meta = _meta("search-lists")
    name = UnicodeAttribute(hash_key=True)
    entries = UnicodeAttribute()
    version = NumberAttribute()
    updated_at = UTCDateTimeAttribute()
    declined = UnicodeAttribute(null=True)


# --- enrolments ---------------------------------------------------------------------------------


class EnrolmentAccountIndex(GlobalSecondaryIndex):
    Meta = _index_meta("account-index")
    account_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EnrolmentExecutionIndex(GlobalSecondaryIndex):
    """Everyone on one execution, e.g. when its supplier cancels it. Key: course_id#execution_id."""

    Meta = _index_meta("execution-index", KeysOnlyProjection())
    execution_key = UnicodeAttribute(hash_key=True)


class EnrolmentAnonymiseIndex(GlobalSecondaryIndex):
    """Sparse, date keyed: removed when anonymised, so the job reads only what is due (R_ENR_10)."""

    Meta = _index_meta("anonymise-month-index", KeysOnlyProjection())
    anonymise_month = UnicodeAttribute(hash_key=True)
    anonymise_day = UnicodeAttribute(range_key=True)


class EnrolmentApprovalIndex(GlobalSecondaryIndex):
    """Sparse: pending approvals by the day they expire (R_ENR_06)."""

    Meta = _index_meta("due-approval-index", KeysOnlyProjection())
    due_approval = UnicodeAttribute(hash_key=True)
    approval_expires_day = UnicodeAttribute(range_key=True)


class EnrolmentApprovalReminderIndex(GlobalSecondaryIndex):
    """Sparse: pending approvals not yet reminded, by the day the manager was asked (R_CAL_04). Keyed on
    `due_approval` like the expiry's index, so every decision, cancellation or expiry drops it too; the
    reminder drops `approval_asked_day`."""

    Meta = _index_meta("approval-reminder-index", KeysOnlyProjection())
    due_approval = UnicodeAttribute(hash_key=True)
    approval_asked_day = UnicodeAttribute(range_key=True)


class EnrolmentSourceIndex(GlobalSecondaryIndex):
    """CFB's paginated lists (LMS enrolments, portal enrolments) and CFB export by address."""

    Meta = _index_meta("source-index")
    source = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EnrolmentOrderIndex(GlobalSecondaryIndex):
    """Sparse: enrolments the order-list job must look at again because they changed on or after
    their start day (a late approval, a cancellation after the job may have run; R_ORD_04, R_ENR_08)."""

    Meta = _index_meta("due-order-index", KeysOnlyProjection())
    due_order = UnicodeAttribute(hash_key=True)


class EnrolmentEmailIndex(GlobalSecondaryIndex):
    """CFB export for any address (R_ACC_09), also for detached and LMS enrolments."""

    Meta = _index_meta("holder-email-index", KeysOnlyProjection())
    holder_email = UnicodeAttribute(hash_key=True)


class EnrolmentSpendIndex(GlobalSecondaryIndex):
    """Month keyed: the spend overview reads one month of enrolments, live and anonymised alike, and only
    the attributes it shows (no personal data is projected)."""

    Meta = _index_meta("spend-month-index", IncludeProjection([
        "org_id", "course_id", "execution_id", "supplier_id", "price_cents", "penalty_cents", "status",
        "anonymised",
    ]))
    spend_month = UnicodeAttribute(hash_key=True)
    enrolment_id = UnicodeAttribute(range_key=True)


class EnrolmentForm:
    """The R_ENR_02 form as given, and the person's addresses: what an enrolment and a waiting place both hold."""

    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    initials = UnicodeAttribute(null=True)
    title_before = UnicodeAttribute(null=True)
    title_after = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    gender = UnicodeAttribute(null=True)
    job_function = UnicodeAttribute(null=True)
    salary_scale = UnicodeAttribute(null=True)
    department_name = UnicodeAttribute(null=True)
    organisation_name = UnicodeAttribute(null=True)
    business_email = UnicodeAttribute(null=True)
    # lower-case address of the person: the business e-mail (portal) or the form e-mail (LMS)
    holder_email = UnicodeAttribute(null=True)


class Enrolment(EnrolmentForm, Model):
    Meta = _meta("enrolments")
    enrolment_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(default=1)
    source = UnicodeAttribute()  # portal | lms
    status = UnicodeAttribute()  # pending_approval | approved | rejected | expired | cancelled
    account_id = UnicodeAttribute(null=True)  # None for LMS and after account deletion
    org_id = UnicodeAttribute()
    department_id = UnicodeAttribute(null=True)
    course_id = UnicodeAttribute()
    execution_id = UnicodeAttribute()
    execution_key = UnicodeAttribute(null=True)
    supplier_id = UnicodeAttribute()
    course_name = UnicodeAttribute(null=True)
    place = UnicodeAttribute(null=True)  # the execution's city, or "online"
    guard_id = UnicodeAttribute(null=True)
    # the R_ENR_02 form fields and the person's addresses: EnrolmentForm
    # approval (R_ENR_06)
    manager_email = UnicodeAttribute(null=True)
    approval_token_hash = UnicodeAttribute(null=True)
    due_approval = UnicodeAttribute(null=True)
    approval_expires_day = UnicodeAttribute(null=True)
    approval_asked_day = UnicodeAttribute(null=True)  # Amsterdam day the manager was asked; gone once reminded
    approval_reminded_at = UTCDateTimeAttribute(null=True)  # the one reminder to the manager (R_CAL_04)
    decided_at = UTCDateTimeAttribute(null=True)
    # consent (R_ENR_03)
    consent_at = UTCDateTimeAttribute(null=True)
    consent_version = UnicodeAttribute(null=True)
    # snapshot for orders, penalties and anonymisation
    price_cents = NumberAttribute(default=0)
    cancellation_free_days = NumberAttribute(default=0)
    start_day = UnicodeAttribute()
    original_end_day = UnicodeAttribute()
    penalty_cents = NumberAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)  # employee | lms | cfb | supplier | system
    hidden = BooleanAttribute(default=False)
    lms_reference = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    anonymise_month = UnicodeAttribute(null=True)
    anonymise_day = UnicodeAttribute(null=True)
    anonymised = BooleanAttribute(default=False)
    due_order = UnicodeAttribute(null=True)  # sparse: see EnrolmentOrderIndex
    review_invited_at = UTCDateTimeAttribute(null=True)  # the one review invitation was queued (R_REV_01)
    spend_month = UnicodeAttribute(null=True)  # YYYY-MM of the start: the spend overview's key
    # the calendar (R_CAL_01-03)
    calendar_sequence = NumberAttribute(null=True)  # SEQUENCE of the invitation as last sent; absent: 0
    reminders = BooleanAttribute(null=True)  # an LMS asked for the reminders (portal enrolments always get them)
    reminders_sent = UnicodeSetAttribute(null=True)  # reminder kinds claimed, each once ("week", "day")
    change_seen = NumberAttribute(null=True)  # the execution's change_seq this enrolment's people were told of
    # the run's when and where (enrolment.rules.RUN_FACTS) as the invitation at calendar_sequence states them
    calendar_run: MapAttribute[str, Any] = MapAttribute(null=True)
    account_index = EnrolmentAccountIndex()
    execution_index = EnrolmentExecutionIndex()
    anonymise_index = EnrolmentAnonymiseIndex()
    approval_index = EnrolmentApprovalIndex()
    approval_reminder_index = EnrolmentApprovalReminderIndex()
    source_index = EnrolmentSourceIndex()
    email_index = EnrolmentEmailIndex()
    order_index = EnrolmentOrderIndex()
    spend_index = EnrolmentSpendIndex()


class EnrolmentGuard(Model):
    """One active enrolment or waiting place per person per execution: put with attribute_not_exists
    (R_ENR_05, R_WAIT_01); moving up turns the place's guard into the enrolment's in one transaction."""

    Meta = _meta("enrolment-guards")
    guard_id = UnicodeAttribute(hash_key=True)  # execution_id#sha256(person)
    enrolment_id = UnicodeAttribute(null=True)  # the active enrolment, or
    place_id = UnicodeAttribute(null=True)  # the waiting place


class WaitingPlaceAccountIndex(GlobalSecondaryIndex):
    """The holder's own places: Mijn inschrijvingen, export and account deletion (R_WAIT_04, R_WAIT_05)."""

    Meta = _index_meta("account-index")
    account_id = UnicodeAttribute(hash_key=True)


class WaitingPlaceEmailIndex(GlobalSecondaryIndex):
    """CFB export for any address (R_ACC_09), LMS places included."""

    Meta = _index_meta("holder-email-index", KeysOnlyProjection())
    holder_email = UnicodeAttribute(hash_key=True)


class WaitingPlaceOfferIndex(GlobalSecondaryIndex):
    """Sparse: places holding an offer, by when it expires; the job passes an untaken seat on (R_WAIT_03)."""

    Meta = _index_meta("due-offer-index", KeysOnlyProjection())
    due_offer = UnicodeAttribute(hash_key=True)
    offer_expires_at = UTCDateTimeAttribute(range_key=True)


class WaitingPlace(EnrolmentForm, Model):
    """A place on the waiting list of a full execution (R_WAIT_01-05). Keyed by execution and a zero-padded
    sequence number taken from the execution in the joining transaction, so one strongly consistent Query
    returns the list in joining order. It takes no seat, reaches no supplier or order list, and is deleted
    when the person moves up or leaves, the list closes, the execution starts or is cancelled, or the
    account is deleted."""

    Meta = _meta("waiting-places")
    execution_key = UnicodeAttribute(hash_key=True)  # course_id#execution_id
    position = UnicodeAttribute(range_key=True)  # the sequence number, zero-padded
    seq = NumberAttribute()
    place_id = UnicodeAttribute()  # derived from the key (chalicelib.enrolment.waiting_rules.place_id)
    status = UnicodeAttribute(default="waiting")  # waiting | offered
    source = UnicodeAttribute()  # portal | lms
    account_id = UnicodeAttribute(null=True)  # None for LMS places
    org_id = UnicodeAttribute()
    department_id = UnicodeAttribute(null=True)
    course_id = UnicodeAttribute()
    execution_id = UnicodeAttribute()
    supplier_id = UnicodeAttribute()
    course_name = UnicodeAttribute(null=True)
    start_day = UnicodeAttribute()
    guard_id = UnicodeAttribute()
    # the R_ENR_02 form and the addresses (EnrolmentForm), consent and the manager, as an enrolment holds them
    manager_email = UnicodeAttribute(null=True)
    consent_at = UTCDateTimeAttribute(null=True)
    consent_version = UnicodeAttribute(null=True)
    lms_reference = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    offered_at = UTCDateTimeAttribute(null=True)
    offer_expires_at = UTCDateTimeAttribute(null=True)
    due_offer = UnicodeAttribute(null=True)  # sparse: see WaitingPlaceOfferIndex
    change_seen = NumberAttribute(null=True)  # the execution's change_seq this place's person was told of (R_CAL_02)
    account_index = WaitingPlaceAccountIndex()
    email_index = WaitingPlaceEmailIndex()
    offer_index = WaitingPlaceOfferIndex()


class IdempotencyAccountIndex(GlobalSecondaryIndex):
    """Sparse: records of account callers, for the holder's export and account deletion (R_ACC_08/09)."""

    Meta = _index_meta("account-index", KeysOnlyProjection())
    account_id = UnicodeAttribute(hash_key=True)


class IdempotencyEnrolmentIndex(GlobalSecondaryIndex):
    """Sparse: the records an enrolment request left, anonymised with the enrolment (R_ENR_10)."""

    Meta = _index_meta("enrolment-index", KeysOnlyProjection())
    enrolment_id = UnicodeAttribute(hash_key=True)


class IdempotencyRecord(Model):
    Meta = _meta("idempotency")
    idem_key = UnicodeAttribute(hash_key=True)  # caller#key
    account_id = UnicodeAttribute(null=True)  # set when the caller is an account
    enrolment_id = UnicodeAttribute(null=True)  # set when the request made an enrolment
    request_sha256 = UnicodeAttribute()
    response_body = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    outbox_ids = ListAttribute(of=UnicodeAttribute, null=True)  # the mails of the request (enrolment)
    followed_up = BooleanAttribute(null=True)  # its event-log entry written and first send attempted
    account_index = IdempotencyAccountIndex()
    enrolment_index = IdempotencyEnrolmentIndex()


class ReviewCourseIndex(GlobalSecondaryIndex):
    """A course's reviews, newest first (course page, admin pages)."""

    Meta = _index_meta("course-index")
    course_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class ReviewAccountIndex(GlobalSecondaryIndex):
    """The author's own reviews: "Mijn reviews", export and account deletion only (R_REV_03)."""

    Meta = _index_meta("account-index", KeysOnlyProjection())
    account_id = UnicodeAttribute(hash_key=True)


class ReviewSupplierIndex(GlobalSecondaryIndex):
    """A supplier's reviews changed since a moment (GET /supplier/reviews?since=)."""

    Meta = _index_meta("supplier-index")
    supplier_id = UnicodeAttribute(hash_key=True)
    updated_at = UTCDateTimeAttribute(range_key=True)


class ReviewRecentIndex(GlobalSecondaryIndex):
    """All reviews newest first, for CFB moderation (`listing` is always "review")."""

    Meta = _index_meta("recent-index")
    listing = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class Review(Model):
    Meta = _meta("reviews")
    review_id = UnicodeAttribute(hash_key=True)
    course_id = UnicodeAttribute()
    supplier_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    rating = NumberAttribute()
    text = UnicodeAttribute(null=True)
    named = BooleanAttribute(default=False)
    version = NumberAttribute(default=1)
    listing = UnicodeAttribute(default="review")
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    course_index = ReviewCourseIndex()
    account_index = ReviewAccountIndex()
    supplier_index = ReviewSupplierIndex()
    recent_index = ReviewRecentIndex()


class ReviewGuard(Model):
    """One review per person per course (R_REV_01): put with attribute_not_exists, deleted with the review."""

    Meta = _meta("review-guards")
    guard_id = UnicodeAttribute(hash_key=True)  # sha256(course_id#account_id)


# --- contact, orders, outbox, log, ledger -------------------------------------------------------


class ContactPurgeIndex(GlobalSecondaryIndex):
    """Date keyed: the purge job deletes each day's messages by day 7 (R_CON_03)."""

    Meta = _index_meta("purge-day-index", KeysOnlyProjection())
    purge_day = UnicodeAttribute(hash_key=True)


class ContactSenderIndex(GlobalSecondaryIndex):
    """The messages of one sender's mailbox, whole: the right of access finds them with one Query (R_ACC_09)."""

    Meta = _index_meta("sender-index")
    sender_hash = UnicodeAttribute(hash_key=True)


class ContactMessage(Model):
    """A visitor's question to CFB (R_CON_01): e-mailed by the outbox, gone within 7 days (R_CON_03)."""

    Meta = _meta("contact-messages")
    message_id = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    sender_hash = UnicodeAttribute(null=True)  # keyed hash of the canonical address (contact.rules.sender_hash)
    question = UnicodeAttribute()
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    organisation = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    purge_day = UnicodeAttribute()
    expires_at = TTLAttribute()
    purge_index = ContactPurgeIndex()
    sender_index = ContactSenderIndex()


class OrderLineEnrolmentIndex(GlobalSecondaryIndex):
    Meta = _index_meta("enrolment-index", KeysOnlyProjection())
    enrolment_id = UnicodeAttribute(hash_key=True)


class OrderLineListIndex(GlobalSecondaryIndex):
    """One order list (an organisation or a department), by order day: `GET /orders` and the export."""

    Meta = _index_meta("list-index")
    list_key = UnicodeAttribute(hash_key=True)
    list_sort = UnicodeAttribute(range_key=True)  # order_day#line_id


class OrderLine(Model):
    """One line of an order list (R_ORD_01-03, R_ENR_08), one per enrolment: `line_id` is derived
    from the enrolment id, so a conditional put makes a second run add nothing.
    `list_key` = org_id#department_id or org_id#-."""

    Meta = _meta("order-lines")
    line_id = UnicodeAttribute(hash_key=True)
    list_key = UnicodeAttribute()
    list_sort = UnicodeAttribute()
    enrolment_id = UnicodeAttribute()
    enrolment_version = NumberAttribute(default=1)
    org_id = UnicodeAttribute()
    department_id = UnicodeAttribute(null=True)
    course_id = UnicodeAttribute()
    course_name = UnicodeAttribute(null=True)
    execution_id = UnicodeAttribute()
    place = UnicodeAttribute(null=True)
    start_day = UnicodeAttribute()
    end_day = UnicodeAttribute()
    supplier_id = UnicodeAttribute()
    source = UnicodeAttribute()
    business_email = UnicodeAttribute(null=True)  # None for LMS: shown as "via LMS"
    price_cents = NumberAttribute()  # the price, or the penalty for a penalty order
    kind = UnicodeAttribute(default="order")  # order | penalty
    status = UnicodeAttribute(default="open")  # open | ordered | withdrawn
    order_day = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    ordered_at = UTCDateTimeAttribute(null=True)
    ordered_by = UnicodeAttribute(null=True)  # account id of the order-authorised person
    disclosed_at = UTCDateTimeAttribute(null=True)  # first shown to order-authorised staff (R_PRV_01)
    exported_at = UTCDateTimeAttribute(null=True)
    enrolment_index = OrderLineEnrolmentIndex()
    list_index = OrderLineListIndex()


class OutboxDueIndex(GlobalSecondaryIndex):
    """Sparse: only unsent items carry `due_send`; the retry job reads what is due."""

    Meta = _index_meta("due-send-index", KeysOnlyProjection())
    due_send = UnicodeAttribute(hash_key=True)
    next_attempt_at = UTCDateTimeAttribute(range_key=True)


class OutboxAccountIndex(GlobalSecondaryIndex):
    Meta = _index_meta("account-index", KeysOnlyProjection())
    account_id = UnicodeAttribute(hash_key=True)


class OutboxUndeliverableIndex(GlobalSecondaryIndex):
    """Sparse: only items given up (a permanent SES refusal, or retries exhausted) carry
    `undeliverable`; CFB's view of undeliverable mail reads it newest first."""

    Meta = _index_meta("undeliverable-index")
    undeliverable = UnicodeAttribute(hash_key=True)
    failed_at = UTCDateTimeAttribute(range_key=True)


class OutboxPurgeIndex(GlobalSecondaryIndex):
    """Sparse and date keyed: outbox items that are copies of a contact message (R_CON_03)."""

    Meta = _index_meta("purge-day-index", KeysOnlyProjection())
    purge_day = UnicodeAttribute(hash_key=True)


class OutboxEnrolmentIndex(GlobalSecondaryIndex):
    """Sparse: notifications about an enrolment, removed with its anonymisation (R_ENR_10)."""

    Meta = _index_meta("enrolment-index", KeysOnlyProjection())
    enrolment_id = UnicodeAttribute(hash_key=True)


class OutboxItem(Model):
    """An e-mail to send: ids and a template name; the body is rendered at send time. Once sent or
    given up it holds no personal data (recipient and account removed) and expires by TTL."""

    Meta = _meta("outbox")
    item_id = UnicodeAttribute(hash_key=True)
    template = UnicodeAttribute()
    refs: MapAttribute[str, Any] = MapAttribute(default=dict)
    recipient = UnicodeAttribute(null=True)
    account_id = UnicodeAttribute(null=True)
    enrolment_id = UnicodeAttribute(null=True)  # copied from refs for notifications about an enrolment
    status = UnicodeAttribute(default="pending")  # pending | sent | failed
    attempts = NumberAttribute(default=0)
    due_send = UnicodeAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute()
    lease_until = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    undeliverable = UnicodeAttribute(null=True)  # "failed" while CFB should see it
    failed_at = UTCDateTimeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)  # SES's error code of the last attempt (never an address)
    purge_day = UnicodeAttribute(null=True)  # set only for copies with a hard deadline (R_CON_03)
    created_day = UnicodeAttribute(null=True)
    due_index = OutboxDueIndex()
    created_day_index = CreatedDayIndex()
    account_index = OutboxAccountIndex()
    undeliverable_index = OutboxUndeliverableIndex()
    purge_index = OutboxPurgeIndex()
    enrolment_index = OutboxEnrolmentIndex()


class EventLogEntry(Model):
    """One slot of the ring of 1,000 (R_LOG_02): slot = seq mod 1000, newer seq wins."""

    Meta = _meta("event-log")
    ring = UnicodeAttribute(hash_key=True)
    slot = NumberAttribute(range_key=True)
    seq = NumberAttribute()
    at = UTCDateTimeAttribute()
    level = UnicodeAttribute()
    kind = UnicodeAttribute()
    detail: MapAttribute[str, Any] = MapAttribute(default=dict)
    expires_at = TTLAttribute()


class Counter(Model):
    """Atomic sequences: the event-log ring, the catalogue version."""

    Meta = _meta("counters")
    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)
    extra: MapAttribute[str, Any] = MapAttribute(default=dict)


class DisclosureAccountIndex(GlobalSecondaryIndex):
    """Sparse: the rows of an account's enrolments, whole (a row is a few hundred bytes), so the holder's export
    reads its ledger in one Query however many enrolments it has (R_ACC_09, issue 23)."""

    Meta = _index_meta("account-index")
    account_id = UnicodeAttribute(hash_key=True)


class Disclosure(Model):
    """Ledger row: which fields of an enrolment went to which recipient and when (R_PRV_01)."""

    Meta = _meta("disclosures")
    enrolment_id = UnicodeAttribute(hash_key=True)
    disclosure_id = UnicodeAttribute(range_key=True)  # enrolment_version#recipient_kind#recipient_id
    # the enrolment's account when the row was written; none for an LMS or detached enrolment, removed when the
    # account is deleted or the enrolment anonymised
    account_id = UnicodeAttribute(null=True)
    enrolment_version = NumberAttribute()
    recipient_kind = UnicodeAttribute()  # manager | supplier | order_authorised
    recipient_id = UnicodeAttribute()  # supplier_id, org_id or org_id#department_id
    channel = UnicodeAttribute()  # email | feed | order_list
    fields = ListAttribute(of=UnicodeAttribute)
    at = UTCDateTimeAttribute()
    account_index = DisclosureAccountIndex()


class FeedEntryEnrolmentIndex(GlobalSecondaryIndex):
    """The feed entries of one enrolment, anonymised with it (R_ENR_10)."""

    Meta = _index_meta("enrolment-index", KeysOnlyProjection())
    enrolment_id = UnicodeAttribute(hash_key=True)


class FeedEntry(Model):
    """A supplier's feed, ordered by a per-supplier sequence written in the enrolment transaction."""

    Meta = _meta("feed-entries")
    supplier_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    enrolment_id = UnicodeAttribute()
    event = UnicodeAttribute()  # enrolment | cancellation
    at = UTCDateTimeAttribute()
    delivered_at = UTCDateTimeAttribute(null=True)
    enrolment_index = FeedEntryEnrolmentIndex()


# --- data migrations ---------------------------------------------------------------------------


class MigrationRun(Model):
    """What ran of one data migration (R_OPS_04, `chalicelib/migrations/`): its state, where its pass stands
    (the Scan's cursor), counts and times, and the lease of the runner working on it. No personal data."""

    Meta = _meta("migrations")
    migration_id = UnicodeAttribute(hash_key=True)  # "0001-enrolment-spend-month": ordered by its number
    state = UnicodeAttribute(default="running")  # running | done
    settles_at = UTCDateTimeAttribute()  # no old code writes after this: a clean pass started later is final
    started_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    pass_number = NumberAttribute(default=1)
    pass_started_at = UTCDateTimeAttribute(null=True)  # None: the next pass waits for `settles_at`
    cursor = UnicodeAttribute(null=True)  # JSON of the pass's LastEvaluatedKey; None: from the start
    pass_scanned = NumberAttribute(default=0)
    pass_changed = NumberAttribute(default=0)  # items this pass found unmigrated (migrated, or changed meanwhile)
    pass_unreached = NumberAttribute(default=0)  # items this pass could not migrate
    unreached_example = UnicodeAttribute(null=True)  # the key of one such item (ids only)
    scanned = NumberAttribute(default=0)  # items read over all passes
    migrated = NumberAttribute(default=0)  # items changed over all passes
    verified = NumberAttribute(null=True)  # done: items the final pass read and found migrated
    unreached = NumberAttribute(null=True)  # done: items the final pass could not migrate
    lease_owner = UnicodeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)


# --- the EDU-DEX directory (R_DEX) -----------------------------------------------------------------


class SyncError(MapAttribute):
    """One problem of a directory sync, as CFB sees it: when, a code, and the program if it was one."""

    at = UTCDateTimeAttribute()
    code = UnicodeAttribute()
    program = UnicodeAttribute(null=True)  # orgUnitId/programId


def sync_error(at: datetime, code: str, program: str | None = None) -> SyncError:
    """A typed constructor: PynamoDB's MapAttribute.__init__ carries no annotations."""
    return SyncError(at=at, code=code, program=program)


class DirectoryConnection(Model):
    """A catalog of an EDU-DEX Data API directory that Leer-Rijk reads as a client organisation (R_DEX_01).

    The bearer token is an SSM SecureString whose name follows from the stage and the connection id
    (never stored here); the webhook secrets are stored as SHA-256 only (R_SEC_04)."""

    Meta = _meta("directory-connections")
    connection_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    base_url = UnicodeAttribute()
    org_unit_id = UnicodeAttribute()  # Leer-Rijk's own orgUnitId at the directory
    catalog_id = UnicodeAttribute()
    catalog_kind = UnicodeAttribute()  # dynamic | static
    hook_secret = UnicodeAttribute(null=True)  # SHA-256 of the webhook URL's secret
    hook_secret_previous = UnicodeAttribute(null=True)  # the one before, until the directory calls the new URL
    webhook_id = UnicodeAttribute(null=True)
    cursor_at = UTCDateTimeAttribute(null=True)  # lastChange of the last applied change (directory's clock)
    cursor_key = UnicodeAttribute(null=True)  # its orgUnitId/programId: ties at one lastChange
    sync_requested_at = UTCDateTimeAttribute(null=True)  # a webhook asked for a sync
    resume = BooleanAttribute(default=False)  # the last run stopped at its time budget
    lease_until = UTCDateTimeAttribute(null=True)  # one sync per connection at a time
    last_sync_at = UTCDateTimeAttribute(null=True)
    last_outcome = UnicodeAttribute(null=True)
    last_counts: MapAttribute[str, Any] = MapAttribute(default=dict)
    errors = ListAttribute(of=SyncError, default=list)  # the last few, newest first
    directory = UnicodeAttribute(default="directory-connection")
    created_at = UTCDateTimeAttribute()
    directory_index = DirectoryIndex()


class DirectorySupplierReleaseIndex(GlobalSecondaryIndex):
    """Sparse: admitted suppliers whose held programs are not all published yet (R_DEX_03)."""

    Meta = _index_meta("due-release-index", KeysOnlyProjection())
    due_release = UnicodeAttribute(hash_key=True)


class DirectorySupplier(Model):
    """A supplier as the directory knows it (orgUnitId): the Leer-Rijk supplier CFB mapped it to (one at
    most, so the mapping is written here conditionally), and how many of its programs are held."""

    Meta = _meta("directory-suppliers")
    org_unit_id = UnicodeAttribute(hash_key=True)
    supplier_id = UnicodeAttribute(null=True)
    held = NumberAttribute(default=0)
    due_release = UnicodeAttribute(null=True)  # sparse: see DirectorySupplierReleaseIndex
    directory = UnicodeAttribute(default="directory-supplier")
    name = UnicodeAttribute()  # the orgUnitId again: the range key of the directory index
    directory_index = DirectoryIndex()
    release_index = DirectorySupplierReleaseIndex()


class HeldProgram(Model):
    """A directory program of a supplier that is not admitted (no mapped profile, or terms not accepted):
    kept, never published, until CFB admits the supplier (R_DEX_03, R_CAT_06). The document is stored
    compressed and without its contact persons."""

    Meta = _meta("directory-held")
    org_unit_id = UnicodeAttribute(hash_key=True)
    program_id = UnicodeAttribute(range_key=True)
    connection_id = UnicodeAttribute()
    name = UnicodeAttribute()
    reason = UnicodeAttribute()  # unmapped | terms
    last_change = UTCDateTimeAttribute()
    document = BinaryAttribute(legacy_encoding=False)
    held_at = UTCDateTimeAttribute()


ALL_MODELS: tuple[type[Model], ...] = (
    Organisation,
    Account,
    AccountSearchKey,
    Session,
    LoginToken,
    RateCounter,
    Supplier,
    ApiKey,
    Course,
    Execution,
    CatalogueChunk,
    SearchList,
    Enrolment,
    EnrolmentGuard,
    WaitingPlace,
    IdempotencyRecord,
    Review,
    ReviewGuard,
    ContactMessage,
    OrderLine,
    OutboxItem,
    EventLogEntry,
    Counter,
    Disclosure,
    FeedEntry,
    MigrationRun,
    DirectoryConnection,
    DirectorySupplier,
    HeldProgram,
)


def create_all_tables() -> None:
    """Local stack and tests: create every table (and TTL) that does not exist yet."""
    for model in ALL_MODELS:
        if not model.exists():
            model.create_table(wait=True)
