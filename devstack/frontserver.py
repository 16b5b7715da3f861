"""The local front server: what CloudFront does in production, plus the `/_dev` tools.

- `/api/*` goes to Chalice's local gateway with the `/api` prefix stripped (the API Gateway stage
  is `api` in production); Chalice's "Missing Authentication Token" 403 for an unknown path
  becomes a 404 with the API's error envelope, as the API contract promises.
- `/_dev/mail`, `/_dev/mail.json` and `/_dev/jobs[/NAME]`: the mailbox and the job triggers;
  `/_dev/clock` shows the app's clock and moves it (POST `{"days": n}`, `{"advance_seconds": n}`,
  `{"at": iso}`; `{"at": null}` lets it run again), so deadlines can be shown and tested without waiting;
  setting it back forgets TOTP steps used in the future it leaves (`forget_future_totp_steps`).
  `/_dev/edudex` shows the local EDU-DEX emulator's programs and changes or withdraws one, firing the
  directory's webhook (R_DEX_04): the stack's minute job brings the change in.
  They exist only here, never in `app.py` or `chalicelib/`.
- Everything else is the built portal from `build/portal/`: the content-named assets the build lists
  (`build/portal-assets.json`) with a year's caching, as the deploy uploads them, everything else
  revalidated.
- Text answers of 1,000 bytes or more (pages, CSS, JS, JSON, XML, SVG; the API's too) are compressed
  as CloudFront compresses them: brotli when the browser accepts it, else gzip (`Vary: Accept-Encoding`).
"""

from __future__ import annotations

import gzip
import http.client
import json
import mimetypes
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

import brotli

from devstack.build_portal import headers_file, immutable_keys, manifest_file, portal_csp
from devstack.directory_emulator import DirectoryEmulator
from devstack.mailbox import MailMessage
from devstack.scheduler import JobRunner, UnknownJob

# The defaults; the build's own headers (`build/portal-headers.json`: the CSP with the statistics origin,
# if the portal was built with one, R_VIS_04) take their place once the portal is built.
PORTAL_HEADERS = {
    "Content-Security-Policy": portal_csp(None),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
API_ERROR_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
    "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
})
# This server writes its own Server and Date headers.
UPSTREAM_RESPONSE_DROP = HOP_BY_HOP | {"server", "date"}
VIEWER_ADDRESS = "cloudfront-viewer-address"
LONG_CACHE = "public, max-age=31536000, immutable"
# What CloudFront compresses: text types from 1,000 bytes up (and up to 10 MB).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
COMPRESS_MIN_BYTES = 1000
NOT_FOUND_MESSAGE = "Deze pagina of functie bestaat niet."

Headers = list[tuple[str, str]]


@dataclass
class DevTools:
    jobs: JobRunner
    mail: Callable[[], list[MailMessage]]
    render_mailbox: Callable[[list[MailMessage]], str]
    directory: DirectoryEmulator | None = None
    render_directory: Callable[..., str] | None = None


class FrontServer(ThreadingHTTPServer):
    """One thread per connection; a listen backlog of 256 instead of the standard library's 5, so 30
    clients at once are accepted at once instead of waiting in SYN retries."""

    daemon_threads = True
    request_queue_size = 256
    upstream: tuple[str, int]
    portal_dir: Path
    dev: DevTools
    _built_headers: tuple[float, dict[str, str]] = (-1.0, {})
    _immutable: tuple[float, frozenset[str]] = (-1.0, frozenset())

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, FrontHandler)

    def configure(self, upstream: tuple[str, int], portal_dir: Path, dev: DevTools) -> None:
        self.upstream, self.portal_dir, self.dev = upstream, portal_dir, dev

    def portal_headers(self) -> dict[str, str]:
        """PORTAL_HEADERS with the build's headers over them; re-read when the portal is rebuilt."""
        path = headers_file(self.portal_dir)
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return PORTAL_HEADERS
        if mtime != self._built_headers[0]:
            try:
                built = {str(k): str(v) for k, v in json.loads(path.read_text()).items()}
            except (OSError, ValueError):
                built = {}
            self._built_headers = (mtime, built)
        return {**PORTAL_HEADERS, **self._built_headers[1]}

    def immutable(self, key: str) -> bool:
        """A content-named asset of the current build (`assets/api.3f2a9c0d1e4b.js`)."""
        try:
            mtime = manifest_file(self.portal_dir).stat().st_mtime
        except OSError:
            return False
        if mtime != self._immutable[0]:
            self._immutable = (mtime, immutable_keys(self.portal_dir))
        return key in self._immutable[1]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser went away mid-response
        traceback.print_exc()


