"""Pure rules of the contact form: the hard week and its purge days (R_CON_03), the honeypot (R_CON_04)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.contact import rules
from chalicelib.platform import deadlines


@pytest.mark.parametrize("submitted", [
    datetime(2026, 3, 2, 0, 0, tzinfo=UTC),
    datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # the Netherlands go to summer time that night
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # and back
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
])
def test_R_CON_03_the_purge_day_ends_no_later_than_7_days_after_submission(submitted: datetime) -> None:
    day = datetime.fromisoformat(rules.purge_day(submitted)).replace(tzinfo=UTC)
    end_of_purge_day = day + timedelta(days=1)
    assert end_of_purge_day <= submitted + timedelta(days=7)
    assert day > submitted + timedelta(days=5)  # and not needlessly early: never before day 5 is over
    assert rules.expires_at(submitted) == submitted + timedelta(days=7)


def test_R_CON_03_visible_for_exactly_7_days() -> None:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert rules.visible(at, at)
    assert rules.visible(at, at + timedelta(days=7) - timedelta(microseconds=1))
    assert not rules.visible(at, at + timedelta(days=7))


def test_R_CON_03_purge_days_catch_up_missed_runs_and_overdue_means_its_day_has_passed() -> None:
    now = datetime(2026, 3, 20, 0, 5, tzinfo=UTC)
    days = rules.purge_days(now)
    assert days[-1] == "2026-03-20" and days[0] == "2026-03-06" and len(days) == rules.CATCH_UP_DAYS + 1
    assert not rules.overdue("2026-03-20", now) and rules.overdue("2026-03-19", now)
    check = rules.check_days(now)
    assert check[-1] == "2026-03-26" and check[0] == "2026-01-19"  # through the week ahead, 60 days back


def test_a_hard_deadline_is_whole_days() -> None:
    with pytest.raises(ValueError):
        deadlines.purge_day(datetime(2026, 3, 2, tzinfo=UTC), timedelta(hours=36))
    with pytest.raises(ValueError):
        deadlines.purge_day(datetime(2026, 3, 2, tzinfo=UTC), timedelta(0))


def test_R_CON_04_honeypot_and_question_text() -> None:
    assert not rules.is_honeypot(None) and not rules.is_honeypot("  ")
    assert rules.is_honeypot("https://spam.example")
    assert rules.clean_text("  Regel 1\r\nRegel\u0000 2\u0007\t!  ") == "Regel 1\nRegel 2\t!"


def test_R_CON_03_the_self_check_reads_every_day_from_60_back_through_the_week_ahead() -> None:
    days = rules.check_days(datetime(2026, 3, 20, 0, 5, tzinfo=UTC))
    assert len(days) == rules.CHECK_DAYS + 7 and len(set(days)) == len(days)
    assert days == sorted(days) and days[1] == "2026-01-20"


def test_R_ACC_09_R_CON_04_one_sender_key_per_mailbox() -> None:
    key = rules.sender_hash("Vera+vraag@Example.org")
    assert key == rules.sender_hash("vera@example.org") != rules.sender_hash("vera2@example.org")
    assert len(key) == 64 and "vera" not in key


def test_R_CON_01_a_lone_cr_is_a_line_break_and_del_and_c1_controls_go() -> None:
    assert rules.clean_text("Regel 1\rRegel 2\x7f\x85\x9b!") == "Regel 1\nRegel 2!"
