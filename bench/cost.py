"""`make cost WORKLOAD=<name>`: the monthly AWS cost of a workload in eu-west-1, per capability and per
1,000 enrolments (R_OPS_05).

    python -m bench.cost                                  # the default workload: the whole central government
    python -m bench.cost --workload bench/cost/workloads/rijksoverheid.json
    python -m bench.cost --usage build/cost-usage.json    # reuse a measurement instead of measuring again

It measures what each request uses on moto (`bench.cost_run`: DynamoDB units from item sizes, mails, bytes,
our code's time), reads the workload (`bench/cost/workloads/`, every figure with its source or marked
assumed) and the dated prices (`bench/cost/prices-eu-west-1.json`, every price with its source or marked
unverified), takes the deployment's shape from the repository (function memory, alarms, WAF rules, job
cadences, the built portal's sizes) and prints the table of `bench.cost_model`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import cost_model

ROOT = Path(__file__).resolve().parent.parent
COST_DIR = ROOT / "bench" / "cost"
PRICES = COST_DIR / "prices-eu-west-1.json"
PORTAL = ROOT / "build" / "portal"
STAGE = "prod"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    workload_path = _workload_path(args.workload)
    if not workload_path.is_file():
        known = ", ".join(sorted(path.stem for path in (COST_DIR / "workloads").glob("*.json")))
        print(f"make cost: no workload {args.workload!r} ({workload_path}); known: {known}", file=sys.stderr)
        return 2
    workload = _load(workload_path)
    prices = _load(PRICES)
    usage = _load(Path(args.usage)) if args.usage else measure()
    if args.save_usage:
        Path(args.save_usage).write_text(json.dumps(usage, indent=1), encoding="utf-8")
    figures = {name: float(entry["value"]) for name, entry in workload["figures"].items()}
    model = cost_model.Model(usage, figures, flat_prices(prices), deployment())
    print(report(model, workload, prices, usage))
    return 0


def flat_prices(prices: dict[str, Any]) -> dict[str, float]:
    found = {name: float(entry["usd"]) for name, entry in prices["prices"].items()}
    found["dynamodb_storage_free_gb"] = float(prices["prices"]["dynamodb_storage_gb_month"].get("free_gb", 0))
    return found


def measure() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.cost_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"measuring failed:\n{done.stderr[-3000:]}")
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def deployment() -> cost_model.Deployment:
    """The deployment's shape, read from the repository: .chalice/config.json, infra/, the job table and the
    built portal. The models need a stage to name their tables; the shape does not depend on it."""
    os.environ.setdefault("LEERRIJK_STAGE", "local")
    from chalicelib import models
    from chalicelib.jobs import JOBS
    from chalicelib.platform.config import settings
    from chalicelib.privacy.register import TABLES

    config = _load(ROOT / ".chalice" / "config.json")
    resources = _load(ROOT / "infra" / "resources.json")["Resources"]
    edge = _load(ROOT / "infra" / "edge.json")["Resources"]
    acl = next(r for r in edge.values() if r["Type"] == "AWS::WAFv2::WebACL")
    pitr = frozenset(m.Meta.table_name.removeprefix(settings.table_prefix) for m in models.ALL_MODELS
                     if TABLES[m.__name__].backup_days > 0)
    return cost_model.Deployment(
        memory_mb=int(config["stages"][STAGE]["lambda_memory_size"]),
        alarms=sum(1 for r in resources.values() if r.get("Type") == "AWS::CloudWatch::Alarm"),
        waf_rules=len(acl["Properties"].get("Rules", [])),
        job_runs_per_month={name: cost_model.DAYS_PER_MONTH * 24 * 60 / job.every_minutes
                            for name, job in JOBS.items()},
        page_bytes=_page_bytes(), asset_bytes=_asset_bytes(), pitr_tables=pitr,
    )


def _compressed(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def _page_bytes() -> int:
    pages = [PORTAL / "zoeken" / "index.html", PORTAL / "opleiding" / "index.html"]
    if not all(p.is_file() for p in pages):
        raise SystemExit("The portal is not built: make portal (make cost does it)")
    return sum(_compressed(p) for p in pages) // len(pages)


def _asset_bytes() -> int:
    return sum(_compressed(p) for p in (PORTAL / "assets").rglob("*") if p.is_file())


def report(model: cost_model.Model, workload: dict[str, Any], prices: dict[str, Any], usage: dict[str, Any]) -> str:
    rows = cost_model.table(model.lines())
    total = cost_model.total(rows)
    eur = float(prices["eur_per_usd"]["value"])
    enrolments = float(workload["figures"]["enrolments_per_year"]["value"])
    width = max(len(name) for name in rows) + 2
    header = f"{'capability (USD per month)':<{width}}" + "".join(f"{s:>12}" for s in cost_model.SERVICES) \
        + f"{'total':>12}"
    lines = [f"Workload: {workload['name']}; prices {prices['region']} read {prices['read_on']}; "
             f"usage measured {usage.get('measured_at', '?')}", "", header, "-" * len(header)]
    for name, row in rows.items():
        lines.append(f"{name:<{width}}" + "".join(f"{row[s]:>12.2f}" for s in cost_model.SERVICES)
                     + f"{sum(row.values()):>12.2f}")
    by_service = {s: sum(row[s] for row in rows.values()) for s in cost_model.SERVICES}
    lines += ["-" * len(header),
              f"{'total':<{width}}" + "".join(f"{by_service[s]:>12.2f}" for s in cost_model.SERVICES)
              + f"{total:>12.2f}", "",
              f"Per month: USD {total:,.2f} (EUR {total * eur:,.2f} at an assumed {eur} EUR/USD)",
              f"Per 1,000 enrolments: USD {cost_model.per_thousand_enrolments(rows, enrolments):,.2f} "
              f"({enrolments / 12:,.0f} enrolments a month)", "",
              "Figures (source):"]
    lines += [f"  {name} = {entry['value']}  ({entry['source']})" for name, entry in workload["figures"].items()]
    lines += ["Prices (status):"]
    lines += [f"  {name} = {entry['usd']} USD per {entry['unit']}  ({entry['status']})"
              for name, entry in prices["prices"].items()]
    return "\n".join(lines)


def _workload_path(name: str) -> Path:
    path = Path(name)
    return path if path.suffix == ".json" else COST_DIR / "workloads" / f"{name}.json"


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.cost", description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="rijksoverheid", help="a name in bench/cost/workloads/ or a JSON file")
    parser.add_argument("--usage", help="a measurement saved earlier (--save-usage) instead of measuring")
    parser.add_argument("--save-usage", help="write the measurement to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
