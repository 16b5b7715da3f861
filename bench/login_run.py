"""Worker for bench/login.py: how long a login-link (`login`) or sign-up (`signup`) request takes for a
known against an unknown address: `python -m bench.login_run login|signup`.

R_ACC_03: the answer must not tell whether an address has an account, by body or by time. Both
branches do the same DynamoDB and SES work (tests/functional/test_sec_closed_to_attack.py checks
the call sequence); this measures the time on moto, interleaving the two kinds so drift hits both
alike. The ratio is the median of each pair's known/unknown time (the two requests of a pair run back
to back), so the load of a shared machine cancels out of it. Each address is asked once (the per-address
limit is five per quarter). Prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any

from bench.search_run import ROOT  # sets the environment before chalicelib is imported

WARMUP, SAMPLES = 10, 200


def _world() -> None:
    from chalicelib.models import Account, Organisation
    from chalicelib.platform import clock

    now = clock.now()
    Organisation("org-bzk", name="BZK", domains={"minbzk.nl"}, created_at=now).save()
    for i in range(WARMUP + SAMPLES):
        Account(f"acct-{i:04d}", email=f"known{i}@minbzk.nl", first_name="P", last_name=f"{i}", sort_name=f"{i}",
                org_id="org-bzk", status="active", created_at=now, consent_at=now,
                consent_version="2026-11").save()


def _body(route: str, email: str) -> dict[str, Any]:
    from chalicelib.platform.config import settings

    if route == "login":
        return {"email": email}
    return {"first_name": "Bo", "last_name": "de Wit", "email": email, "org_id": "org-bzk", "consent": True,
            "statement_version": settings.privacy_statement_version}


def measure(route: str = "login") -> dict[str, Any]:
    from chalice.test import Client

    from app import app
    from bench.moto_aws import fresh_aws
    from chalicelib.platform.config import settings

    with fresh_aws():
        _world()
        headers = {"Content-Type": "application/json", "Origin": settings.portal_origin, "X-Leer-Rijk": "1"}
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        with Client(app, project_dir=str(ROOT), stage_name="local") as client:
            for i in range(WARMUP + SAMPLES):
                order = ("known", "unknown") if i % 2 == 0 else ("unknown", "known")
                for kind in order:
                    body = json.dumps(_body(route, f"{kind}{i}@minbzk.nl"))
                    start = time.perf_counter()
                    response = client.http.post(f"/auth/{route}", body=body, headers=headers)
                    elapsed = time.perf_counter() - start
                    assert response.status_code == 202, response.body
                    if i >= WARMUP:
                        timings[kind].append(elapsed)
    known, unknown = statistics.median(timings["known"]), statistics.median(timings["unknown"])
    paired = statistics.median(k / u for k, u in zip(timings["known"], timings["unknown"], strict=True))
    return {"known_p50_ms": round(known * 1000, 2), "unknown_p50_ms": round(unknown * 1000, 2),
            "ratio": round(paired, 3), "samples": SAMPLES, "at": datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "login")))
