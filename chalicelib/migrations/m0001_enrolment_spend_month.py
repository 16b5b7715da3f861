"""0001: every enrolment carries `spend_month` (YYYY-MM of its start), the key of the spend overview's
`spend-month-index` (issue 12). Enrolments written before had none, so the overview did not count them."""

from __future__ import annotations

from datetime import date

from chalicelib.migrations.step import CannotMigrateError, Migration, set_once
from chalicelib.models import Enrolment


def _pending(enrolment: Enrolment) -> bool:
    return enrolment.spend_month is None


def _migrate(enrolment: Enrolment) -> None:
    try:
        start = date.fromisoformat(enrolment.start_day)
    except (TypeError, ValueError) as err:
        raise CannotMigrateError("no start day") from err
    set_once(enrolment, Enrolment.spend_month, start.isoformat()[:7], Enrolment.start_day)


MIGRATION = Migration("0001-enrolment-spend-month", Enrolment,
                      "inschrijvingen krijgen spend_month (maand van de start) voor het uitgavenoverzicht",
                      _pending, _migrate)
