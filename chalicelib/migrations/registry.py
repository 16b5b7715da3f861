"""The data migrations in the order they run (R_OPS_04). Add a new one at the end, with the next number:
a migration may rely on every one before it having finished. Never renumber or remove one that shipped:
its id is the key of its stored run (0014's id ends with the digest of the default search lists: a release
that changes them brings a new run of it)."""

from __future__ import annotations

from chalicelib.migrations import (
    m0001_enrolment_spend_month,
    m0002_session_created_day,
    m0003_login_token_created_day,
    m0004_outbox_created_day,
    m0005_account_search_keys,
    m0006_organisation_order_staff,
    m0007_account_search_key_initial,
    m0008_contact_sender_hash,
    m0009_enrolment_calendar_sequence,
    m0010_enrolment_approval_asked_day,
    m0011_execution_waiting_list,
    m0012_enrolment_calendar_run,
    m0013_search_index_documents,
    m0014_search_index_lists,
    m0015_disclosure_account_id,
)
from chalicelib.migrations.step import Migration

MIGRATIONS: tuple[Migration, ...] = (
    m0001_enrolment_spend_month.MIGRATION,
    m0002_session_created_day.MIGRATION,
    m0003_login_token_created_day.MIGRATION,
    m0004_outbox_created_day.MIGRATION,
    m0005_account_search_keys.MIGRATION,
    m0006_organisation_order_staff.MIGRATION,
    m0007_account_search_key_initial.MIGRATION,
    m0008_contact_sender_hash.MIGRATION,
    m0009_enrolment_calendar_sequence.MIGRATION,
    m0010_enrolment_approval_asked_day.MIGRATION,
    m0011_execution_waiting_list.MIGRATION,
    m0012_enrolment_calendar_run.MIGRATION,
    m0013_search_index_documents.MIGRATION,
    m0014_search_index_lists.MIGRATION,
    m0015_disclosure_account_id.MIGRATION,
)
