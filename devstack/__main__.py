"""`python -m devstack`: the whole of Leer-Rijk on one machine, in one process, with no AWS account.

moto's server emulates DynamoDB and SES, Chalice's local gateway runs `app.py`, and a front server
on PORT (default 8000) serves the portal, forwards `/api/*` and offers the `/_dev` tools. All
state is in memory: every start creates the tables and the demo data again. Ctrl-C stops it all.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PORTAL_DIR = ROOT / "build" / "portal"
DEVSTACK_TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV_FILE = ROOT / "build" / "devstack.env"
EDUDEX_FOLDER = ROOT / "build" / "edudex"
HOST = "127.0.0.1"
REGION = "eu-west-1"
LISTEN_BACKLOG = 256
REQUEST_THREADS = 32  # Chalice's local gateway: more than the 30 clients of the load bench


@dataclass
class Running:
    """What `_stop()` has to shut down."""

    moto: Any
    local: Any = None
    front: Any = None
    stop_jobs: threading.Event | None = None


def main() -> int:
    started = time.perf_counter()
    port = int(os.environ.get("PORT", "8000"))
    _quiet_logging()
    front = _bind_front_server(port)
    if front is None:
        return 1
    running = Running(moto=_start_moto(), front=front)
    # Also when started in the background, where the shell has set SIGINT to "ignore".
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = _start(running, port=front.port)
        _print_banner(running, summary, time.perf_counter() - started)
        front.serve_forever()
    except KeyboardInterrupt:
        print("\nLeer-Rijk wordt gestopt ...", flush=True)
    finally:
        _stop(running)
    print("Gestopt.", flush=True)
    return 0


def _start(running: Running, port: int) -> Any:
    _aws_environment(running.moto, port)
    _share_botocore_loader()
    app, config = _load_app()
    _prepare_aws()
    from devstack import demo_directory
    from devstack.seed import migrate_demo_data, seed_demo

    demo_directory.start(EDUDEX_FOLDER)  # the demo catalogue arrives from it by a sync (R_DEX_04)

    summary = seed_demo()
    summary.migrations = migrate_demo_data()
    running.local = _start_chalice_local(app, config)
    running.stop_jobs = threading.Event()
    jobs = _job_runner(app)
    jobs.start_schedule(running.stop_jobs)
    running.front.configure((HOST, running.local.server.server_address[1]), PORTAL_DIR, _dev_tools(jobs))
    return summary


def _bind_front_server(port: int) -> Any:
    from devstack.frontserver import FrontServer

    try:
        return FrontServer((HOST, port))
    except OSError as err:
        print(f"Poort {port} op {HOST} is niet beschikbaar ({err.strerror}). "
              f"Kies een andere poort: make run PORT={port + 1}", file=sys.stderr)
        return None


def _start_moto() -> Any:
    from moto.server import ThreadedMotoServer

    from devstack.serialise import list_moto_modules_once, serialise_dynamodb

    serialise_dynamodb()  # before the first request: the stack is as atomic as DynamoDB (R_SEC_05)
    list_moto_modules_once()
    moto = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    moto.start()
    return moto


def _aws_environment(moto: Any, port: int) -> None:
    """Point every AWS client at moto before anything imports chalicelib (it reads env at import)."""
    if "AWS_ACCESS_KEY_ID" not in os.environ:
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing")
    for name, value in {
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "LEERRIJK_PORTAL_ORIGIN": f"http://{HOST}:{port}",
    }.items():
        os.environ.setdefault(name, value)
    # A service-specific endpoint or this switch would send calls past moto, to real AWS.
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_")] + ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]:
        os.environ.pop(name, None)
    host, moto_port = moto.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{moto_port}"
    _write_env_file()


def _write_env_file() -> None:
    """What a command needs to reach this stack's emulated AWS (`make supplier`, `make cfb`)."""
    names = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
             "AWS_DEFAULT_REGION", "AWS_REGION", "LEERRIJK_PORTAL_ORIGIN")
    ENV_FILE.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}={os.environ[name]}" for name in names if name in os.environ]
    lines += ["LEERRIJK_STAGE=local", "LEERRIJK_TABLE_PREFIX=leerrijk-local-"]
    ENV_FILE.write_text("# written by `make run`; valid while it runs\n" + "\n".join(lines) + "\n")


def _share_botocore_loader() -> None:
    """PynamoDB opens a botocore session per model class, and each parses the DynamoDB service
    JSON again (about 0.2 s for each of 21 models); a shared loader parses it once."""
    import botocore.session
    import pynamodb.connection.base
    from botocore.loaders import create_loader

    loader = create_loader()

    def get_session() -> botocore.session.Session:
        session = botocore.session.get_session()
        session.register_component("data_loader", loader)
        return session

    pynamodb.connection.base.get_session = get_session  # type: ignore[attr-defined]


def _load_app() -> tuple[Any, Any]:
    """As `chalice local` does: the stage's environment variables are set before app.py is imported."""
    from chalice.cli.factory import CLIFactory

    config = CLIFactory(str(ROOT), environ=os.environ).create_config_obj(chalice_stage_name="local")
    return config.chalice_app, config


