"""Demo order lists (issue 11): runs that started in the past days with approved enrolments of the demo
employees, a late cancellation (a penalty order) and an LMS enrolment, then the order-list job once,
so `make run` shows a filled list to every demo order-authorised account.

The runs have already started, so the enrolments are written as the enrolment path would have
written them before the start (the path itself refuses started runs).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pynamodb.models import Model

    from chalicelib.models import Enrolment, Execution

PROGRAM_ID = "LR-DEMO-BESTELLIJST"
SUPPLIER_ID = "sup-opleidingshuis-rijk"
COURSE_NAME = "Inkopen en bestellen bij het Rijk"

# (account-less LMS person or portal account e-mail, org, department, status, run index)
PEOPLE = [
    ("eva.devries@belastingdienst.nl", "org-belastingdienst", "dep-bd-cio", "approved", 0, "portal"),
    ("pieter.smit@minbzk.nl", "org-bzk", "dep-bzk-ddo", "approved", 0, "portal"),
    ("fleur.dekker@minbzk.nl", "org-bzk", "dep-bzk-ris", "approved", 1, "portal"),
    ("ruben.bos@rws.nl", "org-rws", "dep-rws-wnn", "approved", 0, "portal"),
    ("anouk.meijer@rws.nl", "org-rws", "dep-rws-gpo", "approved", 1, "portal"),
    ("kees.kok@rws.nl", "org-rws", None, "cancelled", 1, "portal"),
    ("jan.dijkstra@duo.nl", "org-duo", "dep-duo-dienstverlening", "approved", 1, "portal"),
    ("lms.deelnemer@belastingdienst.nl", "org-belastingdienst", None, "approved", 1, "lms"),
    ("wachtend@minbzk.nl", "org-bzk", "dep-bzk-ddo", "pending_approval", 1, "portal"),
]
ORGANISATION_NAMES = {
    "org-belastingdienst": "Belastingdienst", "org-bzk": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "org-rws": "Rijkswaterstaat", "org-duo": "Dienst Uitvoering Onderwijs",
}


def seed_order_lists() -> dict[str, int]:
    from chalicelib.models import Course, Enrolment, Execution
    from chalicelib.orders import use_cases as orders
    from chalicelib.platform import clock

    today = clock.today()
    course_id = f"c-demo-{PROGRAM_ID.lower()}"
    # Kept out of the search index: the runs have started, nobody can enrol any more.
    Course(course_id, supplier_id=SUPPLIER_ID, program_id=PROGRAM_ID, kind="intern", status="active",
           name=COURSE_NAME, summary="Hoe een opleiding besteld en betaald wordt.", updated_at=clock.now()).save()
    executions = []
    for i, (days_ago, price) in enumerate(((3, 65000), (1, 39500))):
        start = today - timedelta(days=days_ago)
        execution = Execution(course_id, f"{PROGRAM_ID}-{i + 1}", supplier_id=SUPPLIER_ID, status="closed",
                              start_day=start.isoformat(), end_day=(start + timedelta(days=1)).isoformat(),
                              city="Den Haag", price_cents=price, seats=20, cancellation_free_days=14,
                              course_name=COURSE_NAME, seats_taken=sum(
                                  1 for p in PEOPLE if p[4] == i and p[3] in ("approved", "pending_approval")))
        execution.save()
        executions.append(execution)
    count = 0
    for n, (email, org_id, department_id, status, run_index, source) in enumerate(PEOPLE):
        enrolment_id = f"e-demo-order-{n}"
        if _exists(Enrolment, enrolment_id):
            continue
        demo_enrolment(enrolment_id, email, org_id, department_id, status, source, executions[run_index]).save()
        count += 1
    result = orders.build_order_lists()
    return {"demo enrolments on started runs": count, "order lines": int(result["count"])}


def _exists(model: type[Model], key: str) -> bool:
    from pynamodb.exceptions import DoesNotExist

    try:
        model.get(key)
    except DoesNotExist:
        return False
    return True


def demo_enrolment(enrolment_id: str, email: str, org_id: str, department_id: str | None, status: str, source: str,
                   execution: Execution, account_id: str | None = None) -> Enrolment:
    """An enrolment as the enrolment path would have written it before the run started (`account_id`:
    a portal enrolment of a demo account, so "Mijn reviews" and the review rule find it), by the code before
    data migration 0001: without `spend_month`. `make run` then migrates it (devstack.seed.migrate_demo_data),
    after which the spend overview counts it."""
    from chalicelib.enrolment import rules
    from chalicelib.models import Enrolment
    from chalicelib.platform import clock


    first, _, last = email.split("@")[0].partition(".")
    anonymise = rules.anonymise_on(date.fromisoformat(execution.end_day))
    price = int(execution.price_cents)
    cancelled = status == "cancelled"
    return Enrolment(
        enrolment_id, version=2 if cancelled else 1, source=source, status=status, account_id=account_id,
        org_id=org_id, department_id=department_id, course_id=execution.course_id,
        execution_id=execution.execution_id,
        execution_key=f"{execution.course_id}#{execution.execution_id}",
        supplier_id=execution.supplier_id, course_name=execution.course_name,
        place=execution.city,
        first_name=first.capitalize(), last_name=last.capitalize() or "Demo", email=email, phone="070 123 4567",
        gender="zeg ik liever niet", organisation_name=ORGANISATION_NAMES[org_id],
        business_email=email if source == "portal" else None, holder_email=email,
        consent_at=clock.now(), consent_version="2026-11",
        price_cents=price, cancellation_free_days=14, start_day=execution.start_day,
        original_end_day=execution.end_day,
        penalty_cents=price if cancelled else None,
        cancelled_at=clock.now() - timedelta(days=1) if cancelled else None,
        cancelled_by="employee" if cancelled else None,
        created_at=clock.now() - timedelta(days=20), anonymise_month=anonymise.isoformat()[:7],
        anonymise_day=anonymise.isoformat(), lms_reference="LMS-DEMO-1" if source == "lms" else None,
        manager_email="chef@minbzk.nl" if status == "pending_approval" else None,
        decided_at=None if status == "pending_approval" else clock.now() - timedelta(days=19),
    )
