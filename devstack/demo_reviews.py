"""Demo reviews (R_REV): three demo employees followed a run of "Werken met data voor beleid" that
ended last week, and reviewed it through the review path (one named, two anonymous), so `make run`
shows a rating, review texts and "Mijn reviews". Runs before the order-list seed, so their
enrolments are on the order lists like every other followed run.
"""

from __future__ import annotations

from datetime import timedelta

SUPPLIER_ID = "sup-academie-digitaal"
PROGRAM_ID = "ADV-101"
RUN_ID = f"{PROGRAM_ID}-demo-gevolgd"
# (account e-mail, organisation, department, rating, text, named)
REVIEWERS = [
    ("sem.jansen@minbzk.nl", "org-bzk", "dep-bzk-ddo", 5,
     "Heel praktisch: we werkten met onze eigen datasets en ik kon de dag erna een dashboard bijwerken.", True),
    ("noor.hendriks@minbzk.nl", "org-bzk", "dep-bzk-ddo", 4,
     "Goede uitleg over de beperkingen van data. De derde dag mocht iets korter.", False),
    ("omar.elamrani@rws.nl", "org-rws", None, 4,
     "Duidelijke docent en veel voorbeelden uit de Rijksoverheid.", False),
]


def seed_reviews() -> dict[str, int]:
    from chalicelib.access import CallerKind, Principal
    from chalicelib.accounts import organisations
    from chalicelib.accounts import use_cases as accounts
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Course, Execution
    from chalicelib.platform import clock
    from chalicelib.reviews import use_cases as reviews
    from chalicelib.reviews.schemas import ReviewCreate
    from devstack.demo_orders import demo_enrolment

    course = Course.get(catalogue.course_id_for(SUPPLIER_ID, PROGRAM_ID))
    start = clock.today() - timedelta(days=10)
    run = Execution(course.course_id, RUN_ID, supplier_id=SUPPLIER_ID, status="closed",
                    start_day=start.isoformat(), end_day=(start + timedelta(days=2)).isoformat(), city="Utrecht",
                    price_cents=120000, seats=18, seats_taken=len(REVIEWERS), cancellation_free_days=14,
                    course_name=course.name)
    run.save()
    written = 0
    for n, (email, org_id, department_id, rating, text, named) in enumerate(REVIEWERS):
        account = accounts.find_by_email(email)
        if account is None:
            continue
        demo_enrolment(f"e-demo-review-{n}", email, org_id, department_id, "approved", "portal", run,
                       account_id=account.account_id).save()
        if reviews.has_reviewed(course.course_id, account.account_id):
            continue
        reviewer = Principal(CallerKind.ACCOUNT, account.account_id, org_id, account=account)
        reviews.write(reviewer, organisations.catalogue_codes(org_id), course.course_id,
                      ReviewCreate(rating=rating, text=text, named=named))
        written += 1
    return {"demo reviews": written}
