"""A small client of the EDU-DEX Data API 1.0.2: the calls a client organisation needs (R_DEX_01, R_DEX_02).

HTTP goes through urllib3, which botocore already brings (no new dependency in the Lambda zip): a
connection pool, connect and read timeouts, no redirects (a redirect would carry the bearer token
elsewhere), and urllib3's own `Retry` for bounded retries with exponential backoff on 429 and 5xx that
honours `Retry-After` up to a cap. Reading programs in bulk is a POST but changes nothing, so it is
retried too; creating a webhook is not.

Every answer is validated against the Data API document before anything in it is used
(`contract.answer_errors`); an answer that does not hold raises `DirectoryAnswerError`, one that never
came (after the retries) `DirectoryUnavailableError`. The bearer token is an SSM SecureString, read once
per container and again after a 401 (a rotated token).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.directory import contract
from chalicelib.directory.sync_rules import Change
from chalicelib.platform.config import settings

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
RETRIES = 4  # after the first attempt
BACKOFF_FACTOR = 0.5  # 0.5, 1, 2, 4 s ...
BACKOFF_MAX = 10.0
RETRY_AFTER_MAX = 30  # a directory asking for longer gets it at the next run instead
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BULK_PAGE = 50  # programs per /programs/bulk request
PUBLIC = "public"

CHANGES = "/organizations/{orgUnitId}/{kind}catalogs/{catalogId}/changes"
CATALOG_PROGRAMS = "/organizations/{orgUnitId}/{kind}catalogs/{catalogId}/programs"
BULK = "/programs/bulk"
WEBHOOKS = "/organizations/{orgUnitId}/webhooks"
WEBHOOK = "/organizations/{orgUnitId}/webhooks/{webhookId}"


class DirectoryAnswerError(Exception):
    """The directory answered something the Data API document does not allow: nothing of it is used."""

    def __init__(self, operation: str, errors: dict[str, str]) -> None:
        self.operation = operation
        self.errors = errors
        super().__init__(operation)


class DirectoryUnavailableError(Exception):
    """No usable answer after the retries: a connection failure, or this HTTP status."""

    def __init__(self, operation: str, status: int | None) -> None:
        self.operation = operation
        self.status = status
        super().__init__(f"{operation}: {status}")


@dataclass(frozen=True)
class BulkProgram:
    org_unit_id: str
    program_id: str
    document: dict[str, Any] | None
    error: str | None


@dataclass(frozen=True)
class Webhook:
    webhook_id: str
    url: str
    active: bool


def token_parameter(connection_id: str) -> str:
    """The SSM SecureString holding a connection's bearer token: fixed by stage and connection, so no
    setting can make the app read another parameter (README "Connecting a directory")."""
    return f"/leer-rijk/{settings.stage}/directory/{connection_id}"


@cache
def bearer_token(parameter: str) -> str:
    import boto3

    value = boto3.client("ssm", region_name=settings.region).get_parameter(Name=parameter, WithDecryption=True)
    token = str(value["Parameter"]["Value"]).strip()
    if not token:
        raise RuntimeError("the directory token parameter is empty")
    return token


def forget_tokens() -> None:
    bearer_token.cache_clear()


@cache
def _pool() -> Any:
    import urllib3

    return urllib3.PoolManager(num_pools=4, maxsize=2, retries=False,
                               timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT))


def _retry(retries: int) -> Any:
    from urllib3.util.retry import Retry

    return Retry(total=retries, connect=retries, read=retries, status=retries, redirect=False,
                 allowed_methods=frozenset({"GET", "POST", "PATCH"}), status_forcelist=RETRY_STATUSES,
                 backoff_factor=BACKOFF_FACTOR, backoff_max=BACKOFF_MAX, retry_after_max=RETRY_AFTER_MAX,
                 raise_on_status=False, respect_retry_after_header=True)


class DataApiClient:
    def __init__(self, base_url: str, token: Callable[[], str],
                 forget_token: Callable[[], None] = lambda: None) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._forget_token = forget_token
        self.requests = 0  # HTTP requests sent, retries included

    @classmethod
    def for_connection(cls, base_url: str, connection_id: str) -> DataApiClient:
        parameter = token_parameter(connection_id)
        return cls(base_url, lambda: bearer_token(parameter), forget_tokens)

    # --- catalogs ---------------------------------------------------------------------------------

    def changes(self, kind: str, org_unit_id: str, catalog_id: str, since: datetime) -> list[Change]:
        """A catalog's changes since `since` (the directory keeps 90 days), in the directory's order."""
        query = {"changesSince": since.strftime("%Y-%m-%dT%H:%M:%SZ")}
        answer = self._call("GET", CHANGES, {"orgUnitId": org_unit_id, "kind": kind, "catalogId": catalog_id},
                            query=query)
        return [_change(item) for item in answer]

    def catalog_programs(self, kind: str, org_unit_id: str, catalog_id: str) -> list[Change]:
        """Every program in the catalog now (active or inactive), as changes: a fresh read."""
        answer = self._call("GET", CATALOG_PROGRAMS, {"orgUnitId": org_unit_id, "kind": kind,
                                                      "catalogId": catalog_id})
        return [_change(item) for item in answer]

    def programs(self, wanted: Sequence[tuple[str, str, str | None]]) -> dict[tuple[str, str], BulkProgram]:
        """(orgUnitId, programId, clientId or None) -> the program documents, BULK_PAGE per request. An answer
        about a program that was not asked for makes the whole answer invalid."""
        found: dict[tuple[str, str], BulkProgram] = {}
        for start in range(0, len(wanted), BULK_PAGE):
            page = wanted[start:start + BULK_PAGE]
            body = {"programs": [{"orgUnitId": org, "programId": program, "clientId": client or PUBLIC}
                                 for org, program, client in page]}
            answer = self._call("POST", BULK, {}, body=body)
            asked = {(org, program) for org, program, _ in page}
            for item in answer["programs"]:
                key = (item["orgUnitId"], item["programId"])
                if key not in asked or not _about(item.get("data"), key):
                    raise DirectoryAnswerError(f"POST {BULK}", {"/programs": f"an answer about {key[0]}/{key[1]}, "
                                                                             "which was not asked for"})
                found[key] = BulkProgram(key[0], key[1], item.get("data"), item.get("error"))
        return found

    # --- webhooks ------------------------------------------------------------------------------

    def webhooks(self, org_unit_id: str) -> list[Webhook]:
        answer = self._call("GET", WEBHOOKS, {"orgUnitId": org_unit_id})
        return [_webhook(item) for item in answer["webhooks"]]

    def create_webhook(self, org_unit_id: str, url: str) -> Webhook:
        body = {"url": url, "events": ["catalog"], "active": True}
        return _webhook(self._call("POST", WEBHOOKS, {"orgUnitId": org_unit_id}, body=body, retries=0))

    def update_webhook(self, org_unit_id: str, webhook_id: str, url: str) -> Webhook:
        body = {"url": url, "events": ["catalog"], "active": True}
        return _webhook(self._call("PATCH", WEBHOOK, {"orgUnitId": org_unit_id, "webhookId": webhook_id}, body=body))

    # --- HTTP ------------------------------------------------------------------------------------

    def _call(self, method: str, template: str, params: dict[str, str], *, query: dict[str, str] | None = None,
              body: Any = None, retries: int = RETRIES) -> Any:
        path = template.format(**{name: quote(value, safe="") for name, value in params.items()})
        operation = f"{method} {template}"
        status, raw = self._send(method, path, query, body, retries, operation)
        if status == 401:  # the token may have been rotated since this container read it
            self._forget_token()
            status, raw = self._send(method, path, query, body, retries, operation)
        if status != 200:
            raise DirectoryUnavailableError(operation, status)
        try:
            answer = json.loads(raw)
        except ValueError:
            raise DirectoryAnswerError(operation, {"/": "not JSON"}) from None
        errors = contract.answer_errors(_document_path(template, params), method, 200, answer)
        if errors:
            raise DirectoryAnswerError(operation, errors)
        return answer

    def _send(self, method: str, path: str, query: dict[str, str] | None, body: Any, retries: int,
              operation: str) -> tuple[int, bytes]:
        import urllib3

        url = f"{self._base}{path}" + (f"?{urlencode(query)}" if query else "")
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
        payload = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            payload = json.dumps(body).encode()
        try:
            response = _pool().request(method, url, body=payload, headers=headers, retries=_retry(retries))
        except urllib3.exceptions.HTTPError:
            self.requests += retries + 1
            raise DirectoryUnavailableError(operation, None) from None
        history = response.retries.history if response.retries is not None else ()
        self.requests += len(history) + 1
        return int(response.status), bytes(response.data)


def _document_path(template: str, params: dict[str, str]) -> str:
    """The path as the Data API document names it: the catalog kind is part of the path there."""
    return template.replace("{kind}", params["kind"]) if "kind" in params else template


def _change(item: dict[str, Any]) -> Change:
    return Change(
        status=str(item["status"]), supplier_id=str(item["supplierId"]), program_id=str(item["programId"]),
        client_id=item.get("clientId"),
        last_change=datetime.fromisoformat(str(item["lastChange"]).replace("Z", "+00:00")),
    )


def _about(data: Any, key: tuple[str, str]) -> bool:
    """A returned document is about the program it is returned for."""
    if data is None:
        return True
    classification = data.get("programClassification", {})
    return (classification.get("orgUnitId"), classification.get("programId")) == key


def _webhook(item: dict[str, Any]) -> Webhook:
    return Webhook(str(item.get("id", "")), str(item.get("url", "")), bool(item.get("active", False)))