class FrontHandler(BaseHTTPRequestHandler):
    server: FrontServer
    body: bytes = b""
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "LeerRijkDev"

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: a quiet console shows what matters (startup, jobs, errors)

    def _dispatch(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._send_json(411, _envelope("length_required", "Stuur een Content-Length mee."), API_ERROR_HEADERS)
            return
        # Read the body whatever the route, so a kept-alive connection stays in step.
        self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path, _, query = self.path.partition("?")
        if path == "/api" or path.startswith("/api/"):
            self._proxy(path.removeprefix("/api") or "/", query)
        elif path == "/_dev" or path.startswith("/_dev/"):
            self._dev(path)
        else:
            self._static(path, query)

    # --- /api -> chalice local ---------------------------------------------------------------

    def _proxy(self, path: str, query: str) -> None:
        try:
            status, headers, payload = self._forward(path + (f"?{query}" if query else ""), self.body)
        except OSError:
            message = "De lokale API reageert niet. Kijk in de console van de lokale omgeving."
            self._send_json(502, _envelope("bad_gateway", message), API_ERROR_HEADERS)
            return
        if _is_unknown_route(status, headers):
            self._send_json(404, _envelope("not_found", NOT_FOUND_MESSAGE), API_ERROR_HEADERS)
            return
        self._send(status, payload, headers)

    def _forward(self, url: str, body: bytes) -> tuple[int, Headers, bytes]:
        connection = http.client.HTTPConnection(*self.server.upstream, timeout=60)
        try:
            connection.putrequest(self.command, url, skip_host=True, skip_accept_encoding=True)
            for name, value in self._upstream_headers(body):
                connection.putheader(name, value)
            connection.endheaders(body or None)
            response = connection.getresponse()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in UPSTREAM_RESPONSE_DROP]
            return response.status, headers, response.read()
        finally:
            connection.close()

    def _upstream_headers(self, body: bytes) -> Headers:
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {VIEWER_ADDRESS}]
        # As CloudFront does: the viewer's address in a header the client cannot set (R_VIS_02 masks it).
        headers.append(("CloudFront-Viewer-Address", f"{self.client_address[0]}:{self.client_address[1]}"))
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers.append(("Content-Length", str(len(body))))
        return headers

    # --- /_dev ---------------------------------------------------------------------------------

    def _dev(self, path: str) -> None:
        if not self._from_this_origin():
            self._send_json(403, _envelope("forbidden", "Alleen vanaf deze computer, via 127.0.0.1 of localhost."))
            return
        route = self._dev_route(path)
        if route is None:
            self._send_json(404, _envelope("not_found", NOT_FOUND_MESSAGE))
        elif self._allow(*route[0]):
            route[1]()

    def _dev_route(self, path: str) -> tuple[tuple[str, ...], Callable[[], None]] | None:
        if path in ("/_dev/mail", "/_dev/mail/"):
            return ("GET", "HEAD"), self._mailbox
        if path == "/_dev/mail.json":
            return ("GET", "HEAD"), lambda: self._send_json(200, [m.as_json() for m in self.server.dev.mail()])
        if path == "/_dev/clock":
            return ("GET", "HEAD", "POST"), self._clock
        if path in ("/_dev/jobs", "/_dev/jobs/"):
            return ("GET", "HEAD"), lambda: self._send_json(200, self.server.dev.jobs.describe())
        if path.startswith("/_dev/jobs/"):
            name = unquote(path.removeprefix("/_dev/jobs/"))
            return ("POST",), lambda: self._run_job(name)
        if path in ("/_dev/clock", "/_dev/clock/"):
            return ("GET", "HEAD", "POST"), self._clock
        if path in ("/_dev/edudex", "/_dev/edudex/"):
            return ("GET", "HEAD"), self._edudex_page
        if path in ("/_dev/edudex/wijzig", "/_dev/edudex/intrekken"):
            return ("POST",), lambda: self._edudex_change(path.rsplit("/", 1)[-1])
        return None

    def _edudex_page(self) -> None:
        emulator, render = self.server.dev.directory, self.server.dev.render_directory
        if emulator is None or render is None:
            self._send_json(404, _envelope("not_found", "De EDU-DEX-emulator draait niet."))
            return
        programs = []
        for entry in emulator.entries():
            name = entry["programId"]
            if entry["status"] != "removed":
                name = emulator.document(entry["supplierId"], entry["programId"])["programDescriptions"][
                    "programName"].get("nl", name)
            programs.append({**entry, "name": name})
        query = parse_qs(self.path.partition("?")[2])
        html = render(programs=programs, webhooks=emulator.webhooks(), base_url=emulator.base_url,
                      done=query.get("gedaan", [""])[0], program=query.get("programma", [""])[0])
        self._send(200, html.encode(), [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])

    def _edudex_change(self, action: str) -> None:
        """A form post (or JSON) with `supplier` and `program`: change or withdraw it in the emulator and fire
        the webhook; a form post returns to the page, JSON gets JSON."""
        from devstack import demo_directory

        emulator = self.server.dev.directory
        wanted = _form_or_json(self.headers.get("Content-Type", ""), self.body)
        supplier, program = wanted.get("supplier", ""), wanted.get("program", "")
        known = {(e["supplierId"], e["programId"]) for e in emulator.entries()} if emulator is not None else set()
        if emulator is None or (supplier, program) not in known:
            self._send_json(404, _envelope("not_found", "Dit programma staat niet in de EDU-DEX-emulator."))
            return
        if action == "wijzig":
            demo_directory.change_program(emulator, supplier, program)
        else:
            demo_directory.withdraw_program(emulator, supplier, program)
        if self.headers.get("Content-Type", "").startswith("application/json"):
            self._send_json(200, {"changed": program, "action": action})
            return
        self._send(303, b"", [("Location", f"/_dev/edudex?gedaan={action}&programma={quote(program)}")])

    def _mailbox(self) -> None:
        html = self.server.dev.render_mailbox(self.server.dev.mail())
        self._send(200, html.encode(), [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])

    def _clock(self) -> None:
        """The stack's clock (chalicelib.platform.clock, same process), for demos and browser tests of
        what happens after a date: GET shows it; POST {"days": n} sets it n days after the real time,
        {"advance_seconds": n} moves it on from now, {"at": iso} sets it; {"at": null} or
        {"days": null} lets it run again."""
        from chalicelib.platform import clock

        cleared = 0
        if self.command == "POST":
            before = clock.now()
            try:
                change = json.loads(self.body or b"{}")
                if "days" in change:
                    days = change["days"]
                    clock.freeze(None if days is None else datetime.now(UTC) + timedelta(days=float(days)))
                elif "at" in change:
                    at = change["at"]
                    clock.freeze(None if at is None else datetime.fromisoformat(at))
                else:
                    clock.freeze(clock.now() + timedelta(seconds=float(change["advance_seconds"])))
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                usage = 'Stuur {"days": n}, {"advance_seconds": n}, {"at": "<ISO-tijd met tijdzone>"} of {"at": null}'
                self._send_json(400, _envelope("invalid_input", f"{usage} ({type(err).__name__})."))
                return
            if clock.now() < before:
                cleared = forget_future_totp_steps(clock.now())
        self._send_json(200, {"now": clock.now().isoformat(), "today": clock.today().isoformat(),
                              "frozen": clock.is_frozen(), "totp_steps_forgotten": cleared})

    def _run_job(self, name: str) -> None:
        try:
            result = self.server.dev.jobs.run(name)
        except UnknownJob:
            self._send_json(404, _envelope("not_found", f"Onbekende taak: {name}. Zie GET /_dev/jobs."))
            return
        except Exception as exc:
            traceback.print_exc()
            self._send_json(500, _envelope("job_failed", f"De taak {name} is mislukt: {type(exc).__name__}: {exc}"))
            return
        self._send_json(200, result)

    def _from_this_origin(self) -> bool:
        """The mailbox holds login links: refuse other sites (Origin) and DNS rebinding (Host)."""
        port = self.server.port
        allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in allowed_hosts:
            return False
        return self.headers.get("Host", "") in allowed_hosts

    # --- the portal -----------------------------------------------------------------------------

    def _static(self, path: str, query: str) -> None:
        if not self._allow("GET", "HEAD"):
            return
        root = self.server.portal_dir
        if not (root / "index.html").is_file():
            text = "Het portaal is nog niet gebouwd. Draai: make portal (of: python -m devstack.build_portal)\n"
            self._send(503, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])
            return
        target = _resolve(root, path)
        if target is not None and target.is_dir() and not path.endswith("/"):
            self._send(301, b"", [("Location", path + "/" + (f"?{query}" if query else ""))])
            return
        if target is not None and target.is_dir():
            target = target / "index.html"
        if target is None or not target.is_file():
            self._send_file(404, root / "404.html")
        else:
            key = target.relative_to(root.resolve()).as_posix() if target.is_relative_to(root.resolve()) else ""
            self._send_file(200, target, LONG_CACHE if self.server.immutable(key) else "no-cache")

    def _send_file(self, status: int, path: Path, cache: str = "no-cache") -> None:
        content = path.read_bytes() if path.is_file() else NOT_FOUND_MESSAGE.encode()
        self._send(status, content, [("Content-Type", _content_type(path)), ("Cache-Control", cache)])

    # --- responses ------------------------------------------------------------------------------

    def _allow(self, *methods: str) -> bool:
        if self.command in methods:
            return True
        self._send_json(405, _envelope("method_not_allowed", "Deze methode is hier niet toegestaan."),
                        {**API_ERROR_HEADERS, "Allow": ", ".join(methods)})
        return False

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        chosen = headers or {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), list(chosen.items()))

    def _send(self, status: int, body: bytes, headers: Headers) -> None:
        body, headers = self._compressed(body, headers)
        self.send_response(status)
        names = {name.lower() for name, _ in headers}
        for name, value in headers:
            self.send_header(name, value)
        for name, value in self.server.portal_headers().items():
            if name.lower() not in names:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


    def _compressed(self, body: bytes, headers: Headers) -> tuple[bytes, Headers]:
        """As CloudFront: brotli or gzip for text of COMPRESS_MIN_BYTES or more, when the browser accepts it."""
        names = {name.lower(): value for name, value in headers}
        content_type = names.get("content-type", "")
        if not content_type.startswith(COMPRESSIBLE) or "content-encoding" in names:
            return body, headers
        varied = [*headers, ("Vary", "Accept-Encoding")]
        encoding = _chosen_encoding(self.headers.get("Accept-Encoding", ""))
        if encoding is None or len(body) < COMPRESS_MIN_BYTES:
            return body, varied
        packed = brotli.compress(body, quality=5) if encoding == "br" else gzip.compress(body, compresslevel=6)
        return packed, [*varied, ("Content-Encoding", encoding)]


