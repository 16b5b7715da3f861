"""Maintenance of the accounts' derived data.

    python -m tools.accounts rebuild-search               # every organisation
    python -m tools.accounts rebuild-search --org org-bzk # one organisation

`rebuild-search` writes the admins' search keys (chalicelib.accounts.search) of every account from
the account itself and deletes keys that no longer fit: after restoring the accounts table from a
backup (the keys have none, they are derived) or after a change of the search-term rules. It is
idempotent and reads per organisation through the organisation index, never a Scan.

It talks to the DynamoDB the environment points at: real AWS with your credentials in production,
or the running local stack (`make accounts ARGS="..."` sets AWS_ENDPOINT_URL from build/devstack.env).
"""

from __future__ import annotations

import argparse
import sys

from chalicelib.accounts import search
from chalicelib.accounts import use_cases as accounts


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    org_ids = [args.org] if args.org else [org.org_id for org in accounts.organisations()]
    total = 0
    for org_id in org_ids:
        count = search.rebuild(org_id)
        total += count
        print(f"{org_id}: zoeksleutels van {count} account(s) bijgewerkt.")
    print(f"Klaar: {total} account(s) in {len(org_ids)} organisatie(s).")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.accounts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rebuild = commands.add_parser("rebuild-search", help="write every account's search keys again")
    rebuild.add_argument("--org", help="only this organisation")
    return parser


if __name__ == "__main__":
    sys.exit(main())
