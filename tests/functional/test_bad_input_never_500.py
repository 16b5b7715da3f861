"""R_SEC_02: bad input is a 4xx with the error envelope, never a 500, on every route.

Every route and method is called with hostile path values, queries and bodies, as a principal
that holds every audience (so the request reaches the view) and as a visitor.
"""

from __future__ import annotations

import json
import re

import pytest

from app import app
from chalicelib.access import Access
from tests.functional.helpers import acting_as

ALL_ROUTES = sorted((path, method) for path, methods in app.routes.items() for method in methods)
PATH_VALUES = ["x", "%00", "..%2F..", "a" * 300, "c0123456789abcdef", "e" + "0" * 20, "🙂", "k1.x.y"]
BODIES = [b"", b"null", b"[]", b"{}", b'"tekst"', b"12", b"{", b'{"a": {"b": [1, {"c": null}]}}',
          json.dumps({"email": "x\r\nBcc: y@z", "first_name": "<script>", "limit": -1}).encode(),
          json.dumps({"decision": "approve", "course_id": "c" * 50, "consent": "ja"}).encode()]
QUERIES = ["", "?limit=abc", "?cursor=forged.sig", "?since=gisteren", "?from=2026-13-40", "?q=" + "%FF" * 3,
           "?v=1&exp=x&sig=y", "?source=alles"]


def _concrete(path: str, value: str) -> str:
    return re.sub(r"{\w+}", value, path)


def _path_values(path: str, method: str) -> list[str]:
    """A GET of a path without a parameter takes no path value: the eight made eight identical requests (the
    retention self-check's 64 took longer than the other 98 routes together). No GET is rate-limited (rate limits
    guard POSTs only), so each repeat met what the first did. Other methods keep their repeats."""
    return PATH_VALUES if "{" in path or method != "GET" else PATH_VALUES[:1]


@pytest.mark.parametrize(("path", "method"), ALL_ROUTES)
def test_R_SEC_02_no_route_answers_500_to_hostile_input(client, path, method):
    audiences = tuple(Access)
    failures = []
    with acting_as(*audiences, org_id="org-x"):
        for value in _path_values(path, method):
            for body in BODIES if method in ("POST", "PUT", "PATCH", "DELETE") else [b""]:
                for query in QUERIES[:3] if body else QUERIES:
                    response = client.http.request(
                        method, _concrete(path, value) + query, body=body,
                        headers={"Content-Type": "application/json", "Idempotency-Key": "k"},
                    )
                    if response.status_code >= 500:
                        failures.append((value, body[:40], query, response.status_code, response.body[:200]))
                    elif response.status_code >= 400:
                        assert "error" in json.loads(response.body), response.body
    assert failures == []
