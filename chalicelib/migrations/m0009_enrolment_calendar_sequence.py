"""0009: every enrolment carries `calendar_sequence`, the SEQUENCE of its calendar invitation (R_CAL_01,
issue 25). Enrolments written before had none: the code reads an absent counter as 0 (no invitation was
sent, so the first is number 0, as for a new enrolment) and its first ADD makes it 1. The migration
writes that 0, so every stored enrolment says what its invitation's number is."""

from __future__ import annotations

from chalicelib.migrations.step import Migration, set_once
from chalicelib.models import Enrolment


def _pending(enrolment: Enrolment) -> bool:
    return enrolment.calendar_sequence is None


def _migrate(enrolment: Enrolment) -> None:
    set_once(enrolment, Enrolment.calendar_sequence, 0)


MIGRATION = Migration("0009-enrolment-calendar-sequence", Enrolment,
                      "inschrijvingen krijgen calendar_sequence (volgnummer van de agenda-uitnodiging, R_CAL_01)",
                      _pending, _migrate)
