"""Worker for bench/enrol.py: DynamoDB calls of one portal enrolment, by purpose.

Business calls are the enrolment's own (reads and the transaction); auth calls come from the
session check, log calls from the event log, outbox calls from sending the notifications after
the commit. Printed as one JSON document.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.search_run import ROOT, CallCounter  # sets the environment before chalicelib is imported

KEY_PREFIX = "bench"


def _world() -> tuple[str, dict[str, Any]]:
    from chalicelib.accounts import sessions
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Account, Organisation, Supplier, department
    from chalicelib.platform import clock
    from devstack.edudex_builder import Run, program

    now = clock.now()
    Organisation("org-bzk", name="BZK", domains={"minbzk.nl"}, catalogue_codes={"BZK"}, created_at=now,
                 departments=[department("d1", "DDO")]).save()
    Supplier("sup-a", name="A", kind="intern", contact_email="in@a.example", delivery="email",
             terms_version="2026-01", terms_accepted_at=now, created_at=now).save()
    start = (now + timedelta(days=60)).date()
    catalogue.import_program("sup-a", "P-1", program("sup-a", "P-1", "Cursus", "Kort", "Lang",
                                                     runs=[Run("r1", start, start, "Utrecht", seats=500)]))
    cookies = {}
    for i in range(3):
        Account(f"acct-{i}", email=f"p{i}@minbzk.nl", first_name="P", last_name=f"{i}", sort_name=f"{i}",
                org_id="org-bzk", created_at=now, consent_at=now, consent_version="2026-11").save()
        cookies[i] = sessions.save_new(sessions.start(f"acct-{i}")).token
    form = {"course_id": catalogue.course_id_for("sup-a", "P-1"), "execution_id": "r1", "first_name": "P",
            "last_name": "Jansen", "email": "p@minbzk.nl", "phone": "0701234567", "gender": "vrouw",
            "consent": True}
    return json.dumps(cookies), form


def measure() -> dict[str, Any]:
    from chalice.test import Client

    from app import app
    from bench.moto_aws import fresh_aws
    from chalicelib.platform.config import settings

    counter = CallCounter()
    counter.install()
    with fresh_aws():
        cookies_json, form = _world()
        cookies = json.loads(cookies_json)
        results = []
        with Client(app, project_dir=str(ROOT), stage_name="local") as client:
            for i in range(3):  # the first warms the container's caches (organisation, supplier, index)
                counter.clear()
                counter.split_outbox = True
                response = client.http.post("/enrolments", body=json.dumps(form), headers={
                    "Content-Type": "application/json", "Idempotency-Key": f"{KEY_PREFIX}-{i}",
                    "Cookie": f"lr_session={cookies[str(i)]}", "Origin": settings.portal_origin,
                    "X-Leer-Rijk": "1",
                })
                assert response.status_code == 201, response.body
                results.append(dict(counter.tally))
    return {"warm": results[-1], "cold": results[0], "at": datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    print(json.dumps(measure()))
