"""R_ENR_10, R_PRV_02: the pure rules behind the privacy clocks and the spend overview."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.privacy import clock_rules, spend_rules


def test_R_ENR_10_dates_and_timestamps_reduce_to_the_first_of_their_month():
    assert clock_rules.reduced_to_month("2027-03-14") == "2027-03-01"
    assert clock_rules.reduced_to_month(datetime(2027, 3, 14, 9, 30, tzinfo=UTC)) == datetime(2027, 3, 1, tzinfo=UTC)


def test_R_ENR_10_due_on_the_day_and_overdue_from_the_next():
    assert not clock_rules.is_due("2027-03-14", date(2027, 3, 13))
    assert clock_rules.is_due("2027-03-14", date(2027, 3, 14))
    assert not clock_rules.is_overdue("2027-03-14", date(2027, 3, 14))
    assert clock_rules.is_overdue("2027-03-14", date(2027, 3, 15))


def test_R_ENR_10_missed_months_are_read_and_the_cursor_never_passes_the_current_month():
    assert clock_rules.months_through("2026-11", date(2027, 2, 3)) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert clock_rules.cursor_after("2027-01", date(2027, 2, 3)) == "2027-02"
    assert clock_rules.cursor_after("2027-02", date(2027, 2, 3)) is None


def test_R_ENR_10_spend_counts_approved_prices_and_late_cancellation_penalties_only():
    def row(status: str, penalty: int = 0) -> spend_rules.SpendRow:
        return spend_rules.SpendRow("2027-03", "org", "c1", "sup", status, 10000, penalty, False)

    assert [spend_rules.amount_cents(row(s)) for s in ("approved", "rejected", "expired", "pending_approval")] == [
        10000, 0, 0, 0]
    assert spend_rules.amount_cents(row("cancelled", 10000)) == 10000
    assert spend_rules.amount_cents(row("cancelled")) == 0


def test_the_spend_csv_is_dutch_and_every_cell_quoted_and_neutralised():
    text = spend_rules.to_csv("theme", [{"key": "=T1", "label": 'a;b"c', "amount_cents": 120050, "count": 2,
                                         "anonymised": 1}])
    header = '"Indeling";"Code";"Naam";"Bedrag (euro)";"Inschrijvingen";"Waarvan geanonimiseerd"'
    assert text.startswith(f"\ufeff{header}\r\n")
    assert text.endswith('"thema";"\'=T1";"a;b""c";"1200,50";"2";"1"\r\n')
    assert spend_rules.month_label("2026-12") == "december 2026"
    assert spend_rules.csv_name("organisation", "2026-01", "2026-12") == "uitgaven-per-organisatie-2026-01-tot-2026-12"


# --- edges the mutation run found untested (issue 22 item 16) ----------------------------------------------


def test_R_ENR_10_the_next_month_turns_the_year():
    assert clock_rules.next_month("2026-12") == "2027-01"
    assert clock_rules.next_month("2026-09") == "2026-10" and clock_rules.next_month("2026-11") == "2026-12"
    assert clock_rules.months_through("2027-03", date(2027, 2, 3)) == []


def test_R_ENR_10_a_timestamp_reduces_to_its_utc_month_whatever_the_servers_zone(monkeypatch):
    """`make run` on a laptop in Amsterdam: 00:30 on 1 April there is still March in UTC."""
    import time
    from datetime import timedelta, timezone

    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        summer = timezone(timedelta(hours=2))
        reduced = clock_rules.reduced_to_month(datetime(2027, 4, 1, 0, 30, tzinfo=summer))
        assert reduced == datetime(2027, 3, 1, tzinfo=UTC) and reduced.utcoffset() == timedelta(0)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_R_PRV_02_ages_count_whole_days_from_the_day_of_a_moment():
    assert clock_rules.age_days(datetime(2027, 3, 1, 23, 59, tzinfo=UTC), date(2027, 3, 3)) == 2
    assert clock_rules.age_days(date(2027, 3, 1), date(2027, 3, 3)) == 2
