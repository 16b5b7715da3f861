"""Maintenance of the catalogue's search index.

    python -m tools.catalogue rebuild-index

`rebuild-index` builds the search index afresh from the stored courses and runs and publishes it
as the current build (chalicelib.catalogue.use_cases.rebuild_index): run it after a deploy that
changes how courses are indexed (stemming, synonyms in the documents, new fields), or to repair.
It reads per supplier, never a Scan, and is idempotent; searches keep answering from the previous
build until the new one is switched in.

It talks to the DynamoDB the environment points at: real AWS with your credentials in production,
or the running local stack (`make catalogue ARGS=rebuild-index` sets AWS_ENDPOINT_URL from
build/devstack.env).
"""

from __future__ import annotations

import argparse
import sys

from chalicelib.catalogue import use_cases as catalogue


def main(argv: list[str] | None = None) -> int:
    _parser().parse_args(argv)
    result = catalogue.rebuild_index()
    print(f"Zoekindex opnieuw opgebouwd: {result['courses']} opleiding(en) van {result['suppliers']} leverancier(s).")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.catalogue", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("rebuild-index", help="build the search index afresh from the stored courses")
    return parser


if __name__ == "__main__":
    sys.exit(main())
