"""A small EDU-DEX Data API directory for the local stack and the tests (R_DEX_04).

It serves the endpoints Leer-Rijk uses, for one client organisation and one catalog:

- `GET /organizations/{orgUnitId}/{dynamic|static}catalogs/{catalogId}/changes?changesSince=...`
- `GET /organizations/{orgUnitId}/{dynamic|static}catalogs/{catalogId}/programs`
- `POST /programs/bulk`
- `GET|POST /organizations/{orgUnitId}/webhooks`, `GET|PATCH|DELETE .../webhooks/{webhookId}`

from a folder: `catalog.json` (one entry per program: status, lastChange, clientId), `programs/<orgUnitId>/
<programId>.json` (the EDU-DEX documents) and `webhooks.json`. Edit the files, or use the methods below
(`publish`, `set_status`, `change`), which also fire the registered webhooks on request.

Every answer is validated against the Data API document (`chalicelib.directory.contract`, jsonschema with
format checks) before it is sent, and every request body and query it receives too: what the document does
not allow is answered with a 500 (our answer) or a 400 (the request) in the document's `defaultError`, and
printed. Tests can make the next answers of an operation fail (`fail`) or be altered after validation
(`tamper`), and read which requests came in (`requests`). Never shipped: devstack only.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from chalicelib.directory import contract

HOST = "127.0.0.1"
CHANGES = "/organizations/{orgUnitId}/{kind}catalogs/{catalogId}/changes"
PROGRAMS = "/organizations/{orgUnitId}/{kind}catalogs/{catalogId}/programs"
BULK = "/programs/bulk"
WEBHOOKS = "/organizations/{orgUnitId}/webhooks"
WEBHOOK = "/organizations/{orgUnitId}/webhooks/{webhookId}"
ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", CHANGES), ("GET", PROGRAMS), ("POST", BULK), ("GET", WEBHOOKS), ("POST", WEBHOOKS),
    ("GET", WEBHOOK), ("PATCH", WEBHOOK), ("DELETE", WEBHOOK),
)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

Answer = tuple[int, Any, dict[str, str]]


@dataclass
class _Fault:
    status: int
    times: int
    retry_after: int | None = None


@dataclass
class Request:
    method: str
    operation: str  # the route template
    body: Any = None


@dataclass
class _Faults:
    failures: dict[str, _Fault] = field(default_factory=dict)
    tampering: dict[str, tuple[Callable[[Any], Any], int]] = field(default_factory=dict)


class DirectoryEmulator:
    def __init__(self, folder: Path, *, token: str, org_unit_id: str, catalog_id: str, kind: str = "dynamic",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.folder = folder
        self.token = token
        self.org_unit_id = org_unit_id
        self.catalog_id = catalog_id
        self.kind = kind
        self.clock = clock
        self.requests: list[Request] = []
        self._faults = _Faults()
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        (folder / "programs").mkdir(parents=True, exist_ok=True)

    # --- serving -----------------------------------------------------------------------------------

    def start(self) -> str:
        server = ThreadingHTTPServer((HOST, 0), _Handler)
        server.daemon_threads = True
        server.emulator = self  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, name="edudex-emulator", daemon=True).start()
        self._server = server
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return f"http://{HOST}:{self._server.server_address[1]}"

    # --- the folder ---------------------------------------------------------------------------------

    def publish(self, document: dict[str, Any], *, status: str = "active", client_id: str | None = None,
                at: datetime | None = None) -> datetime:
        """Store a program document and record its change; returns the change's lastChange."""
        classification = document["programClassification"]
        supplier_id, program_id = classification["orgUnitId"], classification["programId"]
        with self._lock:
            path = self._program_path(supplier_id, program_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
            return self._record(supplier_id, program_id, status, client_id, at)

    def publish_all(self, documents: list[dict[str, Any]], at: datetime | None = None) -> None:
        """Many programs at once (the demo catalogue, benchmarks): one write of the catalog."""
        with self._lock:
            entries = self._entries()
            moment = _text(at or self.clock())
            for document in documents:
                classification = document["programClassification"]
                supplier_id, program_id = classification["orgUnitId"], classification["programId"]
                path = self._program_path(supplier_id, program_id)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                entries[(supplier_id, program_id)] = _entry(supplier_id, program_id, "active", None, moment)
            self._save_entries(entries)

    def add_entries(self, entries: list[dict[str, Any]]) -> None:
        """Catalog entries without documents (programs nobody asks for: benchmarks)."""
        with self._lock:
            current = self._entries()
            current.update({(e["supplierId"], e["programId"]): e for e in entries})
            self._save_entries(current)

    def set_status(self, supplier_id: str, program_id: str, status: str, at: datetime | None = None) -> datetime:
        """`inactive` or `removed` (or `active` again)."""
        with self._lock:
            entry = self._entries()[(supplier_id, program_id)]
            return self._record(supplier_id, program_id, status, entry.get("clientId"), at)

    def change(self, supplier_id: str, program_id: str, edit: Callable[[dict[str, Any]], None]) -> datetime:
        """Edit a stored program as its supplier would (its lastEdited moves on) and record the change."""
        with self._lock:
            document = self.document(supplier_id, program_id)
            edit(document)
            document["lastEdited"] = _text(self.clock())
            return self.publish(document)

    def document(self, supplier_id: str, program_id: str) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self._program_path(supplier_id, program_id).read_text(encoding="utf-8"))
        return loaded

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return sorted(self._entries().values(), key=lambda e: (e["supplierId"], e["programId"]))

    def _record(self, supplier_id: str, program_id: str, status: str, client_id: str | None,
                at: datetime | None) -> datetime:
        entries = self._entries()
        previous = entries.get((supplier_id, program_id))
        moment = at or self.clock()
        if previous is not None and at is None:  # a change is always later than the one before it
            moment = max(moment, _time(previous["lastChange"]) + timedelta(seconds=1))
        entries[(supplier_id, program_id)] = _entry(supplier_id, program_id, status, client_id, _text(moment))
        self._save_entries(entries)
        return moment.replace(microsecond=0)

    def _entries(self) -> dict[tuple[str, str], dict[str, Any]]:
        path = self.folder / "catalog.json"
        if not path.exists():
            return {}
        return {(e["supplierId"], e["programId"]): e for e in json.loads(path.read_text(encoding="utf-8"))["entries"]}

    def _save_entries(self, entries: dict[tuple[str, str], dict[str, Any]]) -> None:
        ordered = sorted(entries.values(), key=lambda e: (e["lastChange"], e["supplierId"], e["programId"]))
        (self.folder / "catalog.json").write_text(json.dumps({"entries": ordered}, ensure_ascii=False),
                                                  encoding="utf-8")

    def _program_path(self, supplier_id: str, program_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]", lambda m: f"%{ord(m.group()):02X}", program_id)
        return self.folder / "programs" / supplier_id.replace("/", "%2F") / f"{safe}.json"

    # --- webhooks ------------------------------------------------------------------------------------

    def webhooks(self) -> list[dict[str, Any]]:
        path = self.folder / "webhooks.json"
        with self._lock:
            return list(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else []

    def _save_webhooks(self, hooks: list[dict[str, Any]]) -> None:
        (self.folder / "webhooks.json").write_text(json.dumps(hooks, indent=1), encoding="utf-8")

    def fire_webhooks(self, times: int = 1) -> list[int]:
        """Call every active webhook `times` times, as the directory does after a catalog change."""
        statuses: list[int] = []
        for hook in [h for h in self.webhooks() if h.get("active")]:
            for _ in range(times):
                statuses.append(self._call_hook(hook))
        return statuses

    def _call_hook(self, hook: dict[str, Any]) -> int:
        body = json.dumps({"event": "catalog", "organization": self.org_unit_id, "catalog": self.catalog_id,
                           "at": _text(self.clock())}).encode()
        request = urllib.request.Request(hook["url"], data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = int(response.status)
        except urllib.error.HTTPError as err:
            status = err.code
        except OSError:
            status = 0
        with self._lock:
            hooks = self.webhooks()
            for stored in hooks:
                if stored["id"] == hook["id"]:
                    stored.update(lastCalled=_text(self.clock()), lastStatus=status,
                                  lastResult={"success": 200 <= status < 300, "status": status})
            self._save_webhooks(hooks)
        return status

    # --- faults for tests ------------------------------------------------------------------------------

    def fail(self, operation: str, status: int, times: int = 1, retry_after: int | None = None) -> None:
        """The next `times` requests of `operation` (a route template such as BULK) answer `status`."""
        self._faults.failures[operation] = _Fault(status, times, retry_after)

    def tamper(self, operation: str, alter: Callable[[Any], Any], times: int = 1) -> None:
        """The next `times` answers of `operation` are altered after validation (an invalid directory)."""
        self._faults.tampering[operation] = (alter, times)

    def calls(self, operation: str | None = None) -> int:
        return sum(1 for r in self.requests if operation is None or r.operation == operation)

    # --- answering ----------------------------------------------------------------------------------

    def answer(self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes) -> Answer:
        parts = urlsplit(raw_path)
        matched = _match(method, parts.path)
        if matched is None:
            return _error(404, "not found")
        operation, params = matched
        body = json.loads(raw_body) if raw_body else None
        self.requests.append(Request(method, operation, body))
        if headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, "authentication is required")
        fault = self._take_failure(operation)
        if fault is not None:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return fault.status, {"status": fault.status, "error": "emulated failure"}, extra
        document_path = operation.replace("{kind}", params.get("kind", "dynamic"))
        problem = self._request_problem(method, document_path, params, parse_qs(parts.query), body)
        if problem:
            return _error(400, problem)
        status, payload = self._route(method, operation, params, parse_qs(parts.query), body)
        if status == 200:
            errors = contract.answer_errors(document_path, method, 200, payload)
            if errors:
                print(f"EDU-DEX-emulator: ongeldig antwoord op {method} {document_path}: {errors}", file=sys.stderr)
                return _error(500, "the emulator's answer does not match the Data API document")
            payload = self._tampered(operation, payload)
        return status, payload, {}

    def _take_failure(self, operation: str) -> _Fault | None:
        with self._lock:
            fault = self._faults.failures.get(operation)
            if fault is None or fault.times <= 0:
                return None
            fault.times -= 1
            return fault

    def _tampered(self, operation: str, payload: Any) -> Any:
        with self._lock:
            found = self._faults.tampering.get(operation)
            if found is None or found[1] <= 0:
                return payload
            self._faults.tampering[operation] = (found[0], found[1] - 1)
        return found[0](payload)

    def _request_problem(self, method: str, path: str, params: dict[str, str], query: dict[str, list[str]],
                         body: Any) -> str | None:
        if params.get("orgUnitId", self.org_unit_id) != self.org_unit_id:
            return "unknown organization"
        if "catalogId" in params and (params["catalogId"], params["kind"]) != (self.catalog_id, self.kind):
            return "unknown catalog"
        if path.endswith("/changes"):
            since = query.get("changesSince", [""])[0]
            try:
                _time(since)
            except ValueError:
                return "changesSince must be a date-time"
        if method in ("POST", "PATCH"):
            errors = contract.request_errors(path, method, body)
            if errors:
                return f"invalid request body: {errors}"
        return None

    def _route(self, method: str, operation: str, params: dict[str, str], query: dict[str, list[str]],
               body: Any) -> tuple[int, Any]:
        with self._lock:
            if operation == CHANGES:
                since = _time(query["changesSince"][0])
                return 200, [e for e in self._entries_in_order() if _time(e["lastChange"]) >= since]
            if operation == PROGRAMS:
                return 200, [e for e in self._entries_in_order() if e["status"] != "removed"]
            if operation == BULK:
                return 200, {"programs": [self._bulk_item(item) for item in body["programs"]]}
            return self._webhook_route(method, operation, params, body)

    def _entries_in_order(self) -> list[dict[str, Any]]:
        return sorted(self._entries().values(), key=lambda e: (e["lastChange"], e["supplierId"], e["programId"]))

    def _bulk_item(self, wanted: dict[str, Any]) -> dict[str, Any]:
        supplier_id, program_id = wanted["orgUnitId"], wanted["programId"]
        base = {"orgUnitId": supplier_id, "programId": program_id, "clientId": wanted["clientId"]}
        path = self._program_path(supplier_id, program_id)
        entry = self._entries().get((supplier_id, program_id))
        if entry is None or entry["status"] == "removed" or not path.exists():
            return {**base, "error": "program not found", "data": None}
        return {**base, "data": json.loads(path.read_text(encoding="utf-8"))}

    def _webhook_route(self, method: str, operation: str, params: dict[str, str], body: Any) -> tuple[int, Any]:
        hooks = self.webhooks()
        if operation == WEBHOOKS and method == "GET":
            return 200, {"webhooks": hooks}
        if operation == WEBHOOKS:
            if len(hooks) >= 5:
                return 409, {"status": 409, "error": "at most 5 webhooks"}
            hook = {"id": str(uuid.uuid4()), "url": body["url"], "events": body["events"],
                    "active": body.get("active", True), "lastStatus": 0}
            self._save_webhooks([*hooks, hook])
            return 200, {k: hook[k] for k in ("id", "url", "events", "active")}
        found = next((h for h in hooks if h["id"] == params["webhookId"]), None)
        if found is None:
            return 404, {"status": 404, "error": "webhook not found"}
        if method == "DELETE":
            self._save_webhooks([h for h in hooks if h is not found])
            return 204, None
        if method == "PATCH":
            found.update({k: v for k, v in body.items() if k in ("url", "events", "active")})
            self._save_webhooks(hooks)
        return 200, found


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        emulator: DirectoryEmulator = self.server.emulator  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            status, payload, extra = emulator.answer(self.command, self.path, headers, raw)
        except ValueError:
            status, payload, extra = _error(400, "the body is not JSON")
        data = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _match(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for route_method, template in ROUTES:
        found = re.match(_pattern(template), path) if route_method == method else None
        if found:
            return template, {name: unquote(value) for name, value in found.groupdict().items()}
    return None


def _pattern(template: str) -> str:
    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"(?P<{name}>{_PARAM_PATTERN.get(name, '[^/]+')})"

    return "^" + re.sub(r"\\{(\w+)\\}", group, re.escape(template)) + "$"


_PARAM_PATTERN = {"kind": "dynamic|static"}


def _entry(supplier_id: str, program_id: str, status: str, client_id: str | None, last_change: str) -> dict[str, Any]:
    return {"status": status, "supplierId": supplier_id, "programId": program_id, "clientId": client_id,
            "lastChange": last_change}


def _error(status: int, message: str) -> Answer:
    return status, {"status": status, "error": message}, {}


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
