"""The scheduled Lambda functions, one per job of `chalicelib.jobs.JOBS`, written out by name.

Each handler is `(event, context)` as Lambda calls it; the cadence is the job table's (a test keeps
the two equal).
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Rate

from chalicelib import jobs

bp = Blueprint(__name__)


def _every(name: str) -> Rate:
    return Rate(jobs.JOBS[name].every_minutes, unit=Rate.MINUTES)


@bp.schedule(_every("purge_event_log"), name="purge_event_log")
def purge_event_log_handler(event: Any) -> jobs.JobResult:
    return jobs.run("purge_event_log")


@bp.schedule(_every("outbox_retry"), name="outbox_retry")
def outbox_retry_handler(event: Any) -> jobs.JobResult:
    return jobs.run("outbox_retry")


@bp.schedule(_every("expire_approvals"), name="expire_approvals")
def expire_approvals_handler(event: Any) -> jobs.JobResult:
    return jobs.run("expire_approvals")


@bp.schedule(_every("notify_run_changes"), name="notify_run_changes")
def notify_run_changes_handler(event: Any) -> jobs.JobResult:
    return jobs.run("notify_run_changes")


@bp.schedule(_every("send_reminders"), name="send_reminders")
def send_reminders_handler(event: Any) -> jobs.JobResult:
    return jobs.run("send_reminders")


@bp.schedule(_every("remind_approvals"), name="remind_approvals")
def remind_approvals_handler(event: Any) -> jobs.JobResult:
    return jobs.run("remind_approvals")


@bp.schedule(_every("pass_on_offers"), name="pass_on_offers")
def pass_on_offers_handler(event: Any) -> jobs.JobResult:
    return jobs.run("pass_on_offers")


@bp.schedule(_every("close_waiting_lists"), name="close_waiting_lists")
def close_waiting_lists_handler(event: Any) -> jobs.JobResult:
    return jobs.run("close_waiting_lists")


@bp.schedule(_every("build_order_lists"), name="build_order_lists")
def build_order_lists_handler(event: Any) -> jobs.JobResult:
    return jobs.run("build_order_lists")


@bp.schedule(_every("invite_reviews"), name="invite_reviews")
def invite_reviews_handler(event: Any) -> jobs.JobResult:
    return jobs.run("invite_reviews")


@bp.schedule(_every("purge_contact"), name="purge_contact")
def purge_contact_handler(event: Any) -> jobs.JobResult:
    return jobs.run("purge_contact")


@bp.schedule(_every("anonymise_enrolments"), name="anonymise_enrolments")
def anonymise_enrolments_handler(event: Any) -> jobs.JobResult:
    return jobs.run("anonymise_enrolments")


@bp.schedule(_every("retention_selfcheck"), name="retention_selfcheck")
def retention_selfcheck_handler(event: Any) -> jobs.JobResult:
    return jobs.run("retention_selfcheck")


@bp.schedule(_every("sync_directory"), name="sync_directory")
def sync_directory_handler(event: Any) -> jobs.JobResult:
    return jobs.run("sync_directory")


@bp.schedule(_every("sync_directory_requested"), name="sync_directory_requested")
def sync_directory_requested_handler(event: Any) -> jobs.JobResult:
    return jobs.run("sync_directory_requested")
