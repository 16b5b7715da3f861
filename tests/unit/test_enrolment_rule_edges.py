"""Edges of the pure enrolment rules that no test reached (issue 22 item 16, the mutation run)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from chalicelib.enrolment import rules


def test_R_ENR_10_twelve_months_on_from_january_and_from_a_month_end():
    assert rules.anonymise_on(date(2027, 1, 15)) == date(2028, 1, 15)
    assert rules.anonymise_on(date(2027, 12, 31)) == date(2028, 12, 31)
    assert rules.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert rules.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_R_ENR_07_the_guard_key_is_the_hashed_person_trimmed_and_lower_case():
    """A stored key: its form must not change, or the one-active-enrolment guard forgets who holds a seat."""
    key = rules.guard_id("c1", "r1", " Sem.Jansen@MinBZK.nl ")
    assert key == "c1#r1#" + hashlib.sha256(b"sem.jansen@minbzk.nl").hexdigest()[:32]
    assert key != rules.guard_id("c1", "r1", "sem@prive.example")
    assert key != rules.guard_id("c1", "r2", "sem.jansen@minbzk.nl")


def test_R_ENR_06_the_manager_is_told_what_is_wrong_in_dutch():
    own = rules.manager_address_problem("Sem.Jansen@minbzk.nl", {"sem.jansen@minbzk.nl"}, {"minbzk.nl"})
    assert own == "Vul het e-mailadres van uw leidinggevende in, niet uw eigen adres."
    outside = rules.manager_address_problem("chef@gmail.com", {"sem.jansen@minbzk.nl"}, {"rws.nl", "minbzk.nl"})
    assert outside == "Het adres van uw leidinggevende moet bij uw organisatie horen (minbzk.nl, rws.nl)."
    assert rules.manager_address_problem("Chef@MinBZK.nl", {"sem.jansen@minbzk.nl"}, {"MinBZK.nl"}) is None


@pytest.mark.parametrize(("open_for", "codes", "visible"), [
    (None, frozenset({"BZK"}), True), (set(), frozenset(), True), ({"BZK"}, frozenset({"BZK"}), True),
    ({"BZK", "FIN"}, frozenset({"FIN", "OCW"}), True), ({"FIN"}, frozenset({"BZK"}), False),
    ({"FIN"}, frozenset(), False),
])
def test_R_CAT_02_a_restricted_run_is_visible_to_its_organisations_only(open_for, codes, visible):
    assert rules.visible_to(open_for, codes) is visible


@pytest.mark.parametrize(("scale", "allowed", "ok"), [
    (None, ["8", "9"], True), ("", ["8"], True), ("8", None, True), ("8", [], True), ("8", ["8", "9"], True),
    (" 9 ", ["8", "9"], True), ("10", ["8", "9"], False),
])
def test_R_ENR_04_a_given_salary_scale_must_be_in_the_range(scale, allowed, ok):
    assert rules.salary_scale_allowed(scale, allowed) is ok
