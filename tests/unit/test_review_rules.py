"""R_REV_01-03: the pure review rules."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.reviews import rules
from chalicelib.reviews.rules import Followed, Viewer


def test_R_REV_01_followed_means_approved_run_not_cancelled_and_end_date_passed():
    today = "2027-03-10"
    assert rules.has_followed([Followed("approved", "2027-03-09", "open")], today)
    assert not rules.has_followed([Followed("approved", "2027-03-10", "open")], today)  # the last day itself
    assert not rules.has_followed([Followed("cancelled", "2027-03-01", "open")], today)
    assert not rules.has_followed([Followed("pending_approval", "2027-03-01", "open")], today)
    assert not rules.has_followed([Followed("approved", "2027-03-01", "cancelled")], today)
    assert rules.has_followed([Followed("approved", "2027-03-01", None)], today)  # the run is gone, it was followed
    both = [Followed("cancelled", "2027-03-01", "open"), Followed("approved", "2027-02-01", "closed")]
    assert rules.has_followed(both, today)


def test_R_REV_01_one_invitation_per_portal_participant_who_has_not_reviewed():
    assert rules.invitation_due("approved", "portal", True, False, False)
    assert not rules.invitation_due("approved", "portal", True, True, False)  # already invited
    assert not rules.invitation_due("approved", "portal", True, False, True)  # already reviewed the course
    assert not rules.invitation_due("cancelled", "portal", True, False, False)
    assert not rules.invitation_due("approved", "lms", False, False, False)
    assert not rules.invitation_due("approved", "portal", False, False, False)  # detached: account deleted


def test_R_REV_01_invitation_days_catch_up_from_the_watermark_within_the_lookback():
    today = date(2027, 3, 10)
    assert rules.days_to_invite(date(2027, 3, 9), today, 30) == []
    assert rules.days_to_invite(date(2027, 3, 7), today, 30) == [date(2027, 3, 8), date(2027, 3, 9)]
    first_run = rules.days_to_invite(None, today, 3)
    assert first_run == [date(2027, 3, 7), date(2027, 3, 8), date(2027, 3, 9)]
    assert rules.days_to_invite(date(2026, 1, 1), today, 3) == first_run  # off for long: the lookback bounds it


@pytest.mark.parametrize("text", ["a\x00b", "bel\x07", "esc\x1b", "c1\x85", "\u2028", "\u2029", "\ufffe", "\uffff",
                                  "\ufdd0", "\U0001fffe", "\U0010ffff", "\ud800"])
def test_R_REV_02_control_characters_and_noncharacters_are_refused(text):
    with pytest.raises(ValueError):
        rules.clean_text(f"Goed {text}")


@pytest.mark.parametrize("text", ["\ufeff", "\u200b", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
                                  "\u2060", "\u00ad", "\U000e0001"])
def test_R_REV_02_format_characters_that_hide_or_reorder_text_are_refused(text):
    with pytest.raises(ValueError, match="onzichtbare tekens"):
        rules.clean_text(f"Goed {text}")


@pytest.mark.parametrize("text", ["\u200d", "\u200c", "\u3164", "\u115f\u1160", "\uffa0", "\u2800", "\ufe0f",
                                  "\U000e0100", "\u034f", " \u200d\n\u3000 "])
def test_R_REV_02_a_text_that_shows_nothing_counts_as_empty(text):
    with pytest.raises(ValueError, match="korte toelichting"):
        rules.clean_text(text)


def test_R_REV_02_emoji_sequences_are_text():
    scotland = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    for text in ("👍", "👍🏽", "👩\u200d💻", "🇳🇱", "❤\ufe0f", scotland):
        assert rules.clean_text(text) == text


def test_R_REV_02_text_is_normalised_and_length_limited():
    assert rules.clean_text("  Regel een\r\nRegel twee\rdrie\tmet tab  ") == "Regel een\nRegel twee\ndrie\tmet tab"
    assert rules.clean_text("e\u0301") == "\u00e9"  # NFC
    assert rules.clean_text("x" * rules.MAX_TEXT) == "x" * rules.MAX_TEXT
    for bad in ("", "   \n ", "x" * (rules.MAX_TEXT + 1)):
        with pytest.raises(ValueError):
            rules.clean_text(bad)


def test_R_REV_02_summary_changes_exactly_and_never_goes_negative():
    summary = rules.recount([5, 4, 4])
    assert summary.as_view() == {"count": 3, "average": 4.3, "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}}
    edited = rules.changed(summary, 4, 1)
    assert edited.as_view() == rules.recount([5, 4, 1]).as_view() and edited.version == summary.version + 1
    removed = rules.changed(edited, 5, None)
    assert removed.as_view() == rules.recount([4, 1]).as_view()
    assert rules.summary_from(removed.count, removed.as_extra()) == removed
    with pytest.raises(ValueError):
        rules.changed(rules.EMPTY, 3, None)
    assert rules.EMPTY.as_view()["average"] is None


@pytest.mark.parametrize(("viewer", "sees_text", "sees_name_if_named"), [
    (Viewer.VISITOR, False, False), (Viewer.EMPLOYEE, True, True), (Viewer.AUTHOR, True, True),
    (Viewer.SUPPLIER, True, False), (Viewer.LOCAL_ADMIN, True, True), (Viewer.CFB, True, True),
])
def test_R_REV_02_R_REV_03_who_sees_text_and_name(viewer, sees_text, sees_name_if_named):
    assert rules.shows_text(viewer) is sees_text
    assert rules.shows_name(viewer, named=True) is sees_name_if_named
    assert rules.shows_name(viewer, named=False) is False  # an anonymous review names nobody to anyone


def test_R_REV_04_author_and_cfb_may_change():
    assert rules.may_change(True, False) and rules.may_change(False, True)
    assert not rules.may_change(False, False)


def test_guard_id_is_a_hash_naming_nobody():
    guard = rules.guard_id("c1", "acct-42")
    assert "acct-42" not in guard and len(guard) == 64
    assert guard != rules.guard_id("c2", "acct-42") and guard == rules.guard_id("c1", "acct-42")


# --- edges the mutation run found untested (issue 22 item 16) ----------------------------------------------


def test_R_REV_02_the_refusals_are_dutch_and_say_what_to_do():
    with pytest.raises(ValueError) as hidden:
        rules.clean_text("Goed\u200b")
    assert str(hidden.value) == "Gebruik geen stuurtekens of onzichtbare tekens in uw review."
    with pytest.raises(ValueError) as empty:
        rules.clean_text(" \u200d ")
    assert str(empty.value) == "Schrijf een korte toelichting bij uw beoordeling."
    assert rules.clean_text("x" * 2000) == "x" * 2000  # the limit pinned by behaviour, not read from the module
    with pytest.raises(ValueError) as long:
        rules.clean_text("x" * 2001)
    assert str(long.value) == "Uw review is te lang: gebruik hoogstens 2000 tekens."


def test_R_REV_01_invitation_days_start_after_a_watermark_on_the_lookback_edge():
    today = date(2027, 3, 10)
    assert rules.days_to_invite(date(2027, 3, 7), today, 3) == [date(2027, 3, 8), date(2027, 3, 9)]


def test_R_REV_02_a_summary_grows_from_empty_and_reads_back_from_its_stored_form():
    first = rules.changed(rules.EMPTY, None, 5)
    assert first.as_view() == {"count": 1, "average": 5.0, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    assert first.as_extra() == {"sum": 5, "v": 1, "r1": 0, "r2": 0, "r3": 0, "r4": 0, "r5": 1}
    second = rules.changed(first, None, 5)
    assert second.distribution == {5: 2} and (second.count, second.total, second.version) == (2, 10, 2)
    assert rules.summary_from(0, {}) == rules.Summary(0, 0, {r: 0 for r in rules.RATINGS}, 0)
    assert rules.summary_from(1, {"sum": 4, "r4": 1, "v": 7}) == rules.Summary(1, 4, {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}, 7)


def test_R_REV_02_the_summary_refuses_to_go_negative_and_may_reach_zero():
    last = rules.changed(rules.recount([4]), 4, None)
    assert (last.count, last.total, last.distribution[4]) == (0, 0, 0)
    for summary, removed in ((rules.Summary(1, 5, {}), 5), (rules.Summary(2, 8, {4: 2}), 5), (rules.EMPTY, 3)):
        with pytest.raises(ValueError) as refused:
            rules.changed(summary, removed, None)
        assert str(refused.value) == "the rating summary would become negative"


@pytest.mark.parametrize(("viewer", "named", "count", "shown"), [
    (Viewer.EMPLOYEE, False, 1, True), (Viewer.AUTHOR, False, 1, True), (Viewer.VISITOR, False, 1, True),
    (Viewer.SUPPLIER, True, 2, False), (Viewer.SUPPLIER, True, 3, True), (Viewer.SUPPLIER, False, 2, False),
    (Viewer.LOCAL_ADMIN, True, 1, True), (Viewer.LOCAL_ADMIN, False, 2, False), (Viewer.LOCAL_ADMIN, False, 3, True),
    (Viewer.CFB, False, 2, False), (Viewer.CFB, False, 4, True), (Viewer.CFB, True, 1, True),
])
def test_R_REV_03_holders_of_participant_lists_read_an_anonymous_review_only_among_three(viewer, named, count, shown):
    assert rules.shows_review(viewer, named, count) is shown


def test_R_REV_03_only_the_author_sees_the_day_of_an_anonymous_review():
    from datetime import UTC, datetime

    moment = datetime(2027, 3, 9, 14, 5, tzinfo=UTC)
    assert rules.shown_moment(moment, Viewer.AUTHOR, named=False) == moment.isoformat()
    assert rules.shown_moment(moment, Viewer.EMPLOYEE, named=True) == moment.isoformat()
    for viewer in (Viewer.EMPLOYEE, Viewer.SUPPLIER, Viewer.CFB, Viewer.LOCAL_ADMIN):
        assert rules.shown_moment(moment, viewer, named=False) == "2027-03"
    assert rules.shown_moment(moment, Viewer.SUPPLIER, named=True) == "2027-03"
    assert rules.anonymous_to(Viewer.SUPPLIER, True) and not rules.anonymous_to(Viewer.CFB, True)
