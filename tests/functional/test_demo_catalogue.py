"""Issue 3 demo catalogue: at least 40 realistic courses loaded through the supplier import path."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.catalogue import index as catalogue_index
from chalicelib.models import Course, Execution
from chalicelib.platform import clock
from devstack import seed
from devstack.demo_catalogue import COURSES


def test_demo_catalogue_loads_through_the_import_path_and_covers_the_catalogue(client):
    """Demo data for the local stack (R_CAT_05 itself is proved through PUT /supplier/programs)."""
    for organisation in seed.organisations():
        organisation.save()
    for supplier in seed.suppliers():
        supplier.save()
    from devstack.demo_catalogue import seed_catalogue

    assert seed_catalogue() == {"courses": len(COURSES)}
    courses = list(Course.scan())
    executions = list(Execution.scan())
    assert len(courses) >= 40
    assert {c.theme for c in courses} == {f"T{i}" for i in range(1, 12)}
    assert len({e.city for e in executions if e.city}) >= 3 and any(e.online for e in executions)
    restricted = {code for c in courses if c.open_for for code in c.open_for}
    assert len(restricted) >= 2
    assert any(c.salary_scales for c in courses) and any(e.status == "cancelled" for e in executions)
    today = clock.now().date()
    assert all(today < date.fromisoformat(e.start_day) <= today + timedelta(days=366)
               for e in executions)
    assert all(c.name and c.summary and c.description for c in courses)
    assert len(catalogue_index.current().docs) == len(courses)
