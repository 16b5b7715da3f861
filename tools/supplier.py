"""Create suppliers and their API keys until the admin screens exist.

    python -m tools.supplier create --id sup-x --name "Opleider X" --kind extern \\
        --contact inschrijvingen@x.example --delivery email --terms 2026-01
    python -m tools.supplier key --id sup-x          # a new key, shown once
    python -m tools.supplier revoke --key kabc123    # revoke a key
    python -m tools.supplier revoke-feed --id sup-x  # every feed URL issued so far stops working (R_SUP_01)

It talks to the DynamoDB the environment points at: real AWS with your credentials in production,
or the running local stack (`make supplier ARGS="..."` sets AWS_ENDPOINT_URL from build/devstack.env).
"""

from __future__ import annotations

import argparse
import sys

from chalicelib.platform import clock
from chalicelib.suppliers import apikeys, feeds
from chalicelib.suppliers.use_cases import DELIVERIES, KINDS, create_supplier


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "create":
        supplier = create_supplier(
            args.id, args.name, args.kind, args.contact, args.delivery, args.terms,
            clock.now() if args.terms else None, args.free_days,
        )
        print(f"Leverancier {supplier.supplier_id} ({supplier.kind}) aangemaakt.")
        _print_key(apikeys.create_key("supplier", supplier.supplier_id, "created with the supplier"))
    elif args.command == "key":
        _print_key(apikeys.create_key("supplier", args.id, args.label))
    elif args.command == "revoke-feed":
        version = feeds.revoke_links(args.id)
        print(f"Alle feed-links van {args.id} zijn ingetrokken (sleutelversie {version}). "
              "De leverancier vraagt met zijn API-sleutel een nieuwe link op.")
    else:
        apikeys.revoke_key(args.key)
        print(f"Sleutel {args.key} is ingetrokken.")
    return 0


def _print_key(key: apikeys.IssuedKey) -> None:
    print("API-sleutel (wordt maar één keer getoond; bewaar hem veilig):")
    print(f"  {key.token}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.supplier", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a supplier and its first API key")
    create.add_argument("--id", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--kind", choices=KINDS, required=True)
    create.add_argument("--contact", required=True, help="address for enrolments sent by e-mail")
    create.add_argument("--delivery", choices=DELIVERIES, default="email")
    create.add_argument("--terms", help="version of the general Leer-Rijk terms the supplier accepted")
    create.add_argument("--free-days", type=int, help="free cancellation until N days before start")
    key = commands.add_parser("key", help="issue another API key")
    key.add_argument("--id", required=True)
    key.add_argument("--label")
    revoke = commands.add_parser("revoke", help="revoke an API key")
    revoke.add_argument("--key", required=True)
    revoke_feed = commands.add_parser("revoke-feed", help="revoke every feed URL of a supplier early")
    revoke_feed.add_argument("--id", required=True)
    return parser


if __name__ == "__main__":
    sys.exit(main())
