"""Pure order-list rules (R_ORD_01, R_ORD_03, R_ORD_04, R_ENR_08)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.orders import rules
from chalicelib.platform import csvtext


def test_R_ORD_01_routing_to_a_staffed_department_else_the_organisation():
    staffed = rules.staffed_departments({"dep-1#acc-a", "-#acc-b", "dep-3#acc-c"})
    assert staffed == frozenset({"dep-1", "dep-3"})
    assert rules.route_department("dep-1", staffed) == "dep-1"
    assert rules.route_department("dep-2", staffed) is None
    assert rules.route_department(None, staffed) is None
    assert rules.list_key("org", None) == "org#-" and rules.list_key("org", "dep-1") == "org#dep-1"


@pytest.mark.parametrize(("status", "penalty", "expected"), [
    ("approved", None, rules.Wanted("order", 500)),
    ("cancelled", 500, rules.Wanted("penalty", 500)),
    ("cancelled", 0, None),
    ("pending_approval", None, None),
    ("rejected", None, None),
    ("expired", None, None),
])
def test_R_ORD_01_R_ENR_08_what_an_enrolment_puts_on_the_list(status, penalty, expected):
    assert rules.wanted_line(status, penalty, 500) == expected


def test_R_ENR_08_an_existing_line_becomes_the_penalty_order_or_is_withdrawn_when_free():
    penalty = rules.Wanted("penalty", 500)
    assert rules.change_for_existing("order", "open", penalty) == rules.Change(kind="penalty", amount_cents=500)
    assert rules.change_for_existing("order", "ordered", penalty) == rules.Change(kind="penalty", amount_cents=500)
    assert rules.change_for_existing("penalty", "open", penalty) is None  # no second conversion
    assert rules.change_for_existing("order", "open", None) == rules.Change(status="withdrawn")
    assert rules.change_for_existing("order", "withdrawn", None) is None
    assert rules.change_for_existing("order", "open", rules.Wanted("order", 500)) is None


def test_R_ORD_04_days_due_catch_up_from_the_last_day_done_to_yesterday():
    today = date(2026, 3, 10)
    assert rules.days_due(date(2026, 3, 9), today) == []
    assert rules.days_due(date(2026, 3, 6), today) == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]
    first_run = rules.days_due(None, today, lookback_days=3)
    assert first_run == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]


def test_R_ORD_04_line_ids_are_one_per_enrolment_and_do_not_reveal_it():
    assert rules.line_id_for("e1") == rules.line_id_for("e1") != rules.line_id_for("e2")
    assert rules.line_id_for("e1").startswith("ol") and len(rules.line_id_for("e1")) == 26


def test_R_ORD_04_second_look_from_the_start_day_on():
    assert rules.needs_second_look("2026-03-10", date(2026, 3, 10))
    assert rules.needs_second_look("2026-03-10", date(2026, 3, 12))
    assert not rules.needs_second_look("2026-03-10", date(2026, 3, 9))


@pytest.mark.parametrize(("value", "written"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+31 70", "'+31 70"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", " x"), ("\rx", " x"),
])
def test_R_ORD_03_cells_a_spreadsheet_would_run_are_neutralised(value, written):
    assert csvtext.cell(value) == written


@pytest.mark.parametrize(("value", "written"), [
    ("a,=b", "a,'=b"), ("a;+b", "a;'+b"), ('a,"-b', 'a,"\'-b'), ("a\t@b", "a @b"), ("a\r\n=b", "a  =b"),
    ("a=b", "a=b"), ("a, =b", "a, =b"), (None, ""), (0, "0"),
])
def test_R_ORD_03_a_cell_can_start_after_every_separator_inside_a_text(value, written):
    assert csvtext.cell(value) == written


def test_R_ORD_03_csv_has_a_bom_semicolons_dutch_headers_and_every_cell_quoted():
    text = rules.csv_document([{"order_reference": "ol1", "course_name": "=1+1; x", "amount_cents": 49500,
                                "kind": "penalty", "status": "ordered", "source": "lms", "department": None}])
    assert text.startswith("\ufeff")
    header, row = text[1:].strip().split("\r\n")
    assert header.split(";") == [f'"{name}"' for _, name in rules.EXPORT_COLUMNS]
    assert "\"'=1+1; x\"" in row and '"495,00"' in row and '"boete";"besteld"' in row and '"LMS"' in row
    assert "None" not in row and row.count('"') == 2 * len(rules.EXPORT_COLUMNS)  # every cell quoted
    assert csvtext.euros(49500) == "495,00" and csvtext.euros(5) == "0,05"


def test_R_ORD_02_scopes_and_totals():
    scopes = rules.scopes_of([("order_authorised", "org", "dep-1"), ("local_admin", "org", None),
                              ("order_authorised", "org", None), ("order_authorised", "org", "dep-1")])
    assert scopes == [rules.Scope("org", "dep-1"), rules.Scope("org", None)]
    assert rules.pick_scope(scopes, None, None) == rules.Scope("org", "dep-1")
    assert rules.pick_scope(scopes, "org", None) == rules.Scope("org", None)
    assert rules.pick_scope(scopes, "other", None) is None
    assert rules.pick_scope(scopes, None, "dep-2") is None
    totals = rules.totals_by_month([("2026-03-02", "open", 100), ("2026-03-09", "withdrawn", 50),
                                    ("2026-04-01", "ordered", 25)])
    assert totals == [{"month": "2026-03", "count": 1, "amount_cents": 100},
                      {"month": "2026-04", "count": 1, "amount_cents": 25}]


# --- edges the mutation run found untested (issue 22 item 16) ----------------------------------------------


def test_R_ORD_01_staff_entries_name_the_department_or_the_organisation():
    assert rules.staff_entry(None, "acc-1") == "-#acc-1" and rules.staff_entry("dep-1", "acc-1") == "dep-1#acc-1"
    entries = {rules.staff_entry(None, "acc-1"), rules.staff_entry("dep-1", "acc-2"), "dep-2"}
    assert rules.staffed_departments(entries) == frozenset({"dep-1"})  # an entry without # names nobody


def test_R_ORD_02_only_order_authorised_grants_with_an_organisation_are_scopes():
    assert rules.scopes_of([("local_admin", "org", None), ("cfb", None, None), ("order_authorised", None, None)]) == []
    assert rules.pick_scope([], None, None) is None


def test_R_ORD_02_a_period_is_inclusive_and_may_be_open_at_either_end():
    assert rules.period_bounds(None, None) == ("0000-00-00", "9999-12-31#\uffff")
    assert rules.period_bounds(date(2026, 3, 1), date(2026, 3, 31)) == ("2026-03-01", "2026-03-31#\uffff")
    low, high = rules.period_bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert low <= rules.list_sort("2026-03-01", "ol1") <= high and low <= rules.list_sort("2026-03-31", "ol9") <= high
    assert not rules.list_sort("2026-04-01", "ol1") <= high and not low <= rules.list_sort("2026-02-28", "ol1")


def test_R_ORD_03_a_month_counts_and_sums_all_its_lines():
    totals = rules.totals_by_month([("2026-03-02", "open", 100), ("2026-03-09", "ordered", 50),
                                    ("2026-03-31", "open", 7)])
    assert totals == [{"month": "2026-03", "count": 3, "amount_cents": 157}]


def test_R_ORD_03_dutch_cells_for_codes_and_nothing_for_an_empty_value():
    assert rules.dutch_cell("department", None) is None and rules.dutch_cell("kind", None) is None
    assert rules.dutch_cell("kind", "order") == "bestelling" and rules.dutch_cell("place", "open") == "open"


def test_R_ORD_03_the_file_name_says_the_period():
    assert rules.export_name(date(2026, 12, 1), date(2026, 12, 31), [], date(2027, 1, 5)) == \
        "bestellijst-2026-12-01-tot-2026-12-31"
    assert rules.export_name(None, None, ["2026-12-03", "2026-11-30"], date(2027, 1, 5)) == \
        "bestellijst-2026-11-30-tot-2026-12-03"
    assert rules.export_name(None, None, [], date(2027, 1, 5)) == "bestellijst-2027-01-05"
    assert rules.export_name(date(2026, 12, 1), None, [], date(2027, 1, 5)) == "bestellijst-vanaf-2026-12-01"
    assert rules.export_name(None, date(2026, 12, 31), [], date(2027, 1, 5)) == "bestellijst-tot-en-met-2026-12-31"