def _prepare_aws() -> None:
    import boto3

    from chalicelib.models import create_all_tables
    from chalicelib.platform.config import settings

    create_all_tables()
    sender_domain = settings.mail_from.split("@", 1)[1]
    boto3.client("sesv2", region_name=settings.region).create_email_identity(EmailIdentity=sender_domain)


def _start_chalice_local(app: Any, config: Any) -> Any:
    from chalice.local import ChaliceRequestHandler, create_local_server

    class QuietHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    local = create_local_server(app, config, HOST, 0)
    local.server.RequestHandlerClass = functools.partial(QuietHandler, app_object=local.app_object, config=config)
    # The standard library listens with a backlog of 5: under 30 concurrent clients connections
    # stall in SYN retries. Listening again on the bound socket raises the backlog.
    local.server.socket.listen(LISTEN_BACKLOG)
    _serve_from_a_pool(local.server)
    threading.Thread(target=local.server.serve_forever, name="chalice-local", daemon=True).start()
    return local


def _serve_from_a_pool(server: Any) -> None:
    """Chalice's local server starts a new thread for every request, and PynamoDB keeps its botocore session
    and client per thread: every request built them again for each model it touched (and an SSL context
    each), and opened new connections to moto. On Lambda one thread keeps them for the container's life.
    A fixed pool of threads keeps them here too."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=REQUEST_THREADS, thread_name_prefix="chalice-local-request")

    def process_request(request: Any, client_address: Any) -> None:
        pool.submit(server.process_request_thread, request, client_address)

    server.process_request = process_request


def _job_runner(app: Any) -> Any:
    from chalicelib.jobs import JOBS
    from chalicelib.platform.config import settings
    from devstack.scheduler import JobRunner

    return JobRunner(JOBS, app.handler_map, settings.region)


def _dev_tools(jobs: Any) -> Any:
    from chalicelib.platform.config import settings
    from devstack import demo_directory
    from devstack.build_portal import make_environment, plain_asset_url
    from devstack.frontserver import DevTools
    from devstack.mailbox import sent_messages

    env = make_environment(asset_url=plain_asset_url, extra_dirs=[DEVSTACK_TEMPLATES])
    template = env.get_template("mailbox.html")
    directory_page = env.get_template("edudex.html")
    return DevTools(
        jobs=jobs,
        mail=lambda: sent_messages(settings.region),
        render_mailbox=lambda messages: template.render(messages=messages, current_url="/_dev/mail"),
        directory=demo_directory.running(),
        render_directory=lambda **values: directory_page.render(current_url="/_dev/edudex", **values),
    )


def _print_banner(running: Running, summary: Any, elapsed: float) -> None:
    base = f"http://{HOST}:{running.front.port}"
    moto_host, moto_port = running.moto.get_host_and_port()
    created = ", ".join(f"{count} {kind}" for kind, count in summary.created.items()) or "niets nieuw"
    lines = [
        "",
        f"Leer-Rijk draait lokaal (klaar in {elapsed:.1f} s).",
        f"  Portaal        {base}/",
        f"  API (health)   {base}/api/health",
        f"  Mailbox        {base}/_dev/mail   (JSON: {base}/_dev/mail.json)",
        f"  Taken          {base}/_dev/jobs   (nu draaien: make job NAME=<taak>)",
        f"  EDU-DEX        {base}/_dev/edudex   (emulator van de Data API; beheer: {base}/beheer/edudex/)",
        f"  moto           http://{moto_host}:{moto_port}/moto-api/",
        f"Demodata: {created}.",
        f"Migraties: {summary.migrations}.",
        "Demo-accounts (inloggen met een e-maillink; die staat daarna in de mailbox):",
    ]
    width = max(len(a.email) for a in summary.accounts) if summary.accounts else 0
    lines += [f"  {a.email:<{width}}  {a.role}" for a in summary.accounts]
    lines += ["API-sleutels (Authorization: Bearer <sleutel>):"]
    lines += [f"  {who}: {token}" for who, token in summary.keys]
    lines += [f"Commando's tegen deze stack: zie {ENV_FILE.relative_to(ROOT)} (bijv. make supplier ARGS=...)"]
    if not (PORTAL_DIR / "index.html").is_file():
        lines.append("Let op: het portaal is nog niet gebouwd. Draai: make portal")
    lines += ["Stoppen: Ctrl-C", ""]
    print("\n".join(lines), flush=True)


def _stop(running: Running) -> None:
    directory = sys.modules.get("devstack.demo_directory")  # started only once the app was loaded
    if directory is not None:
        directory.stop()
    if running.stop_jobs is not None:
        running.stop_jobs.set()
    if running.local is not None:
        running.local.shutdown()
        running.local.server.server_close()
    if running.front is not None:
        running.front.server_close()
    running.moto.stop()


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("werkzeug", "chalice", "botocore", "boto3", "pynamodb"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Servers and threads are stopped; tearing down the thousands of modules moto imported would
    # only add seconds to Ctrl-C.
    os._exit(exit_code)
