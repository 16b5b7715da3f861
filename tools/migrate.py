"""Data migrations (R_OPS_04): list them and what ran, or run the pending ones.

    python -m tools.migrate status
    python -m tools.migrate run                     # until every migration is done
    python -m tools.migrate run --code-live-at 2027-01-04T10:15:00+00:00

`run` works through `chalicelib.migrations.registry` in order, each migration resumable from its stored
cursor, and returns when all are done (exit 0), or when another runner holds one (exit 3). Its last pass
over a table starts only once old code can no longer write: `--code-live-at` (when the new version went
live; `make deploy` passes the end of its stack update) plus the longest function timeout; without it,
the start of this command. On the local stack (LEERRIJK_STAGE=local) no old code runs: no grace.

It talks to the DynamoDB the environment points at: real AWS with your credentials in production (the
functions themselves cannot Scan), or the running local stack (`make migrate ARGS=status` sets
AWS_ENDPOINT_URL from build/devstack.env).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta

from chalicelib.migrations import runner
from chalicelib.platform.config import settings

ROUND = timedelta(minutes=10)  # one budget; a paused run continues in the next round at once
EXIT_BUSY = 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "status":
        print(status_table())
        return 0
    grace = timedelta(seconds=args.grace_seconds) if args.grace_seconds is not None else default_grace()
    settles = datetime.fromisoformat(args.code_live_at) + grace if args.code_live_at else None
    return run_all(grace=grace, settles_at=settles)


def default_grace() -> timedelta:
    return timedelta(0) if settings.stage == "local" else runner.OLD_CODE_GRACE


def run_all(*, grace: timedelta = runner.OLD_CODE_GRACE, settles_at: datetime | None = None) -> int:
    """Run rounds until every migration is done; print what each round did."""
    while True:
        outcomes = runner.run_pending(budget=ROUND, settles_at=settles_at, grace=grace)
        for outcome in outcomes:
            print(f"{outcome.migration_id}: {outcome.state}", flush=True)
        last = outcomes[-1].state if outcomes else runner.DONE
        if last == runner.DONE:
            print("Migraties: alles klaar.")
            return 0
        if last == "waiting":  # the moment old code stops is further off than one round
            time.sleep(60)
        if last == "busy":
            print("Een andere runner werkt aan deze migratie; probeer het later opnieuw (status: "
                  "python -m tools.migrate status).", file=sys.stderr)
            return EXIT_BUSY


def status_table() -> str:
    lines = [f"{'migratie':<34} {'stand':<10} {'ronde':>5} {'gelezen':>8} {'gemigreerd':>10} {'niet bereikt':>12}  wat"]
    for migration, run in runner.runs():
        if run is None:
            figures = f"{'open':<10} {'':>5} {'':>8} {'':>10} {'':>12}"
        else:
            unreached = run.unreached if run.state == runner.DONE else run.pass_unreached
            figures = (f"{run.state:<10} {int(run.pass_number):>5} {int(run.scanned):>8} {int(run.migrated):>10} "
                       f"{int(unreached or 0):>12}")
        lines.append(f"{migration.migration_id:<34} {figures}  {migration.summary}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.migrate", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="every migration and what ran of it")
    run = commands.add_parser("run", help="run the pending migrations until all are done")
    run.add_argument("--code-live-at", help="ISO moment the new version went live (default: now)")
    run.add_argument("--grace-seconds", type=float,
                     help="how long old code may still write after that (default: the longest function timeout; "
                          "0 on the local stack, where no old code runs)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
