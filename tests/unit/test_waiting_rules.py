"""The waiting list's pure rules (R_WAIT_01-03): the close day, the phase of the list, the offer's end, the
place's public id, who is skipped and how many move up at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from chalicelib.enrolment import waiting_rules as rules
from chalicelib.enrolment.waiting_rules import Candidate, Mode, Skip

START = date(2027, 3, 20)
DEADLINE = date(2027, 3, 10)
LAST_FREE = date(2027, 3, 6)


def test_R_WAIT_03_the_list_closes_the_day_after_the_application_deadline_or_at_the_start():
    assert rules.close_day("open", START, DEADLINE, date(2027, 1, 1)) == date(2027, 3, 11)
    assert rules.close_day("open", START, None, date(2027, 1, 1)) == START
    assert rules.close_day("open", START, date(2027, 3, 25), date(2027, 1, 1)) == START
    assert rules.close_day("cancelled", START, DEADLINE, date(2027, 2, 2)) == date(2027, 2, 2)


def test_R_WAIT_03_automatic_until_the_last_free_day_then_offers_then_closed():
    def mode(day: date) -> Mode:
        return rules.mode("open", START, DEADLINE, LAST_FREE, day)

    assert mode(LAST_FREE) is Mode.AUTOMATIC
    assert mode(LAST_FREE + timedelta(days=1)) is Mode.OFFER
    assert mode(DEADLINE) is Mode.OFFER
    assert mode(DEADLINE + timedelta(days=1)) is Mode.CLOSED
    assert rules.mode("closed", START, None, LAST_FREE, date(2027, 1, 1)) is Mode.CLOSED


def test_R_WAIT_03_an_offer_lasts_24_hours_but_never_past_the_close():
    now = datetime(2027, 3, 9, 12, tzinfo=UTC)
    assert rules.offer_expires(now, datetime(2027, 3, 11, tzinfo=UTC)) == now + timedelta(hours=24)
    assert rules.offer_expires(now, datetime(2027, 3, 9, 23, tzinfo=UTC)) == datetime(2027, 3, 9, 23, tzinfo=UTC)


def test_R_WAIT_01_a_place_id_is_its_key_and_nothing_else_decodes():
    position = rules.position_key(42)
    assert position == "0000000042"
    place_id = rules.place_id("c0123abc", "run 1.{a}", position)
    assert rules.place_key(place_id) == ("c0123abc#run 1.{a}", position)
    for junk in ("", "w", "x" + place_id[1:], "w!!", "w" + "A" * 300, place_id[:-4]):
        assert rules.place_key(junk) is None, junk
    assert sorted(rules.position_key(n) for n in (10, 9, 100)) == ["0000000009", "0000000010", "0000000100"]


def test_R_WAIT_02_who_no_longer_qualifies_and_why():
    fine = Candidate(salary_scale_allowed=True, visible=True, account_present=True, needs_manager=False)
    assert rules.skip_reason(fine) is None
    assert rules.skip_reason(Candidate(True, True, False, False)) is Skip.ACCOUNT
    assert rules.skip_reason(Candidate(True, False, True, False)) is Skip.VISIBILITY
    assert rules.skip_reason(Candidate(False, True, True, False)) is Skip.SALARY_SCALE
    assert rules.skip_reason(Candidate(True, True, True, True)) is Skip.APPROVAL


def test_R_WAIT_02_every_free_seat_is_filled_as_far_as_people_wait_and_nobody_into_a_seat_that_is_gone():
    assert rules.free_seats(3, 4) == -1 and rules.free_seats(None, 4) is None
    assert rules.seats_to_fill(-1, 5, 8) == 0
    assert rules.seats_to_fill(2, 5, 8) == 2
    assert rules.seats_to_fill(20, 5, 8) == 5
    assert rules.seats_to_fill(20, 50, 8) == 8
    assert rules.seats_to_fill(None, 3, 8) == 3
