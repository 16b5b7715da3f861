"""EDU-DEX directory connections from the command line (R_DEX_01, R_DEX_02), for operators.

    python -m tools.directory register-webhook --connection edudex --portal-origin https://leer-rijk.example
    python -m tools.directory retire-secret --connection edudex
    python -m tools.directory sync --connection edudex
    python -m tools.directory status

`register-webhook` makes a new secret, stores its hash and registers the webhook URL with the directory
(or changes the registered one): run it again to rotate the secret, and `retire-secret` once the
directory calls the new URL. The secret is never printed. Needs the stage's environment and AWS
credentials, like `tools.supplier`; locally `make directory ARGS=...` against the running stack.
"""

from __future__ import annotations

import argparse
import json
import sys

from chalicelib.platform.config import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="EDU-DEX directory connections (R_DEX_01, R_DEX_02)")
    commands = parser.add_subparsers(dest="command", required=True)
    register = commands.add_parser("register-webhook", help="register the webhook with a new secret (rotation)")
    register.add_argument("--connection", required=True)
    register.add_argument("--portal-origin", default=settings.portal_origin)
    retire = commands.add_parser("retire-secret", help="stop accepting the previous webhook secret")
    retire.add_argument("--connection", required=True)
    sync = commands.add_parser("sync", help="sync the connection now")
    sync.add_argument("--connection", required=True)
    commands.add_parser("status", help="every connection with its cursor, last sync and errors")
    args = parser.parse_args(argv)

    from chalicelib.directory import admin, hooks
    from chalicelib.directory import sync as directory_sync

    if args.command == "register-webhook":
        print(f"Webhook registered: {hooks.register(args.connection, args.portal_origin)}")
    elif args.command == "retire-secret":
        retired = hooks.retire_previous_secret(args.connection)
        print("The previous secret is no longer accepted." if retired else "There was no previous secret.")
    elif args.command == "sync":
        print(json.dumps(directory_sync.sync_now(args.connection), indent=2, default=str))
    else:
        print(json.dumps(admin.overview(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