def _chosen_encoding(accepted: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in accepted.split(",")
               if not part.replace(" ", "").endswith(";q=0")}
    return next((encoding for encoding in ("br", "gzip") if encoding in offered), None)


def forget_future_totp_steps(now: datetime) -> int:
    """After the local clock is set back (issue 28). Each account remembers the last TOTP step it used, and
    a code is only accepted for a later step (R_ACC_10: no replay). A step used while the clock stood in
    the future would refuse every code until the real time caught up (or a restart reseeded the stack).
    Such a step cannot come from a real code of now, so forgetting it weakens nothing; the rule itself and
    production are unchanged. Local stack only: a scan over its handful of accounts, never a request path
    of the app."""
    from pynamodb.exceptions import UpdateError

    from chalicelib.accounts.totp_rules import WINDOW, step_at
    from chalicelib.models import Account

    latest_real = step_at(now) + WINDOW
    forgotten = 0
    for account in Account.scan(Account.totp_last_step > latest_real):
        try:
            account.update(actions=[Account.totp_last_step.remove()], condition=Account.totp_last_step > latest_real)
            forgotten += 1
        except UpdateError:
            pass  # used again meanwhile with a real code: that step stays
    return forgotten


def _envelope(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": {}}}


def _form_or_json(content_type: str, body: bytes) -> dict[str, str]:
    if content_type.startswith("application/json"):
        try:
            loaded = json.loads(body or b"{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
    return {name: values[0] for name, values in parse_qs(body.decode("utf-8", "replace")).items()}


def _is_unknown_route(status: int, headers: Headers) -> bool:
    """Chalice local (like API Gateway) answers a path without a route with this 403."""
    error_type = next((v for k, v in headers if k.lower() == "x-amzn-errortype"), "")
    return status == 403 and error_type.startswith("UnauthorizedException")


def _resolve(root: Path, url_path: str) -> Path | None:
    """The file for `url_path` inside `root`, or None when the path tries to leave it."""
    relative = unquote(url_path).lstrip("/")
    if "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root.resolve()) else None


def _content_type(path: Path) -> str:
    guessed = {".js": "text/javascript", ".svg": "image/svg+xml"}.get(path.suffix) or \
        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed
